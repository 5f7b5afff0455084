"""Chapter 2: did Allies spend "more than twice as much" on equipment in 2024 as in 2014?

Everything the chapter says is computed here: the ratio for each reading of "Allies" on both
price bases, the verdict worded by grouping, the 20 % guideline counts, and the sentences that
carry these numbers. The notebook ``02_equipment_spending`` calls :func:`run` and shows the result.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from .. import data, equipment, sources
from . import record
from ..params import Parameters, check_choice, check_number, check_year_range, param
from ..results import (CONDITIONAL, NOT_SUPPORTED, REPRODUCED, ChapterRecord, Claim, Headline,
                       Table, headline)
from ..prose import fmt, join_words

NOTEBOOK = "02_equipment_spending"
TITLE = "Equipment spending by NATO Allies"
NATO_SOURCE = sources.newest("nato_defexp").id  # the table holds the newest edition
READS = ("nato_defexp", "nato_membership")
SOURCES = (NATO_SOURCE,)
CLAIM_FACTOR = 2.0
#: The years the claim compares. The verdict always checks these, whatever years the analyst
#: chooses for the chapter's own comparison (base_year, end_year).
CLAIM_YEARS = (2014, 2024)
#: A ratio within this relative distance of the factor is "twice, to rounding": NATO publishes
#: equipment shares to two decimals and the latest years are estimates, so a gap of 0.05 %
#: (1.999x) says nothing either way.
ROUNDING_TOLERANCE = 0.005
SECTION = "sec-equipment-claim"
#: The groupings as they read inside a sentence.
GROUPING_WORDS = {"all_allies": "all Allies", "same_allies": "the Allies counted in both years",
                  "europe_canada": "NATO Europe and Canada", "united_states": "the United States"}


@dataclass(frozen=True)
class Params(Parameters):
    price_basis: str = param("constant2015", "price basis of the Ally-by-Ally chart",
                             "'current' or 'constant2015'", examples=("current",),
                             invalid=("constant2020",),
                             value_words={"current": "current US$",
                                          "constant2015": "constant 2015 US$"})
    base_year: int = param(2014, "base year", "a year of the NATO tables (2014 to 2024), "
                           "before the end year", examples=(2016,), invalid=(1990,))
    end_year: int = param(2024, "end year", "a year of the NATO tables after the base year",
                          examples=(2023,), invalid=(2030,))
    guideline_pct: float = param(20, "equipment guideline, % of defence expenditure",
                                 "a number from 1 to 100", examples=(25,), invalid=(0,))

    def check(self) -> None:
        check_choice("price_basis", self.price_basis, list(equipment.PRICE_BASES))
        check_number("guideline_pct", self.guideline_pct, 1, 100)

    def check_data(self, processed_dir=None) -> None:
        years = data.table("nato_defexp", processed_dir)["year"].to_list()
        check_year_range(self.base_year, self.end_year, years, names=("base_year", "end_year"),
                         min_span=1)


@dataclass(frozen=True)
class Result:
    params: Params
    edition: str
    nato_source: str  # the registry id of the NATO edition in the table
    growth: pl.DataFrame  # equipment.growth_by_grouping, base_year to end_year
    claim_growth: pl.DataFrame  # the same for the claim's own years (CLAIM_YEARS)
    totals: pl.DataFrame  # Alliance total per year on both bases (equipment_both_bases)
    by_ally: pl.DataFrame  # growth_ratio per Ally on the chosen basis
    guideline: pl.DataFrame  # meets_equipment_guideline on the chosen basis
    claim: Claim
    text: dict[str, str]

    def ratio(self, grouping: str, basis: str) -> float:
        return self.growth.filter(grouping=grouping, price_basis=basis)["ratio"].item()

    @property
    def tables(self) -> dict[str, Table]:
        p = self.params
        b, e = p.base_year, p.end_year
        growth = self.growth.with_columns(
            pl.col("ratio").map_elements(reading, return_dtype=pl.String).alias("reading"),
            pl.format("{} → {}", "n_allies_base", "n_allies_end").alias("allies"))
        guideline = self.guideline.select("year", "estimate", "n_allies", "n_meeting")
        return {
            "growth": Table(
                "02_equipment_growth_by_grouping",
                growth.select("grouping_label", "price_basis_label", "allies",
                              "equipment_usd_bn_base", "equipment_usd_bn_end", "ratio",
                              "reading"),
                f"Spending on major equipment, {b} and {e}, by who counts as \"Allies\" and by "
                f"price basis (NATO, {self.edition}; {e} a NATO estimate where marked e)",
                labels={"grouping_label": "Allies", "price_basis_label": "Price basis",
                        "allies": "Allies counted", "equipment_usd_bn_base": f"{b}, US$ bn",
                        "equipment_usd_bn_end": f"{e}, US$ bn", "ratio": f"{e} ÷ {b}",
                        "reading": "Against \"more than twice\""},
                decimals={"equipment_usd_bn_base": 1, "equipment_usd_bn_end": 1, "ratio": 2}),
            "guideline": Table(
                "02_guideline_counts", guideline,
                f"Allies spending at least {p.guideline_pct:g} % of defence expenditure on "
                f"major equipment (NATO, {self.edition})",
                labels={"year": "Year", "estimate": "NATO estimate", "n_allies": "Allies counted",
                        "n_meeting": f"Allies at {p.guideline_pct:g} % or more"}),
        }

    def record(self) -> ChapterRecord:
        return record(NOTEBOOK, self, claims=(self.claim,), sources=(self.nato_source,))

    def headlines(self) -> list[Headline]:
        p = self.params
        rows = []
        for r in self.growth.iter_rows(named=True):
            basis = r["price_basis"]
            unit = "US$ bn, " + ("current prices" if basis == "current" else "constant 2015 prices")
            common = {"grouping": r["grouping"], "basis": basis}
            if r["grouping"] == "all_allies":
                rows += [headline("equipment.spending", f"All Allies: equipment spending {year}",
                                  r[f"equipment_usd_bn_{which}"], unit, year=year, which=which,
                                  **common)
                         for which, year in (("base", p.base_year), ("end", p.end_year))]
            rows += [
                headline("equipment.ratio", f"{r['grouping_label']}: {p.end_year} ÷ "
                         f"{p.base_year}", r["ratio"], "times", decimals=3,
                         base_year=p.base_year, end_year=p.end_year, **common),
            ]
        for which, year in (("base", p.base_year), ("end", p.end_year)):
            g = self.guideline.filter(pl.col("year") == year).row(0, named=True)
            rows.append(headline(
                "equipment.allies_meeting_guideline",
                f"Allies spending at least {p.guideline_pct:g} % on major equipment, {year}",
                g["n_meeting"], "Allies", decimals=0,
                display=f"{g['n_meeting']} of {g['n_allies']}", year=year, which=which,
                threshold_pct=float(p.guideline_pct), n_allies=g["n_allies"]))
        return rows


def reading(ratio: float, factor: float = CLAIM_FACTOR) -> str:
    """A ratio against "more than twice", in words: rounding within ROUNDING_TOLERANCE."""
    if abs(ratio / factor - 1) <= ROUNDING_TOLERANCE:
        return "twice, to rounding"
    return "more than twice" if ratio > factor else "less than twice"


def holds(ratio: float, factor: float = CLAIM_FACTOR) -> bool:
    return reading(ratio, factor) != "less than twice"


def claim_verdict(growth: pl.DataFrame, base_year: int, end_year: int) -> Claim:
    """The doubling claim, judged per grouping and price basis and worded from the numbers."""
    def ratio(grouping, basis):
        return growth.filter(grouping=grouping, price_basis=basis)["ratio"].item()

    def group_words(grouping: str) -> str:
        rows = growth.filter(grouping=grouping).sort("price_basis", descending=True)
        parts = [f"{r['ratio']:.2f}× {short_basis(r['price_basis'])}"
                 for r in rows.iter_rows(named=True)]
        return f"{GROUPING_WORDS[grouping]} ({' and '.join(parts)})"

    all_cur, all_con = ratio("all_allies", "current"), ratio("all_allies", "constant2015")
    holding = [(g, b) for g in equipment.GROUPINGS for b in equipment.PRICE_BASES
               if holds(ratio(g, b))]
    both_bases = [g for g in equipment.GROUPINGS
                  if all((g, b) in holding for b in equipment.PRICE_BASES)]
    some_basis = [g for g in equipment.GROUPINGS if g not in both_bases
                  and any((g, b) in holding for b in equipment.PRICE_BASES)]
    nowhere = [g for g in equipment.GROUPINGS if g not in both_bases and g not in some_basis]
    if "all_allies" in both_bases and reading(all_cur) == reading(all_con) == "more than twice":
        verdict = REPRODUCED
    elif holding:
        verdict = CONDITIONAL
    else:
        verdict = NOT_SUPPORTED
    parts = []
    if both_bases:
        parts.append("holds on both price bases for "
                     + join_words([group_words(g) for g in both_bases]))
    if some_basis:
        bases = sorted({short_basis(b) for g, b in holding if g in some_basis})
        parts.append("holds only in " + join_words(bases)
                     + " for " + join_words([group_words(g) for g in some_basis]))
    if nowhere:
        parts.append("does not hold for " + join_words([group_words(g) for g in nowhere]))
    rounding = [f"{GROUPING_WORDS[g]} in {short_basis(b)}"
                for g, b in holding if reading(ratio(g, b)) == "twice, to rounding"]
    condition = "; ".join(parts) + "."
    if rounding:
        condition += (f" Counted as twice to rounding (within {ROUNDING_TOLERANCE:.1%} of 2, "
                      f"on NATO estimates): {join_words(rounding)}.")
    condition = condition[0].upper() + condition[1:]
    return Claim(
        id="equipment_doubling",
        claim=(f"Allies spent more than twice as much on defence equipment in {end_year} as in "
               f"{base_year}"),
        source="NATO Review 2025, Graphic 2",
        finding=(f"{all_cur:.2f}× in current and {all_con:.2f}× in constant 2015 US$, all Allies, "
                 f"{base_year}–{end_year}"),
        verdict=verdict, condition=condition, chapter=NOTEBOOK, section=SECTION)


def short_basis(basis: str) -> str:
    return {"current": "current US$", "constant2015": "constant 2015 US$"}[basis]


def run(params: Params | None = None, processed_dir=None) -> Result:
    """Compute chapter 2 from the processed NATO tables."""
    p = params or Params()
    p.check_data(processed_dir)
    nato = data.table("nato_defexp", processed_dir)
    membership = data.table("nato_membership", processed_dir)
    growth = equipment.growth_by_grouping(nato, membership, p.base_year, p.end_year)
    claim_growth = (growth if (p.base_year, p.end_year) == CLAIM_YEARS else
                    equipment.growth_by_grouping(nato, membership, *CLAIM_YEARS))
    spending = equipment.equipment_spending(nato, membership, p.price_basis)
    guideline = equipment.meets_equipment_guideline(spending, p.guideline_pct)
    claim = claim_verdict(claim_growth, *CLAIM_YEARS)
    nato_source = nato["source_id"][0]
    edition = sources.get(nato_source).edition.split(" (")[0]
    result = Result(
        params=p, edition=edition, nato_source=nato_source, growth=growth,
        claim_growth=claim_growth,
        totals=equipment.equipment_both_bases(nato, membership),
        by_ally=equipment.growth_ratio(spending, p.base_year, p.end_year),
        guideline=guideline, claim=claim, text={})
    return Result(**{**result.__dict__, "text": sentences(result)})


def sentences(r: Result) -> dict[str, str]:
    """The chapter's number-bearing prose, and its line for the summary."""
    p = r.params
    b, e = p.base_year, p.end_year

    def row(grouping, basis):
        return r.growth.filter(grouping=grouping, price_basis=basis).row(0, named=True)

    cur, con = row("all_allies", "current"), row("all_allies", "constant2015")
    same = row("same_allies", "current")
    eur_cur, eur_con = row("europe_canada", "current"), row("europe_canada", "constant2015")
    us_cur, us_con = row("united_states", "current"), row("united_states", "constant2015")
    est = estimate_note(r.totals, e)
    g0 = r.guideline.filter(pl.col("year") == b).row(0, named=True)
    g1 = r.guideline.filter(pl.col("year") == e).row(0, named=True)
    finding = (
        f"In current US dollars, Allies' spending on major equipment rose from US$ "
        f"{fmt(cur['equipment_usd_bn_base'])} bn in {b} to US$ {fmt(cur['equipment_usd_bn_end'])} "
        f"bn in {e}{est}: {cur['ratio']:.2f} times as much ({reading(cur['ratio'])}). At constant "
        f"2015 prices and exchange rates the ratio is {con['ratio']:.2f} "
        f"({reading(con['ratio'])}). Which Allies are meant matters as much as which prices: NATO "
        f"Europe and Canada spent {eur_cur['ratio']:.2f} times as much in current and "
        f"{eur_con['ratio']:.2f} times as much in constant prices, the United States "
        f"{us_cur['ratio']:.2f} and {us_con['ratio']:.2f} times. The "
        f"{same['n_allies_base']} Allies counted in both years reached {same['ratio']:.3f} times "
        f"in current dollars ({reading(same['ratio'])}); the rest of the all-Allies rise comes "
        f"from the Allies that joined after {b}.")
    if (b, e) != CLAIM_YEARS:
        c0, c1 = CLAIM_YEARS
        claim_cur = r.claim_growth.filter(grouping="all_allies", price_basis="current")
        finding += (f" The claim itself compares {c0} with {c1}; for those years the ratio is "
                    f"{claim_cur['ratio'].item():.2f} in current US dollars (see the verdict "
                    "below).")
    guideline = (
        f"{g0['n_meeting']} of {g0['n_allies']} Allies spent at least {p.guideline_pct:g} % of "
        f"their defence expenditure on major equipment in {b}; {g1['n_meeting']} of "
        f"{g1['n_allies']} {'are estimated to' if g1['estimate'] else 'did'} in {e}.")
    summary = (
        f"**Equipment.** Allies' spending on major equipment was US$ "
        f"{fmt(cur['equipment_usd_bn_base'])} bn in {b} and US$ "
        f"{fmt(cur['equipment_usd_bn_end'])} bn in {e}{est} in current prices "
        f"({cur['ratio']:.2f}×), {con['ratio']:.2f}× at constant 2015 prices; NATO Europe and "
        f"Canada {eur_cur['ratio']:.2f}× and {eur_con['ratio']:.2f}×. "
        f"{g0['n_meeting']} Allies met the {p.guideline_pct:g} % equipment guideline in {b}, "
        f"{g1['n_meeting']} in {e}.")
    return {"finding": finding, "guideline": guideline, "summary": summary}


def estimate_note(totals: pl.DataFrame, year: int) -> str:
    """' (a NATO estimate)' when NATO marks that year's figures as estimates."""
    row = totals.filter(pl.col("year") == year)
    return " (a NATO estimate)" if row.height and row["estimate"].any() else ""
