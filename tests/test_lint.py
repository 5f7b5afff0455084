"""Code and notebooks as committed: ruff-clean (notebooks included) and notebooks in canonical
form, so a save in JupyterLab without a content change is no diff and no re-run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from dibtrends import nbtools, paths


def test_ruff_finds_nothing_in_code_tests_and_notebooks():
    ruff = Path(sys.executable).parent / "ruff"
    if not ruff.exists():
        pytest.skip("ruff is not installed in this environment (it is in the dev group)")
    run = subprocess.run([str(ruff), "check", "src", "tests", "notebooks", "scripts"],
                         cwd=paths.ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def _committed(path: Path) -> str:
    """The notebook as git stores it (the working file may hold outputs the filter strips)."""
    if shutil.which("git") is None:
        return path.read_text()
    run = subprocess.run(["git", "show", f"HEAD:{path.relative_to(paths.ROOT)}"],
                         cwd=paths.ROOT, capture_output=True, text=True, check=False)
    return run.stdout if run.returncode == 0 else path.read_text()


@pytest.mark.parametrize("notebook", sorted(paths.NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_committed_notebooks_are_canonical(notebook):
    assert nbtools.is_canonical(_committed(notebook)), (
        f"{notebook.name} was committed with outputs or editor metadata; `make setup` installs "
        "the git filter that strips them, or run `python -m dibtrends notebooks normalise`")


def test_a_jupyterlab_save_normalises_to_the_committed_text():
    source = paths.NOTEBOOKS / "02_equipment_spending.ipynb"
    nb = nbformat.read(source, as_version=4)
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7",
                                    "codemirror_mode": {"name": "ipython", "version": 3}}
    nb.metadata["kernelspec"]["display_name"] = "Python 3"
    nb.cells[1].execution_count = 4
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="x\n")]
    nb.cells[1].metadata["collapsed"] = True
    assert nbtools.canonical_text(nbformat.writes(nb)) == source.read_text()


def test_the_git_filter_is_declared_for_notebooks():
    attributes = (paths.ROOT / ".gitattributes").read_text()
    assert "notebooks/*.ipynb filter=dibtrends-notebook" in attributes
    script = (paths.ROOT / "scripts" / "git-notebook-filter.sh").read_text()
    assert "dibtrends notebooks clean" in script
