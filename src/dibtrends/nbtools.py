"""Notebooks as source files: one canonical form, so a save in JupyterLab without a content
change is no change for git or for Make.

JupyterLab writes outputs, execution counts, its kernel's display name, the full
``language_info`` of the running Python and per-cell UI state. None of that is source.
:func:`normalise` removes it; the same function serves

* git, as a clean filter (``make setup`` installs it: ``.gitattributes`` names it), so what is
  committed is always the canonical form, while the analyst's file keeps its outputs;
* the build, which executes the canonical copy (``python -m dibtrends notebooks sync`` writes it
  only when its content changed), so a no-change save re-executes nothing;
* the tests, which fail when a committed notebook is not canonical.

``bless`` records a chapter's headline numbers as the regression baseline after a deliberate
change (``tests/baselines/<chapter>.json``); the diff then shows exactly which numbers moved.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat

from . import paths

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python"}
#: Cell metadata that is UI state, not source (tags and Quarto/Papermill options stay).
VOLATILE_CELL_META = ("execution", "papermill", "collapsed", "scrolled", "ExecuteTime",
                      "jupyter", "editable", "deletable", "trusted")
CANONICAL = paths.CANONICAL_NOTEBOOKS
BASELINES = paths.BASELINES


def normalise(nb):
    """``nb`` in canonical form, in place: no outputs, counts or UI state; fixed kernel."""
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": dict(LANGUAGE_INFO)}
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


def write_if_changed(path: Path, text: str) -> bool:
    """Write atomically, and only when the content differs: Make then sees the old mtime."""
    if path.exists() and path.read_text() == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_text(text)
    os.replace(tmp, path)
    return True


def sync(sources: list[Path] | None = None, dest: Path = CANONICAL) -> list[str]:
    """Canonical copies of the notebooks for the build; returns the names whose content
    changed. A notebook that is not valid JSON stops with its name and the fix."""
    changed = []
    for src in sources or sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        try:
            text = canonical_text(src.read_text())
        except (ValueError, nbformat.ValidationError) as exc:
            from .errors import DibtrendsError

            raise DibtrendsError(
                f"notebook {paths.relative(src)} cannot be read ({exc}). Fix: open it in "
                "JupyterLab and save it again, or restore it with "
                f"`git checkout {paths.relative(src)}`."
            ) from None
        if write_if_changed(dest / src.name, text):
            changed.append(src.stem)
    for stale in dest.glob("*.ipynb"):
        if sources is None and not (paths.NOTEBOOKS / stale.name).exists():
            stale.unlink()
    return changed


# ---------------------------------------------------------------- baselines
def baseline_path(chapter: str) -> Path:
    return BASELINES / f"{chapter}.json"


def bless(chapters: list[str], output_dir: Path | None = None) -> list[Path]:
    """Store the headline numbers of the last run as the regression baseline."""
    from . import results

    written = []
    for chapter in chapters:
        record = results.read(chapter, output_dir)
        target = baseline_path(chapter)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(results.baseline(record), indent=1, ensure_ascii=False) + "\n")
        written.append(target)
    return written


if __name__ == "__main__":  # the git filter as older checkouts call it
    import sys

    from .cli import main

    sys.exit(main(["notebooks", *sys.argv[1:]]))
