"""The publishers' CSV files and the project's curated tables, read with the checks of
:mod:`.workbook`: the header against the expected columns, every cell typed one by one, a bad
cell named by its line (the header is line 1) and the columns that say whose row it is."""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import polars as pl

from .. import countries
from ..errors import DataError
from .workbook import require

_TYPE_WORDS = {pl.Int64: "a whole number", pl.Float64: "a number", pl.Date: "a date (YYYY-MM-DD)",
               pl.Boolean: "true or false"}


def _ragged(path: Path) -> tuple[int | None, str | None]:
    """The first line with another number of fields than the header, and what it holds."""
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as fh:
        rows = csv.reader(fh)
        header = next(rows, [])
        for row in rows:
            if len(row) != len(header):
                return rows.line_num, (f"expected {len(header)} fields per line as in the header, "
                                       f"found {len(row)} on line {rows.line_num}")
        return rows.line_num, None  # an unclosed quote: the file ends inside a field


def line(i: int, ident: Mapping) -> str:
    """A CSV row as a person finds it: its line (the header is line 1) and what names it."""
    return f"{i + 2}" + (f" ({', '.join(f'{k}={v}' for k, v in ident.items())})" if ident else "")


def stop_at(df: pl.DataFrame, bad: pl.Expr, path: Path, *, column: str,
            key: str | Sequence[str], problem: Callable[[dict], str], fix: str) -> None:
    """A DataError at the first row where ``bad`` holds, named by its line (``df``'s index ``i``
    or its position in the file) and ``key``; ``problem`` words the row."""
    rows = (df if "i" in df.columns else df.with_row_index("i")).filter(bad)
    if rows.height:
        r = rows.row(0, named=True)
        keys = [key] if isinstance(key, str) else key
        raise DataError(path, problem(r), column=column, row=line(r["i"], {k: r[k] for k in keys}),
                        fix=fix)


def iso3(df: pl.DataFrame, column: str, path: Path, *, key: str) -> pl.Series:
    """The ISO3 code of each country name in ``column``; an unknown name is a DataError at its
    first row (``df``'s index ``i`` or its position in the file)."""
    first = (df if "i" in df.columns else df.with_row_index("i")).unique(
        column, keep="first", maintain_order=True)
    codes = {c: countries.iso3(c, file=path, column=column, row=line(i, {key: k}))
             for c, i, k in first.select(column, "i", pl.col(key).alias("_key")).iter_rows()}
    return df[column].replace_strict(codes, return_dtype=pl.String).alias("iso3")


def read(path: Path, columns: Sequence[str] = (), *, where: str, extra: Sequence | bool = (),
        types: Mapping[str, pl.DataType] | None = None, key: Sequence[str] = (),
        required: Mapping[str, str] | None = None, blank: Sequence[str] = (),
        strip: bool = False, rows: int | None = None, what: str = "source file",
        source_id: str | None = None, fix: str | None = None) -> pl.DataFrame:
    """Every cell as text (so '>95' survives), the header checked against ``columns`` (others
    an error unless ``extra`` is True or lists them), ``required`` columns (-> fix) and the
    typed ones (but ``blank``) filled, ``types`` cast cell by cell, the number of ``rows`` (of
    the registered edition) checked last; a bad cell named by its line and ``key`` columns."""
    require(path, what, source_id, fix)
    try:
        df = pl.read_csv(path, infer_schema=False, encoding="utf8")
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        line_no, found = _ragged(path)
        raise DataError(path, f"cannot parse the CSV file: {found or str(exc).splitlines()[0]}",
                        row=line_no, fix="check the encoding (UTF-8), the quoting and the number "
                                         "of fields per line: a file cut off ends in the middle "
                                         "of one."
                        ) from None
    df = df.rename({c: c.lstrip("\ufeff").strip() for c in df.columns})
    layout_fix = (f"the file's layout changed (a column renamed, added or removed): compare its "
                  f"header with the columns {where} expects, and update them and the schema "
                  "together.")
    if missing := [c for c in [*columns, *(required or ())] if c not in df.columns]:
        raise DataError(path, f"expected column {missing[0]!r} is missing (found {df.columns})",
                        column=missing[0], fix=layout_fix)
    if extra is not True and (odd := [c for c in df.columns
                                      if c not in columns and c not in extra]):
        raise DataError(path, f"unexpected column {odd[0]!r} (expected {list(columns)})",
                        column=odd[0], fix=layout_fix)
    df = df.select(columns or df.columns)
    if strip:
        df = df.with_columns(pl.all().str.strip_chars())
    raw = df.with_row_index("i")  # the cells as printed, for messages
    filled = {**{c: f"it holds {_TYPE_WORDS[t]} in every row of the publisher's file; restore "
                    "the value from an intact copy." for c, t in (types or {}).items()
                 if c not in blank}, **(required or {})}
    for c, need in filled.items():
        if (empty := raw.filter(pl.col(c).is_null() | (pl.col(c).str.strip_chars() == ""))).height:
            raise DataError(path, f"the {c} cell is empty in {empty.height} row(s); expected a "
                            "value in every row", column=c,
                            row=", ".join(line(b["i"], {k: b[k] for k in key})
                                          for b in empty.head(5).iter_rows(named=True)),
                            fix=f"every row needs one: {need}")
    for c, dtype in (types or {}).items():
        t = pl.col(c).str.strip_chars()
        cast = (t.str.to_date("%Y-%m-%d", strict=False) if dtype == pl.Date
                else t.str.to_lowercase().replace_strict({"true": True, "false": False},
                                                         default=None, return_dtype=pl.Boolean)
                if dtype == pl.Boolean else t.cast(dtype, strict=False))
        stop_at(raw, cast.is_null() & pl.col(c).is_not_null(), path, column=c, key=key,
                problem=lambda r, c=c, t=dtype: f"value {r[c]!r} is not {_TYPE_WORDS[t]}",
                fix=f"check the cell in the file: {c} holds {_TYPE_WORDS[dtype]}.")
        df = df.with_columns(cast.alias(c))
    if rows is not None and df.height != rows:
        raise DataError(path, f"expected {rows:,} data rows (the edition {source_id or where} "
                        f"reads), found {df.height:,}", row=line(min(rows, df.height), {}),
                        fix="a file cut off (an interrupted download or save) or another "
                            f"edition: run `make data`; a new edition needs its own registry "
                            f"record and its row count in {where}.")
    return df


def curated(path: Path, schema, *, key: Sequence[str] = (), source_id: str | None = None,
            sort: Sequence[str] = ()) -> pl.DataFrame:
    """A table the project transcribed (data/curated): its columns and types those of
    ``schema`` (a ``source_id`` column added first), typed cell by cell, every row cited,
    validated."""
    from .. import validate

    dtypes = validate.dtypes(schema)
    nullable = [c for c, column in validate.columns(schema).items() if column.nullable]
    df = read(path, [c for c in dtypes if c != "source_id"], where=f"the loader of {path.name}",
              types={c: t for c, t in dtypes.items() if t != pl.String}, key=key, blank=nullable,
              what="curated table", required={
                  "citation": "add the document, page/section and URL the fact comes from."},
              fix="restore it from git (data/curated is under version control).")
    if source_id:
        df = df.select(pl.lit(source_id).alias("source_id"), pl.all())
    return validate.validated(df.sort(sort, nulls_last=True) if sort else df, schema, path,
                              key=key)
