"""An Ally profile's two figures (SIPRI's long run; NATO's years, spending and what it buys),
from ``chapters.profile.Result.frames``: a builder given an empty frame raises, so no profile
shows an empty chart. Titles, subtitles and captions: ``Result.titles``.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from ..pledge import EQUIPMENT_GUIDELINE_PCT, GDP_GUIDELINE_PCT
from ..prose.profile import CATEGORIES, year_label
from . import PALETTE, reference_rule, source_line, titled, tooltips

HEIGHT = 170
#: Two NATO panels side by side fit the house width.
PANEL_WIDTH = 270


def _require_data(frame: pl.DataFrame | None, what: str) -> None:
    if frame is None or frame.is_empty():
        raise ValueError(f"no data for the {what} chart: the page shows a sentence instead "
                         "(see chapters.profile.Result.frames)")


def long_run(share: pl.DataFrame, accession: int, source_id: str, *, title: str,
             subtitle: list[str], caption: str = ""):
    """SIPRI's share of GDP (:func:`dibtrends.profile.long_run_share`: the line breaks between
    segments), with the 2 % guideline and accession marked."""
    _require_data(share, "long-run")
    first, last = int(share["year"].min()), int(share["year"].max())
    x = alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1),
              scale=alt.Scale(domain=[first, last], nice=False))
    line = alt.Chart(share).mark_line(color=PALETTE[0], strokeWidth=2).encode(
        x=x, y=alt.Y("share_gdp_pct:Q", title="% of GDP", scale=alt.Scale(zero=True)),
        detail="segment:N",
        tooltip=tooltips(("year:Q", "Year", "d"), ("share_gdp_pct:Q", "% of GDP", ".2f")))
    layers = [line, reference_rule(float(GDP_GUIDELINE_PCT), "y", colour="#666666")]
    if first < accession <= last:
        layers.append(alt.Chart(pl.DataFrame({"year": [accession]})).mark_rule(
            color=PALETTE[1], strokeWidth=2).encode(
                x="year:Q", tooltip=tooltips(("year:Q", "Joined NATO", "d"))))
    return titled(alt.layer(*layers).properties(height=HEIGHT), title, subtitle,
                  source_line(source_id), caption)


def _bars(data: pl.DataFrame, y: alt.Y, colour: alt.Color, tooltip: list, **encoding):
    """Bars per year ('2024e' for an estimate: ``data`` has its ``year_label``)."""
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("year_label:O", title=None, sort=None, axis=alt.Axis(labelAngle=-90)), y=y,
        color=colour, **encoding, tooltip=tooltips(("year_label:N", "Year"), *tooltip))


def _panel(chart, title: str):
    return chart.properties(width=PANEL_WIDTH, height=HEIGHT,
                            title=alt.TitleParams(title, fontSize=13))


def nato_years(spending: pl.DataFrame, split: pl.DataFrame | None, source_id: str, *,
               title: str, subtitle: list[str], caption: str = ""):
    """NATO's years: spending at constant 2015 prices (left) and each category's share (right,
    equipment at the bottom, so the dashed equipment guideline reads against it; no right
    panel when ``split`` is None)."""
    _require_data(spending, "spending")
    panels = [_panel(_bars(
        spending.with_columns(year_label().alias("year_label"), pl.when(pl.col("estimate"))
                              .then(pl.lit("NATO estimate")).otherwise(pl.lit("reported"))
                              .alias("status")),
        alt.Y("milex_usd_bn_const2015:Q", title="US$ billion, constant 2015 prices"),
        alt.Color("status:N", legend=None, scale=alt.Scale(
            domain=["reported", "NATO estimate"], range=[PALETTE[0], PALETTE[5]])),
        [("milex_usd_bn_const2015:Q", "US$ bn, 2015 prices", ",.2f"), ("status:N", "Figure")]),
        "Defence expenditure")]
    if split is not None and not split.is_empty():
        order = list(CATEGORIES.values())
        bars = _bars(
            split.with_columns(pl.col("category").replace_strict(CATEGORIES),
                               year_label().alias("year_label"),
                               pl.col("category").replace_strict(
                                   {c: i for i, c in enumerate(CATEGORIES)}).alias("stack_order")),
            alt.Y("share_pct:Q", title="% of defence expenditure", stack="zero",
                  scale=alt.Scale(domain=[0, 100])),
            alt.Color("category:N", title=None, sort=order,
                      scale=alt.Scale(domain=order, range=PALETTE[:4]),
                      legend=alt.Legend(orient="bottom", columns=2, labelLimit=300)),
            ["category:N", ("share_pct:Q", "% of spending", ".1f")],
            order=alt.Order("stack_order:Q"))
        rule = reference_rule(float(EQUIPMENT_GUIDELINE_PCT), "y", colour="#000000",
                              strokeWidth=1.5)
        panels.append(_panel(alt.layer(bars, rule), "What it buys"))
    chart = alt.hconcat(*panels, spacing=30).resolve_scale(color="independent")
    return titled(chart, title, subtitle, source_line(source_id), caption)
