"""``make data``: turn raw publisher files and curated tables into validated Parquet.

Each loader module declares ``TABLES = {name: loader}``; this module collects them. Writes are
atomic and skipped when the output is newer than every input, so a re-run with nothing changed
does nothing (Make also tracks this; the check here protects direct CLI use).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import polars as pl

from . import paths

LOADER_PACKAGES = ("dibtrends.load",)
EXTRA_MODULES = ("dibtrends.membership",)


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


def build(names: list[str] | None = None, out_dir: Path | None = None, stream=sys.stderr) -> list[Path]:
    """Build the named tables (all by default) into ``out_dir``; returns the files written."""
    out_dir = Path(out_dir or paths.PROCESSED)
    loaders = table_loaders()
    unknown = set(names or []) - set(loaders)
    if unknown:
        raise KeyError(f"unknown table(s) {sorted(unknown)}; known: {sorted(loaders)}")
    written = []
    for name, loader in loaders.items():
        if names and name not in names:
            continue
        df = loader()
        target = out_dir / f"{name}.parquet"
        write_parquet_atomic(df, target)
        stream.write(f"  built      {name}: {df.height:,} rows x {df.width} columns -> {target}\n")
        written.append(target)
    return written
