"""NATO, "Defence Expenditure of NATO Countries", press-release tables: one edition a year.

Each edition is one registry record in :mod:`dibtrends.sources` (id ``nato_defexp_<last data
year>``, e.g. ``nato_defexp_2024``: 2014-2024, 17 June 2024, 2023 and 2024 estimates) and one
:class:`NatoEdition` in :data:`EDITIONS` below (its years, its estimate years and its layout).
:func:`load_nato_defexp` reads the newest registered edition into the processed table
``nato_defexp``; its ``source_id`` column names the edition used.

The workbook is nine printed pages (sheets TABLE1-TABLE8b), each a wide table: a title, a units
line, the years in one header row (a suffix ``e``, as in ``2024e``, marks an estimate), then one
or two blocks whose heading (column B) names the price basis or the measure, with one row per
Ally and, in most tables, two aggregate rows ("NATO Europe and Canada", "NATO Total"). The loader
reads every table into ONE tidy frame with one row per (entity, year) and one column per measure,
units in the column name.

What the loader trusts and what it checks:

* Units are taken from the publisher's own words. Each sheet's title, units line and block
  headings are compared with the edition's layout (``TABLE_SPECS`` for the 2024 layout); a
  change stops the load with a :class:`DataError` naming file, sheet, cell and fix, because a
  new unit under an old column name would silently corrupt every number downstream.
* The header row must hold exactly the edition's years, and the ``e`` suffixes exactly its
  estimate years: the ``estimate`` column is read from the suffixes and checked against the
  edition, so a year NATO no longer marks as an estimate cannot pass unnoticed.
* Rows without a label whose cells are all ``#REF!``, zero or empty are leftovers of the
  publisher's spreadsheet (Tables 1, 8a and 8b carry them where other tables have aggregates)
  and are skipped. A ``#REF!`` or any text inside a labelled row is an error.
* Table 4 repeats Table 2 (constant US$, first and last year) and Table 3 (share of GDP, first
  and last year) and adds the real change between them; it is not stored but cross-checked
  against Tables 2 and 3.
* Finland and Sweden have rows for years before they joined (2023, 2024): the rows are kept;
  who counts in which year is decided by the membership table, as in NATO's own aggregates.
* Iceland has no armed forces and appears only in the GDP tables (5 and 6): its rows carry GDP
  and nulls for every defence measure.

Adding an edition (e.g. NATO's 2025 tables, 2014-2025, ``def-exp-2025-en.xlsx``):

1. Register it in ``src/dibtrends/sources.py`` as ``nato_defexp_2025`` with its published file
   name, address and the sha256 of the downloaded file.
2. Add ``NatoEdition("nato_defexp_2025", first_year=2014, last_year=2025,
   estimate_years=(...))`` to :data:`EDITIONS`, with the years the file marks ``e``. If the
   layout changed (a new price base, a renamed table), give it its own ``tables=`` (a copy of
   ``TABLE_SPECS`` with the publisher's new words and, for a new unit, new column names) and
   ``table4_units=``; the load stops with the sheet and cell of every difference it finds.

Nothing else changes: the build loads the newest registered edition, and a registered edition
without a :class:`NatoEdition` stops the build with that instruction.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandera.polars as pa
import polars as pl

from .. import paths, sources, validate
from ..countries import iso3
from ..errors import DataError

#: Registry ids of NATO editions are ``<FAMILY>_<last data year>``.
FAMILY = "nato_defexp"

#: Aggregate rows as NATO labels them -> the entity code used in the tidy table.
AGGREGATES = {"NATO Europe and Canada": "NATO_EUROPE_CANADA", "NATO Total": "NATO_TOTAL"}

#: The 32 Allies (2024), from the curated membership table; Iceland only has GDP rows here.
ALLIES = tuple(
    pl.read_csv(paths.CURATED / "nato_membership.csv", columns=["iso3"])["iso3"].to_list()
)

#: Category shares are published rounded per category; their sum may miss 100 by rounding. The
#: workbook holds unrounded values, which sum to 100 within 0.004 points for every Ally-year
#: (checked when this loader was written); 0.5 points allows for a publisher's rounding in a
#: future re-save without letting a missing or doubled category (tens of points) through.
CATEGORY_SUM_TOLERANCE_PP = 0.5

#: The values a measure may take, by kind (the schema's range checks).
VALUE_RULES = {
    "amount": (pa.Check.ge(0),),                      # money or people; Iceland has none
    "positive": (pa.Check.gt(0),),                    # GDP
    "percent": (pa.Check.ge(0), pa.Check.le(100)),    # shares
    "change": (pa.Check.gt(-100),),                   # annual real change, percent
}


@dataclass(frozen=True)
class Block:
    heading: str | None  # the block heading in column B (None: the table has a single block)
    column: str          # the measure column in the tidy table
    unit: str            # unit in words, for the methods page
    kind: str            # a key of VALUE_RULES


@dataclass(frozen=True)
class TableSpec:
    sheet: str
    title: str
    units: str
    blocks: tuple[Block, ...]
    has_aggregates: bool = True


#: The layout of the 2024 edition (constant 2015 prices), as the publisher words it.
TABLE_SPECS: tuple[TableSpec, ...] = (
    TableSpec("TABLE1", "Table 1 : Defence expenditure", "Million national currency units", (
        Block("Current prices", "milex_ncu_m_current",
              "million national currency units, current prices", "amount"),
        Block("Constant 2015 prices", "milex_ncu_m_const2015",
              "million national currency units, constant 2015 prices", "amount"),
    ), has_aggregates=False),
    TableSpec("TABLE2", "Table 2 : Defence expenditure", "Million US dollars", (
        Block("Current prices and exchange rates", "milex_usd_m_current",
              "million US dollars, current prices and exchange rates", "amount"),
        Block("Constant 2015 prices and exchange rates", "milex_usd_m_const2015",
              "million US dollars, constant 2015 prices and exchange rates", "amount"),
    )),
    TableSpec("TABLE3", "Table 3 : Defence expenditure as a share of GDP and annual real change",
              "Based on 2015 prices", (
        Block("Share of real GDP (%)", "share_gdp_pct",
              "percent of real GDP (2015 prices)", "percent"),
        Block("Annual real change (%)", "real_change_pct",
              "percent change on previous year, 2015 prices", "change"),
    )),
    TableSpec("TABLE5", "Table 5 : GDP", "Million US dollars", (
        Block("Current prices and exchange rates", "gdp_usd_m_current",
              "million US dollars, current prices and exchange rates", "positive"),
        Block("Constant 2015 prices and exchange rates", "gdp_usd_m_const2015",
              "million US dollars, constant 2015 prices and exchange rates", "positive"),
    )),
    TableSpec("TABLE6", "Table 6 : GDP per capita and defence expenditure per capita",
              "2015 prices and exchange rates", (
        Block("GDP per capita (thousand US dollars)", "gdp_per_capita_usd_k_const2015",
              "thousand US dollars per person, 2015 prices and exchange rates", "positive"),
        Block("Defence expenditure per capita (US dollars)", "milex_per_capita_usd_const2015",
              "US dollars per person, 2015 prices and exchange rates", "amount"),
    )),
    TableSpec("TABLE7", "Table 7 : Military personnel", "Thousands", (
        Block(None, "military_personnel_thousands", "thousand military personnel", "amount"),
    )),
    TableSpec("TABLE8a", "Table 8a : Distribution of defence expenditure by main category",
              "Percentage of total defence expenditure", (
        Block("Equipment (a)", "equipment_share_pct",
              "percent of defence expenditure: major equipment incl. related R&D", "percent"),
        Block("Personnel (b)", "personnel_share_pct",
              "percent of defence expenditure: military and civilian personnel incl. pensions",
              "percent"),
    ), has_aggregates=False),
    TableSpec("TABLE8b", "Table 8b : Distribution of defence expenditure by main category",
              "Percentage of total defence expenditure", (
        Block("Infrastructure (c)", "infrastructure_share_pct",
              "percent of defence expenditure: NATO common infrastructure and national "
              "military construction", "percent"),
        Block("Other (d)", "other_share_pct",
              "percent of defence expenditure: operations and maintenance, other R&D, "
              "unallocated", "percent"),
    ), has_aggregates=False),
)

#: The measure columns of the 2024 layout, in table order.
MEASURES = [b.column for spec in TABLE_SPECS for b in spec.blocks]
CATEGORY_SHARES = ["equipment_share_pct", "personnel_share_pct", "infrastructure_share_pct",
                   "other_share_pct"]


@dataclass(frozen=True)
class Table4Spec:
    """Table 4 is a cross-check only: its title, units and column headings."""

    sheet: str
    title: str
    units: str
    headers: tuple[str, ...]


@dataclass(frozen=True)
class NatoEdition:
    """One edition of NATO's tables: what the loader expects of its workbook.

    The file itself (name, address, sha256, publication date) is the registry record with the
    same id in :mod:`dibtrends.sources`; only the facts the loader checks live here.
    """

    source_id: str
    first_year: int
    last_year: int
    #: The years the header rows mark with an ``e`` (NATO estimates), and no others.
    estimate_years: tuple[int, ...]
    #: The sheets, their titles, units and blocks (a layout variant replaces this).
    tables: tuple[TableSpec, ...] = TABLE_SPECS
    #: Table 4's units line; its title and headings follow from the years.
    table4_units: str = "Million US dollars (2015 prices and exchange rates)"
    #: The measures Table 4 repeats: constant-price US$ (Table 2) and share of GDP (Table 3).
    table4_columns: tuple[str, str] = ("milex_usd_m_const2015", "share_gdp_pct")

    def __post_init__(self) -> None:
        object.__setattr__(self, "estimate_years", tuple(sorted(self.estimate_years)))
        m = re.fullmatch(rf"{FAMILY}_(\d{{4}})", self.source_id)
        problems = []
        if not m or int(m.group(1)) != self.last_year:
            problems.append(f"its id should be {FAMILY}_{self.last_year} (the last data year)")
        if self.first_year > self.last_year:
            problems.append(f"first_year {self.first_year} is after last_year {self.last_year}")
        outside = sorted(set(self.estimate_years) - set(self.years))
        if outside:
            problems.append(f"estimate years {outside} lie outside {self.first_year}-"
                            f"{self.last_year}")
        measures = self.measures
        repeated = sorted({c for c in measures if measures.count(c) > 1})
        if repeated:
            problems.append(f"columns {repeated} come from more than one block")
        for column in self.table4_columns:
            if column not in measures:
                problems.append(f"Table 4 column {column!r} is in none of its tables")
        for block in (b for t in self.tables for b in t.blocks):
            if block.kind not in VALUE_RULES:
                problems.append(f"block {block.column!r} has kind {block.kind!r}, not one of "
                                f"{sorted(VALUE_RULES)}")
        if problems:
            raise ValueError(f"NatoEdition {self.source_id!r}: " + "; ".join(problems))

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def measures(self) -> list[str]:
        return [b.column for t in self.tables for b in t.blocks]

    def label(self, year: int) -> str:
        """A year as the header rows print it: ``2024e`` for an estimate."""
        return f"{year}e" if year in self.estimate_years else str(year)

    def estimates_in_words(self) -> str:
        est = sorted(self.estimate_years)
        if not est:
            return "no year as an estimate"
        listed = ", ".join(map(str, est[:-1])) + (" and " if len(est) > 1 else "") + str(est[-1])
        return f"{listed} as estimate{'s' if len(est) > 1 else ''}"

    def table4(self) -> Table4Spec:
        first, last = self.label(self.first_year), self.label(self.last_year)
        return Table4Spec(
            "TABLE4", f"Table 4 : Defence expenditure real change {self.first_year}-{last}",
            self.table4_units,
            (first, last, f"Real change {self.first_year}-{last} (%)",
             f"Share of real GDP {first} (%)", f"Share of real GDP {last} (%)"))


#: Every edition the loader can read, by registry id. Add one per new registry record.
EDITIONS: dict[str, NatoEdition] = {e.source_id: e for e in (
    NatoEdition("nato_defexp_2024", first_year=2014, last_year=2024, estimate_years=(2023, 2024)),
)}

_NO_SPEC_FIX = ("add a NatoEdition for {id} to EDITIONS in src/dibtrends/load/nato.py; if the "
                "layout is unchanged, its years and estimate years are all it needs.")


def edition_for(source_id: str | None = None, path: Path | str | None = None) -> NatoEdition:
    """The edition to load: ``source_id`` if given, else the registered NATO edition whose file
    name is ``path``'s, else the newest registered one (:func:`dibtrends.sources.newest`).

    A registered edition without a :class:`NatoEdition` stops with a :class:`DataError` that
    names the id and the fix; an id that is not a registered NATO edition raises KeyError.
    """
    if source_id is None and path is not None:
        named = [s for s in sources.SOURCES
                 if re.fullmatch(rf"{FAMILY}_\d{{4}}", s.id) and s.filename == Path(path).name]
        source_id = named[0].id if named else None
    source = sources.newest(FAMILY) if source_id is None else sources.get(source_id)
    if not re.fullmatch(rf"{FAMILY}_\d{{4}}", source.id):
        raise KeyError(f"{source.id!r} is not a NATO defence-expenditure edition (ids "
                       f"'{FAMILY}_<last data year>'); editions with a spec: "
                       f"{', '.join(EDITIONS)}")
    try:
        return EDITIONS[source.id]
    except KeyError:
        raise DataError(
            path or paths.RAW / source.filename,
            f"NATO edition {source.id!r} ({source.edition}, {source.filename}) is registered in "
            f"src/dibtrends/sources.py, but the loader has no spec for it (specs: "
            f"{', '.join(EDITIONS)})", column=None,
            fix=_NO_SPEC_FIX.format(id=source.id)) from None


def nato_table_map(source_id: str | None = None) -> list[dict]:
    """Which sheet, block and unit each measure column comes from (for the methods page)."""
    edition = edition_for(source_id)
    rows = []
    for spec in edition.tables:
        for block in spec.blocks:
            rows.append({
                "column": block.column,
                "sheet": spec.sheet,
                "table_title": spec.title,
                "units_line": spec.units,
                "block": block.heading or "(single block)",
                "unit": block.unit,
                "aggregates_published": spec.has_aggregates,
            })
    t4 = edition.table4()
    first, last = edition.label(edition.first_year), edition.label(edition.last_year)
    tables = {b.column: t.sheet for t in edition.tables for b in t.blocks}
    rows.append({
        "column": "(cross-check only)", "sheet": t4.sheet, "table_title": t4.title,
        "units_line": t4.units, "block": f"{first}, {last}, real change, shares of GDP",
        "unit": "checked against " + " and ".join(tables[c] for c in edition.table4_columns),
        "aggregates_published": False,
    })
    return rows


def __getattr__(name: str):
    # NATO_TABLE_MAP: the map of the newest edition, computed on use (not at import, so that a
    # registered edition without a spec fails where it is loaded, with the fix).
    if name == "NATO_TABLE_MAP":
        return nato_table_map()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------------------------
# Schema: built from the edition
# --------------------------------------------------------------------------------------------

@functools.cache
def schema(edition: NatoEdition) -> pa.DataFrameSchema:
    """One row per (entity, year) of ``edition``; measures null where NATO publishes nothing."""
    measures = edition.measures
    columns = {
        "source_id": pa.Column(pl.String, pa.Check.isin([edition.source_id])),
        "entity": pa.Column(pl.String, pa.Check.isin(sorted(ALLIES) + sorted(AGGREGATES.values()))),
        "is_aggregate": pa.Column(pl.Boolean),
        "year": pa.Column(pl.Int64, [pa.Check.ge(edition.first_year),
                                     pa.Check.le(edition.last_year)]),
        "estimate": pa.Column(pl.Boolean),
        "national_currency": pa.Column(pl.String, nullable=True),
    }
    kinds = {b.column: b.kind for t in edition.tables for b in t.blocks}
    for column in measures:
        columns[column] = pa.Column(pl.Float64, list(VALUE_RULES[kinds[column]]), nullable=True)

    estimate_years = sorted(edition.estimate_years)
    checks = [
        pa.Check(lambda data: data.lazyframe.select(
            pl.col("estimate") == pl.col("year").is_in(estimate_years)),
            name="estimate_flag_matches_edition",
            error=(f"estimate_flag_matches_edition ({edition.source_id} marks "
                   f"{edition.estimates_in_words()})")),
        pa.Check(lambda data: data.lazyframe.select(
            pl.col("is_aggregate") == pl.col("entity").is_in(list(AGGREGATES.values()))),
            name="aggregate_flag_matches_entity"),
    ]
    if set(CATEGORY_SHARES) <= set(measures):
        # The four categories of Tables 8a/8b partition defence expenditure.
        total = pl.sum_horizontal(CATEGORY_SHARES)
        any_null = pl.any_horizontal([pl.col(c).is_null() for c in CATEGORY_SHARES])
        checks.insert(0, pa.Check(
            lambda data: data.lazyframe.select(
                any_null | ((total - 100).abs() <= CATEGORY_SUM_TOLERANCE_PP)),
            name="category_shares_sum_to_100"))
    return pa.DataFrameSchema(columns, checks=checks, strict=True, unique=["entity", "year"],
                              name=f"NatoDefexp[{edition.source_id}]")


# --------------------------------------------------------------------------------------------
# Reading one sheet
# --------------------------------------------------------------------------------------------

_YEAR_RE = re.compile(r"^(\d{4})(e?)$")
_LABEL_RE = re.compile(r"^(?P<name>[^*(]+?)\s*\*?\s*(?:\((?P<currency>[^)]*)\))?\s*$")
STRAY_VALUES = {"#REF!", 0, None}  # 0 == 0.0


def _norm(text) -> str:
    return " ".join(str(text).replace("\u00a0", " ").split()).casefold()


def _col(idx: int) -> str:
    return openpyxl.utils.get_column_letter(idx)


def _text_cells(rows, row_no: int) -> list[tuple[int, str]]:
    return [(j + 1, v) for j, v in enumerate(rows[row_no - 1]) if isinstance(v, str) and v.strip()]


def _find_cell(rows, file, sheet: str, expected: str, search_rows: range, what: str,
               fix: str) -> tuple[int, int]:
    """(row, column) of the first text cell in ``search_rows``; it must read ``expected``."""
    for r in search_rows:
        if r - 1 >= len(rows):
            break
        cells = _text_cells(rows, r)
        if cells:
            c, value = cells[0]
            if _norm(value) != _norm(expected):
                raise DataError(
                    file, f"sheet {sheet}: the {what} reads {value.strip()!r}, expected "
                    f"{expected!r}", column=f"{sheet}!{_col(c)}", row=r, fix=fix)
            return r, c
    raise DataError(file, f"sheet {sheet}: no {what} found (expected {expected!r})",
                    column=f"{sheet}!B", row=f"{search_rows.start}-{search_rows.stop - 1}",
                    fix=fix)


def _unit_fix(sheet: str) -> str:
    return (f"the publisher changed the title or units of {sheet}: check which unit the sheet now "
            "uses; for a new edition, give its NatoEdition its own tables= (a copy of TABLE_SPECS "
            "with the publisher's new words; where the unit changed, a new column name carrying "
            "it, together with every analysis that reads that column) or table4_units= in "
            "src/dibtrends/load/nato.py.")


def _header(rows, file, sheet: str, start: int,
            edition: NatoEdition) -> tuple[int, dict[int, tuple[int, bool]]]:
    """The year header row after ``start``: {column index: (year, estimate)}.

    The years must be the edition's, and the ``e`` suffixes exactly its estimate years."""
    first, last = edition.first_year, edition.last_year
    span = f"{first} to {edition.label(last)}"
    new_edition = (f"if this is another edition, check that its registry record in "
                   f"src/dibtrends/sources.py and its NatoEdition in src/dibtrends/load/nato.py "
                   f"(now {edition.source_id}: {first}-{last}) give its years.")
    for r in range(start + 1, min(start + 8, len(rows)) + 1):
        found: dict[int, tuple[int, bool]] = {}
        printed: dict[int, str] = {}
        for j, v in enumerate(rows[r - 1]):
            text = (str(int(v)) if isinstance(v, (int, float)) and not isinstance(v, bool)
                    and float(v).is_integer() else str(v).strip() if v is not None else "")
            m = _YEAR_RE.match(text)
            if m and first - 5 <= int(m.group(1)) <= last + 5:
                found[j + 1] = (int(m.group(1)), m.group(2) == "e")
                printed[j + 1] = text
        if len(found) >= 2:
            years = [y for y, _ in found.values()]
            cols = sorted(found)
            missing = sorted(set(edition.years) - set(years))
            extra = sorted(set(years) - set(edition.years))
            dupes = sorted({y for y in years if years.count(y) > 1})
            contiguous = cols == list(range(cols[0], cols[0] + len(cols)))
            if missing or extra or dupes or not contiguous or years != sorted(years):
                where = _col(cols[0] + missing[0] - first) if missing else _col(cols[0])
                raise DataError(
                    file,
                    f"sheet {sheet}: the year header row should hold {first} to {last} "
                    f"({edition.source_id}) in order in adjacent columns; found {years}"
                    + (f", missing {missing}" if missing else "")
                    + (f", unexpected {extra}" if extra else "")
                    + (f", repeated {dupes}" if dupes else ""),
                    column=f"{sheet}!{where}", row=r,
                    fix=f"restore the year headings (the publisher's layout is one column per "
                        f"year, {span}); {new_edition}")
            for c in cols:
                year, estimate = found[c]
                if estimate != (year in edition.estimate_years):
                    raise DataError(
                        file, f"sheet {sheet}: the heading for {year} reads {printed[c]!r}, but "
                        f"{edition.source_id} marks {edition.estimates_in_words()} (suffix 'e') "
                        "and no other year", column=f"{sheet}!{_col(c)}", row=r,
                        fix="if NATO changed which years of this edition are estimates, correct "
                            f"estimate_years of {edition.source_id} in EDITIONS in "
                            "src/dibtrends/load/nato.py (and the registry's edition text); "
                            "otherwise restore the heading as published.")
            return r, found
    raise DataError(file, f"sheet {sheet}: no year header row found below the units line",
                    column=f"{sheet}!D", row=f"{start + 1}-{start + 8}",
                    fix=f"restore the header row with the years {span}.")


def _is_stop(text: str) -> bool:
    t = _norm(text)
    return t.startswith("note") or bool(re.fullmatch(r"-\s*\d+\s*-", t))


def _read_sheet(ws_rows, file, spec: TableSpec, edition: NatoEdition) -> list[dict]:
    rows = ws_rows
    fix = _unit_fix(spec.sheet)
    title_row, _ = _find_cell(rows, file, spec.sheet, spec.title, range(1, 25), "title",
                              fix)
    units_row, _ = _find_cell(rows, file, spec.sheet, spec.units,
                              range(title_row + 1, title_row + 4), "units line", fix)
    header_row, years = _header(rows, file, spec.sheet, units_row, edition)
    first_year_col = min(years)
    label_col, block_col = first_year_col - 1, first_year_col - 2

    blocks = list(spec.blocks)
    current: Block | None = blocks.pop(0) if blocks[0].heading is None else None
    seen_blocks: list[str] = []
    records: list[dict] = []
    for r in range(header_row + 1, len(rows) + 1):
        row = rows[r - 1]
        block_text = row[block_col - 1] if block_col - 1 < len(row) else None
        label = row[label_col - 1] if label_col - 1 < len(row) else None
        block_text = (block_text.strip()
                      if isinstance(block_text, str) and block_text.strip() else None)
        label = label.strip() if isinstance(label, str) and label.strip() else None
        values = {c: (row[c - 1] if c - 1 < len(row) else None) for c in years}

        if label and _is_stop(label) or block_text and _is_stop(block_text):
            break
        if block_text and block_text not in AGGREGATES and label is None:
            # a block heading: must be the next one the spec expects
            if not blocks or _norm(block_text) != _norm(blocks[0].heading):
                expected = blocks[0].heading if blocks else "(no further block)"
                raise DataError(
                    file, f"sheet {spec.sheet}: block heading reads {block_text!r}, expected "
                    f"{expected!r}", column=f"{spec.sheet}!{_col(block_col)}", row=r, fix=fix)
            current = blocks.pop(0)
            seen_blocks.append(current.heading)
            continue
        name = block_text if block_text in AGGREGATES else (label if label in AGGREGATES else None)
        if name is None and label is None:
            if block_text is None and all(v in STRAY_VALUES for v in values.values()):
                continue  # stray #REF! / zero row left in the publisher's spreadsheet
            raise DataError(
                file, f"sheet {spec.sheet}: a row has numbers but no country or aggregate label",
                column=f"{spec.sheet}!{_col(label_col)}", row=r,
                fix="label the row with the country name, or delete it if it is not data.")
        if current is None:
            raise DataError(
                file, f"sheet {spec.sheet}: data row before the first block heading "
                f"{spec.blocks[0].heading!r}", column=f"{spec.sheet}!{_col(block_col)}", row=r,
                fix=fix)
        currency = None
        if name is not None:
            if not spec.has_aggregates:
                raise DataError(
                    file, f"sheet {spec.sheet}: unexpected aggregate row {name!r} (this table "
                    "had none when the loader was written)", column=f"{spec.sheet}!"
                    f"{_col(block_col)}", row=r,
                    fix="check the new aggregate against TABLE2 and add it to the edition's "
                        "tables (TABLE_SPECS) and AGGREGATES.")
            entity = AGGREGATES[name]
        else:
            m = _LABEL_RE.match(label)
            if not m:
                raise DataError(file, f"sheet {spec.sheet}: unreadable country label {label!r}",
                                column=f"{spec.sheet}!{_col(label_col)}", row=r,
                                fix="write the label as 'Country' or 'Country   (Currency)'.")
            country, currency = m.group("name").strip(), m.group("currency")
            try:
                entity = iso3(country, file=file, column=f"{spec.sheet}!{_col(label_col)}")
            except DataError as exc:
                raise DataError(file, f"sheet {spec.sheet}: unknown country name {country!r}",
                                column=f"{spec.sheet}!{_col(label_col)}", row=r,
                                fix=exc.fix) from None
            if entity not in ALLIES:
                raise DataError(
                    file, f"sheet {spec.sheet}: {country!r} ({entity}) is not an Ally in "
                    "data/curated/nato_membership.csv", column=f"{spec.sheet}!{_col(label_col)}",
                    row=r, fix="if NATO has a new member, add it to the membership table "
                               "with its accession date and citation.")
        for c, (year, est) in years.items():
            v = values[c]
            if isinstance(v, bool) or not (v is None or isinstance(v, (int, float))):
                raise DataError(
                    file, f"sheet {spec.sheet}: {current.column} for {entity} {year} is "
                    f"{v!r}, not a number", column=f"{spec.sheet}!{_col(c)}", row=r,
                    fix="the publisher's spreadsheet has a broken formula or a text note in a "
                        "data cell: take the value from the PDF edition of the tables, or leave "
                        "the cell empty if NATO publishes no figure.")
            if isinstance(v, float) and not math.isfinite(v):
                raise DataError(file, f"sheet {spec.sheet}: non-finite value {v!r}",
                                column=f"{spec.sheet}!{_col(c)}", row=r,
                                fix="leave the cell empty if NATO publishes no figure.")
            records.append({"entity": entity, "year": year, "estimate": est,
                            "measure": current.column,
                            "value": None if v is None else float(v),
                            "national_currency": currency, "sheet": spec.sheet, "row": r})
    expected_blocks = [b.heading for b in spec.blocks if b.heading is not None]
    if seen_blocks != expected_blocks:
        raise DataError(file, f"sheet {spec.sheet}: found blocks {seen_blocks}, expected "
                        f"{expected_blocks}", column=f"{spec.sheet}!{_col(block_col)}",
                        row=header_row, fix=fix)
    return records


def _read_table4(rows, file, edition: NatoEdition) -> tuple[pl.DataFrame, int]:
    """Table 4's rows, and the column of its first year (the first value column)."""
    spec = edition.table4()
    sheet = spec.sheet
    fix = _unit_fix(sheet)
    title_row, _ = _find_cell(rows, file, sheet, spec.title, range(1, 25), "title", fix)
    units_row, _ = _find_cell(rows, file, sheet, spec.units,
                              range(title_row + 1, title_row + 4), "units line", fix)
    for r in range(units_row + 1, units_row + 6):
        cells = [(c, str(int(v)) if isinstance(v, (int, float)) else str(v).strip())
                 for c, v in enumerate(rows[r - 1], start=1) if v is not None]
        if cells:
            break
    heads = [t for _, t in cells]
    if [_norm(h) for h in heads] != [_norm(h) for h in spec.headers]:
        raise DataError(file, f"sheet {sheet}: column headings {heads}, expected "
                        f"{list(spec.headers)} ({edition.source_id})",
                        column=f"{sheet}!{_col(cells[0][0])}", row=r, fix=fix)
    first = cells[0][0]
    out = []
    for rr in range(r + 1, len(rows) + 1):
        row = rows[rr - 1]
        label = row[first - 2] if first - 2 < len(row) else None
        if not isinstance(label, str) or not label.strip():
            continue
        if _is_stop(label):
            break
        vals = row[first - 1:first + 4]
        out.append({"entity": iso3(label.strip(), file=file, column=f"{sheet}!{_col(first - 1)}"),
                    "row": rr, **dict(zip(
                        ["t4_usd_first", "t4_usd_last", "t4_real_change_pct",
                         "t4_share_first", "t4_share_last"], vals, strict=False))})
    return pl.DataFrame(out), first


def _cross_check_table4(t4: pl.DataFrame, first_col: int, tidy: pl.DataFrame, file,
                        edition: NatoEdition) -> None:
    """Table 4 must repeat Tables 2 and 3 (to 1e-6 relative: the same cells, re-referenced)."""
    usd, share = edition.table4_columns
    sheet_of = {b.column: t.sheet for t in edition.tables for b in t.blocks}
    y0, y1 = edition.first_year, edition.last_year

    def year(y: int, end: str) -> pl.DataFrame:
        return tidy.filter(pl.col("year") == y).select(
            "entity", pl.col(usd).alias(f"usd_{end}"), pl.col(share).alias(f"share_{end}"))

    joined = (t4.join(year(y0, "first"), on="entity", how="left")
              .join(year(y1, "last"), on="entity", how="left"))
    t4_col = {name: _col(first_col + k) for k, name in enumerate(
        ["usd_first", "usd_last", "real_change", "share_first", "share_last"])}
    pairs = [("t4_usd_first", "usd_first", sheet_of[usd]),
             ("t4_usd_last", "usd_last", sheet_of[usd]),
             ("t4_share_first", "share_first", sheet_of[share]),
             ("t4_share_last", "share_last", sheet_of[share])]
    for row in joined.iter_rows(named=True):
        for t4c, col, other in pairs:
            a, b = row[t4c], row[col]
            if a is None or b is None or abs(a - b) > 1e-6 * max(1.0, abs(b)):
                raise DataError(
                    file, f"sheet TABLE4 disagrees with {other} for {row['entity']}: {a!r} vs "
                    f"{b!r}", column=f"TABLE4!{t4_col[col]}", row=row["row"],
                    fix="the workbook is internally inconsistent (a partial revision?): compare "
                        "with NATO's PDF edition and report the discrepancy.")
        ratio = row["usd_last"] / row["usd_first"]
        if abs((ratio - 1) * 100 - row["t4_real_change_pct"]) > 1e-6:
            raise DataError(file, f"sheet TABLE4: real change for {row['entity']} does not match "
                            f"{edition.label(y1)}/{edition.label(y0)}",
                            column=f"TABLE4!{t4_col['real_change']}", row=row["row"],
                            fix="compare with NATO's PDF edition.")


def load_nato_defexp(path: Path | str | None = None, source_id: str | None = None) -> pl.DataFrame:
    """NATO's tables as one tidy, validated frame: one row per (entity, year).

    ``source_id`` names the edition (a registry id with a :class:`NatoEdition`); by default
    the edition registered under ``path``'s file name, else the newest registered edition.
    ``path`` defaults to that edition's file in data/raw.
    """
    edition = edition_for(source_id, path)
    source = sources.get(edition.source_id)
    path = Path(path or paths.RAW / source.filename)
    if not path.exists():
        raise DataError(path, f"NATO defence expenditure workbook ({edition.source_id}) is "
                        "missing",
                        fix="run `make data` (or dibtrends.fetch.fetch_all) to fetch it.")
    return read_workbook(path, edition)


def read_workbook(path: Path, edition: NatoEdition) -> pl.DataFrame:
    """Read and validate ``path`` as the workbook of ``edition`` (every check of the module)."""
    t4_sheet = edition.table4().sheet
    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    try:
        sheets = {}
        for name in [s.sheet for s in edition.tables] + [t4_sheet]:
            if name not in wb.sheetnames:
                raise DataError(path, f"sheet {name} is missing (sheets: {wb.sheetnames})",
                                column=name, fix=f"check that this is the workbook of "
                                f"{edition.source_id} (its file is named in "
                                "src/dibtrends/sources.py); if the publisher renamed the sheets, "
                                "give its NatoEdition its own tables= in "
                                "src/dibtrends/load/nato.py.")
            sheets[name] = [tuple(r) for r in wb[name].iter_rows(values_only=True)]
    finally:
        wb.close()

    records = [rec for spec in edition.tables
               for rec in _read_sheet(sheets[spec.sheet], path, spec, edition)]
    long = pl.DataFrame(records, schema={
        "entity": pl.String, "year": pl.Int64, "estimate": pl.Boolean, "measure": pl.String,
        "value": pl.Float64, "national_currency": pl.String, "sheet": pl.String, "row": pl.Int64})

    dup = long.filter(pl.struct("entity", "year", "measure").is_duplicated())
    if dup.height:
        first = dup.row(0, named=True)
        raise DataError(path, f"sheet {first['sheet']}: {first['entity']} appears twice in block "
                        f"{first['measure']}", column=f"{first['sheet']}!C", row=first["row"],
                        fix="remove the repeated row.")

    measures = edition.measures
    currency = (long.filter(pl.col("national_currency").is_not_null())
                .group_by("entity").agg(pl.col("national_currency").first()))
    wide = (long.pivot(on="measure", index=["entity", "year", "estimate"], values="value")
            .join(currency, on="entity", how="left"))
    for col in measures:
        if col not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(col))
    tidy = wide.select(
        pl.lit(edition.source_id).alias("source_id"),
        "entity",
        pl.col("entity").is_in(list(AGGREGATES.values())).alias("is_aggregate"),
        "year", "estimate", "national_currency",
        *[pl.col(c).cast(pl.Float64) for c in measures],
    ).sort("is_aggregate", "entity", "year")

    t4, t4_first_col = _read_table4(sheets[t4_sheet], path, edition)
    _cross_check_table4(t4, t4_first_col, tidy, path, edition)
    return validated(tidy, path, edition)


def validated(df: pl.DataFrame, path, edition: NatoEdition) -> pl.DataFrame:
    return validate.validated(df, schema(edition), path, key=["entity", "year"])


TABLES = {"nato_defexp": load_nato_defexp}
