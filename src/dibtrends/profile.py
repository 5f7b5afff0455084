"""One Ally's frames for its profile page. Two sources, two definitions, never mixed in a figure:
SIPRI's long-run share of GDP (from 1949) and NATO's own tables (from 2014)."""

from __future__ import annotations

import polars as pl

from . import pledge

#: NATO Table 8's spending categories, in the order they stack.
CATEGORIES = ("equipment_share_pct", "personnel_share_pct", "infrastructure_share_pct",
              "other_share_pct")


def has_values(frame: pl.DataFrame | None, column: str) -> bool:
    """A value other than null and zero, so something to draw (Iceland: NATO publishes nothing,
    SIPRI publishes zeros)."""
    return (frame is not None and column in frame.columns
            and frame.filter(pl.col(column).is_not_null() & (pl.col(column) != 0)).height > 0)


def long_run_share(sipri: pl.DataFrame, code: str) -> pl.DataFrame:
    """SIPRI's share of GDP in every year with a value; ``segment`` numbers the runs of
    consecutive years, so the line breaks at a gap instead of bridging it."""
    rows = (sipri.filter(pl.col("iso3") == code, pl.col("share_gdp_pct").is_not_null())
            .select("year", "share_gdp_pct", "estimate", "uncertain").sort("year"))
    return rows.with_columns(
        (pl.col("year").diff().fill_null(1) != 1).cum_sum().cast(pl.Int64).alias("segment"))


def nato_series(nato: pl.DataFrame, code: str) -> pl.DataFrame:
    """NATO's figures for one Ally in every year of the tables (US$ bn; null where unpublished)."""
    return (nato.filter(pl.col("entity") == code)
            .select("year", "estimate",
                    (pl.col("milex_usd_m_const2015") / 1000).alias("milex_usd_bn_const2015"),
                    (pl.col("milex_usd_m_current") / 1000).alias("milex_usd_bn_current"),
                    "share_gdp_pct",
                    (pl.col("gdp_usd_m_const2015") / 1000).alias("gdp_usd_bn_const2015"),
                    *CATEGORIES)
            .sort("year"))


def spending(series: pl.DataFrame) -> pl.DataFrame:
    """The years with published spending: what the spending chart draws."""
    return (series.filter(pl.col("milex_usd_bn_const2015").is_not_null())
            .select("year", "estimate", "milex_usd_bn_const2015"))


def category_split(series: pl.DataFrame) -> pl.DataFrame:
    """Long: each category's share of spending per year (``category``: its column)."""
    return (series.unpivot(index=["year", "estimate"], on=list(CATEGORIES),
                           variable_name="category", value_name="share_pct")
            .select("year", "estimate", "share_pct", "category")
            .drop_nulls("share_pct").sort("year", "category"))


def guideline_count(status: pl.DataFrame, column: str) -> dict:
    """Years counted (as an Ally, with data), years meeting, first and last counted year."""
    counted = status.filter(pl.col("counted"), pl.col(column).is_not_null())
    return {"n_years": counted.height, "n_meeting": int(counted[column].sum()),
            "first_year": counted["year"].min(), "last_year": counted["year"].max()}


def gdp_breaks(nato: pl.DataFrame, code: str) -> pl.DataFrame:
    """The Ally's breaks in NATO's GDP series (:func:`dibtrends.pledge.shares_across_breaks`),
    with real GDP's change into the break year as ``gdp_change_pct``."""
    breaks = pledge.gdp_series_breaks(nato).filter(pl.col("entity") == code)
    return (pledge.shares_across_breaks(nato, breaks).drop("entity")
            .rename({"change_pct": "gdp_change_pct"}).sort("year"))
