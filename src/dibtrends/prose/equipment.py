"""The words of chapter 2 (equipment spending): its sentences, the claim's wording, the tables'
captions and column labels, and the headlines' labels."""

from __future__ import annotations

import polars as pl

from .. import sources
from ..equipment import GROUPINGS, PRICE_BASES
from ..results import Headline, Table, headline
from . import cap, count_of, fmt, join_words, table

#: The groupings in a table, and inside a sentence.
GROUPING_LABELS = {"all_allies": "All Allies (as counted each year)",
                   "same_allies": "Allies counted in both years",
                   "europe_canada": "NATO Europe and Canada", "united_states": "United States"}
GROUPING_WORDS = {"all_allies": "all Allies", "same_allies": "the Allies counted in both years",
                  "europe_canada": "NATO Europe and Canada", "united_states": "the United States"}
BASIS_WORDS = {"current": "current US$", "constant2015": "constant 2015 US$"}
PRICE_BASIS_NOTES = {"current": "current prices and exchange rates",
                     "constant2015": "2015 prices and exchange rates"}
PRICE_BASIS_LABELS = {k: f"{BASIS_WORDS[k]} ({PRICE_BASIS_NOTES[k]})" for k in BASIS_WORDS}
#: equipment.against_factor's answer against "more than twice", in words.
READINGS = {1: "more than twice", 0: "twice, to rounding", -1: "less than twice"}


def edition_words(source_id: str) -> str:
    """'17 June 2024': the registry's edition without its bracketed note (which says which
    years are estimates: the chapters read that from the data)."""
    return sources.get(source_id).edition.split(" (")[0]


def estimate_words(years) -> str:
    """'2023 and 2024 are NATO estimates' ('' for no year)."""
    years = [str(y) for y in years]
    verb = "is a NATO estimate" if len(years) == 1 else "are NATO estimates"
    return f"{join_words(years)} {verb}" if years else ""


def year_label(year: int, estimate_years) -> str:
    """'2024e' for a year NATO marks as an estimate."""
    return f"{year}e" if year in set(estimate_years) else str(year)


def estimate_note(totals: pl.DataFrame, year: int) -> str:
    """' (a NATO estimate)' when NATO marks that year's figures as estimates."""
    return " (a NATO estimate)" if totals.filter(pl.col("year") == year)["estimate"].any() else ""


def claim(growth: pl.DataFrame, side: dict[tuple[str, str], int], base_year: int,
          end_year: int, tolerance: float) -> dict[str, str]:
    """The doubling claim, its finding and its condition, grouping by grouping."""
    def group_words(grouping: str) -> str:
        rows = growth.filter(grouping=grouping).sort("price_basis", descending=True)
        parts = [f"{r['ratio']:.2f}× {BASIS_WORDS[r['price_basis']]}"
                 for r in rows.iter_rows(named=True)]
        return f"{GROUPING_WORDS[grouping]} ({' and '.join(parts)})"

    held = {g: [b for b in PRICE_BASES if side[g, b] >= 0] for g in GROUPINGS}
    some = [g for g in GROUPINGS if 0 < len(held[g]) < len(PRICE_BASES)]
    only = join_words(sorted({BASIS_WORDS[b] for g in some for b in held[g]}))
    parts = [f"{lead} for {join_words([group_words(g) for g in groupings])}"
             for lead, groupings in (
                 ("holds on both price bases",
                  [g for g in GROUPINGS if len(held[g]) == len(PRICE_BASES)]),
                 (f"holds only in {only}", some),
                 ("does not hold", [g for g in GROUPINGS if not held[g]])) if groupings]
    rounding = [f"{GROUPING_WORDS[g]} in {BASIS_WORDS[b]}" for (g, b), v in side.items()
                if v == 0]
    condition = "; ".join(parts) + "."
    if rounding:
        condition += (f" Counted as twice to rounding (within {tolerance:.1%} of 2, "
                      f"on NATO estimates): {join_words(rounding)}.")
    ratio = {b: growth.filter(grouping="all_allies", price_basis=b)["ratio"].item()
             for b in PRICE_BASES}
    return {"claim": f"Allies spent more than twice as much on defence equipment in {end_year} as "
                     f"in {base_year}", "source": "NATO Review 2025, Graphic 2",
            "finding": f"{ratio['current']:.2f}× in current and {ratio['constant2015']:.2f}× in "
                       f"constant 2015 US$, all Allies, {base_year}–{end_year}",
            "condition": cap(condition), "short": claim_short(growth, side)}


def claim_short(growth: pl.DataFrame, side: dict[tuple[str, str], int]) -> str:
    """The doubling claim's condition for the summary: all Allies' ratio on each price basis,
    then on which bases each other grouping more than doubled, and where only to rounding (the
    chapter has the rest)."""
    def bases(grouping: str) -> str:
        held = [b for b in PRICE_BASES if side[grouping, b] >= 0]
        rounding = [BASIS_WORDS[b] for b in held if side[grouping, b] == 0]
        if not held:
            return "neither"
        if len(held) == 1:
            return f"{BASIS_WORDS[held[0]]} only" + (", twice to rounding" if rounding else "")
        return "both price bases" + (f" ({join_words(rounding)} twice to rounding)"
                                     if rounding else "")

    ratio = {r["price_basis"]: f"{BASIS_WORDS[r['price_basis']]} ({r['ratio']:.2f}×"
             + (", twice to rounding)" if side["all_allies", r["price_basis"]] == 0 else ")")
             for r in growth.filter(grouping="all_allies").iter_rows(named=True)}
    held = [ratio[b] for b in PRICE_BASES if side["all_allies", b] >= 0]
    missed = [ratio[b] for b in PRICE_BASES if side["all_allies", b] < 0]
    lead = (f"Holds for all Allies in {join_words(held)}" if held else
            "Does not hold for all Allies") + (f", not in {join_words(missed, 'or')}"
                                               if missed and held else
                                               f" ({join_words(missed)})" if missed else "")
    others = [f"{GROUPING_WORDS[g]}: {bases(g)}" for g in GROUPINGS if g != "all_allies"]
    return f"{lead}; {'; '.join(others)}."


def tables(r) -> dict[str, Table]:
    p = r.params
    b, e, at = p.base_year, p.end_year, f"{p.guideline_pct:g} %"
    growth = r.growth.with_columns(
        pl.col("grouping").replace_strict(GROUPING_LABELS).alias("grouping_label"),
        pl.format("{} → {}", "n_allies_base", "n_allies_end").alias("allies"),
        pl.col("side").replace_strict(READINGS).alias("reading"))
    labels = {"grouping_label": "Allies", "price_basis_label": "Price basis",
              "allies": "Allies counted", "equipment_usd_bn_base": f"{b}, US$ bn",
              "equipment_usd_bn_end": f"{e}, US$ bn", "ratio": f"{e} ÷ {b}",
              "reading": "Against \"more than twice\""}
    est = f"; the {e} figures are NATO estimates" if estimate_note(r.totals, e) else ""
    return {
        # The price basis in two words on every row, spelled out once under the table.
        "growth": table(
            "02_equipment_growth_by_grouping", growth.with_columns(
                pl.col("price_basis").replace_strict(BASIS_WORDS).alias("price_basis_label")),
            f"Spending on major equipment, {b} and {e}, by who counts as \"Allies\" and by "
            f"price basis (NATO, {r.edition}{est})", labels,
            decimals={"ratio": 2},
            data=growth.with_columns(pl.col("price_basis").replace_strict(PRICE_BASIS_LABELS)
                                     .alias("price_basis_label")).select(list(labels)),
            note=cap("; ".join(f"{BASIS_WORDS[k]}: {PRICE_BASIS_NOTES[k]}" for k in BASIS_WORDS))
            + f". Allies counted: in {b} → in {e}."),
        "guideline": table(
            "02_guideline_counts", r.guideline, f"Allies spending at least {at} of defence "
            f"expenditure on major equipment (NATO, {r.edition})",
            {"year": "Year", "estimate": "NATO estimate", "n_allies": "Allies counted",
             "n_meeting": f"Allies at {at} or more"})}


def sentences(r) -> dict[str, str]:
    """The chapter's number-bearing prose, and its line for the summary."""
    p = r.params
    b, e = p.base_year, p.end_year
    row = {(g["grouping"], g["price_basis"]): g for g in r.growth.iter_rows(named=True)}
    cur, con = row["all_allies", "current"], row["all_allies", "constant2015"]
    same = row["same_allies", "current"]
    eur_cur, eur_con = row["europe_canada", "current"], row["europe_canada", "constant2015"]
    us_cur, us_con = row["united_states", "current"], row["united_states", "constant2015"]
    est = estimate_note(r.totals, e)
    g0 = r.guideline.filter(pl.col("year") == b).row(0, named=True)
    g1 = r.guideline.filter(pl.col("year") == e).row(0, named=True)
    finding = (
        f"In current US dollars, Allies' spending on major equipment rose from US$ "
        f"{fmt(cur['equipment_usd_bn_base'])} bn in {b} to US$ {fmt(cur['equipment_usd_bn_end'])} "
        f"bn in {e}{est}: {cur['ratio']:.2f} times as much ({READINGS[cur['side']]}). At "
        f"constant 2015 prices and exchange rates the ratio is {con['ratio']:.2f} "
        f"({READINGS[con['side']]}). Which Allies are meant matters as much as which prices: "
        f"NATO Europe and Canada spent {eur_cur['ratio']:.2f} times as much in current and "
        f"{eur_con['ratio']:.2f} times as much in constant prices, the United States "
        f"{us_cur['ratio']:.2f} and {us_con['ratio']:.2f} times. The "
        f"{same['n_allies_base']} Allies counted in both years reached {same['ratio']:.3f} times "
        f"in current dollars ({READINGS[same['side']]}); the rest of the all-Allies rise comes "
        f"from the Allies that joined after {b}.")
    claim = r.claim_growth.filter(grouping="all_allies", price_basis="current").row(0, named=True)
    if (b, e) != (claim["base_year"], claim["end_year"]):
        finding += (f" The claim itself compares {claim['base_year']} with {claim['end_year']}; "
                    f"for those years the ratio is {claim['ratio']:.2f} in current US "
                    "dollars (see the verdict below).")
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


def headlines(r) -> list[Headline]:
    """The chapter's record: spending, ratios and guideline counts, under stable keys."""
    p = r.params
    years = (("base", p.base_year), ("end", p.end_year))
    rows = []
    for g in r.growth.iter_rows(named=True):
        basis = g["price_basis"]
        unit = "US$ bn, " + ("current prices" if basis == "current" else "constant 2015 prices")
        common = {"grouping": g["grouping"], "basis": basis}
        if g["grouping"] == "all_allies":
            rows += [headline("equipment.spending", f"All Allies: equipment spending {year}",
                              g[f"equipment_usd_bn_{which}"], unit, year=year, which=which,
                              **common) for which, year in years]
        rows.append(headline("equipment.ratio", f"{GROUPING_LABELS[g['grouping']]}: "
                             f"{p.end_year} ÷ {p.base_year}", g["ratio"], "times", decimals=3,
                             base_year=p.base_year, end_year=p.end_year, **common))
    for which, year in years:
        g = r.guideline.filter(pl.col("year") == year).row(0, named=True)
        rows.append(count_of(
            "equipment.allies_meeting_guideline",
            f"Allies spending at least {p.guideline_pct:g} % on major equipment, {year}",
            g["n_meeting"], g["n_allies"], "Allies", year=year, which=which,
            threshold_pct=float(p.guideline_pct), n_allies=g["n_allies"]))
    return rows
