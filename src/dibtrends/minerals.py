"""U.S. import reliance for NATO's defence-critical raw materials (USGS MCS 2024, data for 2023).

Why this shape: USGS publishes net import reliance (NIR) partly as bounds (">95", ">25") and
ranks each commodity's major import sources without giving their shares. So every function here
keeps the bound next to the number, answers threshold questions with yes / no / *cannot tell*
(null), and says where China *ranks* among the sources, never what share it supplies.
All figures are for the United States; they describe no other Ally.

Pure functions from Polars frames to Polars frames: the sentences, verdicts and headlines built
from them live in :mod:`dibtrends.chapters.minerals`.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from .errors import DataError
from .paths import CURATED

#: The curated table (data/curated/defence_critical_minerals.csv), named in messages.
CURATED_FILE = CURATED / "defence_critical_minerals.csv"

#: Selection parameter values -> the curated column that selects the minerals.
SELECTIONS = {
    "nato_defence_critical": "in_nato_defence_critical",  # NATO's 12 (11 December 2024)
    "brief_three": "in_nato_stockpiling_2025",            # lithium, titanium, rare earths
}
#: The minerals NATO named for its June 2025 stockpiling project (the curated flag): their NIR
#: is published whatever the selection.
STOCKPILING_COLUMN = "in_nato_stockpiling_2025"
NOT_LISTED = "not_listed"  # the mineral has no row in USGS Fig. 2
#: Membership is taken at the end of USGS's import-source period (2019-2022): Finland (2023)
#: and Sweden (2024) were not yet Allies then.
ALLY_AS_OF = date(2022, 12, 31)
#: T5 statistics shown for a mineral that has no Fig. 2 row.
SALIENT_SHOWN = ("primary_production", "apparent_consumption", "net_import_reliance")


def defence_minerals(curated: pl.DataFrame,
                     selection: str = "nato_defence_critical") -> pl.DataFrame:
    """The curated defence-critical minerals in ``selection`` (see SELECTIONS)."""
    if selection not in SELECTIONS:
        raise ValueError(f"selection {selection!r} unknown; allowed: {', '.join(SELECTIONS)}")
    return curated.filter(pl.col(SELECTIONS[selection])).sort("mineral")


def stockpiling_minerals(curated: pl.DataFrame) -> pl.DataFrame:
    """The minerals NATO named for joint stockpiling (June 2025), from the curated flag."""
    return curated.filter(pl.col(STOCKPILING_COLUMN)).sort("mineral")


def nir_display(value: pl.Expr | None = None, bound: pl.Expr | None = None) -> pl.Expr:
    """'>95', '<50', '100', 'net exporter', 'withheld', 'not in Fig. 2' for tables and prose
    (defaults: the ``net_import_reliance_pct`` and ``nir_bound`` columns)."""
    value = pl.col("net_import_reliance_pct") if value is None else value
    bound = pl.col("nir_bound") if bound is None else bound
    number = value.round(0).cast(pl.Int64).cast(pl.String)
    return (
        pl.when(bound == "gt").then(pl.lit(">") + number)
        .when(bound == "lt").then(pl.lit("<") + number)
        .when(bound == "eq").then(number)
        .when(bound == "exporter").then(pl.lit("net exporter"))
        .when(bound == NOT_LISTED).then(pl.lit("not in USGS Fig. 2"))
        .otherwise(bound.str.replace("_", " "))
    )


def us_reliance(nir: pl.DataFrame, minerals: pl.DataFrame) -> pl.DataFrame:
    """U.S. 2023 NIR for each mineral, with its bound; minerals absent from Fig. 2 are kept.

    A curated ``usgs_commodity`` that names no Fig. 2 row is a transcription error and fails.
    """
    named = minerals.filter(pl.col("usgs_commodity").is_not_null())
    unknown = named.join(nir, left_on="usgs_commodity", right_on="commodity", how="anti")
    if unknown.height:
        bad = unknown.row(0, named=True)
        raise DataError(CURATED_FILE, f"USGS commodity {bad['usgs_commodity']!r} is not a row of "
                        "USGS Fig. 2", column="usgs_commodity", row=bad["mineral"],
                        fix="copy the commodity name exactly as the Fig. 2 CSV spells it.")
    out = minerals.select("mineral", "usgs_commodity").join(
        nir.select("commodity", "net_import_reliance_pct", "nir_bound", "nir_text", "year",
                   "source_id"),
        left_on="usgs_commodity", right_on="commodity", how="left",
    ).with_columns(pl.col("nir_bound").fill_null(NOT_LISTED))
    return out.with_columns(nir_display().alias("nir_display")).sort("mineral")


def meets_threshold(reliance: pl.DataFrame, threshold_pct: float,
                    strict: bool = False) -> pl.DataFrame:
    """Add ``meets_threshold``: True / False, or null where the published bound cannot tell.

    With ``strict=False`` the question is "at least ``threshold_pct``": '>50' meets 50 (the true
    value is above 50); '>25' cannot be placed against 50; '<25' is below 50. With
    ``strict=True`` it is "more than ``threshold_pct``" (USGS's own "more than one-half"): a
    printed 50 does not count, '>50' does, '<50' does not. A net exporter (negative NIR) never
    meets a positive threshold; withheld and missing are null.
    """
    v, b = pl.col("net_import_reliance_pct"), pl.col("nir_bound")
    t = pl.lit(float(threshold_pct))
    equal = (v > t) if strict else (v >= t)
    flag = (
        pl.when(b == "eq").then(equal)
        .when(b == "gt").then(pl.when(v >= t).then(True).otherwise(None))
        .when(b == "lt").then(pl.when(v <= t).then(False).otherwise(None))
        .when(b == "exporter").then(pl.when(t > 0).then(False).otherwise(None))
        .otherwise(None)
        .cast(pl.Boolean)
    )
    return reliance.with_columns(flag.alias("meets_threshold"))


def china_share(sources: pl.DataFrame, minerals: pl.DataFrame) -> pl.DataFrame:
    """Where China ranks among each mineral's major U.S. import sources (2019-2022).

    Named for the question it answers as far as the data allow: USGS gives sources in
    descending order of import share, *not* the shares, so this returns China's rank, whether
    it is the first source, whether it is listed at all, and whether its figure includes Hong
    Kong. No percentage can be computed from this release.
    """
    listed = pl.col("usgs_commodity").is_not_null()
    ranked = minerals.select("mineral", "usgs_commodity").join(
        sources, left_on="usgs_commodity", right_on="commodity", how="left")
    return (
        ranked.group_by("mineral", "usgs_commodity", maintain_order=True)
        .agg(
            pl.col("source_country").filter(pl.col("rank") == 1).first().alias("top_source"),
            pl.col("iso3").filter(pl.col("rank") == 1).first().alias("top_source_iso3"),
            pl.col("rank").filter(pl.col("iso3") == "CHN").first().alias("china_rank"),
            pl.col("includes_hong_kong").filter(pl.col("iso3") == "CHN").first()
            .alias("china_includes_hong_kong"),
            pl.col("rank").max().alias("n_major_sources"),
        )
        .with_columns(
            pl.when(listed).then((pl.col("china_rank") == 1).fill_null(False))
            .alias("china_is_top"),
            pl.when(listed).then(pl.col("china_rank").is_not_null()).alias("china_among_major"),
        )
        .sort("mineral")
    )


def allies_as_of(membership: pl.DataFrame, as_of: date = ALLY_AS_OF) -> pl.Series:
    """ISO codes of the NATO members on ``as_of`` (from the cited membership table)."""
    return membership.filter(pl.col("accession_date") <= as_of)["iso3"]


def first_source_is_ally(china: pl.DataFrame, membership: pl.DataFrame,
                         as_of: date = ALLY_AS_OF) -> pl.DataFrame:
    """Add ``top_source_is_ally``: whether the first-ranked source was a NATO member at ``as_of``.

    This uses the project's cited membership table, not the 'Alliance' column someone added
    to the USGS Table 5 copy (which the loader drops).
    """
    allies = allies_as_of(membership, as_of).implode()
    return china.with_columns(
        pl.when(pl.col("top_source_iso3").is_not_null())
        .then(pl.col("top_source_iso3").is_in(allies)).alias("top_source_is_ally"))


def mineral_table(reliance: pl.DataFrame, china: pl.DataFrame) -> pl.DataFrame:
    """One row per mineral: NIR with bound and display text, threshold flag, China's rank."""
    return reliance.join(china.drop("usgs_commodity"), on="mineral", how="left").sort(
        "net_import_reliance_pct", "mineral", descending=[True, False], nulls_last=True)


def summary_counts(table: pl.DataFrame) -> pl.DataFrame:
    """Counts over :func:`mineral_table` (after :func:`meets_threshold`), one row.

    ``n_threshold_unknown`` counts minerals whose published bound (or absence from Fig. 2)
    cannot be placed against the threshold: they are neither in nor out.
    """
    meets = pl.col("meets_threshold")
    return table.select(
        pl.len().alias("n_minerals"),
        (pl.col("nir_bound") != NOT_LISTED).sum().alias("n_in_fig2"),
        meets.fill_null(False).sum().alias("n_meets_threshold"),
        meets.is_null().sum().alias("n_threshold_unknown"),
        pl.col("china_is_top").fill_null(False).sum().alias("n_china_top"),
        pl.col("china_among_major").fill_null(False).sum().alias("n_china_among_major"),
        (meets.fill_null(False) & pl.col("china_is_top").fill_null(False)).sum()
        .alias("n_meets_threshold_china_top"),
        *([pl.col("top_source_is_ally").fill_null(False).sum().alias("n_ally_top")]
          if "top_source_is_ally" in table.columns else []),
    ).with_columns(pl.all().cast(pl.Int64))


def all_commodities(nir: pl.DataFrame, sources: pl.DataFrame) -> pl.DataFrame:
    """Every Fig. 2 commodity as a :func:`mineral_table` (the backdrop for the selection)."""
    everything = nir.select(pl.col("commodity").alias("mineral"),
                            pl.col("commodity").alias("usgs_commodity"))
    return mineral_table(us_reliance(nir, everything), china_share(sources, everything))


def all_commodities_summary(nir: pl.DataFrame, sources: pl.DataFrame,
                            threshold_pct: float) -> pl.DataFrame:
    """The same counts over every Fig. 2 commodity: the backdrop for the defence subset."""
    return summary_counts(meets_threshold(all_commodities(nir, sources), threshold_pct))


def usgs_reliance_counts(nir: pl.DataFrame, threshold_pct: float = 50) -> pl.DataFrame:
    """USGS's own counting over Fig. 2, one row: commodities with NIR *more than*
    ``threshold_pct`` (bounds placed where they can be), those a bound leaves undecided, and
    those at 100 % (printed as exactly 100). Split by how USGS prints the value, so a reader
    sees how many rest on a bound."""
    flagged = meets_threshold(nir, threshold_pct, strict=True)
    yes = pl.col("meets_threshold").fill_null(False)
    return flagged.select(
        pl.len().alias("n_commodities"),
        yes.sum().alias("n_more_than"),
        (yes & (pl.col("nir_bound") == "eq")).sum().alias("n_more_than_printed"),
        (yes & (pl.col("nir_bound") == "gt")).sum().alias("n_more_than_bound"),
        pl.col("meets_threshold").is_null().sum().alias("n_undecided"),
        ((pl.col("nir_bound") == "eq") & (pl.col("net_import_reliance_pct") == 100)).sum()
        .alias("n_fully_reliant"),
    ).with_columns(pl.all().cast(pl.Int64))


def major_source_counts(counts: pl.DataFrame, membership: pl.DataFrame,
                        as_of: date = ALLY_AS_OF) -> pl.DataFrame:
    """USGS Fig. 3 (per country, the number of commodities with NIR above 50 % for which it is
    a major import source), ranked, with whether the country was an Ally at ``as_of``."""
    allies = allies_as_of(membership, as_of).implode()
    return (counts.select("country", "iso3", "commodity_count")
            .with_columns(pl.col("iso3").is_in(allies).alias("is_ally"),
                          pl.col("commodity_count").rank("min", descending=True).cast(pl.Int64)
                          .alias("rank"))
            .sort("commodity_count", "country", descending=[True, False]))


def major_source_check(counts: pl.DataFrame, nir: pl.DataFrame,
                       sources: pl.DataFrame) -> pl.DataFrame:
    """Fig. 3 recounted from Fig. 2: countries whose Fig. 3 count differs from the number of
    Fig. 2 commodities with NIR above 50 % that list them as a major source (empty = agree)."""
    above = usgs_reliance_flags(nir)
    recount = (sources.join(above, on="commodity").group_by("iso3")
               .agg(pl.len().cast(pl.Int64).alias("fig2_count")))
    return (counts.select("country", "iso3", "commodity_count")
            .join(recount, on="iso3", how="full", coalesce=True)
            .filter(pl.col("commodity_count").fill_null(0) != pl.col("fig2_count").fill_null(0)))


def usgs_undecided(nir: pl.DataFrame, threshold_pct: float = 50) -> pl.DataFrame:
    """The Fig. 2 commodities whose printed bound cannot be placed against "more than
    ``threshold_pct``" ('>25' against 50), with the text USGS prints."""
    flagged = meets_threshold(nir, threshold_pct, strict=True)
    return (flagged.filter(pl.col("meets_threshold").is_null())
            .select("commodity", "nir_text").sort("commodity"))


def usgs_reliance_flags(nir: pl.DataFrame, threshold_pct: float = 50) -> pl.DataFrame:
    """The Fig. 2 commodities whose NIR is more than ``threshold_pct`` (one column)."""
    flagged = meets_threshold(nir, threshold_pct, strict=True)
    return flagged.filter(pl.col("meets_threshold").fill_null(False)).select("commodity")


def end_uses(minerals: pl.DataFrame, end_use: pl.DataFrame) -> pl.DataFrame:
    """Add USGS Table 4's ``primary_applications`` to each mineral (null where Table 4 has no
    row of that name, e.g. rare earths, which it lists element by element)."""
    return minerals.join(end_use.select("critical_mineral", "primary_applications"),
                         left_on="usgs_critical_mineral", right_on="critical_mineral",
                         how="left")


def salient(minerals: pl.DataFrame, salient_table: pl.DataFrame) -> pl.DataFrame:
    """USGS Table 5 for each mineral, one row: the leading import source it names and the
    statistics in SALIENT_SHOWN as printed (value, flag, text); units as the source states."""
    t5 = salient_table.filter(pl.col("statistic").is_in(list(SALIENT_SHOWN)))
    wide = t5.pivot(on="statistic", index=["critical_mineral", "top_import_source",
                                           "top_import_source_iso3"],
                    values=["value", "flag", "value_text"])
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
