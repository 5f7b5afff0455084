"""Keep committed notebooks clean: outputs stripped except the headline regression baseline.

``strip``: remove every output, execution count and volatile metadata, except the output of
cells marked ``# NBVAL_CHECK_OUTPUT`` (what ``pytest --nbval-lax`` compares against).
``bless``: execute a notebook and store its fresh headline output as the new baseline, after a
deliberate change; the diff then shows exactly which headline numbers moved.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import nbformat

MARK = "# NBVAL_CHECK_OUTPUT"
VOLATILE_META = ("execution", "papermill", "collapsed", "scrolled", "ExecuteTime")


def is_checked(cell) -> bool:
    return cell.cell_type == "code" and cell.source.lstrip().startswith(MARK)


def strip(nb, keep_from=None):
    """Strip ``nb`` in place; checked cells take their outputs from ``keep_from`` if given."""
    fresh = {}
    if keep_from is not None:
        fresh = {c.source: c.outputs for c in keep_from.cells if is_checked(c)}
    for cell in nb.cells:
        for key in VOLATILE_META:
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            continue
        cell.execution_count = None
        if is_checked(cell):
            outputs = fresh.get(cell.source, cell.outputs)
            cell.outputs = [o for o in outputs if o.get("output_type") == "stream"]
            for output in cell.outputs:
                output.pop("execution_count", None)
            # nbval treats a cell with outputs but no execution count as "unrun": give the
            # baseline a fixed count so it is compared, and the diff stays stable.
            cell.execution_count = 1 if cell.outputs else None
        else:
            cell.outputs = []
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    return nb


def strip_file(path: Path) -> bool:
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    after = nbformat.writes(strip(nb))
    if after != before:
        path.write_text(after)
        return True
    return False


def bless(path: Path) -> None:
    import papermill as pm

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / path.name
        pm.execute_notebook(str(path), str(out), kernel_name="python3", cwd=str(path.parent),
                            progress_bar=False)
        executed = nbformat.read(out, as_version=4)
    nb = nbformat.read(path, as_version=4)
    path.write_text(nbformat.writes(strip(nb, keep_from=executed)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dibtrends.nbtools")
    parser.add_argument("command", choices=["strip", "bless", "check"])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    targets = args.notebooks or sorted(Path("notebooks").glob("*.ipynb"))
    dirty = []
    for path in targets:
        if args.command == "bless":
            bless(path)
        elif args.command == "strip":
            strip_file(path)
        else:
            nb = nbformat.read(path, as_version=4)
            if nbformat.writes(strip(nbformat.read(path, as_version=4))) != nbformat.writes(nb):
                dirty.append(str(path))
    if dirty:
        print("notebooks with outputs beyond the headline baseline: " + ", ".join(dirty)
              + "\nFix: python -m dibtrends.nbtools strip", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())


# ---------------------------------------------------------------- generated notebooks
def markdown_cell(text: str):
    return nbformat.v4.new_markdown_cell(text.strip("\n"))


def code_cell(text: str, tags: list[str] | None = None):
    cell = nbformat.v4.new_code_cell(text.strip("\n"))
    if tags:
        cell.metadata["tags"] = tags
    return cell


class Cells(list):
    """The cells of a generated notebook, in order: ``md(text)`` and ``code(text, tags)`` append."""

    def md(self, text: str) -> None:
        self.append(markdown_cell(text))

    def code(self, text: str, tags: list[str] | None = None) -> None:
        self.append(code_cell(text, tags))


def write_generated(cells: list, path: Path, id_prefix: str) -> Path:
    """Write a notebook built by a ``scripts/make_*`` generator: stable cell ids (regenerating
    gives no diff), kernel ``python3``, no outputs but the blessed headline baseline of the
    notebook already at ``path``."""
    for i, cell in enumerate(cells):
        cell.id = f"{id_prefix}-{i:02d}"
    nb = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    })
    nbformat.validate(nb)
    if path.exists():
        strip(nb, keep_from=nbformat.read(path, as_version=4))
    path.write_text(nbformat.writes(nb))
    return path
