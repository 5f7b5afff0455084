"""Run a pandera schema and turn its failures into one message a person can act on.

pandera already knows how to check types, ranges, allowed values and unique keys; this module
only adds *where*: the file the frame came from, the column, and the offending row's key.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandera.polars as pa
import polars as pl

from .errors import DataError

MAX_SHOWN = 5


def validated(df: pl.DataFrame, schema, file: str | Path, *, key: Sequence[str] = (),
              fix: str | None = None) -> pl.DataFrame:
    """Return ``df`` if it satisfies ``schema``; otherwise raise :class:`DataError`.

    ``key`` names the columns that identify a row for a human (e.g. ``iso3``, ``year``): the
    message quotes them for each failing row, so the bad cell can be found in the source.
    """
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        raise DataError(file, _describe(cases, df, key), column=_first_column(cases, df),
                        fix=fix or _default_fix(cases)) from None
    except pa.errors.SchemaError as exc:  # raised for frame-level failures even when lazy
        raise DataError(file, f"schema check failed: {exc}", fix=fix) from None


def dtypes(schema) -> dict[str, pl.DataType]:
    """Column -> Polars type as ``schema`` declares them, to build a frame of its shape."""
    schema = schema.to_schema() if hasattr(schema, "to_schema") else schema
    return {name: column.dtype.type for name, column in schema.columns.items()}


def _first_column(cases: pl.DataFrame, df: pl.DataFrame) -> str | None:
    cols = [c for c in cases["column"].to_list() if c is not None and c in df.columns]
    return cols[0] if cols else (cases["column"][0] if cases.height else None)


def _describe(cases: pl.DataFrame, df: pl.DataFrame, key: Sequence[str]) -> str:
    lines = []
    for row in cases.head(MAX_SHOWN).iter_rows(named=True):
        where = ""
        index = row.get("index")
        if index is not None and 0 <= index < df.height:
            ident = {k: df[k][index] for k in key if k in df.columns}
            where = f" at row {index}" + (f" ({ident})" if ident else "")
        lines.append(
            f"column {row['column']!r} fails {row['check']}{where}: value {row['failure_case']!r}"
        )
    more = cases.height - MAX_SHOWN
    tail = f"; and {more} more failure(s)" if more > 0 else ""
    return f"{cases.height} schema failure(s): " + "; ".join(lines) + tail


def _default_fix(cases: pl.DataFrame) -> str:
    checks = " ".join(str(c) for c in cases["check"].to_list())
    if "column_in_dataframe" in checks or "column_in_schema" in checks:
        return ("the upstream layout changed (a column was renamed, added or removed): compare the "
                "file with its layout spec in src/dibtrends/load/ and update the spec.")
    if "uniqueness" in checks:
        return "the file has duplicate rows for one key: check the source for repeated entries."
    return ("check the value in the source file; if the publisher changed units or codes, update "
            "the loader and its schema together.")
