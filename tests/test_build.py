"""``make data`` loads the tables in worker processes: what a worker raises must reach the user
whole (file, column, fix), and the tables come back as if loaded one by one."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys

import polars as pl
import pytest

from dibtrends import build, paths, workers
from dibtrends.errors import DataError, FetchError


def test_an_error_crosses_processes_with_its_file_column_and_fix():
    error = DataError("data/curated/x.csv", "a column is missing", column="year",
                      row=3, fix="add it back")
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is DataError and str(back) == str(error)
    assert (back.file, back.column, back.row, back.fix) == ("data/curated/x.csv", "year", 3,
                                                            "add it back")
    plain = pickle.loads(pickle.dumps(FetchError("no mirror")))
    assert type(plain) is FetchError and str(plain) == "no mirror"


def test_tables_built_by_the_workers_equal_a_load_in_this_process(tmp_path, processed):
    names = ["merger_timeline", "nato_membership", "sipri_top100_totals"]  # registry order
    written = build.build(names, out_dir=tmp_path)
    assert [p.name for p in written] == [f"{n}.parquet" for n in names]
    for name in names:
        assert pl.read_parquet(tmp_path / f"{name}.parquet").equals(
            build.table_loaders()[name]())
    assert not (tmp_path / ".manifest.json").exists()  # a partial build records no manifest


def test_a_malformed_curated_table_stops_make_data_naming_file_and_column(tmp_path, processed):
    root = tmp_path / "checkout"
    shutil.copytree(paths.CURATED, root / "data" / "curated")
    shutil.copy2(paths.SOURCES_FILE, root / "data" / paths.SOURCES_FILE.name)
    broken = root / "data" / "curated" / "merger_timeline.csv"
    frame = pl.read_csv(broken, infer_schema=False)
    frame.drop("event_type").write_csv(broken)
    env = dict(os.environ, DIBTRENDS_ROOT=str(root), DIBTRENDS_RAW=str(paths.RAW),
               DIBTRENDS_PROCESSED=str(tmp_path / "processed"),
               PYTHONPATH=str(paths.PACKAGE.parent))
    run = subprocess.run([sys.executable, "-m", "dibtrends", "data"], env=env, cwd=root,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert "merger_timeline.csv" in run.stderr and "event_type" in run.stderr
    assert "Fix:" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "processed" / ".manifest.json").exists()


@pytest.mark.parametrize("name", ["no_such_table"])
def test_an_unknown_table_is_named(name, tmp_path):
    with pytest.raises(KeyError, match=name):
        build.build([name], out_dir=tmp_path)


def test_on_one_core_the_tables_load_in_this_process_and_equal(tmp_path, processed,
                                                              monkeypatch):
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 1)
    with workers.pool(build.LOADER_LIBRARIES) as pool:
        assert pool is None
    build.build(["nato_membership"], out_dir=tmp_path)
    assert pl.read_parquet(tmp_path / "nato_membership.parquet").equals(
        pl.read_parquet(processed / "nato_membership.parquet"))
