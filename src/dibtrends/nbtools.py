"""Notebooks as source files: one canonical form, so a save in JupyterLab without a content
change is no change for git or for the build.

JupyterLab writes outputs, execution counts, its kernel's display name, the full
``language_info`` of the running Python and per-cell UI state. None of that is source.
:func:`normalise` removes it; the same function serves git, as a clean filter (``make setup``
installs it), the build, which hashes and executes the canonical form (so a no-change save
re-executes nothing), and the tests, which fail when a committed notebook is not canonical.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from . import paths
from .errors import DibtrendsError

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
#: Cell metadata that is UI state, not source (tags and Quarto/Papermill options stay).
VOLATILE_CELL_META = ("execution", "papermill", "collapsed", "scrolled", "ExecuteTime",
                      "jupyter", "editable", "deletable", "trusted")


def normalise(nb):
    """``nb`` in canonical form, in place: no outputs, counts or UI state; fixed kernel."""
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    for cell in nb.cells:
        for key in VOLATILE_CELL_META:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def canonical_text(text: str) -> str:
    """The canonical file content of a notebook given as text (the git clean filter)."""
    nb = nbformat.reads(text, as_version=4)
    return nbformat.writes(normalise(nb)) + "\n"


def is_canonical(text: str) -> bool:
    return canonical_text(text) == text


def canonical(path: Path):
    """The notebook at ``path`` in canonical form, as the build hashes and executes it; one that
    is not valid JSON stops with its name and the fix."""
    try:
        return nbformat.reads(canonical_text(path.read_text()), as_version=4)
    except (ValueError, nbformat.ValidationError) as exc:
        raise DibtrendsError(
            f"notebook {paths.relative(path)} cannot be read ({exc}). Fix: open it in JupyterLab "
            f"and save it again, or restore it with `git checkout {paths.relative(path)}`."
        ) from None


def baseline_path(chapter: str) -> Path:
    return paths.BASELINES / f"{chapter}.json"


def bless(chapters: list[str], output_dir: Path | None = None) -> list[Path]:
    """Store the headline numbers of the last run as the regression baseline
    (``tests/baselines/<chapter>.json``): the diff shows exactly which numbers moved."""
    from . import results

    written = []
    for chapter in chapters:
        target = baseline_path(chapter)
        target.parent.mkdir(parents=True, exist_ok=True)
        baseline = results.baseline(results.read(chapter, output_dir))
        target.write_text(json.dumps(baseline, indent=1, ensure_ascii=False) + "\n")
        written.append(target)
    return written
