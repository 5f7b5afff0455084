"""Curated: NATO's defence-critical raw materials, matched to USGS commodity names.

``data/curated/defence_critical_minerals.csv`` transcribes NATO's list of 12 defence-critical
raw materials (11 December 2024) and flags the three NATO named for joint stockpiling in June
2025 (lithium, titanium, rare earths). Each row says which USGS Fig. 2 row and Table 4/5 row it
is matched to and why; ``defence_use`` is filled only where a cited source states it.
"""

from __future__ import annotations

from pathlib import Path

import pandera.polars as pa
import polars as pl

from ..minerals import CURATED_FILE
from ..validate import validated
from . import workbook

FILE = CURATED_FILE  # one name for the file, shared with the chapter
COLUMNS = {
    "mineral": pl.String, "usgs_commodity": pl.String, "usgs_critical_mineral": pl.String,
    "match_note": pl.String, "defence_use": pl.String, "defence_use_citation": pl.String,
    "in_nato_defence_critical": pl.Boolean, "in_nato_stockpiling_2025": pl.Boolean,
    "citation": pl.String,
}


class DefenceMineralsSchema(pa.DataFrameModel):
    mineral: pl.String = pa.Field(unique=True)
    usgs_commodity: pl.String = pa.Field(nullable=True, unique=True)
    usgs_critical_mineral: pl.String = pa.Field(unique=True)
    match_note: pl.String = pa.Field(nullable=True)
    defence_use: pl.String = pa.Field(nullable=True)
    defence_use_citation: pl.String = pa.Field(nullable=True)
    in_nato_defence_critical: pl.Boolean
    in_nato_stockpiling_2025: pl.Boolean
    citation: pl.String = pa.Field(str_contains="http")

    class Config:
        strict = True

    @pa.dataframe_check
    def every_use_is_cited(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(
            pl.col("defence_use").is_null() | pl.col("defence_use_citation").str.contains("http")
        )


def load_defence_minerals(path: Path | None = None) -> pl.DataFrame:
    df = workbook.curated(path or FILE, {c: t for c, t in COLUMNS.items() if t != pl.String},
                          columns=list(COLUMNS), key=["mineral"])
    return validated(df, DefenceMineralsSchema, path or FILE, key=["mineral"])


TABLES = {"defence_critical_minerals": load_defence_minerals}
