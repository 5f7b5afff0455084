"""The SIPRI Top 100 loaders read the real workbooks (both editions), and fail loudly on a
changed layout."""

from __future__ import annotations

import shutil

import openpyxl
import polars as pl
import pytest

from dibtrends import sources
from dibtrends.errors import DataError
from dibtrends.load import sipri_top100
from dibtrends.sources import get as get_source


DEC2024, DEC2025 = "sipri_top100_2023", "sipri_top100_2024"


@pytest.fixture(scope="module")
def top100(raw_dir):
    """The December 2024 edition (2002-2023)."""
    return sipri_top100.load_top100(raw_dir / get_source(DEC2024).filename, source_id=DEC2024)


@pytest.fixture(scope="module")
def top100_2025(raw_dir):
    """The December 2025 edition (2002-2024)."""
    return sipri_top100.load_top100(raw_dir / get_source(DEC2025).filename, source_id=DEC2025)


@pytest.fixture(scope="module")
def totals(raw_dir):
    return sipri_top100.load_totals(raw_dir / get_source("sipri_top100_totals").filename)


def test_every_year_2002_to_2023_ranks_exactly_100_companies(top100):
    counts = top100.group_by("year").agg(pl.len().alias("n"), pl.col("rank").n_unique().alias("u"))
    assert sorted(counts["year"].to_list()) == list(range(2002, 2024))
    assert counts["n"].to_list() == [100] * 22
    assert counts["u"].to_list() == [100] * 22


def test_ranks_follow_arms_revenue(top100):
    """SIPRI ranks by arms revenue: a better rank never has less revenue (ties allowed)."""
    bad = (top100.sort("year", "rank")
           .with_columns(pl.col("arms_revenue_usd_m_current").shift(1).over("year").alias("above"))
           .filter(pl.col("above") < pl.col("arms_revenue_usd_m_current")))
    assert bad.height == 0, bad.select("year", "rank", "company")


def test_published_2023_figures(top100):
    """Spot values as printed in the 2023 sheet (SIPRI Top 100, December 2024 release)."""
    lm = top100.filter((pl.col("year") == 2023) & (pl.col("rank") == 1)).row(0, named=True)
    assert lm["company"] == "Lockheed Martin Corp."
    assert lm["arms_revenue_usd_m_current"] == 60810
    assert lm["total_revenue_usd_m_current"] == 67570
    assert lm["arms_share_of_revenue_pct"] == pytest.approx(90.0, abs=0.05)  # fraction -> percent
    assert lm["arms_revenue_usd_m_constant"] == 60810  # base year: constant = current
    assert lm["constant_prices_year"] == 2023
    assert lm["arms_revenue_prev_usd_m_constant"] == 61820  # 2022 at 2023 prices
    airbus = top100.filter((pl.col("year") == 2023) & (pl.col("company") == "Airbus")).row(
        0, named=True)
    assert airbus["rank"] == 12 and airbus["rank_prev"] == 14
    assert airbus["trans_european"] and airbus["hq_iso3"] is None
    assert airbus["country_published"] == "Trans-European"
    assert airbus["sipri_notes"] == "i"


def test_2002_layout_without_previous_year_columns(top100):
    y2002 = top100.filter(pl.col("year") == 2002)
    assert y2002["rank_prev"].null_count() == 100
    assert y2002["arms_revenue_prev_usd_m_current"].null_count() == 100
    boeing = y2002.filter(pl.col("rank") == 1).row(0, named=True)
    assert (boeing["company"], boeing["arms_revenue_usd_m_current"],
            boeing["arms_revenue_usd_m_constant"], boeing["total_revenue_usd_m_current"]) == (
        "Boeing", 23560, 39900, 54069)


def test_markers_become_nulls_and_merged_marker_is_a_note(top100):
    aecc = top100.filter((pl.col("year") == 2023) & (pl.col("company") == "AECC")).row(
        0, named=True)
    assert aecc["total_revenue_usd_m_current"] is None  # '. .' in the workbook
    merged = top100.filter(pl.col("sipri_notes") == "MERGED!").sort("company")
    assert merged.select("year", "company").rows() == [(2019, "CSIC"), (2019, "CSSC")]
    assert not top100["company"].str.contains("MERGED").any()


def test_chinese_companies_only_from_2015(top100):
    china = top100.filter(pl.col("hq_iso3") == "CHN")
    assert china["year"].min() == 2015


def test_countries_resolve_and_trans_european_flag(top100):
    assert top100.filter(~pl.col("trans_european"))["hq_iso3"].null_count() == 0
    assert set(top100.filter(pl.col("trans_european"))["company"].unique()) >= {
        "Airbus", "MBDA", "KNDS", "EADS"}


def test_sum_of_top100_equals_published_total(top100, totals):
    """SIPRI's published totals are the sum of the listed companies' arms revenue.

    Tolerance: 0.005 bn. The totals are printed to US$0.01 bn and every company value is rounded
    to US$10 m, so the sums of the file's own values must match to the cent of a billion. For
    2022 the publisher's note says the total covers the companies in the 2023 list, so it is
    compared with the 2023 sheet's 2022 column (the parsed ``company_set_year``).
    """
    for row in totals.iter_rows(named=True):
        year, set_year = row["year"], row["company_set_year"]
        listed = top100.filter(pl.col("year") == set_year)
        column = ("arms_revenue_usd_m_current" if set_year == year
                  else "arms_revenue_prev_usd_m_current")
        total_bn = listed[column].sum() / 1000
        assert total_bn == pytest.approx(row["arms_revenue_usd_bn_current"], abs=0.005), year
    assert totals.filter(pl.col("year") == 2022)["company_set_year"].item() == 2023
    assert totals.filter(pl.col("year") == 2023)["arms_revenue_usd_bn_current"].item() == 631.9
    assert totals.filter(pl.col("year") == 2002)["arms_revenue_usd_bn_current"].item() == 201.06


def test_constant_price_sums_match_within_rounding(top100, totals):
    """Constant (2023) US$: SIPRI sums unrounded values, the file prints each rounded to US$10 m,
    so 100 roundings of at most US$5 m bound the gap at US$0.5 bn."""
    for row in totals.filter(pl.col("company_set_year") == pl.col("year")).iter_rows(named=True):
        listed = top100.filter(pl.col("year") == row["year"])
        assert listed["arms_revenue_usd_m_constant"].null_count() == 0, row["year"]
        total_bn = listed["arms_revenue_usd_m_constant"].sum() / 1000
        assert total_bn == pytest.approx(row["arms_revenue_usd_bn_const2023"], abs=0.5), row["year"]


def test_known_share_outlier_is_whitelisted_not_hidden(top100):
    row = top100.filter((pl.col("year") == 2013) & (pl.col("company") == "Sierra Nevada Corp."))
    assert row["arms_share_of_revenue_pct"].item() > 300
    outlier = (pl.col("year") == 2013) & (pl.col("company") == "Sierra Nevada Corp.")
    others = top100.filter(~outlier)
    assert others["arms_share_of_revenue_pct"].max() <= sipri_top100.SHARE_MAX_PCT


# --- bad input: a modified copy in tmp_path -------------------------------------------------

def _modified_copy(raw_dir, tmp_path, edit, source_id=DEC2024):
    src = raw_dir / get_source(source_id).filename
    dst = tmp_path / src.name
    shutil.copy(src, dst)
    wb = openpyxl.load_workbook(dst, data_only=True)  # the published values, not formulas
    edit(wb)
    wb.save(dst)
    return dst


def test_renamed_header_names_file_sheet_column_and_fix(raw_dir, tmp_path):
    def rename(wb):
        ws = wb["2016"]
        for cell in ws[4]:
            if cell.value and str(cell.value).startswith("Arms revenues (2016)"):
                cell.value = "Arms sales (2016)"
    path = _modified_copy(raw_dir, tmp_path, rename)
    with pytest.raises(DataError) as err:
        sipri_top100.load_top100(path, source_id=DEC2024)
    msg = str(err.value)
    assert str(path) in msg
    assert "sheet '2016'" in msg
    assert "'arms revenues (2016)'" in msg
    assert "Fix:" in msg and "_expected_headers" in msg


def test_unknown_country_names_file_column_and_fix(raw_dir, tmp_path):
    def misspell(wb):
        wb["2005 "]["D5"].value = "Untied States"  # Boeing's country cell, 2005 layout
    path = _modified_copy(raw_dir, tmp_path, misspell)
    with pytest.raises(DataError) as err:
        sipri_top100.load_top100(path, source_id=DEC2024)
    msg = str(err.value)
    assert str(path) in msg and "sheet '2005 '" in msg and "row 5" in msg
    assert "'Untied States'" in msg and "column 'Country'" in msg
    assert "country_names.csv" in msg


def test_text_in_a_value_cell_is_an_error(raw_dir, tmp_path):
    def broken(wb):
        ws = wb["2023"]
        ws["F7"].value = "#REF!"  # Northrop Grumman's 2023 arms revenue
    path = _modified_copy(raw_dir, tmp_path, broken)
    with pytest.raises(DataError) as err:
        sipri_top100.load_top100(path, source_id=DEC2024)
    msg = str(err.value)
    assert "sheet '2023'" in msg and "row 7" in msg and "'#REF!'" in msg and "Fix:" in msg


def test_debris_rows_of_ref_errors_are_skipped(raw_dir, tmp_path):
    def debris(wb):
        ws = wb["2023"]
        ws.insert_rows(50)
        for col in "ABCDEFGHIJ":
            ws[f"{col}50"].value = "#REF!"
    path = _modified_copy(raw_dir, tmp_path, debris)
    df = sipri_top100.load_top100(path, source_id=DEC2024)
    assert df.filter(pl.col("year") == 2023).height == 100


# --- the December 2025 edition -----------------------------------------------------------------

def test_dec2025_every_year_2002_to_2024_ranks_exactly_100_companies(top100_2025):
    counts = top100_2025.group_by("year").agg(pl.len().alias("n"),
                                              pl.col("rank").n_unique().alias("u"))
    assert sorted(counts["year"].to_list()) == list(range(2002, 2025))
    assert counts["n"].to_list() == [100] * 23 and counts["u"].to_list() == [100] * 23
    assert top100_2025["source_id"].unique().to_list() == [DEC2025]
    assert top100_2025["edition"].unique().to_list() == [get_source(DEC2025).edition]
    assert top100_2025["constant_prices_year"].unique().to_list() == [2024]


def test_dec2025_2024_sheet_as_printed(top100_2025):
    """The 2024 sheet (header 'Rank (2024) *Note (b)', 'Company (c) ', 'Notes (2024)', 'Country
    (d)', ..., a fraction for the arms share, 2023 at constant 2024 prices)."""
    lm = top100_2025.filter(year=2024, rank=1).row(0, named=True)
    assert lm["company"] == "Lockheed Martin Corp." and lm["country_published"] == "United States"
    assert lm["arms_revenue_usd_m_current"] == 64650  # US$ 64.65 bn
    assert lm["arms_revenue_prev_usd_m_current"] == 60810
    assert lm["total_revenue_usd_m_current"] == 71040
    assert lm["arms_share_of_revenue_pct"] == pytest.approx(91.0, abs=0.05)
    assert lm["arms_revenue_usd_m_constant"] == 64650  # 2024 is the price base
    assert lm["arms_revenue_prev_usd_m_constant"] == 62630  # 2023 at 2024 prices
    bae = top100_2025.filter(year=2024, company="BAE Systems").row(0, named=True)
    assert (bae["rank"], bae["sipri_notes"]) == (4, "f")  # f: 2023 pro forma (Ball Aerospace)
    ultra = top100_2025.filter(year=2024, rank=100).row(0, named=True)
    assert ultra["company"] == "Ultra Electronics Group" and ultra["rank_prev"] == 101
    mitre = top100_2025.filter(year=2024, company="Mitre Corp.").row(0, named=True)
    assert mitre["total_revenue_usd_m_current"] is None and mitre["sipri_notes"] == "h"


def test_dec2025_2024_total_is_the_sum_of_the_sheet(top100_2025):
    """No totals file for this edition: the 2024 total is the sum of its 100 rows, each rounded
    by SIPRI to US$10 m, so the sum is exact to US$10 m (US$ 679.20 bn)."""
    listed = top100_2025.filter(year=2024)
    assert listed.height == 100
    assert listed["arms_revenue_usd_m_current"].sum() == 679_200
    assert (listed["arms_revenue_usd_m_current"] % 10 == 0).all()


def test_dec2025_2023_sheet_header_fix_matches_the_2022_sheet(top100_2025):
    """The 2023 sheet heads both constant-price columns '... 2023 (constant 2024 prices)'; the
    loader reads the second as 2022. Every company listed in both years has the same 2022 value
    in the 2023 sheet's second column as in the 2022 sheet's own column."""
    prev = top100_2025.filter(year=2023).select(
        "company", pl.col("arms_revenue_prev_usd_m_constant").alias("in_2023_sheet"))
    own = top100_2025.filter(year=2022).select(
        "company", pl.col("arms_revenue_usd_m_constant").alias("in_2022_sheet"))
    both = prev.join(own, on="company")
    assert both.height == 90
    assert (both["in_2023_sheet"] == both["in_2022_sheet"]).all()
    lm = top100_2025.filter(year=2023, rank=1).row(0, named=True)
    assert (lm["arms_revenue_usd_m_constant"], lm["arms_revenue_prev_usd_m_constant"]) == (
        62630, 63680)


def test_dec2025_chinese_companies_only_from_2015(top100_2025):
    assert top100_2025.filter(pl.col("hq_iso3") == "CHN")["year"].min() == 2015


def test_dec2025_has_no_share_above_100_pct(top100_2025):
    """SIPRI corrected the 2013 Sierra Nevada row (364 % in the December 2024 edition): this
    edition has no arms share above the rounding bound."""
    assert top100_2025["arms_share_of_revenue_pct"].max() <= sipri_top100.SHARE_MAX_PCT


def test_dec2025_ranks_follow_arms_revenue(top100_2025):
    bad = (top100_2025.sort("year", "rank")
           .with_columns(pl.col("arms_revenue_usd_m_current").shift(1).over("year").alias("above"))
           .filter(pl.col("above") < pl.col("arms_revenue_usd_m_current")))
    assert bad.height == 0, bad.select("year", "rank", "company")


def test_header_fix_stops_when_the_publisher_corrects_the_header(raw_dir, tmp_path):
    def corrected(wb):
        wb["2023"]["J4"].value = "Arms revenues 2022 (constant 2024 prices) note (d)"
    path = _modified_copy(raw_dir, tmp_path, corrected, source_id=DEC2025)
    with pytest.raises(DataError) as err:
        sipri_top100.load_top100(path, source_id=DEC2025)
    msg = str(err.value)
    assert "sheet '2023'" in msg and "header fix for column 10" in msg
    assert "header_fixes" in msg and "Fix:" in msg


def test_a_duplicated_header_without_a_fix_names_both_columns(raw_dir, tmp_path):
    def duplicate(wb):
        ws = wb["2022"]
        ws["J4"].value = ws["I4"].value
    path = _modified_copy(raw_dir, tmp_path, duplicate, source_id=DEC2025)
    with pytest.raises(DataError) as err:
        sipri_top100.load_top100(path, source_id=DEC2025)
    msg = str(err.value)
    assert "sheet '2022'" in msg and "appears twice (columns 9 and 10)" in msg
    assert "header_fixes" in msg


def test_the_wrong_edition_for_a_file_is_refused(raw_dir):
    with pytest.raises(DataError) as err:
        sipri_top100.load_top100(raw_dir / get_source(DEC2024).filename, source_id=DEC2025)
    assert "expected a sheet for each year 2002 to 2024" in str(err.value)


def test_unknown_edition_names_the_known_ones():
    with pytest.raises(KeyError, match="sipri_top100_2023, sipri_top100_2024"):
        sipri_top100.load_top100(source_id="sipri_top100")


def test_each_edition_is_its_own_processed_table():
    from dibtrends import build

    loaders = build.table_loaders()
    assert {DEC2024, DEC2025, "sipri_top100_totals"} <= set(loaders)
    assert "sipri_top100" not in loaders
    assert sipri_top100.NEWEST == DEC2025
    assert set(sipri_top100.EDITIONS) == {s.id for s in sources.SOURCES
                                          if s.id.startswith("sipri_top100_20")}
