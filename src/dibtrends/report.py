"""Showing a chapter's results: tables, claims, headlines and prose, the same in JupyterLab,
in the Quarto HTML site and in the Typst PDF.

The numbers and words come from a chapter module (:mod:`dibtrends.chapters`); this module only
formats them. Everything shown is typeset in the report's number style (:func:`prose.typeset`:
true minus, units that stay with their number) and escaped as Markdown (``US$ 220 bn and US$ 449
bn`` is not maths); every table shown is also saved, untypeset, as a CSV the report offers for
download.
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

import polars as pl

from . import paths
from .results import ChapterRecord, Claim, Headline, Table
from .prose import fmt, fmt_p, typeset

#: Per page, the CSVs it wrote in its latest run (so the pipeline can drop stale ones).
PAGE_MANIFESTS = ".pages"
_state: dict = {}


def written_by(tables: Path, page: str) -> set[str] | None:
    """The CSVs ``page`` wrote in its latest run (None: it has not run)."""
    manifest = tables / PAGE_MANIFESTS / f"{page}.json"
    return set(json.loads(manifest.read_text())) if manifest.exists() else None


def use_output_dir(output_dir: str | Path | None = None) -> Path:
    """Where this notebook's chart data and table CSVs go (its ``output_dir`` parameter); called
    first in a notebook, it also starts the page's list of written CSVs afresh."""
    _state.update(output_dir=paths.output_dir(output_dir), written=set())
    _record_written()
    return _state["output_dir"]


def _record_written(name: str | None = None) -> None:
    """The page's list of CSVs, under the page name the pipeline sets in each kernel
    ('interactive' in JupyterLab)."""
    _state["written"] |= {name} if name else set()
    page = os.environ.get("DIBTRENDS_PAGE", "interactive")
    paths.write_atomic(_state["output_dir"] / paths.TABLES_SUBDIR / PAGE_MANIFESTS
                       / f"{page}.json", json.dumps(sorted(_state["written"])))


# ---------------------------------------------------------------- text
_UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")


def escape_markdown(text: str) -> str:
    """Dollar signs as literal text: JupyterLab and pandoc read ``$...$`` as maths."""
    return _UNESCAPED_DOLLAR.sub(r"\\$", text)


def say(text: str) -> None:
    """Show computed prose as Markdown (Quarto renders it as part of the page)."""
    from IPython.display import Markdown, display

    display(Markdown(escape_markdown(typeset(text))))


# ---------------------------------------------------------------- tables
def table_csv(df: pl.DataFrame, name: str) -> Path:
    """Save the data behind a chart or a displayed table as a downloadable CSV."""
    path = (_state.get("output_dir") or use_output_dir()) / paths.TABLES_SUBDIR / f"{name}.csv"
    df.with_columns(pl.col(c).list.join("; ") for c, t in df.schema.items()
                    if t == pl.List(pl.String)).write_csv(path)
    _record_written(path.name)
    return path


#: A cell that is a number shown as text (pre-formatted, possibly in bold, or a count such as
#: "9 of 14"): right-aligned.
NUMBER_TEXT = re.compile(r"(\*\*)?[−+-]?[\d.,]+(?: of [\d,]+)?\1?|–")


def shown(value, places: int | str = 1) -> str:
    """A table cell in words and digits (not yet typeset): '–' for missing, 'yes' or 'no',
    numbers with ``places`` as :func:`markdown_table` describes, lists joined."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and abs(value) >= 10_000:
        return fmt(value, 0)
    if isinstance(value, float):
        if isinstance(places, str) and (places == "p" or places.startswith("p:")):
            return fmt_p(value, int(places[2:]) if places.startswith("p:") else None)
        return format(value, places) if isinstance(places, str) else fmt(value, places)
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _places(decimals: dict[str, int | str] | int, column: str) -> int | str:
    return decimals.get(column, 1) if isinstance(decimals, dict) else decimals


def markdown_table(df: pl.DataFrame, decimals: dict[str, int | str] | int = 1,
                   labels: dict[str, str] | None = None) -> str:
    """A pipe table with formatted numbers (Quarto renders it in HTML and Typst alike).

    ``decimals`` per column is a number of decimals, a format spec such as ``".3g"``, ``"p"``
    for p-values (:func:`fmt_p`), or ``"p:499"`` for bootstrap p-values from 499 draws (shown as
    a bound, "< 0.002", at the smallest value the bootstrap can give). Whole numbers of
    five digits or more get thousands separators (four-digit ones are years).
    """
    labels = labels or {}

    def cell(value, column):
        text = typeset(shown(value, _places(decimals, column)))
        return escape_markdown(text).replace("|", "\\|").replace("\n", " ")

    heads = [escape_markdown(typeset(labels.get(c, c))) for c in df.columns]
    rows = [[cell(row[c], c) for c in df.columns] for row in df.iter_rows(named=True)]
    widths = column_weights(heads, rows)
    right = [df.schema[c].is_numeric() or all(NUMBER_TEXT.fullmatch(r[i]) for r in rows)
             for i, c in enumerate(df.columns)]
    align = "|" + "|".join(("-" * w + ":") if r else "-" * w
                           for r, w in zip(right, widths, strict=True)) + "|"
    lines = ["| " + " | ".join(heads) + " |", align]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def transposed(table: Table, heading: list[str], corner: str = "") -> Table:
    """``table`` turned on its side, for few rows of many columns (it then fits the page's
    width with short headers): one row per other column, under its label, and one column per
    row, headed by the row's ``heading`` values. Cells read as in ``table``; the CSV download
    keeps its own rows."""
    rows, labels = list(table.frame.iter_rows(named=True)), dict(table.labels)
    rest = [c for c in table.frame.columns if c not in heading]
    columns = {"figure": [labels.get(c, c) for c in rest]} | {
        f"row{i}": [shown(row[c], _places(table.decimals, c)) for c in rest]
        for i, row in enumerate(rows)}
    names = {"figure": corner} | {f"row{i}": ", ".join(str(row[c]) for c in heading)
                                  for i, row in enumerate(rows)}
    return Table(table.name, pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String)),
                 table.caption, names, data=table.frame if table.data is None else table.data,
                 note=table.note)


#: About how many characters of table text fit across the PDF's text width (8.5 pt on A4).
LINE_BUDGET = 100


def column_weights(heads: list[str], rows: list[list[str]]) -> list[int]:
    """Relative column widths, as dashes under the header (pandoc reads them when the table is
    wider than a line). Each column gets at least its longest word (short cells such as
    "1 of 3" whole, a unit joined by non-breaking spaces as one word), so print never breaks a
    word or stacks a cell letter by letter, and room for its header in three lines; long text
    gets the rest of the line in proportion to its typical length. A table whose floors add
    up to more than a line is too wide for the page: split it, or shorten its headers."""
    minimum, desired = [], []
    rows = [[cell.replace("**", "") for cell in row] for row in rows]  # as printed: no bold marks
    for i, head in enumerate(heads):
        cells = sorted(len(r[i]) for r in rows) or [0]
        typical = cells[math.ceil(0.9 * (len(cells) - 1))]
        # Longer tokens (addresses, checksums) wrap in print (render.breakable) and in browsers.
        words = [min(len(w), 24) for text in [head, *(r[i] for r in rows)]
                 for w in text.split(" ") if w]
        short_cells = [n for n in cells if n <= 10]
        floor = max([3, *words, *short_cells, math.ceil(len(head) / 3) + 2]) + 1
        minimum.append(floor)
        desired.append(max(floor, min(60, typical)))
    excess = sum(desired) - LINE_BUDGET
    room = [d - m for d, m in zip(desired, minimum, strict=True)]
    if excess > 0 and sum(room) > 0:
        share = min(1.0, excess / sum(room))
        desired = [d - math.floor(r * share) for d, r in zip(desired, room, strict=True)]
    return desired


def show_table(table: Table) -> None:
    """Display a whole table (no truncation), captioned, its note under it, and save it as a
    CSV. The caption carries a label (``tbl-`` and the table's name): Quarto's Typst output
    drops the caption of a table without one (quarto-cli issue 11733)."""
    from IPython.display import Markdown, display

    table_csv(table.frame if table.data is None else table.data, table.name)
    text = markdown_table(table.frame, table.decimals, dict(table.labels))
    if table.caption:
        label = "tbl-" + re.sub(r"[^\w-]|_", "-", table.name).lower()
        text += f"\n\n: {escape_markdown(typeset(table.caption))} {{#{label}}}"
    if table.note:
        text += f"\n\n*Notes.* {escape_markdown(typeset(table.note))}"
    display(Markdown(text))


# ---------------------------------------------------------------- results
def claim_markdown(claim: Claim) -> str:
    return (f"> **Claim:** \"{claim.claim}\" ({claim.source}).  \n"
            f"> **What the data give:** {claim.finding}.  \n"
            f"> **Verdict: {claim.verdict}.** {claim.condition}")


def show_claim(claim: Claim) -> None:
    """The chapter's verdict on a claim, as the summary shows it (the same object)."""
    say(claim_markdown(claim))


def headline_frame(headlines: tuple[Headline, ...] | list[Headline]) -> pl.DataFrame:
    return pl.DataFrame([(h.label, h.display, h.unit, h.note) for h in headlines], orient="row",
                        schema=dict.fromkeys(("label", "value", "unit", "note"), pl.String))


def show_headlines(record: ChapterRecord) -> None:
    """The chapter's headline numbers as a table in words (labels, not keys)."""
    frame = headline_frame(record.headlines)
    if frame.is_empty():
        return
    show_table(Table(f"{record.chapter}_headlines", frame,
                     "Headline numbers of this chapter (the summary quotes them)",
                     labels={"label": "Figure", "value": "Value", "unit": "Unit",
                             "note": "Note"}))


def show_built_with(description: str) -> None:
    """The parameters this page was built with (``Params.describe()``), as a small note."""
    say(f"*{description}*")
