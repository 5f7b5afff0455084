"""Where things live. One place, so notebooks, Make and tests agree."""

from __future__ import annotations

import os
from pathlib import Path

#: Project root: the folder holding ``pyproject.toml``. Overridable for tests.
ROOT = Path(os.environ.get("DIBTRENDS_ROOT", Path(__file__).resolve().parents[2]))
DATA = ROOT / "data"
RAW = Path(os.environ.get("DIBTRENDS_RAW", DATA / "raw"))
CURATED = DATA / "curated"
PROCESSED = Path(os.environ.get("DIBTRENDS_PROCESSED", DATA / "processed"))
REPORTS = ROOT / "reports"
NOTEBOOKS = ROOT / "notebooks"
