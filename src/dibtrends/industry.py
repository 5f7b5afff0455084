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
fewer than 100 companies (91 to 93 in the December 2025 edition: the firms that would have ranked
just below 100 without China are not in the file), which leaves out roughly 1 % of revenue at the
bottom and barely moves the top. ``with_series`` runs a function both ways and labels the rows,
so a chart can show the break; ``annual_totals`` gives each series' company count per year.

A year's Top-100 total is the sum of its companies' arms revenue (``annual_totals``): SIPRI rounds
each company to US$10 m and its published totals are these sums (checked against the December
2024 totals file in the tests); for the December 2025 edition no totals file is available.

Editions: SIPRI revises earlier years in every edition (company figures, ranks, which companies
are listed at all). ``compare_totals`` and ``compare_ranks`` set two editions side by side for
the years both cover; no function here mixes editions in one series.

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


def annual_totals(top100: pl.DataFrame, exclude_china: bool = False) -> pl.DataFrame:
    """Each year's Top-100 arms revenue (the sum of the listed companies, US$ bn at current
    prices) and the number of companies it sums (100, or fewer without Chinese firms)."""
    df = _prepare(top100, exclude_china) if exclude_china else top100
    return (df.group_by("year")
            .agg((pl.col(ARMS).sum() / 1000).alias("total_usd_bn"),
                 pl.len().cast(pl.Int64).alias("n_companies"))
            .sort("year"))


def top_k_region_counts(top: pl.DataFrame) -> pl.DataFrame:
    """How many of the top k companies each year are headquartered in each region, with their
    names (``top`` is :func:`top_k_by_region`): the data of the top-k-by-region chart."""
    order = {r: i for i, r in enumerate(REGIONS)}
    return (top.group_by("year", "region")
            .agg(pl.len().cast(pl.Int64).alias("companies"),
                 pl.col("company").sort().str.join(", ").alias("names"))
            .with_columns(pl.col("region").replace_strict(order, return_dtype=pl.Int64)
                          .alias("region_order"))
            .sort("year", "region_order"))


# ---------------------------------------------------------------- editions side by side
#: Companies an older edition names differently for the same years (same country, rank and
#: figures in both editions): older name -> newer name. Applied only when comparing editions.
EDITION_RENAMES = {"EDGE": "EDGE Group"}  # UAE; 2019-2020, US$4,750 m in both editions
IN_BOTH = "in both editions"
ONLY_OLDER = "only in the older edition"
ONLY_NEWER = "only in the newer edition"


def _common_years(older: pl.DataFrame, newer: pl.DataFrame) -> list[int]:
    years = sorted(set(older["year"].to_list()) & set(newer["year"].to_list()))
    if not years:
        raise ValueError("the two editions share no year to compare")
    return years


def _edition_of(df: pl.DataFrame) -> str:
    return df["source_id"][0] if "source_id" in df.columns and df.height else "unknown"


def compare_totals(older: pl.DataFrame, newer: pl.DataFrame) -> pl.DataFrame:
    """Each year both editions cover: the Top-100 total (sum of its rows, US$ bn, current
    prices) in the older and the newer edition, the revision, and how many companies the two
    lists share (a year's list can change between editions, not only its figures)."""
    years = _common_years(older, newer)
    old_t = annual_totals(older.filter(pl.col("year").is_in(years)))
    new_t = annual_totals(newer.filter(pl.col("year").is_in(years)))
    shared = (older.select("year", pl.col("company").replace(EDITION_RENAMES))
              .join(newer.select("year", "company"), on=["year", "company"])
              .group_by("year").agg(pl.len().cast(pl.Int64).alias("n_companies_in_both")))
    return (old_t.join(new_t, on="year", suffix="_newer")
            .rename({"total_usd_bn": "total_usd_bn_older", "n_companies": "n_companies_older"})
            .join(shared, on="year", how="left")
            .with_columns(pl.col("n_companies_in_both").fill_null(0),
                          pl.lit(_edition_of(older)).alias("source_id_older"),
                          pl.lit(_edition_of(newer)).alias("source_id_newer"),
                          (pl.col("total_usd_bn_newer") - pl.col("total_usd_bn_older"))
                          .alias("revision_usd_bn"))
            .with_columns((100 * pl.col("revision_usd_bn") / pl.col("total_usd_bn_older"))
                          .alias("revision_pct"))
            .select("year", "source_id_older", "source_id_newer", "total_usd_bn_older",
                    "total_usd_bn_newer", "revision_usd_bn", "revision_pct",
                    "n_companies_older", "n_companies_newer", "n_companies_in_both")
            .sort("year"))


def compare_ranks(older: pl.DataFrame, newer: pl.DataFrame,
                  renames: dict[str, str] | None = None) -> pl.DataFrame:
    """Each company listed in a year both editions cover: its rank and arms revenue (US$ m,
    current prices) in each edition and whether it is listed in both, only the older or only
    the newer. ``rank_change`` is older minus newer rank (positive: ranked higher in the newer
    edition). Older names are mapped through ``renames`` (default :data:`EDITION_RENAMES`)."""
    renames = EDITION_RENAMES if renames is None else renames
    years = _common_years(older, newer)
    cols = ["year", "company", "rank", "country_published", ARMS]
    old = (older.filter(pl.col("year").is_in(years)).select(cols)
           .with_columns(pl.col("company").replace(renames)))
    new = newer.filter(pl.col("year").is_in(years)).select(cols)
    both = old.join(new, on=["year", "company"], how="full", coalesce=True, suffix="_newer")
    return (both.rename({"rank": "rank_older", ARMS: "arms_usd_m_older",
                         f"{ARMS}_newer": "arms_usd_m_newer"})
            .with_columns(
                pl.coalesce("country_published_newer", "country_published").alias("country"),
                pl.when(pl.col("rank_older").is_null()).then(pl.lit(ONLY_NEWER))
                .when(pl.col("rank_newer").is_null()).then(pl.lit(ONLY_OLDER))
                .otherwise(pl.lit(IN_BOTH)).alias("status"),
                (pl.col("rank_older") - pl.col("rank_newer")).alias("rank_change"),
                (pl.col("arms_usd_m_newer") - pl.col("arms_usd_m_older")).alias("revision_usd_m"),
                pl.lit(_edition_of(older)).alias("source_id_older"),
                pl.lit(_edition_of(newer)).alias("source_id_newer"))
            .select("year", "company", "country", "status", "rank_older", "rank_newer",
                    "rank_change", "arms_usd_m_older", "arms_usd_m_newer", "revision_usd_m",
                    "source_id_older", "source_id_newer")
            .sort("year", pl.coalesce("rank_newer", "rank_older"), "status"))


def value_at(measures: pl.DataFrame, measure: str, year: int,
             series: str = SERIES_PUBLISHED) -> float | None:
    """One value from ``headline_measures``; before 2015 both series are the published one."""
    which = series if year >= CHINA_FROM else SERIES_PUBLISHED
    row = measures.filter((pl.col("measure") == measure) & (pl.col("year") == year)
                          & (pl.col("series") == which))
    return row["value"].item() if row.height else None
