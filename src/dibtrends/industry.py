"""Concentration of the SIPRI Top 100: pure functions on the processed Top 100 frames.

Every share is of the Top 100's combined arms revenue that year (US$ m, current prices), not of
an arms market nobody measures. SIPRI lists Chinese firms only from 2015, which moves every share
between 2014 and 2015; ``exclude_china=True`` drops them *before* shares are computed, giving a
series comparable with 2002-2014 (from 2015 those lists hold 91 to 93 firms, not 100).
NATO membership is by calendar year of accession. Trans-European firms (SIPRI: "ownership and
control structures ... located in more than one European country": Airbus, MBDA, KNDS ...) count
as European NATO in every year and for any top group; the words say which they are.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from .membership import membership_panel

ARMS = "arms_revenue_usd_m_current"
#: Region labels in chart order (bottom to top of a stacked chart).
REGIONS = ["United States", "European NATO", "Other NATO", "Russia", "China", "Rest of world"]
#: Allies outside the United States not counted as "European NATO": Canada, and Türkiye
#: (NATO's own "NATO Europe" includes it, so European-NATO shares here are slightly smaller).
OTHER_NATO = ("CAN", "TUR")
SERIES_PUBLISHED = "published (incl. China from 2015)"
SERIES_EXCL_CHINA = "excluding Chinese firms"
#: First year with Chinese companies in the Top 100 (SIPRI footnote a).
CHINA_FROM = 2015
REGION_ORDER = pl.col("region").replace_strict({r: i for i, r in enumerate(REGIONS)},
                                               return_dtype=pl.Int64).alias("region_order")


def _lists(top100: pl.DataFrame, exclude_china: bool) -> pl.DataFrame:
    return top100.filter(pl.col("hq_iso3").fill_null("") != "CHN") if exclude_china else top100


def _share_of_year() -> pl.Expr:
    return (100 * pl.col(ARMS) / pl.col(ARMS).sum().over("year")).alias("share_pct")


def shares(top100: pl.DataFrame, exclude_china: bool = False) -> pl.DataFrame:
    """Each company's share (percent) of the year's Top-100 arms revenue, ranked by revenue."""
    return (_lists(top100, exclude_china).with_columns(
                _share_of_year(),
                # SIPRI's own order (it breaks ties), renumbered after any exclusion.
                pl.col("rank").rank("ordinal").over("year").cast(pl.Int64).alias("position"))
            .sort("year", "position"))


def concentration(top100: pl.DataFrame, k: int = 5, exclude_china: bool = False) -> pl.DataFrame:
    """CR_k: the share (percent) of the Top 100's arms revenue held by its k largest companies."""
    if not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive whole number, got {k!r}")
    return (shares(top100, exclude_china).group_by("year")
            .agg(pl.col(ARMS).sum().alias("all_" + ARMS),
                 pl.col("share_pct").filter(pl.col("position") <= k).sum().alias("cr_pct"),
                 pl.len().cast(pl.Int64).alias("n_companies"))
            .sort("year"))


def hhi(top100: pl.DataFrame, exclude_china: bool = False) -> pl.DataFrame:
    """Herfindahl-Hirschman index of shares within the Top 100 (0-10,000 points): how unequal
    the top of the industry is, not a market HHI (arms revenue spans many product markets)."""
    return (shares(top100, exclude_china).group_by("year")
            .agg((pl.col("share_pct") ** 2).sum().alias("hhi_points"))
            .sort("year"))


def with_series(fn: Callable[..., pl.DataFrame], top100: pl.DataFrame) -> pl.DataFrame:
    """``fn`` on the published lists and, from 2015, without Chinese firms, with a ``series``."""
    return pl.concat([
        fn(top100, exclude_china=False).with_columns(pl.lit(SERIES_PUBLISHED).alias("series")),
        fn(top100, exclude_china=True).filter(pl.col("year") >= CHINA_FROM)
        .with_columns(pl.lit(SERIES_EXCL_CHINA).alias("series"))]).sort("series", "year")


def classify_regions(top100: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    """Add ``region`` (see REGIONS) and ``nato`` (HQ in an Ally that year, or Trans-European)."""
    panel = (membership_panel(membership, top100["year"].unique().to_list(), rule="accession")
             .filter(pl.col("is_member"))
             .select(pl.col("iso3").alias("hq_iso3"), "year", pl.lit(True).alias("_ally")))
    df = top100.join(panel, on=["hq_iso3", "year"], how="left").with_columns(
        pl.col("_ally").fill_null(False))
    hq, ally = pl.col("hq_iso3"), pl.col("_ally")
    region = (pl.when(hq == "USA").then(pl.lit("United States"))
              .when(pl.col("trans_european")).then(pl.lit("European NATO"))
              .when(ally & hq.is_in(OTHER_NATO)).then(pl.lit("Other NATO"))
              .when(ally).then(pl.lit("European NATO"))
              .when(hq == "RUS").then(pl.lit("Russia"))
              .when(hq == "CHN").then(pl.lit("China"))
              .otherwise(pl.lit("Rest of world")))
    return df.with_columns(region.alias("region"),
                           (ally | pl.col("trans_european")).alias("nato")).drop("_ally")


def regional_shares(top100: pl.DataFrame, membership: pl.DataFrame,
                    exclude_china: bool = False) -> pl.DataFrame:
    """Share (percent) of Top-100 arms revenue by HQ region, every region in every year."""
    df = classify_regions(_lists(top100, exclude_china), membership)
    grid = df.select(pl.col("year").unique().sort()).join(pl.DataFrame({"region": REGIONS}),
                                                          how="cross")
    out = (df.group_by("year", "region")
           .agg(pl.col(ARMS).sum(), pl.len().cast(pl.Int64).alias("n_companies")))
    return (grid.join(out, on=["year", "region"], how="left")
            .with_columns(pl.col(ARMS).fill_null(0.0), pl.col("n_companies").fill_null(0))
            .with_columns(_share_of_year(), REGION_ORDER)
            .sort("year", "region_order"))


def top_k_by_region(top100: pl.DataFrame, membership: pl.DataFrame, k: int = 10,
                    exclude_china: bool = False) -> pl.DataFrame:
    """The k largest companies each year with their region, NATO status and SIPRI's country."""
    s = shares(top100, exclude_china).filter(pl.col("position") <= k)
    return classify_regions(s, membership).select(
        "year", "position", "rank", "company", "hq_iso3", "trans_european", "region", "nato",
        ARMS, "share_pct", "country_published").sort("year", "position")


def top10_nato_count(top: pl.DataFrame) -> pl.DataFrame:
    """How many of :func:`top_k_by_region`'s companies are headquartered in NATO (Trans-European
    counted), and which, in rank order; ``trans_european_companies``: those counted as NATO
    only as Trans-European, so a reader can see the count without them."""
    nato = pl.col("nato")
    return (top.group_by("year")
            .agg(nato.sum().cast(pl.Int64).alias("n_nato"),
                 pl.col("company").filter(nato).alias("nato_companies"),
                 pl.col("company").filter(~nato).alias("other_companies"),
                 pl.col("company").filter(pl.col("trans_european"))
                 .alias("trans_european_companies"))
            .sort("year"))


def top_k_region_counts(top: pl.DataFrame) -> pl.DataFrame:
    """Per year and region, how many of :func:`top_k_by_region`'s companies and their names."""
    return (top.group_by("year", "region")
            .agg(pl.len().cast(pl.Int64).alias("companies"),
                 pl.col("company").sort().str.join(", ").alias("names"))
            .with_columns(REGION_ORDER)
            .sort("year", "region_order"))


def headline_measures(top100: pl.DataFrame, k: int = 10) -> pl.DataFrame:
    """CR5, CR_k and HHI per year, both series, long: year, series, measure, value, unit."""
    def measures(df: pl.DataFrame, exclude_china: bool) -> pl.DataFrame:
        ratios = [concentration(df, kk, exclude_china).select(
                      "year", pl.lit(f"CR{kk}").alias("measure"), pl.col("cr_pct").alias("value"),
                      pl.lit("% of Top-100 arms revenue").alias("unit")) for kk in sorted({5, k})]
        return pl.concat([*ratios, hhi(df, exclude_china).select(
            "year", pl.lit("HHI").alias("measure"), pl.col("hhi_points").alias("value"),
            pl.lit("points (0-10,000)").alias("unit"))])

    return (with_series(measures, top100).select("year", "series", "measure", "value", "unit")
            .sort("measure", "series", "year"))


def annual_totals(top100: pl.DataFrame, exclude_china: bool = False) -> pl.DataFrame:
    """Each year's Top-100 arms revenue (US$ bn, current prices) and the companies summed: SIPRI's
    published totals are these sums."""
    return (_lists(top100, exclude_china).group_by("year")
            .agg((pl.col(ARMS).sum() / 1000).alias("total_usd_bn"),
                 pl.len().cast(pl.Int64).alias("n_companies"))
            .sort("year"))


def value_at(measures: pl.DataFrame, measure: str, year: int,
             series: str = SERIES_PUBLISHED) -> float | None:
    """One value from ``headline_measures``; before 2015 both series are the published one."""
    row = measures.filter(measure=measure, year=year,
                          series=series if year >= CHINA_FROM else SERIES_PUBLISHED)
    return row["value"].item() if row.height else None
