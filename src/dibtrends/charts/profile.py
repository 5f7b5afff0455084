"""Chart builders for the ``country_profile`` notebook (one Ally)."""

from __future__ import annotations

import altair as alt
import polars as pl

from . import PALETTE, source_line, titled


def long_run(share: pl.DataFrame, name: str, accession: int):
    """SIPRI share of GDP since 1949, with the 2 % guideline and the accession year marked."""
    base = alt.Chart(share).mark_line(color=PALETTE[0], strokeWidth=2).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d")),
        y=alt.Y("share_gdp_pct:Q", title="Military expenditure, % of GDP"),
        tooltip=[alt.Tooltip("year:Q", format="d"),
                 alt.Tooltip("share_gdp_pct:Q", title="% of GDP", format=".2f")],
    )
    rule = alt.Chart(pl.DataFrame({"y": [2.0]})).mark_rule(strokeDash=[4, 3], color="#666").encode(y="y:Q")
    joined = alt.Chart(pl.DataFrame({"year": [accession]})).mark_rule(color=PALETTE[1]).encode(
        x="year:Q", tooltip=[alt.Tooltip("year:Q", title="Joined NATO", format="d")])
    chart = alt.layer(base, rule, joined).properties(height=220)
    return titled(chart, f"{name}: military expenditure as a share of GDP",
                  [f"SIPRI definition; dashed line: NATO's 2 % guideline; orange: accession ({accession})."],
                  source_line("sipri_milex_2025"))


def constant_spending(series: pl.DataFrame, name: str):
    """NATO defence expenditure in constant 2015 US$, estimates hatched lighter."""
    data = series.select("year", "estimate", "milex_usd_m_const2015").with_columns(
        pl.when(pl.col("estimate")).then(pl.lit("NATO estimate")).otherwise(pl.lit("reported"))
        .alias("status"))
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("year:O", title=None),
        y=alt.Y("milex_usd_m_const2015:Q", title="Defence expenditure, US$ million (constant 2015 prices)"),
        color=alt.Color("status:N", title=None, scale=alt.Scale(
            domain=["reported", "NATO estimate"], range=[PALETTE[0], PALETTE[5]])),
        tooltip=[alt.Tooltip("year:O"), alt.Tooltip("milex_usd_m_const2015:Q", format=",.0f",
                                                     title="US$ m, 2015 prices"), "status:N"],
    ).properties(height=220)
    years = f"{series['year'].min()}–{series['year'].max()}"
    return titled(chart, f"{name}: defence expenditure, {years}",
                  ["NATO definition, constant 2015 prices and exchange rates."],
                  source_line("nato_defexp_2024"))


def categories(split: pl.DataFrame, name: str):
    """Share of each spending category per year (stacked to 100 %)."""
    order = ["Equipment (incl. related R&D)", "Personnel", "Infrastructure", "Other"]
    split = split.with_columns(
        pl.col("category").replace_strict({c: i for i, c in enumerate(order)}).alias("stack_order"))
    chart = alt.Chart(split).mark_bar().encode(
        x=alt.X("year:O", title=None),
        y=alt.Y("share_pct:Q", title="Share of defence expenditure (%)", stack="zero"),
        color=alt.Color("category:N", title=None, sort=order,
                        scale=alt.Scale(domain=order, range=PALETTE[:4])),
        order=alt.Order("stack_order:Q"),
        tooltip=["year:O", "category:N", alt.Tooltip("share_pct:Q", format=".1f", title="%")],
    ).properties(height=220)
    return titled(chart, f"{name}: what the defence budget buys",
                  ["Equipment includes related R&D; NATO's guideline is 20 % on equipment."],
                  source_line("nato_defexp_2024"))
