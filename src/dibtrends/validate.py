"""Run a pandera schema and turn its failures into one message a person can act on, and the
plausibility checks a schema cannot express (units, year-on-year changes).

pandera already knows how to check types, ranges, allowed values and unique keys; this module
only adds *where*: the file the frame came from, the column, and the offending row's key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandera.polars as pa
import polars as pl

from .errors import DataError

MAX_SHOWN = 5
#: No Ally has spent more than 30 % of GDP on defence since 1949 (SIPRI's highest: the United
#: States, 13.9 % in 1952; NATO's highest in 2014-2024: Poland, 4.1 % in 2024).
MAX_ALLY_SHARE_GDP_PCT = 30.0
UNIT_FIX = ("check the unit the publisher now states for this column (thousands, millions, "
            "billions; a fraction or a percentage): convert it in the loader and keep the unit in "
            "the column name; if the value is real, widen the range in {where} with the reason.")


class Model(pa.DataFrameModel):
    """A processed table's schema: exactly its columns, of exactly its types."""

    class Config:
        strict = True
        coerce = False


def validated(df: pl.DataFrame, schema, file: str | Path, *, key: Sequence[str] = (),
              sheets: Mapping[str, str] | None = None) -> pl.DataFrame:
    """Return ``df`` if it satisfies ``schema``; otherwise raise :class:`DataError`.

    ``key`` names the columns that identify a row for a human (e.g. ``iso3``, ``year``): the
    message quotes them for each failing row, so the bad cell can be found in the source;
    ``sheets`` names the sheet each column comes from.
    """
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        column = _first_column(cases, df)
        raise DataError(file, _in_sheet(sheets, column) + _describe(cases, df, key), column=column,
                        fix=_default_fix(cases)) from None
    except pa.errors.SchemaError as exc:  # raised for frame-level failures even when lazy
        raise DataError(file, f"schema check failed: {exc}", fix=_default_fix(None)) from None


def columns(schema) -> dict:
    """Column name -> pandera column of ``schema`` (a model or a schema)."""
    return (schema.to_schema() if hasattr(schema, "to_schema") else schema).columns


def dtypes(schema) -> dict[str, pl.DataType]:
    """Column -> Polars type as ``schema`` declares them, to build a frame of its shape."""
    return {name: column.dtype.type for name, column in columns(schema).items()}


def units(df: pl.DataFrame, ranges: Mapping[str, tuple[float, float, str]], file, *,
          key: Sequence[str], where: str, by: str | None = None,
          sheets: Mapping[str, str] | None = None) -> None:
    """The largest value of each column (of each ``by`` group) lies in its (low, high, unit)
    range: a unit changed by the publisher (thousands for millions, a percentage for a
    fraction) moves it out."""
    for column, (low, high, unit) in ranges.items():
        top = df.filter(pl.col(column).is_not_null()).sort(column, descending=True)
        top = top.group_by(by, maintain_order=True).first() if by else top.head(1)
        for row in top.filter(~pl.col(column).is_between(low, high)).head(1).iter_rows(named=True):
            ident = ", ".join(f"{k}={row[k]}" for k in key)
            raise DataError(file, f"{_in_sheet(sheets, column)}the largest {column} is "
                            f"{row[column]:,.6g} ({ident}); expected between {low:,.6g} and "
                            f"{high:,.6g} ({unit})",
                            column=column, row=ident, fix=UNIT_FIX.format(where=where))


def changes(df: pl.DataFrame, columns: Mapping[str, float], file, *, entity: str,
            exceptions: Mapping[tuple[str, int], str], where: str,
            sheets: Mapping[str, str] | None = None) -> None:
    """No ``entity`` changes a column by more than its bound (a factor, e.g. 2.0: at most double
    or half) from one year to the next, but in the named ``exceptions`` ((entity, year) -> why):
    a value in the wrong unit, a misplaced decimal point or a shifted row shows here."""
    known = pl.struct(entity, "year").is_in([{entity: e, "year": y} for e, y in exceptions])
    for column, factor in columns.items():
        before = pl.col(column).shift(1).over(entity, order_by="year")
        jumps = (df.select(entity, "year", column, before.alias("before"))
                 .with_columns(ratio=pl.col(column) / pl.col("before"))
                 .filter((pl.col("before") > 0) & ~known
                         & ((pl.col("ratio") > factor) | (pl.col("ratio") < 1 / factor))))
        if jumps.height:
            j = jumps.row(0, named=True)
            raise DataError(
                file, f"{_in_sheet(sheets, column)}{column} of {j[entity]} goes from "
                f"{j['before']:,.6g} in {j['year'] - 1} to {j[column]:,.6g} in {j['year']} "
                f"(x{j['ratio']:.3g}); "
                f"expected a change of at most x{factor:g} from one year to the next "
                f"({jumps.height} such change(s))", column=column, row=f"{j[entity]} {j['year']}",
                fix="compare the row with the publisher's PDF: a shifted row, a misplaced decimal "
                    f"point or a changed unit; if the change is real, name it in {where} with "
                    "the reason.")


def _in_sheet(sheets: Mapping[str, str] | None, column: str | None) -> str:
    return f"sheet {sheets[column]!r}: " if sheets and column in sheets else ""


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
        lines.append(f"column {row['column']!r} fails {row['check']}{where}: value "
                     f"{row['failure_case']!r}" if row["column"] in df.columns
                     else f"the table fails {row['check']}{where}")
    more = cases.height - MAX_SHOWN
    tail = f"; and {more} more failure(s)" if more > 0 else ""
    return f"{cases.height} schema failure(s), expected none: " + "; ".join(lines) + tail


def _default_fix(cases: pl.DataFrame | None) -> str:
    checks = "" if cases is None else " ".join(str(c) for c in cases["check"].to_list())
    if "column_in_dataframe" in checks or "column_in_schema" in checks:
        return ("the upstream layout changed (a column was renamed, added or removed): compare the "
                "file with its layout spec in src/dibtrends/load/ and update the spec.")
    if "uniqueness" in checks:
        return "the file has duplicate rows for one key: check the source for repeated entries."
    return ("check the value in the source file; if the publisher changed units or codes, update "
            "the loader and its schema together.")
