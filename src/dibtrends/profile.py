"""One Ally at a glance: the tables behind the ``country_profile`` notebook.

Each function takes the processed tables (already loaded once per kernel through
``dibtrends.data.table``'s cache) and returns a small frame for one Ally, so the 32 profiles
reuse the same parsed data instead of reading publisher workbooks again.
"""

from __future__ import annotations

import polars as pl

from . import pledge

CATEGORIES = {
    "equipment_share_pct": "Equipment (incl. related R&D)",
    "personnel_share_pct": "Personnel",
    "infrastructure_share_pct": "Infrastructure",
    "other_share_pct": "Other",
}


def ally_name(membership: pl.DataFrame, code: str) -> str:
    return membership.filter(pl.col("iso3") == code)["country"].item()


def accession_year(membership: pl.DataFrame, code: str) -> int:
    return membership.filter(pl.col("iso3") == code)["accession_date"].dt.year().item()


def long_run_share(sipri: pl.DataFrame, code: str) -> pl.DataFrame:
    """SIPRI's share of GDP for one country, every year SIPRI gives a value."""
    return (sipri.filter(pl.col("iso3") == code, pl.col("share_gdp_pct").is_not_null())
            .select("year", "share_gdp_pct").sort("year"))


def nato_series(nato: pl.DataFrame, code: str) -> pl.DataFrame:
    """NATO's figures for one Ally, 2014 onwards (constant 2015 US$, share of GDP, estimates)."""
    return (nato.filter(pl.col("entity") == code)
            .select("year", "estimate", "milex_usd_m_const2015", "milex_usd_m_current",
                    "share_gdp_pct", *CATEGORIES)
            .sort("year"))


def category_split(nato: pl.DataFrame, code: str) -> pl.DataFrame:
    """Long table: the share of each spending category per year (NATO Table 8)."""
    wide = nato_series(nato, code).select("year", "estimate", *CATEGORIES)
    return (wide.unpivot(index=["year", "estimate"], on=list(CATEGORIES),
                         variable_name="category_column", value_name="share_pct")
            .with_columns(pl.col("category_column").replace_strict(CATEGORIES).alias("category"))
            .drop("category_column").drop_nulls("share_pct").sort("year", "category"))


def guideline_years(nato: pl.DataFrame, membership: pl.DataFrame, code: str) -> pl.DataFrame:
    """Per year: the Ally's shares and whether it met the 2 % and 20 % guidelines."""
    return pledge.guideline_status(nato, membership).filter(pl.col("entity") == code)


def pledge_row(nato: pl.DataFrame, membership: pl.DataFrame, code: str, *,
               target_share_pct: float, target_year: int) -> pl.DataFrame:
    """The Ally's gap to the target share and the real growth needed (empty if no data)."""
    return pledge.pledge_gap(nato, membership, target_share_pct=target_share_pct,
                             target_year=target_year).filter(pl.col("entity") == code)


def summary_sentence(name: str, nato_rows: pl.DataFrame, gap: pl.DataFrame) -> str:
    """The profile's opening sentence, every number computed."""
    data = nato_rows.drop_nulls("share_gdp_pct")
    if data.is_empty():
        return (f"NATO's tables publish no defence expenditure for {name} (Iceland has no armed "
                "forces), so no guideline status or pledge gap can be computed.")
    first, last = data.row(0, named=True), data.row(-1, named=True)
    est = " (NATO estimate)" if last["estimate"] else ""
    text = (f"{name} spent {last['share_gdp_pct']:.2f} % of GDP on defence in {last['year']}{est}, "
            f"against {first['share_gdp_pct']:.2f} % in {first['year']}.")
    if last["milex_usd_m_const2015"] is not None and first["milex_usd_m_const2015"]:
        ratio = last["milex_usd_m_const2015"] / first["milex_usd_m_const2015"]
        text += (f" In constant 2015 prices its defence spending in {last['year']} was "
                 f"{ratio:.2f} times that of {first['year']}.")
    if gap.height:
        g = gap.row(0, named=True)
        if g["gap_pp"] <= 0:
            text += (f" It is already at or above the {g['target_share_pct']:.1f} % core-defence "
                     f"target of {g['target_year']}.")
        else:
            text += (f" Reaching {g['target_share_pct']:.1f} % by {g['target_year']} means "
                     f"{g['gap_pp']:.2f} percentage points more, or real growth of defence "
                     f"spending of {g['required_real_growth_pct']:.1f} % a year if GDP grows "
                     f"{g['gdp_growth_pct_assumed']:.1f} % a year (its {g['gdp_growth_basis']} "
                     f"real GDP growth {first['year']}–{g['latest_year']}).")
    return text


def headlines(code: str, series: pl.DataFrame, status: pl.DataFrame, gap: pl.DataFrame) -> pl.DataFrame:
    """The profile's regression-checked numbers (keys prefixed with the ISO3 code)."""
    from .report import headline, headline_table

    key = code.lower()
    data = series.drop_nulls("share_gdp_pct")
    if data.is_empty():
        return headline_table([headline(f"{key}_nato_data_years", "Years with NATO data", 0,
                                        "years", decimals=0)])
    last = data.row(-1, named=True)
    counted = status.filter(pl.col("counted"))
    rows = [
        headline(f"{key}_share_gdp_latest", f"Share of GDP {last['year']}", last["share_gdp_pct"],
                 "% of GDP", decimals=2),
        headline(f"{key}_years_meeting_2pct", "Years at or above 2 % (as an Ally, 2014 on)",
                 int(counted["meets_gdp_guideline"].sum()), "years", decimals=0),
        headline(f"{key}_years_meeting_20pct", "Years at or above 20 % on equipment",
                 int(counted["meets_equipment_guideline"].sum()), "years", decimals=0),
    ]
    if gap.height:
        g = gap.row(0, named=True)
        rows += [
            headline(f"{key}_gap_pp", f"Gap to {g['target_share_pct']:.1f} % by {g['target_year']}",
                     g["gap_pp"], "pp", decimals=2),
            headline(f"{key}_required_real_growth", "Real growth needed a year",
                     g["required_real_growth_pct"], "% a year", decimals=1),
        ]
    return headline_table(rows)
