"""NATO, "Defence Expenditure of NATO Countries (2014-2024)", press-release tables, 17 June 2024.

The workbook is nine printed pages (sheets TABLE1-TABLE8b), each a wide table: a title, a units
line, the years in one header row (``2023e`` and ``2024e`` are estimates), then one or two blocks
whose heading (column B) names the price basis or the measure, with one row per Ally and, in most
tables, two aggregate rows ("NATO Europe and Canada", "NATO Total"). The loader reads every table
into ONE tidy frame with one row per (entity, year) and one column per measure, units in the
column name.

What the loader trusts and what it checks:

* Units are taken from the publisher's own words. Each sheet's title, units line and block
  headings are compared with the text below (``TABLE_SPECS``); a change stops the load with a
  :class:`DataError` naming file, sheet, cell and fix, because a new unit under an old column
  name would silently corrupt every number downstream.
* The header row must hold exactly the years 2014-2024; a suffix ``e`` marks an estimate.
* Rows without a label whose cells are all ``#REF!``, zero or empty are leftovers of the
  publisher's spreadsheet (Tables 1, 8a and 8b carry them where other tables have aggregates)
  and are skipped. A ``#REF!`` or any text inside a labelled row is an error.
* Table 4 repeats Table 2 (constant US$, 2014 and 2024) and Table 3 (share of GDP, 2014 and 2024)
  and adds the real change 2014-2024; it is not stored but cross-checked against Tables 2 and 3.
* Finland and Sweden have rows for years before they joined (2023, 2024): the rows are kept;
  who counts in which year is decided by the membership table, as in NATO's own aggregates.
* Iceland has no armed forces and appears only in the GDP tables (5 and 6): its rows carry GDP
  and nulls for every defence measure.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandera.polars as pa
import polars as pl

from .. import paths, validate
from ..countries import iso3
from ..errors import DataError
from ..sources import get as get_source

SOURCE_ID = "nato_defexp_2024"
FIRST_YEAR, LAST_YEAR = 2014, 2024
YEARS = list(range(FIRST_YEAR, LAST_YEAR + 1))

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


@dataclass(frozen=True)
class Block:
    heading: str | None  # the block heading in column B (None: the table has a single block)
    column: str          # the measure column in the tidy table
    unit: str            # unit in words, for the methods page


@dataclass(frozen=True)
class TableSpec:
    sheet: str
    title: str
    units: str
    blocks: tuple[Block, ...]
    has_aggregates: bool = True


TABLE_SPECS: tuple[TableSpec, ...] = (
    TableSpec("TABLE1", "Table 1 : Defence expenditure", "Million national currency units", (
        Block("Current prices", "milex_ncu_m_current",
              "million national currency units, current prices"),
        Block("Constant 2015 prices", "milex_ncu_m_const2015",
              "million national currency units, constant 2015 prices"),
    ), has_aggregates=False),
    TableSpec("TABLE2", "Table 2 : Defence expenditure", "Million US dollars", (
        Block("Current prices and exchange rates", "milex_usd_m_current",
              "million US dollars, current prices and exchange rates"),
        Block("Constant 2015 prices and exchange rates", "milex_usd_m_const2015",
              "million US dollars, constant 2015 prices and exchange rates"),
    )),
    TableSpec("TABLE3", "Table 3 : Defence expenditure as a share of GDP and annual real change",
              "Based on 2015 prices", (
        Block("Share of real GDP (%)", "share_gdp_pct",
              "percent of real GDP (2015 prices)"),
        Block("Annual real change (%)", "real_change_pct",
              "percent change on previous year, 2015 prices"),
    )),
    TableSpec("TABLE5", "Table 5 : GDP", "Million US dollars", (
        Block("Current prices and exchange rates", "gdp_usd_m_current",
              "million US dollars, current prices and exchange rates"),
        Block("Constant 2015 prices and exchange rates", "gdp_usd_m_const2015",
              "million US dollars, constant 2015 prices and exchange rates"),
    )),
    TableSpec("TABLE6", "Table 6 : GDP per capita and defence expenditure per capita",
              "2015 prices and exchange rates", (
        Block("GDP per capita (thousand US dollars)", "gdp_per_capita_usd_k_const2015",
              "thousand US dollars per person, 2015 prices and exchange rates"),
        Block("Defence expenditure per capita (US dollars)", "milex_per_capita_usd_const2015",
              "US dollars per person, 2015 prices and exchange rates"),
    )),
    TableSpec("TABLE7", "Table 7 : Military personnel", "Thousands", (
        Block(None, "military_personnel_thousands", "thousand military personnel"),
    )),
    TableSpec("TABLE8a", "Table 8a : Distribution of defence expenditure by main category",
              "Percentage of total defence expenditure", (
        Block("Equipment (a)", "equipment_share_pct",
              "percent of defence expenditure: major equipment incl. related R&D"),
        Block("Personnel (b)", "personnel_share_pct",
              "percent of defence expenditure: military and civilian personnel incl. pensions"),
    ), has_aggregates=False),
    TableSpec("TABLE8b", "Table 8b : Distribution of defence expenditure by main category",
              "Percentage of total defence expenditure", (
        Block("Infrastructure (c)", "infrastructure_share_pct",
              "percent of defence expenditure: NATO common infrastructure and national "
              "military construction"),
        Block("Other (d)", "other_share_pct",
              "percent of defence expenditure: operations and maintenance, other R&D, "
              "unallocated"),
    ), has_aggregates=False),
)

#: Table 4 is a cross-check only: its title, units and column headings.
TABLE4 = {
    "sheet": "TABLE4",
    "title": "Table 4 : Defence expenditure real change 2014-2024e",
    "units": "Million US dollars (2015 prices and exchange rates)",
    "headers": ["2014", "2024e", "Real change 2014-2024e (%)", "Share of real GDP 2014 (%)",
                "Share of real GDP 2024e (%)"],
}

MEASURES = [b.column for spec in TABLE_SPECS for b in spec.blocks]
CATEGORY_SHARES = ["equipment_share_pct", "personnel_share_pct", "infrastructure_share_pct",
                   "other_share_pct"]


def nato_table_map() -> list[dict]:
    """Which sheet, block and unit each measure column comes from (for the methods page)."""
    rows = []
    for spec in TABLE_SPECS:
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
    rows.append({
        "column": "(cross-check only)", "sheet": TABLE4["sheet"], "table_title": TABLE4["title"],
        "units_line": TABLE4["units"], "block": "2014, 2024e, real change, shares of GDP",
        "unit": "checked against TABLE2 and TABLE3", "aggregates_published": False,
    })
    return rows


#: Module-level copy, as the report's methods page expects a plain list of dicts.
NATO_TABLE_MAP = nato_table_map()


# --------------------------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------------------------

def _share(**kw):
    return pa.Field(nullable=True, ge=0, le=100, **kw)


class NatoDefexp(pa.DataFrameModel):
    """One row per (entity, year); measures null where NATO publishes nothing."""

    source_id: str = pa.Field(isin=[SOURCE_ID])
    entity: str = pa.Field(isin=sorted(ALLIES) + sorted(AGGREGATES.values()))
    is_aggregate: bool
    year: pl.Int64 = pa.Field(ge=FIRST_YEAR, le=LAST_YEAR)
    estimate: bool
    national_currency: str = pa.Field(nullable=True)
    milex_ncu_m_current: float = pa.Field(nullable=True, ge=0)
    milex_ncu_m_const2015: float = pa.Field(nullable=True, ge=0)
    milex_usd_m_current: float = pa.Field(nullable=True, ge=0)
    milex_usd_m_const2015: float = pa.Field(nullable=True, ge=0)
    share_gdp_pct: float = _share()
    real_change_pct: float = pa.Field(nullable=True, gt=-100)
    gdp_usd_m_current: float = pa.Field(nullable=True, gt=0)
    gdp_usd_m_const2015: float = pa.Field(nullable=True, gt=0)
    gdp_per_capita_usd_k_const2015: float = pa.Field(nullable=True, gt=0)
    milex_per_capita_usd_const2015: float = pa.Field(nullable=True, ge=0)
    military_personnel_thousands: float = pa.Field(nullable=True, ge=0)
    equipment_share_pct: float = _share()
    personnel_share_pct: float = _share()
    infrastructure_share_pct: float = _share()
    other_share_pct: float = _share()

    class Config:
        strict = True
        unique = ["entity", "year"]

    @pa.dataframe_check
    def category_shares_sum_to_100(cls, data) -> pl.LazyFrame:
        """The four categories of Tables 8a/8b partition defence expenditure."""
        total = pl.sum_horizontal(CATEGORY_SHARES)
        any_null = pl.any_horizontal([pl.col(c).is_null() for c in CATEGORY_SHARES])
        return data.lazyframe.select(
            any_null | ((total - 100).abs() <= CATEGORY_SUM_TOLERANCE_PP)
        )

    @pa.dataframe_check
    def estimate_flag_is_2023_and_2024(cls, data) -> pl.LazyFrame:
        """NATO marks 2023 and 2024 as estimates in this edition, and nothing else."""
        return data.lazyframe.select(pl.col("estimate") == (pl.col("year") >= 2023))

    @pa.dataframe_check
    def aggregate_flag_matches_entity(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(
            pl.col("is_aggregate") == pl.col("entity").is_in(list(AGGREGATES.values()))
        )


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
            "uses, then update TABLE_SPECS (and the column name carrying the unit) in "
            "src/dibtrends/load/nato.py together with every analysis that reads that column.")


def _header(rows, file, sheet: str, start: int) -> tuple[int, dict[int, tuple[int, bool]]]:
    """The year header row after ``start``: {column index: (year, estimate)}."""
    for r in range(start + 1, min(start + 8, len(rows)) + 1):
        found: dict[int, tuple[int, bool]] = {}
        for j, v in enumerate(rows[r - 1]):
            text = (str(int(v)) if isinstance(v, (int, float)) and not isinstance(v, bool)
                    and float(v).is_integer() else str(v).strip() if v is not None else "")
            m = _YEAR_RE.match(text)
            if m and FIRST_YEAR - 5 <= int(m.group(1)) <= LAST_YEAR + 5:
                found[j + 1] = (int(m.group(1)), m.group(2) == "e")
        if len(found) >= 2:
            years = [y for y, _ in found.values()]
            cols = sorted(found)
            missing = sorted(set(YEARS) - set(years))
            extra = sorted(set(years) - set(YEARS))
            dupes = sorted({y for y in years if years.count(y) > 1})
            contiguous = cols == list(range(cols[0], cols[0] + len(cols)))
            if missing or extra or dupes or not contiguous or years != sorted(years):
                where = _col(cols[0] + missing[0] - FIRST_YEAR) if missing else _col(cols[0])
                raise DataError(
                    file,
                    f"sheet {sheet}: the year header row should hold {FIRST_YEAR} to {LAST_YEAR} "
                    f"in order in adjacent columns; found {years}"
                    + (f", missing {missing}" if missing else "")
                    + (f", unexpected {extra}" if extra else "")
                    + (f", repeated {dupes}" if dupes else ""),
                    column=f"{sheet}!{where}", row=r,
                    fix="restore the year headings (the publisher's layout is one column per year, "
                        "2014 to 2024e); if a new edition adds years, update FIRST_YEAR/LAST_YEAR "
                        "and the tests in src/dibtrends/load/nato.py.")
            return r, found
    raise DataError(file, f"sheet {sheet}: no year header row found below the units line",
                    column=f"{sheet}!D", row=f"{start + 1}-{start + 8}",
                    fix="restore the header row with the years 2014 to 2024e.")


def _is_stop(text: str) -> bool:
    t = _norm(text)
    return t.startswith("note") or bool(re.fullmatch(r"-\s*\d+\s*-", t))


def _read_sheet(ws_rows, file, spec: TableSpec) -> list[dict]:
    rows = ws_rows
    fix = _unit_fix(spec.sheet)
    title_row, _ = _find_cell(rows, file, spec.sheet, spec.title, range(1, 25), "title",
                              fix)
    units_row, _ = _find_cell(rows, file, spec.sheet, spec.units,
                              range(title_row + 1, title_row + 4), "units line", fix)
    header_row, years = _header(rows, file, spec.sheet, units_row)
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
        block_text = block_text.strip() if isinstance(block_text, str) and block_text.strip() else None
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
                    fix="check the new aggregate against TABLE2 and add it to TABLE_SPECS.")
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


def _read_table4(rows, file) -> pl.DataFrame:
    sheet = TABLE4["sheet"]
    fix = _unit_fix(sheet)
    title_row, _ = _find_cell(rows, file, sheet, TABLE4["title"], range(1, 25), "title", fix)
    units_row, _ = _find_cell(rows, file, sheet, TABLE4["units"],
                              range(title_row + 1, title_row + 4), "units line", fix)
    for r in range(units_row + 1, units_row + 6):
        cells = [(c, str(int(v)) if isinstance(v, (int, float)) else str(v).strip())
                 for c, v in enumerate(rows[r - 1], start=1) if v is not None]
        if cells:
            break
    heads = [t for _, t in cells]
    if [_norm(h) for h in heads] != [_norm(h) for h in TABLE4["headers"]]:
        raise DataError(file, f"sheet {sheet}: column headings {heads}, expected "
                        f"{TABLE4['headers']}", column=f"{sheet}!{_col(cells[0][0])}", row=r,
                        fix=fix)
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
                        ["t4_usd_const2015_2014", "t4_usd_const2015_2024", "t4_real_change_pct",
                         "t4_share_2014", "t4_share_2024"], vals))})
    return pl.DataFrame(out)


def _cross_check_table4(t4: pl.DataFrame, tidy: pl.DataFrame, file) -> None:
    """Table 4 must repeat Tables 2 and 3 (to 1e-6 relative: the same cells, re-referenced)."""
    wide = tidy.filter(pl.col("year").is_in([2014, 2024])).pivot(
        on="year", index="entity", values=["milex_usd_m_const2015", "share_gdp_pct"])
    joined = t4.join(wide, on="entity", how="left")
    pairs = [("t4_usd_const2015_2014", "milex_usd_m_const2015_2014", "TABLE2", "D"),
             ("t4_usd_const2015_2024", "milex_usd_m_const2015_2024", "TABLE2", "E"),
             ("t4_share_2014", "share_gdp_pct_2014", "TABLE3", "G"),
             ("t4_share_2024", "share_gdp_pct_2024", "TABLE3", "H")]
    for row in joined.iter_rows(named=True):
        for t4c, col, other, letter in pairs:
            a, b = row[t4c], row[col]
            if a is None or b is None or abs(a - b) > 1e-6 * max(1.0, abs(b)):
                raise DataError(
                    file, f"sheet TABLE4 disagrees with {other} for {row['entity']}: {a!r} vs "
                    f"{b!r}", column=f"TABLE4!{letter}", row=row["row"],
                    fix="the workbook is internally inconsistent (a partial revision?): compare "
                        "with NATO's PDF edition and report the discrepancy.")
        ratio = row["milex_usd_m_const2015_2024"] / row["milex_usd_m_const2015_2014"]
        if abs((ratio - 1) * 100 - row["t4_real_change_pct"]) > 1e-6:
            raise DataError(file, f"sheet TABLE4: real change for {row['entity']} does not match "
                            "2024e/2014", column="TABLE4!F", row=row["row"],
                            fix="compare with NATO's PDF edition.")


def load_nato_defexp(path: Path | None = None) -> pl.DataFrame:
    """The NATO tables as one tidy, validated frame: one row per (entity, year)."""
    source = get_source(SOURCE_ID)
    path = Path(path or paths.RAW / source.filename)
    if not path.exists():
        raise DataError(path, "NATO defence expenditure workbook is missing",
                        fix="run `make data` (or dibtrends.fetch.fetch_all) to fetch it.")
    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    try:
        sheets = {}
        for name in [s.sheet for s in TABLE_SPECS] + [TABLE4["sheet"]]:
            if name not in wb.sheetnames:
                raise DataError(path, f"sheet {name} is missing (sheets: {wb.sheetnames})",
                                column=name, fix="check that this is the 2024 edition "
                                "(240617-def-exp-2024-TABLES-en.xlsx).")
            sheets[name] = [tuple(r) for r in wb[name].iter_rows(values_only=True)]
    finally:
        wb.close()

    records = [rec for spec in TABLE_SPECS for rec in _read_sheet(sheets[spec.sheet], path, spec)]
    long = pl.DataFrame(records, schema={
        "entity": pl.String, "year": pl.Int64, "estimate": pl.Boolean, "measure": pl.String,
        "value": pl.Float64, "national_currency": pl.String, "sheet": pl.String, "row": pl.Int64})

    dup = long.filter(pl.struct("entity", "year", "measure").is_duplicated())
    if dup.height:
        first = dup.row(0, named=True)
        raise DataError(path, f"sheet {first['sheet']}: {first['entity']} appears twice in block "
                        f"{first['measure']}", column=f"{first['sheet']}!C", row=first["row"],
                        fix="remove the repeated row.")

    currency = (long.filter(pl.col("national_currency").is_not_null())
                .group_by("entity").agg(pl.col("national_currency").first()))
    wide = (long.pivot(on="measure", index=["entity", "year", "estimate"], values="value")
            .join(currency, on="entity", how="left"))
    for col in MEASURES:
        if col not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(col))
    tidy = wide.select(
        pl.lit(SOURCE_ID).alias("source_id"),
        "entity",
        pl.col("entity").is_in(list(AGGREGATES.values())).alias("is_aggregate"),
        "year", "estimate", "national_currency",
        *[pl.col(c).cast(pl.Float64) for c in MEASURES],
    ).sort("is_aggregate", "entity", "year")

    _cross_check_table4(_read_table4(sheets[TABLE4["sheet"]], path), tidy, path)
    return validated(tidy, path)


def validated(df: pl.DataFrame, path) -> pl.DataFrame:
    return validate.validated(df, NatoDefexp, path, key=["entity", "year"])


TABLES = {"nato_defexp": load_nato_defexp}
