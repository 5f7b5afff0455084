"""Chart builders for chapter 4 (the guidelines, the core-defence target, NATO's figures against
SIPRI's). Estimate years, first and latest year and editions come in through the arguments."""

from __future__ import annotations

import altair as alt
import polars as pl

from . import PALETTE, names, reference_rule, source_line, titled, tooltips
from ..prose.equipment import year_label
from .equipment import year_labels

NOT_MEMBER = "not yet an Ally"
MEETS = "meets guideline"
MISSES = "below guideline"
#: Guideline -> the share it tests, its axis title and its name.
GUIDELINES = {
    "gdp": ("share_gdp_pct", "Defence expenditure, % of GDP", "2 % of GDP"),
    "equipment": ("equipment_share_pct", "Equipment, % of defence expenditure",
                  "20 % on major equipment"),
}
ASSUMED_GROWTH = "Real GDP growth assumed (% a year)"


def estimate_note(estimate_years) -> str:
    """'e: NATO estimate.' when the table marks any year as an estimate."""
    return "e: NATO estimate." if list(estimate_years) else ""


def _grid(data: pl.DataFrame, order: list[str], colour: alt.Color, tooltip: list, text,
          **text_mark):
    """Allies (rows, in ``order``) by years (columns, labelled on top): coloured cells with
    their values written in."""
    base = alt.Chart(data).encode(
        x=alt.X("year_label:O", title=None, sort=None, axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("name:N", sort=order, title=None))
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(color=colour, tooltip=tooltip)
    return alt.layer(cells, base.mark_text(**text_mark).encode(**text)).properties(
        width=600, height=15 * len(order))


def guideline_heatmap(status: pl.DataFrame, guideline: str,
                      source_id: str, estimate_years=()):
    """Allies x years: cell colour says met / not met / not yet an Ally, text gives the value."""
    value, axis_title, label = GUIDELINES[guideline]
    data = status.filter(pl.col(value).is_not_null()).select(
        "entity", "year", "estimate", value, names(), year_labels(),
        pl.when(~pl.col("counted")).then(pl.lit(NOT_MEMBER))
        .when(pl.col(f"meets_{guideline}_guideline")).then(pl.lit(MEETS)).otherwise(pl.lit(MISSES)).alias("status"),
        pl.col(value).round(2 if guideline == "gdp" else 0).alias("value_label"),
    )
    latest = int(data["year"].max())
    order = (data.filter(pl.col("year") == latest).sort(value, descending=True)["name"].to_list())
    chart = _grid(
        data, order, alt.Color("status:N", title=None, scale=alt.Scale(
            domain=[MEETS, MISSES, NOT_MEMBER], range=[PALETTE[0], "#f0c987", "#eeeeee"])),
        tooltips(("name:N", "Ally"), ("year_label:N", "Year"),
                 (f"{value}:Q", axis_title, ".2f"), ("status:N", "Status")),
        {"text": alt.Text("value_label:Q", format=".2f" if guideline == "gdp" else ".0f"),
         "color": alt.condition(alt.datum.status == MEETS, alt.value("white"),
                                alt.value("#333333"))}, fontSize=9)
    first = int(data["year"].min())
    n_first, n_last = (data.filter(pl.col("year") == y, pl.col("status") == MEETS).height
                       for y in (first, latest))
    last_label = year_label(latest, estimate_years)
    caption = (f"Every Ally in every year of NATO's tables, {first}–{last_label}, its value "
               f"written in and coloured where it meets the {label} guideline: {n_first} Allies "
               f"met it in {first}, {n_last} in {last_label}")
    return titled(chart, f"NATO's {label} guideline, Ally by Ally, {first}–{last_label}",
                  [(f"Cells: {axis_title}. Allies meeting it: {n_first} in {first}, "
                    f"{n_last} in {last_label}. Grey: years before accession."),
                   f"Sorted by the {last_label} value."],
                  source_line(source_id, note=estimate_note(estimate_years)
                              + " Share of GDP at 2015 prices (Table 3)."), caption)


def gap_chart(gap: pl.DataFrame, projection: pl.DataFrame, source_id: str, estimate_years=()):
    """Per Ally: share of GDP in the latest year (dot) and on trend in the gap's target year
    (diamond with its prediction interval), against its target (dashed)."""
    target_share_pct, target_year = gap["target_share_pct"][0], gap["target_year"][0]
    latest = year_label(int(gap["latest_year"][0]), estimate_years)
    window = (f"{int(projection['window_start'][0])}–"
              f"{year_label(int(projection['window_end'][0]), estimate_years)}")
    pi = round(projection["pi_level"][0] * 100)
    data = gap.select("entity", "share_gdp_pct_latest", "gap_pp", "already_above",
                      "required_real_growth_pct", "gdp_growth_pct_assumed").join(
        projection.select("entity", "projected_share_pct", "pi_lower_pct", "pi_upper_pct",
                          "break_year"),
        on="entity").with_columns(names())
    order = data.sort("share_gdp_pct_latest", descending=True)["name"].to_list()
    y = alt.Y("name:N", sort=order, title=None)
    tooltip = tooltips(
        ("name:N", "Ally"), ("share_gdp_pct_latest:Q", f"{latest}, % of GDP", ".2f"),
        ("gap_pp:Q", f"Gap to {target_share_pct:g} % (points)", ".2f"),
        ("required_real_growth_pct:Q", f"Real growth needed per year to {target_year} (%)", ".1f"),
        ("gdp_growth_pct_assumed:Q", ASSUMED_GROWTH, ".1f"),
        ("projected_share_pct:Q", f"{target_year} on trend (%)", ".2f"),
        ("pi_lower_pct:Q", f"{pi} % interval, low", ".2f"),
        ("pi_upper_pct:Q", f"{pi} % interval, high", ".2f"))
    base = alt.Chart(data).encode(y=y, tooltip=tooltip)
    interval = base.mark_rule(color=PALETTE[5], strokeWidth=2).encode(
        x=alt.X("pi_lower_pct:Q", title="Defence expenditure, % of GDP (2015 prices)"),
        x2="pi_upper_pct:Q")
    trend = base.mark_point(shape="diamond", filled=True, size=60, color=PALETTE[0]).encode(
        x="projected_share_pct:Q")
    now = base.mark_point(filled=True, size=50, color=PALETTE[1]).encode(x="share_gdp_pct_latest:Q")
    target = reference_rule(float(target_share_pct), dash=(5, 3))
    chart = alt.layer(interval, trend, now, target).properties(height=15 * len(order))
    reach = int((data["projected_share_pct"] >= target_share_pct).sum())
    shifted = data.filter(pl.col("break_year").is_not_null())["name"].to_list()
    caption = (f"Each Ally's share of GDP in {latest} (orange) and in {target_year} on its "
               f"{window} straight-line trend (blue, with its {pi} % prediction interval), "
               f"against {target_share_pct:g} % (dashed): on trend, {reach} of {data.height} "
               f"Allies reach it")
    return titled(chart, f"Distance to {target_share_pct:g} % of GDP by {target_year}",
                  [(f"Orange dot: {latest} share of GDP. Blue diamond: {target_year} on the "
                    f"Ally's straight-line trend {window}; bar: its own {pi} % prediction "
                    "interval."),
                   (f"Dashed line: {target_share_pct:g} %. On trend, {reach} of {data.height} "
                    "Allies reach it.")
                   + (f" {', '.join(shifted)}: trend with a level shift at a GDP series break."
                      if shifted else "")],
                  source_line(source_id, note="Trend lines describe the past, they do not "
                              "forecast budgets. " + estimate_note(estimate_years)), caption)


def required_growth_chart(gap: pl.DataFrame, first_year: int, source_id: str, estimate_years=()):
    """Real growth of defence spending needed per year (or, for an Ally already at the gap's
    target, the lowest growth that keeps it there) against the Ally's own past growth."""
    target_share_pct, target_year = gap["target_share_pct"][0], gap["target_year"][0]
    latest_year = int(gap["latest_year"][0])
    latest = year_label(latest_year, estimate_years)
    data = gap.select(
        "entity", "milex_real_growth_pct_past", "gdp_growth_pct_assumed", "share_gdp_pct_latest",
        pl.coalesce("required_real_growth_pct", "growth_to_stay_pct").alias("needed_pct"),
        "already_above", names())
    order = data.sort("needed_pct", descending=True)["name"].to_list()
    if gap["gdp_growth_basis"][0] == "common":
        y_text = f"real GDP growing {gap['gdp_growth_pct_assumed'][0]:g} % a year for every Ally"
    else:
        y_text = f"real GDP growing at each Ally's own {first_year}–{latest} average"
    needed = f"needed {latest_year}–{target_year} to reach {target_share_pct:g} %"
    stay = f"lowest that keeps it at {target_share_pct:g} % (already there)"
    achieved = f"achieved {first_year}–{latest}"
    long = data.unpivot(index=["entity", "name", "gdp_growth_pct_assumed", "share_gdp_pct_latest",
                               "already_above"],
                        on=["needed_pct", "milex_real_growth_pct_past"],
                        variable_name="measure", value_name="pct").with_columns(
        pl.when(pl.col("measure") == "milex_real_growth_pct_past").then(pl.lit(achieved))
        .when(pl.col("already_above")).then(pl.lit(stay)).otherwise(pl.lit(needed))
        .alias("measure")).drop_nulls("pct")
    chart = alt.Chart(long).mark_point(filled=True, size=55).encode(
        y=alt.Y("name:N", sort=order, title=None),
        x=alt.X("pct:Q", title="Real growth of defence expenditure, % per year (2015 prices)"),
        color=alt.Color("measure:N", title=None, scale=alt.Scale(
            domain=[needed, stay, achieved], range=[PALETTE[3], PALETTE[2], PALETTE[0]]),
            legend=alt.Legend(labelLimit=400)),
        shape=alt.Shape("measure:N", scale=alt.Scale(domain=[needed, stay, achieved],
                                                     range=["circle", "triangle", "circle"]),
                        legend=None),
        tooltip=tooltips(("name:N", "Ally"), "measure:N", ("pct:Q", "% per year", ".1f"),
                         ("gdp_growth_pct_assumed:Q", ASSUMED_GROWTH, ".1f")),
    ).properties(height=15 * len(order))
    below = gap.filter(~pl.col("already_above"))
    caption = (f"The constant real growth of defence spending each Ally needs to reach "
               f"{target_share_pct:g} % of GDP by {target_year} (red; green: the lowest that keeps "
               f"an Ally already there), against its own growth {first_year}–{latest} (blue): "
               f"{int(below['needs_faster_growth'].sum())} of the {below.height} Allies below "
               f"the target need faster growth than they achieved")
    return titled(chart, f"Real growth needed to reach {target_share_pct:g} % of GDP by "
                  f"{target_year}",
                  [f"Needed: the constant real growth that lifts the {latest} share of GDP to "
                   f"{target_share_pct:g} % in {target_year},",
                   f"with {y_text}.",
                   ("Achieved: the Ally's average real growth of defence expenditure, "
                    f"{first_year}–{latest}."),
                   "Triangle: an Ally already at the target; the growth below which it would "
                   "fall back."],
                  source_line(source_id, note=estimate_note(estimate_years)), caption)


def count_distribution_chart(interval: dict, target_share_pct: float, target_year: int,
                             window: str, source_id: str):
    """How many Allies reach the target on trend, over the joint draws: bars, the interval
    shaded, the straight-line count marked."""
    level = f"{interval['level'] * 100:.0f} %"
    inside, outside = f"inside the {level} interval", "outside it"
    data = interval["distribution"].with_columns(
        pl.when(pl.col("n_allies_reaching").is_between(interval["low"], interval["high"]))
        .then(pl.lit(inside)).otherwise(pl.lit(outside)).alias("inside"),
        (pl.col("share_of_draws") * 100).alias("pct_of_draws"))
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("n_allies_reaching:O", title=f"Allies at {target_share_pct:g} % or more in "
                f"{target_year}", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("pct_of_draws:Q", title="% of draws"),
        color=alt.Color("inside:N", title=None, scale=alt.Scale(
            domain=[inside, outside], range=[PALETTE[0], "#bbbbbb"])),
        tooltip=tooltips(("n_allies_reaching:O", "Allies"),
                         ("pct_of_draws:Q", "% of draws", ".1f")))
    point = alt.Chart(pl.DataFrame({"n_allies_reaching": [interval["point"]]})).mark_rule(
        color=PALETTE[3], strokeWidth=2, strokeDash=[4, 2]).encode(x="n_allies_reaching:O")
    chart = alt.layer(bars, point).properties(height=220)
    caption = (f"How many Allies are at {target_share_pct:g} % of GDP or more in {target_year} "
               f"across {interval['n_draws']:,} joint draws of their {window} trends' errors: "
               f"{level} interval {interval['low']} to {interval['high']} of "
               f"{interval['n_allies']}; the straight lines themselves give {interval['point']} "
               f"(dashed)")
    return titled(chart, f"How many Allies their trends carry to {target_share_pct:g} % by "
                  f"{target_year}",
                  [(f"{interval['n_draws']:,} joint draws of all Allies' trend errors "
                    f"({window}). {level} interval: {interval['low']} to {interval['high']} of "
                    f"{interval['n_allies']}."),
                   (f"Red dashed line: the straight-line count ({interval['point']}). "
                    "A description of the trends, not a forecast.")],
                  source_line(source_id), caption)


def nato_sipri_chart(by_ally: pl.DataFrame, nato_source: str, sipri_source: str,
                     estimate_years=(), threshold_pct: float = 2.0):
    """Per Ally, the latest common year: NATO's share of GDP and SIPRI's, joined by a line,
    with the 2 % guideline."""
    year = int(by_ally["latest_year"].max())
    label = year_label(year, estimate_years)
    data = by_ally.filter(pl.col("latest_year") == year).with_columns(names("iso3"))
    order = data.sort("nato_share_latest_pct", descending=True)["name"].to_list()
    long = data.unpivot(index=["iso3", "name", "difference_latest_pp"],
                        on=["nato_share_latest_pct", "sipri_share_latest_pct"],
                        variable_name="publisher", value_name="share_pct").with_columns(
        pl.col("publisher").replace_strict({"nato_share_latest_pct": f"NATO ({label})",
                                            "sipri_share_latest_pct": f"SIPRI ({year})"}))
    y = alt.Y("name:N", sort=order, title=None)
    tooltip = tooltips(("name:N", "Ally"), "publisher:N", ("share_pct:Q", "% of GDP", ".2f"),
                       ("difference_latest_pp:Q", "NATO minus SIPRI (points)", "+.2f"))
    line = alt.Chart(long).mark_line(color="#999999").encode(
        y=y, x="share_pct:Q", detail="name:N")
    dots = alt.Chart(long).mark_point(filled=True, size=55).encode(
        y=y, x=alt.X("share_pct:Q", title="Military/defence expenditure, % of GDP"),
        color=alt.Color("publisher:N", title=None,
                        scale=alt.Scale(range=[PALETTE[0], PALETTE[1]])),
        tooltip=tooltip)
    chart = alt.layer(line, dots, reference_rule(threshold_pct, dash=(5, 3))).properties(
        height=15 * len(order))
    n_nato = int((data["nato_share_latest_pct"] >= threshold_pct).sum())
    n_sipri = int((data["sipri_share_latest_pct"] >= threshold_pct).sum())
    caption = (f"Each Ally's share of GDP in {label} on NATO's figures and in {year} on SIPRI's, "
               f"joined by a line, against {threshold_pct:g} % (dashed): {n_nato} Allies at "
               f"{threshold_pct:g} % or more on NATO's figures, {n_sipri} on SIPRI's")
    return titled(chart, f"NATO's and SIPRI's share of GDP, {year}",
                  [(f"Dashed line: {threshold_pct:g} %. At or above it: {n_nato} Allies on "
                    f"NATO's figures, {n_sipri} on SIPRI's."),
                   "Different definitions and sources: never mix the two in one series."],
                  source_line(nato_source, sipri_source, note=estimate_note(estimate_years)),
                  caption)


def difference_heatmap(comparison: pl.DataFrame, nato_source: str, sipri_source: str,
                       estimate_years=()):
    """Allies x years: NATO's share of GDP minus SIPRI's, in percentage points."""
    data = comparison.with_columns(names("iso3"), pl.col("nato_estimate").alias("estimate"))
    data = data.with_columns(year_labels(), pl.col("difference_pp").round(2).alias("label"))
    order = (data.group_by("name").agg(pl.col("difference_pp").mean())
             .sort("difference_pp")["name"].to_list())
    limit = max(0.5, float(data["difference_pp"].abs().max()))
    chart = _grid(
        data, order, alt.Color("difference_pp:Q", title="NATO minus SIPRI, points",
                               scale=alt.Scale(scheme="blueorange", domain=[-limit, limit])),
        tooltips(("name:N", "Ally"), ("year_label:N", "Year"),
                 ("nato_share_pct:Q", "NATO, % of GDP", ".2f"),
                 ("sipri_share_pct:Q", "SIPRI, % of GDP", ".2f"),
                 ("difference_pp:Q", "NATO minus SIPRI", "+.2f")),
        {"text": alt.Text("label:Q", format="+.2f")}, fontSize=8, color="#222222")
    first, last = int(data["year"].min()), int(data["year"].max())
    top = data.sort(pl.col("difference_pp").abs(), descending=True).row(0, named=True)
    caption = (f"NATO's share of GDP minus SIPRI's for every Ally and year, "
               f"{first}–{year_label(last, estimate_years)}, in percentage points: "
               f"on average {data['difference_pp'].abs().mean():.2f} apart, at most "
               f"{top['difference_pp']:+.2f} ({top['name']}, {top['year_label']})")
    return titled(chart, f"NATO's share of GDP minus SIPRI's, {first}–"
                  f"{year_label(last, estimate_years)}",
                  ["Orange: NATO's figure higher; blue: SIPRI's higher (percentage points).",
                   "Allies sorted by the mean difference."],
                  source_line(nato_source, sipri_source, note=estimate_note(estimate_years)),
                  caption)
