"""Shared test set-up: the real source files, fetched once per session from the mirror.

Tests read the publishers' files through the project's own fetch code. In CI the mirror is
``../shared/data/mirror`` (DIBTRENDS_MIRROR); with neither a mirror nor files in data/raw the
data tests are skipped with that reason shown.
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from dibtrends import fetch, paths

SHARED_MIRROR = paths.ROOT.parent / "shared" / "data" / "mirror"


def mirror_dir() -> Path | None:
    env = os.environ.get("DIBTRENDS_MIRROR")
    if env and "://" not in env:
        return Path(env)
    return SHARED_MIRROR if SHARED_MIRROR.is_dir() else None


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """data/raw with every registered source present and verified."""
    mirror = mirror_dir()
    try:
        fetch.fetch_all(mirror=str(mirror) if mirror else None)
    except Exception as exc:  # noqa: BLE001 - turned into a visible skip reason
        pytest.skip(f"source files unavailable (set DIBTRENDS_MIRROR to a mirror folder): {exc}")
    return paths.RAW


@pytest.fixture(scope="session")
def nato(raw_dir) -> pl.DataFrame:
    """NATO's June 2024 tables, loaded and validated once for every test module."""
    from dibtrends.load.nato import load_nato_defexp
    from dibtrends.sources import get

    return load_nato_defexp(raw_dir / get("nato_defexp_2024").filename)


@pytest.fixture(scope="session")
def membership() -> pl.DataFrame:
    """The curated accession table (32 Allies), validated."""
    from dibtrends.membership import load_nato_membership

    return load_nato_membership()


@pytest.fixture(scope="session")
def processed(raw_dir) -> Path:
    """data/processed with every table built (``make test`` builds them; this covers a direct
    ``pytest`` run on a fresh checkout)."""
    from dibtrends import build

    missing = [n for n in build.table_loaders()
               if not (paths.PROCESSED / f"{n}.parquet").exists()]
    if missing:
        build.build(missing)
    return paths.PROCESSED


@pytest.fixture(scope="session")
def built_report(tmp_path_factory):
    """A copy of this checkout after a cold `make report` (one per session: the render tests
    read it, the pipeline tests change it and put it back)."""
    from . import e2e

    if mirror_dir() is None:
        pytest.skip("no source mirror: set DIBTRENDS_MIRROR to run the pipeline tests offline")
    copy = e2e.copy_checkout(paths.ROOT, tmp_path_factory.mktemp("checkout") / "dibtrends")
    run, seconds = e2e.timed(e2e.make, copy, "report")
    (copy / ".cold_seconds").write_text(f"{seconds:.1f}")
    (copy / ".cold_stderr").write_text(run.stderr)
    return copy
