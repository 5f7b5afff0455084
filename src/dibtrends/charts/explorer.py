"""The explorer: a list of Allies and groupings to click, a measure to choose, and the line chart
of what is chosen, all in one Vega-Lite spec (parameters and a selection), so the page works
from disk. The rows drawn are also the page's table and its "What is shown (CSV)" download
(the spec's ``usermeta``, read by ``reports/_vega-header.html``)."""

from __future__ import annotations

import json

import altair as alt
import polars as pl

from .. import explorer
from . import WIDTH, source_line, titled

#: The list of names to click: columns across, pixels per row.
PICK_COLUMNS, PICK_ROW_PX = 4, 18


def _per_measure(attribute: str) -> str:
    """A Vega expression giving the chosen measure's ``attribute`` (label, unit, ...)."""
    words = {key: getattr(m, attribute) for key, m in explorer.MEASURES.items()}
    return f"{json.dumps(words, ensure_ascii=False)}[measure]"


def _picker(base, pick, n_names: int):
    """Names in a grid, groupings first, then the Allies in alphabetical order."""
    rows = -(-n_names // PICK_COLUMNS)
    return base.transform_aggregate(groupby=["code", "name"]).transform_calculate(
        grouping="length(datum.code) > 3 ? 0 : 1",
    ).transform_window(
        i="row_number()", sort=[alt.SortField("grouping"), alt.SortField("name")],
    ).transform_calculate(
        x=f"((datum.i - 1) % {PICK_COLUMNS}) * {WIDTH // PICK_COLUMNS}",
        y=f"floor((datum.i - 1) / {PICK_COLUMNS}) * {PICK_ROW_PX}",
        chosen="'\u25a0 ' + datum.name", not_chosen="'\u25a1 ' + datum.name",
    ).mark_text(align="left", baseline="top", fontSize=12, cursor="pointer").encode(
        x=alt.X("x:Q", scale=None, axis=None), y=alt.Y("y:Q", scale=None, axis=None),
        text={"condition": {"param": pick.name, "field": "chosen", "type": "nominal"},
              "value": {"expr": "datum.not_chosen"}},
        color=alt.condition(pick, alt.value("#000000"), alt.value("#767676")),
        tooltip=alt.value("Click to add or remove"),
    ).add_params(pick).properties(width=WIDTH, height=rows * PICK_ROW_PX)


def explorer_chart(table: pl.DataFrame, measure: str, names: list[str],
                   source_ids: tuple[str, ...]):
    """The explorer over ``explorer.explorer_table``, opening on ``measure`` and ``names``."""
    keys = list(explorer.MEASURES)
    choose = alt.param(name="measure", value=measure, bind=alt.binding_select(
        options=keys, labels=[explorer.MEASURES[k].label for k in keys], name="Measure: "))
    pick = alt.selection_point(name="pick", fields=["name"], toggle="true", clear=False,
                               value=[{"name": n} for n in names])
    base = alt.Chart(table).transform_filter("datum.measure == measure")
    shown = base.transform_filter({"param": pick.name, "empty": False}).transform_calculate(
        label=_per_measure("label"), unit=_per_measure("unit"))
    colour = alt.Color("name:N", title=None, legend=alt.Legend(columns=4, labelLimit=180))
    x = alt.X("year:Q", title=None, axis=alt.Axis(format="d"),
              scale=alt.Scale(zero=False, nice=False))
    y = alt.Y("value:Q", title=None)
    lines = shown.mark_line(strokeWidth=1.5).encode(x=x, y=y, color=colour)
    # every figure has a point (its tooltip); only estimates show one, as a hollow circle
    points = shown.mark_point(size=30, fill="white").encode(
        x=x, y=y, color=alt.Color("name:N", legend=None),
        opacity=alt.condition("datum.estimate == 'yes'", alt.value(1), alt.value(0)),
        tooltip=[alt.Tooltip(f"{c}:N", title=t) for c, t in explorer.SHOWN.items()],
    ).properties(name="shown")
    heading = (f"[{_per_measure('label')} + ', ' + {_per_measure('unit')}, "
               f"'Price basis: ' + {_per_measure('price_basis')} + '. Circles: estimates.']")
    plot = alt.layer(lines, points).properties(width=WIDTH, title=alt.TitleParams(
        text=alt.ExprRef(heading), fontSize=12, fontWeight="normal"))
    chart = titled(alt.vconcat(_picker(base, pick, table["code"].n_unique()), plot, spacing=18)
                   .add_params(choose).resolve_scale(color="independent"),
                   "Explore the Allies' military spending: NATO's and SIPRI's figures",
                   "Click names to add or remove them, choose a measure in the list; point at a "
                   "line for its values.",
                   source_line(*source_ids))
    return chart.properties(usermeta={"dibtrends": {**chart.usermeta["dibtrends"], "shown": {
        "mark": "shown", "columns": explorer.SHOWN, "sort": ["name", "year"],
        # the page's table prints each measure's values to its decimals (its CSV keeps them raw)
        "decimals": {m.label: m.decimals for m in explorer.MEASURES.values()}}}})
