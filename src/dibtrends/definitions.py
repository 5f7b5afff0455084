"""NATO's and SIPRI's share of GDP for the same Ally and year, side by side.

NATO takes what each Ally's ministry of defence reports under NATO's definition; SIPRI builds
its series from budgets and other open sources under its own. The words a reader sees about
the two definitions, and SIPRI's footnotes, are in :mod:`dibtrends.prose.pledge`.
"""

from __future__ import annotations

import polars as pl

# SIPRI's footnotes are quoted words; the Ally profiles read them here.
from .prose.pledge import SIPRI_FOOTNOTES, SIPRI_FOOTNOTES_SOURCE  # noqa: F401

COLUMNS = ("iso3", "year", "nato_estimate", "sipri_estimate", "nato_share_pct",
           "sipri_share_pct", "difference_pp", "nato_nominal_share_pct")


def nato_vs_sipri(nato: pl.DataFrame, sipri: pl.DataFrame, start_year: int | None = None,
                  end_year: int | None = None) -> pl.DataFrame:
    """Per Ally and year both publish: NATO's share of GDP, SIPRI's, and ``difference_pp``
    (NATO minus SIPRI, points); ``nato_nominal_share_pct`` (current US$ over current GDP) shows
    how much NATO's choice of 2015 prices explains. Years default to NATO's."""
    start = int(nato["year"].min()) if start_year is None else start_year
    end = int(nato["year"].max()) if end_year is None else end_year
    left = nato.filter(~pl.col("is_aggregate"), pl.col("share_gdp_pct").is_not_null(),
                       pl.col("year").is_between(start, end)).select(
        pl.col("entity").alias("iso3"), "year", pl.col("estimate").alias("nato_estimate"),
        pl.col("share_gdp_pct").alias("nato_share_pct"),
        (pl.col("milex_usd_m_current") / pl.col("gdp_usd_m_current") * 100)
        .alias("nato_nominal_share_pct"))
    right = sipri.filter(pl.col("share_gdp_pct").is_not_null()).select(
        "iso3", "year", pl.col("estimate").alias("sipri_estimate"),
        pl.col("share_gdp_pct").alias("sipri_share_pct"))
    return (left.join(right, on=["iso3", "year"], how="inner")
            .with_columns((pl.col("nato_share_pct") - pl.col("sipri_share_pct"))
                          .alias("difference_pp"))
            .select(COLUMNS).sort("iso3", "year"))


def by_ally(comparison: pl.DataFrame) -> pl.DataFrame:
    """One row per Ally: both figures in the latest common year, the difference then, its mean
    and mean absolute size over all common years, and the year of the largest gap."""
    latest = comparison.sort("year").group_by("iso3").agg(
        pl.len().alias("n_years"), pl.col("year").min().alias("first_year"),
        pl.col("year").last().alias("latest_year"),
        pl.col("nato_share_pct").last().alias("nato_share_latest_pct"),
        pl.col("sipri_share_pct").last().alias("sipri_share_latest_pct"),
        pl.col("difference_pp").last().alias("difference_latest_pp"),
        pl.col("nato_estimate").last().alias("nato_estimate_latest"),
        pl.col("difference_pp").mean().alias("mean_difference_pp"),
        pl.col("difference_pp").abs().mean().alias("mean_abs_difference_pp"),
        pl.col("difference_pp").get(pl.col("difference_pp").abs().arg_max())
        .alias("largest_difference_pp"),
        pl.col("year").get(pl.col("difference_pp").abs().arg_max()).alias("largest_difference_year"),
        pl.col("sipri_estimate").sum().alias("sipri_estimate_years"),
    )
    return latest.sort("mean_difference_pp")


def by_year(comparison: pl.DataFrame, threshold_pct: float = 2.0,
            counted: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per year: the median difference and the Allies at ``threshold_pct`` or more on each
    publisher's figures. ``counted`` (iso3, year, counted) limits the counts to Allies that were
    members that year (as NATO counts its guideline); without it every Ally row counts."""
    frame = comparison
    if counted is not None:
        frame = frame.join(counted, on=["iso3", "year"], how="left").filter(pl.col("counted"))
    return frame.group_by("year").agg(
        pl.first("nato_estimate"),
        pl.len().alias("n_allies"),
        pl.col("difference_pp").median().alias("median_difference_pp"),
        pl.col("difference_pp").abs().mean().alias("mean_abs_difference_pp"),
        (pl.col("nato_share_pct") >= threshold_pct).sum().alias("n_at_threshold_nato"),
        (pl.col("sipri_share_pct") >= threshold_pct).sum().alias("n_at_threshold_sipri"),
    ).sort("year")


def price_basis_effect(comparison: pl.DataFrame, tolerance_pp: float = 0.01) -> dict:
    """How many Ally-years' NATO share at 2015 prices differs from its share at current prices
    by more than ``tolerance_pp``, and the largest such difference: whether NATO's price basis
    explains any of the NATO-SIPRI gap."""
    diff = (comparison["nato_share_pct"] - comparison["nato_nominal_share_pct"]).abs()
    big = comparison.filter(diff > tolerance_pp)
    return {"n_rows": comparison.height, "n_differ": big.height,
            "allies": sorted(set(big["iso3"].to_list())),
            "largest_pp": float(diff.max()) if comparison.height else None}



def threshold_flips(comparison: pl.DataFrame, counted: list[str], year: int,
                    threshold: float) -> tuple[list[str], list[str]]:
    """Of the ``counted`` Allies, those at ``threshold`` on NATO's figures in ``year`` but not
    on SIPRI's, and the reverse."""
    rows = comparison.filter(pl.col("year") == year, pl.col("iso3").is_in(counted))
    nato_at = pl.col("nato_share_pct") >= threshold
    sipri_at = pl.col("sipri_share_pct") >= threshold
    return (sorted(rows.filter(nato_at & ~sipri_at)["iso3"].to_list()),
            sorted(rows.filter(~nato_at & sipri_at)["iso3"].to_list()))
