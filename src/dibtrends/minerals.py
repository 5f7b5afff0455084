"""U.S. import reliance for NATO's defence-critical raw materials (USGS MCS 2024, data for 2023).

USGS publishes net import reliance (NIR) partly as bounds ('>95', '>25') and ranks each
commodity's import sources without their shares. So the bound stays next to the number, threshold
questions get yes / no / cannot tell (null), and China's *rank* among the sources is reported,
never a share. All figures are for the United States only.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from .errors import DataError
from .paths import DEFENCE_MINERALS_FILE
#: Selection parameter values -> the curated column that selects the minerals.
SELECTIONS = {
    "nato_defence_critical": "in_nato_defence_critical",  # NATO's 12 (11 December 2024)
    "brief_three": "in_nato_stockpiling_2025",            # lithium, titanium, rare earths
}
NOT_LISTED = "not_listed"  # the mineral has no row in USGS Fig. 2
#: Membership at the end of USGS's import-source period (2019-2022): Finland (2023) and Sweden
#: (2024) were not yet Allies then.
ALLY_AS_OF = date(2022, 12, 31)
#: T5 statistics shown for a mineral that has no Fig. 2 row.
SALIENT_SHOWN = ("primary_production", "apparent_consumption", "net_import_reliance")


def defence_minerals(curated: pl.DataFrame,
                     selection: str = "nato_defence_critical") -> pl.DataFrame:
    """The curated defence-critical minerals in ``selection`` (see SELECTIONS)."""
    if selection not in SELECTIONS:
        raise ValueError(f"selection {selection!r} unknown; allowed: {', '.join(SELECTIONS)}")
    return curated.filter(pl.col(SELECTIONS[selection])).sort("mineral")


def us_reliance(nir: pl.DataFrame, minerals: pl.DataFrame) -> pl.DataFrame:
    """U.S. NIR for each mineral, with its bound; minerals absent from Fig. 2 are kept. A
    curated ``usgs_commodity`` that names no Fig. 2 row is a transcription error and fails."""
    named = minerals.filter(pl.col("usgs_commodity").is_not_null())
    unknown = named.join(nir, left_on="usgs_commodity", right_on="commodity", how="anti")
    if unknown.height:
        bad = unknown.row(0, named=True)
        raise DataError(DEFENCE_MINERALS_FILE,
                        f"USGS commodity {bad['usgs_commodity']!r} is not a row of USGS Fig. 2",
                        column="usgs_commodity", row=bad["mineral"],
                        fix="copy the commodity name exactly as the Fig. 2 CSV spells it.")
    return minerals.select("mineral", "usgs_commodity").join(
        nir.select("commodity", "net_import_reliance_pct", "nir_bound", "nir_text", "year",
                   "source_id"),
        left_on="usgs_commodity", right_on="commodity", how="left",
    ).with_columns(pl.col("nir_bound").fill_null(NOT_LISTED)).sort("mineral")


def meets_threshold(reliance: pl.DataFrame, threshold_pct: float,
                    strict: bool = False) -> pl.DataFrame:
    """Add ``meets_threshold``: True / False, or null where the published bound cannot tell.

    "At least" by default: '>50' meets 50, '>25' cannot be placed, '<25' is below. With
    ``strict`` it is "more than" (USGS's "more than one-half"): a printed 50 does not count. A
    net exporter never meets a positive threshold; withheld and missing are null.
    """
    v, b, t = pl.col("net_import_reliance_pct"), pl.col("nir_bound"), pl.lit(float(threshold_pct))
    flag = (
        pl.when(b == "eq").then((v > t) if strict else (v >= t))
        .when(b == "gt").then(pl.when(v >= t).then(True).otherwise(None))
        .when(b == "lt").then(pl.when(v <= t).then(False).otherwise(None))
        .when(b == "exporter").then(pl.when(t > 0).then(False).otherwise(None))
        .otherwise(None)
        .cast(pl.Boolean)
    )
    return reliance.with_columns(flag.alias("meets_threshold"))


def _allies(membership: pl.DataFrame, as_of: date) -> pl.Series:
    return membership.filter(pl.col("accession_date") <= as_of)["iso3"].implode()


def source_ranks(sources: pl.DataFrame, minerals: pl.DataFrame, membership: pl.DataFrame,
                 as_of: date = ALLY_AS_OF) -> pl.DataFrame:
    """Where China ranks among each mineral's major U.S. import sources (2019-2022): its rank,
    whether it is first or listed at all, and whether it includes Hong Kong; and whether the
    first-ranked source was a NATO member at ``as_of`` (``top_source_is_ally``, by the project's
    cited membership table, not USGS's 'Alliance' column). USGS ranks the sources by import
    share without giving the shares, so no percentage can be computed."""
    listed, top = pl.col("usgs_commodity").is_not_null(), pl.col("top_source_iso3")
    first, china = pl.col("rank") == 1, pl.col("iso3") == "CHN"
    return (
        minerals.select("mineral", "usgs_commodity")
        .join(sources, left_on="usgs_commodity", right_on="commodity", how="left")
        .group_by("mineral", "usgs_commodity", maintain_order=True)
        .agg(pl.col("source_country").filter(first).first().alias("top_source"),
             pl.col("iso3").filter(first).first().alias("top_source_iso3"),
             pl.col("rank").filter(china).first().alias("china_rank"),
             pl.col("includes_hong_kong").filter(china).first()
             .alias("china_includes_hong_kong"),
             pl.col("rank").max().alias("n_major_sources"))
        .with_columns(
            pl.when(listed).then((pl.col("china_rank") == 1).fill_null(False))
            .alias("china_is_top"),
            pl.when(listed).then(pl.col("china_rank").is_not_null()).alias("china_among_major"),
            pl.when(top.is_not_null()).then(top.is_in(_allies(membership, as_of)))
            .alias("top_source_is_ally"))
        .sort("mineral"))


def mineral_table(nir: pl.DataFrame, sources: pl.DataFrame, membership: pl.DataFrame,
                  minerals: pl.DataFrame) -> pl.DataFrame:
    """One row per mineral: NIR with its bound and its import sources, most reliant first."""
    return us_reliance(nir, minerals).join(
        source_ranks(sources, minerals, membership).drop("usgs_commodity"), on="mineral",
        how="left").sort("net_import_reliance_pct", "mineral", descending=[True, False],
                         nulls_last=True)


def summary_counts(table: pl.DataFrame) -> pl.DataFrame:
    """Counts over :func:`mineral_table` (after :func:`meets_threshold`), one row;
    ``n_threshold_unknown``: minerals whose bound (or absence) cannot be placed."""
    meets, china_top = (pl.col(c).fill_null(False) for c in ("meets_threshold", "china_is_top"))
    return table.select(
        pl.len().alias("n_minerals"),
        (pl.col("nir_bound") != NOT_LISTED).sum().alias("n_in_fig2"),
        meets.sum().alias("n_meets_threshold"),
        pl.col("meets_threshold").is_null().sum().alias("n_threshold_unknown"),
        china_top.sum().alias("n_china_top"),
        pl.col("china_among_major").fill_null(False).sum().alias("n_china_among_major"),
        (meets & china_top).sum().alias("n_meets_threshold_china_top"),
        pl.col("top_source_is_ally").fill_null(False).sum().alias("n_ally_top"),
    ).with_columns(pl.all().cast(pl.Int64))


def all_commodities_summary(nir: pl.DataFrame, sources: pl.DataFrame, membership: pl.DataFrame,
                            threshold_pct: float) -> pl.DataFrame:
    """:func:`summary_counts` over every Fig. 2 commodity: the backdrop for the selection."""
    every = nir.select(pl.col("commodity").alias("mineral"),
                       pl.col("commodity").alias("usgs_commodity"))
    return summary_counts(meets_threshold(mineral_table(nir, sources, membership, every),
                                          threshold_pct))


def usgs_reliance_counts(nir: pl.DataFrame, threshold_pct: float = 50) -> pl.DataFrame:
    """USGS's own counting over Fig. 2, one row: commodities with NIR *more than* the threshold
    (split by printed value or bound), those a bound leaves undecided, and those printed 100."""
    yes, bound = pl.col("meets_threshold").fill_null(False), pl.col("nir_bound")
    return meets_threshold(nir, threshold_pct, strict=True).select(
        pl.len().alias("n_commodities"),
        yes.sum().alias("n_more_than"),
        (yes & (bound == "eq")).sum().alias("n_more_than_printed"),
        (yes & (bound == "gt")).sum().alias("n_more_than_bound"),
        pl.col("meets_threshold").is_null().sum().alias("n_undecided"),
        ((bound == "eq") & (pl.col("net_import_reliance_pct") == 100)).sum()
        .alias("n_fully_reliant"),
    ).with_columns(pl.all().cast(pl.Int64))


def usgs_undecided(nir: pl.DataFrame, threshold_pct: float = 50) -> pl.DataFrame:
    """The Fig. 2 commodities whose printed bound cannot be placed against "more than
    ``threshold_pct``" ('>25' against 50), with the text USGS prints."""
    return (meets_threshold(nir, threshold_pct, strict=True)
            .filter(pl.col("meets_threshold").is_null())
            .select("commodity", "nir_text").sort("commodity"))


def major_source_counts(counts: pl.DataFrame, membership: pl.DataFrame,
                        as_of: date = ALLY_AS_OF) -> pl.DataFrame:
    """USGS Fig. 3 (per country, how many commodities with NIR above 50 % it is a major import
    source for), ranked, with whether the country was an Ally at ``as_of``."""
    return (counts.select("country", "iso3", "commodity_count")
            .with_columns(pl.col("iso3").is_in(_allies(membership, as_of)).alias("is_ally"),
                          pl.col("commodity_count").rank("min", descending=True).cast(pl.Int64)
                          .alias("rank"))
            .sort("commodity_count", "country", descending=[True, False]))


def major_source_check(counts: pl.DataFrame, nir: pl.DataFrame,
                       sources: pl.DataFrame) -> pl.DataFrame:
    """Fig. 3 recounted from Fig. 2: countries whose Fig. 3 count differs from the number of
    Fig. 2 commodities with NIR above 50 % that list them as a major source (empty = agree)."""
    above = (meets_threshold(nir, 50, strict=True)
             .filter(pl.col("meets_threshold").fill_null(False)).select("commodity"))
    recount = (sources.join(above, on="commodity").group_by("iso3")
               .agg(pl.len().cast(pl.Int64).alias("fig2_count")))
    return (counts.select("country", "iso3", "commodity_count")
            .join(recount, on="iso3", how="full", coalesce=True)
            .filter(pl.col("commodity_count").fill_null(0) != pl.col("fig2_count").fill_null(0)))


def end_uses(minerals: pl.DataFrame, end_use: pl.DataFrame) -> pl.DataFrame:
    """Add USGS Table 4's ``primary_applications`` (null where Table 4 has no row of that name,
    e.g. rare earths, which it lists element by element)."""
    return minerals.join(end_use.select("critical_mineral", "primary_applications"),
                         left_on="usgs_critical_mineral", right_on="critical_mineral", how="left")


def salient(minerals: pl.DataFrame, salient_table: pl.DataFrame) -> pl.DataFrame:
    """USGS Table 5 per mineral, one row: its leading import source and the SALIENT_SHOWN
    statistics as printed (value, flag, text; units as the source states)."""
    wide = (salient_table.filter(pl.col("statistic").is_in(list(SALIENT_SHOWN)))
            .pivot(on="statistic", values=["value", "flag", "value_text"],
                   index=["critical_mineral", "top_import_source", "top_import_source_iso3"]))
    return minerals.select("mineral", "usgs_critical_mineral").join(
        wide, left_on="usgs_critical_mineral", right_on="critical_mineral", how="left")


def leading_source_check(table: pl.DataFrame, salient_rows: pl.DataFrame) -> pl.DataFrame:
    """Fig. 2's first-ranked source against Table 5's leading import source, per mineral in
    both; ``agrees`` is False where they name different countries."""
    return (table.select("mineral", "top_source", "top_source_iso3")
            .join(salient_rows.select("mineral", "top_import_source", "top_import_source_iso3"),
                  on="mineral")
            .filter(pl.col("top_source_iso3").is_not_null()
                    & pl.col("top_import_source_iso3").is_not_null())
            .with_columns((pl.col("top_source_iso3") == pl.col("top_import_source_iso3"))
                          .alias("agrees")))
