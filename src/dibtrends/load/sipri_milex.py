"""SIPRI Military Expenditure Database: share of GDP, current US$ and constant US$ by country-year.

Two releases, never mixed: v1.2 of 1949-2025 (constant 2024 US$) and April 2025, 1949-2024
(constant 2023 US$). Each sheet: title lines, the header on row 6 (``Country``, ``Notes``, a
column per year from 1949), a row per country with region headings interleaved. The title lines
must say what the column name claims and the constant-price base year (in the sheet name) must be
the release's; share of GDP is published as a *fraction* (checked: none above
``MAX_SHARE_FRACTION`` but ``SHARE_OUTLIERS``; :func:`fraction_to_pct` converts); the largest
US$ m value must lie in ``PLAUSIBLE_MAX_USD_M``. ``...`` is null; ``xxx`` (the state did not
exist) is null and ``not_independent``. Font colours are SIPRI's flags: blue = estimate, red =
highly uncertain (in any of the three sheets). Region headings carry no numbers; every other
named row with content maps to ISO3, never dropped (historical states keep their codes:
``countries.EXTRA_CODES``). SIPRI's "Germany" row is the Federal Republic before 1991 (the GDR
has its own row; the share falls from 2.51 % to 1.97 % when East German GDP enters), the state
that was a NATO Ally. See docs/DATA_LOG.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from .. import countries, validate
from ..errors import DataError
from . import workbook

WHERE = "src/dibtrends/load/sipri_milex.py"
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
#: A share of GDP above this fraction (60 %) is implausible unless whitelisted below; values
#: published in percent (3.4 for 3.4 %) would exceed it almost everywhere.
MAX_SHARE_FRACTION = 0.60
#: Known outliers above MAX_SHARE_FRACTION (a documented whitelist, as in OWID's SIPRI step).
SHARE_OUTLIERS = {
    ("KWT", 1991): "Kuwait 1991, Gulf War and liberation from Iraqi occupation: SIPRI gives "
                   "117 % of GDP (spending financed abroad while GDP collapsed)",
}
#: The largest US$ m value (the US, about 1 million in 2025) must lie here; US$ bn (about
#: 1,000) or US$ (about 1e12) would not.
PLAUSIBLE_MAX_USD_M = (1.0e5, 1.0e7)
_BLUE, _RED = "0000FF", "FF0000"


def fraction_to_pct(expr: pl.Expr) -> pl.Expr:
    """SIPRI publishes share of GDP as a fraction; the project's unit is percent."""
    return expr * 100.0


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
        return data.lazyframe.select(pl.col("share_gdp_pct").is_null()
                                     | (pl.col("share_gdp_pct") <= 100.0) | _whitelisted())

    @pa.dataframe_check(error="a value is present in a year the state did not exist ('xxx')")
    @classmethod
    def no_values_where_state_absent(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            ~pl.col("not_independent")
            | (pl.col("share_gdp_pct").is_null() & pl.col("milex_usd_m_current").is_null()))

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


def _whitelisted() -> pl.Expr:
    key = pl.concat_str(pl.col("iso3"), pl.col("year").cast(pl.Utf8), separator=":")
    return key.is_in([f"{i}:{y}" for i, y in SHARE_OUTLIERS])


def _layout(source_id: str, column: str, words: tuple[str, ...], unit: str) -> workbook.Layout:
    return workbook.Layout(
        name=source_id, measure=column, unit=unit, words=words, where=f"{WHERE} (MISSING_MARKERS)",
        fix="the publisher changed the layout, units or labels: check the sheet's top rows and "
            "values against the module docstring of src/dibtrends/load/sipri_milex.py; if only "
            "the header moved, update HEADER_ROW, otherwise the unit handling and the column "
            "name together.",
        header=HEADER_ROW, header_cell=(1, "Country"), years=(FIRST_YEAR, None),
        columns={"notes": "Notes"}, text=frozenset({"notes"}), labels={"name": 1},
        missing=MISSING_MARKERS, markers={NOT_INDEPENDENT_MARKER: "not_independent"},
        refs="heading")


def _layouts(source_id: str, base: int) -> list[tuple[str | re.Pattern, workbook.Layout]]:
    return [
        (SHEET_SHARE, _layout(source_id, "share_gdp_pct", ("grossdomesticproduct",),
                              "shares of GDP (a fraction in the file)")),
        (SHEET_CURRENT, _layout(source_id, "milex_usd_m_current", ("currentprices", "us$m"),
                                "US$ million at current prices and exchange rates")),
        (CONSTANT_SHEET_RE, _layout(source_id, f"milex_usd_m_const{base}",
                                    (f"constant({base})us$m", f"constant{base}prices"),
                                    f"US$ million at constant {base} prices and exchange rates")),
    ]


def _country_rows(long: pl.DataFrame, sheet: workbook.Sheet) -> pl.DataFrame:
    """Headings and aggregates dropped (the rules in the module docstring); iso3 added."""
    per_name = long.group_by("name", maintain_order=True).agg(
        pl.col("row").first(), pl.col("value").is_not_null().any().alias("numbers"),
        (pl.col("value").is_not_null() | pl.col("text").is_not_null()).any().alias("content"))
    codes: dict[str, str] = {}
    for name, row, numbers, content in per_name.iter_rows():
        if name in REGION_LABELS and numbers:
            raise sheet.error(f"region heading {name!r} carries numbers", col=1, row=row,
                              column="Country",
                              fix="SIPRI may have put regional totals into the country sheet: "
                                  "skip them explicitly (AGGREGATE_ROWS) after checking they "
                                  "are not a country.")
        if name not in REGION_LABELS and name not in AGGREGATE_ROWS and content:
            codes[name] = sheet.iso3(name, col=1, row=row, column="Country")
    return long.filter(pl.col("name").is_in(list(codes))).with_columns(
        pl.col("name").replace_strict(codes, return_dtype=pl.Utf8).alias("iso3"))


def _check_units(long: pl.DataFrame, sheet: workbook.Sheet, column: str) -> None:
    """Fractions in the share sheet; US$ million (judged by the largest value) in the others."""
    values = long.filter(pl.col("value").is_not_null())
    if column == "share_gdp_pct":
        high = values.filter((pl.col("value") > MAX_SHARE_FRACTION) & ~_whitelisted())
        if high.height:
            median = values["value"].median()
            first = high.sort("value", descending=True).row(0, named=True)
            looks = ("the values look like percentages, not fractions (median "
                     f"{median:.3g})" if median is not None and median > MAX_SHARE_FRACTION
                     else "implausibly high shares")
            raise sheet.error(
                f"{high.height} share-of-GDP value(s) above {MAX_SHARE_FRACTION} as a fraction, "
                f"e.g. {first['value']:.4g} for {first['name']} {first['year']}: {looks}",
                col=first["col"], row=first["row"], column=column,
                fix="SIPRI publishes share of GDP as a fraction (0.034 = 3.4 %); if this edition "
                    f"is in percent, change fraction_to_pct in {WHERE}; if the value is a real "
                    "outlier, add it to SHARE_OUTLIERS with the reason.")
        return
    top = values.sort("value", descending=True).row(0, named=True) if values.height else None
    lo, hi = PLAUSIBLE_MAX_USD_M
    if top is None or not lo <= top["value"] <= hi:
        got = "no values" if top is None else f"{top['value']:.4g} ({top['name']} {top['year']})"
        raise sheet.error(
            f"the largest value should be the US budget in US$ million (between {lo:.0e} and "
            f"{hi:.0e}); got {got}", col=top and top["col"], row=top and top["row"],
            column=column, fix="check whether the sheet is now in US$ billion or US$; convert in "
                               "the loader and keep the unit in the column name.")


def load_sipri_milex(source_id: str, path: Path | None = None) -> pl.DataFrame:
    """One SIPRI release as a tidy (iso3, year) frame, units checked, schema validated."""
    schema, expected_base = SCHEMAS[source_id]
    path = workbook.raw_path(source_id, path, "raw file for source")
    sheets = workbook.open_workbook(
        path, [SHEET_SHARE, SHEET_CURRENT, CONSTANT_SHEET_RE], fonts=True,
        fix="check that this is a SIPRI Military Expenditure Database workbook of the edition "
            "registered in data/sources.yml; if SIPRI renamed a sheet, update "
            f"SHEET_SHARE / SHEET_CURRENT / CONSTANT_SHEET_RE in {WHERE}.")
    base = int(CONSTANT_SHEET_RE.match(sheets[CONSTANT_SHEET_RE].name.strip())[1])
    parts = []
    for key, lay in _layouts(source_id, base):
        long = _country_rows(workbook.read(sheets[key], lay), sheets[key])
        _check_units(long, sheets[key], lay.measure)
        parts.append((sheets[key].name, lay.measure, long))
    # Checked after the title lines, which say more when a sheet was merely renamed.
    if base != expected_base:
        raise DataError(
            path, f"constant-price sheet is in {base} US$, but source {source_id!r} is registered "
                  f"with constant {expected_base} US$", column=f"milex_usd_m_const{expected_base}",
            fix="this is another SIPRI edition: register it in data/sources.yml with its "
                "own id and schema rather than overwriting this one.")
    # Same countries and years in every sheet, or the join would invent gaps.
    ref_name, _, ref = parts[0]
    ref_keys = set(zip(ref["iso3"], ref["year"], strict=True))
    for name, _, long in parts[1:]:
        if (keys := set(zip(long["iso3"], long["year"], strict=True))) != ref_keys:
            raise DataError(
                path, f"sheets {ref_name!r} and {name!r} cover different country-years, e.g. "
                      f"{sorted(keys ^ ref_keys)[:5]}", column="Country",
                fix="check whether a country row was added or removed in one sheet only.")
    out = None
    for _, column, long in parts:
        piece = long.select(
            "iso3", pl.col("name").alias("country"), "year", pl.col("value").alias(column),
            pl.col("marker").eq_missing("not_independent").alias(f"_xxx_{column}"),
            pl.col("rgb").eq_missing(_BLUE).alias(f"_blue_{column}"),
            pl.col("rgb").eq_missing(_RED).alias(f"_red_{column}"))
        out = piece if out is None else out.join(piece.drop("country"), on=["iso3", "year"])
    cols = [column for _, column, _ in parts]
    out = out.with_columns(
        fraction_to_pct(pl.col("share_gdp_pct")).alias("share_gdp_pct"),
        *[pl.any_horizontal([f"_{flag}_{c}" for c in cols]).alias(name) for flag, name in
          (("xxx", "not_independent"), ("blue", "estimate"), ("red", "uncertain"))],
        pl.lit(source_id).alias("source_id"))
    out = out.select([c.format(base=base) for c in COLUMN_ORDER]).sort("iso3", "year")
    return validate.validated(out, schema, path, key=["iso3", "year"])


def load_sipri_milex_2025(path: Path | None = None) -> pl.DataFrame:
    """SIPRI Military Expenditure Database 1949-2025, release v1.2 (constant 2024 US$)."""
    return load_sipri_milex("sipri_milex_2025", path)


def load_sipri_milex_2024(path: Path | None = None) -> pl.DataFrame:
    """SIPRI Military Expenditure Database 1949-2024, April 2025 release (constant 2023 US$)."""
    return load_sipri_milex("sipri_milex_2024", path)


TABLES = {"sipri_milex_2025": load_sipri_milex_2025, "sipri_milex_2024": load_sipri_milex_2024}
