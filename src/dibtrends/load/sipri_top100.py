"""SIPRI Arms Industry Database: the Top 100 arms-producing and military services companies.

Two editions, each its own id and processed table (``sipri_top100_2023``: December 2024,
constant 2023 US$; ``sipri_top100_2024``: December 2025, constant 2024 US$), never mixed: SIPRI
revises earlier years between editions (``industry`` compares them). A sheet per year from 2002:
title lines, the header on row 4, 100 ranked rows, notes. Columns are found by their normalised
heading, since the layout differs by year (2002 has no previous-year columns; the last year's
prices *are* the constant ones). A heading the publisher got wrong is corrected only through the
edition's ``header_fixes``, which fail once it is corrected. Values are US$ m rounded to 10 m;
``. .`` and ``-`` are null; the arms share is a fraction in the file, percent here;
``Trans-European`` companies have no ``hq_iso3``. ``sipri_top100_totals`` (December 2024) gives
the published totals; its note (2022's total covers the 2023 list) becomes ``company_set_year``.
See docs/DATA_LOG.md.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandera.polars as pa
import polars as pl

from .. import validate
from ..errors import DataError
from ..sources import get as get_source
from . import workbook

WHERE = "src/dibtrends/load/sipri_top100.py"
TOTALS_SOURCE_ID = "sipri_top100_totals"
TOTALS_CONST_BASE_YEAR = 2023  # the totals file's constant prices (December 2024 release)
TOTALS_EDITION = "sipri_top100_2023"  # the Top 100 of the same release, whose sums they are
FIRST_YEAR = 2002
HEADER_ROW = 4
TRANS_EUROPEAN = "Trans-European"
#: Cells that mean "no value" in these workbooks.
MISSING = frozenset({". .", "-"})
#: The arms share may exceed 100 % by rounding (both revenues rounded to US$ 10 m): 1 point allows
#: that (largest seen: LIG Nex1 2010, 100.6 %) without letting a unit slip (x100) through.
SHARE_MAX_PCT = 101.0
#: The largest revenue of each year lies here (low, high, unit): Boeing's US$ 23,560 m in 2002
#: to Lockheed Martin's US$ 64,650 m in 2024; total revenues reach US$ 187,000 m.
UNITS = {
    **dict.fromkeys(["arms_revenue_usd_m_current", "arms_revenue_prev_usd_m_current",
                     "arms_revenue_usd_m_constant", "arms_revenue_prev_usd_m_constant"],
                    (1e4, 1e6, "US$ million, the year's largest arms revenue")),
    "total_revenue_usd_m_current": (1e4, 1e7, "US$ million, the year's largest total revenue"),
}
TOTALS_UNITS = (100, 5000, "US$ billion, the total of 100 companies")


@dataclass(frozen=True)
class Edition:
    """One edition of the workbook: its registry id (= processed table) and layout facts."""

    source_id: str
    last_year: int
    const_base_year: int  # "constant 2024 prices"
    #: (sheet, 1-based column) -> (header as published, header it should have): see module doc.
    header_fixes: dict = field(default_factory=dict)
    #: (year, company) -> reason: published arms shares above SHARE_MAX_PCT, kept as published.
    share_outliers: dict = field(default_factory=dict)
    #: Columns this edition leaves empty for "no value" (with the reason).
    blank: dict = field(default_factory=dict)

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
                                         "Arms revenues 2022 (constant 2024 prices) note (d)")},
            blank={"arms_revenue_prev_usd_m_current": "a company not ranked the year before: "
                   "the December 2024 edition prints '-' there"}),
)}
NEWEST = "sipri_top100_2024"  # what the report's industry chapter reads


class Top100Schema(validate.Model):
    """One row per company and year, as SIPRI ranks them, in one edition."""

    source_id: str = pa.Field(isin=list(EDITIONS))
    edition: str = pa.Field(str_length={"min_value": 4})
    year: pl.Int64 = pa.Field(ge=FIRST_YEAR, le=2100)
    rank: pl.Int64 = pa.Field(ge=1, le=100)
    rank_prev: pl.Int64 = pa.Field(nullable=True, ge=1, le=200)  # SIPRI's go to 120
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
    constant_prices_year: pl.Int64 = pa.Field(ge=FIRST_YEAR, le=2100)
    arms_revenue_usd_m_constant: float = pa.Field(nullable=True, gt=0)
    arms_revenue_prev_usd_m_constant: float = pa.Field(nullable=True, gt=0)
    sheet: str
    source_row: pl.Int64 = pa.Field(ge=HEADER_ROW + 1)

    class Config:
        unique = ["year", "rank"]  # noqa: RUF012 - pandera reads a list

    @pa.dataframe_check
    def company_unique_per_year(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(~pl.struct("year", "company").is_duplicated())

    @pa.dataframe_check
    def arms_share_at_most_100_pct(cls, data) -> pl.LazyFrame:
        known = pl.struct("source_id", "year", "company").is_in(
            [{"source_id": ed.source_id, "year": y, "company": c}
             for ed in EDITIONS.values() for y, c in ed.share_outliers])
        return data.lazyframe.select(pl.col("arms_share_of_revenue_pct").is_null()
                                     | (pl.col("arms_share_of_revenue_pct") <= SHARE_MAX_PCT)
                                     | known)


class Top100TotalsSchema(validate.Model):
    """SIPRI's published total arms revenue of the Top 100, per year."""

    source_id: str = pa.Field(isin=[TOTALS_SOURCE_ID])
    year: pl.Int64 = pa.Field(ge=FIRST_YEAR, le=2100, unique=True)
    arms_revenue_usd_bn_current: float = pa.Field(gt=0)
    arms_revenue_usd_bn_const2023: float = pa.Field(gt=0)
    #: The year whose Top 100 list the total covers (the publisher's note: 2022 -> 2023 list).
    company_set_year: pl.Int64 = pa.Field(ge=FIRST_YEAR, le=2100)


def _norm_header(text: object) -> str:
    """'Rank (2014)  *Note (b)' -> 'rank (2014)'; 'Company (c) ' -> 'company'."""
    s = workbook.norm(text)
    s = re.sub(r"\s*\*?\s*note\s*\([a-z]\)", "", s)  # '*Note (b)', 'note (d)'
    return re.sub(r"\s*\([a-z]\)$", "", s).strip()  # a trailing footnote reference '(c)'


_TEXT = frozenset({"company", "notes", "country"})


def _expected_headers(year: int, base: int) -> dict[str, tuple[str, bool]]:
    """Field -> (normalised header, required?) in the sheet of ``year``; ``base`` is the
    edition's constant-price year."""
    has_prev, arms, const = year > FIRST_YEAR, "arms_revenue", f"(constant {base} prices)"
    return {
        "rank": (f"rank ({year})", True),
        "rank_prev": (f"rank ({year - 1})", has_prev),
        "company": ("company", True),
        "notes": (f"notes ({year})", False),
        "country": ("country", True),
        f"{arms}_usd_m_current": (f"arms revenues ({year})", True),
        f"{arms}_prev_usd_m_current": (f"arms revenues ({year - 1})", has_prev),
        "total_revenue_usd_m_current": (f"total revenues ({year})", True),
        "arms_share_of_revenue_pct": (f"arms revenues as a % of total revenues ({year})", True),
        f"{arms}_usd_m_constant": (f"arms revenues {year} {const}", year != base),
        f"{arms}_prev_usd_m_constant": (f"arms revenues {year - 1} {const}", False),
    }


def _layout(sheet: str, year: int, ed: Edition) -> workbook.Layout:
    heads = _expected_headers(year, ed.const_base_year)
    return workbook.Layout(
        name=ed.source_id, where=f"{WHERE} (MISSING)", header=HEADER_ROW, heading=_norm_header,
        fix="SIPRI renamed, removed or mislabelled a column: check what it holds; map a new "
            "header text to its field in _expected_headers() in "
            f"{WHERE} once its meaning and units are unchanged, or record a mislabelled header "
            "in header_fixes of this edition in EDITIONS.",
        columns={f: h for f, (h, req) in heads.items() if req},
        optional={f: h for f, (h, req) in heads.items() if not req},
        text=_TEXT,
        required=frozenset({"rank", "company", "country", "arms_revenue_usd_m_current"}),
        renames={c: fix for (s, c), fix in ed.header_fixes.items() if s == sheet.strip()},
        stop=r"note:", stray=frozenset({"#REF!"}), missing=MISSING, blank=frozenset(ed.blank),
        refs="heading")


def _squeezed(column: str) -> pl.Expr:
    return pl.col(column).str.replace_all(r"\s+", " ").str.strip_chars()


def _read_sheet(sheet: workbook.Sheet, year: int, ed: Edition) -> pl.DataFrame:
    long = workbook.read(sheet, _layout(sheet.name, year, ed))
    if not long.height:
        raise sheet.error(f"no ranked rows below the header on row {HEADER_ROW}",
                          row=HEADER_ROW,
                          fix="check that the header is still on that row (HEADER_ROW).")
    wide = long.pivot(on="key", index=["row", "company", "notes", "country"], values="value")
    cols = sheet.columns
    for f in ("rank", "rank_prev"):
        if f in wide.columns and (odd := wide.filter(pl.col(f) != pl.col(f).round())).height:
            raise sheet.error(f"rank {odd[f][0]!r} is not a whole number", col=cols[f],
                              row=odd["row"][0], fix="check the rank cell in the workbook.")
    country, company = _squeezed("country"), _squeezed("company")
    codes = {c: None if c == TRANS_EUROPEAN else sheet.iso3(c, col=cols["country"], row=r)
             for c, r in wide.select(country, "row").unique("country", keep="first").iter_rows()}
    merged = r"(?i)\s*-\s*MERGED!?\s*$"  # SIPRI's marker, kept as a note
    return wide.select(
        pl.lit(ed.source_id).alias("source_id"), pl.lit(ed.edition).alias("edition"),
        pl.lit(year, pl.Int64).alias("year"),
        *[(pl.col(f) if f in wide.columns else pl.lit(None))
          .cast(pl.Int64 if f.startswith("rank") else pl.Float64).alias(f)
          for f in _expected_headers(year, ed.const_base_year) if f not in _TEXT],
        company.str.replace(merged, "").str.replace(r"\s*(\([a-z]\)|\*+)$", "")  # footnotes
        .str.strip_chars().alias("company"),
        pl.concat_str(_squeezed("notes"), pl.when(company.str.contains(merged)).then(
            pl.lit("MERGED!")), separator=" ", ignore_nulls=True).replace("", None)
        .alias("sipri_notes"),
        country.alias("country_published"),
        country.replace_strict(codes, return_dtype=pl.String).alias("hq_iso3"),
        (country == TRANS_EUROPEAN).alias("trans_european"),
        pl.lit(ed.const_base_year, pl.Int64).alias("constant_prices_year"),
        pl.lit(sheet.name).alias("sheet"), pl.col("row").alias("source_row"),
    ).with_columns(pl.col("arms_share_of_revenue_pct") * 100.0)


def load_top100(path: Path | None = None, source_id: str = NEWEST) -> pl.DataFrame:
    """Every company-year of one edition of the SIPRI Top 100, tidy and validated. The sheets
    named after a year are read; others (a blank sheet, notes) are not."""
    if (ed := EDITIONS.get(source_id)) is None:
        raise KeyError(f"no SIPRI Top 100 edition {source_id!r}; editions: {', '.join(EDITIONS)}")
    path = workbook.raw_path(source_id, path, f"the SIPRI Top 100 workbook ({ed.edition})")
    sheets = workbook.open_workbook(path, None, fix="")
    years = {int(name.strip()): s for name, s in sheets.items() if name.strip().isdigit()}
    if sorted(years) != list(range(FIRST_YEAR, ed.last_year + 1)):
        raise DataError(path, f"expected a sheet for each year {FIRST_YEAR} to {ed.last_year} "
                        f"({source_id}, {ed.edition}); found the year sheets {sorted(years)} "
                        f"among the workbook's sheets {list(sheets)}", column="sheet",
                        fix="a year sheet is missing or misnamed: compare with the publisher's "
                            "file; a new edition needs its own registry record and entry in "
                            "EDITIONS.")
    df = pl.concat([_read_sheet(s, y, ed) for y, s in years.items()]).sort("year", "rank")
    # The base year has no constant-price column: its current prices are the constant prices.
    df = df.with_columns(
        pl.when(pl.col("year") == ed.const_base_year).then(pl.col("arms_revenue_usd_m_current"))
        .otherwise(pl.col("arms_revenue_usd_m_constant")).alias("arms_revenue_usd_m_constant"))
    validate.units(df, UNITS, path, key=["sheet", "company"], by="year", where=f"UNITS in {WHERE}")
    df = validate.validated(df.select(*validate.dtypes(Top100Schema)), Top100Schema, path,
                            key=["year", "rank", "company", "sheet"])
    # the completeness the ranking implies (ranks 1..100)
    counts = df.group_by("year").agg(pl.len().alias("n"), pl.col("rank").max().alias("max"))
    if (bad := counts.filter((pl.col("n") != 100) | (pl.col("max") != 100))).height:
        raise DataError(path, "each year should rank exactly 100 companies; found "
                        + ", ".join(f"{r['year']}: {r['n']}" for r in bad.iter_rows(named=True)),
                        column="rank", fix="check the year sheet for skipped or extra rows.")
    return df


_SET_YEAR = re.compile(r"except the data for (\d{4}) and (\d{4}), which refers? to the set of "
                       r"companies listed in (\d{4})")


def load_totals(path: Path | None = None) -> pl.DataFrame:
    """SIPRI's published total arms revenue of the Top 100 per year (US$ bn)."""
    path = workbook.raw_path(TOTALS_SOURCE_ID, path, "the SIPRI Top 100 totals workbook")
    sheet = next(iter(workbook.open_workbook(path, None, fix="").values()))
    lay = workbook.Layout(name=TOTALS_SOURCE_ID, where=f"{WHERE} (load_totals)",
                          fix="check the layout of the totals workbook.", years=(FIRST_YEAR, None),
                          labels={"label": 1}, stop="note",
                          blank_rows={"% change": "no change for the first year, 2002"})
    long = workbook.read(sheet, lay)
    const = f"arms_revenue_usd_bn_const{TOTALS_CONST_BASE_YEAR}"
    series = {"arms_revenue_usd_bn_current": "current us$",
              const: f"constant {TOTALS_CONST_BASE_YEAR} us$"}
    label = pl.col("label").str.to_lowercase()
    long = long.with_columns(pl.coalesce(pl.when(label.str.starts_with(v)).then(pl.lit(c))
                                         for c, v in series.items()).alias("series"))
    for column, label in series.items():
        if (n := long.filter(pl.col("series") == column)["row"].n_unique()) != 1:
            raise sheet.error(f"expected one row labelled {label!r}..., found {n}", column=column,
                              fix="SIPRI changed the row labels; update load_totals().")
    note = " ".join(r[0] for r in sheet.rows if r and isinstance(r[0], str)
                    and r[0].startswith("Note"))
    set_year: dict[int, int] = {}
    if "except" in note:
        if not (m := _SET_YEAR.search(note)):
            raise sheet.error("the note names an exception to 'each year's Top 100' that the "
                              f"loader cannot read: {note!r}", column="company_set_year",
                              fix="read the note and update the pattern in load_totals().")
        set_year = {int(m[1]): int(m[3]), int(m[2]): int(m[3])}
    df = (long.drop_nulls("series").pivot(on="series", index="year", values="value")
          .select(pl.lit(TOTALS_SOURCE_ID).alias("source_id"), "year", *series,
                  pl.col("year").replace(set_year).alias("company_set_year")))
    validate.units(df, dict.fromkeys(series, TOTALS_UNITS), path, key=["year"],
                   where=f"TOTALS_UNITS in {WHERE}", sheets=dict.fromkeys(series, sheet.name))
    return validate.validated(df.sort("year"), Top100TotalsSchema, path, key=["year"])


def check_totals(totals: pl.DataFrame, top100: pl.DataFrame) -> None:
    """SIPRI's published totals are the sums of its listed companies' arms revenue in the same
    release (December 2024), to half a cent of a billion: the totals are printed to US$ 0.01 bn
    and each company to US$ 10 m. A year whose note names another list (2022: the 2023 list)
    is that list's previous-year column."""
    current, prev = "arms_revenue_usd_m_current", "arms_revenue_prev_usd_m_current"
    sums = top100.group_by("year").agg((pl.col(c).sum() / 1000).alias(c) for c in (current, prev))
    joined = totals.join(sums, left_on="company_set_year", right_on="year", how="left")
    summed = pl.when(pl.col("year") == pl.col("company_set_year")).then(current).otherwise(prev)
    off = joined.with_columns(summed.alias("sum")).filter(
        ((pl.col("sum") - pl.col("arms_revenue_usd_bn_current")).abs() > 0.005)
        | pl.col("sum").is_null())
    if off.height:
        r = off.row(0, named=True)
        raise DataError(
            workbook.raw_path(TOTALS_SOURCE_ID, None), f"the total for {r['year']} is "
            f"US$ {r['arms_revenue_usd_bn_current']} bn, but the {r['company_set_year']} list of "
            f"{TOTALS_EDITION} adds up to US$ {r['sum']} bn (expected the sum)",
            column="arms_revenue_usd_bn_current", row=r["year"],
            fix="one of the two files changed (a company row, a unit, a new release): compare "
                "both with SIPRI's published figures; each release's totals go with its own "
                "companies.")


TABLES = {
    **{sid: functools.partial(load_top100, source_id=sid) for sid in EDITIONS},
    TOTALS_SOURCE_ID: load_totals,
}
#: Checks across tables, run by the data build once both are built.
CHECKS = {(TOTALS_SOURCE_ID, TOTALS_EDITION): check_totals}
