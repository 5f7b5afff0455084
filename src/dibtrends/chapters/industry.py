"""Chapter 3: from 51 US primes to the "Big Five", and who holds the SIPRI Top 100.

Two published claims get a verdict: ``fifty_one_to_five`` against the US DoD's own count
(February 2022, transcribed with its citation, not recomputed), and ``seven_of_ten`` on the newest
SIPRI Top 100, always for the top 10 of 2024 on the published lists whatever the parameters.
Concentration (CR5, CR_k, HHI) is context: no NATO document at hand claims it, so no verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import polars as pl

from .. import data, industry, sources
from . import ChapterResult
from ..params import Parameters, check_year_range, param
from ..prose import industry as words
from ..prose.industry import CLAIM_COUNT, CLAIM_K, CLAIM_PRIMES, CLAIM_YEAR
from ..results import NOT_CHECKABLE, NOT_SUPPORTED, REPRODUCED, Claim

NOTEBOOK = "03_industry_consolidation"
TITLE = "Defence-industry consolidation"
#: The newest SIPRI Top 100 edition (``dibtrends.load.sipri_top100.NEWEST``).
TOP100 = "sipri_top100_2024"
READS = (TOP100, "nato_membership", "dod_consolidation_2022", "merger_timeline")
SOURCES = (TOP100,)
SECTION_PRIMES = "sec-industry-primes"
SECTION_TOP10 = "sec-industry-top10"


@dataclass(frozen=True)
class Params(Parameters):
    # years: of the Top 100 edition, the first before the last (check_data)
    start_year: int = param(2002, "first year", examples=(2015,), invalid=(1990,))
    end_year: int | None = param(None, "last year", none_means="the latest year of the edition",
                                 examples=(2023,), invalid=(2030,))
    top_k: int = param(10, "size of the top group (concentration ratio and NATO count)",
                       bounds=(1, 100), whole=True, examples=(5,), invalid=(0,))
    exclude_china: bool = param(False, "Chinese firms", choices=[False, True],
                                value_words={False: "kept, as published",
                                             True: "removed before shares are computed"},
                                examples=(True,), invalid=("yes",))

    def check_data(self, processed_dir=None) -> tuple[int, int]:
        years = data.table(TOP100, processed_dir)["year"].unique().to_list()
        return check_year_range(self.start_year, self.end_year, years, min_span=1)


@dataclass(frozen=True)
class Result(ChapterResult):
    params: Params
    edition: str  # the Top 100 edition, in words ('December 2025 release')
    start_year: int  # the window, resolved (end_year None -> the latest year)
    end_year: int
    data_start_year: int  # the edition's first and last years
    data_end_year: int
    measures: pl.DataFrame  # industry.headline_measures over the window (both series)
    sizes: pl.DataFrame  # industry.annual_totals over the window (both series)
    regional: pl.DataFrame  # industry.regional_shares over the window
    top_counts: pl.DataFrame  # industry.top_k_region_counts of the top_k: the chart's data
    nato: pl.DataFrame  # industry.top10_nato_count of the top_k
    claim_top: pl.DataFrame  # the top CLAIM_K of CLAIM_YEAR, published lists (empty if absent)
    claim_prev_top: pl.DataFrame  # the same for the year before, for what changed
    dod: pl.DataFrame
    mergers: pl.DataFrame
    claims: tuple[Claim, ...]
    source_id = TOP100  # the edition the headlines name

    text = cached_property(words.sentences)
    titles = cached_property(words.titles)  # chart -> title and subtitle
    tables = cached_property(words.tables)
    headlines = words.headlines

    @property
    def series(self) -> str:
        return industry.SERIES_EXCL_CHINA if self.params.exclude_china else \
            industry.SERIES_PUBLISHED

    def claim(self, claim_id: str) -> Claim:
        return next(c for c in self.claims if c.id == claim_id)

    def value(self, measure: str, year: int, series: str | None = None) -> float | None:
        return industry.value_at(self.measures, measure, year, series or self.series)


def claim_fifty_one_to_five(dod: pl.DataFrame, big_us: pl.DataFrame, year: int) -> Claim:
    """The DoD's count against the claim's 51 into five; ``big_us``: the five largest US
    companies of ``year`` in the Top 100 (who the five are today)."""
    p = words.primes(dod)
    verdict = REPRODUCED if (p["count_before"], p["count_after"]) == CLAIM_PRIMES else NOT_SUPPORTED
    return words.fifty_one_to_five(p, big_us["company"].to_list(), year, verdict,
                                   chapter=NOTEBOOK, section=SECTION_PRIMES)


def claim_seven_of_ten(claim_top: pl.DataFrame, data_end_year: int, edition: str,
                       membership: pl.DataFrame) -> Claim:
    """'Seven of the top 10 as of 2024', always on the top CLAIM_K of CLAIM_YEAR."""
    where = {"chapter": NOTEBOOK, "section": SECTION_TOP10}
    if not claim_top.height:
        return words.seven_of_ten(claim_top, None, NOT_CHECKABLE, edition, data_end_year, **where)
    # Counted as NATO only by this chapter's rules: Trans-European firms, and Allies counted
    # from the year they joined.
    joined_late = membership.filter(pl.col("accession_date").dt.year() >= CLAIM_YEAR - 1)["iso3"]
    sensitive = claim_top.filter(pl.col("nato") & (pl.col("trans_european") | pl.col(
        "hq_iso3").is_in(joined_late.to_list())))["company"].to_list()
    verdict = REPRODUCED if int(claim_top["nato"].sum()) == CLAIM_COUNT else NOT_SUPPORTED
    return words.seven_of_ten(claim_top, sensitive, verdict, edition, data_end_year, **where)


def run(params: Params | None = None, processed_dir=None) -> Result:
    """Compute chapter 3 from the processed Top 100 edition and the curated tables."""
    p = params or Params()
    start, end = p.check_data(processed_dir)
    top100_all, membership, dod, mergers = (data.table(t, processed_dir) for t in READS)
    edition = sources.get(TOP100).edition
    data_end = int(top100_all["year"].max())
    window = top100_all.filter(pl.col("year").is_between(start, end))
    claim_top, claim_prev_top = (
        industry.top_k_by_region(top100_all.filter(year=y), membership, k=CLAIM_K)
        for y in (CLAIM_YEAR, CLAIM_YEAR - 1))
    big_us = top100_all.filter(year=data_end, hq_iso3="USA").sort("rank").head(5)
    top = industry.top_k_by_region(window, membership, k=p.top_k, exclude_china=p.exclude_china)
    return Result(
        params=p, edition=edition.split(" (")[0], start_year=start, end_year=end,
        data_start_year=int(top100_all["year"].min()), data_end_year=data_end,
        measures=industry.headline_measures(window, k=p.top_k),
        sizes=industry.with_series(industry.annual_totals, window),
        regional=industry.regional_shares(window, membership, exclude_china=p.exclude_china),
        top_counts=industry.top_k_region_counts(top), nato=industry.top10_nato_count(top),
        claim_top=claim_top, claim_prev_top=claim_prev_top, dod=dod, mergers=mergers,
        claims=(claim_fifty_one_to_five(dod, big_us, data_end),
                claim_seven_of_ten(claim_top, data_end, edition, membership)))
