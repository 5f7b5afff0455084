"""``make data``: turn raw publisher files and curated tables into validated Parquet.

Each loader module declares ``TABLES = {name: loader}``; this module collects them. Every raw
file is checked against its registered sha256 before a loader opens it, and writes are atomic.
A manifest (``data/processed/.manifest.json``) records the content hash of every input (raw
files, curated tables, loader code) and every output, so :func:`up_to_date` decides in
milliseconds, without importing a loader, whether anything must be rebuilt: a deleted or
changed file on either side is caught, an unchanged mtime is not trusted.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import pkgutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import polars as pl

from . import paths, workers

LOADER_PACKAGES = ("dibtrends.load",)
#: Package files whose code decides the processed tables.
LOADER_CODE = ("load/*.py", "build.py", "countries.py", "validate.py", "membership.py",
               "sources.py", "errors.py", "paths.py")
EXTRA_MODULES = ("dibtrends.membership",)
#: The slow imports of every loader, paid once by the server the data build's workers fork
#: from. Libraries only: the project's modules build frames at import (see workers.pool).
LOADER_LIBRARIES = ("polars", "pandera.polars", "openpyxl", "fastexcel")


def table_loaders() -> dict[str, Callable[[], pl.DataFrame]]:
    """Every processed table the project builds, by name."""
    found: dict[str, Callable[[], pl.DataFrame]] = {}
    modules = []
    for pkg_name in LOADER_PACKAGES:
        pkg = importlib.import_module(pkg_name)
        for info in pkgutil.iter_modules(pkg.__path__):
            modules.append(importlib.import_module(f"{pkg_name}.{info.name}"))
    for name in EXTRA_MODULES:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError:
            continue
    for module in modules:
        for table, loader in getattr(module, "TABLES", {}).items():
            if table in found:
                raise RuntimeError(f"processed table {table!r} declared twice ({module.__name__})")
            found[table] = loader
    return dict(sorted(found.items()))


def write_parquet_atomic(df: pl.DataFrame, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        df.write_parquet(tmp)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_path(out_dir: Path | None = None) -> Path:
    return Path(out_dir or paths.PROCESSED) / ".manifest.json"


def input_state(raw_dir: Path | None = None) -> dict[str, str]:
    """Content hash of every input of the processed tables (relative path -> sha256)."""
    from .sources import SOURCES

    raw_dir = Path(raw_dir or paths.RAW)
    package = paths.PACKAGE
    files = [raw_dir / s.filename for s in SOURCES]
    files += sorted(paths.CURATED.glob("*.csv"))
    files += sorted(f for pattern in LOADER_CODE for f in package.glob(pattern))
    return {paths.relative(f): _sha(f) if f.exists() else "missing" for f in files}


def up_to_date(out_dir: Path | None = None, raw_dir: Path | None = None) -> bool:
    """True when the manifest's inputs are today's inputs and its outputs are on disk, intact."""
    out_dir = Path(out_dir or paths.PROCESSED)
    try:
        manifest = json.loads(manifest_path(out_dir).read_text())
    except (OSError, ValueError):
        return False
    if manifest.get("inputs") != input_state(raw_dir):
        return False
    return all((out_dir / name).exists() and _sha(out_dir / name) == sha
               for name, sha in manifest.get("outputs", {}).items())


def write_manifest(out_dir: Path | None = None, raw_dir: Path | None = None) -> None:
    out_dir = Path(out_dir or paths.PROCESSED)
    outputs = {p.name: _sha(p) for p in sorted(out_dir.glob("*.parquet"))}
    target = manifest_path(out_dir)
    tmp = target.with_name(f".{target.name}.part")
    tmp.write_text(json.dumps({"inputs": input_state(raw_dir), "outputs": outputs}, indent=1))
    os.replace(tmp, target)


def build(names: list[str] | None = None, out_dir: Path | None = None,
          stream=sys.stderr) -> list[Path]:
    """Build the named tables (all by default) into ``out_dir``; returns the files written.
    Every registered raw file is verified first: nothing is built from a file that changed."""
    from .fetch import verify
    from .sources import SOURCES

    with workers.pool(LOADER_LIBRARIES) as pool:
        # The loaders are imported by the workers only (a second each), while this verifies.
        known = pool.submit(_table_names) if pool is not None else None
        for source in SOURCES:
            verify(source)
        out_dir = Path(out_dir or paths.PROCESSED)
        loaders = known.result() if known is not None else _table_names()
        unknown = set(names or []) - set(loaders)
        if unknown:
            raise KeyError(f"unknown table(s) {sorted(unknown)}; known: {sorted(loaders)}")
        wanted = [name for name in loaders if not names or name in names]
        written = []
        for name, shape in _load_all(wanted, out_dir, pool):
            target = out_dir / f"{name}.parquet"
            stream.write(f"  built      {name}: {shape[0]:,} rows x {shape[1]} columns -> "
                         f"{target}\n")
            written.append(target)
    if not names:
        write_manifest(out_dir)
    return written


#: The slow loaders first (parsing the publishers' workbooks), so the workers finish together.
SLOW_FIRST = ("sipri_milex_2024", "sipri_milex_2025", "sipri_top100", "nato_defexp")


def _table_names() -> list[str]:
    return list(table_loaders())


def _load_one(name: str, out_dir: Path) -> tuple[str, tuple[int, int]]:
    df = table_loaders()[name]()
    write_parquet_atomic(df, out_dir / f"{name}.parquet")
    return name, df.shape


def _load_all(names: list[str], out_dir: Path, pool) -> list[tuple[str, tuple[int, int]]]:
    """Each table loaded and written (the loaders are independent, and parsing the workbooks
    is most of ``make data``); returned in the order asked, the first error raised whole."""
    if pool is None:
        return [_load_one(name, out_dir) for name in names]
    order = sorted(names, key=lambda n: next((i for i, s in enumerate(SLOW_FIRST)
                                              if n.startswith(s)), len(SLOW_FIRST)))
    futures = {name: pool.submit(_load_one, name, out_dir) for name in order}
    return [futures[name].result() for name in names]


def ensure(stamp: Path | None = None, stream=sys.stderr) -> bool:
    """``make data``: every raw file present and verified (fetched again if not), then the
    processed tables rebuilt if any input or output differs from the manifest. Touches
    ``stamp`` only when something was rebuilt (so Make re-runs only what depends on data)."""
    from .fetch import fetch_all

    fetch_all(stream=stream, report_present=False)
    if up_to_date() and (stamp is None or stamp.exists()):
        return False
    if not up_to_date():
        build(stream=stream)
    if stamp is not None:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    return True
