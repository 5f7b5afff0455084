"""The Quarto project and the render step, tested without Quarto where possible; the render
itself runs only where `quarto` is installed (skipped with the reason otherwise)."""

from __future__ import annotations

import subprocess

import nbformat
import pytest
import yaml

from dibtrends import paths, render, workers
from dibtrends.render import pdf, preview, site

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
    sidebar = yaml.safe_load(site.write_sidebar().read_text())["website"]["sidebar"]
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


def test_pdf_page_draws_each_chart_from_its_spec():
    output = {"output_type": "display_data", "metadata": {},
              "data": {"text/html": "<div>chart</div>", "text/plain": "<chart>",
                       "application/vnd.vegalite.v5+json": {"mark": "point"}}}
    drawn = pdf.static_only(output, draw=lambda spec: f"<svg>{spec['mark']}</svg>")
    assert drawn["data"] == {"image/svg+xml": "<svg>point</svg>"}
    assert drawn["metadata"] == {"image/svg+xml": {"width": pdf.PDF_CHART_WIDTH_PX}}
    table = {"output_type": "display_data", "data": {"text/markdown": "| a |"}}
    assert pdf.static_only(dict(table), draw=None) == table  # not a chart: untouched


def test_a_profile_page_is_a_section_of_the_pdf_appendix(tmp_path, monkeypatch):
    """Its headings go one level down (pandoc's shift), its labels get
    the Ally's suffix, a link to another page becomes a link inside the PDF and gets a stub
    label for the page's own conversion, and HTML-only cells stay out."""
    monkeypatch.setattr(paths, "PROFILES_DIR", tmp_path)
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Ally profile: Iceland\n\nSee @fig-share and "
                                      "[chapter 4](../04_guidelines_and_pledge.ipynb#sec-pledge)."),
        nbformat.v4.new_code_cell("#| label: fig-share\nshow(chart)"),
        nbformat.v4.new_code_cell("links()", metadata={"tags": [pdf.HTML_ONLY]})])
    nbformat.write(nb, tmp_path / "profile_ISL.ipynb")
    page = pdf.page_notebook(tmp_path / "profile_ISL.ipynb", set())
    assert "    shift-heading-level-by: 1\n" in page.cells[0].source
    body = [c.source for c in page.cells[2:-1]]
    assert body[0].startswith("# Ally profile: Iceland {#page-profile_ISL}")
    assert "@fig-share-isl" in body[0] and "](#sec-pledge)" in body[0]
    assert body[1].startswith("#| label: fig-share-isl") and len(body) == 2
    assert "#metadata(none) <sec-pledge>" in page.cells[-1].source
    chapter = pdf.page_notebook(_chapter(tmp_path), set())
    assert "shift-heading-level-by" not in chapter.cells[0].source


def _chapter(folder):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A chapter")])
    path = folder / "chapters" / "02_a.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    return path


def test_remote_scripts_are_stripped_from_html():
    page = ('<head><script src="https://cdn.example/vega.js"></script>'
            '<link rel="stylesheet" href="https://fonts.googleapis.com/css">'
            '<script type="module">import("https://cdnjs.cloudflare.com/x.mjs")</script>'
            '<script type="application/json" id="s">{"$schema": "https://vega.github.io/x"}</script>'
            '</head>')
    cleaned = preview.strip_remote_preview(page)
    assert "cdn.example" not in cleaned and "googleapis" not in cleaned and "cdnjs" not in cleaned
    assert 'type="application/json"' in cleaned  # chart specs stay


@pytest.mark.skipif(QUARTO is None, reason="Quarto is not on PATH (.ci/run installs the shared "
                    "1.7.34; users install Quarto the normal way)")
def test_quarto_renders_a_minimal_notebook_to_html_and_typst(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "CHART_IMAGES", tmp_path / "pdf-charts")  # not the checkout's
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Test\n\nSee @fig-x."),
                nbformat.v4.new_code_cell("#| label: fig-x\n#| fig-cap: \"A chart\"\n1")]
    nb.cells[1].outputs = [nbformat.v4.new_output(
        "display_data", data={"image/svg+xml": pdf.chart_svg(TINY_SPEC),
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
    soft = pdf.breakable(row)
    assert soft.replace(pdf.ZWSP, "") == row
    assert "files/\u200b" in soft
    assert "(https://www.sipri.org/databases/milex/sources-and-methods)" in soft
    assert pdf.breakable("plain text https://example.org/a/very/long/path/indeed") == (
        "plain text https://example.org/a/very/long/path/indeed")  # only table rows


def test_a_table_stays_a_table_when_its_tokens_are_softened():
    table = "| a | b |\n|" + "-" * 40 + "|" + "-" * 30 + ":|\n| x | " + "y" * 40 + " |"
    lines = pdf.breakable(table).splitlines()
    assert lines[1] == table.splitlines()[1]  # the rule under the header is untouched
    assert pdf.ZWSP in lines[2]


def test_pdf_charts_are_drawn_once_cached_by_content_and_pruned(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "CHART_IMAGES", tmp_path / "pdf-charts")
    svg = pdf.chart_svg(TINY_SPEC)
    assert svg.startswith("<svg") and "A tiny chart" in svg
    cached = list((tmp_path / "pdf-charts").glob("*.svg"))
    assert [p.read_text() for p in cached] == [svg]
    cached[0].write_text("<svg>from the cache</svg>")
    assert pdf.chart_svg(TINY_SPEC) == "<svg>from the cache</svg>"
    other = dict(TINY_SPEC, mark="line")
    drawn: set[str] = set()
    pdf.chart_svg(other, drawn)
    assert drawn == {pdf._chart_key(other)}
    pdf.prune_chart_images(drawn)
    assert [p.stem for p in (tmp_path / "pdf-charts").glob("*.svg")] == [pdf._chart_key(other)]


def test_a_chart_vl_convert_cannot_draw_stops_the_render_with_its_title(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "CHART_IMAGES", tmp_path / "pdf-charts")
    broken = dict(TINY_SPEC, mark="no-such-mark")
    with pytest.raises(pdf.RenderFailed, match="A tiny chart.*JupyterLab"):
        pdf.chart_svg(broken)
    assert not list((tmp_path / "pdf-charts").glob("*"))


def test_the_preview_works_alone_on_one_core(monkeypatch):
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 1)
    with workers.pool(("nbformat",)) as pool:
        assert pool is None
    assert workers.Done(sum, [1, 2]).result() == 3
