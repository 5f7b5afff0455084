"""The house style for every chart, and ``show``: one display bundle that works everywhere.

Why a custom display: Quarto ignores Altair's Vega-Lite mimetype, and Altair's own HTML loads
Vega from a CDN. ``show`` emits ``text/html`` (an interactive chart drawn by a Vega bundle the
report serves itself) and the Vega-Lite mimetype (what JupyterLab draws, and what the PDF build
turns into a vector image: see :func:`dibtrends.render.static_only`). It also saves the chart's
data as a CSV the report offers for download.

No static image is drawn here: a notebook run pays only for what the notebook and the HTML
show, and the PDF's images are drawn once, by the render that needs them.
"""

from __future__ import annotations

import html
import json
import textwrap
import uuid

import altair as alt
import polars as pl

from .. import report
from ..countries import name_of
from ..prose import typeset, worded
from ..sources import get as get_source

#: Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
WIDTH, HEIGHT = 640, 320
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"


@alt.theme.register("dibtrends", enable=True)
def house_theme() -> dict:
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "discreteWidth": WIDTH,
                     "stroke": None},
            "range": {"category": PALETTE},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 12,
                      "subtitleColor": "#444444", "offset": 10},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#e6e6e6",
                     "titleFontWeight": "normal"},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom"},
        }
    }


alt.data_transformers.disable_max_rows()  # we aggregate before charting; see tests


class SourceLine(str):
    """A chart's source line that knows the registry records it names (for "Cite this")."""

    source_ids: tuple[str, ...] = ()


def source_line(*source_ids: str, note: str = "") -> SourceLine:
    """'Source: SIPRI, ... (edition).' for the chart footer, from the registry."""
    parts = []
    for sid in source_ids:
        s = get_source(sid)
        short = s.publisher.split(" (")[-1].rstrip(")") if "(" in s.publisher else s.publisher
        parts.append(f"{short}, {s.title}, {s.edition}")
    text = "Source: " + "; ".join(parts) + "."
    line = SourceLine(f"{text} {note}".strip())
    line.source_ids = source_ids
    return line


def cite_line(title: str, source: str) -> str:
    """How to cite a chart: its title, this project, and each source with its edition and the
    date its file was retrieved (from the registry); a source outside the registry (a curated
    table) as the chart's source line words it."""
    registered = map(get_source, getattr(source, "source_ids", ()))
    cited = "; ".join(f"{s.publisher}, {s.title}, {s.edition}, data retrieved {s.retrieved}, "
                      f"{s.landing_url}" for s in registered)
    return f"“{title}”, dibtrends, from {cited or source.split(': ', 1)[-1]}"


def titled(chart, title: str, subtitle: str | list[str], source: str, caption: str = ""):
    """Title, the claim being tested as subtitle, and the source line under the chart (a text
    mark, so it is part of the image the PDF shows, not page text that could drift from it).
    The page shows the citation (``usermeta``) under the chart; ``caption`` is the figure's
    caption in the report (what the chart shows and what it says; without one, the title)."""
    subtitle = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    meta = {"cite": cite_line(title, source)} | (
        {"caption": report.escape_markdown(typeset(caption))} if caption else {})
    chart = chart.properties(title=alt.TitleParams(text=title, subtitle=subtitle))
    lines = textwrap.wrap(source, 100, break_long_words=False, break_on_hyphens=False)
    source_mark = alt.Chart(pl.DataFrame({"line": lines, "i": list(range(len(lines)))})).mark_text(
        align="left", baseline="top", fontSize=11.5, color="#333333", dx=0
    ).encode(
        text="line:N", y=alt.Y("i:O", axis=None), x=alt.value(0)
    ).properties(height=14 * len(lines), width=WIDTH)
    return alt.vconcat(chart, source_mark, spacing=6).resolve_scale(
        color="independent").properties(usermeta={"dibtrends": meta})


def tooltips(*fields: str | tuple[str, ...]) -> list[alt.Tooltip]:
    """Tooltips from ``(field, title)`` or ``(field, title, format)``; a bare field keeps the
    field's own title."""
    return [alt.Tooltip(f) if isinstance(f, str) else
            alt.Tooltip(f[0], title=f[1], format=f[2] if len(f) > 2 else alt.Undefined)
            for f in fields]


def reference_rule(value: float, channel: str = "x", dash=(4, 3), colour: str = "#333333",
                   **mark):
    """A dashed line at a guideline, target or threshold, to layer over a chart."""
    return alt.Chart(pl.DataFrame({channel: [value]})).mark_rule(
        strokeDash=list(dash), color=colour, **mark).encode(**{channel: f"{channel}:Q"})


def names(code_column: str = "entity", alias: str = "name") -> pl.Expr:
    """Country names for a column of ISO3 codes (what a reader sees on an axis)."""
    return worded(name_of, code_column).alias(alias)


def chart_data(chart) -> pl.DataFrame | None:
    """The frame a chart plots, for its CSV download: the largest of its datasets (a series, not
    the era bands or reference lines layered on it; the source caption is never data). Pass
    ``table=`` to :func:`show` where the plotted rows are not one dataset."""
    found: list[pl.DataFrame] = []
    stack = [chart]
    while stack:
        node = stack.pop(0)
        data = getattr(node, "data", alt.Undefined)
        if isinstance(data, pl.DataFrame) and set(data.columns) != {"line", "i"}:
            found.append(data)
        for attr in ("layer", "vconcat", "hconcat", "concat", "spec"):
            child = getattr(node, attr, alt.Undefined)
            if child is not alt.Undefined and child is not None:
                stack.extend(child if isinstance(child, list) else [child])
    return max(found, key=lambda df: df.height) if found else None


def bundle(chart, name: str, alt_text: str = "") -> dict:
    """The display bundle described in the module docstring: the HTML carries the spec, and
    the page's Vega bundle draws it."""
    spec = chart.to_dict()
    div = f"dibtrends-{name}-{uuid.uuid5(uuid.NAMESPACE_URL, name).hex[:8]}"
    title = html.escape(alt_text or name, quote=True)
    spec_json = json.dumps(spec, separators=(",", ":")).replace("</", "<\\/")
    markup = (
        f'<div class="dibtrends-chart" id="{div}" data-name="{html.escape(name, quote=True)}" '
        f'role="img" aria-label="{title}"><noscript>This chart is drawn by JavaScript, which is '
        f"off; the PDF edition shows it as an image.</noscript></div>"
        f'<script type="application/json" id="{div}-spec">{spec_json}</script>'
        f"<script>window.dibtrendsCharts=(window.dibtrendsCharts||[]);"
        f"window.dibtrendsCharts.push('{div}');"
        f"if(window.dibtrendsDraw){{window.dibtrendsDraw();}}</script>"
    )
    return {
        "text/html": markup,
        "application/vnd.vegalite.v5+json": spec,
        "text/plain": f"<chart {name}>",
    }


def show(chart, name: str, caption: str = "", table: pl.DataFrame | None = None) -> None:
    """Display ``chart`` for the notebook and the report, and save its data as CSV."""
    from IPython.display import display

    data = table if table is not None else chart_data(chart)
    if data is not None:
        report.table_csv(data, name)
    display(bundle(chart, name, caption), raw=True)
