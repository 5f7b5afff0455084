"""Chapter 6: what the publishers changed between editions, for the same years.

SIPRI revises whole series with each release and neither SIPRI nor NATO shows what changed. This
chapter sets two releases of SIPRI's military expenditure database (April 2025 and April 2026,
v1.2) and two editions of its Top 100 (December 2024 and 2025) side by side: the Allies' shares
of GDP, the count of Allies at a threshold, each year's Top 100 total and the company ranks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import polars as pl

from .. import data, revisions
from . import ChapterResult
from ..params import Parameters, check_int, param
from ..prose import revisions as words
from ..prose.revisions import edition_name  # noqa: F401  (the notebook names editions with it)

NOTEBOOK = "06_revisions"
TITLE = "What the publishers revised between editions"
MILEX = ("sipri_milex_2024", "sipri_milex_2025")  # older, newer
TOP100 = ("sipri_top100_2023", "sipri_top100_2024")  # older, newer
#: SIPRI's own totals file for the older Top 100 edition: a check on the sum of its rows.
TOP100_TOTALS = "sipri_top100_totals"
READS = (*MILEX, *TOP100, TOP100_TOTALS, "nato_membership")
SOURCES = (*MILEX, *TOP100, TOP100_TOTALS)
N_LARGEST = 10


@dataclass(frozen=True)
class Params(Parameters):
    # years: up to the last year both releases (editions) cover (check_data)
    start_year: int = param(2014, "first year compared (SIPRI shares of GDP)",
                            bounds=(1949, 2100), whole=True, examples=(2000,), invalid=(1800,))
    threshold_pct: float = param(2.0, "share of GDP counted as 'at the line', %",
                                 bounds=(0.5, 10), examples=(3.5,), invalid=(0,))
    top100_year: int | None = param(None, "Top 100 year whose company ranks are compared",
                                    bounds=(2002, 2100), whole=True,
                                    none_means="the latest year both editions cover",
                                    examples=(2020,), invalid=(2030,))

    def check_data(self, processed_dir=None) -> None:
        last = revisions.last_common_year(*(data.table(t, processed_dir) for t in MILEX))
        check_int("start_year", self.start_year, 1949, last)
        if self.top100_year is not None:  # the editions' common years run without a gap
            years = revisions.common_years(*(data.table(t, processed_dir) for t in TOP100))
            check_int("top100_year", self.top100_year, min(years), max(years))


@dataclass(frozen=True)
class Result(ChapterResult):
    params: Params
    years: tuple[int, int]
    shares: pl.DataFrame  # revisions.share_revisions
    largest: pl.DataFrame
    counts: pl.DataFrame  # revisions.threshold_counts
    per_year: pl.DataFrame  # revisions.revision_summary
    totals: pl.DataFrame  # revisions.compare_totals, with SIPRI's published totals
    ranks: pl.DataFrame  # revisions.compare_ranks for top100_year
    top100_year: int
    editions = (MILEX, TOP100)  # the words name them

    text = cached_property(words.sentences)
    tables = cached_property(words.tables)
    headlines = words.headlines


def run(params: Params | None = None, processed_dir=None) -> Result:
    p = params or Params()
    p.check_data(processed_dir)
    older, newer, top_old, top_new, published, membership = (
        data.table(t, processed_dir) for t in READS)
    end = revisions.last_common_year(older, newer)
    shares = revisions.share_revisions(older, newer, membership, range(p.start_year, end + 1))
    top_year = p.top100_year or max(revisions.common_years(top_old, top_new))
    return Result(
        params=p, years=(p.start_year, end), shares=shares,
        largest=revisions.largest_revisions(shares, N_LARGEST),
        counts=revisions.threshold_counts(shares, p.threshold_pct),
        per_year=revisions.revision_summary(shares),
        totals=revisions.with_published_totals(revisions.compare_totals(top_old, top_new),
                                               published),
        ranks=revisions.compare_ranks(top_old.filter(pl.col("year") == top_year),
                                      top_new.filter(pl.col("year") == top_year)),
        top100_year=top_year)
