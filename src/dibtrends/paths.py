"""Where things live. The one module that names folders, so notebooks, Make, tests and the
pipeline agree (nothing else builds a path from a string).

Inputs: ``data/raw`` (publisher files, never edited), ``data/curated`` (cited tables the project
transcribes), ``notebooks/`` (the chapters, as analysts edit them), ``reports/params.yaml``.
Built: ``data/processed`` (Parquet), ``reports/generated`` (results, chart data, parameters),
``reports/executed`` (notebooks as Papermill ran them), ``reports/_output`` (the published report).
"""

from __future__ import annotations

import os
from pathlib import Path

#: Project root: the folder holding ``pyproject.toml``. Overridable for tests.
ROOT = Path(os.environ.get("DIBTRENDS_ROOT", Path(__file__).resolve().parents[2]))
DATA = ROOT / "data"
RAW = Path(os.environ.get("DIBTRENDS_RAW", DATA / "raw"))
CURATED = DATA / "curated"
#: The curated table the minerals chapter and its loader read (and name in their errors).
DEFENCE_MINERALS_FILE = CURATED / "defence_critical_minerals.csv"
#: The source registry: publisher, edition, address and sha256 of every upstream file.
SOURCES_FILE = DATA / "sources.yml"
PROCESSED = Path(os.environ.get("DIBTRENDS_PROCESSED", DATA / "processed"))
NOTEBOOKS = ROOT / "notebooks"
#: The package's own source (the pipeline hashes the modules each page imports).
PACKAGE = Path(__file__).resolve().parent
LOCK_FILE = ROOT / "uv.lock"
BASELINES = ROOT / "tests" / "baselines"

REPORTS = ROOT / "reports"
PARAMS_FILE = REPORTS / "params.yaml"
#: Everything the chapters write besides their executed notebook: results, chart data.
GENERATED = REPORTS / "generated"
#: Per page, the content hashes of what it read when it last ran.
STAMPS = GENERATED / "stamps"
SIDEBAR = GENERATED / "_sidebar.yml"
#: The PDF's charts, drawn from their specs by the render (named by content).
CHART_IMAGES = GENERATED / "pdf-charts"
EXECUTED = REPORTS / "executed"
PROFILES_DIR = EXECUTED / "profiles"
FAILED = REPORTS / "failed"
OUTPUT = REPORTS / "_output"
OUTPUT_NEW = REPORTS / "_output.new"
ASSETS = REPORTS / "assets"
VEGA_BUNDLE = ASSETS / "vega-bundle.js"
QUARTO_CONFIG = REPORTS / "_quarto.yml"
VEGA_HEADER = REPORTS / "_vega-header.html"
#: Staging folders of the render (Quarto's working copies of the site and the PDF's pages).
BUILD = ROOT / "build"

#: Sub-folders of an output folder (``GENERATED`` in a report build, a temp folder in tests).
RESULTS_SUBDIR = "results"
TABLES_SUBDIR = "tables"


def output_dir(output_dir: str | Path | None = None) -> Path:
    """Where a notebook writes results and chart data: ``None`` means $DIBTRENDS_OUTPUT or
    ``reports/generated`` (tests point it at a temp folder)."""
    chosen = output_dir or os.environ.get("DIBTRENDS_OUTPUT") or GENERATED
    return Path(chosen).expanduser().resolve()


def processed_dir(processed_dir: str | Path | None = None) -> Path:
    return Path(processed_dir or PROCESSED)


def relative(path: Path) -> str:
    """A path as a user sees it in a message: relative to the project root where it can be."""
    try:
        return str(Path(path).resolve().relative_to(ROOT.resolve()))
    except ValueError:
        return str(path)


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write through a hidden part file and one rename, so no reader (a concurrent build, the
    render) ever sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        if isinstance(content, bytes):
            tmp.write_bytes(content)
        else:
            tmp.write_text(content)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)  # a failed write leaves no part file behind
