"""`make report` end to end, in a copy of this checkout: outputs, no-op rebuild, one-notebook
rebuild, failure that keeps the last good report, and an offline look in headless Chromium.

The copy is a fresh checkout: it builds its own `.tools` and `.venv` with `make` (uv installs
from its cache or PyPI) and reads the sources from the mirror, so it also proves that nothing
installed by hand is needed. It never touches this checkout's environment.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from dibtrends import paths

from .conftest import mirror_dir

CDN = re.compile(r"https?://(cdn\.|cdnjs\.|unpkg\.com|fonts\.g|ajax\.googleapis|cdn\.jsdelivr)", re.I)
ANALYSES = sorted(p.stem for p in paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")
                  if p.stem not in {"00_executive_summary", "99_sources_and_methods"})


BUILT = {".venv", ".tools", ".git", "raw", "processed", "executed", "generated", "failed",
         "__pycache__", ".pytest_cache", "_output", "_output.new", "_output.old", "build", ".quarto"}


def _copy_checkout(src: Path, dest: Path) -> None:
    """The files a clone would have: git's list where there is a repository, else the tree
    without anything the build makes."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=src, capture_output=True)
    if listed.returncode == 0:
        for name in filter(None, listed.stdout.decode().split("\0")):
            if (src / name).is_file():
                (dest / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src / name, dest / name)
    else:
        shutil.copytree(src, dest, ignore=lambda _d, names: [n for n in names if n in BUILT])


def _make(copy: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = os.environ | {"DIBTRENDS_MIRROR": str(mirror_dir()), "DIBTRENDS_SKIP_QUARTO_INSTALL": "1"}
    for var in ("DIBTRENDS_ROOT", "DIBTRENDS_RAW", "DIBTRENDS_PROCESSED", "VIRTUAL_ENV"):
        env.pop(var, None)
    env.pop("DIBTRENDS_OUTPUT", None)
    run = subprocess.run(["make", *args], cwd=copy, capture_output=True, text=True, env=env)
    if check and run.returncode != 0:
        raise AssertionError(f"make {' '.join(args)} failed:\n{run.stdout[-3000:]}\n{run.stderr[-5000:]}")
    return run


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    if mirror_dir() is None:
        pytest.skip("no source mirror: set DIBTRENDS_MIRROR to run the pipeline test offline")
    copy = tmp_path_factory.mktemp("checkout") / "dibtrends"
    _copy_checkout(paths.ROOT, copy)
    started = time.perf_counter()
    run = _make(copy, "report")
    (copy / ".cold_seconds").write_text(f"{time.perf_counter() - started:.1f}")
    (copy / ".cold_stderr").write_text(run.stderr)
    return copy


def _executed(copy: Path) -> list[Path]:
    return sorted((copy / "reports" / "executed").rglob("*.ipynb"))


def test_report_builds_every_notebook_and_a_published_output(built):
    executed = {p.stem for p in _executed(built)}
    for name in [*ANALYSES, "00_executive_summary", "99_sources_and_methods"]:
        assert name in executed, f"{name} was not executed"
    allies = (built / "data" / "curated" / "nato_membership.csv").read_text().splitlines()[1:]
    assert len([p for p in executed if p.startswith("profile_")]) == len(allies) == 32
    out = built / "reports" / "_output"
    if shutil.which("quarto"):
        assert (out / "index.html").exists() and (out / "dibtrends-report.pdf").exists()
    else:
        assert (out / "preview" / "index.html").exists()
        assert (out / "preview" / "assets" / "vega-bundle.js").exists()
        warning = (built / ".cold_stderr").read_text()
        assert "Quarto was not found" in warning and "install Quarto" in warning


def test_every_chart_has_a_static_image_and_interactive_html(built):
    charts = 0
    for path in _executed(built):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "application/vnd.vegalite.v5+json" in data:
                    charts += 1
                    assert "image/png" in data, f"chart without static image in {path.name}"
                    assert "dibtrends-chart" in data.get("text/html", ""), path.name
    assert charts >= 40  # 3 per profile and the analyses' charts


def test_no_output_requests_a_cdn(built):
    out = built / "reports" / "_output"
    for page in out.rglob("*.html"):
        hits = CDN.findall(page.read_text(errors="replace"))
        assert not hits, f"{page} references {hits[:3]}"
    for path in _executed(built):
        assert not CDN.search(path.read_text()), f"{path.name} references a CDN"


def test_headlines_are_published_for_the_summary(built):
    headlines = built / "reports" / "generated" / "headlines"
    for name in ANALYSES:
        assert (headlines / f"{name}.csv").exists(), name


def test_noop_rebuild_does_nothing(built):
    # (`make -q` cannot tell: the per-notebook parameter files are deliberately left older than
    # the split step when unchanged, which is what keeps unchanged notebooks from re-running.)
    started = time.perf_counter()
    run = _make(built, "report")
    assert "Nothing to be done" in run.stdout, run.stdout + run.stderr
    assert "executed" not in run.stderr and "built" not in run.stderr
    assert time.perf_counter() - started < 10


def test_one_parameter_change_reexecutes_only_that_notebook(built):
    params_file = built / "reports" / "params.yaml"
    original = params_file.read_text()
    before = {p: p.stat().st_mtime_ns for p in _executed(built)}
    params = yaml.safe_load(original)
    params["05_critical_minerals"]["min_reliance_pct"] = 60
    params_file.write_text(yaml.safe_dump(params, sort_keys=False))
    try:
        _make(built, "report")
        changed = {p.stem for p, t in before.items() if p.stat().st_mtime_ns != t}
        assert changed == {"05_critical_minerals", "00_executive_summary"}
    finally:
        params_file.write_text(original)
        _make(built, "report")


def test_failed_notebook_keeps_last_good_report(built):
    params_file = built / "reports" / "params.yaml"
    original = params_file.read_text()
    out = built / "reports" / "_output"
    snapshot = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    good = built / "reports" / "executed" / "02_equipment_spending.ipynb"
    good_bytes = good.read_bytes()
    params = yaml.safe_load(original)
    params["02_equipment_spending"]["price_basis"] = "bogus"
    params_file.write_text(yaml.safe_dump(params, sort_keys=False))
    try:
        run = _make(built, "report", check=False)
        assert run.returncode != 0
        assert "02_equipment_spending" in run.stderr and "price_basis" in run.stderr
        assert "constant2015" in run.stderr  # the allowed values are named
        assert good.read_bytes() == good_bytes
        assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == snapshot
    finally:
        params_file.write_text(original)


def test_unknown_parameter_name_stops_the_run(built):
    params_file = built / "reports" / "params.yaml"
    original = params_file.read_text()
    params = yaml.safe_load(original)
    params["03_industry_consolidation"]["top_kk"] = 5
    params_file.write_text(yaml.safe_dump(params, sort_keys=False))
    try:
        run = _make(built, "report", check=False)
        assert run.returncode != 0
        assert "top_kk" in run.stderr and "03_industry_consolidation" in run.stderr
    finally:
        params_file.write_text(original)


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _published_pages(out: Path) -> list[Path]:
    if (out / "index.html").exists():
        return [out / "index.html", *sorted((out / "executed").rglob("*.html"))]
    return sorted((out / "preview").glob("*.html"))


@pytest.mark.chromium
def test_html_draws_every_chart_offline_in_headless_chromium(built):
    """Every page, network blocked: all charts draw as Vega SVG, no console error, and the
    page asks for nothing but its own files (any other request is recorded and aborted)."""
    exe = _chromium()
    if exe is None:
        pytest.skip("headless Chromium not installed (Debian package `chromium`)")
    from playwright.sync_api import sync_playwright

    pages = _published_pages(built / "reports" / "_output")
    assert pages
    drawn_total = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
        try:
            for page_path in pages:
                page = browser.new_page()
                remote, errors = [], []

                def route(r, remote=remote):
                    if r.request.url.startswith(("file:", "data:", "blob:")):
                        r.continue_()
                    else:
                        remote.append(r.request.url)
                        r.abort()

                page.route("**/*", route)
                page.on("console", lambda m, errors=errors: errors.append(m.text)
                        if m.type == "error" else None)
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.goto(page_path.as_uri())
                charts = page.evaluate("document.querySelectorAll('.dibtrends-chart').length")
                if charts:
                    page.wait_for_function(
                        "document.querySelectorAll('.dibtrends-chart svg.marks').length === "
                        "document.querySelectorAll('.dibtrends-chart').length", timeout=30000)
                drawn_total += charts
                assert not remote, f"{page_path.name} requested {remote}"
                assert not errors, f"{page_path.name}: console errors {errors}"
                page.close()
        finally:
            browser.close()
    assert drawn_total >= 40
