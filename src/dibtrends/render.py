"""Publish the executed notebooks: Quarto when it is installed, an nbconvert preview when not.

Quarto renders ``reports/`` (a website project) into a fresh folder and one combined notebook
into a Typst PDF; only when both succeed is the new folder swapped in for ``reports/_output``.
Without Quarto the same executed notebooks become HTML previews, with a warning saying how to
get the published report. Either way the HTML loads Vega from the report's own ``assets/``:
nothing is requested from another host when a reader opens it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from . import paths, workers
from .errors import DibtrendsError

QUARTO_MIN = (1, 7)
QUARTO_PINNED = "1.7.34"  # the version CI renders with
PDF_NAME = "dibtrends-report.pdf"
VEGA_BUNDLE = paths.VEGA_BUNDLE
HEADER = paths.VEGA_HEADER
REMOTE_TAG = re.compile(
    r"<script[^>]*\bsrc=[\"']https?://[^\"']*[\"'][^>]*>\s*</script>|"
    r"<link[^>]*\bhref=[\"']https?://[^\"']*[\"'][^>]*>", re.I)


class RenderFailed(DibtrendsError):
    pass


def quarto_path() -> str | None:
    """Quarto on PATH, or the one `pip install quarto-cli` put in the project venv."""
    beside = Path(sys.executable).parent / "quarto"
    return shutil.which("quarto") or (str(beside) if beside.exists() else None)


def quarto_version(exe: str) -> tuple[int, ...]:
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True).stdout
    return tuple(int(x) for x in re.findall(r"\d+", out)[:3])


def write_vega_bundle() -> Path:
    """The Vega/Vega-Lite/Vega-Embed bundle shipped by vl-convert, served from the report.
    Building it takes vl-convert two seconds, so it is rebuilt only when vl-convert changes
    (its version is recorded beside the bundle)."""
    from importlib.metadata import version

    stamp = VEGA_BUNDLE.with_name(VEGA_BUNDLE.name + ".version")
    made_by = f"vl-convert-python {version('vl-convert-python')}"
    if VEGA_BUNDLE.exists() and stamp.exists() and stamp.read_text() == made_by:
        return VEGA_BUNDLE
    import vl_convert as vlc

    paths.ASSETS.mkdir(parents=True, exist_ok=True)
    tmp = VEGA_BUNDLE.with_name(f".{VEGA_BUNDLE.name}.part")
    tmp.write_text(vlc.javascript_bundle())
    os.replace(tmp, VEGA_BUNDLE)
    stamp.write_text(made_by)
    return VEGA_BUNDLE


def pages() -> list[Path]:
    """Executed notebooks in reading order: summary, analyses, sources, then profiles."""
    main = sorted(paths.EXECUTED.glob("[0-9][0-9]_*.ipynb"))
    return main + [path for path, _ in profile_pages()]


def page_title(nb_path: Path) -> str:
    """The first level-1 heading of an executed notebook (its title on the site)."""
    import nbformat

    for cell in nbformat.read(nb_path, as_version=4).cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            return cell.source.partition("\n")[0][2:].split(" {")[0].strip()
    return nb_path.stem


def profile_pages() -> list[tuple[Path, str]]:
    """The executed profiles with their titles, in alphabetical order of the Ally's name."""
    found = [(p, page_title(p)) for p in paths.PROFILES_DIR.glob("profile_*.ipynb")]
    return sorted(found, key=lambda item: item[1])


def write_sidebar() -> Path:
    """The site's sidebar, written for this build: the profiles listed by the Ally's name."""
    import yaml

    analyses = [f"executed/{p.name}" for p in sorted(paths.EXECUTED.glob("[0-9][0-9]_*.ipynb"))
                if not p.name.startswith(("00_", "99_"))]
    sources = [f"executed/{p.name}" for p in sorted(paths.EXECUTED.glob("99_*.ipynb"))]
    profiles = [{"href": f"executed/profiles/{p.name}", "text": title}
                for p, title in profile_pages()]
    sidebar = {"website": {"sidebar": {"style": "docked", "contents": [
        {"href": "index.ipynb", "text": "Executive summary"},
        {"section": "Chapters", "contents": analyses},
        *sources,
        {"section": "Appendix: Ally profiles", "contents": profiles},
    ]}}}
    target = paths.SIDEBAR
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(sidebar, sort_keys=False, allow_unicode=True))
    return target


def _swap_in(new: Path, target: Path) -> None:
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    if old.exists():
        shutil.rmtree(old)


REMOTE_INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*application/json)[^>]*>(?:(?!</script>).)*?https?://(?:(?!</script>).)*?</script>",
    re.I | re.S)


#: Quarto adds require.js and jQuery from a CDN when a page has HTML outputs it takes for
#: widgets, plus an inline ``define('jquery', ...)`` that needs require.js. The charts need
#: neither: with the CDN tags gone, the inline call would only raise "define is not defined".
REQUIRE_SHIM = re.compile(r'<script type="application/javascript">\s*define\(\s*[\'"]jquery[\'"]'
                          r'[^<]*</script>\n?')


def strip_remote(html_text: str) -> str:
    """Drop script and stylesheet tags that load from another host, and what needs them."""
    text = REMOTE_TAG.sub("", html_text)
    if "require.js" not in text and "require.min.js" not in text:
        text = REQUIRE_SHIM.sub("", text)
    return text


def strip_remote_preview(html_text: str) -> str:
    """nbconvert's template also imports Mermaid and MathJax from a CDN inside inline scripts;
    the preview needs neither, so those blocks go too (chart specs are JSON and stay)."""
    return REMOTE_INLINE_SCRIPT.sub("", strip_remote(html_text))


# ---------------------------------------------------------------- preview (no Quarto)
FIG_OPTIONS = re.compile(r"^#\|\s*(label|fig-cap):\s*(.*)$", re.M)
TABLE_CAPTION = re.compile(r"\n\n: (.+)\s*$")
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
                cell.outputs.append(nbformat_markdown(f"*Figure {number}: {caption}*"))
        elif cell.cell_type == "markdown":
            sections.update({ident: heading.lstrip("# ").strip()
                             for heading, ident in SECTION_ID.findall(cell.source)})

    def words(text: str) -> str:
        text = re.sub(r"@(fig-[\w-]+)", lambda m: f"Figure {figures.get(m.group(1), '?')}", text)
        text = re.sub(r"@(sec-[\w-]+)", lambda m: f"“{sections.get(m.group(1), 'below')}”", text)
        text = SECTION_ID.sub(lambda m: f'{m.group(1)} <a id="{m.group(2)}"></a>', text)
        text = TABLE_CAPTION.sub(lambda m: f"\n\n*Table: {m.group(1)}*", text)
        text = re.sub(r"\]\((?:\.\./)+generated/", "](generated/", text)  # pages are flat
        return re.sub(r"\]\((?:\.\./)*(?:executed/)?(?:profiles/)?([\w-]+)\.ipynb(#[\w-]+)?\)",
                      lambda m: f"]({m.group(1)}.html{m.group(2) or ''})", text)

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = words(cell.source)
        elif cell.cell_type == "code":
            for output in cell.outputs:
                md = output.get("data", {}).get("text/markdown")
                if md:
                    output["data"]["text/markdown"] = words("".join(md))
    return nb


def nbformat_markdown(text: str):
    import nbformat

    return nbformat.v4.new_output("display_data", data={"text/markdown": text})


@functools.cache
def _preview_exporter():
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", mathjax_url="", require_js_url="",
                            mermaid_js_url="", mermaid_layout_elk_js_url="")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


def _export_preview_page(nb_path: Path, target: Path) -> None:
    import nbformat

    nb = preview_notebook(nbformat.read(nb_path, as_version=4))
    body, _ = _preview_exporter().from_notebook_node(nb)
    body = strip_remote_preview(body).replace("<head>", "<head>\n" + HEADER.read_text(), 1)
    target.write_text(body)


def render_preview(out_dir: Path = paths.OUTPUT / "preview") -> Path:
    """HTML preview of each executed notebook with nbconvert, swapped in atomically: an index
    with the page titles, figures and tables captioned, links and chart data that resolve. A
    page whose notebook did not change since its last export is copied, not exported again;
    the others are exported on every core."""
    import html as html_mod

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".preview.", dir=out_dir.parent))
    try:
        with workers.pool(("nbconvert", "nbformat", "dibtrends.render")) as pool:
            submit = pool.submit if pool is not None else workers.Done
            bundle_job = submit(write_vega_bundle)
            jobs, written = [], []
            for nb_path in pages():
                page = f"{nb_path.stem}.html"
                previous = out_dir / page
                if (previous.exists() and previous.stat().st_mtime >= nb_path.stat().st_mtime
                        and previous.stat().st_mtime >= Path(__file__).stat().st_mtime
                        and previous.stat().st_mtime >= HEADER.stat().st_mtime):
                    shutil.copy2(previous, tmp / page)  # unchanged since its last export
                else:
                    jobs.append(submit(_export_preview_page, nb_path, tmp / page))
                written.append((page, page_title(nb_path)))
            for job in jobs:
                job.result()  # the first page that failed to export is raised here
            bundle = bundle_job.result()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    (tmp / "assets").mkdir()
    shutil.copy2(bundle, tmp / "assets" / bundle.name)
    tables = paths.GENERATED / paths.TABLES_SUBDIR
    if tables.is_dir():
        shutil.copytree(tables, tmp / "generated" / paths.TABLES_SUBDIR)
    links = "\n".join(f'<li><a href="{href}">{html_mod.escape(title)}</a></li>'
                      for href, title in written)
    (tmp / "index.html").write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>dibtrends: preview</title>"
        "<style>body{font-family:sans-serif;max-width:50rem;margin:2rem auto;line-height:1.5}"
        "</style></head><body><h1>dibtrends: defence spending and the defence-industrial base"
        "</h1><p>A preview of the report, made without Quarto: every page, figure and table is "
        "here, in a plainer layout. The published report (HTML site and PDF) is rendered by "
        f"Quarto 1.7 or newer (CI uses {QUARTO_PINNED}).</p><ol>{links}</ol></body></html>"
    )
    _swap_in(tmp, out_dir)
    return out_dir


# ---------------------------------------------------------------- Quarto
TYPST_STYLE = """```{=typst}
// Tables that print well: smaller type, left-aligned ragged text, no justification holes.
#show table: set par(justify: false)
#show table: set text(size: 8.5pt)
#show table.cell.where(y: 0): set text(weight: "bold")
#set table(inset: (x: 4pt, y: 3pt), stroke: (x: none, y: 0.4pt + luma(180)))
#show figure: set block(breakable: true)
#pagebreak(weak: true)
```"""

APPENDIX_START = """```{=typst}
#pagebreak(weak: true)
#counter(heading).update(0)
#set heading(numbering: (..n) => "A." + n.pos().slice(1).map(str).join("."))
```

# Appendix: Ally profiles {.unnumbered}

One profile per Ally, in alphabetical order: SIPRI's long-run series, NATO's figures for the
years of its tables, and where the Ally stands against NATO's guidelines and the core-defence
target."""

#: Cells tagged so are left out of the PDF (download links, which a printed page cannot follow).
HTML_ONLY = "html-only"

LINK_TO_PAGE = re.compile(r"\]\((?:\.\./)*(?:executed/)?(?:profiles/)?([\w-]+)\.ipynb(#[\w-]+)?\)")


def internal_links(markdown: str) -> str:
    """Links between pages of the site become links inside the PDF: to the section named in
    the anchor, else to the page's first heading (``#page-<name>``)."""
    return LINK_TO_PAGE.sub(lambda m: f"]({m.group(2) or '#page-' + m.group(1)})", markdown)


def combined_notebook(dest: Path) -> Path:
    """One notebook of every page for the Typst PDF: chapters, then the profiles as a lettered
    appendix (one line each in the contents), figure and section labels made unique per page,
    links between pages turned into links within the PDF, each chart as a vector image."""
    import nbformat

    front = (
        "---\ntitle: \"dibtrends: defence spending and the defence-industrial base\"\n"
        "subtitle: \"Rebuilding NATO's industrial-capacity claims from public data\"\n"
        "format:\n  typst:\n    toc: true\n    toc-depth: 2\n    section-numbering: \"1.1\"\n"
        "    papersize: a4\n    margin:\n      x: 2cm\n      y: 2.2cm\n    fontsize: 10pt\n"
        "execute:\n  echo: false\n  warning: false\n---\n"
    )
    book = nbformat.v4.new_notebook()
    book.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}}
    book.cells.append(nbformat.v4.new_raw_cell(front))
    book.cells.append(nbformat.v4.new_markdown_cell(TYPST_STYLE))
    appendix_started = False
    drawn: set[str] = set()  # the charts this PDF shows; the other drawings are deleted

    def draw(spec: dict) -> str:
        return chart_svg(spec, drawn)

    for nb_path in pages():
        nb = nbformat.read(nb_path, as_version=4)
        is_profile = nb_path.parent == paths.PROFILES_DIR
        if is_profile and not appendix_started:
            book.cells.append(nbformat.v4.new_markdown_cell(APPENDIX_START))
            appendix_started = True
        suffix = nb_path.stem.split("_", 1)[-1].lower() if is_profile else ""
        first_heading = True
        for cell in nb.cells:
            if cell.cell_type == "raw" or HTML_ONLY in cell.metadata.get("tags", []):
                continue
            if cell.cell_type == "markdown":
                if first_heading and cell.source.startswith("# "):
                    title, _, rest = cell.source.partition("\n")
                    cell.source = f"{title} {{#page-{nb_path.stem}}}\n{rest}"
                    first_heading = False
                cell.source = page_local(cell.source, suffix, is_profile)
            if cell.cell_type == "code":
                if suffix:
                    cell.source = re.sub(r"(#\|\s*label:\s*(?:fig|tbl)-[\w-]+)", rf"\1-{suffix}",
                                         cell.source)
                cell.outputs = [static_only(o, draw) for o in cell.outputs]
                for output in cell.outputs:
                    text = output.get("data", {}).get("text/markdown")
                    if text:
                        output["data"]["text/markdown"] = breakable(page_local(
                            "".join(text), suffix, False))
            cell.id = uuid.uuid4().hex[:12]  # ids repeat across the 32 profiles
            book.cells.append(cell)
    prune_chart_images(drawn)
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(book, dest)
    return dest


LONG_TOKEN = re.compile(r"[^\s|]{25,}")
TABLE_RULE = re.compile(r"^\|[\s:|-]+\|\s*$")  # the line under a table's header
ZWSP = "\u200b"


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


def page_local(markdown: str, suffix: str, demote: bool) -> str:
    """Markdown of one page inside the PDF: references and section ids made unique for a
    profile, profile headings one level down, links between pages made internal."""
    if suffix:
        markdown = re.sub(r"@((?:fig|tbl|sec)-[\w-]+)", rf"@\1-{suffix}", markdown)
        markdown = re.sub(r"\{#((?:fig|tbl|sec)-[\w-]+)", rf"{{#\1-{suffix}", markdown)
    if demote:
        markdown = demote_headings(markdown)
    return internal_links(markdown)


VEGALITE = "application/vnd.vegalite.v5+json"
#: A chart's width on the PDF page (Quarto passes it on to Typst): about four fifths of the
#: text width, which keeps a chart and its caption on one page with the text around it.
PDF_CHART_WIDTH_PX = 560


def static_only(output, draw=None):
    """For the PDF, a chart output becomes one vector image drawn from its Vega-Lite spec (the
    interactive HTML is of no use on paper)."""
    data = output.get("data", {})
    if VEGALITE in data:
        output["data"] = {"image/svg+xml": (draw or chart_svg)(data[VEGALITE])}
        output["metadata"] = {"image/svg+xml": {"width": PDF_CHART_WIDTH_PX}}
    return output


@functools.cache
def _vl_convert_version() -> str:
    from importlib.metadata import version

    return version("vl-convert-python")


def _chart_key(spec: dict) -> str:
    text = _vl_convert_version() + json.dumps(spec, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def chart_svg(spec: dict, drawn: set[str] | None = None) -> str:
    """A chart as SVG, drawn by vl-convert with the Vega the site uses. Drawn only here, for
    the PDF (a notebook run draws no static image), and kept by the spec's content, so a render
    after a one-chapter change redraws only the charts that changed. Its key is added to
    ``drawn``, the charts a render shows."""
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
        from .kernels import chart_title

        title = chart_title(spec) or "without a title"
        reason = " ".join(str(exc).splitlines()[:2])  # not the JavaScript stack
        raise RenderFailed(f"vl-convert could not draw the chart \u201c{title}\u201d as "
                           f"SVG for the PDF: {reason} Fix: open the chapter in JupyterLab, where "
                           "the same spec is drawn, and correct the chart.") from None
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_name(f".{cached.name}.{os.getpid()}.part")
    tmp.write_text(svg)
    os.replace(tmp, cached)
    return svg


def prune_chart_images(keep: set[str]) -> None:
    """Drop drawn charts that no page shows any more (the folder would grow with every
    parameter tried)."""
    for path in paths.CHART_IMAGES.glob("*.svg"):
        if path.stem not in keep:
            path.unlink(missing_ok=True)


def demote_headings(markdown: str) -> str:
    """One level down (# -> ##), outside code fences: profiles become sections of the appendix."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        out.append("#" + line if not fenced and re.match(r"#{1,5} ", line) else line)
    return "\n".join(out)


MODULE_TAGS = re.compile(r'<script src="([^"]*site_libs/quarto-html/'
                         r'(?:quarto|tabsets/tabsets)\.js)"'
                         r' type="module"></script>\n?')


def _classic_tag(match: re.Match) -> str:
    if match.group(1).endswith("tabsets/tabsets.js"):
        return ""  # bundled into quarto.js
    return f'<script src="{match.group(1)}" defer></script>\n'


def classic_quarto_script(site: Path) -> bool:
    """Make the site work when opened from disk. Since 1.6 Quarto loads ``quarto.js`` as an ES
    module importing ``tabsets.js``; browsers refuse modules over ``file://`` (quarto-cli issue
    11904), so a reader who double-clicks index.html gets a half-working page. The two files
    become one classic, deferred script with the same scope (an IIFE), which works from disk
    and from a server alike. Returns False, changing nothing, if Quarto's files differ from the
    layout this expects (the offline-HTML test then reports the console errors)."""
    lib = site / "site_libs" / "quarto-html"
    main, tabs = lib / "quarto.js", lib / "tabsets" / "tabsets.js"
    if not (main.exists() and tabs.exists()):
        return False
    first, _, rest = main.read_text().partition("\n")
    tab_code = tabs.read_text()
    if (first.strip() != 'import * as tabsets from "./tabsets/tabsets.js";'
            or re.search(r"^\s*(import|export)\b", rest, re.M)
            or re.search(r"^\s*import\b", tab_code, re.M)
            or len(re.findall(r"^\s*export\b", tab_code, re.M)) != 1
            or "export function init" not in tab_code):
        return False
    tab_code = tab_code.replace("export function init", "function init")
    main.write_text("(() => {\nconst tabsets = (() => {\n" + tab_code
                    + "\nreturn { init };\n})();\n" + rest + "\n})();\n")
    return True


def render_quarto(exe: str) -> Path:
    """The HTML site and the Typst PDF, rendered side by side (two Quarto processes, one per
    core), into a new folder swapped in only when both succeed."""
    write_vega_bundle()
    publish_summary()
    write_sidebar()
    new = paths.OUTPUT_NEW
    if new.exists():
        shutil.rmtree(new)
    with tempfile.TemporaryDirectory(prefix="dibtrends-pdf-") as work:
        # The site renders on one core while this process draws the PDF's charts on the other.
        site = subprocess.Popen([exe, "render", str(paths.REPORTS), "--output-dir", new.name],
                                cwd=paths.REPORTS)
        try:
            book = combined_notebook(Path(work) / "dibtrends-report.ipynb")
        except BaseException:
            site.kill()
            site.wait()
            shutil.rmtree(new, ignore_errors=True)
            raise
        pdf_run = subprocess.Popen([exe, "render", str(book), "--to", "typst"], cwd=work)
        site_code, pdf_code = site.wait(), pdf_run.wait()
        pdf = Path(work) / "dibtrends-report.pdf"
        if site_code != 0:
            shutil.rmtree(new, ignore_errors=True)
            raise RenderFailed(f"quarto render of the HTML site failed (exit {site_code}); see "
                               "its messages above. The last good reports/_output was kept.")
        if pdf_code != 0 or not pdf.exists():
            shutil.rmtree(new, ignore_errors=True)
            raise RenderFailed(f"quarto render of the PDF (Typst) failed (exit {pdf_code}); see "
                               "its messages above. The last good reports/_output was kept.")
        shutil.copy2(pdf, new / PDF_NAME)
    classic = classic_quarto_script(new)
    for html_file in new.rglob("*.html"):
        text = strip_remote(html_file.read_text())
        if classic:
            text = MODULE_TAGS.sub(_classic_tag, text)
        html_file.write_text(text)
    _swap_in(new, paths.OUTPUT)
    return paths.OUTPUT


FINGERPRINT = ".fingerprint"


def fingerprint(engine: str) -> str:
    """What the published output was made from: every executed page, the Quarto project files,
    this module and the render engine. Equal fingerprints mean the render would change nothing."""
    h = hashlib.sha256(engine.encode())
    files = [*pages(), paths.QUARTO_CONFIG, HEADER, Path(__file__)]
    for f in files:
        h.update(str(f.relative_to(paths.ROOT)).encode())
        h.update(f.read_bytes() if f.exists() else b"missing")
    return h.hexdigest()


def is_current(engine: str) -> bool:
    stamp = paths.OUTPUT / FINGERPRINT
    return stamp.exists() and stamp.read_text() == fingerprint(engine)


def mark_current(engine: str) -> None:
    (paths.OUTPUT / FINGERPRINT).write_text(fingerprint(engine))


def publish_summary() -> Path:
    """The executed summary is the site's front page (``index``), and only there."""
    target = paths.SITE_INDEX
    source = paths.EXECUTED / "00_executive_summary.ipynb"
    if not source.exists():
        raise RenderFailed("the executive summary has not been executed (reports/executed/"
                           "00_executive_summary.ipynb is missing). Fix: run `make report`.")
    if not target.exists() or target.read_bytes() != source.read_bytes():
        shutil.copy2(source, target)
    return target


def render() -> int:
    exe = quarto_path()
    engine = "preview" if exe is None else f"quarto {'.'.join(map(str, quarto_version(exe)))}"
    if is_current(engine):
        print(f"  render     up to date ({engine})", file=sys.stderr)
        return 0
    if exe is None:
        out = render_preview()
        mark_current(engine)
        print(
            "\nWARNING: Quarto was not found, so the published report (HTML site and PDF) was not "
            f"rendered. Wrote an HTML preview of every executed notebook to {out}.\n"
            f"To publish: install Quarto {QUARTO_PINNED} (conda install -c conda-forge "
            f"quarto={QUARTO_PINNED}, or https://quarto.org/docs/download/) and run `make report`.",
            file=sys.stderr,
        )
        return 0
    version = quarto_version(exe)
    if version[:2] < QUARTO_MIN:
        raise RenderFailed(f"Quarto {'.'.join(map(str, version))} is too old: the report needs "
                           f"{'.'.join(map(str, QUARTO_MIN))} or newer (CI renders with "
                           f"{QUARTO_PINNED}).")
    render_quarto(exe)
    mark_current(engine)
    print(f"  rendered   {paths.OUTPUT / 'index.html'} and {paths.OUTPUT / PDF_NAME}",
          file=sys.stderr)
    return 0
