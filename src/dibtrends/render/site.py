"""The HTML site: Quarto renders a staging copy of the project (``build/site``), whole the
first time or when something every page shows changed (the configuration, the sidebar, the set
of pages), else only the pages whose executed notebooks changed (Quarto's incremental render
keeps its own search index and cross-references in the staging folder). The site is then made to
work from disk with nothing from another host, and handed to :func:`dibtrends.render.render`,
which publishes it with the PDF in one swap.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import yaml

from .. import paths
from . import RenderFailed, digest, mirror, page_title, profile_pages, quarto

STAGE = paths.BUILD / "site"
STATE = STAGE / ".rendered.json"
REMOTE_TAG = re.compile(
    r"<script[^>]*\bsrc=[\"']https?://[^\"']*[\"'][^>]*>\s*</script>|"
    r"<link[^>]*\bhref=[\"']https?://[^\"']*[\"'][^>]*>", re.I)
#: Quarto adds require.js and jQuery from a CDN when a page has HTML outputs it takes for
#: widgets, plus an inline ``define('jquery', ...)`` that needs require.js. The charts need
#: neither: with the CDN tags gone, the inline call would only raise "define is not defined".
REQUIRE_SHIM = re.compile(r'<script type="application/javascript">\s*define\(\s*[\'"]jquery[\'"]'
                          r'[^<]*</script>\n?')
MODULE_TAGS = re.compile(r'<script src="([^"]*site_libs/quarto-html/'
                         r'(?:quarto|tabsets/tabsets)\.js)"'
                         r' type="module"></script>\n?')
TABSETS_IMPORT = 'import * as tabsets from "./tabsets/tabsets.js";'
CLASSIC_START = "(() => {\nconst tabsets = (() => {\n"


def write_vega_bundle() -> Path:
    """The Vega/Vega-Lite/Vega-Embed bundle shipped by vl-convert, served from the report.
    Building it takes vl-convert two seconds, so it is rebuilt only when vl-convert changes."""
    from importlib.metadata import version

    bundle = paths.VEGA_BUNDLE
    stamp = bundle.with_name(bundle.name + ".version")
    made_by = f"vl-convert-python {version('vl-convert-python')}"
    if bundle.exists() and stamp.exists() and stamp.read_text() == made_by:
        return bundle
    import vl_convert as vlc

    paths.write_atomic(bundle, vlc.javascript_bundle())
    stamp.write_text(made_by)
    return bundle


def write_sidebar() -> Path:
    """The site's sidebar for this build (chapters, sources, then the profiles by name), also
    kept in ``reports/generated`` for the analyst who renders by hand."""
    main = sorted(paths.EXECUTED.glob("[0-9][0-9]_*.ipynb"))
    analyses = [f"executed/{p.name}" for p in main if not p.name.startswith(("00_", "98_", "99_"))]
    sources = [f"executed/{p.name}" for p in main if p.name.startswith(("98_", "99_"))]
    profiles = [{"href": f"executed/profiles/{p.name}", "text": page_title(p)}
                for p in profile_pages()]
    sidebar = {"website": {"sidebar": {"style": "docked", "contents": [
        {"href": "index.ipynb", "text": "Executive summary"},
        {"section": "Chapters", "contents": analyses},
        *sources,
        {"section": "Appendix: Ally profiles", "contents": profiles},
    ]}}}
    paths.SIDEBAR.parent.mkdir(parents=True, exist_ok=True)
    paths.SIDEBAR.write_text(yaml.safe_dump(sidebar, sort_keys=False, allow_unicode=True))
    return paths.SIDEBAR


def stage_files() -> dict[str, bytes | Path]:
    """Everything the Quarto project reads, by its name in the staging folder."""
    summary = paths.EXECUTED / "00_executive_summary.ipynb"
    if not summary.exists():
        raise RenderFailed("the executive summary has not been executed (reports/executed/"
                           "00_executive_summary.ipynb is missing). Fix: run `make report`.")
    files: dict[str, bytes | Path] = {
        "_quarto.yml": paths.QUARTO_CONFIG, "_vega-header.html": paths.VEGA_HEADER,
        "index.ipynb": summary, "generated/_sidebar.yml": write_sidebar(),
        "assets/vega-bundle.js": write_vega_bundle()}
    for nb in paths.EXECUTED.rglob("[!.]*.ipynb"):
        if nb != summary:
            files[str(nb.relative_to(paths.REPORTS))] = nb
    for csv in (paths.GENERATED / paths.TABLES_SUBDIR).glob("*.csv"):
        files[f"generated/{paths.TABLES_SUBDIR}/{csv.name}"] = csv
    return files


def render_site(exe: str, engine: str) -> Path:
    """Render the staging project; returns its output folder (``build/site/_output``)."""
    files = stage_files()
    made_by = digest(engine, Path(__file__).read_bytes())
    previous = STATE.read_text() if STATE.exists() else ""
    STATE.unlink(missing_ok=True)  # a render that fails half-way is redone whole next time
    changed = mirror(files, STAGE, keep=("_output", ".quarto"))
    output = STAGE / "_output"
    started = time.time()
    pages = sorted(rel for rel in changed if rel.endswith(".ipynb"))
    # Whole when every page shows what changed (configuration, header, sidebar, which lists
    # the pages, Vega bundle); the chart data are copied below.
    if previous != made_by or not output.is_dir() or any(
            not rel.endswith((".ipynb", ".csv")) for rel in changed):
        quarto(exe, ["render"], STAGE, "the HTML site")
    else:
        # `quarto render` takes one input: a second name would be handed to pandoc as input
        for notebook in pages:
            quarto(exe, ["render", notebook], STAGE, f"the HTML site's page {notebook}")
    # Chart data and the Vega bundle as the site offers them (Quarto copies resources on a
    # whole render; an incremental one may leave a changed CSV behind).
    for folder in ("generated/tables", "assets"):
        mirror({rel.removeprefix(folder + "/"): STAGE / rel for rel in files
                if rel.startswith(folder + "/")}, output / folder)
    offline(output, since=started)
    STATE.write_text(made_by)
    return output


def offline(site: Path, since: float = 0) -> None:
    """The site as a reader opens it from disk: no script or stylesheet from another host, and
    Quarto's ES-module script made classic (browsers refuse modules over ``file://``, quarto-cli
    issue 11904). Pages Quarto wrote since ``since`` are fixed; the others already were."""
    classic = classic_quarto_script(site)
    for html_file in site.rglob("*.html"):
        if html_file.stat().st_mtime < since:
            continue
        text = strip_remote(html_file.read_text())
        if classic:  # tabsets.js is bundled into quarto.js, now a classic script
            text = MODULE_TAGS.sub(lambda m: "" if m[1].endswith("tabsets/tabsets.js") else
                                   f'<script src="{m[1]}" defer></script>\n', text)
        html_file.write_text(text)


def strip_remote(html_text: str) -> str:
    """Drop script and stylesheet tags that load from another host, and what needs them."""
    text = REMOTE_TAG.sub("", html_text)
    if "require.js" not in text and "require.min.js" not in text:
        text = REQUIRE_SHIM.sub("", text)
    return text


def classic_quarto_script(site: Path) -> bool:
    """Since 1.6 Quarto loads ``quarto.js`` as an ES module importing ``tabsets.js``. The two
    files become one classic, deferred script with the same scope (an IIFE), which works from
    disk and from a server alike. False, changing nothing, if Quarto's files differ from the
    layout this expects (the offline-HTML test then reports the console errors)."""
    lib = site / "site_libs" / "quarto-html"
    main, tabs = lib / "quarto.js", lib / "tabsets" / "tabsets.js"
    if not (main.exists() and tabs.exists()):
        return False
    text = main.read_text()
    if text.startswith(CLASSIC_START):
        return True  # made classic by an earlier render that Quarto's incremental one kept
    first, _, rest = text.partition("\n")
    tab_code = tabs.read_text()
    if (first.strip() != TABSETS_IMPORT or re.search(r"^\s*(import|export)\b", rest, re.M)
            or re.search(r"^\s*import\b", tab_code, re.M)
            or len(re.findall(r"^\s*export\b", tab_code, re.M)) != 1
            or "export function init" not in tab_code):
        return False
    tab_code = tab_code.replace("export function init", "function init")
    main.write_text(CLASSIC_START + tab_code + "\nreturn { init };\n})();\n" + rest + "\n})();\n")
    return True
