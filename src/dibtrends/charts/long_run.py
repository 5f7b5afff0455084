"""Chart builders for notebook 01 (the long run of NATO military spending, SIPRI data).

Inputs are the small aggregate frames from :mod:`dibtrends.spending` (a few hundred rows); no
builder reads data or aggregates country rows itself.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from . import PALETTE, source_line, titled

MEASURES = {
    "weighted": ("share_gdp_pct_weighted", "GDP-weighted",
                 "GDP-weighted share (total spending ÷ total GDP)"),
    "mean": ("share_gdp_pct_mean", "simple mean", "simple mean of Allies' shares"),
}
RULE_LABELS = {
    "accession": "Allies counted from the year they joined (12 in 1949, 32 from 2024)",
    "cold_war_16": "the 16 Allies of 1982-1990 in every year (Germany: West Germany to 1990)",
}
GROUP_COLOURS = {"United States": PALETTE[0], "NATO total": PALETTE[3],
                 "NATO Europe and Canada": PALETTE[2]}
Y_TITLE = "Military expenditure, % of GDP"
NOTE = ("Share of GDP: SIPRI's ratio of spending to GDP, both in current prices; GDP-weighted "
        "shares recover GDP as spending ÷ share (current US$). SIPRI's definition differs from "
        "NATO's. Shaded: the project's own periodisation.")


def _x(first: int, last: int, field: str = "year") -> alt.X:
    return alt.X(f"{field}:Q", title=None, axis=alt.Axis(format="d", tickMinStep=5),
                 scale=alt.Scale(domain=[first - 0.5, last + 0.5], nice=False, zero=False))


def _era_layers(eras: pl.DataFrame, first: int, last: int, y_top: float):
    """Shaded bands (half a year either side of the years they cover) with short names."""
    bands = eras.filter((pl.col("end_year") >= first) & (pl.col("start_year") <= last)).select(
        "era", "label", (pl.col("start_year") - 0.5).alias("x0"),
        (pl.col("end_year") + 0.5).alias("x1"),
        ((pl.col("start_year") + pl.col("end_year")) / 2).alias("xm"),
        pl.lit(y_top).alias("y_label"))
    rect = alt.Chart(bands).mark_rect(color="#bdbdbd", opacity=0.35).encode(
        x=_x(first, last, "x0"), x2="x1:Q", tooltip=[alt.Tooltip("era:N", title="Era")])
    # Names sit in a strip just above the plot: inside it they would cross the lines (the
    # Korean War band holds the series' peak).
    text = alt.Chart(bands).mark_text(align="center", baseline="bottom", fontSize=10, dy=-3,
                                      color="#555555").encode(
        x=_x(first, last, "xm"), y=alt.value(0), text="label:N")
    return rect, text


def long_run_chart(shares: pl.DataFrame, eras: pl.DataFrame, measure: str = "weighted",
                   rule: str = "accession", groups=tuple(GROUP_COLOURS),
                   reference_pct: float = 2.0, source_id: str = "sipri_milex_2025"):
    """Share of GDP by group and year, era bands shaded, the 2 % guideline as a dashed rule.

    ``shares`` is :func:`dibtrends.spending.alliance_shares`; ``eras`` is
    :func:`dibtrends.spending.eras`.
    """
    column, measure_short, measure_words = MEASURES[measure]
    data = shares.filter(pl.col("group").is_in(list(groups))).select(
        "group", "year", pl.col(column).alias("share"), "n_allies", "n_mean", "n_missing",
        "n_estimated").drop_nulls("share")
    first, last = int(data["year"].min()), int(data["year"].max())
    y_top = float(data["share"].max()) * 1.02
    groups = [g for g in GROUP_COLOURS if g in data["group"].unique().to_list()]
    colour = alt.Color("group:N", title=None, sort=groups, scale=alt.Scale(
        domain=groups, range=[GROUP_COLOURS[g] for g in groups]))
    lines = alt.Chart(data).mark_line(strokeWidth=2).encode(
        x=_x(first, last),
        y=alt.Y("share:Q", title=f"{Y_TITLE} ({measure_short})", scale=alt.Scale(zero=True)),
        color=colour,
        tooltip=[alt.Tooltip("group:N", title="Group"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("share:Q", title="% of GDP", format=".2f"),
                 alt.Tooltip("n_allies:Q", title="Allies counted"),
                 alt.Tooltip("n_missing:Q", title="Allies without SIPRI data"),
                 alt.Tooltip("n_estimated:Q", title="Allies with SIPRI estimates")],
    )
    rule_chart = alt.Chart(pl.DataFrame({"y": [reference_pct]})).mark_rule(
        color="#333333", strokeDash=[4, 3]).encode(y="y:Q")
    rule_text = alt.Chart(pl.DataFrame({"y": [reference_pct], "x": [first + 6.5],
                                        "t": [f"{reference_pct:g} % guideline (2006, 2014)"]})
                          ).mark_text(align="left", baseline="bottom", dy=-2, fontSize=10,
                                      color="#333333").encode(x="x:Q", y="y:Q", text="t:N")
    gaps = alt.Chart(data.filter(pl.col("n_missing") > 0)).mark_point(
        filled=False, size=30, strokeWidth=1.2).encode(
        x=_x(first, last), y="share:Q",
        color=colour,
        tooltip=[alt.Tooltip("group:N", title="Group"), alt.Tooltip("year:Q", title="Year"),
                 alt.Tooltip("n_missing:Q", title="Allies without SIPRI data")])
    rect, text = _era_layers(eras, first, last, y_top)
    chart = alt.layer(rect, text, rule_chart, rule_text, lines, gaps)
    missing = shares.filter((pl.col("group") == "NATO total") & (pl.col("n_missing") > 0))
    coverage = ("Every Ally counted has SIPRI data in every year." if missing.height == 0 else
                f"Open circles: years to {int(missing['year'].max())} in which some Allies "
                "lack SIPRI data.")
    subtitle = [
        f"Claim tested: sixty years of progressive decline. {measure_words[0].upper()}"
        f"{measure_words[1:]}, {first}-{last}.",
        f"Membership: {RULE_LABELS[rule]}.",
        coverage,
    ]
    return titled(chart, f"NATO military spending as a share of GDP ({measure_short}), "
                         f"{first}–{last}", subtitle, source_line(source_id, note=NOTE))


def trend_fit_chart(fitted: pl.DataFrame, breaks: pl.DataFrame, label: str,
                    source_id: str = "sipri_milex_2025"):
    """Observed series, fitted segmented trend and estimated break years.

    ``fitted`` and ``breaks`` are attributes of :class:`dibtrends.spending.SegmentedTrend`.
    """
    data = fitted.select("year", "observed", "fitted").unpivot(
        index="year", on=["observed", "fitted"], variable_name="series", value_name="share")
    data = data.with_columns(pl.col("series").replace(
        {"observed": "SIPRI data", "fitted": "segmented linear trend"}))
    first, last = int(fitted["year"].min()), int(fitted["year"].max())
    lines = alt.Chart(data).mark_line().encode(
        x=_x(first, last),
        y=alt.Y("share:Q", title=f"{Y_TITLE} ({label})", scale=alt.Scale(zero=True)),
        color=alt.Color("series:N", title=None, scale=alt.Scale(
            domain=["SIPRI data", "segmented linear trend"], range=[PALETTE[3], "#333333"])),
        strokeDash=alt.StrokeDash("series:N", legend=None, scale=alt.Scale(
            domain=["SIPRI data", "segmented linear trend"], range=[[1, 0], [5, 3]])),
        tooltip=[alt.Tooltip("year:Q", title="Year"), alt.Tooltip("series:N", title="Series"),
                 alt.Tooltip("share:Q", title="% of GDP", format=".2f")])
    layers = [lines]
    if breaks.height:
        brk = breaks.select("year", "p_value_bootstrap", "p_value_udmax")
        layers.append(alt.Chart(brk).mark_rule(color=PALETTE[0], strokeDash=[2, 2]).encode(
            x="year:Q", tooltip=[alt.Tooltip("year:Q", title="Estimated break"),
                                 alt.Tooltip("p_value_bootstrap:Q", title="p (m vs m-1)",
                                             format=".3f"),
                                 alt.Tooltip("p_value_udmax:Q", title="p (UDmax)",
                                             format=".3f")]))
        years = ", ".join(str(y) for y in breaks["year"].to_list())
        sub2 = f"Estimated break(s): {years} (dotted); tests allow for the search and AR(1) errors."
    else:
        sub2 = "No break year passes the tests at 5 %; one linear trend is shown."
    subtitle = [f"NATO total, {label}, {first}-{last}: continuous piecewise-linear trend with "
                "break years chosen by least squares.", sub2]
    return titled(alt.layer(*layers), "Where the long-run trend in NATO spending changes",
                  subtitle, source_line(source_id, note=NOTE))
