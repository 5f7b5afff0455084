"""`make report` end to end, in a copy of this checkout (see tests/e2e.py): what it builds, what
a second run redoes, and what a user's hands do to it (edits, saves, parameter changes,
deleted or replaced files, two runs at once, a killed run, a copied checkout).

Changes below use `make notebooks` where the render adds nothing to what is tested: the render
tests read the report as first built.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from dibtrends import chapters, nbtools

from . import e2e

#: A sentence that ends twice ("file.." or "fix.."), not "..." and not a path like "../shared".
DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?![./])")


def _params(copy: Path) -> Path:
    return copy / "reports" / "params.yaml"


def _set_param(copy: Path, notebook: str, name: str, value) -> None:
    params_file = _params(copy)
    data = yaml.safe_load(params_file.read_text())
    data[notebook] = (data.get(notebook) or {}) | {name: value}
    params_file.write_text(yaml.safe_dump(data, sort_keys=False))


def test_report_builds_every_page_and_a_published_output(built_report):
    names = {p.stem for p in e2e.executed(built_report)}
    for name in chapters.MODULES:
        if name != chapters.PROFILE:
            assert name in names, f"{name} was not executed"
    allies = (built_report / "data" / "curated" / "nato_membership.csv").read_text().splitlines()
    assert len([n for n in names if n.startswith("profile_")]) == len(allies) - 1 == 32
    out = built_report / "reports" / "_output"
    if shutil.which("quarto"):
        assert (out / "index.html").exists() and (out / "dibtrends-report.pdf").exists()
    else:
        assert (out / "preview" / "index.html").exists()
        warning = (built_report / ".cold_stderr").read_text()
        assert "Quarto was not found" in warning and "install Quarto" in warning


def test_every_chart_has_its_spec_and_interactive_html_and_no_image_drawn_in_the_run(
        built_report):
    charts = 0
    for path in e2e.executed(built_report):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "application/vnd.vegalite.v5+json" in data:
                    charts += 1
                    assert "dibtrends-chart" in data.get("text/html", ""), path.name
                    # the PDF's images are drawn by the render, not by every notebook run
                    assert not {"image/png", "image/svg+xml"} & set(data), path.name
    assert charts >= 40


def test_each_figure_cell_shows_its_chart_alone(built_report):
    """Quarto turns a figure cell with two outputs into sub-figures (a) and (b) under an empty
    caption: a figure cell shows one chart and nothing else (or nothing, in a profile whose
    Ally has no data for it; the page says why)."""
    figures = 0
    for path in e2e.executed(built_report):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code" or "#| label: fig-" not in cell.source:
                continue
            shown = [o for o in cell.outputs if o.output_type != "stream" or o.text.strip()]
            where = f"{path.name}, {cell.source.splitlines()[0]}"
            assert len(shown) <= 1, f"{where}: {len(shown)} outputs in a figure cell"
            if shown:
                assert "application/vnd.vegalite.v5+json" in shown[0].get("data", {}), where
                figures += 1
            else:
                assert path.parent.name == "profiles", f"{where}: a figure without a chart"
    assert figures >= 80


def test_every_chapter_publishes_its_results_for_the_summary(built_report):
    results_dir = built_report / "reports" / "generated" / "results"
    for name in chapters.ANALYSES:
        record = json.loads((results_dir / f"{name}.json").read_text())
        assert record["chapter"] == name and record["headlines"]


def test_noop_rebuild_does_nothing_and_fast(built_report):
    run, seconds = e2e.timed(e2e.make, built_report, "report")
    assert "executed" not in run.stderr and "built" not in run.stderr, run.stderr
    assert "rendered" not in run.stderr
    assert seconds < 5, f"no-op make report took {seconds:.1f} s"


def test_one_parameter_change_reexecutes_only_that_chapter_and_the_summary(built_report):
    before = e2e.mtimes(built_report)
    with e2e.put_back(built_report, _params(built_report)):
        _set_param(built_report, "02_equipment_spending", "base_year", 2016)
        run = e2e.make(built_report, "notebooks")
        assert e2e.changed_since(built_report, before) == {"02_equipment_spending",
                                                           "00_executive_summary"}, run.stderr
        summary = (built_report / "reports" / "executed" / "00_executive_summary.ipynb").read_text()
        assert "2016" in summary and "default: 2014" in summary


QUARTO_ONLY = pytest.mark.skipif(shutil.which("quarto") is None, reason="needs Quarto on PATH "
                                 "(.ci/run installs the shared 1.7.34)")


def _site_bytes(copy: Path) -> dict[str, bytes]:
    out = copy / "reports" / "_output"
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*.html")}


@QUARTO_ONLY
def test_one_parameter_change_renders_only_its_pages_and_the_pdf(built_report):
    """Incremental render: the changed chapter and the summary are rendered again, every other
    page of the site is left as it was, and the PDF says the new value."""
    e2e.make(built_report, "report")  # the site as the pages stand (earlier tests change them)
    before = _site_bytes(built_report)
    with e2e.put_back(built_report, _params(built_report)):
        _set_param(built_report, "05_critical_minerals", "min_reliance_pct", 75)
        e2e.make(built_report, "report")
        after = _site_bytes(built_report)
        changed = {name for name in before if after.get(name) != before[name]}
        assert changed == {"index.html", "executed/05_critical_minerals.html"}, changed
        pdf = built_report / "reports" / "_output" / "dibtrends-report.pdf"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "import-reliance threshold, % of U.S. apparent consumption: 75" in " ".join(
            text.split()), "the PDF shows the new parameter value"
    e2e.make(built_report, "report")  # back to the report as first built
    assert _site_bytes(built_report) == before


@QUARTO_ONLY
def test_a_failed_render_keeps_the_last_good_report_and_the_next_one_recovers(built_report):
    """The site renders, the PDF does not (a page Typst refuses): nothing is published, and
    once the page is mended the next render publishes both."""
    page = built_report / "reports" / "executed" / "06_revisions.ipynb"
    out = built_report / "reports" / "_output"
    e2e.make(built_report, "report")
    snapshot = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    good = page.read_bytes()
    nb = nbformat.reads(good.decode(), as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("```{=typst}\n#no-such-function()\n```"))
    page.write_text(nbformat.writes(nb))
    try:
        run = e2e.make(built_report, "report", check=False)
        assert run.returncode != 0 and "06_revisions" in run.stderr, run.stderr
        assert "no-such-function" in run.stderr, "Typst's own error reaches the user"
        assert "last good reports/_output was kept" in run.stderr
        assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == snapshot
    finally:
        page.write_bytes(good)
    e2e.make(built_report, "report")
    assert (out / "index.html").read_bytes() == snapshot[out / "index.html"]
    assert (out / "executed" / "06_revisions.html").read_bytes() == snapshot[
        out / "executed" / "06_revisions.html"]


def test_a_module_edit_reexecutes_only_the_chapters_that_import_it(built_report):
    module = built_report / "src" / "dibtrends" / "minerals.py"
    before = e2e.mtimes(built_report)
    with e2e.put_back(built_report, module):
        module.write_text(module.read_text() + "\n# an edit that changes no result\n")
        e2e.make(built_report, "notebooks")
        # the summary re-runs only if chapter 5's published results changed: they did not
        assert e2e.changed_since(built_report, before) == {"05_critical_minerals"}


def test_a_module_edit_python_cannot_read_names_the_line_and_keeps_the_report(built_report):
    module = built_report / "src" / "dibtrends" / "minerals.py"
    before = e2e.mtimes(built_report)
    with e2e.put_back(built_report, module):
        lines = module.read_text().splitlines()
        module.write_text("\n".join(lines + ["def unfinished(:"]) + "\n")
        run = e2e.make(built_report, "report", check=False)
        assert run.returncode != 0
        assert f"src/dibtrends/minerals.py, line {len(lines) + 1}" in run.stderr, run.stderr
        assert "Traceback" not in run.stderr and "Fix: correct that line" in run.stderr
        assert e2e.changed_since(built_report, before) == set()


def test_an_analysts_edit_in_the_notebook_is_what_runs(built_report):
    """The notebook is the source: a new markdown cell appears in the executed chapter."""
    notebook = built_report / "notebooks" / "05_critical_minerals.ipynb"
    with e2e.put_back(built_report, notebook):
        nb = nbformat.reads(notebook.read_text(), as_version=4)
        sentence = "An analyst's note, added in JupyterLab: 7f3c9e."
        nb.cells.insert(2, nbformat.v4.new_markdown_cell(sentence))
        notebook.write_text(nbformat.writes(nb))
        e2e.make(built_report, "notebooks")
        executed = (built_report / "reports" / "executed" / "05_critical_minerals.ipynb")
        assert sentence in executed.read_text()


def test_a_save_in_jupyterlab_without_a_change_reexecutes_nothing(built_report):
    """JupyterLab writes its kernel name, language_info, outputs and counts: not source."""
    notebook = built_report / "notebooks" / "02_equipment_spending.ipynb"
    original = notebook.read_text()
    nb = nbformat.reads(original, as_version=4)
    nb.metadata["kernelspec"]["display_name"] = "Python 3 (ipykernel)"
    nb.metadata["language_info"] = {"codemirror_mode": {"name": "ipython", "version": 3},
                                    "file_extension": ".py", "mimetype": "text/x-python",
                                    "name": "python", "nbconvert_exporter": "python",
                                    "pygments_lexer": "ipython3", "version": "3.11.7"}
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = i + 1
        cell.outputs = [nbformat.v4.new_output("stream", text="noise\n")]
        cell.metadata["execution"] = {"iopub.status.idle": "2026-12-02T10:00:00Z"}
    notebook.write_text(nbformat.writes(nb, version=4) + "\n")
    before = e2e.mtimes(built_report)
    with e2e.put_back(built_report):
        try:
            run = e2e.make(built_report, "notebooks")
            assert e2e.changed_since(built_report, before) == set(), run.stderr
            assert nbtools.canonical_text(notebook.read_text()) == original
        finally:
            notebook.write_text(original)


def test_an_invalid_parameter_stops_before_any_work_and_keeps_the_report(built_report):
    out = built_report / "reports" / "_output"
    snapshot = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    before = e2e.mtimes(built_report)
    with e2e.put_back(built_report, _params(built_report)):
        _set_param(built_report, "02_equipment_spending", "price_basis", "bogus")
        run = e2e.make(built_report, "report", check=False)
        assert run.returncode != 0
        assert "price_basis" in run.stderr and "'constant2015'" in run.stderr, run.stderr
        assert not DOUBLE_STOP.search(run.stderr), run.stderr
        assert e2e.mtimes(built_report) == before
        assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == snapshot


def test_a_failing_notebook_names_its_cell_and_keeps_every_other_page(built_report):
    """Failure isolation in the kernel pool: the failing page is named with its cell as the
    analyst sees it; its last good output, the other pages and the report stay."""
    notebook = built_report / "notebooks" / "05_critical_minerals.ipynb"
    good = (built_report / "reports" / "executed" / "05_critical_minerals.ipynb").read_bytes()
    before = e2e.mtimes(built_report)
    with e2e.put_back(built_report, notebook):
        nb = nbformat.reads(notebook.read_text(), as_version=4)
        nb.cells.insert(3, nbformat.v4.new_code_cell("raise RuntimeError('deliberate failure')"))
        notebook.write_text(nbformat.writes(nb))
        run = e2e.make(built_report, "report", check=False)
        assert run.returncode != 0
        assert "05_critical_minerals at cell 4 of" in run.stderr, run.stderr
        assert "deliberate failure" in run.stderr
        assert (built_report / "reports" / "failed" / "05_critical_minerals.ipynb").exists()
        executed = built_report / "reports" / "executed" / "05_critical_minerals.ipynb"
        assert executed.read_bytes() == good
        assert e2e.changed_since(built_report, before) == set()


def test_a_deleted_raw_file_is_fetched_again(built_report):
    raw = built_report / "data" / "raw" / "240617-def-exp-2024-TABLES-en.xlsx"
    good = raw.read_bytes()
    raw.unlink()
    run = e2e.make(built_report, "data")
    assert raw.read_bytes() == good
    assert "downloaded" in run.stderr and "nato_defexp_2024" in run.stderr


def test_a_raw_file_replaced_by_an_html_page_is_caught_and_replaced(built_report):
    raw = built_report / "data" / "raw" / "SIPRI-Milex-data-1949-2025_v1.2.xlsx"
    good = raw.read_bytes()
    raw.write_text("<!DOCTYPE html><html><body>Access denied by proxy</body></html>")
    run = e2e.make(built_report, "data")
    assert raw.read_bytes() == good
    assert "HTML page" in run.stderr and raw.name in run.stderr


def test_a_changed_raw_file_without_a_mirror_stops_with_the_file_and_the_fix(built_report,
                                                                             tmp_path):
    raw = built_report / "data" / "raw" / "SIPRI-Milex-data-1949-2025_v1.2.xlsx"
    good = raw.read_bytes()
    raw.write_bytes(good[: len(good) // 2])  # truncated in place
    empty_mirror = tmp_path / "empty-mirror"
    empty_mirror.mkdir()
    last_good = [built_report / "reports" / "_output" / "index.html",
                 built_report / "data" / "processed" / "sipri_milex_2025.parquet"]
    before = [p.stat().st_mtime_ns for p in last_good]
    try:
        run = e2e.make(built_report, "data", check=False, mirror=empty_mirror)
        assert run.returncode != 0
        assert "SIPRI-Milex-data-1949-2025_v1.2.xlsx" in run.stderr
        assert "DIBTRENDS_MIRROR" in run.stderr
        assert not DOUBLE_STOP.search(run.stderr), run.stderr
        assert [p.stat().st_mtime_ns for p in last_good] == before  # the last good report stays
    finally:
        raw.write_bytes(good)


def test_two_runs_at_once_one_waits_and_both_leave_a_consistent_report(built_report):
    with e2e.put_back(built_report, _params(built_report)):
        _set_param(built_report, "05_critical_minerals", "min_reliance_pct", 60)
        first = e2e.start_make(built_report, "notebooks")
        time.sleep(1.0)
        second = e2e.start_make(built_report, "notebooks")
        out1, err1 = first.communicate(timeout=600)
        out2, err2 = second.communicate(timeout=600)
        assert first.returncode == 0 and second.returncode == 0, err1 + err2
        assert "waiting" in err1 + err2
        assert (err1 + err2).count("executed   05_critical_minerals") == 1
        for path in e2e.executed(built_report):
            nbformat.read(path, as_version=4)  # every page is whole


def test_a_run_killed_mid_execution_leaves_the_last_good_pages_and_the_next_run_completes(
        built_report):
    good = {p: p.read_bytes() for p in e2e.executed(built_report)}
    # The page's list of written CSVs starts afresh in its first cells: it is running.
    manifest = (built_report / "reports" / "generated" / "tables" / ".pages" /
                "04_guidelines_and_pledge.json")
    before = manifest.stat().st_mtime_ns
    with e2e.put_back(built_report, _params(built_report)):
        _set_param(built_report, "04_guidelines_and_pledge", "trend_window_start", 2015)
        proc = e2e.start_make(built_report, "notebooks")
        deadline = time.time() + 120
        while time.time() < deadline and manifest.stat().st_mtime_ns == before:
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGKILL)
        assert manifest.stat().st_mtime_ns != before, "the page never started"
        proc.wait(timeout=30)
        for path, content in good.items():
            assert path.read_bytes() == content, f"{path.name} changed by a killed run"
        e2e.make(built_report, "notebooks")
        executed = built_report / "reports" / "executed" / "04_guidelines_and_pledge.ipynb"
        assert executed.read_bytes() != good[executed]


def test_a_copied_checkout_runs_its_own_code(built_report, tmp_path):
    copy = tmp_path / "copied"
    # cp -a, less the published site (not read here; copying it is most of the bytes)
    shutil.copytree(built_report, copy, symlinks=True,
                    ignore=shutil.ignore_patterns("_output", "_output.*"))
    marker = "Copied-checkout marker 4d2a."
    module = copy / "src" / "dibtrends" / "chapters" / "minerals.py"
    text = module.read_text()
    assert 'def run(' in text
    module.write_text(text.replace('def run(', f'COPY_MARKER = "{marker}"\n\n\ndef run(', 1))
    notebook = copy / "notebooks" / "05_critical_minerals.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("print(chapter.COPY_MARKER)"))
    nbformat.write(nb, notebook)
    e2e.make(copy, "notebooks")
    assert marker in (copy / "reports" / "executed" / "05_critical_minerals.ipynb").read_text()
    assert "COPY_MARKER" not in (built_report / "src" / "dibtrends" / "chapters" /
                                 "minerals.py").read_text()


def test_an_environment_built_for_another_checkout_is_rebuilt(built_report, tmp_path):
    """`cp -a` carries `.venv` along; its scripts and editable install point at the original.
    Make sees whose it is (a dry run: rebuilding a real environment is what `make` then does)."""
    venv = built_report / ".venv"
    venv.mkdir(exist_ok=True)
    (venv / ".checkout").write_text("/somewhere/else/dibtrends\n")
    (venv / ".synced").touch()
    try:
        env = e2e.environ(None)
        run = subprocess.run(["make", "-n", "setup"], cwd=built_report, capture_output=True,
                             text=True, env=env, check=False)
        assert "was built for /somewhere/else/dibtrends" in run.stdout
        assert "rm -rf .venv" in run.stdout and "uv sync" in run.stdout
        (venv / ".checkout").write_text(f"{built_report}\n")
        run = subprocess.run(["make", "-n", "setup"], cwd=built_report, capture_output=True,
                             text=True, env=env, check=False)
        assert "uv sync" not in run.stdout
    finally:
        shutil.rmtree(venv)


@pytest.mark.parametrize("target", ["help"])
def test_make_help_lists_the_targets(built_report, target):
    run = e2e.make(built_report, target)
    for name in ("report", "test", "data", "profile", "notebooks", "lint", "bench"):
        assert name in run.stdout


def test_the_executed_summary_words_each_claim_as_the_corrected_statistics_say(built_report):
    """Issue 12 reaches the reader: the summary's words come from the chapters' corrected
    statistics (sensitivity, intervals for counts, groupings), read from the executed page."""
    nb = nbformat.read(built_report / "reports" / "executed" / "00_executive_summary.ipynb",
                       as_version=4)
    text = " ".join("".join(o.get("data", {}).get("text/markdown", ""))
                    for c in nb.cells for o in c.get("outputs", [])).replace("\u00a0", " ")
    for phrase in (  # the words, whatever their typography (prose.typeset)
        "depends on the error model",             # break p-values under three error models
        # issue 22: the claims in short (verdict and condition), the method in the chapters
        "(not 80 %)",                             # the 'progressive' threshold's sensitivity
        "the turn significant under 2 of 3 error models",
        "Iceland at 0 %",
        "NATO Europe and Canada: both price bases",  # the claim by grouping
        "twice to rounding",
        "95 % interval for the count",            # an interval for the count, not 31 of them
        "A trend line is not a forecast",
        "was already at 3.5 % or more",           # Poland: already above
        "break in NATO's GDP series for Luxembourg",
        "7 of the top 10 in 2024",                # checked on the December 2025 edition
        "17 in the April 2025 release, 13 in the April 2026 release",  # revisions
    ):
        assert phrase in text, phrase


def test_every_chapter_notebook_builds_with_non_default_parameters(built_report):
    """Through the real notebooks, in one run: one non-default value for a parameter of every
    chapter (the first example its Params declares), and the summary's parameter table says
    each. The module-level sweep (test_chapters) tries every parameter's examples."""
    from dibtrends import params as params_mod

    chosen = {}
    for name in chapters.ANALYSES:
        for pname, spec in chapters.module(name).Params.specs().items():
            if spec.metadata["examples"] and not spec.metadata["shared"]:
                chosen[name] = (pname, spec.metadata["examples"][0], spec)
                break
    with e2e.put_back(built_report, _params(built_report)):
        for name, (pname, value, _) in chosen.items():
            _set_param(built_report, name, pname,
                       list(value) if isinstance(value, tuple) else value)
        run = e2e.make(built_report, "notebooks")
        for name in [*chosen, "00_executive_summary"]:
            assert f"executed   {name}" in run.stderr, name
        nb = nbformat.read(built_report / "reports" / "executed" / "00_executive_summary.ipynb",
                           as_version=4)
        text = " ".join("".join(o.get("data", {}).get("text/markdown", ""))
                        for c in nb.cells for o in c.get("outputs", []))
        for name, (pname, value, spec) in chosen.items():
            shown = params_mod.word(value, spec.metadata["none_means"],
                                    spec.metadata["value_words"])
            assert f"**{report_escape(shown)}**" in text, (name, pname, shown)


def report_escape(text: str) -> str:
    from dibtrends.report import escape_markdown

    return escape_markdown(text)


def test_no_page_shows_a_bare_python_value(built_report):
    """A notebook's last expression is shown to readers: no page may end in a path or a
    repr (every output is prose, a table or a chart)."""
    for path in e2e.executed(built_report):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                assert output.get("output_type") != "execute_result", (path.name, output)
                text = output.get("data", {}).get("text/plain", "")
                assert "PosixPath" not in "".join(text), path.name
