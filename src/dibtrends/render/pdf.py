"""The PDF: every page converted to Typst by Quarto once, kept by content, and bound into one
book that Typst compiles (``build/pdf``). After a change only the pages that changed are
converted again (Quarto's pandoc pass is most of the time); the book's own compile takes about
two seconds. Chapters come first, the profiles form a lettered appendix; figure and section
labels are made unique per profile, links between pages become links within the PDF, and each
chart is a vector image drawn from its Vega-Lite spec.
"""

from __future__ import annotations

import hashlib
import json
import re
from importlib.metadata import version
from pathlib import Path

from .. import paths
from ..kernels import VEGALITE, chart_title
from ..prose import typeset
from . import LINK_TO_PAGE, RenderFailed, mirror, pages, quarto

STAGE = paths.BUILD / "pdf"
PDF_NAME = "dibtrends-report.pdf"
#: A chart's width on the PDF page (Quarto passes it on to Typst): about four fifths of the
#: text width, which keeps a chart and its caption on one page with the text around it.
PDF_CHART_WIDTH_PX = 560
#: Cells tagged so are left out of the PDF (download links, which a printed page cannot follow).
HTML_ONLY = "html-only"
#: The book's front matter. Each page is converted with it, so that Quarto keeps the page's
#: first heading as a heading (without a title it would take it for the title).
FORMAT = ("title: \"dibtrends: defence spending and the defence-industrial base\"\n"
          "subtitle: \"Rebuilding NATO's industrial-capacity claims from public data\"\n"
          "format:\n  typst:\n    toc: true\n    toc-depth: 2\n    section-numbering: \"1.1\"\n"
          "    papersize: a4\n    margin:\n      x: 2cm\n      y: 2.2cm\n    fontsize: 10pt\n"
          "    keep-typ: true\nexecute:\n  echo: false\n  warning: false\n")
#: What the body of each converted page is found between.
START, END = "// dibtrends:page-start", "// dibtrends:page-end"
TYPST_STYLE = """// Tables that print well: small type, ragged text, no justification holes.
#show table: set par(justify: false)
#show table: set text(size: 8.5pt)
#show table.cell.where(y: 0): set text(weight: "bold")
#set table(inset: (x: 4pt, y: 3pt), stroke: (x: none, y: 0.4pt + luma(180)))
#show figure: set block(breakable: true)
// Charts stay where the page puts them, under their own heading: floated to the top of a page,
// 64 of 86 charts printed above their heading or after the next one (6 pages fewer did not
// make up for it). Tables (in figures, for their captions) are set flush left, their text
// columns too; a caption above a table stays with it.
#show figure.where(kind: "quarto-float-tbl"): set align(left)
#show figure.caption.where(position: top): it => block(sticky: true, it)
#pagebreak(weak: true)
"""
APPENDIX_START = """#pagebreak(weak: true)
#counter(heading).update(0)
#set heading(numbering: (..n) => "A." + n.pos().slice(1).map(str).join("."))
#block[#heading(level: 1, numbering: none, [Appendix: Ally profiles])]
One profile per Ally, in alphabetical order: SIPRI's long-run series, NATO's figures for the \
years of its tables, and where the Ally stands against NATO's guidelines and the core-defence \
target.
"""
LINK_TARGET = re.compile(r"\]\(#((?:sec|page)-[\w-]+)\)")
DEFINED = re.compile(r"\{#((?:sec|page)-[\w-]+)")
LONG_TOKEN = re.compile(r"[^\s|]{25,}")
TABLE_RULE = re.compile(r"^\|[\s:|-]+\|\s*$")  # the line under a table's header
ZWSP = "\u200b"


def render_pdf(exe: str) -> Path:
    """Convert the pages that changed, bind the book, compile it; returns the PDF."""
    import nbformat

    drawn: set[str] = set()
    order, files = [], {"_quarto.yml": b"project:\n  type: default\n"}
    for nb_path in pages():
        name = nb_path.stem
        files[f"{name}.ipynb"] = nbformat.v4.writes(page_notebook(nb_path, drawn)).encode()
        order.append(name)
    prune_chart_images(drawn)
    changed = mirror(files, STAGE, keep=("",))  # Quarto's outputs stay beside their pages
    stale = [name for name in order
             if f"{name}.ipynb" in changed or not (STAGE / f"{name}.typ").exists()]
    for name in stale:  # converted again next time if this render fails
        (STAGE / f"{name}.typ").unlink(missing_ok=True)
    if stale:  # Typst source only (output-ext): Quarto would compile every page to a PDF
        quarto(exe, ["render", *(f"{n}.ipynb" for n in stale), "--to", "typst",
                     "-M", "output-ext:typ"], STAGE, f"the PDF's pages ({', '.join(stale)})")
    book, pdf, text = STAGE / "dibtrends-report.typ", STAGE / PDF_NAME, bind(order)
    if pdf.exists() and book.exists() and book.read_text() == text:
        return pdf  # no page of the book changed (a chart's data or the site's look did)
    book.write_text(text)
    pdf.unlink(missing_ok=True)
    try:
        quarto(exe, ["typst", "compile", book.name, PDF_NAME], STAGE, "the PDF (Typst)")
    except RenderFailed:
        for name in stale:  # each new page compiles alone: the one Typst refuses is named
            quarto(exe, ["typst", "compile", f"{name}.typ"], STAGE, f"the PDF's page {name}")
        raise
    if not pdf.exists():
        raise RenderFailed("Typst wrote no PDF. The last good reports/_output was kept.")
    return pdf


def bind(order: list[str]) -> str:
    """The book: Quarto's Typst preamble (title, contents, layout: the same for every page, as
    each page is converted with the book's front matter), then each page's body."""
    preamble = (STAGE / f"{order[0]}.typ").read_text().partition(START)[0]
    parts = [preamble, TYPST_STYLE]
    for name in order:
        if name.startswith("profile_") and APPENDIX_START not in parts:
            parts.append(APPENDIX_START)
        parts.append((STAGE / f"{name}.typ").read_text().partition(START)[2].partition(END)[0])
    return "\n".join(parts)


def page_notebook(nb_path: Path, drawn: set[str]) -> dict:
    """One executed page as the PDF converts it: HTML-only cells out, charts drawn as SVG,
    the notebook's own text typeset as computed text is (``prose.typeset``), labels unique per
    profile (its headings one level down), links made internal, long
    tokens in tables breakable. Link targets on other pages are stubbed with empty labels for
    the page's own conversion (the book defines them)."""
    import nbformat

    nb = nbformat.v4.reads(nb_path.read_text())  # as Papermill wrote it: valid
    is_profile = nb_path.parent == paths.PROFILES_DIR
    suffix = nb_path.stem.split("_", 1)[-1].lower() if is_profile else ""
    cells, first_heading, text = [], True, []
    for cell in nb.cells:
        if cell.cell_type == "raw" or HTML_ONLY in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "markdown":
            if first_heading and cell.source.startswith("# "):
                title, _, rest = cell.source.partition("\n")
                cell.source = f"{title} {{#page-{nb_path.stem}}}\n{rest}"
                first_heading = False
            cell.source = typeset(page_local(cell.source, suffix))
            text.append(cell.source)
        if cell.cell_type == "code":
            if suffix:
                cell.source = re.sub(r"(#\|\s*label:\s*(?:fig|tbl)-[\w-]+)", rf"\1-{suffix}",
                                     cell.source)
            cell.outputs = [static_only(o, lambda spec: chart_svg(spec, drawn))
                            for o in cell.outputs]
            for output in cell.outputs:
                md = output.get("data", {}).get("text/markdown")
                if md:
                    output["data"]["text/markdown"] = breakable(page_local("".join(md), suffix))
                    text.append(output["data"]["text/markdown"])
        cell.id = f"c{len(cells)}"
        cells.append(cell)
    joined = "\n".join(text)
    stubs = sorted(set(LINK_TARGET.findall(joined)) - set(DEFINED.findall(joined)))
    # A profile is a section of the appendix: its headings one level down.
    front = FORMAT.replace("keep-typ: true\n", "keep-typ: true\n    shift-heading-level-by: 1\n"
                           if is_profile else "keep-typ: true\n")
    typst = nbformat.v4.new_markdown_cell
    nb.cells = [nbformat.v4.new_raw_cell("---\n" + front + "---\n", id="front"),
                typst(f"```{{=typst}}\n{START}\n```", id="start"), *cells,
                typst(f"```{{=typst}}\n{END}\n" + "".join(f"#metadata(none) <{s}>\n" for s in stubs)
                      + "```", id="end")]
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                  "language": "python"}}
    return nb


def page_local(markdown: str, suffix: str) -> str:
    """References and section ids made unique for a profile, links between pages made internal
    (to the section named, else the page's first heading)."""
    if suffix:
        markdown = re.sub(r"@((?:fig|tbl|sec)-[\w-]+)", rf"@\1-{suffix}", markdown)
        markdown = re.sub(r"\{#((?:fig|tbl|sec)-[\w-]+)", rf"{{#\1-{suffix}", markdown)
    return LINK_TO_PAGE.sub(lambda m: f"]({m.group(2) or '#page-' + m.group(1)})", markdown)


def breakable(markdown: str) -> str:
    """In table rows, long unbroken tokens (addresses, file names, checksums) get invisible
    break opportunities, so Typst wraps them inside their column instead of printing them over
    the next one. PDF only: the website keeps them whole for copying."""
    def soften(match: re.Match) -> str:
        if "](" in match.group(0) or match.group(0).startswith("<"):
            return match.group(0)  # a link's target must stay whole
        token = re.sub(r"([/_.\-?&=])", rf"\1{ZWSP}", match.group(0))
        return re.sub(rf"([^{ZWSP}]{{16}})(?=[^{ZWSP}])", rf"\1{ZWSP}", token)

    return "\n".join(LONG_TOKEN.sub(soften, line)
                     if line.startswith("|") and not TABLE_RULE.match(line) else line
                     for line in markdown.splitlines())


def static_only(output, draw=None):
    """For the PDF, a chart output becomes one vector image drawn from its Vega-Lite spec."""
    data = output.get("data", {})
    if VEGALITE in data:
        output["data"] = {"image/svg+xml": (draw or chart_svg)(data[VEGALITE])}
        output["metadata"] = {"image/svg+xml": {"width": PDF_CHART_WIDTH_PX}}
    return output


def _chart_key(spec: dict) -> str:
    text = version("vl-convert-python") + json.dumps(spec, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def chart_svg(spec: dict, drawn: set[str] | None = None) -> str:
    """A chart as SVG, drawn by vl-convert with the Vega the site uses, and kept by the spec's
    content (a render after a one-chapter change redraws only that chapter's charts). Its key
    is added to ``drawn``, the charts the PDF shows."""
    key = _chart_key(spec)
    if drawn is not None:
        drawn.add(key)
    cached = paths.CHART_IMAGES / f"{key}.svg"
    if cached.exists():
        return cached.read_text()
    import vl_convert as vlc

    try:
        svg = vlc.vegalite_to_svg(spec)
    except Exception as exc:  # noqa: BLE001 - named, with the chart's title
        title = chart_title(spec) or "without a title"
        reason = " ".join(str(exc).splitlines()[:2])  # not the JavaScript stack
        raise RenderFailed(f"vl-convert could not draw the chart \u201c{title}\u201d as "
                           f"SVG for the PDF: {reason} Fix: open the chapter in JupyterLab, where "
                           "the same spec is drawn, and correct the chart.") from None
    paths.write_atomic(cached, svg)
    return svg


def prune_chart_images(keep: set[str]) -> None:
    """Drop drawn charts no page shows any more (the folder would grow with every parameter)."""
    for path in paths.CHART_IMAGES.glob("*.svg"):
        if path.stem not in keep:
            path.unlink(missing_ok=True)
