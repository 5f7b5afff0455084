"""Curated, cited tables the project transcribed from public documents (``data/curated/``).

* ``dod_consolidation_2022.csv``: supplier counts "1990s -> 2022" from the US DoD report *State
  of Competition within the Defense Industrial Base* (February 2022), only figures quoted by at
  least two independent outlets (``corroborated_by``; the PDF's ``page`` is "not verified").
* ``merger_timeline.csv``: the events that formed the US "Big Five" and Europe's multinational
  primes; ``date`` only where the source gives the day, else the year alone.
* ``nato_membership.csv``: the 32 Allies and the date each joined, from NATO's "NATO member
  countries" page (:mod:`dibtrends.membership` counts them).
* ``defence_critical_minerals.csv``: NATO's 12 defence-critical raw materials (11 December 2024),
  the three named for joint stockpiling (June 2025), each matched to its USGS rows with the
  reason; ``defence_use`` only where a cited source states it.

Every row carries a ``citation`` (the reader rejects a row without one).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandera.polars as pa
import polars as pl

from .. import countries, paths
from ..membership import MEMBERSHIP_FILE, TREATY_IN_FORCE
from ..validate import Model
from . import csvfile

DOD_FILE, MERGER_FILE = "dod_consolidation_2022.csv", "merger_timeline.csv"
DOD_SOURCE_ID = "curated_dod_competition_2022"
MERGER_SOURCE_ID = "curated_merger_timeline"
EVENT_TYPES = ["merger", "acquisition", "renaming", "joint venture", "spin-off"]
REGIONS = ["United States", "Europe"]


class DodConsolidationSchema(Model):
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

    @pa.dataframe_check
    def consolidation_means_fewer(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("count_after") <= pl.col("count_before"))


class MergerTimelineSchema(Model):
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

    @pa.dataframe_check
    def date_in_year(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("date").is_null()
                                     | (pl.col("date").dt.year() == pl.col("year")))


class DefenceMineralsSchema(Model):
    mineral: pl.String = pa.Field(unique=True)
    usgs_commodity: pl.String = pa.Field(nullable=True, unique=True)
    usgs_critical_mineral: pl.String = pa.Field(unique=True)
    match_note: pl.String = pa.Field(nullable=True)
    defence_use: pl.String = pa.Field(nullable=True)
    defence_use_citation: pl.String = pa.Field(nullable=True)
    in_nato_defence_critical: pl.Boolean
    in_nato_stockpiling_2025: pl.Boolean
    citation: pl.String = pa.Field(str_contains="http")

    @pa.dataframe_check
    def every_use_is_cited(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(
            pl.col("defence_use").is_null() | pl.col("defence_use_citation").str.contains("http")
        )


class NatoMembershipSchema(Model):
    """One row per Ally, as transcribed from NATO's member-countries page."""

    iso3: str = pa.Field(isin=countries.all_codes(), unique=True)
    country: str = pa.Field(str_length={"min_value": 2})
    accession_date: pl.Date = pa.Field(ge=TREATY_IN_FORCE)
    founding_member: bool = pa.Field()
    citation: str = pa.Field(str_length={"min_value": 20})

    @pa.dataframe_check(error="founding members must carry the treaty's entry-into-force date "
                              "(1949-08-24) and later members a later date")
    @classmethod
    def founders_joined_1949(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(
            pl.col("founding_member") == (pl.col("accession_date") == TREATY_IN_FORCE))


def load_nato_membership(path: Path | None = None) -> pl.DataFrame:
    """The curated accession table, validated."""
    return csvfile.curated(Path(path or MEMBERSHIP_FILE), NatoMembershipSchema, key=["iso3"])


@functools.cache
def accession_years() -> dict[str, int]:
    """iso3 -> the year each Ally joined, from the validated table, read once per process (the
    loaders' Ally checks): a malformed table stops with its file, column and fix."""
    table = load_nato_membership()
    return dict(table.select("iso3", pl.col("accession_date").dt.year()).iter_rows())


def load_dod_consolidation(path: Path | None = None) -> pl.DataFrame:
    """DoD (2022) supplier counts, 1990s -> 2022, with citations."""
    return csvfile.curated(Path(path or paths.CURATED / DOD_FILE),
                            DodConsolidationSchema, key=["fact_id"], source_id=DOD_SOURCE_ID)


def load_merger_timeline(path: Path | None = None) -> pl.DataFrame:
    """Dated consolidation events of the US and European primes, with citations."""
    return csvfile.curated(Path(path or paths.CURATED / MERGER_FILE),
                            MergerTimelineSchema, key=["company_after", "year"],
                            source_id=MERGER_SOURCE_ID, sort=["region", "year", "date"])


def load_defence_minerals(path: Path | None = None) -> pl.DataFrame:
    """NATO's defence-critical materials, matched to USGS commodity names, with citations."""
    return csvfile.curated(Path(path or paths.DEFENCE_MINERALS_FILE), DefenceMineralsSchema,
                           key=["mineral"])


TABLES = {
    "nato_membership": load_nato_membership,
    "dod_consolidation_2022": load_dod_consolidation,
    "merger_timeline": load_merger_timeline,
    "defence_critical_minerals": load_defence_minerals,
}
