"""Read processed tables: what analyses and notebooks use instead of raw workbooks."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import polars as pl

from . import paths
from .errors import DataError


#: Names of the tables read in this process: tests check each chapter reads only the tables
#: it declares in ``READS`` (what the pipeline hashes to decide whether to re-run it).
READ_LOG: set[str] = set()


@lru_cache(maxsize=64)
def _read(path: Path, mtime: float) -> pl.DataFrame:
    return pl.read_parquet(path)


def table(name: str, processed_dir: Path | None = None) -> pl.DataFrame:
    """The processed table ``name`` (cached per file version, so 32 profile runs parse once)."""
    READ_LOG.add(name)
    path = Path(processed_dir or paths.PROCESSED) / f"{name}.parquet"
    if not path.exists():
        raise DataError(path, f"processed table {name!r} is missing",
                        fix="run `make data` to fetch the sources and rebuild processed tables.")
    return _read(path, path.stat().st_mtime)
