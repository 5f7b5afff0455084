"""SIPRI Military Expenditure Database: share of GDP, current US$ and constant US$ by country-year.

Two releases are read, never mixed: v1.2 of the 1949-2025 database (constant 2024 US$) and the
April 2025 release, 1949-2024 (constant 2023 US$). Each workbook holds one sheet per measure in
the same wide layout: five lines of title and notes, the header on row 6 (``Country``, a notes
column, then one column per year from 1949), and one row per country with region and subregion
headings ("Africa", "North Africa", ...) interleaved.

What the loader trusts and what it checks:

* Units are taken from the publisher's own words. Each sheet's title lines must say what the
  column name claims (current prices, US$ million, constant (base-year) prices, share of GDP), and
  the constant-price base year is read from the sheet name and must agree with the title text;
  otherwise a :class:`DataError` names file, sheet and fix.
* "Share of GDP" is published as a *fraction* (0.0343 = 3.43 %) although its title says
  "percentage". The loader checks the values are fractions (none above
  ``MAX_SHARE_FRACTION`` except the whitelisted outliers in ``SHARE_OUTLIERS``) and converts to
  percent in one place (:func:`fraction_to_pct`).
* Magnitudes in US$ million are checked: the largest value in the sheet (the United States in
  recent years, about US$ 1 trillion) must lie in ``PLAUSIBLE_MAX_USD_M``; a sheet re-issued in
  US$ billion or in US$ would fail here.
* Markers: ``...`` / ``…`` / ``. .`` = data unavailable -> null; ``xxx`` = the state did not exist
  or was not independent in all or part of the year -> null and ``not_independent = True``.
  Any other text in a year cell stops the load.
* Font colours carry SIPRI's own flags: blue = SIPRI estimate (``estimate``), red = highly
  uncertain (``uncertain``). The flags are read with openpyxl (polars/fastexcel read values, not
  styles) and are True when the cell is so marked in any of the three sheets.
* Rows: a name in ``REGION_LABELS`` is a heading and is skipped (it must carry no numbers); the
  rows in ``AGGREGATE_ROWS`` are not states and are skipped with the reason recorded here; an
  unlabelled name whose year cells are all empty is a heading too. Every other name must map to
  ISO3 through :func:`dibtrends.countries.iso3` (publisher spellings in
  ``data/curated/country_names.csv``): an unknown name carrying data stops the load, it is never
  dropped.

Historical states keep their own codes (``dibtrends.countries.EXTRA_CODES``): USSR -> SUN (data
1987/88-1990; Russia from 1992), German Democratic Republic -> DDR (to 1989; ``xxx`` from 1990),
Yugoslavia -> YUG (to 1991), Czechoslovakia -> CSK (to 1992), "Yemen, North" -> YAR (to 1989);
SIPRI has no separate row for South Yemen, and "Yemen" (YEM) starts in 1990.

Germany: SIPRI's "Germany" row (DEU) starts in 1953 and runs without a break to the latest year.
Before unification it is the Federal Republic (West Germany): the German Democratic Republic has
its own row up to 1989 and is marked ``xxx`` from 1990, when it ceased to exist (SIPRI footnote
74). SIPRI gives no footnote for the Germany row itself; the switch to the unified state shows in
the data as a fall in the share of GDP from 2.51 % (1990) to 1.97 % (1991, v1.2) when East German
GDP enters the denominator. The analysis therefore uses DEU before 1991 as the Federal Republic,
which is the state that was a NATO Ally (from 1955).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import openpyxl
import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from .. import countries, paths, validate
from ..errors import DataError
from ..sources import get as get_source

#: Row (1-based, as Excel shows it) holding "Country", "Notes" and the years.
HEADER_ROW = 6
FIRST_YEAR = 1949
SHEET_SHARE = "Share of GDP"
SHEET_CURRENT = "Current US$"
CONSTANT_SHEET_RE = re.compile(r"^Constant \((\d{4})\) US\$$")

#: Data-unavailable markers (SIPRI uses all of these spellings across sheets and releases).
MISSING_MARKERS = frozenset({"...", "\u2026", ". .", ""})
#: "country did not exist or was not independent during all or part of the year".
NOT_INDEPENDENT_MARKER = "xxx"

#: Region and subregion headings as SIPRI prints them in the country sheets.
REGION_LABELS = frozenset({
    "Africa", "North Africa", "sub-Saharan Africa",
    "Americas", "Central America and the Caribbean", "North America", "South America",
    "Asia & Oceania", "Oceania", "South Asia", "East Asia", "South East Asia", "Central Asia",
    "Europe", "Central Europe", "Eastern Europe", "Western Europe",
    "Middle East",
})

#: Rows that carry numbers but are not states; skipped on purpose, never by accident.
AGGREGATE_ROWS = {
    "European Union": (
        "SIPRI footnote 103: EU-level spending through the European Defence Fund from 2022, "
        "funded from member states' contributions to the EU budget; not a state"
    ),
}

#: A share of GDP above this fraction (60 %) is implausible unless whitelisted below. Values
#: published in percent (3.4 for 3.4 %) would exceed it almost everywhere.
MAX_SHARE_FRACTION = 0.60

#: Known outliers above MAX_SHARE_FRACTION, as in OWID's SIPRI garden step (a documented
#: whitelist, not a silent cap). Keyed by (iso3, year).
SHARE_OUTLIERS = {
    ("KWT", 1991): "Kuwait 1991, Gulf War and liberation from Iraqi occupation: SIPRI gives "
                   "117 % of GDP (spending financed abroad while GDP collapsed)",
}

#: The largest value in a US$ million sheet (the US; about 1 million US$ m in 2025) must lie in
#: this range. US$ billion (about 1,000) or US$ (about 1e12) would fall outside it.
PLAUSIBLE_MAX_USD_M = (1.0e5, 1.0e7)

#: openpyxl font colours SIPRI uses to flag cells (default palette indices and RGB).
_BLUE = {"0000FF"}
_RED = {"FF0000"}


def fraction_to_pct(expr: pl.Expr) -> pl.Expr:
    """SIPRI publishes share of GDP as a fraction; the project's unit is percent."""
    return expr * 100.0


# --------------------------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------------------------

class _MilexBase(pa.DataFrameModel):
    """One row per (iso3, year) from one SIPRI release."""

    source_id: str = pa.Field(isin=["sipri_milex_2025", "sipri_milex_2024"])
    iso3: str = pa.Field(isin=countries.all_codes())
    country: str = pa.Field(str_length={"min_value": 2})
    year: pl.Int64 = pa.Field(ge=FIRST_YEAR, le=2100)
    share_gdp_pct: pl.Float64 = pa.Field(nullable=True, ge=0.0)
    milex_usd_m_current: pl.Float64 = pa.Field(nullable=True, ge=0.0)
    not_independent: bool = pa.Field()
    estimate: bool = pa.Field()
    uncertain: bool = pa.Field()

    @pa.dataframe_check(error="share_gdp_pct above 100 outside the SHARE_OUTLIERS whitelist")
    @classmethod
    def share_at_most_100_unless_whitelisted(cls, data: PolarsData) -> pl.LazyFrame:
        allowed = pl.concat_str(pl.col("iso3"), pl.col("year").cast(pl.Utf8), separator=":")
        keys = [f"{i}:{y}" for i, y in SHARE_OUTLIERS]
        return data.lazyframe.select(
            pl.col("share_gdp_pct").is_null()
            | (pl.col("share_gdp_pct") <= 100.0)
            | allowed.is_in(keys)
        )

    @pa.dataframe_check(error="a value is present in a year the state did not exist ('xxx')")
    @classmethod
    def no_values_where_state_absent(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            ~pl.col("not_independent")
            | (pl.col("share_gdp_pct").is_null() & pl.col("milex_usd_m_current").is_null())
        )

    class Config:
        strict = True
        coerce = False
        unique = ["iso3", "year"]


class SipriMilex2025(_MilexBase):
    """Release v1.2 of the 1949-2025 database; constant prices in 2024 US$."""

    milex_usd_m_const2024: pl.Float64 = pa.Field(nullable=True, ge=0.0)


class SipriMilex2024(_MilexBase):
    """April 2025 release of the 1949-2024 database; constant prices in 2023 US$."""

    milex_usd_m_const2023: pl.Float64 = pa.Field(nullable=True, ge=0.0)


SCHEMAS = {"sipri_milex_2025": (SipriMilex2025, 2024), "sipri_milex_2024": (SipriMilex2024, 2023)}
COLUMN_ORDER = ["source_id", "iso3", "country", "year", "share_gdp_pct", "milex_usd_m_current",
                "milex_usd_m_const{base}", "not_independent", "estimate", "uncertain"]


# --------------------------------------------------------------------------------------------
# Reading one sheet
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Sheet:
    name: str
    column: str            # tidy column the values go to
    expect: tuple[str, ...]  # phrases the title lines must contain (normalised, see _norm_text)
    unit_words: str        # what the column holds, for messages


def _norm_text(text: str) -> str:
    return re.sub(r"[\s.]+", "", text.lower())


def _sheet_specs(sheet_names: list[str], path: Path) -> tuple[list[_Sheet], int]:
    """The three sheets to read, and the constant-price base year from the sheet name."""
    missing = [s for s in (SHEET_SHARE, SHEET_CURRENT) if s not in sheet_names]
    constant = [s for s in sheet_names if CONSTANT_SHEET_RE.match(s.strip())]
    if len(constant) != 1:
        missing.append("Constant (<base year>) US$")
    if missing:
        raise DataError(
            path, f"sheet(s) {', '.join(repr(m) for m in missing)} not found; the workbook has "
            f"{', '.join(repr(s) for s in sheet_names)}", column="sheet",
            fix="check that this is a SIPRI Military Expenditure Database workbook of the edition "
                "registered in src/dibtrends/sources.py; if SIPRI renamed a sheet, update "
                "SHEET_SHARE / SHEET_CURRENT / CONSTANT_SHEET_RE in "
                "src/dibtrends/load/sipri_milex.py.")
    base = int(CONSTANT_SHEET_RE.match(constant[0].strip()).group(1))
    specs = [
        _Sheet(SHEET_SHARE, "share_gdp_pct", ("grossdomesticproduct",),
               "share of GDP (a fraction in the file)"),
        _Sheet(SHEET_CURRENT, "milex_usd_m_current", ("currentprices", "us$m"),
               "US$ million at current prices and exchange rates"),
        _Sheet(constant[0], f"milex_usd_m_const{base}",
               (f"constant({base})us$m", f"constant{base}prices"),
               f"US$ million at constant {base} prices and exchange rates"),
    ]
    return specs, base


def _header_missing(path: Path, sheet: str, found: int | None) -> DataError:
    where = f"found on row {found}" if found else "not found in the first 40 rows"
    return DataError(
        path, f"sheet {sheet!r}: header cell 'Country' expected on row {HEADER_ROW}, {where}",
        column="Country", row=HEADER_ROW,
        fix="the publisher changed the layout: check the sheet's top rows and, if the table "
            "is otherwise unchanged, update HEADER_ROW in src/dibtrends/load/sipri_milex.py.")


def _header(strings: pl.DataFrame, hdr: int, path: Path, sheet: str) -> dict[int, int]:
    """{column index: year} from the header row (frame index ``hdr``), checked."""
    header = strings.row(hdr)
    notes = [i for i, v in enumerate(header) if (v or "").strip() == "Notes"]
    years: dict[int, int] = {}
    for i, v in enumerate(header):
        text = (v or "").strip()
        if re.fullmatch(r"\d{4}(\.0)?", text):
            years[i] = int(float(text))
    ys = list(years.values())
    if not notes or not ys or ys[0] != FIRST_YEAR or ys != list(range(FIRST_YEAR, ys[-1] + 1)):
        raise DataError(
            path, f"sheet {sheet!r}: row {HEADER_ROW} should hold 'Country', 'Notes' and the "
                  f"consecutive years {FIRST_YEAR}..latest; got {[h for h in header if h][:6]}...",
            column="year", row=HEADER_ROW,
            fix="compare the sheet with the layout in the module docstring of "
                "src/dibtrends/load/sipri_milex.py and update the loader.")
    return years


def _check_title(title: str, spec: _Sheet, path: Path) -> None:
    norm = _norm_text(title)
    absent = [p for p in spec.expect if p not in norm]
    if absent:
        raise DataError(
            path, f"sheet {spec.name!r}: the title lines do not describe {spec.unit_words} "
                  f"(expected words {absent!r} in {title[:160]!r})",
            column=spec.column, row=f"1-{HEADER_ROW - 1}",
            fix="the publisher changed units or relabelled the sheet: check the title and the "
                "values, and update the loader's unit handling and column name together.")


def _font_flags(path: Path, sheet: str) -> pl.DataFrame:
    """(name, year, blue, red) for numeric cells, from SIPRI's font colours.

    Also the check that the header sits on HEADER_ROW counted from the top of the sheet:
    openpyxl keeps empty leading rows, which fastexcel skips.
    """
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = wb[sheet].iter_rows()
        found = None
        for number, row in enumerate(rows, start=1):
            if row and isinstance(row[0].value, str) and row[0].value.strip() == "Country":
                found = number
                header = [c.value for c in row]
                break
            if number >= 40:
                break
        if found != HEADER_ROW:
            raise _header_missing(path, sheet, found)
        year_at = {j: int(v) for j, v in enumerate(header) if isinstance(v, (int, float))}
        out: list[tuple[str, int, bool, bool]] = []
        for row in rows:
            if not row or row[0].value is None:
                continue
            name = str(row[0].value).strip()
            for j, cell in enumerate(row):
                if j in year_at and isinstance(cell.value, (int, float)):
                    rgb = _rgb(cell)
                    out.append((name, year_at[j], rgb in _BLUE, rgb in _RED))
    finally:
        wb.close()
    return pl.DataFrame(out, schema={"name": pl.Utf8, "year": pl.Int64, "blue": pl.Boolean,
                                     "red": pl.Boolean}, orient="row")


def _rgb(cell) -> str | None:
    color = getattr(getattr(cell, "font", None), "color", None)
    if color is None:
        return None
    if color.type == "rgb" and isinstance(color.rgb, str):
        return color.rgb[-6:].upper()
    if color.type == "indexed" and color.indexed is not None:
        try:
            return openpyxl.styles.colors.COLOR_INDEX[color.indexed][-6:].upper()
        except IndexError:
            return None
    return None


def _read_sheet(path: Path, reader, spec: _Sheet) -> pl.DataFrame:
    """Long frame (name, excel_row, year, text, value, marker) for one sheet, markers checked."""
    strings = reader.load_sheet_by_name(spec.name, header_row=None, dtypes="string").to_polars()
    first_col = [(v or "").strip() for v in strings.get_column(strings.columns[0]).to_list()]
    if "Country" not in first_col[:40]:
        raise _header_missing(path, spec.name, None)
    hdr = first_col.index("Country")
    skipped = HEADER_ROW - 1 - hdr  # empty top rows fastexcel leaves out (0 in SIPRI's files)
    _check_title(" ".join(v for v in first_col[:hdr] if v), spec, path)
    years = _header(strings, hdr, path, spec.name)
    dtypes = {i: ("float" if i in years else "string") for i in range(strings.width)}
    floats = reader.load_sheet_by_name(spec.name, header_row=None, dtypes=dtypes).to_polars()
    if floats.height != strings.height:
        raise DataError(path, f"sheet {spec.name!r}: values and text read with different row "
                              "counts", fix="re-save the workbook or report a fastexcel issue.")
    body = slice(hdr + 1, strings.height)
    names = strings.get_column(strings.columns[0]).to_list()[body]
    excel_rows = [i + 1 + skipped for i in range(hdr + 1, strings.height)]
    frames = []
    for j, year in years.items():
        frames.append(pl.DataFrame({
            "name": names,
            "excel_row": excel_rows,
            "year": [year] * len(names),
            "text": strings.get_column(strings.columns[j]).to_list()[body],
            "value": floats.get_column(floats.columns[j]).to_list()[body],
        }, schema={"name": pl.Utf8, "excel_row": pl.Int64, "year": pl.Int64, "text": pl.Utf8,
                   "value": pl.Float64}))
    long = pl.concat(frames).with_columns(
        pl.col("name").str.strip_chars(), pl.col("text").str.strip_chars())
    long = long.with_columns(
        pl.when(pl.col("value").is_not_null()).then(pl.lit("value"))
        .when(pl.col("text").is_null() | pl.col("text").is_in(list(MISSING_MARKERS)))
        .then(pl.lit("missing"))
        .when(pl.col("text") == NOT_INDEPENDENT_MARKER).then(pl.lit("not_independent"))
        .otherwise(pl.lit("bad")).alias("marker"))
    bad = long.filter(pl.col("marker") == "bad")
    if bad.height:
        first = bad.row(0, named=True)
        raise DataError(
            path, f"sheet {spec.name!r}: {bad.height} year cell(s) hold text that is neither a "
                  f"number nor a SIPRI marker, first {first['text']!r} for {first['name']!r}",
            column=str(first["year"]), row=first["excel_row"],
            fix="if SIPRI introduced a new marker, add it to MISSING_MARKERS in "
                "src/dibtrends/load/sipri_milex.py; if a number is stored as text, report it.")
    nameless = long.filter(pl.col("name").is_null() | (pl.col("name") == ""))
    if nameless.filter(pl.col("marker") == "value").height:
        r = nameless.filter(pl.col("marker") == "value").row(0, named=True)
        raise DataError(path, f"sheet {spec.name!r}: a row without a country name holds numbers",
                        column="Country", row=r["excel_row"],
                        fix="check the sheet: a name cell was emptied or a total row added.")
    return long.filter(pl.col("name").is_not_null() & (pl.col("name") != ""))


def _country_rows(long: pl.DataFrame, path: Path, sheet: str) -> pl.DataFrame:
    """Drop headings and aggregates (on the rules in the module docstring); add iso3."""
    per_name = long.group_by("name", maintain_order=True).agg(
        pl.col("excel_row").first(),
        (pl.col("marker") == "value").any().alias("has_numbers"),
        (pl.col("text").is_not_null() & (pl.col("text") != "")).any().alias("has_content"),
    )
    codes: dict[str, str] = {}
    for r in per_name.iter_rows(named=True):
        name = r["name"]
        if name in REGION_LABELS:
            if r["has_numbers"]:
                raise DataError(
                    path, f"sheet {sheet!r}: region heading {name!r} carries numbers",
                    column="Country", row=r["excel_row"],
                    fix="SIPRI may have put regional totals into the country sheet: skip them "
                        "explicitly (AGGREGATE_ROWS) after checking they are not a country.")
            continue
        if name in AGGREGATE_ROWS or not r["has_content"]:
            continue
        try:
            codes[name] = countries.iso3(name, file=path, column="Country")
        except DataError as exc:
            raise DataError(path, f"sheet {sheet!r}: unknown country name {name!r}",
                            column="Country", row=r["excel_row"], fix=exc.fix) from None
    return long.filter(pl.col("name").is_in(list(codes))).with_columns(
        pl.col("name").replace_strict(codes, return_dtype=pl.Utf8).alias("iso3"))


def _check_share_units(long: pl.DataFrame, path: Path, sheet: str) -> None:
    values = long.filter(pl.col("marker") == "value")
    keys = [f"{i}:{y}" for i, y in SHARE_OUTLIERS]
    high = values.filter(
        (pl.col("value") > MAX_SHARE_FRACTION)
        & ~pl.concat_str("iso3", pl.col("year").cast(pl.Utf8), separator=":").is_in(keys))
    if high.height:
        median = values["value"].median()
        first = high.sort("value", descending=True).row(0, named=True)
        looks = ("the values look like percentages, not fractions (median "
                 f"{median:.3g})" if median is not None and median > MAX_SHARE_FRACTION
                 else "implausibly high shares")
        raise DataError(
            path, f"sheet {sheet!r}: {high.height} share-of-GDP value(s) above "
                  f"{MAX_SHARE_FRACTION} as a fraction, e.g. {first['value']:.4g} for "
                  f"{first['name']} {first['year']}: {looks}",
            column="share_gdp_pct", row=first["excel_row"],
            fix="SIPRI publishes share of GDP as a fraction (0.034 = 3.4 %); if this edition is "
                "in percent, change fraction_to_pct in src/dibtrends/load/sipri_milex.py; if "
                "the value is a real outlier, add it to SHARE_OUTLIERS with the reason.")


def _check_usd_magnitude(long: pl.DataFrame, path: Path, spec: _Sheet) -> None:
    values = long.filter(pl.col("marker") == "value")
    top = values.sort("value", descending=True).row(0, named=True) if values.height else None
    lo, hi = PLAUSIBLE_MAX_USD_M
    if top is None or not lo <= top["value"] <= hi:
        got = "no values" if top is None else f"{top['value']:.4g} ({top['name']} {top['year']})"
        raise DataError(
            path, f"sheet {spec.name!r}: the largest value should be the US budget in US$ million "
                  f"(between {lo:.0e} and {hi:.0e}); got {got}",
            column=spec.column, row=None if top is None else top["excel_row"],
            fix="check whether the sheet is now in US$ billion or US$; convert in the loader and "
                "keep the unit in the column name.")


# --------------------------------------------------------------------------------------------
# The loaders
# --------------------------------------------------------------------------------------------

def load_sipri_milex(source_id: str, path: Path | None = None) -> pl.DataFrame:
    """One SIPRI release as a tidy (iso3, year) frame, units checked, schema validated."""
    source = get_source(source_id)
    schema, expected_base = SCHEMAS[source_id]
    path = Path(path or paths.RAW / source.filename)
    if not path.exists():
        raise DataError(path, f"raw file for source {source_id!r} is missing",
                        fix="run `make data` (or dibtrends.fetch.fetch_all) to fetch it.")
    reader = fastexcel.read_excel(path)
    specs, base = _sheet_specs(reader.sheet_names, path)
    parts = []
    for spec in specs:
        flags = _font_flags(path, spec.name)
        long = _country_rows(_read_sheet(path, reader, spec), path, spec.name)
        if spec.column == "share_gdp_pct":
            _check_share_units(long, path, spec.name)
        else:
            _check_usd_magnitude(long, path, spec)
        long = long.join(flags, on=["name", "year"], how="left").with_columns(
            pl.col("blue").fill_null(False), pl.col("red").fill_null(False))
        parts.append((spec, long))

    # Checked after the title lines, which say more when a sheet was merely renamed.
    if base != expected_base:
        raise DataError(
            path, f"constant-price sheet is in {base} US$, but source {source_id!r} is registered "
                  f"with constant {expected_base} US$", column=f"milex_usd_m_const{expected_base}",
            fix="this is another SIPRI edition: register it in src/dibtrends/sources.py with its "
                "own id and schema rather than overwriting this one.")

    # Same countries and years in every sheet, or the join would invent gaps.
    ref_spec, ref = parts[0]
    ref_keys = set(zip(ref["iso3"], ref["year"], strict=True))
    for spec, long in parts[1:]:
        keys = set(zip(long["iso3"], long["year"], strict=True))
        if keys != ref_keys:
            diff = sorted(keys ^ ref_keys)[:5]
            raise DataError(
                path, f"sheets {ref_spec.name!r} and {spec.name!r} cover different country-years, "
                      f"e.g. {diff}", column="Country",
                fix="check whether a country row was added or removed in one sheet only.")

    out = None
    for spec, long in parts:
        piece = long.select(
            "iso3", pl.col("name").alias("country"), "year",
            pl.col("value").alias(spec.column),
            (pl.col("marker") == "not_independent").alias(f"_xxx_{spec.column}"),
            pl.col("blue").alias(f"_blue_{spec.column}"),
            pl.col("red").alias(f"_red_{spec.column}"))
        out = piece if out is None else out.join(piece.drop("country"), on=["iso3", "year"])
    cols = [s.column for s, _ in parts]
    out = out.with_columns(
        fraction_to_pct(pl.col("share_gdp_pct")).alias("share_gdp_pct"),
        pl.any_horizontal([f"_xxx_{c}" for c in cols]).alias("not_independent"),
        pl.any_horizontal([f"_blue_{c}" for c in cols]).alias("estimate"),
        pl.any_horizontal([f"_red_{c}" for c in cols]).alias("uncertain"),
        pl.lit(source_id).alias("source_id"),
    )
    order = [c.format(base=base) for c in COLUMN_ORDER]
    out = out.select(order).sort("iso3", "year")
    return validate.validated(out, schema, path, key=["iso3", "year"])


def load_sipri_milex_2025(path: Path | None = None) -> pl.DataFrame:
    """SIPRI Military Expenditure Database 1949-2025, release v1.2 (constant 2024 US$)."""
    return load_sipri_milex("sipri_milex_2025", path)


def load_sipri_milex_2024(path: Path | None = None) -> pl.DataFrame:
    """SIPRI Military Expenditure Database 1949-2024, April 2025 release (constant 2023 US$)."""
    return load_sipri_milex("sipri_milex_2024", path)


TABLES = {"sipri_milex_2025": load_sipri_milex_2025, "sipri_milex_2024": load_sipri_milex_2024}
