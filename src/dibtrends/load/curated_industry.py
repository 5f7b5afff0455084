"""Curated, cited facts on defence-industry consolidation (``data/curated/``).

These are facts the project transcribed from public documents, not data it computed:

* ``dod_consolidation_2022.csv``: supplier counts "1990s -> 2022" from the US Department of
  Defense (OUSD(A&S)) report *State of Competition within the Defense Industrial Base*,
  February 2022. Only figures quoted from the report by at least two independent outlets are
  kept; the primary PDF could not be opened from this environment, so ``page`` says
  ``not verified`` and ``corroborated_by`` names the outlets that quote the report.
* ``merger_timeline.csv``: dated events that formed the US "Big Five" and Europe's
  multinational primes. ``date`` is given only where the cited source gives the day of
  completion (or of the named event); otherwise the year alone.

Every row carries a ``citation``; the schemas below reject a row without one.
"""

from __future__ import annotations

from pathlib import Path

import pandera.polars as pa
import polars as pl

from .. import paths, validate
from . import workbook

DOD_FILE = "dod_consolidation_2022.csv"
MERGER_FILE = "merger_timeline.csv"
DOD_SOURCE_ID = "curated_dod_competition_2022"
MERGER_SOURCE_ID = "curated_merger_timeline"
EVENT_TYPES = ["merger", "acquisition", "renaming", "joint venture", "spin-off"]
REGIONS = ["United States", "Europe"]


class DodConsolidationSchema(pa.DataFrameModel):
    source_id: str = pa.Field(isin=[DOD_SOURCE_ID])
    fact_id: str = pa.Field(unique=True, str_matches=r"^[a-z_]+$")
    category: str = pa.Field(str_length={"min_value": 3})
    count_before: pl.Int64 = pa.Field(gt=0)
    count_after: pl.Int64 = pa.Field(gt=0)
    period_before: str
    period_after: str
    quote: str = pa.Field(str_length={"min_value": 10})
    citation: str = pa.Field(str_contains="State of Competition within the Defense Industrial Base")
    page: str
    corroborated_by: str = pa.Field(str_contains="http")

    class Config:
        strict = True
        coerce = False

    @pa.dataframe_check
    def consolidation_means_fewer(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("count_after") <= pl.col("count_before"))


class MergerTimelineSchema(pa.DataFrameModel):
    source_id: str = pa.Field(isin=[MERGER_SOURCE_ID])
    year: pl.Int64 = pa.Field(ge=1900, le=2100)
    date: pl.Date = pa.Field(nullable=True)
    company_after: str = pa.Field(str_length={"min_value": 2})
    companies_before: str = pa.Field(str_length={"min_value": 2})
    event: str = pa.Field(str_length={"min_value": 10})
    event_type: str = pa.Field(isin=EVENT_TYPES)
    region: str = pa.Field(isin=REGIONS)
    hq: str = pa.Field(str_matches=r"^([A-Z]{3}|Trans-European)$")
    citation: str = pa.Field(str_contains="http")
    note: str = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = False

    @pa.dataframe_check
    def date_in_year(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("date").is_null()
                                     | (pl.col("date").dt.year() == pl.col("year")))


def load_dod_consolidation(path: Path | None = None) -> pl.DataFrame:
    """DoD (2022) supplier counts, 1990s -> 2022, with citations."""
    path = Path(path or paths.CURATED / DOD_FILE)
    df = workbook.curated(path, {"count_before": pl.Int64, "count_after": pl.Int64},
                          key=["fact_id"])
    df = df.select(pl.lit(DOD_SOURCE_ID).alias("source_id"), pl.all())
    return validate.validated(df, DodConsolidationSchema, path, key=["fact_id"])


def load_merger_timeline(path: Path | None = None) -> pl.DataFrame:
    """Dated consolidation events of the US and European primes, with citations."""
    path = Path(path or paths.CURATED / MERGER_FILE)
    df = workbook.curated(path, {"year": pl.Int64, "date": pl.Date},
                          key=["company_after", "year"])
    df = (df.select(pl.lit(MERGER_SOURCE_ID).alias("source_id"), pl.all())
          .sort("region", "year", "date", nulls_last=True))
    return validate.validated(df, MergerTimelineSchema, path,
                              key=["year", "company_after", "event_type"])


TABLES = {
    "dod_consolidation_2022": load_dod_consolidation,
    "merger_timeline": load_merger_timeline,
}
