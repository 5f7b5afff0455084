"""Ally profiles: one page per Ally in the report's appendix, every number and sentence computed.

The pipeline runs ``notebooks/country_profile.ipynb`` once per Ally, setting ``country``
(``PIPELINE_SET``); the target share and year are shared with chapter 4 and set once under
``shared:`` in ``reports/params.yaml``. A page holds a one-paragraph overview, SIPRI's long-run
share of GDP, NATO's figures since its tables begin (spending at constant prices, spending by
category) and the guidelines year by year. Where a source has nothing to draw (Iceland: NATO
publishes no expenditure, SIPRI publishes zeros), the page says so in a sentence and draws no
chart: ``Result.frames`` is None for that chart, never an empty frame.

Profiles make no claims and are not in the executive summary.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl

from .. import data, definitions, pledge, profile, sources
from . import record
from ..errors import ParameterError
from ..params import Parameters, describe, param
from ..pledge import TARGET_SHARE_PCT, TARGET_YEAR
from ..results import ChapterRecord, Headline, Table, headline
from ..prose import cap, fmt, the
from .pledge import check_targets, check_targets_data, target_share_param, target_year_param

NOTEBOOK = "country_profile"
TITLE = "Ally profile"
NATO_SOURCE = sources.newest("nato_defexp").id  # the table holds the newest edition
SIPRI_SOURCE = "sipri_milex_2025"
READS = ("nato_defexp", "nato_membership", SIPRI_SOURCE)
SOURCES = (NATO_SOURCE, SIPRI_SOURCE)
#: Set by the pipeline for each Ally, refused in reports/params.yaml.
PIPELINE_SET = ("country",)
#: Why NATO publishes no defence expenditure for an Ally (NATO's tables; ``load/nato.py``).
NO_DATA_REASONS = {"ISL": "Iceland has no armed forces"}
#: What a reader must know to read SIPRI's long-run line (``load/sipri_milex.py``).
LONG_RUN_NOTES = {"DEU": "before 1991 it covers West Germany, the Federal Republic"}
GDP_PCT = pledge.GDP_GUIDELINE_PCT
EQUIPMENT_PCT = pledge.EQUIPMENT_GUIDELINE_PCT


def guideline_grid(rows: pl.DataFrame) -> pl.DataFrame:
    """The guidelines as a grid, years across (as NATO prints them): one row per guideline,
    each value in bold where the Ally met it, '–' before it joined. Half the height of one
    row per year, which keeps a profile to about a page in print."""
    def line(value_col: str, meets_col: str, label: str, decimals: int) -> dict:
        out = {"measure": label}
        for r in rows.iter_rows(named=True):
            value = r[value_col]
            text = "–" if value is None or not r["counted"] else f"{value:.{decimals}f}"
            out[r["year_label"]] = f"**{text}**" if r[meets_col] and r["counted"] else text
        return out

    return pl.DataFrame([
        line("share_gdp_pct", "meets_gdp_guideline", "Defence, % of GDP", 2),
        line("equipment_share_pct", "meets_equipment_guideline",
             "Equipment, % of defence spending", 1)])


def page_title(name: str) -> str:
    """The title of an Ally's page: its name, as the sidebar and the PDF appendix list it
    ("Poland" under "Appendix: Ally profiles"); the pipeline sets it."""
    return name


@dataclass(frozen=True)
class Params(Parameters):
    country: str = param("USA", "Ally", "the ISO 3166 alpha-3 code of one of the 32 Allies, "
                         "in capitals (e.g. 'POL')", examples=("POL", "ISL"), invalid=("XXX",))
    target_share_pct: float = target_share_param()
    target_year: int = target_year_param()

    def check(self) -> None:
        if not (isinstance(self.country, str) and len(self.country) == 3
                and self.country.isalpha() and self.country.isupper()):
            raise ParameterError(
                f"parameter country={self.country!r} is not allowed; allowed: the ISO 3166 "
                "alpha-3 code of an Ally, three capital letters such as 'POL'.")
        check_targets(self.target_share_pct, self.target_year)

    def check_data(self, processed_dir=None) -> None:
        membership = data.table("nato_membership", processed_dir)
        names = dict(zip(membership["iso3"], membership["country"], strict=True))
        if self.country not in names:
            valid = ", ".join(f"{c} ({names[c]})" for c in sorted(names))
            raise ParameterError(
                f"parameter country={self.country!r} is not the code of a NATO Ally; valid "
                f"codes: {valid}.")
        check_targets_data(self.target_year, processed_dir)

    def describe(self) -> str:
        """The shared parameters in words; the Ally is the page itself, not a setting."""
        specs = {k: v for k, v in self.specs().items() if k not in PIPELINE_SET}
        values = {k: v for k, v in self.as_dict().items() if k in specs}
        defaults = {k: v for k, v in self.defaults().items() if k in specs}
        return describe(specs, values, defaults)


@dataclass(frozen=True)
class Result:
    params: Params
    name: str
    accession_year: int
    nato_edition: str
    sipri_edition: str
    long_run: pl.DataFrame  # SIPRI share of GDP, every year with a value (may be all zero)
    series: pl.DataFrame  # NATO's rows for the Ally, every year of the tables
    categories: pl.DataFrame  # category shares, long
    status: pl.DataFrame  # guidelines per year (pledge.guideline_status)
    gap: pl.DataFrame  # pledge.pledge_gap row, empty without NATO data
    breaks: pl.DataFrame  # GDP series breaks inside the tables' years (profile.gdp_breaks)
    comparison: pl.DataFrame  # NATO's share against SIPRI's (definitions.by_ally), 0 or 1 row
    text: dict[str, str]

    @property
    def code(self) -> str:
        return self.params.country

    @property
    def has_nato_data(self) -> bool:
        return profile.has_values(self.series, "milex_usd_bn_const2015")

    @property
    def frames(self) -> dict[str, pl.DataFrame | None]:
        """The data behind each chart of the page; None where the page shows no chart (and a
        sentence says why). A frame that is not None always has something to draw."""
        spending = profile.spending(self.series)
        return {
            "long_run": (self.long_run if profile.has_values(self.long_run, "share_gdp_pct")
                         else None),
            "spending": (spending if profile.has_values(spending, "milex_usd_bn_const2015")
                         else None),
            "categories": (self.categories if profile.has_values(self.categories, "share_pct")
                           else None),
        }

    @property
    def nato_data(self) -> pl.DataFrame:
        """The data of the NATO figure in one frame (what its CSV offers): per year with
        published spending, US$ billion at constant 2015 prices and the category shares."""
        return self.series.filter(pl.col("milex_usd_bn_const2015").is_not_null()).select(
            "year", "estimate", "milex_usd_bn_const2015", "share_gdp_pct", *profile.CATEGORIES)

    @property
    def chart_notes(self) -> dict[str, str]:
        """What a chart needs said under its title beyond the house subtitle."""
        spending = profile.spending(self.series)
        first = spending["year"].min() if spending.height else None
        joined = (f"{self.name} joined NATO in {self.accession_year}; NATO's tables give its "
                  "figures for the years before too."
                  if first is not None and self.accession_year > first else "")
        note = LONG_RUN_NOTES.get(self.code)
        return {"long_run": f"{cap(note)}." if note else "", "spending": joined}

    @property
    def tables(self) -> dict[str, Table]:
        """The guidelines table (none for an Ally without NATO figures)."""
        if not self.has_nato_data:
            return {}
        rows = self.status.filter(pl.col("share_gdp_pct").is_not_null()).with_columns(
            (pl.col("year").cast(pl.String)
             + pl.when(pl.col("estimate")).then(pl.lit("e")).otherwise(pl.lit("")))
            .alias("year_label"))
        marks = ["e: NATO estimate"]
        if rows.filter(~pl.col("counted")).height:
            marks.append(f"–: not yet an Ally (joined in {self.accession_year})")
        marks.append("bold: at or above the guideline")
        wide = guideline_grid(rows)
        return {"guidelines": Table(
            f"profile_{self.code}_guidelines", wide,
            f"{self.name}: NATO's guidelines year by year, {GDP_PCT:g} % of GDP and "
            f"{EQUIPMENT_PCT:g} % of defence spending on major equipment (NATO, "
            f"{self.nato_edition}; {'; '.join(marks)})",
            labels={"measure": ""},
            data=rows.select("year", "estimate", "counted", "share_gdp_pct",
                             "meets_gdp_guideline", "equipment_share_pct",
                             "meets_equipment_guideline"))}

    def record(self) -> ChapterRecord:
        return record(NOTEBOOK, self, chapter=f"profile_{self.code}",
                      title=f"{TITLE}: {self.name}")

    def headlines(self) -> list[Headline]:
        """The same keys for every Ally (values None where NATO publishes nothing)."""
        c = self.code
        nato = self.series.drop_nulls("share_gdp_pct")
        years = self.series["year"]
        first_year, last_year = int(years.min()), int(years.max())
        missing = "not published"

        def nato_value(row, column):
            return None if row is None else row[column]

        first = nato.row(0, named=True) if nato.height else None
        last = nato.row(-1, named=True) if nato.height else None
        if last is not None:
            first_year, last_year = first["year"], last["year"]
        ratio = (last["milex_usd_bn_const2015"] / first["milex_usd_bn_const2015"]
                 if last is not None else None)
        rows = [
            headline("profile.share_gdp", f"Defence spending, % of GDP, {year} (NATO)",
                     nato_value(row, "share_gdp_pct"), "% of GDP", decimals=2,
                     display=None if row else missing, country=c, year=year, which=which)
            for which, row, year in (("first", first, first_year), ("latest", last, last_year))
        ]
        rows += [
            headline("profile.spending", f"Defence spending {last_year}, constant 2015 prices",
                     nato_value(last, "milex_usd_bn_const2015"), "US$ bn, constant 2015 prices",
                     display=None if last else missing, country=c, year=last_year),
            headline("profile.real_change", f"Defence spending {last_year} ÷ {first_year}, "
                     "constant 2015 prices", ratio, "times", decimals=2,
                     display=None if last else missing, country=c, base_year=first_year,
                     end_year=last_year),
        ]
        for key, column, pct in (("profile.years_meeting_gdp_guideline", "meets_gdp_guideline",
                                  GDP_PCT),
                                 ("profile.years_meeting_equipment_guideline",
                                  "meets_equipment_guideline", EQUIPMENT_PCT)):
            n = profile.guideline_count(self.status, column)
            shown = n["n_years"] > 0
            rows.append(headline(
                key, f"Years at or above {pct:g} % {'of GDP' if pct == GDP_PCT else 'on equipment'}"
                " as an Ally", n["n_meeting"] if shown else None, "years", decimals=0,
                display=f"{n['n_meeting']} of {n['n_years']}" if shown else missing,
                country=c, threshold_pct=float(pct), first_year=n["first_year"] if shown
                else None, last_year=n["last_year"] if shown else None))
        g = self.gap.row(0, named=True) if self.gap.height else None
        p = self.params
        target = {"target_share_pct": float(p.target_share_pct), "target_year": p.target_year}
        rows += [
            headline("profile.gap_to_target", f"Gap to {p.target_share_pct:g} % of GDP by "
                     f"{p.target_year}", nato_value(g, "gap_pp"), "percentage points",
                     decimals=2, display=None if g else missing, country=c, **target),
            headline("profile.required_real_growth", f"Real growth of defence spending needed "
                     f"a year to reach {p.target_share_pct:g} % by {p.target_year}",
                     nato_value(g, "required_real_growth_pct"), "% a year",
                     display=(missing if g is None else "none: already there"
                              if g["already_above"] else None), country=c, **target),
        ]
        cmp = self.comparison.row(0, named=True) if self.comparison.height else None
        rows.append(headline(
            "profile.nato_minus_sipri", "NATO's share of GDP minus SIPRI's, latest year both "
            "publish", nato_value(cmp, "difference_latest_pp"), "percentage points", decimals=2,
            display=None if cmp else missing, country=c,
            year=cmp["latest_year"] if cmp else None))
        sipri = self.long_run
        if sipri.height:
            s = sipri.row(-1, named=True)
            rows.append(headline("profile.sipri_share_gdp", f"Military expenditure, % of GDP, "
                                 f"{s['year']} (SIPRI)", s["share_gdp_pct"], "% of GDP",
                                 decimals=2, country=c, year=s["year"]))
        else:
            rows.append(headline("profile.sipri_share_gdp", "Military expenditure, % of GDP "
                                 "(SIPRI)", None, "% of GDP", display=missing, country=c,
                                 year=None))
        return rows


# ---------------------------------------------------------------- words


def usd(bn: float) -> str:
    """'US$ 26.8 bn', or 'US$ 59 million' below a billion."""
    return f"US$ {fmt(bn * 1000, 0)} million" if bn < 1 else f"US$ {fmt(bn)} bn"


def times(ratio: float, year: int) -> str:
    """A real-terms change in words: '3.14 times as high as in 2014', '14 % higher than in
    2014', '10 % lower than in 2014'."""
    if ratio >= 1.5:
        return f"{ratio:.2f} times as high as in {year}"
    change = (ratio - 1) * 100
    if round(change) == 0:
        return f"about the same as in {year}"
    return f"{abs(change):.0f} % {'higher' if change > 0 else 'lower'} than in {year}"


def target_words(p: Params) -> str:
    """The target in words; a value other than the Hague commitment says so."""
    if (p.target_share_pct, p.target_year) == (TARGET_SHARE_PCT, TARGET_YEAR):
        return (f"the core-defence target of {p.target_share_pct:g} % of GDP by {p.target_year} "
                "that Allies set at The Hague in 2025")
    return (f"a target of {p.target_share_pct:g} % of GDP by {p.target_year} (set for this "
            f"report; the Hague commitment for core defence is {TARGET_SHARE_PCT:g} % by "
            f"{TARGET_YEAR})")


def guideline_sentence(the_name: str, status: pl.DataFrame, table_first: int) -> str:
    """How often the Ally met each guideline in the years it was an Ally in NATO's tables."""
    gdp = profile.guideline_count(status, "meets_gdp_guideline")
    eq = profile.guideline_count(status, "meets_equipment_guideline")
    names = (f"the {GDP_PCT:g} % guideline", f"the {EQUIPMENT_PCT:g} % equipment guideline")
    span = lambda c: (c["n_years"], c["first_year"], c["last_year"])  # noqa: E731
    if span(gdp) != span(eq):  # the two guidelines cover different years: say each
        return " ".join(
            f"{cap(the_name)} met {what} in {c['n_meeting']} of the {c['n_years']} years "
            f"{c['first_year']}–{c['last_year']} with NATO figures as an Ally."
            for what, c in zip(names, (gdp, eq), strict=True) if c["n_years"])
    n, first, last = span(gdp)
    if n == 1:
        met = [w for w, c in zip(names, (gdp, eq), strict=True) if c["n_meeting"]]
        missed = [w for w, c in zip(names, (gdp, eq), strict=True) if not c["n_meeting"]]
        parts = ([f"met {' and '.join(met)}"] if met else []) + (
            [f"did not meet {' or '.join(missed)}"] if missed else [])
        return (f"In {first}, its one year as an Ally in NATO's tables, {the_name} "
                f"{' but '.join(parts)}.")

    def count(c: dict) -> str:
        if c["n_meeting"] == n:
            return "both" if n == 2 else f"all {n}"
        return "none" if c["n_meeting"] == 0 else str(c["n_meeting"])

    lead = (f"In the {n} years of NATO's tables, {first}–{last}," if first == table_first else
            f"In its {n} years as an Ally in NATO's tables, {first}–{last},")
    if gdp["n_meeting"] == eq["n_meeting"] == 0:
        return f"{lead} {the_name} met neither {names[0]} nor {names[1]}."
    return (f"{lead} {the_name} met {names[0]} in {count(gdp)} and {names[1]} in "
            f"{count(eq)}.")


def past_growth(g: dict, first: int) -> str:
    value = g["milex_real_growth_pct_past"]
    return "" if value is None else (f" (it grew {value:.1f} % a year from {first} to "
                                     f"{g['latest_year']})")


def target_sentence(r: Result) -> str:
    """Where the Ally stands against the target, and the real growth that gets it there."""
    if not r.gap.height:
        return ""
    g, the_name = r.gap.row(0, named=True), the(r.name)
    goal = target_words(r.params)
    first = int(r.series["year"].min())
    gdp = (f"its real GDP keeps growing at its {first}–{g['latest_year']} average of "
           f"{g['gdp_growth_pct_assumed']:.1f} % a year"
           + (f" (leaving out the {g['gdp_break_year']} break in NATO's GDP series)"
              if g["series_break"] else ""))
    if g["already_above"]:
        stay = g["growth_to_stay_pct"]
        text = (f"{cap(the_name)} is already above {goal}, by {-g['gap_pp']:.2f} percentage "
                "points" if g["gap_pp"] < 0 else f"{cap(the_name)} is already at {goal}")
        floor = (f"grows by at least {stay:.1f} % a year" if stay >= 0 else
                 f"falls by no more than {-stay:.1f} % a year")
        return (f"{text}. If {gdp}, it stays there as long as its real defence spending "
                f"{floor}{past_growth(g, first)}.")
    return (f"To reach {goal}, {the_name} needs {g['gap_pp']:.2f} percentage points more: "
            f"real growth of defence spending of {g['required_real_growth_pct']:.1f} % a "
            f"year{past_growth(g, first)} if {gdp}.")


def break_sentence(the_name: str, brk: dict) -> str:
    """A break in NATO's GDP series explained: what moved the share, and what it means."""
    year, gdp, milex = brk["year"], brk["gdp_change_pct"], brk["milex_change_pct"]
    text = (f"NATO's GDP series for {the_name} breaks in {year}: real GDP at 2015 prices "
            f"{'falls' if gdp < 0 else 'rises'} by {abs(gdp):.0f} % from {year - 1} to {year}")
    how = "partly"
    if milex is not None:
        text += (f", while defence spending at constant prices "
                 f"{'rises' if milex >= 0 else 'falls'} by {abs(milex):.0f} %")
        # The share's log change splits into spending's and GDP's: which one moved it more?
        gdp_part, milex_part = abs(math.log(1 + gdp / 100)), abs(math.log(1 + milex / 100))
        how = "mostly" if gdp_part > milex_part else "partly"
    return (f"{text}. The share of GDP moves from {brk['share_before_pct']:.2f} % to "
            f"{brk['share_after_pct']:.2f} % {how} because the GDP figure changed: shares before "
            f"and after {year} are not comparable, and the GDP growth assumed for the target "
            "leaves that step out.")


def definitions_sentence(r: Result) -> str:
    """NATO's share against SIPRI's in the latest year both publish, and why they differ (one
    sentence; SIPRI's own footnote on the Ally, where it has one, quoted after it)."""
    c, the_name = r.comparison.row(0, named=True), the(r.name)
    year, d = c["latest_year"], c["difference_latest_pp"]
    relation = ("the same to two decimals" if abs(d) < 0.005 else
                f"{abs(d):.2f} points {'more' if d > 0 else 'less'} on NATO's figure")
    reasons = ["the two define and source military spending differently (the chapter on NATO's "
               "guidelines compares the definitions)"]
    if c["nato_estimate_latest"]:
        reasons.append(f"NATO's {year} figure is an estimate it published on {r.nato_edition}")
    breaks = [b["year"] for b in r.breaks.iter_rows(named=True) if b["year"] <= year]
    if breaks:
        reasons.append(f"NATO divides by its own GDP series, which breaks in {min(breaks)}")
    text = (f"For {year}, the latest year both publish, NATO puts defence spending by "
            f"{the_name} at {c['nato_share_latest_pct']:.2f} % of GDP and SIPRI at "
            f"{c['sipri_share_latest_pct']:.2f} % ({relation}): "
            + (", ".join(reasons[:-1]) + " and " + reasons[-1] if len(reasons) > 1
               else reasons[0]) + ".")
    note = definitions.SIPRI_FOOTNOTES.get(r.code)
    if note and definitions.SIPRI_FOOTNOTES_SOURCE == SIPRI_SOURCE:
        text += f" SIPRI's note on its figures: \u201c{note}\u201d"
    return text


def long_run_words(r: Result) -> dict[str, str]:
    """SIPRI's long run: a sentence for the overview (no NATO data) and one for its section."""
    share, the_name = r.long_run, the(r.name)
    if share.is_empty():
        return {"overview": f"SIPRI publishes no share of GDP for {the_name} either.",
                "section": f"No chart: SIPRI publishes no share of GDP for {the_name}."}
    first, last = int(share["year"].min()), int(share["year"].max())
    if not profile.has_values(share, "share_gdp_pct"):
        return {"overview": (f"SIPRI records zero military expenditure for {the_name} in every "
                             f"year from {first} to {last}."),
                "section": f"No chart: SIPRI's figures for {the_name} are zero in every year."}
    gaps = (last - first + 1) - share.height
    peak = share.sort("share_gdp_pct", descending=True).row(0, named=True)
    low = share.sort("share_gdp_pct").row(0, named=True)
    latest = share.row(-1, named=True)

    def at(row: dict) -> str:
        latest_note = ", the latest year" if row["year"] == last else ""
        return f"{row['year']} ({row['share_gdp_pct']:.2f} %{latest_note})"

    text = (f"SIPRI's series for {the_name}, on SIPRI's own definition of military "
            f"expenditure, runs from {first} to {last}"
            + (f" ({LONG_RUN_NOTES[r.code]})" if r.code in LONG_RUN_NOTES else "")
            + (f" with {gaps} years missing" if gaps else "")
            + f". The share of GDP was highest in {at(peak)} and lowest in {at(low)}")
    more = []
    joined = share.filter(pl.col("year") == r.accession_year)
    if joined.height and first < r.accession_year < last:
        more.append(f"{joined['share_gdp_pct'].item():.2f} % in {r.accession_year}, the year "
                    f"{the_name} joined NATO")
    if last not in (peak["year"], low["year"]):
        more.append(f"{latest['share_gdp_pct']:.2f} % in {last}")
    text += ("; it was " + ", and ".join(more) if more else "") + "."
    return {"overview": text, "section": text}


def sentences(r: Result) -> dict[str, str]:
    """The page's number-bearing prose: the overview and one text per section."""
    the_name = the(r.name)
    joined = ("a founding Ally (1949)" if r.accession_year == 1949 else
              f"an Ally since {r.accession_year}")
    sipri = long_run_words(r)
    if not r.has_nato_data:
        reason = NO_DATA_REASONS.get(r.code)
        overview = (f"NATO publishes no defence expenditure for {the_name}, {joined}"
                    + (f": {reason}." if reason else ".") + " " + sipri["overview"])
        return {"overview": overview, "long_run": sipri["section"],
                "spending": f"No chart: NATO publishes no defence expenditure for {the_name}.",
                "guidelines": (f"No table: with no defence expenditure, {the_name} is never "
                               "counted as meeting or missing NATO's guidelines.")}
    table_first = int(r.series["year"].min())
    nato = r.series.drop_nulls(["share_gdp_pct", "milex_usd_bn_const2015"])
    first, last = nato.row(0, named=True), nato.row(-1, named=True)
    est = " (a NATO estimate)" if last["estimate"] else ""
    brk = next((b for b in r.breaks.iter_rows(named=True)
                if first["year"] < b["year"] <= last["year"]), None)
    across = (f" (not comparable: NATO's GDP series for {the_name} breaks in {brk['year']}, "
              "see the guidelines below)" if brk else "")
    ratio = last["milex_usd_bn_const2015"] / first["milex_usd_bn_const2015"]
    overview = (
        f"{cap(the_name)}, {joined}, spent {last['share_gdp_pct']:.2f} % of its GDP on defence "
        f"in {last['year']} by NATO's count{est}, against {first['share_gdp_pct']:.2f} % in "
        f"{first['year']}{across}. At constant 2015 prices its defence spending in "
        f"{last['year']} was {times(ratio, first['year'])}. " + target_sentence(r)).strip()
    labels = profile.CATEGORIES
    cats = {(row["year"], row["category"]): row["share_pct"]
            for row in r.categories.iter_rows(named=True)}

    def cat(column: str, year: int) -> str:
        value = cats.get((year, labels[column]))
        return "n/a" if value is None else f"{fmt(value)} %"

    spending = (
        f"At 2015 prices and exchange rates, defence spending by {the_name} went from "
        f"{usd(first['milex_usd_bn_const2015'])} in {first['year']} to "
        f"{usd(last['milex_usd_bn_const2015'])} in {last['year']}{est}.")
    if (last["year"], labels["equipment_share_pct"]) in cats:
        eq_first = (f" ({cat('equipment_share_pct', first['year'])} in {first['year']})"
                    if (first["year"], labels["equipment_share_pct"]) in cats else "")
        spending += (
            f" In {last['year']} equipment, including related research and development, took "
            f"{cat('equipment_share_pct', last['year'])} of it{eq_first}, personnel "
            f"{cat('personnel_share_pct', last['year'])}, infrastructure "
            f"{cat('infrastructure_share_pct', last['year'])} and other spending "
            f"{cat('other_share_pct', last['year'])}.")
    long_run = sipri["section"]
    if r.comparison.height:
        long_run += " " + definitions_sentence(r)
    guidelines = guideline_sentence(the_name, r.status, table_first)
    if brk:
        guidelines += " " + break_sentence(the_name, brk)
    return {"overview": overview, "long_run": long_run, "spending": spending,
            "guidelines": guidelines}


# ---------------------------------------------------------------- run
def run(params: Params | None = None, processed_dir=None) -> Result:
    """Compute one Ally's page from the processed NATO, membership and SIPRI tables."""
    p = params or Params()
    p.check_data(processed_dir)
    nato = data.table("nato_defexp", processed_dir)
    membership = data.table("nato_membership", processed_dir)
    sipri = data.table(SIPRI_SOURCE, processed_dir)
    series = profile.nato_series(nato, p.country)
    result = Result(
        params=p, name=profile.ally_name(membership, p.country),
        accession_year=profile.accession_year(membership, p.country),
        nato_edition=sources.get(nato["source_id"][0]).edition.split(" (")[0],
        sipri_edition=sources.get(SIPRI_SOURCE).edition,
        long_run=profile.long_run_share(sipri, p.country), series=series,
        categories=profile.category_split(nato, p.country),
        status=profile.guideline_years(nato, membership, p.country),
        gap=profile.pledge_row(nato, membership, p.country, target_share_pct=p.target_share_pct,
                               target_year=p.target_year),
        breaks=profile.gdp_breaks(nato, p.country),
        comparison=definitions.by_ally(definitions.nato_vs_sipri(nato, sipri)).filter(
            pl.col("iso3") == p.country), text={})
    return Result(**{**result.__dict__, "text": sentences(result)})
