"""Publish the executed notebooks: Quarto when it is installed, an nbconvert preview when not.

With Quarto, the HTML site (:mod:`.site`) and the PDF (:mod:`.pdf`) are rendered side by side,
each in its own staging folder under ``build/`` and each redoing only the pages that changed;
only when both succeed is a fresh copy of the site, with the PDF, swapped in for
``reports/_output``. Without Quarto the same pages become HTML previews (:mod:`.preview`), with a
warning saying how to get the published report. Either way nothing is requested from another
host when a reader opens it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from .. import paths
from .pages import RenderFailed, digest, swap_in

QUARTO_MIN = (1, 7)
QUARTO_PINNED = "1.7.34"  # the version CI renders with
FINGERPRINT = ".fingerprint"


def quarto_path() -> str | None:
    """Quarto on PATH, or the one `pip install quarto-cli` put in the project venv."""
    beside = Path(sys.executable).parent / "quarto"
    return shutil.which("quarto") or (str(beside) if beside.exists() else None)


def quarto_version(exe: str) -> tuple[int, ...]:
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True).stdout
    return tuple(int(x) for x in re.findall(r"\d+", out)[:3])


def fingerprint(engine: str) -> str:
    """What the published output was made from: every executed page, the chart data, the
    Quarto project files, the render code and engine. Equal means the render changes nothing."""
    files = [*sorted(paths.EXECUTED.rglob("*.ipynb")),
             *sorted((paths.GENERATED / paths.TABLES_SUBDIR).glob("*.csv")),
             paths.QUARTO_CONFIG, paths.VEGA_HEADER, *sorted(Path(__file__).parent.glob("*.py"))]
    return digest(engine, *(f"{paths.relative(f)}:{digest(f.read_bytes()) if f.exists() else ''}"
                            for f in files))


def render_quarto(exe: str, engine: str) -> Path:
    """The site and the PDF, side by side (the site in a thread running Quarto, the PDF's charts
    and pages here), then published together in one swap."""
    from .pdf import PDF_NAME, render_pdf
    from .site import render_site, write_vega_bundle

    write_vega_bundle()  # before the threads: vl-convert is called from one thread at a time
    site: dict[str, Path | BaseException] = {}

    def run_site() -> None:
        try:
            site["out"] = render_site(exe, engine)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            site["out"] = exc

    thread = threading.Thread(target=run_site)
    thread.start()
    try:
        pdf = render_pdf(exe)
    finally:
        thread.join()
    if isinstance(site["out"], BaseException):
        raise site["out"]
    new = paths.OUTPUT_NEW
    shutil.rmtree(new, ignore_errors=True)
    shutil.copytree(site["out"], new)
    shutil.copy2(pdf, new / PDF_NAME)
    swap_in(new, paths.OUTPUT)
    return paths.OUTPUT


def render() -> int:
    exe = quarto_path()
    engine = "preview" if exe is None else f"quarto {'.'.join(map(str, quarto_version(exe)))}"
    stamp = paths.OUTPUT / FINGERPRINT
    current = fingerprint(engine)
    if stamp.exists() and stamp.read_text() == current:
        print(f"  render     up to date ({engine})", file=sys.stderr)
        return 0
    if exe is None:
        from .preview import render_preview

        out = render_preview()
        stamp.write_text(current)
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
    render_quarto(exe, engine)
    stamp.write_text(current)
    print(f"  rendered   {paths.OUTPUT / 'index.html'} and {paths.OUTPUT / 'dibtrends-report.pdf'}",
          file=sys.stderr)
    return 0
