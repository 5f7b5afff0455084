"""SIPRI Military Expenditure Database loader: real workbooks in, and bad workbooks stopped.

The bad-input tests copy the real v1.2 workbook into a temporary folder, change one thing with
openpyxl (a unit, a sheet, a header row, a country name, a marker) and check that the loader
stops with a DataError that names the file, the column and the fix.
"""

from __future__ import annotations

import shutil

import openpyxl
import polars as pl
import pytest

from dibtrends import countries
from dibtrends.errors import DataError
from dibtrends.load import sipri_milex
from dibtrends.sources import get as get_source

V12 = get_source("sipri_milex_2025").filename
V2024 = get_source("sipri_milex_2024").filename


@pytest.fixture(scope="module")
def milex_2025(raw_dir):
    return sipri_milex.load_sipri_milex("sipri_milex_2025", raw_dir / V12)


@pytest.fixture(scope="module")
def milex_2024(raw_dir):
    return sipri_milex.load_sipri_milex("sipri_milex_2024", raw_dir / V2024)


def value(df: pl.DataFrame, iso3: str, year: int, column: str):
    row = df.filter((pl.col("iso3") == iso3) & (pl.col("year") == year))
    assert row.height == 1, f"expected one row for {iso3} {year}"
    return row[column][0]


# ------------------------------------------------------------------------ shape and schema

def test_columns_carry_units_and_base_year(milex_2025, milex_2024):
    common = ["source_id", "iso3", "country", "year", "share_gdp_pct", "milex_usd_m_current"]
    flags = ["not_independent", "estimate", "uncertain"]
    assert milex_2025.columns == common + ["milex_usd_m_const2024"] + flags
    assert milex_2024.columns == common + ["milex_usd_m_const2023"] + flags
    assert milex_2025.schema["year"] == pl.Int64
    assert milex_2025["source_id"].unique().to_list() == ["sipri_milex_2025"]


def test_one_row_per_country_year_over_the_full_span(milex_2025, milex_2024):
    for df, last in ((milex_2025, 2025), (milex_2024, 2024)):
        assert df.select(pl.struct("iso3", "year").is_unique().all()).item()
        assert (df["year"].min(), df["year"].max()) == (1949, last)
        per_country = df.group_by("iso3").len()["len"].unique().to_list()
        assert per_country == [last - 1949 + 1]  # every country has every year (nulls allowed)


def test_every_code_is_known_and_no_region_row_survives(milex_2025):
    assert set(milex_2025["iso3"].unique()) <= set(countries.all_codes())
    names = set(milex_2025["country"].unique())
    assert not names & sipri_milex.REGION_LABELS
    assert "European Union" not in names
    # 173 SIPRI country rows in v1.2, historical states included.
    assert milex_2025["iso3"].n_unique() == 173


def test_share_is_percent_not_fraction(milex_2025):
    # The file stores 0.0343 for the US in 2024; the table must say 3.43.
    assert value(milex_2025, "USA", 2024, "share_gdp_pct") == pytest.approx(3.4299, abs=1e-3)
    plain = milex_2025.filter(pl.col("iso3") != "KWT")["share_gdp_pct"]
    assert 30 < plain.max() < 60  # Eritrea, Israel, Ukraine at war: tens of percent, not 0.3


def test_kuwait_1991_is_the_whitelisted_outlier_above_100_pct(milex_2025):
    above = milex_2025.filter(pl.col("share_gdp_pct") > 100)
    assert above.select("iso3", "year").rows() == [("KWT", 1991)]
    assert above["share_gdp_pct"][0] == pytest.approx(117.35, abs=0.01)


def test_markers_become_nulls_with_status(milex_2025):
    # '...' (no data): Libya 2024; 'xxx' (state did not exist): Russia 1991, GDR 1990.
    assert value(milex_2025, "LBY", 2024, "milex_usd_m_current") is None
    assert not value(milex_2025, "LBY", 2024, "not_independent")
    assert value(milex_2025, "RUS", 1991, "not_independent")
    assert value(milex_2025, "DDR", 1990, "not_independent")
    assert value(milex_2025, "DDR", 1990, "milex_usd_m_const2024") is None


def test_historical_states_keep_their_own_codes(milex_2025):
    # USSR: constant-dollar figures 1988-1990 only; GDR: 1960-1989 in constant US$.
    const = pl.col("milex_usd_m_const2024").is_not_null()
    ussr = milex_2025.filter((pl.col("iso3") == "SUN") & const)
    assert ussr["year"].to_list() == [1988, 1989, 1990]
    gdr = milex_2025.filter((pl.col("iso3") == "DDR") & const)
    assert (gdr["year"].min(), gdr["year"].max()) == (1960, 1989)
    for code in ("YUG", "CSK", "YAR"):
        assert milex_2025.filter(pl.col("iso3") == code).height == 77


def test_germany_row_is_west_germany_before_unification(milex_2025):
    deu = milex_2025.filter((pl.col("iso3") == "DEU") & pl.col("share_gdp_pct").is_not_null())
    assert deu["year"].min() == 1953
    # East German GDP enters the denominator in 1991: the share drops by half a point.
    assert value(milex_2025, "DEU", 1990, "share_gdp_pct") == pytest.approx(2.51, abs=0.01)
    assert value(milex_2025, "DEU", 1991, "share_gdp_pct") == pytest.approx(1.97, abs=0.01)


def test_countries_without_armed_forces_are_zero_not_missing(milex_2025):
    # SIPRI footnotes 37 and 86: Costa Rica and Iceland have no military expenditure.
    for code in ("CRI", "ISL"):
        assert value(milex_2025, code, 2024, "milex_usd_m_current") == 0


def test_sipri_colour_flags_are_read(milex_2025):
    # Blue = SIPRI estimate, red = highly uncertain (the workbook's own legend, row 3).
    assert milex_2025["estimate"].sum() > 1000
    assert milex_2025["uncertain"].sum() > 50
    assert value(milex_2025, "DDR", 1989, "estimate")


def test_vintages_differ_by_revision_and_base_year(milex_2025, milex_2024):
    # SIPRI revises whole series between releases: US 2024 share 3.42 % (April 2025) -> 3.43 %.
    assert value(milex_2024, "USA", 2024, "share_gdp_pct") == pytest.approx(3.4192, abs=1e-3)
    current = "milex_usd_m_current"
    assert value(milex_2025, "USA", 2024, current) == pytest.approx(1_004_901, rel=1e-5)
    assert value(milex_2024, "USA", 2024, current) == pytest.approx(997_309, rel=1e-5)


# ------------------------------------------------------------------------ bad input

@pytest.fixture
def workbook_copy(raw_dir, tmp_path):
    """A writable copy of the v1.2 workbook, and a function to apply one change and save."""
    target = tmp_path / V12
    shutil.copy(raw_dir / V12, target)

    def change(edit):
        wb = openpyxl.load_workbook(target)
        edit(wb)
        wb.save(target)
        return target

    return change


def _assert_actionable(exc: DataError, path, column: str) -> None:
    text = str(exc)
    assert str(path) in text
    assert f"column {column!r}" in text
    assert "Fix:" in text


def test_share_sheet_in_percent_is_a_unit_mismatch(workbook_copy):
    def to_percent(wb):
        for row in wb["Share of GDP"].iter_rows(min_row=8, min_col=3):
            for cell in row:
                if isinstance(cell.value, (int, float)):
                    cell.value = cell.value * 100

    path = workbook_copy(to_percent)
    with pytest.raises(DataError, match=r"expected between 10 and 60 \(percent of GDP, from "
                       "SIPRI's fractions") as info:
        sipri_milex.load_sipri_milex("sipri_milex_2025", path)
    _assert_actionable(info.value, path, "share_gdp_pct")


def test_current_dollars_relabelled_in_billions_is_a_unit_mismatch(workbook_copy):
    def to_billions(wb):
        ws = wb["Current US$"]
        ws["A2"] = "Figures are in US $b., in current prices, converted at the exchange rate."
        for row in ws.iter_rows(min_row=8, min_col=3):
            for cell in row:
                if isinstance(cell.value, (int, float)):
                    cell.value = cell.value / 1000

    path = workbook_copy(to_billions)
    with pytest.raises(DataError, match="Current US") as info:
        sipri_milex.load_sipri_milex("sipri_milex_2025", path)
    _assert_actionable(info.value, path, "milex_usd_m_current")


def test_constant_sheet_base_year_must_match_its_title(workbook_copy):
    def rename(wb):
        wb["Constant (2024) US$"].title = "Constant (2023) US$"

    path = workbook_copy(rename)
    with pytest.raises(DataError, match="2023") as info:
        sipri_milex.load_sipri_milex("sipri_milex_2025", path)
    _assert_actionable(info.value, path, "milex_usd_m_const2023")


def test_missing_sheet_is_named(workbook_copy):
    path = workbook_copy(lambda wb: wb.remove(wb["Current US$"]))
    with pytest.raises(DataError, match="'Current US\\$' not found") as info:
        sipri_milex.load_sipri_milex("sipri_milex_2025", path)
    _assert_actionable(info.value, path, "sheet")


def test_header_row_moved_is_named(workbook_copy):
    path = workbook_copy(lambda wb: wb["Share of GDP"].insert_rows(1))
    with pytest.raises(DataError, match="found on row 7") as info:
        sipri_milex.load_sipri_milex("sipri_milex_2025", path)
    _assert_actionable(info.value, path, "Country")
    assert "row 6" in str(info.value)


def test_unknown_country_with_data_stops_the_load(workbook_copy):
    def rename(wb):
        for ws in wb.worksheets:
            for row in ws.iter_rows(min_col=1, max_col=1):
                if row[0].value == "Germany":
                    row[0].value = "Germania"

    path = workbook_copy(rename)
    with pytest.raises(DataError, match="unknown country name 'Germania'") as info:
        sipri_milex.load_sipri_milex("sipri_milex_2025", path)
    _assert_actionable(info.value, path, "Country")
    assert "country_names.csv" in str(info.value)
    assert info.value.row is not None


def test_unexpected_text_in_a_year_cell_stops_the_load(workbook_copy):
    def put_text(wb):
        ws = wb["Current US$"]
        for row in ws.iter_rows(min_row=8):
            if row[0].value == "France":
                row[60].value = "n/a"

    path = workbook_copy(put_text)
    with pytest.raises(DataError, match="'n/a'") as info:
        sipri_milex.load_sipri_milex("sipri_milex_2025", path)
    assert "Fix:" in str(info.value)


def test_new_heading_without_data_is_skipped(workbook_copy):
    path = workbook_copy(lambda wb: [ws.cell(row=7, column=1, value="Polar regions")
                                     for ws in wb.worksheets[4:7]])
    df = sipri_milex.load_sipri_milex("sipri_milex_2025", path)
    assert "Polar regions" not in df["country"].to_list()
    assert df["iso3"].n_unique() == 173
