#!/usr/bin/env python3
"""Are two report builds the same for a reader? Compares two checkouts that each ran
`make report`: every processed table, every executed notebook's outputs (and cell sources),
every generated table, result record and chart drawing, every page of the HTML site and the
PDF's text.

    .venv/bin/python scripts/same-report.py [--code-may-change] BEFORE_CHECKOUT AFTER_CHECKOUT

``--code-may-change`` leaves out the sources of code cells (the calls a page makes, which the
reader never sees: pages are rendered with ``echo: false``); their outputs, the Markdown cells
and every rendered page are still compared.

The project's environment reads the processed Parquet tables row by row (a Python without
Polars compares them byte for byte). Build times, kernel timings and the checkouts' own paths
are ignored; anything else that differs is printed (first differing lines per file) and the
exit status is 1. A refactor that must not change the published report is proved by a clean
run of this script.
"""

from __future__ import annotations

import difflib
import json
import re
import subprocess
import sys
from pathlib import Path

#: Notebook metadata that records when and where a build ran, not what it says.
RUN_METADATA = ("papermill", "execution")
#: Quarto's and Papermill's time stamps inside pages.
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?")
#: Papermill's cell timings, which Quarto copies into each page.
DURATION = re.compile(r"(&quot;|\")duration(&quot;|\"): ?[0-9.e-]+")
#: Which warm kernel ran a page, and in which order, shows in Quarto's cell attributes.
EXECUTION_COUNT = re.compile(r'data-execution_count="\d+"')
#: A retrieval time the PDF's table wraps onto a line of its own.
CLOCK = re.compile(r"\b\d\d:\d\d\b")


def normalise(text: str, root: Path) -> str:
    text = text.replace(str(root.resolve()), "<ROOT>").replace(str(root), "<ROOT>")
    text = DURATION.sub("duration: <SECONDS>", TIMESTAMP.sub("<TIME>", text))
    return EXECUTION_COUNT.sub("data-execution_count", text)


#: Whether the sources of code cells are compared (``--code-may-change`` turns it off).
COMPARE_CODE = True


def notebook_view(path: Path, root: Path) -> list[str]:
    """A notebook as lines: each cell's type, tags, source and outputs, without run metadata."""
    nb = json.loads(path.read_text())
    lines = [f"kernel: {nb['metadata'].get('kernelspec', {}).get('name')}"]
    for index, cell in enumerate(nb["cells"]):
        meta = {k: v for k, v in cell.get("metadata", {}).items() if k not in RUN_METADATA}
        lines.append(f"=== cell {index} {cell['cell_type']} {json.dumps(meta, sort_keys=True)}")
        if COMPARE_CODE or cell["cell_type"] != "code":
            lines += ["src| " + ln for ln in "".join(cell["source"]).splitlines()]
        for out in cell.get("outputs", []):
            out = {k: v for k, v in out.items() if k != "execution_count"}
            lines += ["out| " + ln
                      for ln in json.dumps(out, indent=1, sort_keys=True).splitlines()]
    return [normalise(ln, root) for ln in lines]


def pdf_text(path: Path) -> list[str]:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True)
    return CLOCK.sub("<HH:MM>", done.stdout).splitlines()


def table_view(path: Path) -> list[str] | bytes:
    """A Parquet table as text (schema and every row) where Polars is at hand, else its bytes."""
    try:
        import polars as pl
    except ImportError:
        return path.read_bytes()
    df = pl.read_parquet(path)
    with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=1000, tbl_width_chars=10_000):
        return [str(df.schema), *str(df).splitlines()]


def view(path: Path, root: Path) -> list[str] | bytes:
    if path.suffix == ".parquet":
        return table_view(path)
    if path.suffix == ".ipynb":
        return notebook_view(path, root)
    if path.suffix == ".pdf":
        return pdf_text(path)
    try:
        return normalise(path.read_text(), root).splitlines()
    except UnicodeDecodeError:
        return path.read_bytes()


#: What is compared, relative to a checkout.
COMPARED = ("data/processed", "reports/executed", "reports/generated/tables",
            "reports/generated/results", "reports/generated/pdf-charts", "reports/_output")
#: Built files that record build state, not content.
SKIPPED = re.compile(r"(^|/)(\.[^/]*|.*\.part|stamps/.*|site_libs/.*)$")


def files(root: Path) -> dict[str, Path]:
    found = {}
    for top in COMPARED:
        for path in sorted((root / top).rglob("*")):
            rel = str(path.relative_to(root))
            if path.is_file() and not SKIPPED.search(rel):
                found[rel] = path
    return found


def compare(before: Path, after: Path, context: int = 8) -> list[str]:
    problems = []
    old, new = files(before), files(after)
    for rel in sorted(old.keys() - new.keys()):
        problems.append(f"only before: {rel}")
    for rel in sorted(new.keys() - old.keys()):
        problems.append(f"only after:  {rel}")
    for rel in sorted(old.keys() & new.keys()):
        a, b = view(old[rel], before), view(new[rel], after)
        if a == b:
            continue
        if isinstance(a, bytes) or isinstance(b, bytes):
            problems.append(f"differs (binary): {rel}")
            continue
        diff = list(difflib.unified_diff(a, b, "before/" + rel, "after/" + rel, lineterm="",
                                         n=1))
        problems.append(f"differs: {rel}\n" + "\n".join(diff[:context * 4]))
    return problems


def main(argv: list[str]) -> int:
    global COMPARE_CODE
    if argv and argv[0] == "--code-may-change":
        COMPARE_CODE, argv = False, argv[1:]
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    before, after = (Path(a).resolve() for a in argv)  # paths inside pages are absolute
    for root in (before, after):
        if not (root / "reports/executed").is_dir():
            print(f"same-report: {root} has no reports/executed; run `make report` there first",
                  file=sys.stderr)
            return 2
    problems = compare(before, after)
    checked = len(files(before))
    if problems:
        print("\n\n".join(problems))
        print(f"\nsame-report: {len(problems)} of {checked} files differ", file=sys.stderr)
        return 1
    print(f"same-report: {checked} files compared, no difference")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
