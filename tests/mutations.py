"""Seeded mutations of the publishers' real files, for tests/test_load_mutations.py.

A workbook is read once into a :class:`Book` (every sheet's cell values, and the font colours
SIPRI uses as flags) and written back by :func:`write_xlsx`, a minimal writer: it stands for
"another spreadsheet program", and writing only the changed sheet's XML again keeps hundreds of
copies fast. A CSV is a list of rows. Each mutation is a function ``(content, rng, spec)`` that
returns the changed content (never changing its input); ``rng`` is seeded from the test id, so
a failure reproduces.
"""

from __future__ import annotations

import csv
import io
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.utils import get_column_letter

from dibtrends.load import workbook


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: tuple[tuple, ...]
    rgb: dict = field(default_factory=dict)  # (row, col) -> font colour, 1-based


@dataclass(frozen=True)
class Book:
    sheets: tuple[Sheet, ...]


@dataclass(frozen=True)
class Spec:
    """Where a loader's data are in its file: what the mutations aim at."""

    sheets: tuple[str, ...] = ()        # the sheets the loader reads (workbooks; () = all)
    header: int | None = None           # the header row (None: the first with 2+ years)
    label: int | str = 1                # the column naming a row's country (or its heading)
    numeric: tuple[str, ...] = ()       # CSV: the columns holding numbers
    countries: tuple[str, ...] = ()     # CSV: the columns holding country names
    blank_ok: tuple[str, ...] = ()      # CSV: the columns whose empty cells mean "no value"
    blank_rows: tuple[str, ...] = ()    # workbooks: rows whose empty cells mean "no value"
    blank_col: Callable[[Sheet, int], bool] | None = None  # ... and columns
    fonts: bool = False                 # read the font colours (SIPRI's flags)


# ------------------------------------------------------------------ reading and writing

def read_xlsx(path: Path, spec: Spec) -> Book:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        fonts = spec.fonts and (not spec.sheets or ws.title in spec.sheets)
        rows, rgb = [], {}
        for r, cells in enumerate(ws.iter_rows(values_only=not fonts), start=1):
            rows.append(tuple(c.value for c in cells) if fonts else tuple(cells))
            for c, cell in enumerate(cells if fonts else (), start=1):
                if cell.value is not None and (colour := workbook._rgb(cell)):
                    rgb[r, c] = "FF" + colour
        sheets.append(Sheet(ws.title, tuple(rows), rgb))
    wb.close()
    return Book(tuple(sheets))


def _sheet_xml(sheet: Sheet, styles: dict[str, int]) -> bytes:
    width = max((len(r) for r in sheet.rows), default=1) or 1
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://'
           'schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:'
           f'{get_column_letter(width)}{max(len(sheet.rows), 1)}"/><sheetData>']
    for r, row in enumerate(sheet.rows, start=1):
        out.append(f'<row r="{r}">')
        for c, v in enumerate(row, start=1):
            if v is None:
                continue
            ref = f"{get_column_letter(c)}{r}"
            style = f' s="{styles[sheet.rgb[r, c]]}"' if (r, c) in sheet.rgb else ""
            if isinstance(v, bool):
                out.append(f'<c r="{ref}" t="b"{style}><v>{int(v)}</v></c>')
            elif isinstance(v, (int, float)):
                out.append(f'<c r="{ref}"{style}><v>{v!r}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">'
                           f'{escape(str(v))}</t></is></c>')
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out).encode()


_CACHE: dict[tuple[int, str], tuple[Sheet, bytes]] = {}


def write_xlsx(book: Book, target: Path) -> Path:
    """``book`` as a minimal .xlsx (inline strings, one font per colour); a sheet written before
    (the same object) is not serialised again."""
    colours = sorted({c for s in book.sheets for c in s.rgb.values()})
    styles = {c: i + 1 for i, c in enumerate(colours)}
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    names = [f"xl/worksheets/sheet{i}.xml" for i in range(1, len(book.sheets) + 1)]
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType'
            f'="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.'
            f'main+xml"/><Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>'
            + "".join(f'<Override PartName="/{n}" ContentType="{ct}.worksheet+xml"/>'
                      for n in names) + "</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
            f'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/office'
            'Document" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            "<sheets>" + "".join(f'<sheet name="{escape(s.name, {chr(34): "&quot;"})}" '
                                 f'sheetId="{i}" r:id="rId{i}"/>'
                                 for i, s in enumerate(book.sheets, start=1))
            + "</sheets></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
            'formats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{rel}/worksheet" '
                      f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(names) + 1))
            + f'<Relationship Id="rId{len(names) + 1}" Type="{rel}/styles" Target="styles.xml"/>'
            "</Relationships>"),
        "xl/styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{main}"><fonts count="'
            f'{len(colours) + 1}"><font><sz val="11"/><name val="Calibri"/></font>'
            + "".join(f'<font><sz val="11"/><color rgb="{c}"/><name val="Calibri"/></font>'
                      for c in colours)
            + '</fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
            f'<cellXfs count="{len(colours) + 1}"><xf fontId="0"/>'
            + "".join(f'<xf fontId="{i}" applyFont="1"/>' for i in range(1, len(colours) + 1))
            + '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>"),
    }
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
        for name, sheet in zip(names, book.sheets, strict=True):
            key = (id(sheet), ",".join(colours))  # the cache keeps the sheet: ids stay unique
            if key not in _CACHE:
                _CACHE[key] = (sheet, _sheet_xml(sheet, styles))
            z.writestr(name, _CACHE[key][1])
    return target


def read_csv(path: Path) -> tuple[str, list[list[str]]]:
    """(its encoding, 'utf-8-sig' where it starts with a byte-order mark; its rows)."""
    raw = path.read_bytes()
    encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    return encoding, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def write_csv(content: tuple[str, list[list[str]]], target: Path) -> Path:
    encoding, rows = content
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\n").writerows(rows)
    target.write_text(text.getvalue(), encoding=encoding, errors="replace")
    return target


# ------------------------------------------------------------------ where the data are

def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def header_row(sheet: Sheet, spec: Spec) -> int:
    if spec.header:
        return spec.header
    years = [r for r, row in enumerate(sheet.rows, start=1)
             if sum(1 for v in row if re.fullmatch(r"(19|20)\d\de?", str(v or ""))) >= 2]
    return years[0] if years else 1


def label_col(sheet: Sheet, spec: Spec) -> int:
    if isinstance(spec.label, int):
        return spec.label
    head = sheet.rows[header_row(sheet, spec) - 1]
    return next(c for c, v in enumerate(head, start=1)
                if str(v or "").strip().startswith(spec.label))


def data_cells(sheet: Sheet, spec: Spec, blank: bool = False) -> list[tuple[int, int]]:
    """(row, col) of the numbers in labelled rows below the header (``blank``: only where an
    empty cell is not the publisher's "no value")."""
    top, label = header_row(sheet, spec), label_col(sheet, spec)
    return [(r, c) for r, row in enumerate(sheet.rows, start=1) if r > top
            and isinstance(row[label - 1] if len(row) >= label else None, str)
            and not (blank and row[label - 1].strip() in spec.blank_rows)
            for c, v in enumerate(row, start=1) if _number(v)
            and not (blank and spec.blank_col and spec.blank_col(sheet, c))]


def read_sheets(book: Book, spec: Spec) -> list[int]:
    return [i for i, s in enumerate(book.sheets) if not spec.sheets or s.name in spec.sheets]


def _with_sheet(book: Book, i: int, sheet: Sheet) -> Book:
    return Book(book.sheets[:i] + (sheet,) + book.sheets[i + 1:])


def _rows_changed(sheet: Sheet, rows: list[tuple], rgb: dict) -> Sheet:
    return replace(sheet, rows=tuple(rows), rgb=rgb)


def _set(sheet: Sheet, cells: dict[tuple[int, int], object]) -> Sheet:
    rows = [list(r) for r in sheet.rows]
    for (r, c), v in cells.items():
        rows[r - 1] += [None] * (c - len(rows[r - 1]))
        rows[r - 1][c - 1] = v
    return _rows_changed(sheet, [tuple(r) for r in rows], sheet.rgb)


def _shift_rows(sheet: Sheet, at: int, by: int, rows: list[tuple]) -> Sheet:
    """``rows`` with the colours of the rows from ``at`` moved down ``by`` (up if negative)."""
    rgb = {(r + by if r >= at else r, c): v for (r, c), v in sheet.rgb.items()
           if not (by < 0 and at + by <= r < at)}
    return _rows_changed(sheet, rows, rgb)


# ------------------------------------------------------------------ workbook mutations

def x_resave(book, rng, spec):
    return book


def x_extra_sheet(book, rng, spec):
    blank = Sheet(f"Sheet{len(book.sheets) + 1}", ((),))
    at = rng.randint(0, len(book.sheets))
    return Book(book.sheets[:at] + (blank,) + book.sheets[at:])


def x_rename_sheet(book, rng, spec):
    i = rng.randrange(len(book.sheets))
    new = rng.choice([f"{book.sheets[i].name} (2)", f"Old {book.sheets[i].name}",
                      book.sheets[i].name.upper() + "_", "Sheet1"])
    return _with_sheet(book, i, replace(book.sheets[i], name=new[:31]))


def x_drop_sheet(book, rng, spec):
    i = rng.randrange(len(book.sheets))
    return Book(book.sheets[:i] + book.sheets[i + 1:])


def x_header_down(book, rng, spec):
    i = rng.choice(read_sheets(book, spec))
    s, k = book.sheets[i], rng.randint(1, 2)
    return _with_sheet(book, i, _shift_rows(s, 1, k, [()] * k + list(s.rows)))


def x_header_up(book, rng, spec):
    i = rng.choice(read_sheets(book, spec))
    s = book.sheets[i]
    r = rng.randint(1, max(1, header_row(s, spec) - 1))
    return _with_sheet(book, i, _shift_rows(s, r + 1, -1, list(s.rows[:r - 1] + s.rows[r:])))


def x_drop_column(book, rng, spec):
    i = rng.choice(read_sheets(book, spec))
    s = book.sheets[i]
    c = rng.randint(1, max(len(s.rows[header_row(s, spec) - 1]), 1))
    rows = [row[:c - 1] + row[c:] for row in s.rows]
    rgb = {(r, cc - (cc > c)): v for (r, cc), v in s.rgb.items() if cc != c}
    return _with_sheet(book, i, _rows_changed(s, rows, rgb))


def x_rename_column(book, rng, spec):
    i = rng.choice(read_sheets(book, spec))
    s = book.sheets[i]
    top = header_row(s, spec)
    cols = [c for c, v in enumerate(s.rows[top - 1], start=1) if v is not None]
    c = rng.choice(cols)
    v = s.rows[top - 1][c - 1]
    new = v + 100 if _number(v) else rng.choice([f"{v} (revised)", f"{v}".replace(" ", "_") + "2"])
    return _with_sheet(book, i, _set(s, {(top, c): new}))


def _one_cell(book, rng, spec, value, blank=False):
    i = rng.choice([i for i in read_sheets(book, spec) if data_cells(book.sheets[i], spec, blank)])
    s = book.sheets[i]
    r, c = rng.choice(data_cells(s, spec, blank))
    return _with_sheet(book, i, _set(s, {(r, c): value(s.rows[r - 1][c - 1])}))


def x_text_in_number(book, rng, spec):
    text = rng.choice(["n.a.", "tbc", "see note", "12,5", "approx. 40"])
    return _one_cell(book, rng, spec, lambda v: text)


def x_empty_number(book, rng, spec):
    return _one_cell(book, rng, spec, lambda v: None, blank=True)


def x_footnote(book, rng, spec):
    mark = rng.choice("abcd*")
    return _one_cell(book, rng, spec, lambda v: f"{v:g}{mark}" if isinstance(v, float)
                     else f"{v}{mark}")


def x_duplicate_row(book, rng, spec):
    i = rng.choice([i for i in read_sheets(book, spec) if data_cells(book.sheets[i], spec)])
    s = book.sheets[i]
    r = rng.choice(sorted({r for r, _ in data_cells(s, spec)}))
    rows = list(s.rows[:r]) + [s.rows[r - 1]] + list(s.rows[r:])
    moved = _shift_rows(s, r + 1, 1, rows)
    rgb = {**moved.rgb, **{(r + 1, c): v for (rr, c), v in s.rgb.items() if rr == r}}
    return _with_sheet(book, i, _rows_changed(moved, rows, rgb))


def x_rename_country(book, rng, spec):
    i = rng.choice([i for i in read_sheets(book, spec) if data_cells(book.sheets[i], spec)])
    s = book.sheets[i]
    r, label = rng.choice(sorted({r for r, _ in data_cells(s, spec)})), label_col(s, spec)
    return _with_sheet(book, i, _set(s, {(r, label): misspell(s.rows[r - 1][label - 1], rng)}))


def x_scale(book, rng, spec):
    i = rng.choice([i for i in read_sheets(book, spec) if data_cells(book.sheets[i], spec)])
    s = book.sheets[i]
    return _with_sheet(book, i, _set(s, {(r, c): s.rows[r - 1][c - 1] * 1000
                                         for r, c in data_cells(s, spec)}))


def misspell(name: str, rng: random.Random) -> str:
    """A typo: two letters swapped, or one doubled, in a name no registry knows."""
    name = name.strip()
    k = rng.randrange(1, max(len(name) - 1, 2))
    return rng.choice([name[:k - 1] + name[k] + name[k - 1] + name[k + 1:] + "x",
                       name[:k] + name[k - 1] + name[k:] + "q"])


WORKBOOK = {name[2:]: fn for name, fn in list(globals().items()) if name.startswith("x_")}


# ------------------------------------------------------------------ CSV mutations

def _cells(rows, spec, columns) -> list[tuple[int, int]]:
    head = rows[0]
    cols = [head.index(c) for c in columns if c in head]
    return [(r, c) for r in range(1, len(rows)) for c in cols
            if c < len(rows[r]) and re.fullmatch(r"[<>]?\s*[\d,]+(\.\d+)?", rows[r][c].strip())]


def _csv_set(content, cells: dict[tuple[int, int], str]):
    encoding, rows = content
    rows = [list(r) for r in rows]
    for (r, c), v in cells.items():
        rows[r][c] = v
    return encoding, rows


def c_resave(content, rng, spec):
    return content


def c_resave_cp1252(content, rng, spec):
    """Saved again by a program that writes Windows-1252, not UTF-8."""
    return "cp1252", content[1]


def c_drop_column(content, rng, spec):
    encoding, rows = content
    c = rng.randrange(len(rows[0]))
    return encoding, [r[:c] + r[c + 1:] for r in rows]


def c_rename_column(content, rng, spec):
    c = rng.randrange(len(content[1][0]))
    name = content[1][0][c]
    return _csv_set(content, {(0, c): rng.choice([f"{name} (revised)", f"{name}_2023",
                                                   name.lower() + "s"])})


def c_header_down(content, rng, spec):
    encoding, rows = content
    return encoding, [[rng.choice(["Table 4. Critical minerals", "Source: publisher", ""])]] + rows


def c_header_up(content, rng, spec):
    encoding, rows = content
    return encoding, rows[1:]


def _numbers(content, spec, blank=False):
    columns = [c for c in spec.numeric if not (blank and c in spec.blank_ok)]
    return _cells(content[1], spec, columns)


def c_text_in_number(content, rng, spec):
    cell = rng.choice(_numbers(content, spec))
    return _csv_set(content, {cell: rng.choice(["n.a.", "tbc", "see note", "12;5", "approx. 40"])})


def c_empty_number(content, rng, spec):
    return _csv_set(content, {rng.choice(_numbers(content, spec, blank=True)): ""})


def c_footnote(content, rng, spec):
    r, c = rng.choice(_numbers(content, spec))
    return _csv_set(content, {(r, c): content[1][r][c] + rng.choice("abcd*")})


def c_duplicate_row(content, rng, spec):
    encoding, rows = content
    r = rng.randrange(1, len(rows))
    return encoding, rows[:r + 1] + [rows[r]] + rows[r + 1:]


def c_rename_country(content, rng, spec):
    encoding, rows = content
    c = rows[0].index(rng.choice(spec.countries))
    r = rng.randrange(1, len(rows))
    names = rows[r][c].split(", ")
    k = rng.randrange(len(names))
    names[k] = misspell(names[k], rng)
    return _csv_set(content, {(r, c): ", ".join(names)})


def c_scale(content, rng, spec):
    encoding, rows = content
    col = rng.choice([c for c in spec.numeric if _cells(rows, spec, [c])])
    cells = _cells(rows, spec, [col])
    scaled = {}
    for r, c in cells:
        m = re.fullmatch(r"([<>]?\s*)([\d,]+(?:\.\d+)?)", rows[r][c].strip())
        value = float(m[2].replace(",", "")) * 1000
        scaled[r, c] = m[1] + (f"{value:.0f}" if value.is_integer() else f"{value:g}")
    return _csv_set(content, scaled)


CSV = {name[2:]: fn for name, fn in list(globals().items()) if name.startswith("c_")}
KINDS = sorted(set(WORKBOOK) | set(CSV) | {"truncate"})


def truncate(original: Path, target: Path, rng: random.Random) -> Path:
    """The file cut off at a random byte between a fifth and nine tenths of its length."""
    data = original.read_bytes()
    target.write_bytes(data[:rng.randint(len(data) // 5, len(data) * 9 // 10)])
    return target
