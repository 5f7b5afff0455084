"""One Ally at a glance: the frames behind the ``country_profile`` page.

Pure functions from the processed tables to small Polars frames for one Ally (the words, the
headline numbers and what the page shows live in :mod:`dibtrends.chapters.profile`). The tables
are read once per kernel through ``dibtrends.data.table``'s cache, so the 32 profiles reuse the
same parsed data.

Two sources, two definitions: SIPRI's long-run series (share of GDP from 1949) and NATO's own
tables (2014 onwards: spending at constant 2015 prices, share of GDP, spending by category).
They are never mixed in one figure.
"""

from __future__ import annotations

import polars as pl

from . import pledge

#: NATO Table 8's spending categories, in the order they stack.
CATEGORIES = {
    "equipment_share_pct": "Equipment (incl. related R&D)",
    "personnel_share_pct": "Personnel",
    "infrastructure_share_pct": "Infrastructure",
    "other_share_pct": "Other",
}


def ally_name(membership: pl.DataFrame, code: str) -> str:
    return membership.filter(pl.col("iso3") == code)["country"].item()


def accession_year(membership: pl.DataFrame, code: str) -> int:
    return membership.filter(pl.col("iso3") == code)["accession_date"].dt.year().item()


def has_values(frame: pl.DataFrame | None, column: str) -> bool:
    """True when ``column`` holds at least one value other than null and zero: a frame without
    one has nothing to draw (Iceland: NATO publishes nothing, SIPRI publishes zeros)."""
    return (frame is not None and column in frame.columns
            and frame.filter(pl.col(column).is_not_null() & (pl.col(column) != 0)).height > 0)


def long_run_share(sipri: pl.DataFrame, code: str) -> pl.DataFrame:
    """SIPRI's share of GDP for one country, every year SIPRI gives a value.

    ``segment`` numbers the runs of consecutive years, so a line drawn per segment breaks where
    SIPRI has no figure instead of bridging the gap.
    """
    rows = (sipri.filter(pl.col("iso3") == code, pl.col("share_gdp_pct").is_not_null())
            .select("year", "share_gdp_pct", "estimate", "uncertain").sort("year"))
    return rows.with_columns(
        (pl.col("year").diff().fill_null(1) != 1).cum_sum().cast(pl.Int64).alias("segment"))


def nato_series(nato: pl.DataFrame, code: str) -> pl.DataFrame:
    """NATO's figures for one Ally, every year of the tables: spending in US$ billion (constant
    2015 and current prices), share of GDP, real GDP, the category shares, NATO's estimate flag.
    Rows without published spending stay (null), so the years of the tables are all there."""
    return (nato.filter(pl.col("entity") == code)
            .select("year", "estimate",
                    (pl.col("milex_usd_m_const2015") / 1000).alias("milex_usd_bn_const2015"),
                    (pl.col("milex_usd_m_current") / 1000).alias("milex_usd_bn_current"),
                    "share_gdp_pct",
                    (pl.col("gdp_usd_m_const2015") / 1000).alias("gdp_usd_bn_const2015"),
                    *CATEGORIES)
            .sort("year"))


def spending(series: pl.DataFrame) -> pl.DataFrame:
    """The years with published spending (constant 2015 US$ billion): what the spending chart
    draws; empty when NATO publishes none."""
    return (series.filter(pl.col("milex_usd_bn_const2015").is_not_null())
            .select("year", "estimate", "milex_usd_bn_const2015"))


def category_split(nato: pl.DataFrame, code: str) -> pl.DataFrame:
    """Long table: the share of each spending category per year (NATO Table 8)."""
    wide = nato_series(nato, code).select("year", "estimate", *CATEGORIES)
    return (wide.unpivot(index=["year", "estimate"], on=list(CATEGORIES),
                         variable_name="category_column", value_name="share_pct")
            .with_columns(pl.col("category_column").replace_strict(CATEGORIES).alias("category"))
            .drop("category_column").drop_nulls("share_pct").sort("year", "category"))


def guideline_years(nato: pl.DataFrame, membership: pl.DataFrame, code: str) -> pl.DataFrame:
    """Per year: the Ally's shares and whether it met the 2 % and 20 % guidelines (null before
    accession or without data)."""
    return pledge.guideline_status(nato, membership).filter(pl.col("entity") == code)


def guideline_count(status: pl.DataFrame, column: str) -> dict:
    """Years counted (as an Ally, with data), years meeting, first and last counted year."""
    counted = status.filter(pl.col("counted"), pl.col(column).is_not_null())
    return {"n_years": counted.height, "n_meeting": int(counted[column].sum()),
            "first_year": counted["year"].min(), "last_year": counted["year"].max()}


def pledge_row(nato: pl.DataFrame, membership: pl.DataFrame, code: str, *,
               target_share_pct: float, target_year: int) -> pl.DataFrame:
    """The Ally's gap to the target share and the real growth needed (empty if no data)."""
    return pledge.pledge_gap(nato, membership, target_share_pct=target_share_pct,
                             target_year=target_year).filter(pl.col("entity") == code)


def gdp_breaks(nato: pl.DataFrame, code: str) -> pl.DataFrame:
    """Breaks in NATO's GDP series for this Ally (:func:`dibtrends.pledge.gdp_series_breaks`),
    with what each does: real GDP's change into the break year, the share of GDP either side,
    and real defence spending's change over the same step (which the break does not touch)."""
    schema = {"year": pl.Int64, "gdp_change_pct": pl.Float64, "share_before_pct": pl.Float64,
              "share_after_pct": pl.Float64, "milex_change_pct": pl.Float64}
    series = nato_series(nato, code)
    rows = []
    for year in pledge.gdp_series_breaks(nato).filter(pl.col("entity") == code)["year"]:
        pair = series.filter(pl.col("year").is_in([year - 1, year]))
        if pair.height != 2:
            continue
        before, after = pair.row(0, named=True), pair.row(1, named=True)
        rows.append({"year": year, "gdp_change_pct": _change(before, after, "gdp_usd_bn_const2015"),
                     "share_before_pct": before["share_gdp_pct"],
                     "share_after_pct": after["share_gdp_pct"],
                     "milex_change_pct": _change(before, after, "milex_usd_bn_const2015")})
    return pl.DataFrame(rows, schema=schema)


def _change(before: dict, after: dict, column: str) -> float | None:
    """Percentage change of ``column`` from one row to the next (None where either is null)."""
    if before[column] is None or after[column] is None:
        return None
    return (after[column] / before[column] - 1) * 100
