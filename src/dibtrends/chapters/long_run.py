"""Chapter 1: did Allies' defence spending break with "sixty years of progressive decline"?

Composes the analysis (:mod:`dibtrends.spending`, :mod:`dibtrends.stats.breaks`) into what the
page shows; its words are in :mod:`dibtrends.prose.long_run`. The claims are checked one way
whatever the parameters (``spending.CLAIM_RULE``, every year, trends from the first complete year).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import polars as pl

from .. import data
from .. import spending as sp
from ..errors import ParameterError
from ..membership import RULES, membership_panel
from ..params import Parameters, check_year_range, param
from ..prose import long_run as words
from ..prose import long_run_tables
from ..prose.equipment import edition_words
from ..results import CONDITIONAL, NOT_SUPPORTED, REPRODUCED, Claim
from ..stats.breaks import SegmentedTrend
from . import ChapterResult

NOTEBOOK = "01_long_run_spending"
TITLE = "Sixty years of progressive decline? NATO military spending as a share of GDP"
SIPRI_SOURCE = "sipri_milex_2025"
GMSD_SOURCE, NMC_SOURCE = "owid_gmsd", "cow_nmc6"
READS = (SIPRI_SOURCE, "nato_membership", GMSD_SOURCE, NMC_SOURCE)
SOURCES = (SIPRI_SOURCE, GMSD_SOURCE, NMC_SOURCE)
DEFAULT_GROUPS = ("NATO total", "NATO Europe and Canada", "United States")
#: Years a trend fit needs at least (four segments of six years leave room for three breaks).
MIN_TREND_YEARS = 20
SECTION = "sec-long-run-claims"


@dataclass(frozen=True)
class Params(Parameters):
    # years: of SIPRI's data, MIN_TREND_YEARS apart at least (window)
    start_year: int = param(1949, "first year shown", examples=(1960,), invalid=(1900,))
    end_year: int | None = param(None, "last year shown",
                                 none_means="the latest year in the data", examples=(2020,),
                                 invalid=(2030,))
    membership_rule: str = param("accession", "Allies counted", choices=list(RULES),
                                 value_words={"accession": "each from the year it joined",
                                              "cold_war_16": "the same 16 Allies of 1982-1990 "
                                                             "in every year"},
                                 examples=("cold_war_16",), invalid=("founders",))
    groups: tuple = param(DEFAULT_GROUPS, "groups shown",
                          examples=(("NATO total", "United States"),), invalid=(("EU",),))
    trend_start_year: int | None = param(
        None, "first year of the trend fits", bounds=(1949, 2100), whole=True,
        none_means="the first year in which every counted Ally has SIPRI data",
        examples=(1970,), invalid=(2020,))
    n_boot: int = param(499, "bootstrap draws per break test", bounds=(99, 9999), whole=True,
                        examples=(199,), invalid=(10,))

    def check(self) -> None:
        groups = [self.groups] if isinstance(self.groups, str) else list(self.groups or [])
        bad = [g for g in groups if g not in sp.GROUPS]
        if not groups or bad or len(set(groups)) != len(groups):
            raise ParameterError(
                f"parameter groups={self.groups!r} is not allowed; allowed: one or more of "
                f"{', '.join(repr(g) for g in sp.GROUPS)}, each once.")
        object.__setattr__(self, "groups", tuple(groups))

    def check_data(self, processed_dir=None) -> None:
        self.window(processed_dir)

    def window(self, processed_dir=None) -> tuple[int, int, int]:
        """(first year, last year, first year of the trend fits), checked against the data."""
        milex = data.table(SIPRI_SOURCE, processed_dir)
        start, end = check_year_range(self.start_year, self.end_year, milex["year"].to_list(),
                                      min_span=MIN_TREND_YEARS)
        latest_start = end - MIN_TREND_YEARS
        if self.trend_start_year is not None:
            if not start <= self.trend_start_year <= latest_start:
                raise ParameterError(
                    f"parameter trend_start_year={self.trend_start_year} is out of range; "
                    f"allowed: {start} (the first year shown) to {latest_start} "
                    f"({MIN_TREND_YEARS} years before the last year shown, {end}).")
            return start, end, self.trend_start_year
        complete = sp.first_complete_year(sp.shares_by_rule(
            milex, data.table("nato_membership", processed_dir), range(start, end + 1),
            (self.membership_rule,))[self.membership_rule])
        if complete > latest_start:
            raise ParameterError(
                f"parameters start_year={start} and end_year={end} leave fewer than "
                f"{MIN_TREND_YEARS} years after {complete}, the first year every counted Ally "
                f"has SIPRI data; allowed: an end_year from {complete + MIN_TREND_YEARS}, or "
                f"set trend_start_year.")
        return start, end, complete


@dataclass(frozen=True)
class Result(ChapterResult):
    params: Params
    edition: str
    start_year: int  # the window actually used (None resolved)
    end_year: int
    trend_start: int
    first_complete: int  # first year every counted Ally has a share (chosen rule, window)
    shares_by_rule: dict  # rule -> spending.alliance_shares over the window
    peaks: pl.DataFrame  # spending.peaks_and_troughs, every group
    eras: pl.DataFrame
    by_era: pl.DataFrame  # NATO total, GDP-weighted, by period
    fits: dict[str, SegmentedTrend]  # measure -> trend, chosen rule, from trend_start
    checks: pl.DataFrame  # spending.decline_checks, both rules, window
    zero: list  # Allies SIPRI records at 0 % of GDP (in the mean, not the weighted share)
    mean_without_zero: float | None  # the lowest simple mean without them
    context_share: pl.DataFrame  # GMSD share of GDP before 1949
    context_spending: pl.DataFrame  # NMC spending, US$ bn at the prices of the year
    context: dict  # spending.context: what the text says of the years before 1949
    us_share: float | None
    at_2pct: pl.DataFrame  # Allies at 2 % or more in TWO_PCT_YEAR, SIPRI
    estimated: list  # Allies whose end-year figure SIPRI marks as its estimate
    claims: tuple

    text = cached_property(lambda self: words.sentences(self) | long_run_tables.appendix(self))
    tables = cached_property(long_run_tables.tables)

    @property
    def shares(self) -> pl.DataFrame:
        return self.shares_by_rule[self.params.membership_rule]

    @property
    def nato_total(self) -> pl.DataFrame:
        return self.shares.filter(pl.col("group") == "NATO total")

    def peak(self, measure: str) -> dict:
        return self.peaks.filter(group="NATO total", measure=measure).row(0, named=True)

    def check(self, measure: str) -> dict:
        rule = self.params.membership_rule
        return self.checks.filter(rule=rule, measure=measure).row(0, named=True)

    headlines = long_run_tables.headlines


def _fits(shares: pl.DataFrame, start: int, n_boot: int) -> dict[str, SegmentedTrend]:
    return {m: sp.segmented_trend(sp.measure_series(shares, m, start), value=col, n_boot=n_boot)
            for m, col in sp.MEASURES.items()}


def _claims(milex, members, us_share: float | None, edition: str, n_boot: int
            ) -> tuple[Claim, Claim]:
    """Both claims, checked one way whatever the parameters: CLAIM_RULE, every year, trends from
    the first complete year (the fits are cached: at the defaults this costs nothing more)."""
    years = range(milex["year"].min(), milex["year"].max() + 1)
    shares = sp.shares_by_rule(milex, members, years, (sp.CLAIM_RULE,))
    rows = {r["measure"]: r for r in sp.decline_checks(shares, n_boot=n_boot).iter_rows(
        named=True)}
    fits = _fits(shares[sp.CLAIM_RULE], sp.first_complete_year(shares[sp.CLAIM_RULE]), n_boot)
    holding = [m for m in sp.MEASURES if rows[m]["holds"]]
    if len(holding) == len(rows) and all(rows[m]["robust"] for m in holding):
        verdict = REPRODUCED
    else:
        verdict = CONDITIONAL if holding else NOT_SUPPORTED
    sixty = Claim(id="sixty_years", verdict=verdict, chapter=NOTEBOOK, section=SECTION,
                  short=long_run_tables.sixty_years_short(rows),
                  **words.sixty_years_claim(rows, fits, edition, n_boot,
                                            sp.zero_share_allies(shares[sp.CLAIM_RULE])))
    holds = (us_share is not None
             and abs(us_share - sp.US_CLAIM_PCT) <= sp.US_CLAIM_TOLERANCE + 1e-9)
    return sixty, Claim(id="us_share", verdict=REPRODUCED if holds else NOT_SUPPORTED,
                        chapter=NOTEBOOK, section=SECTION,
                        **words.us_share_claim(us_share, holds, edition))


def run(params: Params | None = None, processed_dir=None) -> Result:
    """Compute chapter 1 from the processed SIPRI, membership, GMSD and NMC tables."""
    p = params or Params()
    start, end, trend_start = p.window(processed_dir)
    milex = data.table(SIPRI_SOURCE, processed_dir)
    members = data.table("nato_membership", processed_dir)
    gmsd, nmc = data.table(GMSD_SOURCE, processed_dir), data.table(NMC_SOURCE, processed_dir)
    edition = edition_words(SIPRI_SOURCE)
    by_rule = sp.shares_by_rule(milex, members, range(start, end + 1))
    shares = by_rule[p.membership_rule]
    peaks = sp.peaks_and_troughs(shares)
    zero = sp.zero_share_allies(shares)
    low_year = peaks.filter(group="NATO total", measure="mean")["trough_year"].item()
    at_2pct = sp.allies_at_or_above(milex, membership_panel(members, [sp.TWO_PCT_YEAR]),
                                    sp.TWO_PCT_YEAR, sp.TWO_PCT).filter(pl.col("meets_threshold"))
    us = milex.filter((pl.col("iso3") == "USA") & (pl.col("year") == sp.US_CLAIM_YEAR))
    us_share = us["share_gdp_pct"].item() if us.height else None
    eras = sp.eras()
    context_share, context_spending = sp.gmsd_context(gmsd), sp.nmc_context(nmc)
    return Result(
        params=p, edition=edition, start_year=start, end_year=end, trend_start=trend_start,
        first_complete=sp.first_complete_year(shares), shares_by_rule=by_rule, peaks=peaks,
        eras=eras, by_era=sp.trend_by_era(shares.filter(pl.col("group") == "NATO total"), eras),
        fits=_fits(shares, trend_start, p.n_boot),
        checks=sp.decline_checks(by_rule, start_year=trend_start, n_boot=p.n_boot), zero=zero,
        mean_without_zero=sp.mean_without(shares, low_year, zero),
        context_share=context_share, context_spending=context_spending,
        context=sp.context(context_share, context_spending, gmsd, milex),
        us_share=us_share, at_2pct=at_2pct, estimated=sp.estimated_allies(
            milex, membership_panel(members, [end], p.membership_rule), end),
        claims=_claims(milex, members, us_share, edition, p.n_boot))
