"""Headline numbers and computed prose: the only way numbers reach the report text.

Each analysis notebook ends with a small headline table. It is printed in a cell marked
``# NBVAL_CHECK_OUTPUT`` (so a changed number fails the regression tests) and written to
``<output_dir>/headlines/<notebook>.csv`` (so the executive summary quotes it, never retypes it).
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from . import paths

HEADLINE_SCHEMA = {
    "key": pl.String, "label": pl.String, "value": pl.Float64, "display": pl.String,
    "unit": pl.String, "note": pl.String,
}

_state: dict[str, Path] = {}


def default_output_dir() -> Path:
    return Path(os.environ.get("DIBTRENDS_OUTPUT", paths.REPORTS / "generated"))


def set_output_dir(output_dir: str | Path | None) -> Path:
    """Where headline and chart-data CSVs go (a notebook parameter; Make sets it per run).

    ``None`` means $DIBTRENDS_OUTPUT or ``reports/generated`` (tests point it at a temp folder).
    """
    path = Path(output_dir or default_output_dir()).expanduser().resolve()
    (path / "headlines").mkdir(parents=True, exist_ok=True)
    (path / "tables").mkdir(parents=True, exist_ok=True)
    _state["output_dir"] = path
    return path


def current_output_dir() -> Path:
    """The output folder set by the notebook (or the default), created if missing."""
    return set_output_dir(_state.get("output_dir"))


def fmt(value: float | int | None, decimals: int = 1) -> str:
    """Format a number for prose: thousands separators, fixed decimals, 'n/a' for missing."""
    if value is None:
        return "n/a"
    return f"{value:,.{decimals}f}"


def headline(key: str, label: str, value: float | int | None, unit: str, *,
             decimals: int = 1, display: str | None = None, note: str = "") -> dict:
    """One headline row. ``display`` overrides the formatted value (e.g. '>95' or 'GRC, GBR, USA')."""
    return {
        "key": key, "label": label,
        "value": None if value is None else float(value),
        "display": display if display is not None else fmt(value, decimals),
        "unit": unit, "note": note,
    }


def year_headline(key: str, label: str, year: int | None, note: str = "") -> dict:
    """A headline whose value is a calendar year (shown without separators: 2014, not 2,014)."""
    return headline(key, label, year, "year", decimals=0,
                    display="n/a" if year is None else str(year), note=note)


def years_headline(key: str, label: str, years: str, note: str = "") -> dict:
    """A headline listing years as text ('1974,2000'); its value is the first year, or none."""
    first = int(years.split(",")[0]) if years else None
    return headline(key, label, first, "year", display=years or "none", note=note)


def headline_table(rows: list[dict]) -> pl.DataFrame:
    table = pl.DataFrame(rows, schema=HEADLINE_SCHEMA)
    dupes = table.filter(pl.col("key").is_duplicated())["key"].unique().to_list()
    if dupes:
        raise ValueError(f"duplicate headline keys: {dupes}")
    return table


def headline_text(table: pl.DataFrame) -> str:
    """A fixed-width text rendering: stable across runs so nbval can compare it."""
    width = max(len(k) for k in table["key"]) if table.height else 0
    lines = [f"{row['key']:<{width}}  {row['display']:>14}  {row['unit']}"
             for row in table.iter_rows(named=True)]
    return "\n".join(lines)


def publish_headlines(table: pl.DataFrame, notebook: str, output_dir: str | Path | None = None) -> None:
    """Print the headline table and save it for the executive summary."""
    out = set_output_dir(output_dir) if output_dir is not None else current_output_dir()
    table.write_csv(out / "headlines" / f"{notebook}.csv")
    print(headline_text(table))


def read_headlines(output_dir: str | Path | None = None) -> dict[str, dict]:
    """Every published headline by key, for the executive summary."""
    folder = Path(output_dir or current_output_dir()) / "headlines"
    rows: dict[str, dict] = {}
    for csv in sorted(folder.glob("*.csv")):
        for row in pl.read_csv(csv, schema=HEADLINE_SCHEMA).iter_rows(named=True):
            rows[row["key"]] = row | {"notebook": csv.stem}
    return rows


def say(text: str) -> None:
    """Show computed prose as Markdown (Quarto renders it as part of the page)."""
    from IPython.display import Markdown, display

    display(Markdown(text))


def table_csv(df: pl.DataFrame, name: str) -> Path:
    """Save a table behind a chart or a displayed table as a downloadable CSV."""
    path = current_output_dir() / "tables" / f"{name}.csv"
    df.write_csv(path)
    return path


def fmt_p(p: float | None) -> str:
    """A p-value for a reader: three decimals, '< 0.001' below that."""
    if p is None:
        return "n/a"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def markdown_table(df: pl.DataFrame, decimals: dict[str, int | str] | int = 1,
                   labels: dict[str, str] | None = None) -> str:
    """A pipe table with formatted numbers (Quarto renders it in HTML and Typst alike).

    ``decimals`` per column is a number of decimals, a format spec such as ``".3g"`` (for a
    column mixing counts and small statistics), or ``"p"`` for p-values (:func:`fmt_p`).
    """
    labels = labels or {}

    def cell(value, column):
        if value is None:
            return "–"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, float):
            places = decimals.get(column, 1) if isinstance(decimals, dict) else decimals
            if places == "p":
                return fmt_p(value)
            if isinstance(places, str):
                return format(value, places)
            return fmt(value, places)
        return str(value).replace("|", "\\|").replace("\n", " ")

    header = "| " + " | ".join(labels.get(c, c) for c in df.columns) + " |"
    align = "|" + "|".join("---:" if df.schema[c].is_numeric() else "---" for c in df.columns) + "|"
    body = ["| " + " | ".join(cell(row[c], c) for c in df.columns) + " |"
            for row in df.iter_rows(named=True)]
    return "\n".join([header, align, *body])


def show_table(df: pl.DataFrame, name: str, *, decimals: dict[str, int | str] | int = 1,
               labels: dict[str, str] | None = None, caption: str = "") -> None:
    """Display a whole table (no truncation) and save it as a downloadable CSV."""
    table_csv(df, name)
    text = markdown_table(df, decimals, labels)
    if caption:
        text += f"\n\n: {caption}"
    say(text)
