"""Defence-industry concentration from the SIPRI Top 100: pure functions on processed frames.

Every measure here is computed *within the SIPRI Top 100*: shares are of the combined arms
revenue of the 100 largest arms-producing companies that year, not of a world arms market (whose
size nobody measures). A company's rank and country are SIPRI's; arms revenue is in US$ million
at current prices, so a share is unaffected by inflation but totals are not.

The series break: SIPRI includes Chinese companies only from 2015. From 2015 they take a large
slice of the Top 100 (about a sixth of its arms revenue in 2015 and in 2023), so every share and
concentration measure jumps between 2014 and 2015 for a reason that is not a change in the
industry. Each function
takes ``exclude_china``: with ``True`` Chinese companies are dropped *before* shares are
computed, which gives a series consistent with the 2002-2014 lists ("Top 100 excluding China").
It is close to, not exactly, SIPRI's old definition: from 2015 the lists minus Chinese firms hold
fewer than 100 companies (the firms that would have ranked 91-100 without China are not in the
file), which leaves out roughly 1 % of revenue at the bottom and barely moves the top.
``with_series`` runs a function both ways and labels the rows, so a chart can show the break.

NATO membership is by calendar year (``dibtrends.membership``, rule ``"accession"``): an Ally
counts from the year it joined. Trans-European companies (Airbus, MBDA, KNDS, ...) are owned and
controlled in several European Allies and count as European NATO.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from .membership import membership_panel

ARMS = "arms_revenue_usd_m_current"
#: Region labels in chart order (bottom to top of a stacked chart).
REGIONS = ["United States", "European NATO", "Other NATO", "Russia", "China", "Rest of world"]
#: Allies outside the United States that the project does not count as "European NATO":
#: Canada, and Türkiye (transcontinental; NATO's own "NATO Europe" aggregate includes it, so
#: European-NATO shares here are slightly smaller than on NATO's definition).
OTHER_NATO = ("CAN", "TUR")
SERIES_PUBLISHED = "published (incl. China from 2015)"
SERIES_EXCL_CHINA = "excluding Chinese firms"
#: First year with Chinese companies in the Top 100 (SIPRI footnote a).
CHINA_FROM = 2015


def _prepare(top100: pl.DataFrame, exclude_china: bool) -> pl.DataFrame:
    df = top100.select("year", "rank", "company", "hq_iso3", "trans_european", ARMS)
    if exclude_china:
        df = df.filter(pl.col("hq_iso3").fill_null("") != "CHN")
    return df


def shares(top100: pl.DataFrame, exclude_china: bool = False) -> pl.DataFrame:
    """Each company's share (percent) of the year's Top-100 arms revenue, ranked by revenue."""
    df = _prepare(top100, exclude_china)
    return (df.with_columns(
                (100 * pl.col(ARMS) / pl.col(ARMS).sum().over("year")).alias("share_pct"),
                # SIPRI's own order (it ranks by arms revenue and breaks ties), renumbered
                # after any exclusion.
                pl.col("rank").rank("ordinal").over("year").cast(pl.Int64).alias("position"))
            .sort("year", "position"))


def concentration(top100: pl.DataFrame, k: int = 5, exclude_china: bool = False) -> pl.DataFrame:
    """CR_k: the share (percent) of Top-100 arms revenue held by the k largest companies.

    Within-Top-100 concentration ratio, not a market CR_k: the denominator is the Top 100's
    combined arms revenue (which equals SIPRI's published total for the year).
    """
    if not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive whole number, got {k!r}")
    s = shares(top100, exclude_china)
    return (s.group_by("year")
            .agg(pl.lit(k).cast(pl.Int64).alias("k"),
                 pl.col(ARMS).filter(pl.col("position") <= k).sum().alias("top_k_" + ARMS),
                 pl.col(ARMS).sum().alias("all_" + ARMS),
                 pl.col("share_pct").filter(pl.col("position") <= k).sum().alias("cr_pct"),
                 pl.len().cast(pl.Int64).alias("n_companies"))
            .sort("year"))


def hhi(top100: pl.DataFrame, exclude_china: bool = False) -> pl.DataFrame:
    """Herfindahl-Hirschman index of arms-revenue shares within the Top 100, 0-10,000 points.

    Sum over companies of (share in percent) squared. This is a within-Top-100 HHI, not a market
    HHI: it ignores every firm outside the list, and arms revenue spans many product markets
    (US merger guidelines apply HHI to one product market at a time), so it tracks how unequal
    the top of the industry is, not whether any market is "highly concentrated".
    """
    s = shares(top100, exclude_china)
    return (s.group_by("year")
            .agg((pl.col("share_pct") ** 2).sum().alias("hhi_points"),
                 pl.len().cast(pl.Int64).alias("n_companies"))
            .sort("year"))


def with_series(fn: Callable[..., pl.DataFrame], top100: pl.DataFrame, **kwargs) -> pl.DataFrame:
    """``fn`` on the published lists and on the lists without Chinese firms, stacked and labelled.

    The excluding-China rows are only added from 2015: before that the two series are the same.
    """
    published = fn(top100, exclude_china=False, **kwargs).with_columns(
        pl.lit(SERIES_PUBLISHED).alias("series"))
    excl = (fn(top100, exclude_china=True, **kwargs).filter(pl.col("year") >= CHINA_FROM)
            .with_columns(pl.lit(SERIES_EXCL_CHINA).alias("series")))
    return pl.concat([published, excl], how="vertical").sort("series", "year")


def classify_regions(top100: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    """Add ``region`` (see REGIONS) and ``nato`` (HQ in an Ally that year, or Trans-European)."""
    years = top100["year"].unique().to_list()
    panel = (membership_panel(membership, years, rule="accession")
             .filter(pl.col("is_member")).select(pl.col("iso3").alias("hq_iso3"), "year",
                                                 pl.lit(True).alias("_ally")))
    df = top100.join(panel, on=["hq_iso3", "year"], how="left").with_columns(
        pl.col("_ally").fill_null(False))
    nato = pl.col("_ally") | pl.col("trans_european")
    region = (pl.when(pl.col("hq_iso3") == "USA").then(pl.lit("United States"))
              .when(pl.col("trans_european")).then(pl.lit("European NATO"))
              .when(pl.col("_ally") & pl.col("hq_iso3").is_in(OTHER_NATO))
              .then(pl.lit("Other NATO"))
              .when(pl.col("_ally")).then(pl.lit("European NATO"))
              .when(pl.col("hq_iso3") == "RUS").then(pl.lit("Russia"))
              .when(pl.col("hq_iso3") == "CHN").then(pl.lit("China"))
              .otherwise(pl.lit("Rest of world")))
    return df.with_columns(region.alias("region"), nato.alias("nato")).drop("_ally")


def regional_shares(top100: pl.DataFrame, membership: pl.DataFrame,
                    exclude_china: bool = False) -> pl.DataFrame:
    """Share (percent) of Top-100 arms revenue by HQ region, every region in every year."""
    df = classify_regions(_prepare(top100, exclude_china), membership)
    grid = pl.DataFrame({"year": sorted(df["year"].unique().to_list())}).join(
        pl.DataFrame({"region": REGIONS}), how="cross")
    out = (df.group_by("year", "region")
           .agg(pl.col(ARMS).sum(), pl.len().cast(pl.Int64).alias("n_companies")))
    out = (grid.join(out, on=["year", "region"], how="left")
           .with_columns(pl.col(ARMS).fill_null(0.0), pl.col("n_companies").fill_null(0))
           .with_columns((100 * pl.col(ARMS) / pl.col(ARMS).sum().over("year")).alias("share_pct")))
    order = {r: i for i, r in enumerate(REGIONS)}
    return (out.with_columns(pl.col("region").replace_strict(order, return_dtype=pl.Int64)
                             .alias("region_order"))
            .sort("year", "region_order"))


def top_k_by_region(top100: pl.DataFrame, membership: pl.DataFrame, k: int = 10,
                    exclude_china: bool = False) -> pl.DataFrame:
    """The k largest companies each year with their region and NATO status."""
    s = shares(top100, exclude_china).filter(pl.col("position") <= k)
    return classify_regions(s, membership).select(
        "year", "position", "rank", "company", "hq_iso3", "trans_european", "region", "nato",
        ARMS, "share_pct").sort("year", "position")


def top10_nato_count(top100: pl.DataFrame, membership: pl.DataFrame, k: int = 10,
                     exclude_china: bool = False) -> pl.DataFrame:
    """How many of the k largest companies are headquartered in NATO (Trans-European counted)."""
    top = top_k_by_region(top100, membership, k, exclude_china)
    return (top.group_by("year")
            .agg(pl.lit(k).cast(pl.Int64).alias("k"),
                 pl.col("nato").sum().cast(pl.Int64).alias("n_nato"),
                 pl.col("company").filter(pl.col("nato")).alias("nato_companies"),
                 pl.col("company").filter(~pl.col("nato")).alias("other_companies"))
            .sort("year"))


def headline_measures(top100: pl.DataFrame, membership: pl.DataFrame, k: int = 10
                      ) -> pl.DataFrame:
    """CR5, CR_k and HHI per year for both series in one long frame (the notebook's table)."""
    rows = []
    ratios = [(lambda d, exclude_china, kk=kk: concentration(d, kk, exclude_china),
               f"CR{kk}", "% of Top-100 arms revenue") for kk in sorted({5, k})]
    for fn, measure, unit in (*ratios, (hhi, "HHI", "points (0-10,000)")):
        frame = with_series(fn, top100)
        value = "cr_pct" if "cr_pct" in frame.columns else "hhi_points"
        rows.append(frame.select("year", "series", pl.lit(measure).alias("measure"),
                                 pl.col(value).alias("value"), pl.lit(unit).alias("unit")))
    return pl.concat(rows).sort("measure", "series", "year")


def value_at(measures: pl.DataFrame, measure: str, year: int,
             series: str = SERIES_PUBLISHED) -> float | None:
    """One value from ``headline_measures``; before 2015 both series are the published one."""
    which = series if year >= CHINA_FROM else SERIES_PUBLISHED
    row = measures.filter((pl.col("measure") == measure) & (pl.col("year") == year)
                          & (pl.col("series") == which))
    return row["value"].item() if row.height else None
