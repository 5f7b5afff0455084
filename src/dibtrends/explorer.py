"""The explorer page's data: every measure it offers, for each Ally and grouping, as one long
table built from the processed tables, and :func:`shown`, the rows one choice of measure and
Allies shows. The page filters the same table in the browser; tests check that the two agree.

Groupings: NATO publishes its aggregates for spending, share of GDP and spending per head. For
the other measures each grouping is computed by the method of the chapter that uses it: the
equipment share as chapter 2 does (:func:`dibtrends.equipment.equipment_spending`), SIPRI's
share of GDP as chapter 1 does (:func:`dibtrends.spending.alliance_share_of_gdp`, GDP-weighted),
SIPRI's constant US$ as the sum over the Allies counted that year. Allies count from the year
they joined; a SIPRI grouping's year is left out unless every Ally counted has a figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from . import equipment, facts, spending
from .membership import membership_panel
from .params import check_choice, check_iso3

#: Grouping codes (NATO's names for its aggregates) -> what the page calls them.
GROUPINGS = {"NATO_TOTAL": "All Allies", "NATO_EUROPE_CANADA": "NATO Europe and Canada"}
#: ``estimate``: "yes", "no", or for a SIPRI grouping "partly" (some figures summed are
#: SIPRI's estimates).
COLUMNS = ("measure", "code", "name", "year", "value", "estimate")
#: The rows the page shows and offers as CSV: column -> heading.
SHOWN = {"name": "Ally or grouping", "year": "Year", "label": "Measure", "value": "Value",
         "unit": "Unit", "estimate": "Estimate"}


@dataclass(frozen=True)
class Measure:
    label: str
    family: str  # "nato" (NATO's tables) or "sipri" (SIPRI's database)
    column: str  # in the processed table; the unit is in its name
    unit: str
    price_basis: str
    decimals: int  # rounding of the values the page embeds and shows
    groupings: str  # where the groupings' figures come from


_NATO_AGGREGATE = "published by NATO"
MEASURES = {
    "nato_share_gdp": Measure(
        "Share of GDP (NATO)", "nato", "share_gdp_pct", "% of GDP",
        "share of real GDP, at 2015 prices (NATO Table 3)", 2, _NATO_AGGREGATE),
    "nato_usd_const": Measure(
        "Spending, constant US$ (NATO)", "nato", "milex_usd_m_const2015", "US$ million",
        "constant 2015 prices and exchange rates (NATO Table 2)", 1, _NATO_AGGREGATE),
    "nato_per_capita": Measure(
        "Spending per head (NATO)", "nato", "milex_per_capita_usd_const2015", "US$ per person",
        "constant 2015 prices and exchange rates (NATO Table 6)", 1, _NATO_AGGREGATE),
    "nato_equipment_share": Measure(
        "Equipment share of spending (NATO)", "nato", "equipment_share_pct",
        "% of defence expenditure", "a share of each Ally's own spending (NATO Table 8a)", 2,
        "computed as in chapter 2: weighted by spending in constant 2015 US$"),
    "sipri_share_gdp": Measure(
        "Share of GDP (SIPRI)", "sipri", "share_gdp_pct", "% of GDP",
        "spending and GDP in each year's prices", 2,
        "computed as in chapter 1: weighted by GDP"),
    "sipri_usd_const": Measure(
        "Spending, constant US$ (SIPRI)", "sipri", "milex_usd_m_const2024", "US$ million",
        "constant 2024 prices and exchange rates", 1, "computed: the Allies' sum"),
}


def _estimate_words(every: pl.Expr, some: pl.Expr | bool = False) -> pl.Expr:
    """The estimate flag in words: "yes" (every figure estimated), "partly", "no"."""
    return (pl.when(every).then(pl.lit("yes")).when(some).then(pl.lit("partly"))
            .otherwise(pl.lit("no")).alias("estimate"))


def sipri_groupings(sipri: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    """Per grouping and year: chapter 1's GDP-weighted share of GDP and the sum of spending in
    constant US$, each null unless every Ally counted that year has a figure; ``estimate``
    "partly" when some of the figures summed are SIPRI's estimates."""
    panel = membership_panel(membership, sipri["year"].unique().to_list())
    usd_column = "milex_usd_m_const2024"
    usd, estimated = pl.col(usd_column), pl.col("estimate").fill_null(False)
    frames = []
    for code, group in facts.GROUPS.items():  # chapter 1's names of NATO's aggregates
        summed = (panel.filter(pl.col("is_member") & spending.GROUP_FILTER[group])
                  .join(sipri, on=["iso3", "year"], how="left").group_by("year")
                  .agg(pl.when(usd.is_not_null().all()).then(usd.sum()).alias(usd_column),
                       _estimate_words(estimated.all(), estimated.any())))
        shares = spending.alliance_share_of_gdp(sipri, panel, group)
        frames.append(summed.join(shares, on="year").select(
            pl.lit(code).alias("iso3"), "year", "estimate",
            pl.when(pl.col("n_missing") == 0).then("share_gdp_pct_weighted").alias("share_gdp_pct"),
            usd_column))
    return pl.concat(frames)


def explorer_table(nato: pl.DataFrame, sipri: pl.DataFrame,
                   membership: pl.DataFrame) -> pl.DataFrame:
    """Every measure x Ally or grouping x year with a figure: ``COLUMNS``, values rounded to
    the measure's decimals (what the page embeds), sorted by measure, code and year."""
    equipment_shares = equipment.equipment_spending(nato, membership, "constant2015").select(
        "entity", "year", "equipment_share_pct")
    by_family = {
        "nato": nato.drop("equipment_share_pct").join(
            equipment_shares, on=["entity", "year"], how="left")
        .with_columns(_estimate_words(pl.col("estimate"))).rename({"entity": "code"}),
        "sipri": pl.concat([
            sipri.filter(pl.col("iso3").is_in(membership["iso3"].implode()))
            .with_columns(_estimate_words(pl.col("estimate"))),
            sipri_groupings(sipri, membership)], how="diagonal").rename({"iso3": "code"}),
    }
    names = pl.concat([
        membership.select(pl.col("iso3").alias("code"), pl.col("country").alias("name")),
        pl.DataFrame({"code": list(GROUPINGS), "name": list(GROUPINGS.values())})])
    frames = [by_family[m.family].select(
        pl.lit(key).alias("measure"), "code", "year",
        pl.col(m.column).round(m.decimals).alias("value"), "estimate")
        for key, m in MEASURES.items()]
    return (pl.concat(frames).drop_nulls("value").join(names, on="code")
            .select(COLUMNS).sort("measure", "code", "year"))


def shown(table: pl.DataFrame, measure: str, allies) -> pl.DataFrame:
    """The rows the page shows for ``measure`` and ``allies`` (codes, groupings included), with
    the headings of ``SHOWN``, sorted by name and year, as the page's table and CSV have them."""
    check_choice("measure", measure, list(MEASURES))
    codes = [allies] if isinstance(allies, str) else list(allies)
    check_iso3("allies", codes, table["code"].unique().sort().to_list())
    m = MEASURES[measure]
    return (table.filter((pl.col("measure") == measure) & pl.col("code").is_in(codes))
            .with_columns(label=pl.lit(m.label), unit=pl.lit(m.unit))
            .sort("name", "year").select(list(SHOWN)).rename(SHOWN))


def coverage(table: pl.DataFrame) -> pl.DataFrame:
    """Per measure: first and last year, the years in which every figure is an estimate (NATO
    marks whole years) and how many figures are estimates in all (SIPRI marks them one by
    one)."""
    table = table.with_columns(estimate=pl.col("estimate") == "yes")
    by_year = table.group_by("measure", "year").agg(pl.col("estimate").all().alias("all_estimated"))
    return table.group_by("measure").agg(
        pl.col("year").min().alias("first_year"), pl.col("year").max().alias("last_year"),
        pl.col("estimate").sum().alias("n_estimates"),
        pl.col("year").filter("estimate").min().alias("first_estimate"),
        pl.col("year").filter("estimate").max().alias("last_estimate"),
    ).join(by_year.filter("all_estimated").group_by("measure").agg(
        pl.col("year").sort().alias("estimate_years")), on="measure", how="left").sort("measure")
