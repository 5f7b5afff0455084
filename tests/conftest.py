"""Shared test set-up: the real source files, fetched once per session from the mirror.

Tests read the publishers' files through the project's own fetch code. In CI the mirror is
``../shared/data/mirror`` (DIBTRENDS_MIRROR); with neither a mirror nor files in data/raw the
data tests are skipped with that reason shown.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
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
    from dibtrends.load.curated import load_nato_membership

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


class BackgroundBuild:
    """The cold `make report` the pipeline and render tests share, started in the background
    as soon as collection knows they will run, so the unit tests run while it builds (most
    of it is Quarto, which keeps one core busy). The tests that use it run last."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.folder: Path | None = None
        self.copy: Path | None = None
        self.started = 0.0

    def start(self) -> None:
        from . import e2e

        self.folder = Path(tempfile.mkdtemp(prefix="dibtrends-e2e-"))
        self.copy = e2e.copy_checkout(paths.ROOT, self.folder / "dibtrends")
        self.started = time.perf_counter()
        self.proc = e2e.start_make(self.copy, "report", stdout=self.folder / "make.out",
                                   stderr=self.folder / "make.err")

    def result(self) -> Path:
        """The built copy, once the build has finished; a failed build fails the tests."""
        assert self.proc is not None and self.copy is not None and self.folder is not None
        code = self.proc.wait(timeout=1800)
        seconds = time.perf_counter() - self.started
        out = (self.folder / "make.out").read_text()
        err = (self.folder / "make.err").read_text()
        if code != 0:
            raise AssertionError(f"make report failed (exit {code}):\n{out[-3000:]}\n"
                                 f"{err[-6000:]}")
        (self.copy / ".cold_seconds").write_text(f"{seconds:.1f}")
        (self.copy / ".cold_stderr").write_text(err)
        return self.copy

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


BUILD = BackgroundBuild()


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected
def pytest_collection_modifyitems(session, config, items):
    shared = [item for item in items if "built_report" in getattr(item, "fixturenames", ())]
    if not shared or mirror_dir() is None:
        return
    items[:] = [item for item in items if item not in shared] + shared
    if not config.option.collectonly:
        BUILD.start()


def pytest_sessionfinish(session, exitstatus):
    BUILD.stop()


@pytest.fixture(scope="session")
def built_report():
    """A copy of this checkout after a cold `make report` (one per session: the render tests
    read it, the pipeline tests change it and put it back)."""
    if mirror_dir() is None:
        pytest.skip("no source mirror: set DIBTRENDS_MIRROR to run the pipeline tests offline")
    if BUILD.proc is None:  # collected some other way: build now
        BUILD.start()
    return BUILD.result()
