"""Publish the executed notebooks: Quarto when it is installed, an nbconvert preview when not.

Quarto renders ``reports/`` (a website project) into a fresh folder and one combined notebook
into a Typst PDF; only when both succeed is the new folder swapped in for ``reports/_output``.
Without Quarto the same executed notebooks become HTML previews, with a warning saying how to
get the published report. Either way the HTML loads Vega from the report's own ``assets/``:
nothing is requested from another host when a reader opens it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from . import paths
from .errors import DibtrendsError

QUARTO_MIN = (1, 7)
QUARTO_PINNED = "1.9.38"
PDF_NAME = "dibtrends-report.pdf"
VEGA_BUNDLE = paths.ASSETS / "vega-bundle.js"
HEADER = paths.REPORTS / "_vega-header.html"
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
    """The Vega/Vega-Lite/Vega-Embed bundle shipped by vl-convert, served from the report."""
    import vl_convert as vlc

    paths.ASSETS.mkdir(parents=True, exist_ok=True)
    text = vlc.javascript_bundle()
    if not VEGA_BUNDLE.exists() or VEGA_BUNDLE.read_text() != text:
        VEGA_BUNDLE.write_text(text)
    return VEGA_BUNDLE


def pages() -> list[Path]:
    """Executed notebooks in reading order: summary, analyses, sources, then profiles."""
    main = sorted(paths.EXECUTED.glob("[0-9][0-9]_*.ipynb"))
    profiles = sorted(paths.PROFILES_DIR.glob("profile_*.ipynb"))
    return main + profiles


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


def strip_remote(html_text: str) -> str:
    """Drop script and stylesheet tags that load from another host."""
    return REMOTE_TAG.sub("", html_text)


def strip_remote_preview(html_text: str) -> str:
    """nbconvert's template also imports Mermaid and MathJax from a CDN inside inline scripts;
    the preview needs neither, so those blocks go too (chart specs are JSON and stay)."""
    return REMOTE_INLINE_SCRIPT.sub("", strip_remote(html_text))


# ---------------------------------------------------------------- preview (no Quarto)
def render_preview(out_dir: Path = paths.OUTPUT / "preview") -> Path:
    """HTML preview of each executed notebook with nbconvert, swapped in atomically."""
    import nbformat
    from nbconvert import HTMLExporter

    bundle = write_vega_bundle()
    header = HEADER.read_text()
    tmp = Path(tempfile.mkdtemp(prefix=".preview.", dir=out_dir.parent if out_dir.parent.exists() else None))
    (tmp / "assets").mkdir()
    shutil.copy2(bundle, tmp / "assets" / bundle.name)
    exporter = HTMLExporter(template_name="lab", mathjax_url="", require_js_url="",
                            mermaid_js_url="", mermaid_layout_elk_js_url="")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    pages = []
    for nb_path in pages():
        nb = nbformat.read(nb_path, as_version=4)
        body, _ = exporter.from_notebook_node(nb)
        body = strip_remote_preview(body).replace("<head>", "<head>\n" + header, 1)
        page = tmp / f"{nb_path.stem}.html"
        page.write_text(body)
        pages.append(page.name)
    links = "\n".join(f'<li><a href="{p}">{p[:-5]}</a></li>' for p in pages)
    (tmp / "index.html").write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>dibtrends preview</title></head>"
        "<body><h1>dibtrends: preview of the executed notebooks</h1><p>This is a preview made "
        "without Quarto. The published report (HTML site and PDF) needs Quarto "
        f"{QUARTO_PINNED}.</p><ul>{links}</ul></body></html>"
    )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _swap_in(tmp, out_dir)
    return out_dir


# ---------------------------------------------------------------- Quarto
def combined_notebook(dest: Path) -> Path:
    """One notebook of every chapter for the Typst PDF (figure labels made unique per page)."""
    import nbformat

    front = (
        "---\ntitle: \"dibtrends: defence spending and the defence-industrial base\"\n"
        "subtitle: \"Rebuilding NATO's industrial-capacity claims from public data\"\n"
        "format:\n  typst:\n    toc: true\n    section-numbering: \"1.1\"\n    papersize: a4\n"
        "    fig-format: png\nexecute:\n  echo: false\n  warning: false\n---\n"
    )
    book = nbformat.v4.new_notebook()
    book.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    book.cells.append(nbformat.v4.new_raw_cell(front))
    appendix_started = False
    for nb_path in pages():
        nb = nbformat.read(nb_path, as_version=4)
        is_profile = nb_path.parent == paths.PROFILES_DIR
        if is_profile and not appendix_started:
            book.cells.append(nbformat.v4.new_markdown_cell(
                "# Appendix: Ally profiles {.unnumbered}\n\nOne profile per Ally, in the order of "
                "their ISO 3166 codes, produced by running the `country_profile` notebook for each."))
            appendix_started = True
        suffix = nb_path.stem.split("_", 1)[-1].lower() if is_profile else ""
        for cell in nb.cells:
            if cell.cell_type == "raw":
                continue
            if suffix and cell.cell_type == "code":
                cell.source = re.sub(r"(#\|\s*label:\s*(?:fig|tbl)-[\w-]+)", rf"\1-{suffix}", cell.source)
            if suffix and cell.cell_type == "markdown":
                cell.source = re.sub(r"@((?:fig|tbl)-[\w-]+)", rf"@\1-{suffix}", cell.source)
                cell.source = demote_headings(cell.source)
            if cell.cell_type == "code":
                cell.outputs = [static_only(o) for o in cell.outputs]
            cell.id = uuid.uuid4().hex[:12]  # ids repeat across the 32 profiles
            book.cells.append(cell)
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(book, dest)
    return dest


def static_only(output):
    """For the PDF, a chart output keeps only its PNG (and the width metadata)."""
    data = output.get("data", {})
    if "image/png" in data:
        output["data"] = {"image/png": data["image/png"]}
    return output


def demote_headings(markdown: str) -> str:
    """One level down (# -> ##), outside code fences: profiles become sections of the appendix."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        out.append("#" + line if not fenced and re.match(r"#{1,5} ", line) else line)
    return "\n".join(out)


def render_quarto(exe: str) -> Path:
    write_vega_bundle()
    publish_summary()
    new = paths.REPORTS / "_output.new"
    if new.exists():
        shutil.rmtree(new)
    run = subprocess.run([exe, "render", str(paths.REPORTS), "--output-dir", new.name],
                         cwd=paths.REPORTS)
    if run.returncode != 0:
        shutil.rmtree(new, ignore_errors=True)
        raise RenderFailed(f"quarto render of the HTML site failed (exit {run.returncode}); "
                           "see its messages above. The last good reports/_output was kept.")
    with tempfile.TemporaryDirectory(prefix="dibtrends-pdf-") as work:
        book = combined_notebook(Path(work) / "dibtrends-report.ipynb")
        run = subprocess.run([exe, "render", str(book), "--to", "typst"], cwd=work)
        pdf = Path(work) / "dibtrends-report.pdf"
        if run.returncode != 0 or not pdf.exists():
            shutil.rmtree(new, ignore_errors=True)
            raise RenderFailed(f"quarto render of the PDF (Typst) failed (exit {run.returncode}); "
                               "see its messages above. The last good reports/_output was kept.")
        shutil.copy2(pdf, new / PDF_NAME)
    for html_file in new.rglob("*.html"):
        html_file.write_text(strip_remote(html_file.read_text()))
    _swap_in(new, paths.OUTPUT)
    return paths.OUTPUT


FINGERPRINT = ".fingerprint"


def fingerprint(engine: str) -> str:
    """What the published output was made from: every executed page, the Quarto project files,
    this module and the render engine. Equal fingerprints mean the render would change nothing."""
    h = hashlib.sha256(engine.encode())
    files = [*pages(), paths.REPORTS / "_quarto.yml", HEADER, Path(__file__)]
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
    target = paths.REPORTS / "index.ipynb"
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
                           f"{'.'.join(map(str, QUARTO_MIN))} or newer (tested with {QUARTO_PINNED}).")
    render_quarto(exe)
    mark_current(engine)
    print(f"  rendered   {paths.OUTPUT / 'index.html'} and {paths.OUTPUT / PDF_NAME}", file=sys.stderr)
    return 0
