"""NATO, "Defence Expenditure of NATO Countries", press-release tables: one edition a year.

Each edition is a registry record (``nato_defexp_<last data year>``) and a :class:`NatoEdition`
in :data:`EDITIONS` (its years, the years marked ``e`` as estimates, its layout). The sheets
TABLE1-TABLE8b hold a title, a units line, a row of years and one or two blocks (a heading names
the price basis or measure) of a row per Ally and the aggregates; they become ONE frame, a row
per (entity, year), a column per measure, units in the names. Titles, units lines and block
headings are checked word for word (a new unit under an old column name would corrupt every
number downstream). Table 4 is not stored but must repeat Tables 2 and 3; the aggregates must be
the sums of that year's Allies. Iceland appears only in the GDP tables.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandera.polars as pa
import polars as pl

from .. import paths, sources, validate
from ..errors import DataError
from . import workbook
from .curated import accession_years

FAMILY = "nato_defexp"
WHERE = "src/dibtrends/load/nato.py"
#: Aggregate rows as NATO labels them -> the entity code used in the tidy table.
AGGREGATES = {"NATO Europe and Canada": "NATO_EUROPE_CANADA", "NATO Total": "NATO_TOTAL"}
#: The workbook's unrounded category shares sum to 100 within 0.004 points for every Ally-year;
#: 0.5 allows a publisher's rounding in a re-save, not a missing or doubled category.
CATEGORY_SUM_TOLERANCE_PP = 0.5
#: The values a measure may take, by kind (the schema's range checks).
VALUE_RULES = {
    "amount": (pa.Check.ge(0),),                      # money or people; Iceland has none
    "positive": (pa.Check.gt(0),),                    # GDP
    "percent": (pa.Check.ge(0), pa.Check.le(100)),    # shares
    "gdp_share": (pa.Check.ge(0), pa.Check.le(validate.MAX_ALLY_SHARE_GDP_PCT)),
    "change": (pa.Check.gt(-100),),                   # annual real change, percent
}
#: The measures summed into the aggregate rows (to 1e-9 relative: NATO sums unrounded cells).
SUMMED = ("milex_usd_m_current", "milex_usd_m_const2015", "gdp_usd_m_current",
          "gdp_usd_m_const2015", "military_personnel_thousands")
#: At most this change from one year to the next (a factor: x2 or /2), GDP at most x1.5 ...
CHANGES = {**dict.fromkeys(["milex_ncu_m_current", "milex_ncu_m_const2015", "share_gdp_pct",
                            "milex_usd_m_current", "milex_usd_m_const2015",
                            "milex_per_capita_usd_const2015", "military_personnel_thousands"],
                           2.0),
           **dict.fromkeys(["gdp_usd_m_current", "gdp_usd_m_const2015",
                            "gdp_per_capita_usd_k_const2015"], 1.5)}
#: ... but in these Ally-years, as published (the 2024 edition's only ones).
CHANGE_EXCEPTIONS = {
    ("BGR", 2019): "Bulgaria paid for eight F-16 Block 70 fighters in 2019 (about BGN 1.8 bn), "
                   "more than doubling that year's defence expenditure",
    ("BGR", 2020): "Bulgaria's expenditure falls back after the one-off F-16 payment of 2019",
    ("TUR", 2024): "Turkish lira inflation: expenditure in current lira doubles in 2024",
    ("LUX", 2023): "a break in Luxembourg's GDP series at 2015 prices (-34 % in 2023), not a "
                   "recession; the pledge chapter treats it as a series break",
}
STOP = r"note|-\s*\d+\s*-$"  # the notes below a table, or its page number ('-7-')
STRAY = frozenset({"#REF!", 0})
_LABEL_RE = re.compile(r"^(?P<name>[^*(]+?)\s*\*?\s*(?:\((?P<currency>[^)]*)\))?\s*$")


@dataclass(frozen=True)
class Block:
    heading: str | None  # the block heading in column B (None: the table has a single block)
    column: str          # the measure column in the tidy table (its unit in its name)
    kind: str            # a key of VALUE_RULES
    #: the range of the block's largest value in the 2024 edition, with a margin that a table
    #: in thousands or billions (x1000 or /1000) leaves (None: the schema's range suffices)
    largest: tuple[float, float] | None = None


@dataclass(frozen=True)
class TableSpec:
    sheet: str
    title: str
    units: str
    blocks: tuple[Block, ...] = ()
    has_aggregates: bool = True
    headers: tuple[str, ...] = ()  # Table 4: its column headings (it has no blocks)


_USD = ("Current prices and exchange rates", "Constant 2015 prices and exchange rates")
_T8 = "Table 8{} : Distribution of defence expenditure by main category"
_T8_UNITS = "Percentage of total defence expenditure"
#: The layout of the 2024 edition (constant 2015 prices), as the publisher words it.
TABLE_SPECS: tuple[TableSpec, ...] = (
    TableSpec("TABLE1", "Table 1 : Defence expenditure", "Million national currency units", (
        Block("Current prices", "milex_ncu_m_current", "amount", (1e5, 1e8)),
        Block("Constant 2015 prices", "milex_ncu_m_const2015", "amount", (1e5, 1e8))),
        has_aggregates=False),
    TableSpec("TABLE2", "Table 2 : Defence expenditure", "Million US dollars", (
        Block(_USD[0], "milex_usd_m_current", "amount", (1e5, 1e8)),
        Block(_USD[1], "milex_usd_m_const2015", "amount", (1e5, 1e8)))),
    TableSpec("TABLE3", "Table 3 : Defence expenditure as a share of GDP and annual real change",
              "Based on 2015 prices", (
                  Block("Share of real GDP (%)", "share_gdp_pct", "gdp_share"),
                  Block("Annual real change (%)", "real_change_pct", "change", (10, 1000)))),
    TableSpec("TABLE5", "Table 5 : GDP", "Million US dollars", (
        Block(_USD[0], "gdp_usd_m_current", "positive", (1e7, 1e9)),
        Block(_USD[1], "gdp_usd_m_const2015", "positive", (1e7, 1e9)))),
    TableSpec("TABLE6", "Table 6 : GDP per capita and defence expenditure per capita",
              "2015 prices and exchange rates", (
                  Block("GDP per capita (thousand US dollars)", "gdp_per_capita_usd_k_const2015",
                        "positive", (30, 1000)),
                  Block("Defence expenditure per capita (US dollars)",
                        "milex_per_capita_usd_const2015", "amount", (500, 50_000)))),
    TableSpec("TABLE7", "Table 7 : Military personnel", "Thousands", (
        Block(None, "military_personnel_thousands", "amount", (1e3, 1e5)),)),
    TableSpec("TABLE8a", _T8.format("a"), _T8_UNITS, (
        Block("Equipment (a)", "equipment_share_pct", "percent"),
        Block("Personnel (b)", "personnel_share_pct", "percent")), has_aggregates=False),
    TableSpec("TABLE8b", _T8.format("b"), _T8_UNITS, (
        Block("Infrastructure (c)", "infrastructure_share_pct", "percent"),
        Block("Other (d)", "other_share_pct", "percent")), has_aggregates=False),
)
#: The measure columns of the 2024 layout, in table order.
MEASURES = [b.column for spec in TABLE_SPECS for b in spec.blocks]
CATEGORY_SHARES = ["equipment_share_pct", "personnel_share_pct", "infrastructure_share_pct",
                   "other_share_pct"]
T4_FIELDS = ("usd_first", "usd_last", "real_change", "share_first", "share_last")


@dataclass(frozen=True)
class NatoEdition:
    """What the loader expects of one edition's workbook (the file itself is the registry
    record with the same id)."""

    source_id: str
    first_year: int
    last_year: int
    estimate_years: tuple[int, ...]  # the years the header rows mark 'e', and no others
    tables: tuple[TableSpec, ...] = TABLE_SPECS
    table4_units: str = "Million US dollars (2015 prices and exchange rates)"
    #: The measures Table 4 repeats: constant-price US$ (Table 2) and share of GDP (Table 3).
    table4_columns: tuple[str, str] = ("milex_usd_m_const2015", "share_gdp_pct")

    def __post_init__(self) -> None:
        object.__setattr__(self, "estimate_years", tuple(sorted(self.estimate_years)))
        problems = []
        if self.source_id != f"{FAMILY}_{self.last_year}":
            problems.append(f"its id should be {FAMILY}_{self.last_year} (the last data year)")
        if outside := [y for y in self.estimate_years
                       if not self.first_year <= y <= self.last_year]:
            problems.append(f"estimate years {outside} lie outside {self.first_year}-"
                            f"{self.last_year}")
        problems += [f"Table 4 column {c!r} is in none of its tables"
                     for c in self.table4_columns if c not in self.sheet_of]
        if problems:
            raise ValueError(f"NatoEdition {self.source_id!r}: " + "; ".join(problems))

    @property
    def sheet_of(self) -> dict[str, str]:
        """Measure column -> the sheet it comes from, in table order."""
        return {b.column: t.sheet for t in self.tables for b in t.blocks}

    def label(self, year: int) -> str:
        """A year as the header rows print it: ``2024e`` for an estimate."""
        return f"{year}e" if year in self.estimate_years else str(year)

    def estimates_in_words(self) -> str:
        *most, last = self.estimate_years or ("no year",)
        listed = f"{', '.join(map(str, most))} and {last}" if most else str(last)
        return f"{listed} as estimate{'s' if most else ''}"

    def table4(self) -> TableSpec:
        first, last = self.label(self.first_year), self.label(self.last_year)
        return TableSpec(
            "TABLE4", f"Table 4 : Defence expenditure real change {self.first_year}-{last}",
            self.table4_units, headers=(
                first, last, f"Real change {self.first_year}-{last} (%)",
                f"Share of real GDP {first} (%)", f"Share of real GDP {last} (%)"))


#: Every edition the loader can read, by registry id. Add one per new registry record.
EDITIONS: dict[str, NatoEdition] = {e.source_id: e for e in (
    NatoEdition("nato_defexp_2024", first_year=2014, last_year=2024, estimate_years=(2023, 2024)),
)}


def edition_for(source_id: str | None = None, path: Path | str | None = None) -> NatoEdition:
    """``source_id``'s edition; else the one registered under ``path``'s file name; else the
    newest registered. A registered edition without a spec is a DataError naming the fix."""
    is_edition = re.compile(rf"{FAMILY}_\d{{4}}").fullmatch
    if source_id is None and path is not None:
        source_id = next((s.id for s in sources.SOURCES
                          if is_edition(s.id) and s.filename == Path(path).name), None)
    source = sources.newest(FAMILY) if source_id is None else sources.get(source_id)
    if not is_edition(source.id):
        raise KeyError(f"{source.id!r} is not a NATO defence-expenditure edition (ids "
                       f"'{FAMILY}_<last data year>'); editions with a spec: "
                       f"{', '.join(EDITIONS)}")
    if source.id not in EDITIONS:
        raise DataError(
            path or paths.RAW / source.filename,
            f"NATO edition {source.id!r} ({source.edition}, {source.filename}) is registered in "
            f"data/sources.yml, but the loader has no spec for it (specs: "
            f"{', '.join(EDITIONS)})",
            fix=f"add a NatoEdition for {source.id} to EDITIONS in {WHERE}; if the layout is "
                "unchanged, its years and estimate years are all it needs.")
    return EDITIONS[source.id]


@functools.cache
def schema(edition: NatoEdition) -> pa.DataFrameSchema:
    """One row per (entity, year) of ``edition``; measures null where NATO publishes nothing."""
    kinds = {b.column: b.kind for t in edition.tables for b in t.blocks}
    codes = list(AGGREGATES.values())
    columns = {
        "source_id": pa.Column(pl.String, pa.Check.isin([edition.source_id])),
        "entity": pa.Column(pl.String, pa.Check.isin(sorted(accession_years()) + sorted(codes))),
        "is_aggregate": pa.Column(pl.Boolean),
        "year": pa.Column(pl.Int64, [pa.Check.ge(edition.first_year),
                                     pa.Check.le(edition.last_year)]),
        "estimate": pa.Column(pl.Boolean),
        "national_currency": pa.Column(pl.String, nullable=True),
        **{c: pa.Column(pl.Float64, list(VALUE_RULES[kinds[c]]), nullable=True)
           for c in edition.sheet_of},
    }
    estimates = list(edition.estimate_years)
    checks = [
        pa.Check(lambda data: data.lazyframe.select(
            pl.col("estimate") == pl.col("year").is_in(estimates)),
            name="estimate_flag_matches_edition",
            error=(f"estimate_flag_matches_edition ({edition.source_id} marks "
                   f"{edition.estimates_in_words()})")),
    ]
    if set(CATEGORY_SHARES) <= set(edition.sheet_of):
        # The four categories of Tables 8a/8b partition defence expenditure.
        total = pl.sum_horizontal(CATEGORY_SHARES)
        any_null = pl.any_horizontal([pl.col(c).is_null() for c in CATEGORY_SHARES])
        checks.insert(0, pa.Check(lambda data: data.lazyframe.select(
            any_null | ((total - 100).abs() <= CATEGORY_SUM_TOLERANCE_PP)),
            name="category_shares_sum_to_100"))
    return pa.DataFrameSchema(columns, checks=checks, strict=True, unique=["entity", "year"],
                              name=f"NatoDefexp[{edition.source_id}]")


def _layout(edition: NatoEdition, spec: TableSpec) -> workbook.Layout:
    first, last = edition.first_year, edition.last_year
    fix = (f"the publisher changed the title or units of {spec.sheet}: check which unit the "
           "sheet now uses; for a new edition, give its NatoEdition its own tables= (a copy of "
           "TABLE_SPECS with the publisher's new words; where the unit changed, a new column "
           "name carrying it, together with every analysis that reads that column) or "
           f"table4_units= in {WHERE}.")
    common = dict(name=edition.source_id, fix=fix, where=WHERE, stop=STOP,
                  lines=(("title", spec.title), ("units line", spec.units)))
    if spec.headers:  # Table 4: a column per heading, no blocks
        return workbook.Layout(**common, search=5, labels={"label": -1},
                               columns=dict(zip(T4_FIELDS, spec.headers, strict=True)))
    return workbook.Layout(
        **common, stray=STRAY, labels={"block": -2, "label": -1}, search=8, years=(first, last),
        fix_years=(f"restore the year headings as published (one column per year, {first} to "
                   f"{edition.label(last)}); if NATO changed which years of this edition are "
                   f"estimates, correct estimate_years of {edition.source_id} in EDITIONS in "
                   f"{WHERE} (and the registry's edition text); if this is another edition, "
                   "check that its registry record in data/sources.yml and its "
                   f"NatoEdition (now {edition.source_id}: {first}-{last}) give its years."),
        suffix="e", suffixed=edition.estimate_years, suffix_means=edition.estimates_in_words(),
        sections=tuple(b.heading for b in spec.blocks if b.heading))


def _entity(sheet: workbook.Sheet, spec: TableSpec, r: int, col: int, block, label):
    """(entity, national currency) of a data row whose label is in column ``col``."""
    if (name := block if block in AGGREGATES else label) in AGGREGATES:
        if not spec.has_aggregates:
            raise sheet.error(f"unexpected aggregate row {name!r} (this table had none when the "
                              "loader was written)", col=col - 1, row=r,
                              fix="check the new aggregate against TABLE2 and add it to the "
                                  "edition's tables (TABLE_SPECS) and AGGREGATES.")
        return AGGREGATES[name], None
    if label is None:
        raise sheet.error("a row has numbers but no country or aggregate label", col=col, row=r,
                          fix="label the row with the country name, or delete it if it is not "
                              "data.")
    if not (m := _LABEL_RE.match(label)):
        raise sheet.error(f"unreadable country label {label!r}", col=col, row=r,
                          fix="write the label as 'Country' or 'Country   (Currency)'.")
    entity = sheet.iso3(m["name"].strip(), col=col, row=r)
    if entity not in accession_years():
        raise sheet.error(f"{m['name'].strip()!r} ({entity}) is not an Ally in "
                          "data/curated/nato_membership.csv", col=col, row=r,
                          fix="if NATO has a new member, add it to the membership table with its "
                              "accession date and citation.")
    return entity, m["currency"]


def _read_sheet(sheet: workbook.Sheet, spec: TableSpec, edition: NatoEdition) -> pl.DataFrame:
    """One table, long: (entity, year, estimate, measure, value, national_currency, row)."""
    lay = _layout(edition, spec)
    long = workbook.read(sheet, lay, check=False)
    col = sheet.columns["label"]
    rows = long.select("row", "block", "label").unique(maintain_order=True).iter_rows()
    codes = pl.DataFrame([(r, *_entity(sheet, spec, r, col, block, label))
                          for r, block, label in rows], orient="row",
                         schema={"row": pl.Int64, "entity": pl.String,
                                 "national_currency": pl.String})
    measure = {b.heading: b.column for b in spec.blocks}  # heading None: a single block
    long = long.join(codes, on="row", how="left", maintain_order="left").with_columns(
        pl.col("section").replace_strict({k: v for k, v in measure.items() if k},
                                         default=measure.get(None), return_dtype=pl.String)
        .alias("measure"))
    workbook.check_cells(long, sheet, lay, ident=("measure", "entity", "year"))
    if (dup := long.filter(pl.struct("entity", "year", "measure").is_duplicated())).height:
        first = dup.row(0, named=True)
        raise sheet.error(f"{first['entity']} appears twice in block {first['measure']} (rows "
                          f"{', '.join(map(str, dup['row'].unique(maintain_order=True)))})",
                          col=col, row=first["row"], fix="remove the repeated row.")
    return long.select("entity", "year", pl.col("flag").alias("estimate"), "measure", "value",
                       "national_currency")


def _cross_check_table4(sheet: workbook.Sheet, tidy: pl.DataFrame, edition: NatoEdition) -> None:
    """Table 4 must repeat Tables 2 and 3 (to 1e-6 relative: the same cells, re-referenced)."""
    long = workbook.read(sheet, _layout(edition, edition.table4()))
    t4 = long.pivot(on="key", index=["row", "label"], values="value")
    usd, share = edition.table4_columns
    y0, y1 = edition.first_year, edition.last_year
    ours = {(e, y): (u, s) for e, y, u, s in tidy.select("entity", "year", usd, share).iter_rows()}
    cols = sheet.columns
    for row in t4.iter_rows(named=True):
        entity = sheet.iso3(row["label"], col=cols["label"], row=row["row"])
        (u0, s0), (u1, s1) = (ours.get((entity, y), (None, None)) for y in (y0, y1))
        for field, b, other in (("usd_first", u0, usd), ("usd_last", u1, usd),
                                ("share_first", s0, share), ("share_last", s1, share)):
            a = row[field]
            if a is None or b is None or abs(a - b) > 1e-6 * max(1.0, abs(b)):
                raise sheet.error(
                    f"TABLE4 disagrees with {edition.sheet_of[other]} for {entity}: {a!r} vs "
                    f"{b!r} (expected the same value)",
                    col=cols[field], row=row["row"],
                    fix="the workbook is internally inconsistent (a partial revision?): compare "
                        "with NATO's PDF edition and report the discrepancy.")
        if abs((u1 / u0 - 1) * 100 - row["real_change"]) > 1e-6:
            raise sheet.error(f"the real change for {entity} does not match "
                              f"{edition.label(y1)}/{edition.label(y0)}", col=cols["real_change"],
                              row=row["row"], fix="compare with NATO's PDF edition.")


def _check_aggregates(tidy: pl.DataFrame, path: Path, edition: NatoEdition) -> None:
    """Each aggregate is the sum of that year's Allies (NATO Europe and Canada: without the US),
    as NATO computes it: a changed, dropped or doubled row shows here."""
    member = pl.col("year") >= pl.col("entity").replace_strict(accession_years(),
                                                               default=9999)
    sums = tidy.filter(member).group_by("year").agg(
        *[pl.col(c).sum().alias(f"{c}|NATO_TOTAL") for c in SUMMED],
        *[pl.col(c).filter(pl.col("entity") != "USA").sum().alias(f"{c}|NATO_EUROPE_CANADA")
          for c in SUMMED])
    for r in tidy.filter(pl.col("is_aggregate")).join(sums, on="year").iter_rows(named=True):
        for c in SUMMED:
            if abs(r[c] - (total := r[f"{c}|{r['entity']}"])) > 1e-9 * abs(total):
                raise DataError(
                    path, f"sheet {edition.sheet_of[c]!r}: the {r['entity']} row gives "
                    f"{r[c]:,.6g} for {c} in {r['year']}, but that year's Allies add up to "
                    f"{total:,.6g} (expected the sum, as NATO computes it)", column=c,
                    row=f"{r['entity']} {r['year']}",
                    fix="a country row was changed, dropped or repeated, or NATO changed whom the "
                        "aggregate counts: compare the sheet with NATO's PDF edition.")


def load_nato_defexp(path: Path | str | None = None, source_id: str | None = None) -> pl.DataFrame:
    """NATO's tables as one tidy, validated frame: one row per (entity, year). ``source_id``
    names the edition (default: the one registered under ``path``'s name, else the newest)."""
    edition = edition_for(source_id, path)
    path = workbook.raw_path(edition.source_id, path, "NATO defence expenditure workbook")
    return read_workbook(path, edition)


def read_workbook(path: Path, edition: NatoEdition) -> pl.DataFrame:
    """Read and validate ``path`` as the workbook of ``edition`` (every check of the module)."""
    t4 = edition.table4().sheet
    sheets = workbook.open_workbook(
        path, [s.sheet for s in edition.tables] + [t4],
        fix=f"check that this is the workbook of {edition.source_id} (its file is named in "
            "data/sources.yml); if the publisher renamed the sheets, give its "
            f"NatoEdition its own tables= in {WHERE}.")
    long = pl.concat([_read_sheet(sheets[s.sheet], s, edition) for s in edition.tables])
    currency = (long.filter(pl.col("national_currency").is_not_null())
                .group_by("entity").agg(pl.col("national_currency").first()))
    wide = (long.pivot(on="measure", index=["entity", "year", "estimate"], values="value")
            .join(currency, on="entity", how="left"))
    tidy = wide.select(
        pl.lit(edition.source_id).alias("source_id"), "entity",
        pl.col("entity").is_in(list(AGGREGATES.values())).alias("is_aggregate"),
        "year", "estimate", "national_currency",
        *[(pl.col(c) if c in wide.columns else pl.lit(None)).cast(pl.Float64).alias(c)
          for c in edition.sheet_of],
    ).sort("is_aggregate", "entity", "year")
    _cross_check_table4(sheets[t4], tidy, edition)
    tidy = validated(tidy, path, edition)
    plausible(tidy, path, edition)
    return tidy


def validated(df: pl.DataFrame, path, edition: NatoEdition) -> pl.DataFrame:
    return validate.validated(df, schema(edition), path, key=["entity", "year"],
                              sheets=edition.sheet_of)


def plausible(tidy: pl.DataFrame, path, edition: NatoEdition) -> None:
    """What the schema cannot say: each block's unit (its largest value), the aggregates as the
    sums of the Allies, and no change from one year to the next beyond ``CHANGES``."""
    validate.units(tidy, {b.column: (*b.largest, f"{t.units} ({b.heading or t.sheet})")
                          for t in edition.tables for b in t.blocks if b.largest}, path,
                   key=["entity", "year"], where=f"TABLE_SPECS in {WHERE}",
                   sheets=edition.sheet_of)
    _check_aggregates(tidy, path, edition)
    validate.changes(tidy, {c: f for c, f in CHANGES.items() if c in tidy.columns}, path,
                     entity="entity", exceptions=CHANGE_EXCEPTIONS,
                     where=f"CHANGE_EXCEPTIONS in {WHERE}", sheets=edition.sheet_of)


TABLES = {"nato_defexp": load_nato_defexp}
