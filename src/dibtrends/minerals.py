"""U.S. import reliance for NATO's defence-critical raw materials (USGS MCS 2024, data for 2023).

Why this shape: USGS publishes net import reliance (NIR) partly as bounds (">95", ">25") and
ranks each commodity's major import sources without giving their shares. So every function here
keeps the bound next to the number, answers threshold questions with yes / no / *cannot tell*
(null), and says where China *ranks* among the sources, never what share it supplies.
All figures are for the United States; they describe no other Ally.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from . import report
from .errors import DataError
from .load.curated_minerals import FILE as CURATED_FILE

#: Notebook parameter values -> the curated column that selects the minerals.
SELECTIONS = {
    "nato_defence_critical": "in_nato_defence_critical",  # NATO's 12 (11 December 2024)
    "brief_three": "in_nato_stockpiling_2025",            # lithium, titanium, rare earths
}
NOT_LISTED = "not_listed"  # the mineral has no row in USGS Fig. 2
#: Membership is taken at the end of USGS's import-source period (2019-2022): Finland (2023)
#: and Sweden (2024) were not yet Allies then.
ALLY_AS_OF = date(2022, 12, 31)
#: The three minerals whose NIR every run of notebook 05 publishes, by curated name.
HEADLINE_MINERALS = {"Lithium": "lithium", "Titanium": "titanium",
                     "Rare earth elements": "rare_earths"}


def defence_minerals(curated: pl.DataFrame,
                     selection: str = "nato_defence_critical") -> pl.DataFrame:
    """The curated defence-critical minerals in ``selection`` (see SELECTIONS)."""
    if selection not in SELECTIONS:
        raise ValueError(f"selection {selection!r} unknown; allowed: {', '.join(SELECTIONS)}")
    return curated.filter(pl.col(SELECTIONS[selection])).sort("mineral")


def nir_display(value: pl.Expr = pl.col("net_import_reliance_pct"),
                bound: pl.Expr = pl.col("nir_bound")) -> pl.Expr:
    """'>95', '<50', '100', 'net exporter', 'withheld', 'not in Fig. 2' for tables and prose."""
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


def meets_threshold(reliance: pl.DataFrame, threshold_pct: float) -> pl.DataFrame:
    """Add ``meets_threshold``: True / False, or null where the published bound cannot tell.

    '>50' meets 50 (the true value is above 50); '>25' cannot be placed against 50; '<25' is
    below 50; a net exporter (negative NIR) never meets a positive threshold; withheld and
    missing are null.
    """
    v, b = pl.col("net_import_reliance_pct"), pl.col("nir_bound")
    t = pl.lit(float(threshold_pct))
    flag = (
        pl.when(b == "eq").then(v >= t)
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


def first_source_is_ally(china: pl.DataFrame, membership: pl.DataFrame,
                         as_of: date = ALLY_AS_OF) -> pl.DataFrame:
    """Add ``top_source_is_ally``: whether the first-ranked source was a NATO member at ``as_of``.

    This uses the project's cited membership table, not the 'Alliance' column someone added
    to the USGS Table 5 copy (which the loader drops).
    """
    allies = membership.filter(pl.col("accession_date") <= as_of)["iso3"].implode()
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


def all_commodities_summary(nir: pl.DataFrame, sources: pl.DataFrame,
                            threshold_pct: float) -> pl.DataFrame:
    """The same counts over every Fig. 2 commodity: the backdrop for the defence subset."""
    everything = nir.select(pl.col("commodity").alias("mineral"),
                            pl.col("commodity").alias("usgs_commodity"))
    table = mineral_table(us_reliance(nir, everything), china_share(sources, everything))
    return summary_counts(meets_threshold(table, threshold_pct))


def _names(table: pl.DataFrame, condition: pl.Expr) -> str:
    names = table.filter(condition.fill_null(False))["mineral"].to_list()
    names = [n.lower() if n != "Rare earth elements" else "rare earths" for n in names]
    if len(names) <= 1:
        return "".join(names) or "none"
    return ", ".join(names[:-1]) + " and " + names[-1]


def headlines(table: pl.DataFrame, counts: pl.DataFrame, backdrop: pl.DataFrame,
              threshold_pct: float, selection: str) -> pl.DataFrame:
    """The notebook's headline table: the three named minerals' NIR as published, and counts."""
    c, b = counts.row(0, named=True), backdrop.row(0, named=True)
    unit_nir = "% of U.S. apparent consumption, 2023"
    rows = []
    for mineral, key in HEADLINE_MINERALS.items():
        found = table.filter(pl.col("mineral") == mineral)
        if found.height != 1:
            raise ValueError(f"selection {selection!r} lacks {mineral}; headlines need it")
        r = found.row(0, named=True)
        kind = {"gt": "lower bound", "lt": "upper bound", "eq": "published value"}.get(
            r["nir_bound"], r["nir_bound"])
        rows.append(report.headline(
            f"minerals_nir_{key}", f"U.S. net import reliance: {r['usgs_commodity']}",
            r["net_import_reliance_pct"], unit_nir, decimals=0, display=r["nir_display"],
            note=f"{kind}; first import source {r['top_source']}"))
    n, t = c["n_minerals"], f"{threshold_pct:g}"
    rows += [
        report.headline("minerals_n_selected", f"Minerals in selection {selection!r}", n,
                        "minerals", decimals=0),
        report.headline("minerals_n_meets_threshold", f"NIR at least {t} %", c["n_meets_threshold"],
                        "minerals", decimals=0, display=f"{c['n_meets_threshold']} of {n}",
                        note=f"'>' bounds at or above {t} count; {c['n_threshold_unknown']} "
                             "cannot be placed"),
        report.headline("minerals_n_threshold_unknown", f"Cannot be placed against {t} %",
                        c["n_threshold_unknown"], "minerals", decimals=0,
                        display=f"{c['n_threshold_unknown']} of {n}"),
        report.headline("minerals_n_china_top", "China the first-ranked import source",
                        c["n_china_top"], "minerals", decimals=0,
                        display=f"{c['n_china_top']} of {n}", note="rank 2019-2022, not a share"),
        report.headline("minerals_n_meets_threshold_china_top",
                        f"NIR at least {t} % and China first-ranked",
                        c["n_meets_threshold_china_top"], "minerals", decimals=0,
                        display=f"{c['n_meets_threshold_china_top']} of {n}"),
        report.headline("minerals_n_china_among_major", "China among the listed major sources",
                        c["n_china_among_major"], "minerals", decimals=0,
                        display=f"{c['n_china_among_major']} of {n}"),
        report.headline("minerals_all_n_meets_threshold",
                        f"All USGS Fig. 2 commodities with NIR at least {t} %",
                        b["n_meets_threshold"], "commodities", decimals=0,
                        display=f"{b['n_meets_threshold']} of {b['n_minerals']}"),
    ]
    if "n_ally_top" in c:
        rows.append(report.headline(
            "minerals_n_ally_top", "First-ranked source a NATO Ally (end 2022)", c["n_ally_top"],
            "minerals", decimals=0, display=f"{c['n_ally_top']} of {n}"))
    return report.headline_table(rows)


def prose(table: pl.DataFrame, counts: pl.DataFrame, threshold_pct: float) -> str:
    """What the data say, and what they cannot, as Markdown built from the computed table."""
    c = counts.row(0, named=True)
    n, t = c["n_minerals"], f"{threshold_pct:g}"
    meets, unknown = pl.col("meets_threshold"), pl.col("meets_threshold").is_null()
    text = [
        f"Of the {n} minerals selected, {c['n_in_fig2']} appear in the USGS figure of U.S. net "
        f"import reliance for 2023. For **{c['n_meets_threshold']}** of them the United States "
        f"imported, net, at least {t} % of what it consumed ({_names(table, meets)}).",
    ]
    if c["n_threshold_unknown"]:
        text.append(
            f"For {c['n_threshold_unknown']} the published figures cannot say "
            f"({_names(table, unknown)}): USGS prints some values only as bounds such as '>25', "
            "and a mineral absent from the figure has no value at all.")
    text.append(
        f"China was the first-ranked U.S. import source in 2019-2022 for **{c['n_china_top']}** "
        f"({_names(table, pl.col('china_is_top'))}) and one of the listed major sources for "
        f"{c['n_china_among_major']}.")
    if "n_ally_top" in c:
        text.append(
            f"For {c['n_ally_top']} the first-ranked source was itself a NATO Ally at the end of "
            f"2022 ({_names(table, pl.col('top_source_is_ally'))}).")
    text.append(
        "\n\n**What these figures can and cannot say.** They are *U.S.* figures: the reliance of "
        "one Ally, the United States, on net imports, measured against its own apparent "
        "consumption. They say "
        "nothing about the other Allies' reliance, nor about the Alliance as a whole, whose "
        "members also trade with each other. USGS ranks import sources but publishes no shares, "
        "so China's weight can be described only by rank, and Hong Kong is counted with China "
        "where USGS says so. Net import reliance also does not show where ores were mined, "
        "refined or processed before reaching the exporting country.")
    return " ".join(text)
