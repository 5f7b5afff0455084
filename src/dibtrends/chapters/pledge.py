"""Chapter 4: NATO's 2 % and 20 % guidelines, The Hague's core-defence target, and NATO's figures
against SIPRI's; the notebook ``04_guidelines_and_pledge`` calls :func:`run`.

No edition's years are written here: first, latest and estimate years come from NATO's table,
the editions from the registry through the tables' ``source_id``. ``target_share_pct`` and
``target_year`` are shared with every Ally profile, which declares and checks them with the
functions below, so both pages take the same values, words and limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import polars as pl

from .. import data, definitions, equipment, pledge, sources
from . import ChapterResult
from ..errors import ParameterError
from ..params import Parameters, param
from ..prose import pledge as prose
from ..prose import pledge_tables
from ..prose.equipment import edition_words
from ..results import NOT_CHECKABLE, NOT_SUPPORTED, REPRODUCED, Claim
from ..stats import counts

NOTEBOOK = "04_guidelines_and_pledge"
TITLE = "NATO's guidelines and the 2035 pledge"
READS = ("nato_defexp", "nato_membership", "sipri_milex_2025")
NATO_SOURCE = sources.newest("nato_defexp").id  # the table holds the newest edition
SIPRI_SOURCE = "sipri_milex_2025"
#: The registry ids the chapter reads; the record names the ones in the tables' ``source_id``.
SOURCES = (NATO_SOURCE, SIPRI_SOURCE)
SECTION = "sec-pledge-claim"
#: "In 2014 only Greece, the United Kingdom and the United States spent 2 % of GDP or more":
#: always checked for this year, threshold and these Allies, whatever the parameters.
CLAIM_YEAR = 2014
CLAIM_ALLIES = ("GBR", "GRC", "USA")
CLAIM_THRESHOLD_PCT = pledge.GDP_GUIDELINE_PCT
#: A straight line needs some years: the trend window spans at least this many.
MIN_TREND_YEARS = 6
MAX_TARGET_YEAR = 2050


def target_share_param():
    """The shared parameter ``target_share_pct`` (chapter 4 and every Ally profile)."""
    return param(pledge.TARGET_SHARE_PCT, "core-defence target, % of GDP", bounds=(0.5, 10),
                 examples=(5.0,), invalid=(0, 12), shared=True)


def target_year_param():
    """The shared parameter ``target_year`` (chapter 4 and every Ally profile), checked by
    :func:`check_target_year` and :func:`check_targets_data`."""
    return param(pledge.TARGET_YEAR, "target year", examples=(2030,), invalid=(2020, 2060),
                 shared=True)


def _whole(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and value == int(value)


def check_target_year(target_year) -> None:
    """The check of the shared ``target_year`` that needs no data."""
    if not _whole(target_year) or not 1950 <= target_year <= MAX_TARGET_YEAR:
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
        None, "real GDP growth assumed, % a year", bounds=(-5, 10),
        none_means="each Ally's own average over NATO's years", examples=(1.5,),
        invalid=(20, "fast"))
    trend_window_start: int | None = param(
        None, "first year of the trend window",
        none_means="the first year of NATO's tables", examples=(2018,), invalid=(2010, 2023))

    def check(self) -> None:
        check_target_year(self.target_year)
        start = self.trend_window_start
        if start is not None and not _whole(start):
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


@dataclass(frozen=True)
class Result(ChapterResult):
    params: Params
    nato_source: str  # registry id of the NATO table read (its source_id)
    sipri_source: str
    edition: str  # NATO's edition, in words
    sipri_edition: str
    first_year: int
    latest_year: int
    estimate_years: tuple[int, ...]
    window_start: int
    status: pl.DataFrame  # pledge.guideline_status
    counts: pl.DataFrame  # pledge.guideline_counts
    gap: pl.DataFrame  # pledge.pledge_gap
    faster_if_breaks_ignored: int  # pledge.faster_growth_if_breaks_ignored
    projection: pl.DataFrame  # pledge.fit_trends, projection
    count_interval: counts.CountInterval  # the count on trend and its joint interval
    breaks: pl.DataFrame  # pledge.gdp_series_breaks, with the shares either side
    ordinary_gdp_change: dict  # pledge.largest_ordinary_gdp_change
    comparison: pl.DataFrame  # definitions.nato_vs_sipri, every Ally and year
    comparison_by_ally: pl.DataFrame  # definitions.by_ally
    comparison_by_year: pl.DataFrame  # definitions.by_year, counted Allies
    flips: tuple[list[str], list[str]]  # definitions.threshold_flips, latest year
    break_differences: list  # definitions.break_differences
    price_effect: dict  # definitions.price_basis_effect
    claim: Claim

    text = cached_property(prose.sentences)
    tables = cached_property(pledge_tables.tables)

    headlines = pledge_tables.headlines

    def record_sources(self) -> tuple[str, ...]:
        return (self.nato_source, self.sipri_source)


def claim_verdict(status: pl.DataFrame, comparison: pl.DataFrame, edition: str,
                  sipri_edition: str) -> Claim:
    """The three-Allies claim on NATO's figures for CLAIM_YEAR and CLAIM_THRESHOLD_PCT (never
    the parameters), with SIPRI's figures beside them."""
    year_rows = status.filter(pl.col("year") == CLAIM_YEAR, pl.col("counted"),
                              pl.col("share_gdp_pct").is_not_null())
    meeting = year_rows.filter(pl.col("share_gdp_pct") >= CLAIM_THRESHOLD_PCT)
    sipri = comparison.filter(pl.col("year") == CLAIM_YEAR,
                              pl.col("iso3").is_in(list(set(year_rows["entity"]))))
    sipri_meeting = (sorted(sipri.filter(pl.col("sipri_share_pct") >= CLAIM_THRESHOLD_PCT)
                            ["iso3"]) if sipri.height else None)
    same = sorted(meeting["entity"].to_list()) == sorted(CLAIM_ALLIES)
    verdict = (NOT_CHECKABLE if year_rows.is_empty() else REPRODUCED if same else NOT_SUPPORTED)
    return Claim(id="three_at_two_percent", verdict=verdict, chapter=NOTEBOOK, section=SECTION,
                 **prose.claim(verdict, year_rows, meeting, sipri_meeting, CLAIM_ALLIES,
                               CLAIM_YEAR, CLAIM_THRESHOLD_PCT, edition, sipri_edition))


def run(params: Params | None = None, processed_dir=None) -> Result:
    """Compute chapter 4 from NATO's tables and SIPRI's share of GDP."""
    p = params or Params()
    p.check_data(processed_dir)
    nato = data.table("nato_defexp", processed_dir)
    membership = data.table("nato_membership", processed_dir)
    sipri = data.table("sipri_milex_2025", processed_dir)
    first, latest = int(nato["year"].min()), int(nato["year"].max())
    window_start = p.trend_window_start or first
    nato_source, sipri_source = nato["source_id"][0], sipri["source_id"][0]
    edition = edition_words(nato_source)
    sipri_edition = prose.release_words(sipri_source)
    breaks = pledge.gdp_series_breaks(nato)
    status = pledge.guideline_status(nato, membership)
    gap = pledge.pledge_gap(nato, membership, target_share_pct=p.target_share_pct,
                            target_year=p.target_year, gdp_growth_pct=p.gdp_growth_pct,
                            breaks=breaks)
    projection, residuals = pledge.fit_trends(nato, membership, window_start=window_start,
                                              target_year=p.target_year, breaks=breaks)
    comparison = definitions.nato_vs_sipri(nato, sipri)
    counted = status.select(pl.col("entity").alias("iso3"), "year", "counted")
    return Result(
        params=p, nato_source=nato_source, sipri_source=sipri_source, edition=edition,
        sipri_edition=sipri_edition, first_year=first, latest_year=latest,
        estimate_years=tuple(equipment.estimate_years(nato)), window_start=window_start,
        status=status, counts=pledge.guideline_counts(status), gap=gap,
        faster_if_breaks_ignored=pledge.faster_growth_if_breaks_ignored(gap),
        projection=projection,
        count_interval=counts.trend_count_interval(
            projection, residuals, p.target_share_pct, n_draws=pledge.TREND_DRAWS,
            seed=pledge.TREND_SEED),
        breaks=pledge.shares_across_breaks(nato, breaks),
        ordinary_gdp_change=pledge.largest_ordinary_gdp_change(nato),
        comparison=comparison, comparison_by_ally=definitions.by_ally(comparison),
        comparison_by_year=definitions.by_year(comparison, CLAIM_THRESHOLD_PCT, counted),
        flips=definitions.threshold_flips(comparison, counted, latest, CLAIM_THRESHOLD_PCT),
        price_effect=definitions.price_basis_effect(comparison),
        break_differences=definitions.break_differences(comparison, breaks),
        claim=claim_verdict(status, comparison, edition, sipri_edition))

