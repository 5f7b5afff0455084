"""The front page's chart: every Ally ranked by share of GDP, with the guideline and the
target drawn, as NATO's own annual chart shows them."""

from __future__ import annotations

import altair as alt
import polars as pl

from . import PALETTE, WIDTH, source_line, titled


def ranked_share_chart(ranked: pl.DataFrame, guideline_pct: float, target_pct: float,
                       target_year: int, source_id: str, missing: list[str]):
    """Horizontal bars, one per Ally, coloured by where the Ally stands against the lines."""
    year = int(ranked["year"][0])
    estimate = bool(ranked["estimate"].any())
    at_target = f"at or above {target_pct:g} %"
    at_guideline = f"{guideline_pct:g} % to {target_pct:g} %"
    below = f"below {guideline_pct:g} %"
    data = ranked.with_columns(
        pl.when(pl.col("share_gdp_pct") >= target_pct).then(pl.lit(at_target))
        .when(pl.col("share_gdp_pct") >= guideline_pct).then(pl.lit(at_guideline))
        .otherwise(pl.lit(below)).alias("standing"))
    order = data["name"].to_list()
    bars = alt.Chart(data).mark_bar(height=12).encode(
        y=alt.Y("name:N", sort=order, title=None),
        x=alt.X("share_gdp_pct:Q", title=f"Defence expenditure, % of GDP, {year}"
                + (" (NATO estimates)" if estimate else "")),
        color=alt.Color("standing:N", title=None, scale=alt.Scale(
            domain=[at_target, at_guideline, below], range=[PALETTE[3], PALETTE[0], "#9e9e9e"])),
        tooltip=[alt.Tooltip("name:N", title="Ally"),
                 alt.Tooltip("share_gdp_pct:Q", title="% of GDP", format=".2f")],
    )
    lines = pl.DataFrame({"x": [guideline_pct, target_pct],
                          "label": [f"{guideline_pct:g} % guideline",
                                    f"{target_pct:g} % core-defence target by {target_year}"]})
    rules = alt.Chart(lines).mark_rule(strokeDash=[4, 3], color="#333333").encode(x="x:Q")
    labels = alt.Chart(lines).mark_text(align="left", dx=4, dy=-4, baseline="bottom",
                                        fontSize=11, color="#333333").encode(
        x="x:Q", y=alt.value(0), text="label:N")
    chart = alt.layer(bars, rules, labels).properties(width=WIDTH, height=15 * data.height)
    n_guideline = data.filter(pl.col("share_gdp_pct") >= guideline_pct).height
    n_target = data.filter(pl.col("share_gdp_pct") >= target_pct).height
    title = (f"{n_guideline} of {data.height} Allies spent at least {guideline_pct:g} % of GDP on "
             f"defence in {year}; {n_target} at least {target_pct:g} %")
    return titled(chart, title,
                  "Each Ally's defence expenditure as a share of GDP (NATO definition), ranked.",
                  source_line(source_id, note=(f"No figure published for {', '.join(missing)}. "
                                               if missing else "")
                              + (f"{year} figures are NATO estimates." if estimate else "")))
