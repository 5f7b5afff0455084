"""SIPRI Military Expenditure Database: share of GDP, current US$ and constant US$ by country-year.

Two releases, never mixed: v1.2 of 1949-2025 (constant 2024 US$) and April 2025, 1949-2024
(constant 2023 US$). Each sheet: title lines that must say what the column name claims, the
header on row 6 (``Country``, ``Notes``, a column per year from 1949), a row per country with
region headings interleaved. Share of GDP is published as a *fraction*, made percent here.
``...`` is null; ``xxx`` (the state did not exist) is null and ``not_independent``. Font colours
are SIPRI's flags: blue = estimate, red = highly uncertain (in any of the three sheets). Every
named row with content but the region headings maps to ISO3 (historical states keep their
codes). SIPRI's "Germany" is the Federal Republic before 1991 (the GDR has its own row), the
state that was a NATO Ally. See docs/DATA_LOG.md.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pandera.polars as pa
import polars as pl

from .. import countries, validate
from ..errors import DataError
from . import workbook
from .curated import accession_years

WHERE = "src/dibtrends/load/sipri_milex.py"
HEADER_ROW = 6
FIRST_YEAR = 1949
#: Each release's constant-price year: v1.2 of 1949-2025 is in 2024 US$, April 2025's in 2023 US$.
BASE_YEARS = {"sipri_milex_2025": 2024, "sipri_milex_2024": 2023}
SHEET_SHARE = "Share of GDP"
SHEET_CURRENT = "Current US$"
CONSTANT_SHEET_RE = re.compile(r"^Constant \((\d{4})\) US\$$")
#: Data-unavailable markers (SIPRI uses both spellings across sheets and releases).
MISSING_MARKERS = frozenset({"...", "\u2026"})
#: "country did not exist or was not independent during all or part of the year".
NOT_INDEPENDENT_MARKER = "xxx"
#: Rows SIPRI leaves partly empty where it prints '...' elsewhere, by sheet (v1.2).
BLANK_ROWS = {
    SHEET_CURRENT: {"Yemen": "v1.2 leaves 2015-2025 empty in current US$ (war; '...' in the "
                             "share sheet)"},
    "constant": {"Taiwan": "v1.2 leaves 1954-1975 empty in constant US$"},
}
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
#: Known shares of GDP above 60 % (a documented whitelist, as in OWID's SIPRI step).
SHARE_OUTLIERS = {
    ("KWT", 1991): "Kuwait 1991, Gulf War and liberation from Iraqi occupation: SIPRI gives "
                   "117 % of GDP (spending financed abroad while GDP collapsed)",
}
#: The largest value of each column, outliers aside, lies here; a sheet in percent (share) or in
#: US$ bn or US$ (about 1,000 or 1e12 for the US) would not (low, high, unit).
UNITS = {
    "share_gdp_pct": (10, 60, "percent of GDP, from SIPRI's fractions (0.034 = 3.4 %)"),
    "milex_usd_m_current": (1e5, 1e7, "US$ million, the United States"),
    "milex_usd_m_const": (1e5, 1e7, "US$ million, the United States"),
}
#: An Ally, from the year it joined, changes its spending by at most x2 (or /2) from one year
#: to the next, but in these years (SIPRI's releases of 2025 and 2026).
CHANGE_EXCEPTIONS = {
    ("USA", 1951): "Korean War rearmament: US spending more than doubles in 1951",
    ("CAN", 1951): "Korean War rearmament: Canada's spending more than doubles in 1951",
    ("TUR", 1975): "after the 1974 Cyprus war, Turkey's spending in current US$ doubles",
    ("BGR", 2019): "Bulgaria paid for eight F-16 fighters in 2019: spending more than doubles",
}
_BLUE, _RED = "0000FF", "FF0000"


class SipriMilex(validate.Model):
    """One row per (iso3, year) from one SIPRI release (constant prices: :func:`schema`)."""

    source_id: str = pa.Field(isin=list(BASE_YEARS))
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
    def share_at_most_100_unless_whitelisted(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("share_gdp_pct").is_null()
                                     | (pl.col("share_gdp_pct") <= 100.0) | _whitelisted())

    @pa.dataframe_check(error="an Ally's share of GDP above validate.MAX_ALLY_SHARE_GDP_PCT")
    @classmethod
    def ally_share_at_most_30_pct(cls, data) -> pl.LazyFrame:
        share = pl.col("share_gdp_pct")
        return data.lazyframe.select(~pl.col("iso3").is_in(list(accession_years()))
                                     | share.is_null() | (share <= validate.MAX_ALLY_SHARE_GDP_PCT))

    @pa.dataframe_check(error="a value is present in a year the state did not exist ('xxx')")
    @classmethod
    def no_values_where_state_absent(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(
            ~pl.col("not_independent")
            | (pl.col("share_gdp_pct").is_null() & pl.col("milex_usd_m_current").is_null()))

    class Config:
        unique = ["iso3", "year"]


def schema(source_id: str) -> pa.DataFrameSchema:
    """:class:`SipriMilex` with the release's constant-price column."""
    column = pa.Column(pl.Float64, pa.Check.ge(0.0), nullable=True)
    return SipriMilex.to_schema().add_columns({f"milex_usd_m_const{BASE_YEARS[source_id]}": column})


def _whitelisted() -> pl.Expr:
    return pl.struct("iso3", "year").is_in([{"iso3": i, "year": y} for i, y in SHARE_OUTLIERS])


def _layouts(source_id: str, base: int) -> list[tuple[str | re.Pattern, workbook.Layout]]:
    """(sheet, layout) of the three sheets: the column each becomes and the words that say so."""
    def layout(column, words, unit, blank_rows=None):
        return workbook.Layout(
            name=source_id, measure=column, unit=unit, words=words, header=HEADER_ROW,
            where=f"{WHERE} (MISSING_MARKERS)", header_cell=(1, "Country"),
            fix="the publisher changed the layout, units or labels: check the sheet's top rows "
                "and values against the module docstring of src/dibtrends/load/sipri_milex.py; "
                "if only the header moved, update HEADER_ROW, otherwise the unit handling and "
                "the column name together.", years=(FIRST_YEAR, None),
            columns={"notes": "Notes"}, text=frozenset({"notes"}), labels={"name": 1},
            missing=MISSING_MARKERS, markers={NOT_INDEPENDENT_MARKER: "not_independent"},
            blank_rows=blank_rows or {}, refs="heading")

    return [
        (SHEET_SHARE, layout("share_gdp_pct", ("grossdomesticproduct",),
                             "shares of GDP (a fraction in the file)")),
        (SHEET_CURRENT, layout("milex_usd_m_current", ("currentprices", "us$m"),
                               "US$ million at current prices and exchange rates",
                               BLANK_ROWS[SHEET_CURRENT])),
        (CONSTANT_SHEET_RE, layout(f"milex_usd_m_const{base}",
                                   (f"constant({base})us$m", f"constant{base}prices"),
                                   f"US$ million at constant {base} prices and exchange rates",
                                   BLANK_ROWS["constant"])),
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
                              fix="SIPRI may have put regional totals into the country sheet: "
                                  "skip them explicitly (AGGREGATE_ROWS) after checking they "
                                  "are not a country.")
        if name not in REGION_LABELS and name not in AGGREGATE_ROWS and content:
            codes[name] = sheet.iso3(name, col=1, row=row)
    long = long.filter(pl.col("name").is_in(list(codes))).with_columns(
        pl.col("name").replace_strict(codes, return_dtype=pl.Utf8).alias("iso3"))
    if (twice := long.filter(pl.struct("iso3", "year").is_duplicated())).height:
        rows = twice.filter(pl.col("iso3") == twice["iso3"][0])["row"].unique().sort()
        raise sheet.error(f"{twice['name'][0]} ({twice['iso3'][0]}) appears on rows "
                          f"{rows.to_list()}; expected one row per country", col=1, row=rows[-1],
                          fix="remove the repeated row.")
    return long


def load_sipri_milex(source_id: str, path: Path | None = None) -> pl.DataFrame:
    """One SIPRI release as a tidy (iso3, year) frame, units checked, schema validated."""
    path = workbook.raw_path(source_id, path, "raw file for source")
    sheets = workbook.open_workbook(
        path, [SHEET_SHARE, SHEET_CURRENT, CONSTANT_SHEET_RE], fonts=True,
        fix="check that this is a SIPRI Military Expenditure Database workbook of the edition "
            "registered in data/sources.yml; if SIPRI renamed a sheet, update "
            f"SHEET_SHARE / SHEET_CURRENT / CONSTANT_SHEET_RE in {WHERE}.")
    base = int(CONSTANT_SHEET_RE.match(sheets[CONSTANT_SHEET_RE].name.strip())[1])
    layouts = _layouts(source_id, base)
    long = pl.concat([_country_rows(workbook.read(sheets[key], lay), sheets[key]).with_columns(
        pl.lit(lay.measure).alias("measure"), pl.lit(sheets[key].name).alias("sheet"))
        for key, lay in layouts])
    # Checked after the title lines, which say more when a sheet was merely renamed.
    if base != (expected := BASE_YEARS[source_id]):
        raise DataError(
            path, f"constant-price sheet is in {base} US$, but source {source_id!r} is registered "
                  f"with constant {expected} US$", column=f"milex_usd_m_const{expected}",
            fix="this is another SIPRI edition: register it in data/sources.yml with its "
                "own id and schema rather than overwriting this one.")
    cols = [lay.measure for _, lay in layouts]
    out = long.group_by("iso3", "year").agg(
        pl.col("name").first().alias("country"), pl.col("sheet"),
        *[pl.col("value").filter(pl.col("measure") == c).first().alias(c) for c in cols],
        *[pl.col(c).eq_missing(v).any().alias(name) for c, v, name in (
            ("marker", "not_independent", "not_independent"), ("rgb", _BLUE, "estimate"),
            ("rgb", _RED, "uncertain"))]).sort("iso3", "year")
    # Same countries and years in every sheet, or the table would invent gaps.
    if (odd := out.filter(pl.col("sheet").list.len() < len(cols))).height:
        r = odd.row(0, named=True)
        raise DataError(path, f"{r['country']} ({r['iso3']}) {r['year']} is only in the sheet(s) "
                        f"{r['sheet']}; expected the same country-years in every sheet",
                        column="Country", row=f"{r['iso3']} {r['year']}",
                        fix="check whether a country row was added or removed in one sheet only.")
    out = out.select(pl.lit(source_id).alias("source_id"), "iso3", "country", "year",
                     pl.col("share_gdp_pct") * 100.0,  # SIPRI's fraction, as a percentage
                     *cols[1:], "not_independent", "estimate", "uncertain")
    # the units first: a sheet in percent fails the schema's range checks with less to say
    sheets = {lay.measure: sheets[key].name for key, lay in layouts}
    validate.units(out.filter(~_whitelisted()), {c: UNITS[c.rstrip("0123456789")] for c in cols},
                   path, key=["iso3", "year"], where=f"UNITS in {WHERE}", sheets=sheets)
    out = validate.validated(out, schema(source_id), path, key=["iso3", "year"])
    allies_changes(out, path, sheets)
    return out


def allies_changes(df: pl.DataFrame, path: Path, sheets: dict[str, str]) -> None:
    """An Ally, from the year it joined, changes a measure (``sheets``' columns) by at most x2
    (or /2) from one year to the next, but in the named ``CHANGE_EXCEPTIONS``."""
    as_ally = pl.col("year") >= pl.col("iso3").replace_strict(accession_years(),
                                                              default=9999)
    validate.changes(df.filter(as_ally), dict.fromkeys(sheets, 2.0), path, entity="iso3",
                     exceptions=CHANGE_EXCEPTIONS, where=f"CHANGE_EXCEPTIONS in {WHERE}",
                     sheets=sheets)


TABLES = {sid: functools.partial(load_sipri_milex, sid) for sid in BASE_YEARS}
