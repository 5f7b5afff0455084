"""SIPRI Arms Industry Database: the Top 100 arms-producing and military services companies.

Two editions of the company workbook are registered, each with its own id and processed table,
named after the edition's last data year (like the SIPRI milex ids):

* ``sipri_top100_2023``: ``SIPRI-Top-100-2002-2023.xlsx``, December 2024 release (2002-2023,
  constant prices in 2023 US$);
* ``sipri_top100_2024``: ``SIPRI-Top-100-2002-2024 (2).xlsx``, December 2025 release (2002-2024,
  constant prices in 2024 US$). SIPRI revises earlier years between editions (company figures,
  ranks, even which companies make the list), so the two are never mixed in one series;
  :mod:`dibtrends.industry` compares them year by year.

Each workbook has one sheet per year. Some sheet names carry a trailing space (``'2010 '``);
three title lines, then the header on row 4 (``HEADER_ROW``), then 100 ranked rows, then footnote
rows (a letter in column A, the text in column B). The column layout differs by year and edition
and the loader maps columns by their header text, never by position:

* the first year (2002) has no previous-year rank or revenue and puts the constant-price column
  before total revenue; later years carry ``Rank (Y-1)`` and ``Arms revenues (Y-1)`` and both
  ``Arms revenues Y`` and ``Arms revenues Y-1`` at the edition's constant prices;
* the edition's last year adds a ``Notes (Y)`` column (footnote letters per company) and has no
  constant-price column for Y itself, because the constant prices *are* Y prices (the loader
  sets ``arms_revenue_usd_m_constant`` equal to the current-price value for that year);
* header spelling drifts (double spaces, a leading space in `` Country ``, ``*Note (b)``,
  ``note (e)`` and ``(c)`` footnote references); headers are normalised before matching, and a
  missing header stops the load with a :class:`DataError` naming file, sheet, the expected header
  and the fix;
* a header that is wrong in the published file is corrected only through ``HEADER_FIXES``, which
  names the edition, sheet, column, the published text and what the column holds; the fix stops
  with an error when the published text no longer matches (the publisher corrected the file).
  The December 2025 edition's 2023 sheet heads both constant-price columns "Arms revenues 2023
  (constant 2024 prices)"; the second holds 2022 (its values equal the 2022 sheet's own 2022
  column, which the tests check).

Values: US$ million at current prices, rounded by SIPRI to the nearest 10 million; ``. .`` means
not available and ``-`` (in previous-year columns) that the company was not in the previous
Top 100; both become null. The share of arms in total revenue is stored by SIPRI as a fraction
(0.8999 = 90.0 %) and converted here to percent. Rows whose cells are all ``#REF!`` (spreadsheet
debris) would be skipped; a ``#REF!`` or other text inside a ranked row is an error. The 2019
sheet marks two Chinese shipbuilders ``CSIC - MERGED!`` and ``CSSC - MERGED!`` (they merged in
November 2019): the company is stored as ``CSIC``/``CSSC`` and the marker kept in
``sipri_notes``. The schema checks that ranks run 1-100 without ties in every year and that
``(year, company)`` is unique.

``Country`` is where the ownership and control structures are located (SIPRI footnote);
``Trans-European`` (Airbus, MBDA, KNDS, ...) means control located in more than one European
country: ``hq_iso3`` is null and ``trans_european`` true for those rows.

Chinese companies are included only from 2015 (``(excluding China)`` in the 2002-2014 titles):
the totals break between 2014 and 2015. ``dibtrends.industry`` handles the break.

``Total-arms-sales-SIPRI-Top-100-2002-2023.xlsx`` (source ``sipri_top100_totals``, December 2024
release) gives the published total per year in current and constant (2023) US$ billion. Its note
says each year's total covers that year's Top 100, *except* 2022, which covers the companies in
the 2023 list; the loader parses that note into ``company_set_year`` so the cross-check in the
tests compares like with like. The December 2025 edition's totals file is not available: its
totals are the sums of the 100 rows (``dibtrends.industry.annual_totals``), which is how the
December 2024 totals were made (the tests check that to US$0.005 bn).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandera.polars as pa
import polars as pl

from .. import paths, validate
from ..countries import iso3
from ..errors import DataError
from ..sources import get as get_source

TOTALS_SOURCE_ID = "sipri_top100_totals"
#: The constant-price base year of the totals file (December 2024 release).
TOTALS_CONST_BASE_YEAR = 2023
HEADER_ROW = 4
TRANS_EUROPEAN = "Trans-European"
#: Cells that mean "no value" in these workbooks.
MISSING = {"", ". .", "..", "...", "-", "–", "—", "n/a"}
#: The arms share may exceed 100 % by rounding (both revenues rounded to US$ 10 m): 1 point allows
#: that (largest seen: LIG Nex1 2010, 100.6 %) without letting a unit slip (x100) through.
SHARE_MAX_PCT = 101.0


@dataclass(frozen=True)
class Edition:
    """One edition of the Top 100 workbook: its registry id (= processed table name) and the
    facts about its layout the loader relies on."""

    source_id: str
    last_year: int
    #: Base year of the constant-price columns ("constant 2024 prices").
    const_base_year: int
    header_row: int = HEADER_ROW
    #: (sheet, 1-based column) -> (header as published, header it should have): see module doc.
    header_fixes: dict = field(default_factory=dict)
    #: (year, company) -> reason: published arms shares above SHARE_MAX_PCT, kept as published.
    share_outliers: dict = field(default_factory=dict)

    @property
    def table(self) -> str:
        return self.source_id

    @property
    def edition(self) -> str:
        return get_source(self.source_id).edition


_SIERRA_NEVADA = (
    "SIPRI prints total revenue 316 against arms revenue 1,150 (US$ m): 364 %, a publisher "
    "inconsistency (2012: total 1,200); kept as published, not used by any analysis")

EDITIONS = {e.source_id: e for e in (
    Edition("sipri_top100_2023", last_year=2023, const_base_year=2023,
            share_outliers={(2013, "Sierra Nevada Corp."): _SIERRA_NEVADA}),
    Edition("sipri_top100_2024", last_year=2024, const_base_year=2024,
            header_fixes={("2023", 10): ("Arms revenues 2023 (constant 2024 prices) note (d)",
                                         "Arms revenues 2022 (constant 2024 prices) note (d)")}),
)}
#: The newest edition: what the report's industry chapter reads.
NEWEST = "sipri_top100_2024"
PREVIOUS = "sipri_top100_2023"
class Top100Schema(pa.DataFrameModel):
    """One row per company and year, as SIPRI ranks them, in one edition."""

    source_id: str = pa.Field(isin=list(EDITIONS))
    edition: str = pa.Field(str_length={"min_value": 4})
    year: pl.Int64 = pa.Field(ge=2002, le=2100)
    rank: pl.Int64 = pa.Field(ge=1, le=100)
    rank_prev: pl.Int64 = pa.Field(nullable=True, ge=1)
    company: str = pa.Field(str_length={"min_value": 1})
    sipri_notes: str = pa.Field(nullable=True)
    country_published: str = pa.Field(str_length={"min_value": 2})
    hq_iso3: str = pa.Field(nullable=True, str_length=3)
    trans_european: bool
    arms_revenue_usd_m_current: float = pa.Field(gt=0)
    arms_revenue_prev_usd_m_current: float = pa.Field(nullable=True, gt=0)
    total_revenue_usd_m_current: float = pa.Field(nullable=True, gt=0)
    arms_share_of_revenue_pct: float = pa.Field(nullable=True, ge=0)
    #: Arms revenue of ``year`` and of the year before, at the edition's constant prices.
    constant_prices_year: pl.Int64 = pa.Field(ge=2002, le=2100)
    arms_revenue_usd_m_constant: float = pa.Field(nullable=True, gt=0)
    arms_revenue_prev_usd_m_constant: float = pa.Field(nullable=True, gt=0)
    sheet: str
    source_row: pl.Int64 = pa.Field(ge=HEADER_ROW + 1)

    class Config:
        strict = True
        coerce = False
        unique = ["year", "rank"]  # noqa: RUF012 - pandera reads a list

    @pa.dataframe_check
    def company_unique_per_year(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(~pl.struct("year", "company").is_duplicated())

    @pa.dataframe_check
    def trans_european_has_no_iso3(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(
            pl.when(pl.col("trans_european")).then(pl.col("hq_iso3").is_null())
            .otherwise(pl.col("hq_iso3").is_not_null())
        )

    @pa.dataframe_check
    def arms_share_at_most_100_pct(cls, data) -> pl.LazyFrame:
        known = pl.lit(False)
        for edition in EDITIONS.values():
            for year, company in edition.share_outliers:
                known = known | ((pl.col("source_id") == edition.source_id)
                                 & (pl.col("year") == year) & (pl.col("company") == company))
        return data.lazyframe.select(
            pl.col("arms_share_of_revenue_pct").is_null()
            | (pl.col("arms_share_of_revenue_pct") <= SHARE_MAX_PCT) | known
        )


class Top100TotalsSchema(pa.DataFrameModel):
    """SIPRI's published total arms revenue of the Top 100, per year."""

    source_id: str = pa.Field(isin=[TOTALS_SOURCE_ID])
    year: pl.Int64 = pa.Field(ge=2002, le=2100, unique=True)
    arms_revenue_usd_bn_current: float = pa.Field(gt=0)
    arms_revenue_usd_bn_const2023: float = pa.Field(gt=0)
    #: The year whose Top 100 list the total covers (the publisher's note: 2022 -> 2023 list).
    company_set_year: pl.Int64 = pa.Field(ge=2002, le=2100)

    class Config:
        strict = True
        coerce = False


# --- header mapping -------------------------------------------------------------------------

def _norm_header(text: object) -> str:
    """'Rank (2014)  *Note (b)' -> 'rank (2014)'; 'Company (c) ' -> 'company'."""
    s = " ".join(str(text).replace("\u00a0", " ").split()).lower()
    s = re.sub(r"\s*\*?\s*note\s*\([a-z]\)", "", s)  # '*Note (b)', 'note (d)'
    s = re.sub(r"\s*\([a-z]\)$", "", s)  # trailing footnote reference '(c)'
    return s.strip()


def _expected_headers(year: int, first_year: int, base: int) -> dict[str, tuple[str, bool]]:
    """Field -> (normalised header, required?) for the sheet of ``year``; ``base`` is the
    edition's constant-price year."""
    has_prev = year > first_year
    return {
        "rank": (f"rank ({year})", True),
        "rank_prev": (f"rank ({year - 1})", has_prev),
        "company": ("company", True),
        "notes": (f"notes ({year})", False),
        "country": ("country", True),
        "arms": (f"arms revenues ({year})", True),
        "arms_prev": (f"arms revenues ({year - 1})", has_prev),
        "total": (f"total revenues ({year})", True),
        "share": (f"arms revenues as a % of total revenues ({year})", True),
        "const": (f"arms revenues {year} (constant {base} prices)", year != base),
        "const_prev": (f"arms revenues {year - 1} (constant {base} prices)", False),
    }


def _header(ws, path: Path, edition: Edition) -> list:
    """The sheet's header row with the edition's documented corrections applied."""
    header = [c.value for c in ws[edition.header_row]]
    for (sheet, column), (published, corrected) in edition.header_fixes.items():
        if ws.title.strip() != sheet:
            continue
        found = header[column - 1] if column <= len(header) else None
        if found != published:
            raise DataError(
                path, f"sheet {ws.title!r}: the header fix for column {column} expects "
                f"{published!r} but the file has {found!r}", column=str(found),
                row=edition.header_row,
                fix=("the publisher changed this header: check what the column holds and "
                     f"update or remove the entry for {edition.source_id} in EDITIONS "
                     "(header_fixes) in src/dibtrends/load/sipri_top100.py."))
        header[column - 1] = corrected
    return header


def _map_columns(header: list, ws, path: Path, year: int, first_year: int,
                 edition: Edition) -> dict[str, int]:
    row = edition.header_row
    by_text: dict[str, int] = {}
    for idx, value in enumerate(header):
        if value is None or not str(value).strip():
            continue
        key = _norm_header(value)
        if key in by_text:
            raise DataError(
                path, f"sheet {ws.title!r}: header {key!r} appears twice (columns "
                f"{by_text[key] + 1} and {idx + 1})", column=str(value), row=row,
                fix=("check what each column holds; if the publisher mislabelled one, record "
                     "the correction in header_fixes of this edition in EDITIONS "
                     "(src/dibtrends/load/sipri_top100.py)."))
        by_text[key] = idx
    cols: dict[str, int] = {}
    for name, (wanted, required) in _expected_headers(
            year, first_year, edition.const_base_year).items():
        if wanted in by_text:
            cols[name] = by_text[wanted]
        elif required:
            seen = ", ".join(repr(str(h).strip()) for h in header if h is not None)
            raise DataError(
                path, f"sheet {ws.title!r}: expected a column headed {wanted!r} in row "
                f"{row} but found only: {seen}", column=wanted, row=row,
                fix=("SIPRI renamed or removed this column; map the new header text to the field "
                     f"{name!r} in _expected_headers() in src/dibtrends/load/sipri_top100.py "
                     "after checking that its meaning and units are unchanged."))
    return cols


# --- cell parsing ----------------------------------------------------------------------------

def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in MISSING)


def _number(value, *, path, sheet, row, column, required) -> float | None:
    if _is_missing(value):
        if required:
            raise DataError(path, f"sheet {sheet!r}: a ranked company has no value",
                            column=column, row=row,
                            fix="check the cell in the workbook; the Top 100 ranks by this value.")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DataError(path, f"sheet {sheet!r}: expected a number, found {value!r}",
                        column=column, row=row,
                        fix=("if this is a new missing-data marker, add it to MISSING in "
                             "src/dibtrends/load/sipri_top100.py; a '#REF!' means the publisher's "
                             "formula broke: use an intact copy of the file."))
    return float(value)


def _int(value, *, path, sheet, row, column, required) -> int | None:
    number = _number(value, path=path, sheet=sheet, row=row, column=column, required=required)
    if number is None:
        return None
    if number != int(number):
        raise DataError(path, f"sheet {sheet!r}: rank {value!r} is not a whole number",
                        column=column, row=row, fix="check the rank cell in the workbook.")
    return int(number)


def _clean_company(raw: str) -> tuple[str, str | None]:
    """Strip whitespace, footnote references and the 'MERGED!' marker (kept as a note)."""
    name = " ".join(str(raw).replace("\u00a0", " ").split())
    note = None
    merged = re.search(r"\s*-\s*MERGED!?\s*$", name, flags=re.IGNORECASE)
    if merged:
        note, name = "MERGED!", name[: merged.start()]
    name = re.sub(r"\s*(\([a-z]\)|\*+)$", "", name).strip()
    return name, note


def _is_debris(row: tuple) -> bool:
    """A row of '#REF!'s and blanks left by the publisher's spreadsheet."""
    values = [v for v in row if not _is_missing(v)]
    return bool(values) and all(isinstance(v, str) and v.strip().startswith("#REF") for v in values)


def _read_sheet(ws, path: Path, first_year: int, edition: Edition) -> list[dict]:
    sheet = ws.title
    try:
        year = int(sheet.strip())
    except ValueError:
        raise DataError(path, f"sheet {sheet!r} is not named after a year", column=None,
                        fix="the workbook should have one sheet per year (e.g. '2023', '2010 ')."
                        ) from None
    header = _header(ws, path, edition)
    cols = _map_columns(header, ws, path, year, first_year, edition)

    def col_name(name: str) -> str:
        return str(header[cols[name]]).strip()

    def get(row: tuple, name: str):
        return row[cols[name]] if name in cols and cols[name] < len(row) else None

    def optional_number(cells: tuple, name: str, **kw) -> float | None:
        if name not in cols:
            return None
        return _number(get(cells, name), column=col_name(name), required=False, **kw)

    rows = []
    first_row = edition.header_row + 1
    for excel_row, row in enumerate(ws.iter_rows(min_row=first_row, values_only=True),
                                    start=first_row):
        rank_cell = get(row, "rank")
        if _is_debris(row):
            continue
        if isinstance(rank_cell, str) and rank_cell.strip().startswith("#REF"):
            raise DataError(path, f"sheet {sheet!r}: the rank cell holds {rank_cell!r} in a row "
                            "with data", column=col_name("rank"), row=excel_row,
                            fix="the publisher's formula broke; use an intact copy of the file.")
        if not isinstance(rank_cell, (int, float)) or isinstance(rank_cell, bool):
            # Title, blank and footnote rows ('a', 'Note: ...'); a company without a rank is not.
            if not _is_missing(get(row, "company")) and (
                    rank_cell is None and not _is_missing(get(row, "arms"))):
                raise DataError(path, f"sheet {sheet!r}: company {get(row, 'company')!r} has "
                                "arms revenue but no rank", column=col_name("rank"), row=excel_row,
                                fix="check the row in the workbook.")
            continue
        kw = {"path": path, "sheet": sheet, "row": excel_row}
        company_raw = get(row, "company")
        if _is_missing(company_raw):
            raise DataError(path, f"sheet {sheet!r}: rank {rank_cell} has no company name",
                            column=col_name("company"), row=excel_row,
                            fix="check the row in the workbook.")
        company, marker = _clean_company(company_raw)
        notes = get(row, "notes")
        notes = None if _is_missing(notes) else " ".join(str(notes).split())
        if marker:
            notes = f"{notes} {marker}".strip() if notes else marker
        country = get(row, "country")
        if _is_missing(country):
            raise DataError(path, f"sheet {sheet!r}: company {company!r} has no country",
                            column=col_name("country"), row=excel_row,
                            fix="check the row in the workbook.")
        country = " ".join(str(country).split())
        trans_european = country == TRANS_EUROPEAN
        hq = None if trans_european else iso3(
            country, file=f"{path} (sheet {sheet!r}, row {excel_row})", column=col_name("country"))
        share = _number(get(row, "share"), column=col_name("share"), required=False, **kw)
        rows.append({
            "source_id": edition.source_id,
            "edition": edition.edition,
            "year": year,
            "rank": _int(rank_cell, column=col_name("rank"), required=True, **kw),
            "rank_prev": _int(get(row, "rank_prev"), column=col_name("rank_prev"),
                              required=False, **kw) if "rank_prev" in cols else None,
            "company": company,
            "sipri_notes": notes,
            "country_published": country,
            "hq_iso3": hq,
            "trans_european": trans_european,
            "arms_revenue_usd_m_current": _number(get(row, "arms"), column=col_name("arms"),
                                                  required=True, **kw),
            "arms_revenue_prev_usd_m_current": optional_number(row, "arms_prev", **kw),
            "total_revenue_usd_m_current": _number(get(row, "total"), column=col_name("total"),
                                                   required=False, **kw),
            "arms_share_of_revenue_pct": None if share is None else share * 100.0,
            "constant_prices_year": edition.const_base_year,
            "arms_revenue_usd_m_constant": optional_number(row, "const", **kw),
            "arms_revenue_prev_usd_m_constant": optional_number(row, "const_prev", **kw),
            "sheet": sheet,
            "source_row": excel_row,
        })
    if not rows:
        raise DataError(path, f"sheet {sheet!r} has no ranked rows below the header on row "
                        f"{edition.header_row}", column=None, row=edition.header_row,
                        fix="check that the header is still on that row (Edition.header_row).")
    return rows


_TOP100_TYPES = {
    "source_id": pl.String, "edition": pl.String, "year": pl.Int64, "rank": pl.Int64,
    "rank_prev": pl.Int64, "company": pl.String, "sipri_notes": pl.String,
    "country_published": pl.String, "hq_iso3": pl.String, "trans_european": pl.Boolean,
    "arms_revenue_usd_m_current": pl.Float64, "arms_revenue_prev_usd_m_current": pl.Float64,
    "total_revenue_usd_m_current": pl.Float64, "arms_share_of_revenue_pct": pl.Float64,
    "constant_prices_year": pl.Int64, "arms_revenue_usd_m_constant": pl.Float64,
    "arms_revenue_prev_usd_m_constant": pl.Float64, "sheet": pl.String, "source_row": pl.Int64,
}


def edition(source_id: str) -> Edition:
    """The registered edition ``source_id`` (error names the known ones)."""
    try:
        return EDITIONS[source_id]
    except KeyError:
        raise KeyError(f"no SIPRI Top 100 edition {source_id!r}; editions: "
                       f"{', '.join(EDITIONS)}") from None


def load_top100(path: Path | None = None, source_id: str = NEWEST) -> pl.DataFrame:
    """Every company-year of one edition of the SIPRI Top 100, tidy and validated."""
    ed = edition(source_id)
    path = Path(path or paths.RAW / get_source(source_id).filename)
    if not path.exists():
        raise DataError(path, f"the SIPRI Top 100 workbook ({ed.edition}) is missing",
                        fix=f"run `make data` (or `python -m dibtrends fetch {source_id}`) to "
                            "fetch it.")
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        years = []
        for ws in wb.worksheets:
            try:
                years.append(int(ws.title.strip()))
            except ValueError:
                years.append(None)
        first_year = min(y for y in years if y is not None) if any(years) else 0
        last_year = max((y for y in years if y is not None), default=None)
        if last_year != ed.last_year:
            raise DataError(path, f"the newest year sheet is {last_year}, but {source_id} "
                            f"({ed.edition}) should end in {ed.last_year}",
                            fix=("check that the file is the registered edition; a new edition "
                                 "needs its own registry record and entry in EDITIONS."))
        rows = [r for ws in wb.worksheets for r in _read_sheet(ws, path, first_year, ed)]
    finally:
        wb.close()
    df = pl.DataFrame(rows, schema=_TOP100_TYPES).sort("year", "rank")
    # The base year has no constant-price column: its current prices are the constant prices.
    df = df.with_columns(
        pl.when(pl.col("year") == ed.const_base_year).then(pl.col("arms_revenue_usd_m_current"))
        .otherwise(pl.col("arms_revenue_usd_m_constant")).alias("arms_revenue_usd_m_constant"))
    years_found = sorted(df["year"].unique().to_list())
    if years_found != list(range(years_found[0], years_found[-1] + 1)):
        raise DataError(path, f"year sheets are not consecutive: {years_found}",
                        fix=("a year sheet is missing or misnamed; compare with the "
                             "publisher's file."))
    return validated_top100(df, path)


def validated_top100(df: pl.DataFrame, path) -> pl.DataFrame:
    """Schema check plus the per-year completeness the ranking implies (ranks 1..100)."""
    df = validate.validated(df, Top100Schema, path, key=["year", "rank", "company", "sheet"])
    counts = df.group_by("year").agg(pl.len().alias("n"), pl.col("rank").max().alias("max"))
    bad = counts.filter((pl.col("n") != 100) | (pl.col("max") != 100))
    if bad.height:
        raise DataError(path, "each year should rank exactly 100 companies; found "
                        + ", ".join(f"{r['year']}: {r['n']}" for r in bad.iter_rows(named=True)),
                        column="rank",
                        fix="check the year sheet for skipped or extra rows.")
    return df


def load_totals(path: Path | None = None) -> pl.DataFrame:
    """SIPRI's published total arms revenue of the Top 100 per year (US$ bn)."""
    path = Path(path or paths.RAW / get_source(TOTALS_SOURCE_ID).filename)
    if not path.exists():
        raise DataError(path, "the SIPRI Top 100 totals workbook is missing",
                        fix="run `make data` (or dibtrends.fetch.fetch_all) to fetch it.")
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        grid = [list(r) for r in ws.iter_rows(values_only=True)]
        sheet = ws.title
    finally:
        wb.close()
    year_row = next((i for i, r in enumerate(grid)
                     if sum(isinstance(v, int) and 1990 < v < 2100 for v in r) >= 5), None)
    if year_row is None:
        raise DataError(path, f"sheet {sheet!r}: no header row of years found",
                        fix="check the layout of the totals workbook.")
    years = {j: v for j, v in enumerate(grid[year_row]) if isinstance(v, int) and 1990 < v < 2100}

    def series(label_start: str, field: str) -> dict[int, float]:
        hits = [i for i, r in enumerate(grid)
                if isinstance(r[0], str) and r[0].strip().lower().startswith(label_start)]
        if len(hits) != 1:
            raise DataError(path, f"sheet {sheet!r}: expected one row labelled "
                            f"{label_start!r}..., found {len(hits)}", column=field,
                            fix="SIPRI changed the row labels; update load_totals().")
        i = hits[0]
        out = {}
        for j, year in years.items():
            value = grid[i][j] if j < len(grid[i]) else None
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise DataError(path, f"sheet {sheet!r}: {label_start!r} for {year} is "
                                f"{value!r}, not a number", column=field, row=i + 1,
                                fix="check the cell in the workbook.")
            out[year] = float(value)
        return out

    current = series("current us$", "arms_revenue_usd_bn_current")
    const = series(f"constant {TOTALS_CONST_BASE_YEAR} us$", "arms_revenue_usd_bn_const2023")
    note = " ".join(str(r[0]) for r in grid if isinstance(r[0], str) and r[0].startswith("Note"))
    set_year = {y: y for y in years.values()}
    if "except" in note:
        m = re.search(r"except the data for (\d{4}) and (\d{4}), which refers? to the set of "
                      r"companies listed in (\d{4})", note)
        if not m:
            raise DataError(path, f"sheet {sheet!r}: the note names an exception to 'each "
                            f"year's Top 100' that the loader cannot read: {note!r}",
                            column="company_set_year",
                            fix="read the note and update the pattern in load_totals().")
        for y in (int(m.group(1)), int(m.group(2))):
            set_year[y] = int(m.group(3))
    df = pl.DataFrame({
        "source_id": TOTALS_SOURCE_ID,
        "year": list(years.values()),
        "arms_revenue_usd_bn_current": [current[y] for y in years.values()],
        "arms_revenue_usd_bn_const2023": [const[y] for y in years.values()],
        "company_set_year": [set_year[y] for y in years.values()],
    }, schema={"source_id": pl.String, "year": pl.Int64, "arms_revenue_usd_bn_current": pl.Float64,
               "arms_revenue_usd_bn_const2023": pl.Float64, "company_set_year": pl.Int64})
    return validate.validated(df.sort("year"), Top100TotalsSchema, path, key=["year"])


TABLES = {
    **{sid: functools.partial(load_top100, source_id=sid) for sid in EDITIONS},
    TOTALS_SOURCE_ID: load_totals,
}
