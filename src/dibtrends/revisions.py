"""What a publisher changed between two editions of the same series, for the same years.

SIPRI revises whole series with each release (new national data, new GDP figures, a new base
year for constant prices) and warns against mixing editions. These pure functions put two
editions side by side so the report can show the revisions instead of hiding them.
"""

from __future__ import annotations

import polars as pl

from .membership import membership_panel


def share_revisions(older: pl.DataFrame, newer: pl.DataFrame, membership: pl.DataFrame,
                    years: range) -> pl.DataFrame:
    """Each Ally's share of GDP (%) in both SIPRI releases, for the years both cover in which it
    was an Ally: ``revision_pp`` is newer minus older, in percentage points."""
    common = sorted(set(older["year"]) & set(newer["year"]) & set(years))
    panel = (membership_panel(membership, common, rule="accession").filter("is_member")
             .select("iso3", "year"))

    def pick(df: pl.DataFrame, suffix: str) -> pl.DataFrame:
        return df.select("iso3", "year", pl.col("share_gdp_pct").alias(f"share_{suffix}"),
                         pl.col("source_id").alias(f"source_id_{suffix}"))

    return (panel.join(pick(older, "older"), on=["iso3", "year"], how="left")
            .join(pick(newer, "newer"), on=["iso3", "year"], how="left")
            .join(membership.select("iso3", "country"), on="iso3")
            .with_columns((pl.col("share_newer") - pl.col("share_older")).alias("revision_pp"))
            .select("iso3", "country", "year", "share_older", "share_newer", "revision_pp",
                    "source_id_older", "source_id_newer")
            .sort("iso3", "year"))


def largest_revisions(revisions: pl.DataFrame, n: int = 10) -> pl.DataFrame:
    """The ``n`` Ally-years revised most (by absolute size), largest first."""
    return (revisions.drop_nulls("revision_pp")
            .sort(pl.col("revision_pp").abs(), "iso3", "year", descending=[True, False, False])
            .head(n))


def threshold_counts(revisions: pl.DataFrame, threshold_pct: float) -> pl.DataFrame:
    """Per year: how many Allies each release puts at or above ``threshold_pct`` % of GDP, and
    which Allies cross the line between releases (a revision that changes a headline count)."""
    marked = revisions.with_columns(
        (pl.col("share_older") >= threshold_pct).alias("at_older"),
        (pl.col("share_newer") >= threshold_pct).alias("at_newer"))
    return (marked.group_by("year").agg(
        pl.col("at_older").sum().alias("n_at_older"),
        pl.col("at_newer").sum().alias("n_at_newer"),
        pl.col("country").filter(pl.col("at_newer") & ~pl.col("at_older")).sort()
        .alias("crossed_up"),
        pl.col("country").filter(~pl.col("at_newer") & pl.col("at_older")).sort()
        .alias("crossed_down"))
        .with_columns(pl.lit(float(threshold_pct)).alias("threshold_pct"))
        .sort("year"))


def revision_summary(revisions: pl.DataFrame) -> pl.DataFrame:
    """Per year: how many Ally figures changed, and the mean absolute revision (points)."""
    return (revisions.drop_nulls("revision_pp").group_by("year").agg(
        pl.len().alias("n_figures"),
        (pl.col("revision_pp").abs() >= 0.005).sum().alias("n_revised"),
        pl.col("revision_pp").abs().mean().alias("mean_abs_revision_pp"),
        pl.col("revision_pp").abs().max().alias("max_abs_revision_pp"))
        .sort("year"))
