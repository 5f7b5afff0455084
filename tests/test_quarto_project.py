"""The Quarto project and the render step, tested without Quarto where possible; the render
itself runs only where `quarto` is installed (skipped with the reason otherwise)."""

from __future__ import annotations

import subprocess

import nbformat
import pytest
import yaml

from dibtrends import paths, render, workers

QUARTO = render.quarto_path()
TINY_SPEC = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
             "title": {"text": "A tiny chart"}, "mark": "bar",
             "data": {"values": [{"a": "x", "b": 1}, {"a": "y", "b": 2}]},
             "encoding": {"x": {"field": "a", "type": "nominal"},
                          "y": {"field": "b", "type": "quantitative"}}}


def _sidebar_entries(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [e for item in node for e in _sidebar_entries(item)]
    if isinstance(node, dict):
        return [e for key in ("contents", "href", "file") if key in node
                for e in _sidebar_entries(node[key])]
    return []


def test_sidebar_lists_every_page_and_profiles_by_name(tmp_path, monkeypatch):
    """The sidebar is written per build from the executed pages: summary, chapters, sources,
    then every profile under the Ally's name, alphabetically."""
    executed = tmp_path / "executed"
    (executed / "profiles").mkdir(parents=True)
    for name in ("00_executive_summary", "01_long_run_spending", "99_sources_and_methods"):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"# {name}")])
        nbformat.write(nb, executed / f"{name}.ipynb")
    for code, country in (("POL", "Poland"), ("ALB", "Albania"), ("DEU", "Germany")):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"# {country}")])
        nbformat.write(nb, executed / "profiles" / f"profile_{code}.ipynb")
    monkeypatch.setattr(paths, "EXECUTED", executed)
    monkeypatch.setattr(paths, "PROFILES_DIR", executed / "profiles")
    monkeypatch.setattr(paths, "GENERATED", tmp_path / "generated")
    sidebar = yaml.safe_load(render.write_sidebar().read_text())["website"]["sidebar"]
    contents = sidebar["contents"]
    assert contents[0] == {"href": "index.ipynb", "text": "Executive summary"}
    assert contents[1] == {"section": "Chapters",
                           "contents": ["executed/01_long_run_spending.ipynb"]}
    assert contents[2] == "executed/99_sources_and_methods.ipynb"
    profiles = contents[3]["contents"]
    assert [p["text"] for p in profiles] == ["Albania", "Germany", "Poland"]
    assert profiles[0]["href"] == "executed/profiles/profile_ALB.ipynb"
    config = yaml.safe_load((paths.REPORTS / "_quarto.yml").read_text())
    assert "generated/_sidebar.yml" in config["metadata-files"]
    assert "!executed/00_executive_summary.ipynb" in config["project"]["render"]


def test_quarto_project_never_executes_and_serves_vega_itself():
    config = yaml.safe_load((paths.REPORTS / "_quarto.yml").read_text())
    assert config["execute"]["enabled"] is False
    assert "assets/vega-bundle.js" in config["project"]["resources"]
    html = config["format"]["html"]
    assert html["include-in-header"] == "_vega-header.html"
    assert html["html-math-method"] == "plain"  # MathJax would come from a CDN
    header = (paths.REPORTS / "_vega-header.html").read_text()
    assert "http" not in header.replace("quarto:offset", "")


def test_pdf_notebook_draws_each_chart_from_its_spec_and_demotes_profile_headings():
    output = {"output_type": "display_data", "metadata": {},
              "data": {"text/html": "<div>chart</div>", "text/plain": "<chart>",
                       "application/vnd.vegalite.v5+json": {"mark": "point"}}}
    drawn = render.static_only(output, draw=lambda spec: f"<svg>{spec['mark']}</svg>")
    assert drawn["data"] == {"image/svg+xml": "<svg>point</svg>"}
    assert drawn["metadata"] == {"image/svg+xml": {"width": render.PDF_CHART_WIDTH_PX}}
    table = {"output_type": "display_data", "data": {"text/markdown": "| a |"}}
    assert render.static_only(dict(table), draw=None) == table  # not a chart: untouched
    text = "# Ally profile: Iceland\n\n```\n# not a heading\n```\n## Section"
    assert render.demote_headings(text) == (
        "## Ally profile: Iceland\n\n```\n# not a heading\n```\n### Section")


def test_remote_scripts_are_stripped_from_html():
    page = ('<head><script src="https://cdn.example/vega.js"></script>'
            '<link rel="stylesheet" href="https://fonts.googleapis.com/css">'
            '<script type="module">import("https://cdnjs.cloudflare.com/x.mjs")</script>'
            '<script type="application/json" id="s">{"$schema": "https://vega.github.io/x"}</script>'
            '</head>')
    cleaned = render.strip_remote_preview(page)
    assert "cdn.example" not in cleaned and "googleapis" not in cleaned and "cdnjs" not in cleaned
    assert 'type="application/json"' in cleaned  # chart specs stay


@pytest.mark.skipif(QUARTO is None, reason="Quarto is not on PATH (.ci/run installs the shared "
                    "1.7.34; users install Quarto the normal way)")
def test_quarto_renders_a_minimal_notebook_to_html_and_typst(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Test\n\nSee @fig-x."),
                nbformat.v4.new_code_cell("#| label: fig-x\n#| fig-cap: \"A chart\"\n1")]
    nb.cells[1].outputs = [nbformat.v4.new_output(
        "display_data", data={"image/svg+xml": render.chart_svg(TINY_SPEC),
                              "text/html": "<div class='dibtrends-chart'>x</div>"})]
    path = tmp_path / "t.ipynb"
    nbformat.write(nb, path)
    for fmt, out in (("html", "t.html"), ("typst", "t.pdf")):
        run = subprocess.run([QUARTO, "render", str(path), "--to", fmt], cwd=tmp_path,
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert (tmp_path / out).exists()
    assert "dibtrends-chart" in (tmp_path / "t.html").read_text()


def test_figure_captions_are_the_charts_computed_titles(tmp_path):
    from dibtrends import kernels

    spec = {"vconcat": [{"title": {"text": "Equipment spending, 2014–2024", "subtitle": ["x"]}},
                        {"mark": "text"}]}
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('#| label: fig-a\n#| fig-cap: "typed 2023"\nshow(chart)')
    cell.outputs = [nbformat.v4.new_output(
        "display_data", data={"application/vnd.vegalite.v5+json": spec, "text/plain": "c"})]
    params = nbformat.v4.new_code_cell("x = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, cell]
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    kernels.postprocess(path)
    done = nbformat.read(path, as_version=4)
    assert done.cells[0].source.startswith("#| include: false")
    assert done.cells[1].source.splitlines()[:2] == [
        "#| label: fig-a", '#| fig-cap: "Equipment spending, 2014–2024."']
    assert "typed 2023" not in done.cells[1].source


def test_long_tokens_in_pdf_tables_get_break_opportunities_but_links_stay_whole():
    row = ("| a | https://www.sipri.org/sites/default/files/SIPRI-Milex-data.xlsx | "
           "[SIPRI](https://www.sipri.org/databases/milex/sources-and-methods) |")
    soft = render.breakable(row)
    assert soft.replace(render.ZWSP, "") == row
    assert "files/\u200b" in soft
    assert "(https://www.sipri.org/databases/milex/sources-and-methods)" in soft
    assert render.breakable("plain text https://example.org/a/very/long/path/indeed") == (
        "plain text https://example.org/a/very/long/path/indeed")  # only table rows


def test_a_table_stays_a_table_when_its_tokens_are_softened():
    table = "| a | b |\n|" + "-" * 40 + "|" + "-" * 30 + ":|\n| x | " + "y" * 40 + " |"
    lines = render.breakable(table).splitlines()
    assert lines[1] == table.splitlines()[1]  # the rule under the header is untouched
    assert render.ZWSP in lines[2]


def test_pdf_charts_are_drawn_once_cached_by_content_and_pruned(tmp_path, monkeypatch):
    monkeypatch.setattr(render.paths, "CHART_IMAGES", tmp_path / "pdf-charts")
    svg = render.chart_svg(TINY_SPEC)
    assert svg.startswith("<svg") and "A tiny chart" in svg
    cached = list((tmp_path / "pdf-charts").glob("*.svg"))
    assert [p.read_text() for p in cached] == [svg]
    cached[0].write_text("<svg>from the cache</svg>")
    assert render.chart_svg(TINY_SPEC) == "<svg>from the cache</svg>"
    other = dict(TINY_SPEC, mark="line")
    drawn: set[str] = set()
    render.chart_svg(other, drawn)
    assert drawn == {render._chart_key(other)}
    render.prune_chart_images(drawn)
    assert [p.stem for p in (tmp_path / "pdf-charts").glob("*.svg")] == [render._chart_key(other)]


def test_a_chart_vl_convert_cannot_draw_stops_the_render_with_its_title(tmp_path, monkeypatch):
    monkeypatch.setattr(render.paths, "CHART_IMAGES", tmp_path / "pdf-charts")
    broken = dict(TINY_SPEC, mark="no-such-mark")
    with pytest.raises(render.RenderFailed, match="A tiny chart.*JupyterLab"):
        render.chart_svg(broken)
    assert not list((tmp_path / "pdf-charts").glob("*"))


def test_the_preview_works_alone_on_one_core(monkeypatch):
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 1)
    with workers.pool(("nbformat",)) as pool:
        assert pool is None
    assert workers.Done(sum, [1, 2]).result() == 3
