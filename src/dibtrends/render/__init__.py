"""Publish the executed notebooks: Quarto when it is installed, an nbconvert preview when not.

With Quarto, the HTML site (:mod:`.site`) and the PDF (:mod:`.pdf`) are rendered side by side,
each in its own staging folder under ``build/`` and each redoing only the pages that changed;
only when both succeed is a fresh copy of the site, with the PDF, swapped in for
``reports/_output``. Without Quarto the same pages become HTML previews (:mod:`.preview`), with a
warning saying how to get the published report. Either way nothing is requested from another
host when a reader opens it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import paths
from ..errors import DibtrendsError

QUARTO_MIN = (1, 7)
QUARTO_PINNED = "1.7.34"  # the version CI renders with
#: A link from one page to another (``](../executed/02_x.ipynb#sec-y)``): group 1 the page,
#: group 2 the section.
LINK_TO_PAGE = re.compile(r"\]\((?:\.\./)*(?:executed/)?(?:profiles/)?([\w-]+)\.ipynb(#[\w-]+)?\)")


class RenderFailed(DibtrendsError):
    pass


def pages() -> list[Path]:
    """Executed notebooks in reading order: summary, analyses, sources, then the profiles
    (alphabetical by the Ally's name)."""
    return [*sorted(paths.EXECUTED.glob("[0-9][0-9]_*.ipynb")), *profile_pages()]


def page_title(nb_path: Path) -> str:
    """The first level-1 heading of an executed notebook (its title on the site)."""
    for cell in json.loads(nb_path.read_text())["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and source.startswith("# "):
            return source.partition("\n")[0][2:].split(" {")[0].strip()
    return nb_path.stem


def profile_pages() -> list[Path]:
    return sorted(paths.PROFILES_DIR.glob("profile_*.ipynb"), key=page_title)


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def mirror(files: dict[str, bytes | Path], stage: Path, keep: tuple[str, ...] = ()) -> set[str]:
    """Make ``stage`` hold exactly ``files`` (relative name -> content or source file), writing
    only what changed, and deleting what is no longer listed (except under ``keep``). Returns
    the names whose content changed: what an incremental render must redo."""
    changed = set()
    for rel, content in files.items():
        data = content.read_bytes() if isinstance(content, Path) else content
        target = stage / rel
        if not (target.exists() and target.read_bytes() == data):
            paths.write_atomic(target, data)
            changed.add(rel)
    for path in stage.rglob("*"):
        rel = str(path.relative_to(stage))
        if path.is_file() and rel not in files and not rel.startswith(keep):
            path.unlink()
    return changed


def quarto(exe: str, args: list[str], cwd: Path, what: str) -> None:
    """Run Quarto quietly; on failure raise with the lines of its output that name the error
    (Quarto reports Typst's errors as ordinary messages, which ``--quiet`` would hide)."""
    run = subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True)
    if run.returncode != 0:
        said = [ln.strip() for ln in (run.stdout + run.stderr).splitlines() if ln.strip()]
        lines = [ln for ln in said
                 if re.search(r"error|unable|not found|invalid|does not exist", ln, re.I)]
        raise RenderFailed(f"quarto could not render {what} (exit {run.returncode}): "
                           f"{' | '.join((lines or said[-2:])[-6:]) or 'no message'}. The last "
                           "good reports/_output was kept.")


def swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` in two renames: a reader never sees half a site."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def quarto_path() -> str | None:
    """Quarto on PATH, or the one `pip install quarto-cli` put in the project venv."""
    return shutil.which("quarto") or shutil.which("quarto", path=Path(sys.executable).parent)


def fingerprint(engine: str) -> str:
    """What the published output was made from: every executed page, the chart data, the
    Quarto project files, the render code and engine. Equal means the render changes nothing."""
    files = [*sorted(paths.EXECUTED.rglob("[!.]*.ipynb")),
             *sorted((paths.GENERATED / paths.TABLES_SUBDIR).glob("*.csv")),
             paths.QUARTO_CONFIG, paths.VEGA_HEADER, *sorted(Path(__file__).parent.glob("*.py"))]
    return digest(engine, *(f"{paths.relative(f)}:{digest(f.read_bytes()) if f.exists() else ''}"
                            for f in files))


def render_quarto(exe: str, engine: str) -> None:
    """The site (Quarto, in a thread) and the PDF (its charts and pages, here) side by side,
    then published together in one swap."""
    from .pdf import PDF_NAME, render_pdf
    from .site import render_site, write_vega_bundle

    write_vega_bundle()  # before the thread: vl-convert is called from one thread at a time
    with ThreadPoolExecutor(1) as pool:
        site = pool.submit(render_site, exe, engine)
        pdf = render_pdf(exe)
        site_output = site.result()
    new = paths.OUTPUT_NEW
    shutil.rmtree(new, ignore_errors=True)
    shutil.copytree(site_output, new)
    shutil.copy2(pdf, new / PDF_NAME)
    swap_in(new, paths.OUTPUT)


def render() -> None:
    exe = quarto_path()
    version = subprocess.run([exe, "--version"], capture_output=True, text=True,
                             check=True).stdout.strip() if exe else ""
    engine = f"quarto {version}" if exe else "preview"
    stamp, current = paths.OUTPUT / ".fingerprint", fingerprint(engine)
    if stamp.exists() and stamp.read_text() == current:
        print(f"  render     up to date ({engine})", file=sys.stderr)
        return
    if exe is None:
        from .preview import render_preview

        print(
            "\nWARNING: Quarto was not found, so the published report (HTML site and PDF) was not "
            f"rendered. Wrote an HTML preview of every executed notebook to {render_preview()}.\n"
            f"To publish: install Quarto {QUARTO_PINNED} (conda install -c conda-forge "
            f"quarto={QUARTO_PINNED}, or https://quarto.org/docs/download/) and run `make report`.",
            file=sys.stderr,
        )
    elif tuple(int(x) for x in re.findall(r"\d+", version)[:2]) < QUARTO_MIN:
        raise RenderFailed(f"Quarto {version} is too old: the report needs "
                           f"{'.'.join(map(str, QUARTO_MIN))} or newer (CI renders with "
                           f"{QUARTO_PINNED}).")
    else:
        render_quarto(exe, engine)
        print(f"  rendered   {paths.OUTPUT / 'index.html'} and "
              f"{paths.OUTPUT / 'dibtrends-report.pdf'}", file=sys.stderr)
    stamp.write_text(current)
