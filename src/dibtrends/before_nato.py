"""The years before NATO, from two other sources: OWID's Global Military Spending Dataset
(shares of GDP) and Correlates of War's NMC (spending levels, no GDP). Context only: compared
with SIPRI's series where both give a figure, never joined to it.
"""

from __future__ import annotations

import polars as pl

from .load.context import NMC_USD_FROM
from .spending import _require

#: The founding Allies that were great powers, the last year before SIPRI's series, and the
#: periods summarised.
CONTEXT_COUNTRIES, CONTEXT_LAST_YEAR = ("USA", "GBR", "FRA"), 1948
CONTEXT_PERIODS = {"before the First World War": (1900, 1913),
                   "between the world wars": (1920, 1938)}
WAR_YEARS = (1939, 1945)
__all__ = ["NMC_USD_FROM", "gmsd_context", "nmc_context", "gmsd_vs_sipri", "context"]


def gmsd_context(gmsd: pl.DataFrame, countries=CONTEXT_COUNTRIES, first_year: int = 1900,
                 last_year: int = CONTEXT_LAST_YEAR) -> pl.DataFrame:
    """GMSD share of GDP (OWID export) per country and year, implausible values left out."""
    _require(gmsd, ("iso3", "year", "share_gdp_pct", "implausible"), "owid_gmsd")
    return (gmsd.filter(pl.col("iso3").is_in(list(countries))
                        & pl.col("year").is_between(first_year, last_year)
                        & ~pl.col("implausible") & pl.col("share_gdp_pct").is_not_null())
            .select("iso3", "year", "share_gdp_pct").sort("iso3", "year"))


def nmc_context(nmc: pl.DataFrame, countries=CONTEXT_COUNTRIES, first_year: int = NMC_USD_FROM,
                last_year: int = CONTEXT_LAST_YEAR) -> pl.DataFrame:
    """NMC military expenditure, US$ bn at the prices of each year, in the years NMC records in
    US dollars (from 1914), per country and year."""
    _require(nmc, ("iso3", "year", "milex_thousand_current", "milex_currency"), "cow_nmc6")
    return (nmc.filter(pl.col("iso3").is_in(list(countries))
                       & pl.col("year").is_between(max(first_year, NMC_USD_FROM), last_year)
                       & (pl.col("milex_currency") == "USD")
                       & pl.col("milex_thousand_current").is_not_null())
            .select("iso3", "year",
                    (pl.col("milex_thousand_current") / 1e6).alias("milex_usd_bn_current"))
            .sort("iso3", "year"))


def gmsd_vs_sipri(gmsd: pl.DataFrame, milex: pl.DataFrame, countries=CONTEXT_COUNTRIES,
                  first_year: int = 1949) -> pl.DataFrame:
    """Both shares and their difference where both sources give one (a comparison of
    definitions, never a joined series), per country and year."""
    g = gmsd.filter(~pl.col("implausible") & pl.col("iso3").is_in(list(countries))
                    & (pl.col("year") >= first_year)).select(
        "iso3", "year", pl.col("share_gdp_pct").alias("gmsd"))
    s = milex.filter(pl.col("iso3").is_in(list(countries))).select(
        "iso3", "year", pl.col("share_gdp_pct").alias("sipri"))
    return (g.join(s, on=["iso3", "year"], how="inner").drop_nulls()
            .with_columns((pl.col("gmsd") - pl.col("sipri")).alias("difference"))
            .sort("iso3", "year"))


def period_summary(frame: pl.DataFrame, value: str, periods: dict[str, tuple[int, int]]
                   ) -> pl.DataFrame:
    """Per named period and country: the mean, the highest value and its year."""
    rows = []
    for name, (lo, hi) in periods.items():
        part = frame.filter(pl.col("year").is_between(lo, hi))
        for iso3 in part["iso3"].unique(maintain_order=True).to_list():
            c = part.filter(pl.col("iso3") == iso3).sort(value, descending=True)
            rows.append({"period": name, "iso3": iso3, "from": lo, "to": hi,
                         "n_years": c.height, "mean": float(c[value].mean()),
                         "max": float(c[value][0]), "max_year": int(c["year"][0])})
    return pl.DataFrame(rows)


def country_highs(frame: pl.DataFrame, value: str) -> pl.DataFrame:
    """Each country's row with its highest ``value``, highest first."""
    return frame.sort(value, descending=True).unique("iso3", keep="first", maintain_order=True)


def context(share: pl.DataFrame, spending: pl.DataFrame, comparison: pl.DataFrame
            ) -> dict[str, pl.DataFrame]:
    """What the chapter says of the years before 1949: GMSD's period means and war highs, how
    GMSD differs from SIPRI per country, NMC's first year and highs."""
    return {
        "periods": period_summary(share, "share_gdp_pct", CONTEXT_PERIODS),
        "war": country_highs(share.filter(pl.col("year").is_between(*WAR_YEARS)),
                             "share_gdp_pct"),
        "difference": comparison.group_by("iso3", maintain_order=True).agg(
            pl.col("difference").median().alias("median"),
            pl.col("difference").abs().max().alias("largest"),
            pl.col("year").min().alias("first"), pl.col("year").max().alias("last")),
        "first_spending": spending.filter(pl.col("year") == spending["year"].min()),
        "spending_highs": country_highs(spending, "milex_usd_bn_current"),
    }
