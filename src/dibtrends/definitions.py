"""NATO's and SIPRI's share of GDP for the same Ally and year, side by side.

NATO takes what each Ally's ministry of defence reports under NATO's definition; SIPRI builds
its series from budgets and other open sources under its own. What the definitions say is
quoted or closely paraphrased from the publishers (never inferred from the numbers), and SIPRI's
footnotes are quoted from the release the project reads: reference texts, like the registry's
titles, shown by chapter 4 and the Ally profiles.
"""

from __future__ import annotations

import polars as pl

#: NATO's definition, from the notes to its defence expenditure press releases ("Defence
#: Expenditure of NATO Countries") and the notes to Table 8 of its tables.
NATO_DEFINITION = (
    "NATO defines defence expenditure as payments made by a national government to meet the "
    "needs of its armed forces, those of Allies or of the Alliance; each Ally's ministry of "
    "defence reports it under this agreed definition. Personnel expenditure includes pensions "
    "paid to retirees. \"Other forces\" such as interior-ministry troops, border guards or "
    "gendarmerie count only in proportion to those trained in military tactics, equipped as a "
    "military force, able to operate under direct military authority in deployed operations and "
    "realistically deployable outside national territory. NATO warns that its figures may "
    "diverge considerably from national budgets. It measures the share of GDP at 2015 prices "
    "(\"share of real GDP\", its Table 3), with economic data from the European Commission and "
    "the OECD.")
#: SIPRI's definition, from "Sources and methods" of the SIPRI Military Expenditure Database.
SIPRI_DEFINITION = (
    "SIPRI includes all current and capital expenditure on the armed forces (peacekeeping "
    "forces included), defence ministries and other government agencies engaged in defence "
    "projects, paramilitary forces when judged to be trained and equipped for military "
    "operations, and military space activities: personnel (including retirement pensions of "
    "military personnel), operations and maintenance, procurement, military research and "
    "development, and military aid, counted in the donor's figures. It excludes civil defence "
    "and current expenditure on past military activities such as veterans' benefits. Its data "
    "come from open sources, official data first; where SIPRI cannot apply its definition to a "
    "country it applies another one over that country's whole series.")
#: What the two definitions share and where their words differ.
COMMON_GROUND = (
    "Both definitions count military pensions. Both count paramilitary forces, but NATO only "
    "in proportion to forces that are also deployable with the armed forces, SIPRI when it "
    "judges them trained and equipped for military operations. SIPRI counts military aid in the "
    "donor's figures; NATO's definition covers payments for the needs of an Ally's own forces, "
    "of Allies and of the Alliance. Beyond the words, NATO takes what ministries of defence "
    "report, while SIPRI builds its series from budgets and other open sources and notes, Ally "
    "by Ally, where its figures include or leave out items (its footnotes, below). NATO's "
    "latest years are estimates made at the time of its release.")

#: SIPRI's footnotes on definitions for Allies, quoted from the Footnotes sheet of the
#: SIPRI Military Expenditure Database, release v1.2 (April 2026) (source id below). Only the
#: sentences on what the figures include or leave out; valid for that release only.
SIPRI_FOOTNOTES_SOURCE = "sipri_milex_2025"
SIPRI_FOOTNOTES: dict[str, str] = {
    "ESP": ("The figures for Spain include spending on pensions, R&D and military intelligence, "
            "which are not included either in the main defence budget or figures supplied by "
            "NATO."),
    "ITA": "Figures include spending on paramilitary forces (i.e. Carabinieri).",
    "TUR": "Türkiye's military spending does not include military pensions.",
    "FIN": "Finland's military spending includes pensions and paramilitary forces.",
    "POL": ("The figures for Poland exclude some defence spending in other ministries, "
            "additional domestic defence spending such as the Armed Forces Modernization Fund "
            "(AFMF) and some additional Defence R&D."),
    "USA": ("All figures for the USA are for financial year (1 Oct. of the previous year–30 Sep. "
            "of the stated year) rather than calendar year. US military expenditure includes a "
            "portion of the total spending of the National Intelligence Programme, which SIPRI "
            "has judged to be military-related. US figures between 2022 and 2024 include "
            "estimates of military aid to Ukraine."),
    "FRA": ("In 2019 the French military spending series was revised to better account for the "
            "military activities of the Gendarmerie."),
    "LUX": "The figures from 2008 only include defence budget.",
    "GBR": ("The figures for the UK from 2001 are based on the \"Net Cash Requirement\" figures "
            "given in the Annual UK Defence Statistics, which are closest to the old cash "
            "definition."),
}

#: NATO's and SIPRI's shares "agree" within this many percentage points (two decimals is what
#: NATO's press releases print).
CLOSE_PP = 0.05
#: NATO's share at 2015 prices and at current prices "agree" within this many points.
PRICE_BASIS_TOLERANCE_PP = 0.01
COLUMNS = ("iso3", "year", "nato_estimate", "sipri_estimate", "nato_share_pct",
           "sipri_share_pct", "difference_pp", "nato_nominal_share_pct")


def nato_vs_sipri(nato: pl.DataFrame, sipri: pl.DataFrame) -> pl.DataFrame:
    """Per Ally and year both publish: NATO's share of GDP, SIPRI's, and ``difference_pp``
    (NATO minus SIPRI, points); ``nato_nominal_share_pct`` (current US$ over current GDP) shows
    how much NATO's choice of 2015 prices explains."""
    left = nato.filter(~pl.col("is_aggregate"), pl.col("share_gdp_pct").is_not_null()).select(
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
    return comparison.sort("year").group_by("iso3").agg(
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
    ).sort("mean_difference_pp")


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


def price_basis_effect(comparison: pl.DataFrame,
                       tolerance_pp: float = PRICE_BASIS_TOLERANCE_PP) -> dict:
    """How many Ally-years' NATO share at 2015 prices differs from its share at current prices
    by more than ``tolerance_pp``, and the largest such difference: whether NATO's price basis
    explains any of the NATO-SIPRI gap."""
    diff = (comparison["nato_share_pct"] - comparison["nato_nominal_share_pct"]).abs()
    big = comparison.filter(diff > tolerance_pp)
    return {"n_rows": comparison.height, "n_differ": big.height,
            "allies": sorted(set(big["iso3"].to_list())),
            "largest_pp": float(diff.max()) if comparison.height else None}



def threshold_flips(comparison: pl.DataFrame, counted: pl.DataFrame, year: int,
                    threshold: float) -> tuple[list[str], list[str]]:
    """Of the Allies ``counted`` (iso3, year, counted) in ``year``, those at ``threshold`` on
    NATO's figures but not on SIPRI's, and the reverse."""
    rows = comparison.join(counted, on=["iso3", "year"]).filter(pl.col("year") == year,
                                                                pl.col("counted"))
    nato_at = pl.col("nato_share_pct") >= threshold
    sipri_at = pl.col("sipri_share_pct") >= threshold
    return (sorted(rows.filter(nato_at & ~sipri_at)["iso3"].to_list()),
            sorted(rows.filter(~nato_at & sipri_at)["iso3"].to_list()))


def break_differences(comparison: pl.DataFrame,
                      breaks: pl.DataFrame) -> list[tuple[str, int, float, float]]:
    """Per GDP series break: the Ally, the year and its mean difference before and from it."""
    out = []
    for entity, year in breaks.select("entity", "year").iter_rows():
        rows = comparison.filter(pl.col("iso3") == entity)
        before = rows.filter(pl.col("year") < year)["difference_pp"]
        after = rows.filter(pl.col("year") >= year)["difference_pp"]
        if before.len() and after.len():
            out.append((entity, year, before.mean(), after.mean()))
    return out
