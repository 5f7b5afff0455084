"""The plausibility checks a schema cannot express, each shown to fail on the real tables changed
in one place: the unit of a table (its largest value), aggregates that must be the sums of the
Allies, changes from one year to the next beyond a bound (and every named exception needed by the
real data), Allies' shares of GDP within 0-30 %, and the completeness checks of the readers. They
run inside the loaders, so a bad file stops `make data`."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from dibtrends import validate
from dibtrends.errors import DataError
from dibtrends.load import context, csvfile, nato, sipri_milex, sipri_top100, usgs, workbook

EDITION = nato.EDITIONS["nato_defexp_2024"]
TABLE = Path("table.xlsx")


@pytest.fixture(scope="module")
def defexp(nato) -> pl.DataFrame:  # noqa: F811 - the conftest fixture, not the module
    return nato


@pytest.fixture(scope="module")
def milex(processed) -> pl.DataFrame:
    return pl.read_parquet(processed / "sipri_milex_2025.parquet")


def test_the_real_tables_pass(defexp, milex):
    nato.plausible(defexp, TABLE, EDITION)
    sipri_milex.allies_changes(milex, TABLE, _milex_sheets(milex))


@pytest.mark.parametrize("column", ["milex_usd_m_current", "gdp_usd_m_const2015",
                                    "military_personnel_thousands", "real_change_pct"])
def test_a_nato_table_in_other_units_is_refused(defexp, column):
    with pytest.raises(DataError, match=f"the largest {column} is .*expected between") as info:
        nato.plausible(defexp.with_columns(pl.col(column) * 1000), TABLE, EDITION)
    assert info.value.column == column and "sheet 'TABLE" in str(info.value)


def test_an_aggregate_must_be_the_sum_of_that_years_allies(defexp):
    changed = defexp.with_columns(
        pl.when((pl.col("entity") == "FRA") & (pl.col("year") == 2020))
        .then(pl.col("milex_usd_m_const2015") * 1.1).otherwise(pl.col("milex_usd_m_const2015"))
        .alias("milex_usd_m_const2015"))
    with pytest.raises(DataError, match="that year's Allies add up to") as info:
        nato.plausible(changed, TABLE, EDITION)
    assert info.value.row in ("NATO_EUROPE_CANADA 2020", "NATO_TOTAL 2020")
    assert "sheet 'TABLE2'" in str(info.value)


def test_a_misplaced_decimal_point_is_a_jump_from_one_year_to_the_next(defexp):
    jump = defexp.with_columns(
        pl.when((pl.col("entity") == "PRT") & (pl.col("year") == 2017))
        .then(pl.col("military_personnel_thousands") * 10)
        .otherwise(pl.col("military_personnel_thousands")))
    with pytest.raises(DataError, match="military_personnel_thousands of PRT goes from") as info:
        validate.changes(jump, nato.CHANGES, TABLE, entity="entity",
                         exceptions=nato.CHANGE_EXCEPTIONS, where="tests")
    assert info.value.row == "PRT 2017"


@pytest.mark.parametrize("key", list(nato.CHANGE_EXCEPTIONS))
def test_every_named_nato_exception_is_needed_by_the_data(defexp, key):
    others = {k: v for k, v in nato.CHANGE_EXCEPTIONS.items() if k != key}
    with pytest.raises(DataError) as info:
        validate.changes(defexp, nato.CHANGES, TABLE, entity="entity",
                         exceptions=others, where="tests")
    assert info.value.row == f"{key[0]} {key[1]}"


@pytest.mark.parametrize("key", list(sipri_milex.CHANGE_EXCEPTIONS))
def test_every_named_sipri_exception_is_needed_by_the_data(milex, key, monkeypatch):
    monkeypatch.delitem(sipri_milex.CHANGE_EXCEPTIONS, key)
    with pytest.raises(DataError) as info:
        sipri_milex.allies_changes(milex, TABLE, _milex_sheets(milex))
    assert info.value.row == f"{key[0]} {key[1]}"


def test_an_allys_share_of_gdp_above_30_pct_is_refused(defexp, milex):
    high = pl.when(pl.col("year") == 2020).then(31.0).otherwise(pl.col("share_gdp_pct"))
    with pytest.raises(DataError, match="less_than_or_equal_to\\(30.0\\)"):
        nato.validated(
            defexp.with_columns(high.alias("share_gdp_pct")), TABLE, EDITION)
    ally = (pl.col("iso3") == "GRC") & (pl.col("year") == 1974)
    with pytest.raises(DataError, match="an Ally's share of GDP above"):
        validate.validated(milex.with_columns(pl.when(ally).then(31.0).otherwise(
            pl.col("share_gdp_pct")).alias("share_gdp_pct")),
            sipri_milex.schema("sipri_milex_2025"), TABLE)


def test_a_top100_year_in_other_units_is_refused(processed):
    top = pl.read_parquet(processed / "sipri_top100_2023.parquet")
    validate.units(top, sipri_top100.UNITS, TABLE, key=["sheet"], by="year", where="tests")
    thousandfold = pl.when(pl.col("year") == 2011).then(pl.col("total_revenue_usd_m_current")
                                                        * 1000)
    with pytest.raises(DataError, match="largest total_revenue_usd_m_current") as info:
        validate.units(top.with_columns(thousandfold.otherwise(
            pl.col("total_revenue_usd_m_current"))), sipri_top100.UNITS, TABLE, key=["sheet"],
            by="year", where="tests")
    assert info.value.row == "sheet=2011"


@pytest.mark.parametrize(("table", "ranges"), [
    ("cow_nmc6", context.NMC_UNITS),
    ("sipri_top100_totals", dict.fromkeys(["arms_revenue_usd_bn_current",
                                           "arms_revenue_usd_bn_const2023"],
                                          sipri_top100.TOTALS_UNITS)),
])
def test_a_context_or_totals_table_in_other_units_is_refused(processed, table, ranges):
    df = pl.read_parquet(processed / f"{table}.parquet")
    validate.units(df, ranges, TABLE, key=["year"], where="tests")
    for column in ranges:
        with pytest.raises(DataError, match=f"largest {column}"):
            validate.units(df.with_columns(pl.col(column) / 1000), ranges, TABLE, key=["year"],
                           where="tests")


def test_one_name_per_code_in_the_context_tables(processed):
    gmsd = pl.read_parquet(processed / "owid_gmsd.parquet")
    renamed = pl.when(pl.col("year") == 1990).then(pl.lit("Frankreich")).otherwise("entity")
    with pytest.raises(DataError, match="one_code_per_entity"):
        validate.validated(gmsd.with_columns(pl.when(pl.col("entity") == "France")
                                             .then(renamed).otherwise("entity").alias("entity")),
                           context.GmsdSchema, TABLE)


def test_the_fig2_order_counts_its_rows(processed):
    nir = pl.read_parquet(processed / "usgs_net_import_reliance.parquet")
    with pytest.raises(DataError, match="order_counts_the_rows"):
        validate.validated(nir.with_columns(pl.col("fig2_order") * 1000),
                           usgs.NetImportRelianceSchema, TABLE)


def test_a_csv_cut_off_has_fewer_rows_or_a_broken_line(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('name,n\nA,1\nB,2\n"C,3')
    with pytest.raises(DataError, match="cannot parse the CSV file") as info:
        csvfile.read(path, ["name", "n"], where="tests", rows=3)
    assert info.value.row == 4
    path.write_text("name,n\nA,1\nB,2\n")
    with pytest.raises(DataError, match="expected 3 data rows .* found 2") as info:
        csvfile.read(path, ["name", "n"], where="tests", rows=3)


def test_an_empty_cell_in_a_row_with_data_is_refused_unless_the_layout_allows_it():
    lay = workbook.Layout(name="t", fix="f", where="tests", header=1, years=(2022, 2023),
                          labels={"name": 1}, missing=frozenset({"..."}))
    rows = [("Country", 2022, 2023), ("Albania", 1.0, None), ("Belgium", "...", 2.0),
            ("Europe", None, None)]
    sheet = workbook.Sheet(TABLE, "T", rows)
    with pytest.raises(DataError, match="the cell for Albania 2023 is empty") as info:
        workbook.read(sheet, lay)
    assert (info.value.column, info.value.row) == ("T!C", 2)
    allowed = workbook.read(sheet, workbook.Layout(**{**lay.__dict__,
                                                      "blank_rows": {"Albania": "why"}}))
    assert allowed.filter(pl.col("value").is_not_null())["value"].to_list() == [1.0, 2.0]


def test_a_truncated_workbook_is_a_data_error(raw_dir, tmp_path):
    cut = tmp_path / "book.xlsx"
    cut.write_bytes((raw_dir / "240617-def-exp-2024-TABLES-en.xlsx").read_bytes()[:50_000])
    with pytest.raises(DataError, match="cannot be read as an Excel workbook") as info:
        workbook.open_workbook(cut, None)
    assert "make data" in info.value.fix


def _milex_sheets(milex: pl.DataFrame) -> dict[str, str]:
    return {"share_gdp_pct": "Share of GDP", "milex_usd_m_current": "Current US$",
            "milex_usd_m_const2024": "Constant (2024) US$"}


def test_the_published_top100_totals_are_the_sums_of_the_companies(processed, tmp_path):
    """Run by the data build on the written tables: a changed company row stops it."""
    from dibtrends import build

    names = [sipri_top100.TOTALS_SOURCE_ID, sipri_top100.TOTALS_EDITION]
    build.cross_checks(processed, names)
    top = pl.read_parquet(processed / f"{names[1]}.parquet")
    shutil.copy(processed / f"{names[0]}.parquet", tmp_path)
    top.with_columns(pl.when((pl.col("year") == 2010) & (pl.col("rank") == 1))
                     .then(pl.col("arms_revenue_usd_m_current") + 100)
                     .otherwise(pl.col("arms_revenue_usd_m_current"))).write_parquet(
        tmp_path / f"{names[1]}.parquet")
    with pytest.raises(DataError, match="the total for 2010 is .* adds up to") as info:
        build.cross_checks(tmp_path, names)
    assert info.value.row == 2010 and "Total-arms-sales" in info.value.file


def test_the_loaders_ally_list_comes_from_the_validated_membership_table(tmp_path, monkeypatch):
    """A malformed accession date stops the workbook loaders with the table's own DataError,
    not a Polars traceback when a loader is imported or asks who is an Ally."""
    from dibtrends.load import curated

    good = curated.MEMBERSHIP_FILE.read_text()
    broken = tmp_path / "nato_membership.csv"
    broken.write_text(good.replace("CAN,Canada,1949-08-24", "CAN,Canada,1949-13-45"))
    monkeypatch.setattr(curated, "MEMBERSHIP_FILE", broken)
    curated.accession_years.cache_clear()
    try:
        with pytest.raises(DataError, match="accession_date") as caught:
            curated.accession_years()
        assert str(broken) in str(caught.value) and "Fix:" in str(caught.value)
    finally:
        monkeypatch.undo()
        curated.accession_years.cache_clear()
    assert curated.accession_years()["CAN"] == 1949 and len(curated.accession_years()) == 32
