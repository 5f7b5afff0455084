"""The chart of chapter 5 (critical minerals): every word on it that carries a number or a year
is passed in by the chapter."""

from __future__ import annotations

import altair as alt
import polars as pl

from . import PALETTE, source_line, titled, tooltips

CHINA_FIRST = "China is the first import source"
ALLY_FIRST = "A NATO Ally is the first source"
OTHER_FIRST = "Another country is the first source"
NO_DATA = "Not in USGS Fig. 2"
COLOURS = {CHINA_FIRST: PALETTE[3], ALLY_FIRST: PALETTE[0], OTHER_FIRST: PALETTE[2],
           NO_DATA: "#999999"}


def reliance_chart_data(table: pl.DataFrame) -> pl.DataFrame:
    """The columns the chart draws, one row per mineral (from ``minerals.mineral_table``)."""
    bound, source = pl.col("nir_bound"), pl.col("top_source")
    return table.select(
        "mineral", pl.col("net_import_reliance_pct").fill_null(0).alias("bar_pct"),
        "net_import_reliance_pct", "nir_bound", "nir_display", source.fill_null("n/a"),
        pl.when(bound == "not_listed").then(pl.lit(NO_DATA))
        .when(pl.col("china_is_top")).then(pl.lit(CHINA_FIRST))
        .when(pl.col("top_source_is_ally")).then(pl.lit(ALLY_FIRST))
        .otherwise(pl.lit(OTHER_FIRST)).alias("first_source"),
        pl.when(bound == "gt").then(pl.lit("lower bound (USGS: more than)"))
        .when(bound == "lt").then(pl.lit("upper bound (USGS: less than)"))
        .when(bound == "eq").then(pl.lit("published value"))
        .otherwise(pl.lit("no value")).alias("value_kind"),
        (pl.when(bound.is_in(["eq", "gt", "lt"])).then(pl.col("nir_display") + pl.lit(" %"))
         .otherwise(pl.col("nir_display"))
         + pl.when(source.is_null()).then(pl.lit(""))
         .otherwise(pl.lit("  (first source: ") + source + pl.lit(")"))).alias("label"),
        pl.col("net_import_reliance_pct").fill_null(-1).alias("sort_key"),
    )


def reliance_bars(table: pl.DataFrame, threshold_pct: float, *, title: str,
                  subtitle: str | list[str], period: tuple[int, int], year: int,
                  caption: str = ""):
    """U.S. net import reliance by mineral; '>' values drawn as open-ended bars with a marker.
    ``period`` is the years of USGS's import-source ranking, ``year`` the year of the values."""
    data = reliance_chart_data(table)
    y = alt.Y("mineral:N", title=None,
              sort=data.sort(["sort_key", "mineral"], descending=[True, False])["mineral"]
              .to_list())
    shown = [k for k in COLOURS if k in set(data["first_source"])]
    colour = alt.Color("first_source:N",
                       title=f"First-ranked U.S. import source {period[0]}–{period[1]}",
                       scale=alt.Scale(domain=shown, range=[COLOURS[k] for k in shown]),
                       legend=alt.Legend(titleLimit=400, labelLimit=300, columns=2))
    tooltip = tooltips(("mineral:N", "Mineral"),
                       ("nir_display:N", f"Net import reliance {year} (%)"),
                       ("value_kind:N", "Value is"), ("top_source:N", "First import source"))
    base = alt.Chart(data)
    bars = base.mark_bar(height=14).encode(
        x=alt.X("bar_pct:Q", title=f"U.S. net import reliance, {year} (% of apparent consumption)",
                scale=alt.Scale(domain=[0, 130], nice=False),
                axis=alt.Axis(values=[0, 25, 50, 75, 100])),
        y=y, color=colour, tooltip=tooltip,
        opacity=alt.condition(alt.datum.nir_bound == "eq", alt.value(1.0), alt.value(0.55)))
    more, less = (base.transform_filter(alt.datum.nir_bound == bound).mark_point(
        shape=f"triangle-{side}", filled=True, size=90, color="#222222").encode(
        x="bar_pct:Q", y=y, tooltip=tooltip) for bound, side in (("gt", "right"), ("lt", "left")))
    labels = base.mark_text(align="left", dx=8, fontSize=11, color="#222222").encode(
        x="bar_pct:Q", y=y, text="label:N")
    threshold = alt.Chart(pl.DataFrame({"threshold": [float(threshold_pct)],
                                        "text": [f"{threshold_pct:g} % threshold"]}))
    rule = threshold.mark_rule(strokeDash=[4, 3], color="#888888").encode(x="threshold:Q")
    rule_label = threshold.mark_text(align="left", baseline="bottom", dx=3, dy=-3, fontSize=10,
                                     color="#555555").encode(x="threshold:Q", y=alt.value(0),
                                                             text="text:N")
    # The threshold line first, so bars and value labels are drawn over it, not crossed.
    chart = alt.layer(rule, rule_label, bars, more, less, labels).properties(
        height=max(120, 26 * data.height))
    note = ("Lighter bars ending in a triangle: USGS publishes only a bound ('>95' means more than "
            f"95 %). Dashed line: the {threshold_pct:g} % threshold. Figures are for the United "
            "States only.")
    return titled(chart, title, subtitle, source_line("usgs_mcs2024_fig2", note=note), caption)
