"""The NATO tables loader: shape, units, cross-checks, editions, and what bad input does.

Bad-input tests edit a copy of the real workbook in ``tmp_path`` with openpyxl (loaded with
``data_only=True`` so the copy holds the published values, not formulas) and assert that the
DataError names the file, the sheet and column, and a fix. Edition tests pair the real 2024
workbook with fictitious edition specs, or register a fictitious edition with monkeypatch (never
in the registry itself), to show that the years the loader checks come from the spec.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dibtrends import sources
from dibtrends.errors import DataError
from dibtrends.load import nato
from dibtrends.load.nato import NatoEdition, load_nato_defexp
from dibtrends.load.curated import load_nato_membership
from dibtrends.sources import get

SOURCE_ID = "nato_defexp_2024"
FILENAME = get(SOURCE_ID).filename


@pytest.fixture(scope="module")
def workbook(raw_dir) -> Path:
    return raw_dir / FILENAME


@pytest.fixture(scope="module")
def defexp(workbook) -> pl.DataFrame:
    return load_nato_defexp(workbook)


def edited_copy(workbook: Path, tmp_path: Path, edit) -> Path:
    """A copy of the workbook with ``edit(wb)`` applied: the only way test input is faked."""
    wb = openpyxl.load_workbook(workbook, data_only=True)
    edit(wb)
    out = tmp_path / FILENAME
    wb.save(out)
    return out


def value(df: pl.DataFrame, entity: str, year: int, column: str) -> float:
    return df.filter(pl.col("entity") == entity, pl.col("year") == year)[column].item()


# ----------------------------------------------------------------------------- shape and units
def test_one_row_per_entity_and_year(defexp):
    # 32 Allies (Iceland only with GDP) + 2 aggregates, 2014-2024
    assert defexp.height == 34 * 11
    assert defexp.select(pl.struct("entity", "year").is_unique().all()).item()
    assert sorted(defexp["year"].unique().to_list()) == list(range(2014, 2025))
    assert set(defexp.filter(pl.col("is_aggregate"))["entity"]) == {"NATO_TOTAL",
                                                                    "NATO_EUROPE_CANADA"}


def test_allies_match_membership_table(defexp):
    allies = set(defexp.filter(~pl.col("is_aggregate"))["entity"])
    assert allies == set(load_nato_membership()["iso3"])


def test_estimates_are_2023_and_2024(defexp):
    assert sorted(defexp.filter(pl.col("estimate"))["year"].unique().to_list()) == [2023, 2024]
    assert nato.EDITIONS[SOURCE_ID].estimate_years == (2023, 2024)


def test_source_id_names_the_edition(defexp):
    assert defexp["source_id"].unique().to_list() == [SOURCE_ID]
    assert list(nato.TABLES) == ["nato_defexp"]


def test_units_carried_in_column_names(defexp):
    for column in ("milex_ncu_m_current", "milex_usd_m_const2015", "share_gdp_pct",
                   "gdp_usd_m_const2015", "military_personnel_thousands", "equipment_share_pct"):
        assert column in defexp.columns
    # every measure of the layout is a column, from one block of one sheet
    assert set(nato.MEASURES) <= set(defexp.columns) and len(set(nato.MEASURES)) == len(
        nato.MEASURES)


def test_published_cells_read_exactly(defexp):
    """Spot values copied from the workbook (cells named): the loader moves nothing."""
    assert value(defexp, "USA", 2014, "milex_usd_m_current") == 653942           # TABLE2!D41
    assert value(defexp, "ALB", 2014, "milex_ncu_m_current") == pytest.approx(
        18788.017032)                                                            # TABLE1!D11
    assert value(defexp, "NATO_TOTAL", 2024, "milex_usd_m_current") == pytest.approx(
        1474399.4765734388)                                                      # TABLE2!N43
    assert value(defexp, "GRC", 2014, "share_gdp_pct") == pytest.approx(
        2.22225, abs=1e-5)                                                       # TABLE3!D22
    assert value(defexp, "CAN", 2024, "military_personnel_thousands") == pytest.approx(
        77.056)                                                                  # TABLE7!O26
    assert value(defexp, "ALB", 2014, "equipment_share_pct") == pytest.approx(16.649791, abs=1e-6)
    assert value(defexp, "CZE", 2014, "national_currency") == "Koruny"


def test_iceland_has_gdp_but_no_defence_figures(defexp):
    isl = defexp.filter(pl.col("entity") == "ISL")
    assert isl["gdp_usd_m_const2015"].null_count() == 0
    assert isl["milex_usd_m_current"].null_count() == 11
    assert isl["share_gdp_pct"].null_count() == 11


def test_finland_and_sweden_rows_kept_before_accession(defexp):
    for code in ("FIN", "SWE"):
        assert value(defexp, code, 2014, "milex_usd_m_current") > 0


def test_category_shares_sum_to_100(defexp):
    """Tables 8a + 8b partition expenditure; the workbook's unrounded values agree to 0.004 pp."""
    sums = defexp.filter(pl.col("equipment_share_pct").is_not_null()).select(
        pl.sum_horizontal(nato.CATEGORY_SHARES).alias("total"))["total"]
    assert (sums - 100).abs().max() < 0.01


def test_share_of_gdp_is_expenditure_over_gdp_at_2015_prices(defexp):
    """Table 3 = Table 2 (2015 prices) / Table 5 (2015 prices); the difference is NATO's
    rounding of inputs (largest 0.014 pp, Luxembourg), far below any guideline margin."""
    d = defexp.filter(pl.col("share_gdp_pct").is_not_null()).select(
        (pl.col("milex_usd_m_const2015") / pl.col("gdp_usd_m_const2015") * 100
         - pl.col("share_gdp_pct")).abs().max()).item()
    assert d < 0.02


def test_luxembourg_gdp_series_break_2023(defexp):
    """Recorded in pledge.GDP_SERIES_BREAKS: if a new edition removes it, revisit that list."""
    g22 = value(defexp, "LUX", 2022, "gdp_usd_m_const2015")
    g23 = value(defexp, "LUX", 2023, "gdp_usd_m_const2015")
    assert g23 / g22 - 1 == pytest.approx(-0.3387, abs=1e-3)


# ----------------------------------------------------------------------------- bad input
def assert_actionable(exc: DataError, path: Path, column_part: str):
    msg = str(exc)
    assert str(path) in msg
    assert exc.column is not None and column_part in exc.column
    assert exc.fix and "Fix:" in msg
    return msg


def test_changed_unit_in_title_is_refused(workbook, tmp_path):
    def edit(wb):
        wb["TABLE2"]["B6"] = "Billion US dollars"
    path = edited_copy(workbook, tmp_path, edit)
    with pytest.raises(DataError) as info:
        load_nato_defexp(path)
    msg = assert_actionable(info.value, path, "TABLE2!B")
    assert "Billion US dollars" in msg and info.value.row == 6
    assert "TABLE_SPECS" in info.value.fix


def test_changed_price_base_in_block_heading_is_refused(workbook, tmp_path):
    def edit(wb):
        wb["TABLE2"]["B44"] = "Constant 2021 prices and exchange rates"
    path = edited_copy(workbook, tmp_path, edit)
    with pytest.raises(DataError) as info:
        load_nato_defexp(path)
    msg = assert_actionable(info.value, path, "TABLE2!B")
    assert "Constant 2021" in msg and info.value.row == 44


def test_changed_table_title_is_refused(workbook, tmp_path):
    def edit(wb):
        wb["TABLE7"]["C16"] = "Table 7 : Military and civilian personnel"
    path = edited_copy(workbook, tmp_path, edit)
    with pytest.raises(DataError) as info:
        load_nato_defexp(path)
    assert_actionable(info.value, path, "TABLE7!C")


def test_missing_year_column_is_refused(workbook, tmp_path):
    def edit(wb):
        wb["TABLE3"].delete_cols(7)  # column G: 2017
    path = edited_copy(workbook, tmp_path, edit)
    with pytest.raises(DataError) as info:
        load_nato_defexp(path)
    msg = assert_actionable(info.value, path, "TABLE3!G")
    assert "missing [2017]" in msg and info.value.row == 8


def test_unknown_country_label_is_refused(workbook, tmp_path):
    def edit(wb):
        wb["TABLE5"]["C12"] = "Atlantis"
    path = edited_copy(workbook, tmp_path, edit)
    with pytest.raises(DataError) as info:
        load_nato_defexp(path)
    msg = assert_actionable(info.value, path, "TABLE5!C")
    assert "Atlantis" in msg and info.value.row == 12
    assert "country_names.csv" in info.value.fix


def test_stray_ref_rows_are_skipped(workbook, tmp_path, defexp):
    """The published file already has #REF! rows (TABLE1!42, TABLE8a!42 ...); one more, inserted
    between two countries, changes nothing."""
    def edit(wb):
        ws = wb["TABLE8a"]
        ws.insert_rows(20)
        for col in "DEFGHI":
            ws[f"{col}20"] = "#REF!"
    path = edited_copy(workbook, tmp_path, edit)
    # openpyxl re-writes floats to ~15 significant digits, hence rtol 1e-12, not equality
    assert_frame_equal(load_nato_defexp(path), defexp, rel_tol=1e-12, abs_tol=0)


def test_ref_inside_a_country_row_is_refused(workbook, tmp_path):
    def edit(wb):
        wb["TABLE2"]["E12"] = "#REF!"  # Belgium 2015
    path = edited_copy(workbook, tmp_path, edit)
    with pytest.raises(DataError) as info:
        load_nato_defexp(path)
    msg = assert_actionable(info.value, path, "TABLE2!E")
    assert "BEL 2015" in msg and info.value.row == 12


def test_unlabelled_row_with_numbers_is_refused(workbook, tmp_path):
    def edit(wb):
        wb["TABLE1"]["D42"] = 123.4  # the stray #REF! row now carries a number
    path = edited_copy(workbook, tmp_path, edit)
    with pytest.raises(DataError) as info:
        load_nato_defexp(path)
    assert_actionable(info.value, path, "TABLE1!C")
    assert info.value.row == 42


def test_share_out_of_range_fails_schema(workbook, tmp_path):
    def edit(wb):
        wb["TABLE8a"]["D11"] = 150.0  # Albania 2014 equipment share
    path = edited_copy(workbook, tmp_path, edit)
    with pytest.raises(DataError) as info:
        load_nato_defexp(path)
    msg = str(info.value)
    assert str(path) in msg and "equipment_share_pct" in msg and "ALB" in msg
    assert info.value.fix


def test_table4_must_agree_with_table2(workbook, tmp_path):
    def edit(wb):
        wb["TABLE4"]["D23"] = 999.0  # Albania 2014, constant 2015 US$ m
    path = edited_copy(workbook, tmp_path, edit)
    with pytest.raises(DataError) as info:
        load_nato_defexp(path)
    assert_actionable(info.value, path, "TABLE4!D")


def test_missing_workbook_names_the_fix(tmp_path):
    with pytest.raises(DataError) as info:
        load_nato_defexp(tmp_path / FILENAME)
    assert "make data" in info.value.fix


# ----------------------------------------------------------------------------- editions
def test_default_edition_is_the_newest_registered():
    assert nato.edition_for().source_id == sources.newest("nato_defexp").id


def test_edition_found_from_the_file_name(tmp_path):
    assert nato.edition_for(path=tmp_path / FILENAME).source_id == SOURCE_ID
    assert nato.edition_for(SOURCE_ID, tmp_path / "renamed.xlsx").source_id == SOURCE_ID


def test_spec_with_other_years_is_honoured_by_header_check(workbook):
    """A 2014-2023 spec run on the 2024 file: the header check names 2023 and the extra 2024."""
    spec = NatoEdition("nato_defexp_2023", first_year=2014, last_year=2023,
                       estimate_years=(2022, 2023))
    with pytest.raises(DataError) as info:
        nato.read_workbook(workbook, spec)
    msg = assert_actionable(info.value, workbook, "TABLE1!")
    assert "should hold 2014 to 2023 (nato_defexp_2023)" in msg
    assert "unexpected [2024]" in msg and info.value.row == 8
    assert "NatoEdition" in info.value.fix


def test_spec_with_a_later_year_misses_it(workbook):
    """A spec shaped like a 2014-2025 edition (2024 and 2025 estimates) on the 2024 file."""
    spec = NatoEdition("nato_defexp_2025", first_year=2014, last_year=2025,
                       estimate_years=(2024, 2025))
    with pytest.raises(DataError) as info:
        nato.read_workbook(workbook, spec)
    msg = assert_actionable(info.value, workbook, "TABLE1!O")  # the column after 2024e (N)
    assert "should hold 2014 to 2025" in msg and "missing [2025]" in msg


def test_estimate_years_come_from_the_spec(workbook, monkeypatch):
    """The registered edition with one estimate year fewer: the 'e' of 2023 is refused."""
    monkeypatch.setitem(nato.EDITIONS, SOURCE_ID, NatoEdition(
        SOURCE_ID, first_year=2014, last_year=2024, estimate_years=(2024,)))
    with pytest.raises(DataError) as info:
        load_nato_defexp(workbook)
    msg = assert_actionable(info.value, workbook, "TABLE1!M")  # 2023e
    assert "'2023e'" in msg and "marks 2024 as estimate (suffix 'e') and no other" in msg
    assert "estimate_years" in info.value.fix


def test_missing_estimate_suffix_is_refused(workbook, tmp_path):
    def edit(wb):
        wb["TABLE3"]["N8"] = 2024  # was "2024e"
    path = edited_copy(workbook, tmp_path, edit)
    with pytest.raises(DataError) as info:
        load_nato_defexp(path)
    msg = assert_actionable(info.value, path, "TABLE3!N")
    assert "heading for 2024 reads '2024'" in msg and "2023 and 2024 as estimates" in msg


def test_schema_is_built_from_the_spec(defexp):
    """The 2024 data fail the schema of a 2014-2023 edition: its id, its years, its estimates."""
    spec = NatoEdition("nato_defexp_2023", first_year=2014, last_year=2023,
                       estimate_years=(2022, 2023))

    def failure(df: pl.DataFrame) -> str:
        with pytest.raises(DataError) as info:
            nato.validated(df, "spec-test.xlsx", spec)
        return str(info.value)

    assert "column 'source_id' fails isin(['nato_defexp_2023'])" in failure(defexp)
    relabelled = defexp.with_columns(source_id=pl.lit("nato_defexp_2023"))
    assert "column 'year' fails less_than_or_equal_to(2023)" in failure(relabelled)
    msg = failure(relabelled.filter(pl.col("year") <= 2023))
    assert "34 schema failure(s)" in msg  # the 34 rows of 2022, not flagged as estimates
    assert "fails estimate_flag_matches_edition (nato_defexp_2023 marks 2022 and 2023" in msg
    assert "'year': 2022" in msg
    nato.validated(relabelled.filter(pl.col("year") <= 2023).with_columns(
        estimate=pl.col("year") >= 2022), "spec-test.xlsx", spec)  # and with them, it passes


def test_table4_headings_follow_the_years():
    t4 = NatoEdition("nato_defexp_2025", first_year=2014, last_year=2025,
                     estimate_years=(2024, 2025)).table4()
    assert t4.title == "Table 4 : Defence expenditure real change 2014-2025e"
    assert t4.headers == ("2014", "2025e", "Real change 2014-2025e (%)",
                          "Share of real GDP 2014 (%)", "Share of real GDP 2025e (%)")
    assert nato.EDITIONS[SOURCE_ID].table4().title.endswith("2014-2024e")


def test_inconsistent_spec_is_refused():
    with pytest.raises(ValueError, match="id should be nato_defexp_2024"):
        NatoEdition("nato_defexp_2025", first_year=2014, last_year=2024, estimate_years=())
    with pytest.raises(ValueError, match=r"estimate years \[2026\] lie outside"):
        NatoEdition("nato_defexp_2025", first_year=2014, last_year=2025,
                    estimate_years=(2025, 2026))


@pytest.fixture
def unspecified_edition(monkeypatch):
    """A fictitious newer NATO edition in the registry (for this test only) without a spec."""
    fake = sources.Source(
        id="nato_defexp_2099", publisher="NATO (test only)", title="not a real edition",
        edition="test only", filename="test-only-nato-2099.xlsx", sha256="0" * 64,
        licence="test only", url=None, landing_url="https://example.invalid/")
    monkeypatch.setattr(sources, "SOURCES", (*sources.SOURCES, fake))
    monkeypatch.setitem(sources._BY_ID, fake.id, fake)
    return fake


def test_registered_edition_without_spec_names_the_fix(unspecified_edition):
    assert sources.newest("nato_defexp") == unspecified_edition
    for call in (lambda: load_nato_defexp(), lambda: load_nato_defexp(source_id="nato_defexp_2099"),
                 lambda: nato.TABLES["nato_defexp"]()):
        with pytest.raises(DataError) as info:
            call()
        assert "'nato_defexp_2099'" in str(info.value) and "no spec" in str(info.value)
        assert info.value.fix == ("add a NatoEdition for nato_defexp_2099 to EDITIONS in "
                                  "src/dibtrends/load/nato.py; if the layout is unchanged, its "
                                  "years and estimate years are all it needs.")


def test_newest_edition_with_a_spec_is_the_default(unspecified_edition, monkeypatch, workbook,
                                                   defexp):
    """Given its spec, the new edition is what the build loads (here: its file is absent), and
    the 2024 workbook still loads as the 2024 edition."""
    monkeypatch.setitem(nato.EDITIONS, "nato_defexp_2099", NatoEdition(
        "nato_defexp_2099", first_year=2014, last_year=2099, estimate_years=(2099,)))
    with pytest.raises(DataError) as info:
        load_nato_defexp()
    assert "test-only-nato-2099.xlsx" in str(info.value) and "(nato_defexp_2099)" in str(
        info.value)
    assert_frame_equal(load_nato_defexp(workbook), defexp)


def test_only_nato_ids_are_editions():
    with pytest.raises(KeyError, match="not a NATO defence-expenditure edition"):
        load_nato_defexp(source_id="sipri_milex_2025")
