"""The report without Quarto: an HTML preview of every executed page with nbconvert, so that
`make report` on a machine without Quarto still shows every page, figure and table (in a plainer
layout) and says how to get the published report (what Quarto resolves: :func:`preview_notebook`).
"""

from __future__ import annotations

import html as html_mod
import json
import re
import shutil
import tempfile
from pathlib import Path

import nbformat

from .. import paths
from . import LINK_TO_PAGE, QUARTO_PINNED, digest, page_title, pages, swap_in
from .site import strip_remote, write_vega_bundle

REMOTE_INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*application/json)[^>]*>(?:(?!</script>).)*?https?://(?:(?!</script>).)*?"
    r"</script>", re.I | re.S)


def strip_remote_preview(html_text: str) -> str:
    """nbconvert's template also imports Mermaid and MathJax from a CDN inside inline scripts;
    the preview needs neither, so those blocks go too (chart specs are JSON and stay)."""
    return REMOTE_INLINE_SCRIPT.sub("", strip_remote(html_text))


FIG_OPTIONS = re.compile(r"^#\|\s*(label|fig-cap):\s*(.*)$", re.M)
TABLE_CAPTION = re.compile(r"\n\n: (.+?)(?:\s*\{#tbl-[\w-]+\})?[ \t]*$", re.M)
SECTION_ID = re.compile(r"^(#+ .*?)\s*\{#((?:sec|page)-[\w-]+)\}\s*$", re.M)


def preview_notebook(nb):
    """What Quarto would resolve, done by hand for the nbconvert preview: figure captions
    written under each figure and numbered, ``@fig-``/``@sec-`` references replaced by their
    words, table captions as text, section ids as anchors, links between pages to .html."""
    figures, sections = {}, {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            opts = dict(FIG_OPTIONS.findall(cell.source))
            if opts.get("label", "").startswith("fig-"):
                number = len(figures) + 1
                caption = json.loads(opts["fig-cap"]) if opts.get("fig-cap") else ""
                figures[opts["label"]] = number
                cell.outputs.append(nbformat.v4.new_output(
                    "display_data", data={"text/markdown": f"*Figure {number}: {caption}*"}))
        elif cell.cell_type == "markdown":
            sections.update({ident: heading.lstrip("# ").strip()
                             for heading, ident in SECTION_ID.findall(cell.source)})

    def words(text: str) -> str:
        text = re.sub(r"@(fig-[\w-]+)", lambda m: f"Figure {figures.get(m.group(1), '?')}", text)
        text = re.sub(r"@(sec-[\w-]+)", lambda m: f"“{sections.get(m.group(1), 'below')}”", text)
        text = SECTION_ID.sub(lambda m: f'{m.group(1)} <a id="{m.group(2)}"></a>', text)
        text = TABLE_CAPTION.sub(lambda m: f"\n\n*Table: {m.group(1)}*", text)
        text = re.sub(r"\]\((?:\.\./)+generated/", "](generated/", text)  # pages are flat
        return LINK_TO_PAGE.sub(lambda m: f"]({m.group(1)}.html{m.group(2) or ''})", text)

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = words(cell.source)
        elif cell.cell_type == "code":
            for output in cell.outputs:
                md = output.get("data", {}).get("text/markdown")
                if md:
                    output["data"]["text/markdown"] = words("".join(md))
    return nb


def render_preview(out_dir: Path = paths.OUTPUT / "preview") -> Path:
    """HTML preview of each executed notebook with nbconvert, swapped in atomically: an index
    with the page titles, figures and tables captioned, links and chart data that resolve. A
    page made from the same notebook by the same code as last time is copied, not exported."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", mathjax_url="", require_js_url="",
                            mermaid_js_url="", mermaid_layout_elk_js_url="", exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True)
    header = "<head>\n" + paths.VEGA_HEADER.read_text()
    made_by = digest(header, *(p.read_bytes() for p in Path(__file__).parent.glob("*.py")))
    state = out_dir / ".exported.json"
    previous = json.loads(state.read_text()) if state.exists() else {}
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".preview.", dir=out_dir.parent))
    links, exported = [], {}
    try:
        for nb_path in pages():
            page = f"{nb_path.stem}.html"
            exported[page] = digest(made_by, nb_path.read_bytes())
            if previous.get(page) == exported[page] and (out_dir / page).exists():
                shutil.copy2(out_dir / page, tmp / page)
            else:
                body, _ = exporter.from_notebook_node(
                    preview_notebook(nbformat.read(nb_path, as_version=4)))
                (tmp / page).write_text(strip_remote_preview(body).replace("<head>", header, 1))
            links.append(f'<li><a href="{nb_path.stem}.html">'
                         f"{html_mod.escape(page_title(nb_path))}</a></li>")
        (tmp / "assets").mkdir()
        shutil.copy2(write_vega_bundle(), tmp / "assets" / paths.VEGA_BUNDLE.name)
        tables = paths.GENERATED / paths.TABLES_SUBDIR
        if tables.is_dir():
            shutil.copytree(tables, tmp / "generated" / paths.TABLES_SUBDIR)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    (tmp / ".exported.json").write_text(json.dumps(exported))
    index = "\n".join(links)
    (tmp / "index.html").write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>dibtrends: preview</title>"
        "<style>body{font-family:sans-serif;max-width:50rem;margin:2rem auto;line-height:1.5}"
        "</style></head><body><h1>dibtrends: defence spending and the defence-industrial base"
        "</h1><p>A preview of the report, made without Quarto: every page, figure and table is "
        "here, in a plainer layout. The published report (HTML site and PDF) is rendered by "
        f"Quarto 1.7 or newer (CI uses {QUARTO_PINNED}).</p><ol>{index}</ol></body></html>"
    )
    swap_in(tmp, out_dir)
    return out_dir
