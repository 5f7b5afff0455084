"""Chart builders for notebook 04 (the 2 % and 20 % guidelines and the 2035 pledge)."""

from __future__ import annotations

import altair as alt
import polars as pl

from ..countries import name_of
from . import PALETTE, source_line, titled

NOT_MEMBER = "not yet an Ally"
MEETS = "meets guideline"
MISSES = "below guideline"
GUIDELINES = {
    "gdp": ("share_gdp_pct", "meets_gdp_guideline", "Defence expenditure, % of GDP",
            "2 % of GDP"),
    "equipment": ("equipment_share_pct", "meets_equipment_guideline",
                  "Equipment, % of defence expenditure", "20 % on major equipment"),
}
SOURCE_NOTE = "2023 and 2024 are NATO estimates (e); share of GDP at 2015 prices (Table 3)."


def guideline_heatmap(status: pl.DataFrame, guideline: str = "gdp"):
    """Allies x years: cell colour says met / not met / not yet an Ally, text gives the value."""
    value, meets, axis_title, label = GUIDELINES[guideline]
    data = status.filter(pl.col(value).is_not_null()).select(
        "entity", "year", "estimate", value,
        pl.col("entity").map_elements(name_of, return_dtype=pl.String).alias("name"),
        (pl.col("year").cast(pl.String)
         + pl.when(pl.col("estimate")).then(pl.lit("e")).otherwise(pl.lit(""))).alias("year_label"),
        pl.when(~pl.col("counted")).then(pl.lit(NOT_MEMBER))
        .when(pl.col(meets)).then(pl.lit(MEETS)).otherwise(pl.lit(MISSES)).alias("status"),
        pl.col(value).round(2 if guideline == "gdp" else 0).alias("value_label"),
    )
    latest = int(data["year"].max())
    order = (data.filter(pl.col("year") == latest).sort(value, descending=True)["name"].to_list())
    base = alt.Chart(data).encode(
        x=alt.X("year_label:O", title=None, sort=None, axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("name:N", sort=order, title=None),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("status:N", title=None, scale=alt.Scale(
            domain=[MEETS, MISSES, NOT_MEMBER], range=[PALETTE[0], "#f0c987", "#eeeeee"])),
        tooltip=[alt.Tooltip("name:N", title="Ally"), alt.Tooltip("year_label:N", title="Year"),
                 alt.Tooltip(f"{value}:Q", title=axis_title, format=".2f"),
                 alt.Tooltip("status:N", title="Status")],
    )
    text = base.mark_text(fontSize=9).encode(
        text=alt.Text("value_label:Q", format=".2f" if guideline == "gdp" else ".0f"),
        color=alt.condition(alt.datum.status == MEETS, alt.value("white"), alt.value("#333333")),
    )
    chart = alt.layer(cells, text).properties(width=600, height=15 * len(order))
    first = int(data["year"].min())
    n_first = data.filter(pl.col("year") == first, pl.col("status") == MEETS).height
    n_last = data.filter(pl.col("year") == latest, pl.col("status") == MEETS).height
    return titled(chart, f"NATO's {label} guideline, Ally by Ally, {first}–{latest}",
                  [(f"Cells: {axis_title}. Allies meeting it: {n_first} in {first}, "
                    f"{n_last} in {latest}e. Grey: years before accession."),
                   f"Sorted by {latest}e value."],
                  source_line("nato_defexp_2024", note=SOURCE_NOTE))


def gap_chart(gap: pl.DataFrame, projection: pl.DataFrame, target_share_pct: float = 3.5,
              target_year: int = 2035):
    """Per Ally: share of GDP in the latest year (dot) and on trend in ``target_year`` (diamond
    with its prediction interval), against the target (dashed)."""
    latest = int(gap["latest_year"][0])
    window = f"{int(projection['window_start'][0])}–{int(projection['window_end'][0])}e"
    pi = round(projection["pi_level"][0] * 100)
    data = gap.select("entity", "share_gdp_pct_latest", "gap_pp",
                      "required_real_growth_pct", "gdp_growth_pct_assumed").join(
        projection.select("entity", "projected_share_pct", "pi_lower_pct", "pi_upper_pct"),
        on="entity").with_columns(
        pl.col("entity").map_elements(name_of, return_dtype=pl.String).alias("name"))
    order = data.sort("share_gdp_pct_latest", descending=True)["name"].to_list()
    y = alt.Y("name:N", sort=order, title=None)
    tooltip = [alt.Tooltip("name:N", title="Ally"),
               alt.Tooltip("share_gdp_pct_latest:Q", title=f"{latest}e, % of GDP", format=".2f"),
               alt.Tooltip("gap_pp:Q", title=f"Gap to {target_share_pct:g} % (pp)", format=".2f"),
               alt.Tooltip("required_real_growth_pct:Q", format=".1f",
                           title=f"Real growth needed per year to {target_year} (%)"),
               alt.Tooltip("gdp_growth_pct_assumed:Q", format=".1f",
                           title="Real GDP growth assumed (%/yr)"),
               alt.Tooltip("projected_share_pct:Q", title=f"{target_year} on trend (%)",
                           format=".2f"),
               alt.Tooltip("pi_lower_pct:Q", title=f"{pi} % PI lower", format=".2f"),
               alt.Tooltip("pi_upper_pct:Q", title=f"{pi} % PI upper", format=".2f")]
    base = alt.Chart(data).encode(y=y, tooltip=tooltip)
    interval = base.mark_rule(color=PALETTE[5], strokeWidth=2).encode(
        x=alt.X("pi_lower_pct:Q", title="Defence expenditure, % of GDP (2015 prices)"),
        x2="pi_upper_pct:Q")
    trend = base.mark_point(shape="diamond", filled=True, size=60, color=PALETTE[0]).encode(
        x="projected_share_pct:Q")
    now = base.mark_point(filled=True, size=50, color=PALETTE[1]).encode(x="share_gdp_pct_latest:Q")
    target = alt.Chart(pl.DataFrame({"x": [target_share_pct]})).mark_rule(
        color="#333333", strokeDash=[5, 3]).encode(x="x:Q")
    chart = alt.layer(interval, trend, now, target).properties(height=15 * len(order))
    reach = int((data["projected_share_pct"] >= target_share_pct).sum())
    return titled(chart, f"Distance to the {target_share_pct:g} % core-defence pledge by "
                  f"{target_year}",
                  [(f"Orange dot: {latest}e share of GDP. Blue diamond: {target_year} on the "
                    f"Ally's linear trend {window} (OLS), bar: {pi} % prediction interval."),
                   (f"Dashed line: {target_share_pct:g} % (The Hague, June 2025). On trend, "
                    f"{reach} of {data.height} Allies reach it.")],
                  source_line("nato_defexp_2024", note="Trend lines describe 2014–2024, they do "
                              "not forecast budgets. " + SOURCE_NOTE))


def required_growth_chart(gap: pl.DataFrame, target_share_pct: float = 3.5,
                          target_year: int = 2035):
    """Real growth of defence spending needed per year vs the Ally's own past growth."""
    latest = int(gap["latest_year"][0])
    first = latest - 10
    data = gap.select(
        "entity", "required_real_growth_pct", "milex_real_growth_pct_past",
        "gdp_growth_pct_assumed", "share_gdp_pct_latest",
        pl.col("entity").map_elements(name_of, return_dtype=pl.String).alias("name"))
    order = data.sort("required_real_growth_pct", descending=True)["name"].to_list()
    if gap["gdp_growth_basis"][0] == "common":
        y_text = f"real GDP growing {gap['gdp_growth_pct_assumed'][0]:g} % a year for every Ally"
    else:
        y_text = f"real GDP growing at each Ally's own {first}–{latest}e average"
    long = data.unpivot(index=["entity", "name", "gdp_growth_pct_assumed", "share_gdp_pct_latest"],
                        on=["required_real_growth_pct", "milex_real_growth_pct_past"],
                        variable_name="measure", value_name="pct").with_columns(
        pl.col("measure").replace_strict({
            "required_real_growth_pct": f"needed {latest}–{target_year} to reach "
                                        f"{target_share_pct:g} %",
            "milex_real_growth_pct_past": f"achieved {first}–{latest}e"}).alias("measure"))
    chart = alt.Chart(long).mark_point(filled=True, size=55).encode(
        y=alt.Y("name:N", sort=order, title=None),
        x=alt.X("pct:Q", title="Real growth of defence expenditure, % per year (2015 prices)"),
        color=alt.Color("measure:N", title=None, scale=alt.Scale(range=[PALETTE[3], PALETTE[0]]),
                        legend=alt.Legend(labelLimit=400)),
        tooltip=[alt.Tooltip("name:N", title="Ally"), alt.Tooltip("measure:N"),
                 alt.Tooltip("pct:Q", format=".1f", title="% per year"),
                 alt.Tooltip("gdp_growth_pct_assumed:Q", format=".1f",
                             title="Real GDP growth assumed (%/yr)")],
    ).properties(height=15 * len(order))
    return titled(chart, f"Real growth needed to reach {target_share_pct:g} % of GDP by "
                  f"{target_year}",
                  [f"Needed: the constant real growth that lifts the {latest}e share of GDP to "
                   f"{target_share_pct:g} % in {target_year}, with {y_text}.",
                   ("Achieved: the Ally's average real growth of defence expenditure over the "
                    "past decade.")],
                  source_line("nato_defexp_2024", note=SOURCE_NOTE))
