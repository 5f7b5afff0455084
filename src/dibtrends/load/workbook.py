"""The one reader of the publishers' workbooks (CSVs: :mod:`.csvfile`): a declarative
:class:`Layout` in, a tidy long frame out. Every way a file differs from its layout (a sheet,
line, heading, year or cell) is a :class:`DataError` naming the file, sheet, cell, what was
expected, what was found, and the fix; the publisher modules hold their layouts and only the
tidying that truly differs."""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from .. import countries, paths
from ..errors import DataError
from ..sources import get as get_source

FETCH_FIX = "run `make data` (or `python -m dibtrends fetch {id}`) to fetch it."
CELL_FIX = ("a new missing-data marker goes into the layout's missing= (or markers=) in {where}; "
            "a '#REF!' or a note in a data cell is a broken formula or an edit: take the value "
            "from an intact copy of the file or the publisher's PDF, or leave the cell empty if "
            "nothing is published.")
BLANK_FIX = ("the publisher fills every cell of a data row (a number or a marker such as "
             "'{marker}'): restore the value from an intact copy of the file (a formula whose "
             "value was not saved reads empty: a file re-saved by a program that does not "
             "recalculate); if the publisher now leaves this cell empty on purpose, name the row "
             "in the layout's blank_rows= in {where}, with the reason.")
UNREADABLE_FIX = ("the file is truncated or not a workbook (an HTML page, another format): run "
                  "`make data`, which replaces a changed source file with a verified copy.")


def norm(text) -> str:
    """Headings compared as a reader sees them: case, runs of spaces and NBSP ignored."""
    return " ".join(str(text).replace("\u00a0", " ").split()).casefold()


def text(v) -> str | None:
    """A cell as a heading or label reads: whole numbers without '.0', None when empty."""
    if _number(v) and float(v).is_integer():
        return str(int(v))
    return (str(v).strip() or None) if v is not None else None


def require(path: Path, what: str, source_id: str | None = None, fix: str | None = None) -> Path:
    """``path``, or a DataError saying how to get the missing file."""
    if not Path(path).exists():
        raise DataError(path, f"{what}{f' ({source_id})' if source_id else ''} is missing",
                        fix=fix or FETCH_FIX.format(id=source_id or ""))
    return Path(path)


def raw_path(source_id: str, path: Path | str | None, what: str | None = None) -> Path:
    """``path``, or ``source_id``'s registered file in data/raw; given ``what``, it must exist."""
    path = Path(path) if path else paths.RAW / get_source(source_id).filename
    return require(path, what, source_id) if what else path


@dataclass
class Sheet:
    """One sheet's cells, row by row as Excel numbers them, and where they came from."""

    file: Path
    name: str
    rows: list[tuple]
    rgb: dict[tuple[int, int], str] | None = None  # font colour of numeric cells, if read
    columns: dict[str, int] = field(default_factory=dict)  # field -> column, once read
    heads: dict[int, str] | None = None  # column -> heading, where messages name headings

    def cell(self, r: int, c: int):
        row = self.rows[r - 1] if 0 < r <= len(self.rows) else ()
        return row[c - 1] if 0 < c <= len(row) else None

    def error(self, problem: str, *, col: int | None = None, row=None, column: str | None = None,
              fix: str | None = None) -> DataError:
        """A DataError at a cell: its column is its heading (if so read) or 'SHEET!B'."""
        from openpyxl.utils import get_column_letter as letter  # only where a workbook is read

        cell = f", cell {letter(col)}{row}" if col and isinstance(row, int) else ""
        if column is None and col:
            column = self.heads.get(col) if self.heads is not None else f"{self.name}!{letter(col)}"
        return DataError(self.file, f"sheet {self.name!r}{cell}: {problem}", column=column,
                         row=row, fix=fix)

    def iso3(self, name: str, *, col: int, row: int) -> str:
        try:
            return countries.iso3(name, file=self.file, column="")
        except DataError as exc:
            raise self.error(f"unknown country name {name.strip()!r}", col=col, row=row,
                             fix=exc.fix) from None


def open_workbook(path: Path, sheets: Sequence[str | re.Pattern] | None, *, fix: str = "",
                  fonts: bool = False) -> dict:
    """The sheets asked for (names, or patterns one name matches; None: all) keyed as asked;
    ``fonts`` also reads the colours of numeric cells."""
    import openpyxl

    try:
        with contextlib.closing(openpyxl.load_workbook(path, read_only=True,
                                                       data_only=True)) as wb:
            if not (names := wb.sheetnames):
                raise DataError(path, "the workbook has no sheets; expected the publisher's",
                                column="sheet", fix=UNREADABLE_FIX)
            found = {w: [n for n in names if (w.fullmatch(n.strip()) if isinstance(
                w, re.Pattern) else n == w)] for w in sheets or names}
            if absent := [getattr(w, "pattern", w) for w, hits in found.items() if len(hits) != 1]:
                raise DataError(path, f"sheet(s) {', '.join(map(repr, absent))} not found (or "
                                f"found twice); the workbook has {', '.join(map(repr, names))}",
                                column="sheet", fix=fix)
            return {w: _sheet(path, wb[name], fonts) for w, (name, *_) in found.items()}
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - a zip, XML or format error: all say the same
        raise DataError(path, f"cannot be read as an Excel workbook ({type(exc).__name__}: "
                        f"{exc})", fix=UNREADABLE_FIX) from None


def _sheet(path: Path, ws, fonts: bool) -> Sheet:
    rows, rgb = [], {} if fonts else None
    for r, cells in enumerate(ws.iter_rows(values_only=not fonts), start=1):
        rows.append(tuple(c.value for c in cells) if fonts else tuple(cells))
        for c, cell in enumerate(cells if fonts else (), start=1):
            if _number(cell.value) and (colour := _rgb(cell)):
                rgb[r, c] = colour
    return Sheet(Path(path), ws.title, rows, rgb)


def _rgb(cell) -> str | None:
    from openpyxl.styles.colors import COLOR_INDEX

    color = cell.font.color
    if color is not None and color.type == "rgb" and isinstance(color.rgb, str):
        return color.rgb[-6:].upper()
    if color is not None and color.type == "indexed" and (i := color.indexed) is not None:
        return COLOR_INDEX[i][-6:].upper() if 0 <= i < len(COLOR_INDEX) else None
    return None


@dataclass(frozen=True)
class Layout:
    """What one table of a sheet must look like (rows and columns count from 1, as in Excel)."""

    name: str                      # what is read, in messages ('nato_defexp_2024')
    fix: str                       # what to do when the file differs from this layout
    where: str = "the loader"      # the module holding the layout, for fixes
    fix_years: str | None = None   # ... when the year headings differ (default: fix)
    measure: str | None = None     # the tidy column the values become, named in unit errors
    unit: str = ""                 # what the values are, in words
    lines: tuple[tuple[str, str], ...] = ()  # (what, text): lines above the header, in order
    words: tuple[str, ...] = ()    # phrases the text above the header holds (no spaces, dots)
    header: int | None = None      # the header's row; None: the first with years (or headings)
    header_cell: tuple[int, str] | None = None  # (column, text) marking the header row
    search: int = 40               # rows searched for the header
    years: tuple[int, int | None] | None = None  # one column per year, first to last (or any)
    suffix: str = ""               # printed after some years ('2024e'): `flag` is True there
    suffixed: tuple[int, ...] = ()  # the years that carry it, and no others
    suffix_means: str = ""         # what the suffixed years are, in words
    columns: Mapping[str, str] = field(default_factory=dict)   # field -> heading, required
    optional: Mapping[str, str] = field(default_factory=dict)  # field -> heading, if present
    text: frozenset[str] = frozenset()      # fields holding text (labels), not numbers
    required: frozenset[str] = frozenset()  # fields no data row may leave empty
    renames: Mapping[int, tuple[str, str]] = field(default_factory=dict)  # col -> (wrong, right)
    heading: Callable[[object], str] = norm  # how headings are compared
    labels: Mapping[str, int] = field(default_factory=dict)  # label -> col (< 0: left of values)
    sections: tuple[str, ...] = ()  # headings in the first label column, in this order
    stop: str | None = None        # a row whose first text matches this (norm) ends the table
    stray: frozenset = frozenset()  # unlabelled rows holding only these are spreadsheet debris
    missing: frozenset[str] = frozenset()   # texts that mean "no value"
    markers: Mapping[str, str] = field(default_factory=dict)  # other texts allowed -> meaning
    blank: frozenset[str] = frozenset()  # fields whose empty cells mean "no value" ('*': all)
    blank_rows: Mapping[str, str] = field(default_factory=dict)  # label -> why it has blanks
    refs: str = "cell"             # columns in messages: 'cell' ('TABLE2!E') or 'heading'


def read(sheet: Sheet, lay: Layout, *, check: bool = True) -> pl.DataFrame:
    """The table ``lay`` describes, long: one row per value cell (``row``, ``col``, the labels,
    ``section``, ``key`` (field or year), ``year``, ``flag``, ``value``, ``marker``, ``text``,
    ``rgb``); ``check=False`` leaves bad cells marked for :func:`check_cells`. An empty cell in
    a row with data is 'blank' (bad) unless ``lay.blank`` or ``lay.blank_rows`` allow it."""
    hrow = _header_row(sheet, lay, _lines(sheet, lay))
    heads = _headings(sheet, lay, hrow)
    sheet.heads = heads if lay.refs == "heading" else None
    if lay.words:
        above = " ".join(t for row in sheet.rows[:hrow - 1] for v in row if (t := text(v)))
        # unit phrases compared without spaces or dots: 'US $m.' reads 'us$m'
        if absent := [w for w in lay.words if w not in re.sub(r"[\s.]+", "", above.lower())]:
            raise sheet.error(f"the lines above the header do not say the values are {lay.unit} "
                              f"(expected words {absent!r} in {above[:160]!r})",
                              column=lay.measure, row=f"1-{hrow - 1}", fix=lay.fix)
    values = _years(sheet, lay, hrow, heads) if lay.years else {}
    fields = _fields(sheet, lay, hrow, heads, values)
    values |= {c: (f, None, False) for f, c in fields.items() if f not in lay.text}
    first = min(values, default=1)
    labels = {n: c if c > 0 else first + c for n, c in lay.labels.items()}
    labels |= {f: fields.get(f, 0) for f in {**lay.columns, **lay.optional} if f in lay.text}
    sheet.columns = {**labels, **{k: c for c, (k, _, _) in values.items()}}
    names = list(lay.labels) or list(labels)[:1]  # the labels that say whose row it is
    df = pl.DataFrame(list(_data_rows(sheet, lay, hrow, labels, values, names)), orient="row",
                      schema={"row": pl.Int64, "col": pl.Int64,
                              **dict.fromkeys(labels, pl.String), "section": pl.String,
                              "key": pl.String, "year": pl.Int64, "flag": pl.Boolean,
                              "value": pl.Float64, "marker": pl.String, "text": pl.String,
                              "rgb": pl.String})
    # a row without any number or marker is a heading or a row the publisher left empty
    empty_row = pl.col("marker").eq_missing("blank").all().over("row")
    df = df.with_columns(pl.when(empty_row).then(None).otherwise("marker").alias("marker"))
    if check:
        check_cells(df, sheet, lay, ident=[*names, "key"])
    return df


def _data_rows(sheet: Sheet, lay: Layout, hrow: int, labels: dict, values: dict, names: list):
    """(row, col, labels..., section, key, year, flag, value, marker, text, rgb) per value cell
    of each data row below ``hrow``; section headings checked in their order."""
    rgb, first = sheet.rgb or {}, min(values, default=1)
    sections, section, seen = list(lay.sections), None, []
    for r in range(hrow + 1, len(sheet.rows) + 1):
        lead = next((v.strip() for v in sheet.rows[r - 1] if isinstance(v, str) and v.strip()), "")
        if lay.stop and lead and re.match(lay.stop, norm(lead)):
            break
        labs = {n: None if (t := text(sheet.cell(r, c))) in lay.missing else t
                for n, c in labels.items()}
        cells = {c: sheet.cell(r, c) for c in values}
        given = [sheet.cell(r, c) for c in labels.values()] + list(cells.values())
        if all((v.strip() if isinstance(v, str) else v) in lay.stray
               for v in given if not _empty(v, lay)):
            continue  # a blank row, or debris left in the publisher's spreadsheet
        named = [labs[n] for n in names]
        if lay.sections and named[0] and not any(named[1:]) and all(
                _empty(v, lay) for v in cells.values()):
            want = sections[0] if sections else "(no further heading)"
            if norm(named[0]) != norm(want):
                raise sheet.error(f"the heading reads {named[0]!r}, expected {want!r}",
                                  col=labels[names[0]], row=r, fix=lay.fix)
            seen.append(section := sections.pop(0))
            continue
        if not any(named):
            if any(_number(v) for v in cells.values()):
                raise sheet.error(f"a row holds numbers but no {' or '.join(names) or 'label'}",
                                  col=labels[names[-1]] if names else first, row=r,
                                  fix="label the row (a name cell may have been emptied), or "
                                      "delete it if it is not data (a total row added).")
            continue
        if lay.sections and section is None:
            raise sheet.error(f"a data row comes before the first heading {lay.sections[0]!r}",
                              col=labels[names[0]], row=r, fix=lay.fix)
        for c in sorted(sheet.columns[f] for f in lay.required if sheet.columns.get(f)):
            if _empty(sheet.cell(r, c), lay):
                raise sheet.error(f"the {(sheet.heads or {}).get(c) or lay.name!r} cell is empty "
                                  f"in a row with data ({', '.join(filter(None, labs.values()))}); "
                                  "expected one in every row", col=c, row=r,
                                  fix="restore it from an intact copy of the file.")
        blank_ok = "*" in lay.blank or any(v in lay.blank_rows for v in named)
        for c, (key, year, flag) in values.items():
            out = _classify(cells[c], lay, blank_ok or key in lay.blank)
            yield (r, c, *labs.values(), section, key, year, flag, *out, rgb.get((r, c)))
    if lay.sections and seen != list(lay.sections):
        raise sheet.error(f"found headings {seen}, expected {list(lay.sections)}",
                          col=labels[names[0]], row=hrow, fix=lay.fix)


def check_cells(df: pl.DataFrame, sheet: Sheet, lay: Layout, ident: Sequence[str]) -> None:
    """Stop at the first cell neither a number nor a marker; ``ident``: whose value it is."""
    if not (bad := df.filter(pl.col("marker").is_in(["bad", "blank"]))).height:
        return
    b = bad.row(0, named=True)
    whose = " ".join(str(b[k]) for k in ident if b[k] is not None)
    if b["marker"] == "blank":
        marker = next(iter(sorted(lay.missing)), "...")
        raise sheet.error(f"the cell for {whose} is empty, in a row with data; expected a number "
                          f"or one of the markers {sorted(lay.missing | set(lay.markers))}",
                          col=b["col"], row=b["row"],
                          fix=BLANK_FIX.format(marker=marker, where=lay.where))
    allowed = sorted(lay.missing | set(lay.markers))
    raise sheet.error(
        "expected a number" + (f" or one of the markers {allowed}" if allowed else "")
        + f" in every value cell; found {bad.height} cell(s) holding something else, the first, "
        f"for {whose}: {b['text']!r}", col=b["col"], row=b["row"],
        fix=CELL_FIX.format(where=lay.where))


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _empty(v, lay: Layout) -> bool:
    return v is None or isinstance(v, str) and (not v.strip() or v.strip() in lay.missing)


def _classify(v, lay: Layout, blank_ok: bool) -> tuple[float | None, str | None, str | None]:
    """(value, marker, text) of a value cell: a number, a missing or other marker, 'blank' (an
    empty cell where the layout allows none) or 'bad'."""
    s = v.strip() if isinstance(v, str) else None
    if v is None or s == "":
        return None, None if blank_ok else "blank", None
    if s in lay.missing:
        return None, None, s
    if s in lay.markers:
        return None, lay.markers[s], s
    if _number(v) and math.isfinite(v):
        return float(v), None, None
    return None, "bad", s if s is not None else repr(v)


def _lines(sheet: Sheet, lay: Layout) -> int:
    """The row of the last of ``lay.lines``, each the first text below the one before."""
    r = 0
    for i, (what, expected) in enumerate(lay.lines):
        rows = range(1, 25) if i == 0 else range(r + 1, r + 4)
        hit = next(((r, c, t) for r in rows for c, v in enumerate(
            sheet.rows[r - 1] if r <= len(sheet.rows) else (), start=1)
            if isinstance(v, str) and (t := v.strip())), None)
        if hit is None:
            raise sheet.error(f"no {what} found (expected {expected!r})", col=2,
                              row=f"{rows.start}-{rows.stop - 1}", fix=lay.fix)
        r, c, found = hit
        if norm(found) != norm(expected):
            raise sheet.error(f"the {what} reads {found!r}, expected {expected!r}", col=c, row=r,
                              fix=lay.fix)
    return r


def _header_row(sheet: Sheet, lay: Layout, top: int) -> int:
    if lay.header_cell:
        c, marker = lay.header_cell
        found = next((r for r in range(1, min(lay.search, len(sheet.rows)) + 1)
                      if text(sheet.cell(r, c)) == marker), None)
        if found and lay.header in (None, found):
            return found
        where = f"found on row {found}" if found else f"not found in the first {lay.search} rows"
        raise sheet.error(f"header cell {marker!r} expected on row {lay.header}, {where}",
                          col=c, row=lay.header, fix=lay.fix,
                          column=marker if lay.refs == "heading" else None)
    if lay.header:
        return lay.header
    span = range(top + 1, top + lay.search + 1)
    for r in span[:len(sheet.rows) - top]:
        heads = [t for v in sheet.rows[r - 1] if (t := text(v))]
        if len([t for t in heads if _year(t, lay)]) >= 2 if lay.years else heads:
            return r
    want = (f"the years {lay.years[0]} to {lay.years[1] or 'the latest'}" if lay.years
            else f"the headings {list(lay.columns.values())}")
    raise sheet.error(f"no header row found below row {top} (expected {want})", col=4,
                      row=f"{span.start}-{span.stop - 1}", fix=lay.fix_years or lay.fix)


def _year(t: str, lay: Layout) -> tuple[int, bool] | None:
    m = re.fullmatch(rf"(\d{{4}})({re.escape(lay.suffix)})?" if lay.suffix else r"(\d{4})()", t)
    first, last = lay.years
    return (int(m[1]), bool(m[2])) if m and first - 5 <= int(m[1]) <= (last or 2095) + 5 else None


def _headings(sheet: Sheet, lay: Layout, hrow: int) -> dict[int, str]:
    heads = {c: t for c, v in enumerate(sheet.rows[hrow - 1], start=1) if (t := text(v))}
    for c, (published, corrected) in lay.renames.items():
        if (found := sheet.cell(hrow, c)) != published:
            raise sheet.error(
                f"the header fix for column {c} expected {published!r}, found {found!r}",
                col=c, row=hrow, column=str(found),
                fix="the publisher changed this header: check what the column holds and update "
                    f"or remove the correction (header_fixes) in {lay.where}.")
        heads[c] = corrected
    return heads


def _years(sheet: Sheet, lay: Layout, hrow: int, heads: dict[int, str]) -> dict:
    """{column: (year text, year, suffixed)}: every year first..last once, in adjacent columns."""
    found = {c: y for c, t in heads.items() if (y := _year(t, lay))}
    cols, first = sorted(found), lay.years[0]
    years = [found[c][0] for c in cols]
    want = set(range(first, (lay.years[1] or max(years, default=first)) + 1))
    missing, extra = sorted(want - set(years)), sorted(set(years) - want)
    dupes = sorted({y for y in years if years.count(y) > 1})
    start = cols[0] if cols else 1
    if (missing or extra or dupes or years != sorted(years)
            or cols != list(range(start, start + len(cols)))):
        raise sheet.error(
            f"the year header row should hold {first} to {lay.years[1] or 'the latest year'} "
            f"({lay.name}) in order in adjacent columns; found {years}" + "".join(
                f", {what} {v}" for what, v in (("missing", missing), ("unexpected", extra),
                                                ("repeated", dupes)) if v),
            col=start + missing[0] - first if missing else start, row=hrow,
            fix=lay.fix_years or lay.fix)
    for c in cols:
        if lay.suffix and found[c][1] != (found[c][0] in lay.suffixed):
            raise sheet.error(f"the heading for {found[c][0]} reads {heads[c]!r}, but {lay.name} "
                              f"marks {lay.suffix_means} (suffix {lay.suffix!r}) and no other "
                              "year", col=c, row=hrow, fix=lay.fix_years or lay.fix)
    return {c: (str(found[c][0]), *found[c]) for c in cols}


def _fields(sheet: Sheet, lay: Layout, hrow: int, heads: dict[int, str], years) -> dict:
    """{field: column} for the named columns, each heading once, the required ones present."""
    keyed: dict[str, int] = {}
    for c, h in heads.items():
        if c not in years and (k := lay.heading(h)) in keyed:
            raise sheet.error(f"header {k!r} appears twice (columns {keyed[k]} and {c})", col=c,
                              row=hrow, column=h, fix=lay.fix)
        keyed[lay.heading(h)] = c
    fields = {f: keyed[lay.heading(h)] for f, h in {**lay.columns, **lay.optional}.items()
              if lay.heading(h) in keyed}
    if missing := [f for f in lay.columns if f not in fields]:
        want = lay.heading(lay.columns[missing[0]])
        raise sheet.error(f"expected a column headed {want!r} (field {missing[0]!r}) in row "
                          f"{hrow} but found only: {', '.join(map(repr, heads.values()))}",
                          row=hrow, column=want, fix=lay.fix)
    return fields
