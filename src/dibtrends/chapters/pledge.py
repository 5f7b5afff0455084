"""Chapter 4: NATO's 2 % and 20 % guidelines, The Hague's core-defence target, and NATO's figures
against SIPRI's.

Everything the chapter says is computed here: the guideline counts, the claim that only three
Allies spent 2 % of GDP in 2014 (verdict computed), each Ally's distance to the core-defence
target and the growth that closes it, the straight-line trends with an interval for the *count*
of Allies they carry to the target, and NATO's share of GDP against SIPRI's for every Ally and
year. The notebook ``04_guidelines_and_pledge`` calls :func:`run` and shows the result.

Nothing here names an edition's years: first and latest year come from NATO's table, the years
NATO marks as estimates from its ``estimate`` column, the editions from the source registry
through the tables' ``source_id``.

``target_share_pct`` and ``target_year`` are shared with every Ally profile: declare them with
:func:`target_share_param` / :func:`target_year_param` and check them with :func:`check_targets`
and :func:`check_targets_data`, so both pages take the same values, words and limits.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from .. import data, definitions, pledge, sources
from . import record
from ..countries import name_of
from ..errors import ParameterError
from ..params import Parameters, check_number, param
from ..results import (NOT_CHECKABLE, NOT_SUPPORTED, REPRODUCED, ChapterRecord, Claim, Headline,
                       Table, headline)
from ..prose import cap, join_words, pct, plural, the

NOTEBOOK = "04_guidelines_and_pledge"
TITLE = "NATO's guidelines and the 2035 pledge"
READS = ("nato_defexp", "nato_membership", "sipri_milex_2025")
NATO_SOURCE = sources.newest("nato_defexp").id  # the table holds the newest edition
SIPRI_SOURCE = "sipri_milex_2025"
#: The registry ids the chapter reads; the record names the ones in the tables' ``source_id``.
SOURCES = (NATO_SOURCE, SIPRI_SOURCE)
SECTION = "sec-pledge-claim"
#: The claim "In 2014 only Greece, the United Kingdom and the United States spent 2 % of GDP or
#: more": always checked for this year, this threshold and these Allies, whatever the
#: parameters.
CLAIM_YEAR = 2014
CLAIM_ALLIES = ("GBR", "GRC", "USA")
CLAIM_THRESHOLD_PCT = pledge.GDP_GUIDELINE_PCT
#: The Hague commitment, in the words the chapter compares the parameters with.
HAGUE_WORDS = "The Hague Summit (June 2025)"
#: A straight line needs some years: the trend window spans at least this many.
MIN_TREND_YEARS = 6
MAX_TARGET_YEAR = 2050
#: NATO's and SIPRI's shares "agree" within this many percentage points (both publish more
#: decimals; two decimals is what NATO's press releases print).
CLOSE_PP = 0.05


# ---------------------------------------------------------------- shared parameters
def target_share_param():
    """The shared parameter ``target_share_pct`` (chapter 4 and every Ally profile)."""
    return param(pledge.TARGET_SHARE_PCT, "core-defence target, % of GDP",
                 "a number from 0.5 to 10", examples=(5.0,), invalid=(0, 12), shared=True)


def target_year_param():
    """The shared parameter ``target_year`` (chapter 4 and every Ally profile)."""
    return param(pledge.TARGET_YEAR, "target year",
                 f"a whole year after the latest year of NATO's tables, up to {MAX_TARGET_YEAR}",
                 examples=(2030,), invalid=(2020, 2060), shared=True)


def check_targets(target_share_pct, target_year) -> None:
    """The checks of the shared parameters that need no data."""
    if isinstance(target_share_pct, bool) or not isinstance(target_share_pct, (int, float)):
        raise ParameterError(f"parameter target_share_pct={target_share_pct!r} is not allowed; "
                             "allowed: a number from 0.5 to 10.")
    check_number("target_share_pct", target_share_pct, 0.5, 10)
    if (isinstance(target_year, bool) or not isinstance(target_year, (int, float))
            or target_year != int(target_year) or not 1950 <= target_year <= MAX_TARGET_YEAR):
        raise ParameterError(
            f"parameter target_year={target_year!r} is not allowed; allowed: a whole year after "
            f"the latest year of NATO's tables, up to {MAX_TARGET_YEAR}.")


def check_targets_data(target_year, processed_dir=None) -> int:
    """``target_year`` against NATO's table: it must follow the latest year. Returns that year."""
    latest = int(data.table("nato_defexp", processed_dir)["year"].max())
    if target_year <= latest:
        raise ParameterError(
            f"parameter target_year={target_year} is not after the latest year of NATO's tables "
            f"({latest}); allowed: {latest + 1} to {MAX_TARGET_YEAR}.")
    return latest


@dataclass(frozen=True)
class Params(Parameters):
    target_share_pct: float = target_share_param()
    target_year: int = target_year_param()
    gdp_growth_pct: float | None = param(
        None, "real GDP growth assumed, % a year",
        "None (each Ally's own average) or a number from -5 to 10",
        none_means="each Ally's own average over NATO's years", examples=(1.5,),
        invalid=(20, "fast"))
    trend_window_start: int | None = param(
        None, "first year of the trend window",
        f"None (the first year of NATO's tables) or a year of the tables at least "
        f"{MIN_TREND_YEARS - 1} years before the latest",
        none_means="the first year of NATO's tables", examples=(2018,), invalid=(2010, 2023))

    def check(self) -> None:
        check_targets(self.target_share_pct, self.target_year)
        if self.gdp_growth_pct is not None:
            if isinstance(self.gdp_growth_pct, bool) or not isinstance(self.gdp_growth_pct,
                                                                       (int, float)):
                raise ParameterError(
                    f"parameter gdp_growth_pct={self.gdp_growth_pct!r} is not allowed; allowed: "
                    f"None (each Ally's own average) or a number from -5 to 10.")
            check_number("gdp_growth_pct", self.gdp_growth_pct, -5, 10)
        start = self.trend_window_start
        if start is not None and (isinstance(start, bool) or not isinstance(start, (int, float))
                                  or start != int(start)):
            raise ParameterError(
                f"parameter trend_window_start={start!r} is not allowed; allowed: None (the "
                f"first year of NATO's tables) or a whole year of the tables at least "
                f"{MIN_TREND_YEARS - 1} years before the latest.")
        # YAML may give 2035.0: years are whole numbers from here on
        object.__setattr__(self, "target_year", int(self.target_year))
        if start is not None:
            object.__setattr__(self, "trend_window_start", int(start))

    def check_data(self, processed_dir=None) -> None:
        check_targets_data(self.target_year, processed_dir)
        if self.trend_window_start is not None:
            years = data.table("nato_defexp", processed_dir)["year"]
            first, last = int(years.min()), int(years.max()) - MIN_TREND_YEARS + 1
            if not first <= self.trend_window_start <= last:
                raise ParameterError(
                    f"parameter trend_window_start={self.trend_window_start} leaves too few "
                    f"years of NATO's tables for a trend; allowed: {first} to {last} (or None).")

    def at_hague_target(self) -> bool:
        return (self.target_share_pct, self.target_year) == (pledge.TARGET_SHARE_PCT,
                                                             pledge.TARGET_YEAR)


# ---------------------------------------------------------------- words


def names(codes) -> list[str]:
    """Readers' names, alphabetical, with 'the' where English needs it."""
    return [the(n) for n in sorted(name_of(c) for c in codes)]


def estimate_words(years) -> str:
    years = list(years)
    if not years:
        return ""
    return (f"{join_words([str(y) for y in years])} "
            f"{'is a NATO estimate' if len(years) == 1 else 'are NATO estimates'}")


def edition_words(source_id: str) -> str:
    """'17 June 2024': the registry's edition without its bracketed note (NATO's notes say which
    years are estimates, which the chapter reads from the data instead)."""
    return sources.get(source_id).edition.split(" (")[0]


def release_words(source_id: str) -> str:
    """'release v1.2, April 2026': the registry's edition with its brackets unfolded, for use
    inside brackets."""
    return sources.get(source_id).edition.replace(" (", ", ").replace(")", "")


# ---------------------------------------------------------------- result
@dataclass(frozen=True)
class Result:
    params: Params
    nato_source: str  # registry id of the NATO table read (its source_id)
    sipri_source: str
    first_year: int
    latest_year: int
    estimate_years: tuple[int, ...]
    window_start: int
    status: pl.DataFrame  # pledge.guideline_status
    counts: pl.DataFrame  # pledge.guideline_counts
    gap: pl.DataFrame  # pledge.pledge_gap
    projection: pl.DataFrame  # pledge.fit_trends, projection
    reach: dict  # pledge.trend_reach_counts (point and the separate intervals)
    count_interval: dict  # pledge.trend_count_interval (the joint simulation)
    breaks: pl.DataFrame  # pledge.gdp_series_breaks
    comparison: pl.DataFrame  # definitions.nato_vs_sipri, every Ally and year
    comparison_by_ally: pl.DataFrame  # definitions.by_ally
    comparison_by_year: pl.DataFrame  # definitions.by_year, counted Allies
    claim: Claim
    text: dict[str, str]

    @property
    def edition(self) -> str:
        return edition_words(self.nato_source)

    @property
    def sipri_edition(self) -> str:
        return release_words(self.sipri_source)

    def year_label(self, year: int) -> str:
        return f"{year}e" if year in self.estimate_years else str(year)

    @property
    def tables(self) -> dict[str, Table]:
        p = self.params
        t, ty = f"{p.target_share_pct:g}", p.target_year
        latest = self.year_label(self.latest_year)
        est = estimate_words(self.estimate_years)
        name = pl.col("entity").map_elements(name_of, return_dtype=pl.String).alias("ally")
        gap = self.gap.sort("share_gdp_pct_latest", descending=True).select(
            name, "share_gdp_pct_latest", "gap_pp",
            pl.when("already_above").then(pl.lit("already above"))
            .otherwise(pl.lit("below")).alias("position"),
            "gdp_growth_pct_assumed", "required_real_growth_pct", "growth_to_stay_pct",
            "milex_real_growth_pct_past",
            pl.when("already_above").then(pl.lit("–"))
            .when("needs_faster_growth").then(pl.lit("yes")).otherwise(pl.lit("no"))
            .alias("faster"),
            pl.col("gdp_break_year").cast(pl.String).fill_null("–").alias("gdp_break"))
        trend = self.projection.sort("projected_share_pct", descending=True).select(
            name, "share_gdp_pct_latest", "slope_pp_per_year",
            pl.col("break_year").cast(pl.String).fill_null("–").alias("level_shift"),
            "projected_share_pct", "pi_lower_pct", "pi_upper_pct",
            pl.when(pl.col("projected_share_pct") >= p.target_share_pct).then(pl.lit("yes"))
            .otherwise(pl.lit("no")).alias("reaches"))
        pi = round(self.projection["pi_level"][0] * 100)
        by_ally = self.comparison_by_ally.select(
            pl.col("iso3").map_elements(name_of, return_dtype=pl.String).alias("ally"),
            "nato_share_latest_pct", "sipri_share_latest_pct", "difference_latest_pp",
            "mean_difference_pp", "largest_difference_pp", "largest_difference_year")
        span = f"{self.first_year}–{self.latest_year}"
        return {
            "counts": Table(
                "04_guideline_counts", self.counts.with_columns(
                    pl.col("year").map_elements(self.year_label, return_dtype=pl.String)
                ).drop("estimate"),
                f"Allies meeting NATO's 2 % and 20 % guidelines, counted from their year of "
                f"accession (NATO, {self.edition}; e: NATO estimate)",
                labels={"year": "Year", "n_allies_with_data": "Allies with NATO figures",
                        "n_meeting_gdp": "At 2 % of GDP or more",
                        "n_meeting_equipment": "At 20 % on equipment or more",
                        "n_meeting_both": "Meeting both"}),
            "gap": Table(
                "04_pledge_gap", gap,
                f"Distance to {t} % of GDP by {ty} and the real growth of defence spending "
                f"that closes it (NATO, {self.edition}; {est}; shares of GDP at 2015 prices)",
                labels={"ally": "Ally", "share_gdp_pct_latest": f"{latest}, % of GDP",
                        "gap_pp": f"Gap to {t} %, points", "position": "Position",
                        "gdp_growth_pct_assumed": "Real GDP growth assumed, % a year",
                        "required_real_growth_pct": f"Real growth needed to {ty}, % a year",
                        "growth_to_stay_pct": "Lowest real growth that keeps it at the target, "
                                              "% a year",
                        "milex_real_growth_pct_past": f"Real growth achieved {span}, % a year",
                        "faster": "Needs faster growth than achieved",
                        "gdp_break": "Break in NATO's GDP series (year)"},
                decimals={"share_gdp_pct_latest": 2, "gap_pp": 2}),
            "trend": Table(
                "04_pledge_trend", trend,
                f"Each Ally's share of GDP on its straight-line trend {self.window_start}–"
                f"{self.latest_year}, projected to {ty} with its own {pi} % prediction interval "
                f"(ordinary least squares; a level shift where NATO's GDP series breaks; "
                f"NATO, {self.edition}). A description of the past, not a forecast.",
                labels={"ally": "Ally", "share_gdp_pct_latest": f"{latest}, % of GDP",
                        "slope_pp_per_year": "Trend, points a year",
                        "level_shift": "Level shift from (year)",
                        "projected_share_pct": f"{ty} on trend, % of GDP",
                        "pi_lower_pct": f"{pi} % interval, low",
                        "pi_upper_pct": f"{pi} % interval, high",
                        "reaches": f"At {t} % or more on trend"},
                decimals={"share_gdp_pct_latest": 2, "slope_pp_per_year": 3,
                          "projected_share_pct": 2, "pi_lower_pct": 2, "pi_upper_pct": 2}),
            "count_distribution": Table(
                "04_trend_count_distribution", self.count_interval["distribution"],
                f"How many Allies reach {t} % by {ty} on their trends: share of "
                f"{self.count_interval['n_draws']:,} joint draws of the trends' errors",
                labels={"n_allies_reaching": "Allies at the target",
                        "share_of_draws": "Share of draws"},
                decimals={"share_of_draws": 3}),
            "definitions": Table(
                "04_nato_vs_sipri_by_ally", by_ally,
                f"Share of GDP on NATO's and SIPRI's figures, per Ally (NATO, {self.edition}; "
                f"SIPRI, {self.sipri_edition}); difference = NATO minus SIPRI, percentage "
                f"points; {span}",
                labels={"ally": "Ally",
                        "nato_share_latest_pct": f"NATO {latest}, % of GDP",
                        "sipri_share_latest_pct": f"SIPRI {self.latest_year}, % of GDP",
                        "difference_latest_pp": f"Difference {self.latest_year}",
                        "mean_difference_pp": f"Mean difference {span}",
                        "largest_difference_pp": "Largest difference",
                        "largest_difference_year": "in"},
                decimals={"nato_share_latest_pct": 2, "sipri_share_latest_pct": 2,
                          "difference_latest_pp": 2, "mean_difference_pp": 2,
                          "largest_difference_pp": 2}),
            "definitions_all": Table(
                "04_nato_vs_sipri_all", self.comparison.select(
                    pl.col("iso3").map_elements(name_of, return_dtype=pl.String).alias("ally"),
                    "iso3", "year", "nato_estimate", "nato_share_pct", "sipri_share_pct",
                    "difference_pp", "sipri_estimate"),
                f"Share of GDP on NATO's and SIPRI's figures, every Ally and year (NATO, "
                f"{self.edition}; SIPRI, {self.sipri_edition}); difference = NATO minus SIPRI",
                labels={"ally": "Ally", "iso3": "ISO code", "year": "Year",
                        "nato_estimate": "NATO estimate", "nato_share_pct": "NATO, % of GDP",
                        "sipri_share_pct": "SIPRI, % of GDP",
                        "difference_pp": "Difference, points",
                        "sipri_estimate": "SIPRI estimate"},
                decimals={"nato_share_pct": 2, "sipri_share_pct": 2, "difference_pp": 2}),
            "definitions_by_year": Table(
                "04_nato_vs_sipri_by_year", self.comparison_by_year.select(
                    pl.col("year").map_elements(self.year_label, return_dtype=pl.String),
                    "n_allies", "mean_abs_difference_pp", "n_at_threshold_nato",
                    "n_at_threshold_sipri"),
                f"Allies at 2 % of GDP or more on each publisher's figures, and the average "
                f"size of the difference (NATO, {self.edition}; SIPRI, {self.sipri_edition}; "
                f"e: NATO estimate)",
                labels={"year": "Year", "n_allies": "Allies counted",
                        "mean_abs_difference_pp": "Mean absolute difference, points",
                        "n_at_threshold_nato": "At 2 % on NATO's figures",
                        "n_at_threshold_sipri": "At 2 % on SIPRI's figures"},
                decimals={"mean_abs_difference_pp": 2}),
        }

    def record(self) -> ChapterRecord:
        return record(NOTEBOOK, self, claims=(self.claim,),
                      sources=(self.nato_source, self.sipri_source))

    def headlines(self) -> list[Headline]:
        p = self.params
        rows = []
        target = {"target_share_pct": float(p.target_share_pct), "target_year": p.target_year}
        by_year = self.comparison_by_year
        for which, year in (("first", self.first_year), ("latest", self.latest_year)):
            c = self.counts.filter(pl.col("year") == year).row(0, named=True)
            meeting = pledge.allies_meeting(self.status, year, "gdp")
            rows.append(headline(
                "pledge.allies_meeting_gdp_guideline",
                f"Allies at or above 2 % of GDP, {self.year_label(year)} (NATO's figures)",
                c["n_meeting_gdp"], "Allies", decimals=0,
                display=f"{c['n_meeting_gdp']} of {c['n_allies_with_data']}",
                note=join_words(names(meeting)) if len(meeting) <= 5 else "",
                year=year, which=which, source=self.nato_source))
            s = by_year.filter(pl.col("year") == year)
            if s.height:
                s = s.row(0, named=True)
                rows.append(headline(
                    "pledge.allies_meeting_gdp_guideline",
                    f"Allies at or above 2 % of GDP, {year} (SIPRI's figures)",
                    s["n_at_threshold_sipri"], "Allies", decimals=0,
                    display=f"{s['n_at_threshold_sipri']} of {s['n_allies']}",
                    year=year, which=which, source=self.sipri_source))
            rows.append(headline(
                "pledge.allies_meeting_equipment_guideline",
                f"Allies at or above 20 % of defence spending on major equipment, "
                f"{self.year_label(year)}", c["n_meeting_equipment"], "Allies", decimals=0,
                display=f"{c['n_meeting_equipment']} of {c['n_allies_with_data']}",
                year=year, which=which, source=self.nato_source))
        above = self.gap.filter("already_above")
        rows.append(headline(
            "pledge.allies_at_target",
            f"Allies already at {p.target_share_pct:g} % of GDP or more, "
            f"{self.year_label(self.latest_year)}", above.height, "Allies", decimals=0,
            display=f"{above.height} of {self.gap.height}",
            note=join_words(names(above["entity"])) if above.height <= 5 else "",
            year=self.latest_year, **target))
        below = self.gap.filter(~pl.col("already_above"))
        faster = int(below["needs_faster_growth"].sum())
        basis = ("own average" if p.gdp_growth_pct is None else float(p.gdp_growth_pct))
        ignored = pledge.faster_growth_if_breaks_ignored(self.gap)
        for breaks, n in (("left out", faster), ("included", ignored)):
            rows.append(headline(
                "pledge.allies_needing_faster_growth",
                f"Allies below {p.target_share_pct:g} % whose real growth needed to "
                f"{p.target_year} exceeds their {self.first_year}–{self.latest_year} rate"
                + (" (GDP growth taken across the series breaks)" if breaks == "included"
                   else ""),
                n, "Allies", decimals=0, display=f"{n} of {below.height}",
                gdp_growth=basis, gdp_breaks=breaks, **target))
        ci = self.count_interval
        window = {"window_start": self.window_start, "window_end": self.latest_year}
        for estimate, value, label in (("point", ci["point"], "straight-line projection"),
                                       ("low", ci["low"], "95 % interval of the count, low"),
                                       ("high", ci["high"], "95 % interval of the count, high")):
            rows.append(headline(
                "pledge.allies_reaching_target_on_trend",
                f"Allies at {p.target_share_pct:g} % or more in {p.target_year} on their "
                f"{self.window_start}–{self.latest_year} trends ({label})", value, "Allies",
                decimals=0, display=f"{value} of {ci['n_allies']}",
                note=(join_words(names(self.reach["allies_point"]))
                      if estimate == "point" and value <= 5 else ""),
                estimate=estimate, level=ci["level"], **window, **target))
        for first in (self.latest_year, self.first_year):
            rows_cmp = self.comparison.filter(pl.col("year").is_between(first, self.latest_year))
            if rows_cmp.height:
                period = (self.year_label(first) if first == self.latest_year
                          else f"{first}–{self.latest_year}")
                rows.append(headline(
                    "pledge.nato_sipri_difference",
                    f"Share of GDP, NATO against SIPRI: mean absolute difference, {period}",
                    rows_cmp["difference_pp"].abs().mean(), "percentage points", decimals=2,
                    first_year=first, last_year=self.latest_year))
        return rows


# ---------------------------------------------------------------- the claim
def claim_verdict(status: pl.DataFrame, by_year: pl.DataFrame, comparison: pl.DataFrame,
                  edition: str, sipri_edition: str) -> Claim:
    """'In 2014 only Greece, the United Kingdom and the United States spent 2 % of GDP or more',
    on NATO's figures for CLAIM_YEAR and CLAIM_THRESHOLD_PCT (never the parameters)."""
    base = dict(id="three_at_two_percent",
                claim=("In 2014 only Greece, the United Kingdom and the United States spent 2 % "
                       "of GDP or more"),
                source="NATO, on the 2014 Defence Investment Pledge",
                chapter=NOTEBOOK, section=SECTION)
    year_rows = status.filter(pl.col("year") == CLAIM_YEAR, pl.col("counted"),
                              pl.col("share_gdp_pct").is_not_null())
    if year_rows.is_empty():
        return Claim(**base, finding=f"NATO's tables ({edition}) have no figures for "
                     f"{CLAIM_YEAR}", verdict=NOT_CHECKABLE,
                     condition=f"The NATO edition used does not cover {CLAIM_YEAR}.")
    meeting = year_rows.filter(pl.col("share_gdp_pct") >= CLAIM_THRESHOLD_PCT)
    shares = join_words([f"{the(name_of(r['entity']))} ({r['share_gdp_pct']:.2f} %)"
                         for r in sorted(meeting.iter_rows(named=True),
                                         key=lambda r: name_of(r["entity"]))])
    finding = (f"{meeting.height} of {year_rows.height} Allies with NATO figures in "
               f"{CLAIM_YEAR} were at {CLAIM_THRESHOLD_PCT:g} % of GDP or more: {shares}")
    same = sorted(meeting["entity"].to_list()) == sorted(CLAIM_ALLIES)
    verdict = REPRODUCED if same else NOT_SUPPORTED
    if same:
        condition = f"On NATO's definition and its tables of {edition}."
    else:
        missing = sorted(set(CLAIM_ALLIES) - set(meeting["entity"]))
        extra = sorted(set(meeting["entity"]) - set(CLAIM_ALLIES))
        parts = []
        if missing:
            parts.append(f"{join_words(names(missing))} below {CLAIM_THRESHOLD_PCT:g} %")
        if extra:
            parts.append(f"{join_words(names(extra))} also at {CLAIM_THRESHOLD_PCT:g} % or more")
        condition = f"NATO's tables of {edition} have {'; '.join(parts)}."
    sipri = comparison.filter(pl.col("year") == CLAIM_YEAR)
    counted = set(year_rows["entity"])
    sipri = sipri.filter(pl.col("iso3").is_in(list(counted)))
    if sipri.height:
        s_meet = sorted(sipri.filter(pl.col("sipri_share_pct") >= CLAIM_THRESHOLD_PCT)["iso3"])
        if s_meet == sorted(CLAIM_ALLIES):
            condition += (f" SIPRI's figures ({sipri_edition}) give the same three Allies"
                          + (", so the claim does not hang on NATO's definition." if same
                             else "."))
        else:
            condition += (f" On SIPRI's figures ({sipri_edition}) the Allies at "
                          f"{CLAIM_THRESHOLD_PCT:g} % or more in {CLAIM_YEAR} were "
                          f"{join_words(names(s_meet)) or 'none'}.")
    return Claim(**base, finding=finding, verdict=verdict, condition=condition)


# ---------------------------------------------------------------- run
def run(params: Params | None = None, processed_dir=None) -> Result:
    """Compute chapter 4 from NATO's tables and SIPRI's share of GDP."""
    p = params or Params()
    p.check_data(processed_dir)
    nato = data.table("nato_defexp", processed_dir)
    membership = data.table("nato_membership", processed_dir)
    sipri = data.table("sipri_milex_2025", processed_dir)
    first, latest = int(nato["year"].min()), int(nato["year"].max())
    window_start = p.trend_window_start or first
    nato_source = _source_id(nato, NATO_SOURCE)
    sipri_source = _source_id(sipri, SIPRI_SOURCE)
    breaks = pledge.gdp_series_breaks(nato)
    status = pledge.guideline_status(nato, membership)
    gap = pledge.pledge_gap(nato, membership, target_share_pct=p.target_share_pct,
                            target_year=p.target_year, gdp_growth_pct=p.gdp_growth_pct,
                            breaks=breaks)
    projection, residuals = pledge.fit_trends(nato, membership, window_start=window_start,
                                              target_year=p.target_year, breaks=breaks)
    comparison = definitions.nato_vs_sipri(nato, sipri)
    counted = status.select(pl.col("entity").alias("iso3"), "year", "counted")
    by_year = definitions.by_year(comparison, CLAIM_THRESHOLD_PCT, counted)
    result = Result(
        params=p, nato_source=nato_source, sipri_source=sipri_source, first_year=first,
        latest_year=latest, estimate_years=tuple(pledge.estimate_years(nato)),
        window_start=window_start, status=status, counts=pledge.guideline_counts(status),
        gap=gap, projection=projection,
        reach=pledge.trend_reach_counts(projection, p.target_share_pct),
        count_interval=pledge.trend_count_interval(projection, residuals, p.target_share_pct),
        breaks=breaks, comparison=comparison,
        comparison_by_ally=definitions.by_ally(comparison), comparison_by_year=by_year,
        claim=claim_verdict(status, by_year, comparison, edition_words(nato_source),
                            release_words(sipri_source)),
        text={})
    return Result(**{**result.__dict__, "text": sentences(result, nato)})


def _source_id(frame: pl.DataFrame, fallback: str) -> str:
    """The registry id the processed table says it was built from."""
    if "source_id" in frame.columns and frame.height:
        ids = frame["source_id"].unique().to_list()
        if len(ids) == 1:
            return ids[0]
    return fallback


# ---------------------------------------------------------------- sentences
def sentences(r: Result, nato: pl.DataFrame) -> dict[str, str]:
    """The chapter's number-bearing prose, and its two lines for the summary."""
    text = {
        "guidelines": guideline_words(r),
        "estimates": (f"In NATO's tables of {r.edition}, {estimate_words(r.estimate_years)} "
                      f"(marked e)." if r.estimate_years else
                      f"NATO's tables of {r.edition} mark no year as an estimate."),
        "target_note": target_note(r.params),
        "gap": gap_words(r),
        "breaks": break_words(r, nato),
        "trend": trend_words(r),
        "definitions": comparison_words(r),
        "definition_nato": f"**NATO's definition.** {definitions.NATO_DEFINITION}",
        "definition_sipri": f"**SIPRI's definition.** {definitions.SIPRI_DEFINITION}",
        "definition_common": f"**Where they differ.** {definitions.COMMON_GROUND}",
        "sipri_footnotes": footnote_words(r),
    }
    text["summary"] = summary_words(r)
    return text


def guideline_words(r: Result) -> str:
    c0 = r.counts.filter(pl.col("year") == r.first_year).row(0, named=True)
    c1 = r.counts.filter(pl.col("year") == r.latest_year).row(0, named=True)
    met0 = pledge.allies_meeting(r.status, r.first_year, "gdp")
    est = " (NATO estimates)" if r.latest_year in r.estimate_years else ""
    no_data = sorted(r.status.filter(pl.col("counted"), pl.col("share_gdp_pct").is_null())
                     ["entity"].unique().to_list())
    text = (f"On NATO's figures (tables of {r.edition}), {c0['n_meeting_gdp']} of "
            f"{c0['n_allies_with_data']} Allies spent at least 2 % of GDP on defence in "
            f"{r.first_year}" + (f" ({join_words(names(met0))})" if len(met0) <= 8 else "")
            + f", and {c1['n_meeting_gdp']} of {c1['n_allies_with_data']} in "
            f"{r.latest_year}{est}. On major equipment, {c0['n_meeting_equipment']} spent at "
            f"least 20 % of their defence expenditure in {r.first_year} and "
            f"{c1['n_meeting_equipment']} in {r.latest_year}.")
    if no_data:
        text += (f" NATO publishes no defence expenditure for {join_words(names(no_data))}, "
                 f"which {'is' if len(no_data) == 1 else 'are'} therefore not counted.")
    return text


def target_note(p: Params) -> str:
    if p.at_hague_target():
        return (f"{HAGUE_WORDS} committed Allies to spend at least {p.target_share_pct:g} % of "
                f"GDP on core defence by {p.target_year}, plus up to 1.5 % on defence- and "
                f"security-related spending that NATO's expenditure tables do not measure; "
                f"this chapter measures the distance to the core-defence part.")
    return (f"{HAGUE_WORDS} committed Allies to {pledge.TARGET_SHARE_PCT:g} % of GDP on core "
            f"defence by {pledge.TARGET_YEAR}; this chapter was built with a target of "
            f"{p.target_share_pct:g} % by {p.target_year} instead.")


def _share_list(rows: pl.DataFrame, column: str = "share_gdp_pct_latest") -> str:
    return join_words([f"{the(name_of(x['entity']))} ({x[column]:.2f} %)"
                       for x in rows.sort(column, descending=True).iter_rows(named=True)])


def gap_words(r: Result) -> str:
    p, g = r.params, r.gap
    t = f"{p.target_share_pct:g} %"
    est = " (a NATO estimate)" if r.latest_year in r.estimate_years else ""
    above, below = g.filter("already_above"), g.filter(~pl.col("already_above"))
    gdp_words = ("each Ally's real GDP growing at its own average over "
                 f"{r.first_year}–{r.latest_year}" if p.gdp_growth_pct is None else
                 f"real GDP growing {p.gdp_growth_pct:g} % a year for every Ally")
    parts = []
    if above.is_empty():
        parts.append(f"No Ally spent {t} of GDP or more in {r.latest_year}{est}.")
    else:
        listed = (_share_list(above) if above.height <= 5
                  else f"all {above.height} Allies with NATO figures" if below.is_empty()
                  else f"{above.height} Allies")
        verb = "was" if above.height == 1 else "were"
        parts.append(f"{cap(listed)} {verb} already at {t} of GDP or more in "
                     f"{r.latest_year}{est}, and need{'s' if above.height == 1 else ''} no growth "
                     f"to get there.")
        for x in (above.sort("share_gdp_pct_latest", descending=True).iter_rows(named=True)
                  if above.height <= 3 else ()):
            who = the(name_of(x["entity"]))
            parts.append(f"With its real GDP growing {x['gdp_growth_pct_assumed']:.1f} % a year"
                         + (f" (its {r.first_year}–{r.latest_year} average)"
                            if p.gdp_growth_pct is None else "")
                         + f", {who} stays at or above {t} until {p.target_year} as long as its "
                         f"real defence spending grows at least {x['growth_to_stay_pct']:.1f} % "
                         f"a year; slower growth would take it back below.")
        if above.height > 3:
            parts.append(f"The table gives, for each, the lowest real growth of defence "
                         f"spending that keeps it at {t} until {p.target_year}.")
    if below.is_empty():
        return " ".join(parts)
    faster = below.filter("needs_faster_growth")
    parts.append(
        f"For {'the other' if above.height else 'the'} {plural(below.height, 'Ally', 'Allies')} "
        f"the median gap is "
        f"{below['gap_pp'].median():.2f} percentage points; with {gdp_words}, reaching {t} by "
        f"{p.target_year} takes a median real growth of defence spending of "
        f"{below['required_real_growth_pct'].median():.1f} % a year. For "
        f"{faster.height} of these {below.height} that is faster than the Ally's own real "
        f"growth of defence spending over {r.first_year}–{r.latest_year}"
        + (f": {join_words(names(faster['entity']))}." if 0 < faster.height <= 20 else "."))
    brk = below.filter("series_break")
    if p.gdp_growth_pct is None and brk.height:
        ignored = pledge.faster_growth_if_breaks_ignored(g)
        for x in brk.iter_rows(named=True):
            who = the(name_of(x["entity"]))
            parts.append(
                f"{cap(who)}'s GDP growth leaves out the {x['gdp_break_year']} break in NATO's "
                f"GDP series ({x['gdp_growth_pct_assumed']:.1f} % a year); taken across the "
                f"break it would be {x['gdp_growth_pct_across_break']:.1f} % a year.")
        if ignored != faster.height:
            parts.append(f"With the breaks included the count would read {ignored} of "
                         f"{below.height}: that number depends on how the break is handled.")
        else:
            parts.append("The count is the same with the breaks included.")
    return " ".join(parts)


def break_words(r: Result, nato: pl.DataFrame) -> str:
    """What the 'Break in NATO's GDP series' column means, from the data."""
    ordinary = pledge.largest_ordinary_gdp_change(nato)
    if r.breaks.is_empty():
        return (f"No Ally's real GDP in NATO's tables changes by more than "
                f"{pledge.BREAK_THRESHOLD_PCT:g} % in one year (the largest change is "
                f"{ordinary['change_pct']:+.1f} %, {the(name_of(ordinary['entity']))} in "
                f"{ordinary['year']}), so no GDP series break is handled.")
    parts = []
    for b in r.breaks.iter_rows(named=True):
        who, year = the(name_of(b["entity"])), b["year"]
        shares = (nato.filter(pl.col("entity") == b["entity"],
                              pl.col("year").is_in([year - 1, year]))
                  .sort("year")["share_gdp_pct"].to_list())
        share = (f"; its share of GDP moves from {shares[0]:.2f} % to {shares[1]:.2f} %"
                 if len(shares) == 2 and None not in shares else "")
        parts.append(f"NATO's real GDP for {who} changes by {b['change_pct']:+.1f} % from "
                     f"{year - 1} to {year}{share}")
    handling = []
    if r.params.gdp_growth_pct is None:
        handling.append("leaves the step into the break year out of the Ally's average GDP "
                        "growth")
    shifted = r.projection.filter(pl.col("break_year").is_not_null())
    if shifted.height:
        handling.append("lets its straight-line trend shift level in that year, so the trend's "
                        "slope comes from the years within each series and its projection "
                        "continues the new one")
    how = (f"The chapter therefore {' and '.join(handling)}." if handling else
           "With the parameters chosen here neither the GDP growth nor the trend window crosses "
           "it.")
    return (f"**Break in NATO's GDP series.** {'; '.join(parts)}. No other Ally's real GDP "
            f"changes by more than {abs(ordinary['change_pct']):.1f} % in any year "
            f"({the(name_of(ordinary['entity']))}, {ordinary['year']}), so this is taken as a "
            f"change in the GDP series NATO uses, not in output; NATO's tables do not explain "
            f"it. {how} The tables flag the break with its year.")


def trend_words(r: Result) -> str:
    p, ci, reach = r.params, r.count_interval, r.reach
    t = f"{p.target_share_pct:g} %"
    est = estimate_words(r.estimate_years)
    listed = (f": {join_words(names(reach['allies_point']))}"
              if 0 < reach["point"] <= 8 else "")
    text = (f"If each Ally's share of GDP kept to the straight line fitted to its "
            f"{r.window_start}–{r.latest_year} figures ({est}), {ci['point']} of "
            f"{ci['n_allies']} Allies would be at {t} or more in {p.target_year}{listed}. "
            f"Allowing for the uncertainty of those lines, drawn jointly for all Allies "
            f"({ci['n_draws']:,} draws), that number lies between {ci['low']} and {ci['high']} "
            f"(a {pct(ci['level'])} interval for the count; being a whole number, it holds "
            f"{pct(ci['coverage'])} of the draws; mean {ci['mean']:.1f}). A straight line "
            f"describes the past; it is not a forecast and knows nothing of budgets already "
            f"announced.")
    text += (f" Each Ally's own {pct(ci['level'])} prediction interval is in the table: "
             f"{reach['lower_pi']} lie wholly at or above {t} and {reach['upper_pi']} reach it, "
             f"but these two numbers do not bound the count, because Allies do not all land at "
             f"the same end of their intervals.")
    ac, corr = ci["median_residual_autocorrelation"], ci["mean_residual_correlation"]
    if corr is not None:
        text += (f" The joint draws keep the way Allies' deviations from their lines moved "
                 f"together (average correlation {corr:.2f}).")
    if ac is not None and ac > 0.1:
        text += (f" The deviations also persist from year to year (median lag-1 "
                 f"autocorrelation {ac:.2f}), which straight-line intervals ignore: the "
                 f"intervals are, if anything, too narrow.")
    shifted = r.projection.filter(pl.col("break_year").is_not_null())
    if shifted.height:
        text += (f" For {join_words(names(shifted['entity']))} the line shifts level at the "
                 f"break in NATO's GDP series (see above).")
    return text


def comparison_words(r: Result) -> str:
    c, by_ally, by_year = r.comparison, r.comparison_by_ally, r.comparison_by_year
    if c.is_empty():
        return "SIPRI's table has no figures for the Allies and years of NATO's tables."
    latest = by_year.filter(pl.col("year") == r.latest_year)
    first = by_year.filter(pl.col("year") == r.first_year)
    span = f"{r.first_year}–{r.latest_year}"
    close = int((c["difference_pp"].abs() <= CLOSE_PP).sum())
    parts = [f"For the same Ally and year, NATO's share of GDP (tables of {r.edition}) and "
             f"SIPRI's ({r.sipri_edition}) are within {CLOSE_PP:g} percentage points of each "
             f"other in {close} of {c.height} Ally-years over {span}; the mean absolute "
             f"difference is {c['difference_pp'].abs().mean():.2f} points."]
    if latest.height and first.height:
        lt, ft = latest.row(0, named=True), first.row(0, named=True)
        est = (f", NATO's being its estimates of {r.edition}"
               if r.latest_year in r.estimate_years else "")
        down, up = threshold_flips(r, r.latest_year)
        then = (f"{ft['n_at_threshold_nato']} on each" if ft['n_at_threshold_nato']
                == ft['n_at_threshold_sipri'] else
                f"{ft['n_at_threshold_nato']} and {ft['n_at_threshold_sipri']}")
        parts.append(
            f"Small differences matter at a threshold: {lt['n_at_threshold_nato']} of "
            f"{lt['n_allies']} Allies were at 2 % of GDP or more in {r.latest_year} on NATO's "
            f"figures and {lt['n_at_threshold_sipri']} on SIPRI's{est}"
            + (f" ({plural(len(down), 'Ally', 'Allies')} at 2 % on NATO's figures but below it "
               f"on SIPRI's: {join_words(names(down))}" if down else "")
            + (f"; {len(up)} the other way round" if up else "")
            + (")" if down else "") + f"; in {r.first_year}, {then}.")
    lower = by_ally.filter(pl.col("mean_difference_pp") < 0).sort("mean_difference_pp")
    higher = by_ally.filter(pl.col("mean_difference_pp") > 0).sort("mean_difference_pp",
                                                                    descending=True)

    def top(rows):
        return join_words([f"{the(name_of(x['iso3']))} ({x['mean_difference_pp']:+.2f})"
                           for x in rows.head(3).iter_rows(named=True)])

    sides = []
    if lower.height:
        sides.append(f"lower for {plural(lower.height, 'Ally', 'Allies')}, most of all for "
                     f"{top(lower)}")
    if higher.height:
        sides.append(f"higher for {plural(higher.height, 'Ally', 'Allies')}, most of all for "
                     f"{top(higher)}")
    if sides:
        parts.append(f"On average over {span} NATO's figure is {' and '.join(sides)} "
                     f"(mean difference, points).")
    price = definitions.price_basis_effect(c)
    parts.append(f"NATO's choice of 2015 prices explains little: its share at 2015 prices "
                 f"and its share at current prices agree to 0.01 points in "
                 f"{price['n_rows'] - price['n_differ']} of {price['n_rows']} Ally-years "
                 f"(largest gap {price['largest_pp']:.2f} points).")
    all_est = by_ally.filter(pl.col("sipri_estimate_years") == pl.col("n_years"))
    some_est = by_ally.filter(pl.col("sipri_estimate_years").is_between(1, pl.col("n_years") - 1))
    if all_est.height:
        parts.append(f"SIPRI marks every figure for {join_words(names(all_est['iso3']))} in "
                     f"these years as its own estimate.")
    if some_est.height:
        parts.append(f"SIPRI marks some figures for {join_words(names(some_est['iso3']))} as "
                     f"its own estimates.")
    for b in r.breaks.iter_rows(named=True):
        rows = c.filter(pl.col("iso3") == b["entity"])
        before = rows.filter(pl.col("year") < b["year"])["difference_pp"]
        after = rows.filter(pl.col("year") >= b["year"])["difference_pp"]
        if before.len() and after.len():
            parts.append(f"For {the(name_of(b['entity']))} the difference averages "
                         f"{before.mean():+.2f} points before the {b['year']} break in NATO's "
                         f"GDP series and {after.mean():+.2f} from {b['year']} on.")
    return " ".join(parts)


def threshold_flips(r: Result, year: int,
                    threshold: float = CLAIM_THRESHOLD_PCT) -> tuple[list[str], list[str]]:
    """Counted Allies at ``threshold`` on NATO's figures but not on SIPRI's, and the reverse."""
    counted = r.status.filter(pl.col("year") == year, pl.col("counted"))["entity"].to_list()
    rows = r.comparison.filter(pl.col("year") == year, pl.col("iso3").is_in(counted))
    nato_at = pl.col("nato_share_pct") >= threshold
    sipri_at = pl.col("sipri_share_pct") >= threshold
    return (sorted(rows.filter(nato_at & ~sipri_at)["iso3"].to_list()),
            sorted(rows.filter(~nato_at & sipri_at)["iso3"].to_list()))


def footnote_words(r: Result) -> str:
    """SIPRI's footnotes on what its figures for an Ally include or leave out (only for the
    release they were quoted from)."""
    if r.sipri_source != definitions.SIPRI_FOOTNOTES_SOURCE:
        return ""
    allies = set(r.comparison["iso3"])
    lines = [f"- **{name_of(code)}**: \u201c{note}\u201d"
             for code, note in sorted(definitions.SIPRI_FOOTNOTES.items(),
                                      key=lambda kv: name_of(kv[0])) if code in allies]
    if not lines:
        return ""
    return (f"SIPRI's footnotes ({r.sipri_edition}) on what its figures for some Allies "
            f"include or leave out:\n\n" + "\n".join(lines))


def summary_words(r: Result) -> str:
    """The summary's two bullets (the summary prefixes the first with '- ')."""
    p, ci = r.params, r.count_interval
    c0 = r.counts.filter(pl.col("year") == r.first_year).row(0, named=True)
    c1 = r.counts.filter(pl.col("year") == r.latest_year).row(0, named=True)
    met0 = pledge.allies_meeting(r.status, r.first_year, "gdp")
    est = " (NATO estimates)" if r.latest_year in r.estimate_years else ""
    sipri = r.comparison_by_year.filter(pl.col("year") == r.latest_year)
    guideline = (f"**The 2 % guideline.** On NATO's figures (tables of {r.edition}) "
                 f"{c0['n_meeting_gdp']} "
                 f"of {c0['n_allies_with_data']} Allies spent at least 2 % of GDP in "
                 f"{r.first_year}" + (f" ({join_words(names(met0))})" if len(met0) <= 5 else "")
                 + f" and {c1['n_meeting_gdp']} of {c1['n_allies_with_data']} in "
                 f"{r.latest_year}{est}.")
    if sipri.height:
        s = sipri.row(0, named=True)
        down, _ = threshold_flips(r, r.latest_year)
        gap_max = r.comparison.filter(pl.col("year") == r.latest_year,
                                      pl.col("iso3").is_in(down))["difference_pp"].abs().max()
        guideline += (f" On SIPRI's figures ({r.sipri_edition}) {s['n_at_threshold_sipri']} "
                      f"were at 2 % in {r.latest_year}"
                      + (f": for {plural(len(down), 'Ally', 'Allies')} NATO's figure is at 2 % "
                         f"or more and SIPRI's below it, by at most {gap_max:.2f} points (the "
                         f"two publishers' definitions and data differ)." if down else "."))
    t = f"{p.target_share_pct:g} %"
    above = r.gap.filter("already_above")
    below = r.gap.filter(~pl.col("already_above"))
    faster = int(below["needs_faster_growth"].sum())
    if p.at_hague_target():
        lead = (f"**The Hague commitment.** Allies committed in June 2025 to {t} of GDP on core "
                f"defence by {p.target_year}.")
    else:
        lead = (f"**The Hague commitment.** Allies committed in June 2025 to "
                f"{pledge.TARGET_SHARE_PCT:g} % of GDP on core defence by {pledge.TARGET_YEAR}; "
                f"this report tests {t} by {p.target_year}.")
    if above.is_empty():
        now = f" No Ally was at {t} or more in {r.latest_year}{est}."
    elif above.height <= 5:
        now = (f" In {r.latest_year}{est} {_share_list(above)} "
               f"{'was' if above.height == 1 else 'were'} already at {t} or more.")
    else:
        now = f" In {r.latest_year}{est} {above.height} Allies were already at {t} or more."
    listed = (f" ({join_words(names(r.reach['allies_point']))})"
              if 0 < ci["point"] <= 5 else "")
    trend = (f" If each Ally's {r.window_start}–{r.latest_year} straight-line trend continued, "
             f"{ci['point']} of {ci['n_allies']} would be there by {p.target_year}{listed}; "
             f"allowing for the trends' uncertainty, between {ci['low']} and {ci['high']} "
             f"({pct(ci['level'])} interval for the count). A trend line is not a forecast.")
    growth = ""
    if below.height:
        growth = (f" {faster} of the {plural(below.height, 'Ally', 'Allies')} below {t} would "
                  f"need faster real growth of defence spending than they achieved in "
                  f"{r.first_year}–{r.latest_year}")
        ignored = pledge.faster_growth_if_breaks_ignored(r.gap)
        brk = below.filter("series_break")
        if ignored != faster and brk.height:
            growth += (f" ({ignored} if GDP growth were measured across the break in NATO's "
                       f"GDP series for {join_words(names(brk['entity']))})")
        growth += "."
    return guideline + "\n- " + lead + now + trend + growth


