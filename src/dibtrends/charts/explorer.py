"""The explorer: a measure to choose, a box to tick for each Ally and grouping, and the line
chart of what is chosen, all in one Vega-Lite spec (parameters bound to form controls), so the
page works from disk and from the keyboard. The controls go into the form :func:`controls`
writes before the chart, not into the chart itself (its ``role="img"`` hides what it holds from
screen readers). The rows drawn are also the page's table and its "What is shown (CSV)"
download (the spec's ``usermeta``, read by ``reports/_vega-header.html``)."""

from __future__ import annotations

import json

import altair as alt
import polars as pl

from .. import explorer
from . import WIDTH, source_line, titled

#: Where the controls go (ids of elements that :func:`controls` writes).
MEASURE_ID, ALLIES_ID = "dibtrends-explorer-measure", "dibtrends-explorer-allies"
#: Ticked names as a grid; a focus outline that shows whichever control the keyboard is on.
_CONTROLS_CSS = f"""
.dibtrends-explorer-fieldset {{ border: 1px solid #ccc; padding: 0.3rem 0.8rem 0.5rem;
  margin-bottom: 1rem; }}
.dibtrends-explorer-fieldset legend {{ float: none; width: auto; font-size: 1rem; padding: 0 0.3rem;
  margin: 0; }}
#{ALLIES_ID} {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr));
  gap: 0 1rem; }}
#{ALLIES_ID} label {{ display: flex; flex-direction: row-reverse; justify-content: flex-end;
  align-items: baseline; gap: 0.4rem; margin: 0; cursor: pointer; }}
#{MEASURE_ID} {{ margin-bottom: 0.6rem; }}
#{MEASURE_ID} select:focus-visible, #{ALLIES_ID} input:focus-visible {{
  outline: 3px solid #0b5cad; outline-offset: 2px; }}
"""
#: Enter ticks a box too: browsers tick on Space only, and readers may try either.
_ENTER_TICKS = (f"document.getElementById('{ALLIES_ID}').addEventListener('keydown', function (e) "
                "{ if (e.key === 'Enter' && e.target.type === 'checkbox') "
                "{ e.preventDefault(); e.target.click(); } });")


def controls() -> str:
    """The page's controls, empty until the chart is drawn and binds its parameters there
    (Vega empties the element it binds into: the fieldset's legend stays outside it)."""
    return (f"<style>{_CONTROLS_CSS}</style><div id=\"{MEASURE_ID}\"></div>"
            f"<fieldset class=\"dibtrends-explorer-fieldset\"><legend>Allies and groupings "
            f"shown</legend><div id=\"{ALLIES_ID}\"></div></fieldset>"
            f"<script>{_ENTER_TICKS}</script>")


def _per_measure(attribute: str) -> str:
    """A Vega expression giving the chosen measure's ``attribute`` (label, unit, ...)."""
    words = {key: getattr(m, attribute) for key, m in explorer.MEASURES.items()}
    return f"{json.dumps(words, ensure_ascii=False)}[measure]"


def _ticks(table: pl.DataFrame, names: list[str]) -> list:
    """A checkbox per Ally or grouping (a parameter each: a Vega-Lite binding holds one value),
    groupings first, then the Allies in alphabetical order; ``names`` ticked."""
    offered = table.select("code", "name").unique().sort(
        ~pl.col("code").is_in(list(explorer.GROUPINGS)), "name")
    return [alt.param(name=f"show_{code}", value=name in names,
                      bind=alt.binding_checkbox(name=name, element=f"#{ALLIES_ID}"))
            for code, name in offered.iter_rows()]


def explorer_chart(table: pl.DataFrame, measure: str, names: list[str],
                   source_ids: tuple[str, ...]):
    """The explorer over ``explorer.explorer_table``, opening on ``measure`` and ``names``."""
    keys = list(explorer.MEASURES)
    choose = alt.param(name="measure", value=measure, bind=alt.binding_select(
        options=keys, labels=[explorer.MEASURES[k].label for k in keys], name="Measure: ",
        element=f"#{MEASURE_ID}"))
    ticks = _ticks(table, names)
    chosen = alt.param(name="chosen", expr="{" + ", ".join(
        f"{json.dumps(t.name.removeprefix('show_'))}: {t.name}" for t in ticks) + "}")
    shown = alt.Chart(table).transform_filter("datum.measure == measure").transform_filter(
        "chosen[datum.code]").transform_calculate(
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
    chart = titled(plot, "Explore the Allies' military spending: NATO's and SIPRI's figures",
                   "Tick names above the chart to add or remove them, choose a measure in the "
                   "list; point at a line for its values.",
                   source_line(*source_ids)).add_params(choose, *ticks, chosen)
    return chart.properties(usermeta={"dibtrends": {**chart.usermeta["dibtrends"], "shown": {
        "mark": "shown", "columns": explorer.SHOWN, "sort": ["name", "year"],
        # the page's table prints each measure's values to its decimals (its CSV keeps them raw)
        "decimals": {m.label: m.decimals for m in explorer.MEASURES.values()}}}})
