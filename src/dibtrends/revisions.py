"""What a publisher changed between two editions of the same series, for the same years.

SIPRI revises whole series with each release and warns against mixing editions; these pure
functions set two editions side by side (never mixing them in one series) so that the report can
show the revisions instead of hiding them.
"""

from __future__ import annotations

import polars as pl

from .industry import ARMS, annual_totals
from .membership import membership_panel

#: Companies an older Top 100 edition names differently for the same years (same country, rank
#: and figures in both): older name -> newer name. Applied only when comparing editions.
EDITION_RENAMES = {"EDGE": "EDGE Group"}  # UAE; 2019-2020, US$4,750 m in both editions
IN_BOTH = "in both editions"
ONLY_OLDER = "only in the older edition"
ONLY_NEWER = "only in the newer edition"


def common_years(older: pl.DataFrame, newer: pl.DataFrame) -> list[int]:
    return sorted(set(older["year"].to_list()) & set(newer["year"].to_list()))


def last_common_year(older: pl.DataFrame, newer: pl.DataFrame) -> int:
    """The last year both SIPRI releases publish shares for (the older one ends a year early)."""
    have = [set(df.drop_nulls("share_gdp_pct")["year"].to_list()) for df in (older, newer)]
    return max(have[0] & have[1])


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
    older, newer = (pl.col(f"share_{w}") >= threshold_pct for w in ("older", "newer"))
    return (revisions.group_by("year").agg(
        older.sum().alias("n_at_older"), newer.sum().alias("n_at_newer"),
        pl.col("country").filter(newer & ~older).sort().alias("crossed_up"),
        pl.col("country").filter(~newer & older).sort().alias("crossed_down"))
        .with_columns(pl.lit(float(threshold_pct)).alias("threshold_pct"))
        .sort("year"))


def revision_summary(revisions: pl.DataFrame) -> pl.DataFrame:
    """Per year: how many Ally figures changed, and the mean absolute revision (points)."""
    size = pl.col("revision_pp").abs()
    return (revisions.drop_nulls("revision_pp").group_by("year").agg(
        pl.len().alias("n_figures"), (size >= 0.005).sum().alias("n_revised"),
        size.mean().alias("mean_abs_revision_pp"), size.max().alias("max_abs_revision_pp"))
        .sort("year"))


# ---------------------------------------------------------------- SIPRI Top 100 editions
def _in_common_years(older: pl.DataFrame, newer: pl.DataFrame) -> list[pl.DataFrame]:
    years = common_years(older, newer)
    if not years:
        raise ValueError("the two editions share no year to compare")
    return [df.filter(pl.col("year").is_in(years)) for df in (older, newer)]


def compare_totals(older: pl.DataFrame, newer: pl.DataFrame) -> pl.DataFrame:
    """Each year both editions cover: the Top-100 total (sum of its rows, US$ bn, current
    prices) in each, the revision, and how many companies the two lists share."""
    old, new = _in_common_years(older, newer)
    shared = (old.select("year", pl.col("company").replace(EDITION_RENAMES))
              .join(new.select("year", "company"), on=["year", "company"])
              .group_by("year").agg(pl.len().cast(pl.Int64).alias("n_companies_in_both")))
    return (annual_totals(old).join(annual_totals(new), on="year", suffix="_newer")
            .rename({"total_usd_bn": "total_usd_bn_older", "n_companies": "n_companies_older"})
            .join(shared, on="year", how="left")
            .with_columns(pl.col("n_companies_in_both").fill_null(0),
                          (pl.col("total_usd_bn_newer") - pl.col("total_usd_bn_older"))
                          .alias("revision_usd_bn"))
            .with_columns((100 * pl.col("revision_usd_bn") / pl.col("total_usd_bn_older"))
                          .alias("revision_pct"))
            .sort("year"))


def compare_ranks(older: pl.DataFrame, newer: pl.DataFrame,
                  renames: dict[str, str] | None = None) -> pl.DataFrame:
    """Each company listed in a year both editions cover: rank and arms revenue (US$ m) in each
    edition, its ``status`` (both, only older, only newer) and ``rank_change`` (older minus newer:
    positive is higher in the newer). Older names go through ``renames`` (EDITION_RENAMES)."""
    cols = ["year", "company", "rank", "country_published", ARMS]
    old, new = (df.select(cols) for df in _in_common_years(older, newer))
    old = old.with_columns(pl.col("company").replace(
        EDITION_RENAMES if renames is None else renames))
    rank_old, rank_new = pl.col("rank_older"), pl.col("rank_newer")
    return (old.join(new, on=["year", "company"], how="full", coalesce=True, suffix="_newer")
            .rename({"rank": "rank_older", ARMS: "arms_usd_m_older",
                     f"{ARMS}_newer": "arms_usd_m_newer"})
            .select("year", "company",
                    pl.coalesce("country_published_newer", "country_published").alias("country"),
                    pl.when(rank_old.is_null()).then(pl.lit(ONLY_NEWER))
                    .when(rank_new.is_null()).then(pl.lit(ONLY_OLDER))
                    .otherwise(pl.lit(IN_BOTH)).alias("status"),
                    "rank_older", "rank_newer", (rank_old - rank_new).alias("rank_change"),
                    "arms_usd_m_older", "arms_usd_m_newer",
                    (pl.col("arms_usd_m_newer") - pl.col("arms_usd_m_older"))
                    .alias("revision_usd_m"))
            .sort("year", pl.coalesce("rank_newer", "rank_older"), "status"))


def with_published_totals(totals: pl.DataFrame, published: pl.DataFrame) -> pl.DataFrame:
    """Add SIPRI's published total for each year where it covers that year's own list of
    companies (its file gives the last years' totals for a later list)."""
    own = (published.filter(pl.col("company_set_year") == pl.col("year"))
           .select("year", pl.col("arms_revenue_usd_bn_current").alias("published_total_usd_bn")))
    return totals.join(own, on="year", how="left").with_columns(
        (pl.col("published_total_usd_bn") - pl.col("total_usd_bn_older"))
        .alias("published_gap_usd_bn"))
