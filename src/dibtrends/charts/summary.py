"""The front page's chart: every Ally ranked by share of GDP, with the guideline and the
target drawn, as NATO's own annual chart shows them."""

from __future__ import annotations

import altair as alt
import polars as pl

from ..prose.summary import ranked_words
from . import PALETTE, WIDTH, source_line, titled, tooltips


def ranked_share_chart(ranked: pl.DataFrame, guideline_pct: float, target_pct: float,
                       target_year: int, source_id: str, missing: list[str]):
    """Horizontal bars, one per Ally, coloured by where the Ally stands against the lines."""
    w = ranked_words(ranked, guideline_pct, target_pct, target_year, missing)
    bands = [w["at_target"], w["at_guideline"], w["below"]]
    data = ranked.with_columns(
        pl.when(pl.col("share_gdp_pct") >= target_pct).then(pl.lit(bands[0]))
        .when(pl.col("share_gdp_pct") >= guideline_pct).then(pl.lit(bands[1]))
        .otherwise(pl.lit(bands[2])).alias("standing"))
    bars = alt.Chart(data).mark_bar(height=12).encode(
        y=alt.Y("name:N", sort=data["name"].to_list(), title=None),
        x=alt.X("share_gdp_pct:Q", title=w["axis"]),
        color=alt.Color("standing:N", title=None, scale=alt.Scale(
            domain=bands, range=[PALETTE[3], PALETTE[0], "#9e9e9e"])),
        tooltip=tooltips(("name:N", "Ally"), ("share_gdp_pct:Q", "% of GDP", ".2f")),
    )
    lines = pl.DataFrame({"x": [guideline_pct, target_pct],
                          "label": [w["guideline_line"], w["target_line"]]})
    rules = alt.Chart(lines).mark_rule(strokeDash=[4, 3], color="#333333").encode(x="x:Q")
    labels = alt.Chart(lines).mark_text(align="left", dx=4, dy=-4, baseline="bottom",
                                        fontSize=11, color="#333333").encode(
        x="x:Q", y=alt.value(0), text="label:N")
    chart = alt.layer(bars, rules, labels).properties(width=WIDTH, height=15 * data.height)
    return titled(chart, w["title"], w["subtitle"], source_line(source_id, note=w["note"]),
                  w["caption"])
