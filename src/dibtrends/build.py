"""``make data``: raw publisher files and curated tables -> validated Parquet.

Each loader module declares ``TABLES = {name: loader}``. Every raw file is checked against its
registered sha256 before a loader opens it; writes are atomic. A manifest
(``data/processed/.manifest.json``) records the content hash of every input (raw files, curated
tables, loader code) and output, so :func:`up_to_date` decides in milliseconds, without importing
a loader, whether anything must be rebuilt (an unchanged mtime is not trusted).
"""

from __future__ import annotations

import importlib
import io
import json
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl

from . import paths, workers
from .fetch import fetch_all, sha256_of, verify
from .sources import SOURCES

#: Package files whose code decides the processed tables.
LOADER_CODE = ("load/*.py", "build.py", "countries.py", "validate.py", "membership.py",
               "sources.py", "errors.py", "paths.py")
#: The slow imports of every loader, paid once by the server the data build's workers fork
#: from. Libraries only: the project's modules build frames at import (see workers.pool).
LOADER_LIBRARIES = ("polars", "pandera.polars", "openpyxl")
#: The slow loaders first (parsing the publishers' workbooks), so the workers finish together.
SLOW_FIRST = ("sipri_milex_2024", "sipri_milex_2025", "sipri_top100", "nato_defexp")
MANIFEST = ".manifest.json"


def _modules() -> list:
    from . import load

    return [importlib.import_module(f"dibtrends.load.{m.name}")
            for m in pkgutil.iter_modules(load.__path__)]


def table_loaders() -> dict[str, Callable[[], pl.DataFrame]]:
    """Every processed table the project builds, by name."""
    found: dict[str, Callable[[], pl.DataFrame]] = {}
    for module in _modules():
        for table, loader in getattr(module, "TABLES", {}).items():
            if table in found:
                raise RuntimeError(f"processed table {table!r} declared twice ({module.__name__})")
            found[table] = loader
    return dict(sorted(found.items()))


def cross_checks(out_dir: Path, built: list[str]) -> None:
    """The checks across tables (a module's ``CHECKS``: tables -> check) whose tables were all
    built, on the written tables: a DataError stops the build before its manifest."""
    for module in _modules():
        for tables, check in getattr(module, "CHECKS", {}).items():
            if set(tables) <= set(built):
                check(*(pl.read_parquet(out_dir / f"{t}.parquet") for t in tables))


def input_state() -> dict[str, str]:
    """Content hash of every input of the processed tables (relative path -> sha256)."""
    files = [paths.RAW / s.filename for s in SOURCES]
    files += [paths.SOURCES_FILE, *sorted(paths.CURATED.glob("*.csv"))]
    files += sorted(f for pattern in LOADER_CODE for f in paths.PACKAGE.glob(pattern))
    return {paths.relative(f): sha256_of(f) if f.exists() else "missing" for f in files}


def up_to_date(out_dir: Path | None = None) -> bool:
    """True when the manifest's inputs are today's inputs and its outputs are on disk, intact."""
    out_dir = Path(out_dir or paths.PROCESSED)
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    return manifest.get("inputs") == input_state() and all(
        (out_dir / name).exists() and sha256_of(out_dir / name) == sha
        for name, sha in manifest.get("outputs", {}).items())


def write_manifest(out_dir: Path | None = None) -> None:
    out_dir = Path(out_dir or paths.PROCESSED)
    outputs = {p.name: sha256_of(p) for p in sorted(out_dir.glob("*.parquet"))}
    paths.write_atomic(out_dir / MANIFEST,
                       json.dumps({"inputs": input_state(), "outputs": outputs}, indent=1))


def build(names: list[str] | None = None, out_dir: Path | None = None,
          stream=sys.stderr) -> list[Path]:
    """Build the named tables (all by default) into ``out_dir``; returns the files written.
    Every registered raw file is verified first: nothing is built from a file that changed."""
    out_dir = Path(out_dir or paths.PROCESSED)
    with workers.pool(LOADER_LIBRARIES) as pool:
        # The loaders are imported by the workers only (a second each), while this verifies.
        known = pool.submit(_table_names) if pool is not None else None
        for source in SOURCES:
            verify(source)
        loaders = known.result() if known is not None else _table_names()
        if unknown := set(names or []) - set(loaders):
            raise KeyError(f"unknown table(s) {sorted(unknown)}; known: {sorted(loaders)}")
        wanted = [name for name in loaders if not names or name in names]
        # Independent loaders, in worker processes where there are any (parsing the workbooks
        # is most of `make data`); reported in the order asked, the first error raised whole.
        submit = pool.submit if pool is not None else workers.Done
        futures = {n: submit(_load_one, n, out_dir) for n in sorted(wanted, key=_slow_first)}
        written = []
        for name in wanted:
            rows, cols = futures[name].result()
            target = out_dir / f"{name}.parquet"
            stream.write(f"  built      {name}: {rows:,} rows x {cols} columns -> {target}\n")
            written.append(target)
        submit(cross_checks, out_dir, wanted).result()
    if not names:
        write_manifest(out_dir)
    return written


def _slow_first(name: str) -> int:
    return next((i for i, s in enumerate(SLOW_FIRST) if name.startswith(s)), len(SLOW_FIRST))


def _table_names() -> list[str]:
    return list(table_loaders())


def _load_one(name: str, out_dir: Path) -> tuple[int, int]:
    """Load ``name`` and write it atomically (a failed load leaves the last good table)."""
    df = table_loaders()[name]()
    parquet = io.BytesIO()
    df.write_parquet(parquet)
    paths.write_atomic(out_dir / f"{name}.parquet", parquet.getvalue())
    return df.shape


def ensure(stamp: Path | None = None, stream=sys.stderr) -> bool:
    """``make data``: every raw file present and verified (fetched again if not), then the
    processed tables rebuilt if any input or output differs from the manifest. Touches
    ``stamp`` only when something was rebuilt (so Make re-runs only what depends on data)."""
    fetch_all(stream=stream, report_present=False)
    if not up_to_date():
        build(stream=stream)
    elif stamp is None or stamp.exists():
        return False
    if stamp is not None:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    return True
