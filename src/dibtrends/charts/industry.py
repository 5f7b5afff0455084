"""Charts of chapter 3 (industry consolidation): each takes the frame the chapter computed and
the title and subtitle it worded (``Result.titles``); SIPRI charts name their edition
(``source_id``) in the source line."""

from __future__ import annotations

import altair as alt
import polars as pl

from .. import industry
from ..industry import CHINA_FROM
from . import PALETTE, WIDTH, source_line, titled, tooltips

REGION_COLOURS = dict(zip(industry.REGIONS, PALETTE[:len(industry.REGIONS)], strict=True))
BREAK_NOTE = ("SIPRI includes Chinese companies only from 2015: the dotted line marks that series "
              "break.")
CURRENT_PRICES = ("Arms revenue in US$ at current prices; shares and concentration are ratios and "
                  "do not depend on the price basis.")
DOD_SOURCE = ("Source: U.S. Department of Defense, OUSD(A&S), 'State of Competition within the "
              "Defense Industrial Base', February 2022 (figures as quoted from the report; "
              "transcribed in data/curated/dod_consolidation_2022.csv).")
MERGER_SOURCE = ("Sources: company filings, press releases and news reports cited row by row in "
                 "data/curated/merger_timeline.csv. Year of completion (or of the named event).")
SHARE_AXIS = "Share of Top-100 arms revenue (%, current US$)"


def _with_break(chart, years: pl.Series, ordinal: bool = False):
    """Mark the 2015 series break (dotted rule and label) when the years shown straddle it: at
    2014.5 on a year axis, at the left edge of the 2015 band on a bar chart."""
    if not years.min() < CHINA_FROM <= years.max():
        return chart
    rule = alt.Chart(pl.DataFrame({"year": [CHINA_FROM if ordinal else CHINA_FROM - 0.5],
                                   "label": ["2015: Chinese firms added"]}))
    x = alt.X("year:O", bandPosition=0) if ordinal else alt.X("year:Q")
    colour = "#333333" if ordinal else "#555555"
    line = rule.mark_rule(strokeDash=[2, 3], color=colour,
                          strokeWidth=2 if ordinal else 1).encode(x=x)
    # bars fill the plot to the top: there the label goes above the plot area
    text = rule.mark_text(align="left", dx=4, dy=-3 if ordinal else -4, fontSize=10, color=colour,
                          baseline="bottom" if ordinal else "top").encode(
        x=x, y=alt.value(0), text="label:N")
    return chart + (line + text)


def _years(data: pl.DataFrame) -> alt.X:
    return alt.X("year:Q", title=None, axis=alt.Axis(format="d"),
                 scale=alt.Scale(domain=[data["year"].min(), data["year"].max()], nice=False))


def consolidation_chart(dod: pl.DataFrame, *, title: str, subtitle: str | list[str],
                        caption: str = ""):
    """DoD (2022): number of suppliers in the 1990s and in 2022, one dumbbell per category."""
    data = dod.select("category", "count_before", "count_after", "period_before", "period_after",
                      "quote").sort("count_before", descending=True)
    long = data.unpivot(index=["category", "quote"], on=["count_before", "count_after"],
                        variable_name="when", value_name="suppliers").with_columns(
        pl.col("when").replace_strict({"count_before": "1990s", "count_after": "2022"}))
    y = alt.Y("category:N", sort=data["category"].to_list(), title=None,
              axis=alt.Axis(labelLimit=260))
    x = alt.X("suppliers:Q", title="Number of suppliers (DoD count)",
              scale=alt.Scale(domain=[0, 55], nice=False))
    link = alt.Chart(data).mark_rule(color="#999999", strokeWidth=2).encode(
        y=y, x=alt.X("count_after:Q", scale=alt.Scale(domain=[0, 55], nice=False)),
        x2="count_before:Q")
    dots = alt.Chart(long).mark_circle(size=140, opacity=1).encode(
        y=y, x=x,
        color=alt.Color("when:N", title=None, sort=["1990s", "2022"],
                        scale=alt.Scale(domain=["1990s", "2022"], range=[PALETTE[5], PALETTE[0]])),
        tooltip=tooltips(("category:N", "Category"), ("when:N", "When"),
                         ("suppliers:Q", "Suppliers"), ("quote:N", "Report")))
    labels = alt.Chart(long).mark_text(dy=-13, fontSize=11).encode(y=y, x=x, text="suppliers:Q")
    chart = (link + dots + labels).properties(width=WIDTH - 160, height=40 * data.height + 20)
    return titled(chart, title, subtitle, DOD_SOURCE, caption)


def merger_timeline_chart(timeline: pl.DataFrame, *, title: str, subtitle: str | list[str],
                          caption: str = ""):
    """Dated events that formed the US and European primes: one row per surviving company."""
    data = timeline.select("year", "company_after", "companies_before", "event", "event_type",
                           "region", pl.col("date").cast(pl.String).fill_null("(year only)"))
    # Ties (two companies formed in one year) keep the curated table's order: the same chart
    # on every build.
    order = (data.group_by("region", "company_after", maintain_order=True)
             .agg(pl.col("year").min())
             .sort("region", "year", descending=[True, False], maintain_order=True)
             ["company_after"].to_list())
    chart = alt.Chart(data).mark_point(filled=True, size=110, opacity=0.9).encode(
        x=alt.X("year:Q", title="Year", scale=alt.Scale(domain=[1980, 2025], nice=False),
                axis=alt.Axis(format="d", values=list(range(1980, 2030, 5)))),
        y=alt.Y("company_after:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
        color=alt.Color("region:N", title="Region", legend=alt.Legend(orient="right"),
                        scale=alt.Scale(domain=["United States", "Europe"],
                                        range=[REGION_COLOURS["United States"],
                                               REGION_COLOURS["European NATO"]])),
        shape=alt.Shape("event_type:N", title="Event", legend=alt.Legend(orient="right")),
        tooltip=tooltips(("company_after:N", "Company after"), ("year:Q", "Year", "d"),
                         ("date:N", "Date"), ("companies_before:N", "Before"),
                         ("event:N", "Event")),
    ).properties(width=WIDTH - 120, height=22 * len(order) + 20)
    return titled(chart, title, subtitle, MERGER_SOURCE, caption)


def concentration_chart(measures: pl.DataFrame, *, title: str, subtitle: str | list[str],
                        source_id: str, caption: str = ""):
    """CR5, CR_k (percent) and HHI (points) over time, both series, with the 2015 break marked
    (``measures``: ``industry.headline_measures``)."""
    data = measures.select("year", "series", "measure", "value", "unit")
    ratios = sorted((m for m in data["measure"].unique() if m != "HHI"), key=lambda m: int(m[2:]))
    dash = alt.StrokeDash("series:N", title="Series",
                          scale=alt.Scale(domain=[industry.SERIES_PUBLISHED,
                                                  industry.SERIES_EXCL_CHINA],
                                          range=[[1, 0], [5, 3]]),
                          legend=None)  # explained in the source line: solid vs dashed
    tooltip = tooltips(("measure:N", "Measure"), ("series:N", "Series"), ("year:Q", "Year", "d"),
                       ("value:Q", "Value", ",.1f"))

    def panel(hhi: bool, mark: dict, axis: str, floor: float, step: float, name: str,
              **colour):
        """One panel; its axis runs to at least ``floor``, else to the maximum rounded up."""
        top = float(data.filter((pl.col("measure") == "HHI") == hhi)["value"].max() or 0)
        upper = max(floor, step * -(-top // step))
        chart = alt.Chart(data).transform_filter(
            (alt.datum.measure == "HHI") if hhi else (alt.datum.measure != "HHI")
        ).mark_line(**mark).encode(
            x=_years(data), y=alt.Y("value:Q", title=axis, scale=alt.Scale(
                domain=[0, upper if hhi else min(100.0, upper)])),
            **colour, strokeDash=dash, tooltip=tooltip)
        return _with_break(chart, data["year"]).properties(width=(WIDTH - 60) // 2, height=260,
                                                           title=name)

    chart = alt.hconcat(
        panel(False, {"point": alt.OverlayMarkDef(size=18)}, SHARE_AXIS, 70, 10,
              f"Concentration ratios {' and '.join(ratios)}",
              color=alt.Color("measure:N", title="Measure",
                              scale=alt.Scale(domain=ratios, range=[PALETTE[1], PALETTE[0]]))),
        panel(True, {"color": PALETTE[2], "point": alt.OverlayMarkDef(size=18, color=PALETTE[2])},
              "HHI, points (0-10,000; current US$)", 600, 100, "Herfindahl-Hirschman index"),
        spacing=30)
    note = (f"{BREAK_NOTE} Solid lines: the published lists; dashed lines (from 2015): the same "
            "measure with Chinese firms removed before shares are computed (those lists hold "
            "fewer than 100 companies). HHI here is within the Top 100, not a market HHI. "
            f"{CURRENT_PRICES}")
    return titled(chart, title, subtitle, source_line(source_id, note=note), caption)


def _by_region(mark, x, y, tooltip: list, ordinal: bool, height: int, note: str, *,
               title: str, subtitle: str | list[str], source_id: str, caption: str = ""):
    """A chart stacked by headquarters region, bottom to top in REGIONS order."""
    chart = mark.encode(x=x, y=y, color=alt.Color(
        "region:N", title="Headquarters", sort=industry.REGIONS, scale=alt.Scale(
            domain=list(REGION_COLOURS), range=list(REGION_COLOURS.values()))),
        order=alt.Order("region_order:Q", sort="ascending"), tooltip=tooltip)
    chart = _with_break(chart, mark.data["year"], ordinal).properties(width=WIDTH, height=height)
    return titled(chart, title, subtitle, source_line(source_id, note=note), caption)


def regional_shares_chart(regional: pl.DataFrame, **words: str | list[str]):
    """Stacked shares of Top-100 arms revenue by HQ region (``industry.regional_shares``)."""
    data = regional.select("year", "region", "region_order", "share_pct", "n_companies",
                           industry.ARMS)
    return _by_region(
        alt.Chart(data).mark_area(opacity=0.9), _years(data),
        alt.Y("share_pct:Q", stack="zero", title=SHARE_AXIS, scale=alt.Scale(domain=[0, 100])),
        tooltips(("region:N", "Region"), ("year:Q", "Year", "d"),
                 ("share_pct:Q", "Share (%)", ".1f"), ("n_companies:Q", "Companies")), False, 300,
        "European NATO includes Trans-European companies (Airbus, MBDA, KNDS ...); Other NATO is "
        f"Canada and Türkiye; Allies count from the year they joined. {BREAK_NOTE} "
        + CURRENT_PRICES, **words)


def top10_by_hq_chart(counts: pl.DataFrame, k: int, **words: str | list[str]):
    """How many of the top k companies each year are headquartered in each region
    (``counts``: ``industry.top_k_region_counts``)."""
    return _by_region(
        alt.Chart(counts).mark_bar(), alt.X("year:O", title=None),
        alt.Y("companies:Q", stack="zero", title=f"Companies in the top {k}",
              scale=alt.Scale(domain=[0, k]),
              axis=alt.Axis(values=list(range(0, k + 1, max(1, k // 5))))),
        tooltips(("year:O", "Year"), ("region:N", "Region"), ("companies:Q", "Companies"),
                 ("names:N", "Names")),
        True, 260, "United States, European NATO (incl. Trans-European) and Other NATO are NATO; "
        "Allies count from the year they joined. Ranks by arms revenue in US$ at current prices. "
        + BREAK_NOTE, **words)
