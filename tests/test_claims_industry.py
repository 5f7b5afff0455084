"""Claims about defence-industry consolidation, each checked against the data or the curated,
cited record. Tolerances are for floating-point arithmetic on the file's own values unless a test
says otherwise: the figures are computed exactly from SIPRI's published (rounded) numbers.

Two SIPRI Top 100 editions are pinned: the December 2024 release (``top100``, 2002-2023), whose
numbers the report used to quote, and the December 2025 release (``top100_2025``, 2002-2024),
which the report now uses. SIPRI revises earlier years between editions, so a year's figure can
differ between the two; the tests say which edition each number comes from."""

from __future__ import annotations

import shutil

import polars as pl
import pytest

from dibtrends import industry, revisions
from dibtrends.errors import DataError
from dibtrends.load import curated, sipri_top100
from dibtrends.load.curated import load_nato_membership
from dibtrends.sources import get as get_source

FLOAT = 0.005  # percent or points: float arithmetic only; the inputs are exact


DEC2024, DEC2025 = "sipri_top100_2023", "sipri_top100_2024"


@pytest.fixture(scope="module")
def top100(raw_dir):
    """December 2024 edition."""
    return sipri_top100.load_top100(raw_dir / get_source(DEC2024).filename, source_id=DEC2024)


@pytest.fixture(scope="module")
def top100_2025(raw_dir):
    """December 2025 edition."""
    return sipri_top100.load_top100(raw_dir / get_source(DEC2025).filename, source_id=DEC2025)


@pytest.fixture(scope="module")
def membership():
    return load_nato_membership()


def _nato_top10(top100: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    return industry.top10_nato_count(industry.top_k_by_region(top100, membership))


# --- DoD (2022): 51 prime contractors in the 1990s, 5 today ------------------------------------

def test_dod_51_aerospace_and_defense_primes_consolidated_to_5():
    dod = curated.load_dod_consolidation()
    primes = dod.filter(pl.col("fact_id") == "primes").row(0, named=True)
    assert (primes["count_before"], primes["count_after"]) == (51, 5)
    assert "51 to 5 aerospace and defense prime contractors" in primes["quote"]
    assert "February 2022" in primes["citation"] and "media.defense.gov" in primes["citation"]


def test_curated_tables_have_a_citation_on_every_row():
    for df in (curated.load_dod_consolidation(), curated.load_merger_timeline()):
        assert df["citation"].null_count() == 0
        assert df["citation"].str.contains("http").all()


def test_merger_timeline_holds_the_big_five_and_european_primes():
    m = curated.load_merger_timeline()
    after = set(m["company_after"])
    assert {"Lockheed Martin", "Northrop Grumman", "Boeing", "Raytheon Technologies",
            "General Dynamics"} <= after
    assert {"BAE Systems", "EADS", "MBDA", "Thales", "Leonardo", "KNDS", "Rheinmetall"} <= after
    lm = m.filter(pl.col("company_after") == "Lockheed Martin").sort("year").row(0, named=True)
    assert str(lm["date"]) == "1995-03-15"


def test_curated_row_without_citation_is_rejected(tmp_path):
    src = curated.paths.CURATED / curated.DOD_FILE
    bad = tmp_path / src.name
    shutil.copy(src, bad)
    df = pl.read_csv(bad, infer_schema_length=0).with_columns(
        pl.when(pl.col("fact_id") == "satellites").then(None).otherwise(pl.col("citation"))
        .alias("citation"))
    df.write_csv(bad)
    with pytest.raises(DataError) as err:
        curated.load_dod_consolidation(bad)
    msg = str(err.value)
    assert str(bad) in msg and "column 'citation'" in msg and "row 5" in msg and "Fix:" in msg


# --- SIPRI Top 100 (December 2024 edition): concentration, 2002 vs 2023 --------------------------

def test_cr5_fell_from_44_5_pct_in_2002_to_31_4_pct_in_2023(top100):
    cr5 = industry.concentration(top100, k=5)
    assert cr5.filter(pl.col("year") == 2002)["cr_pct"].item() == pytest.approx(44.524, abs=FLOAT)
    assert cr5.filter(pl.col("year") == 2023)["cr_pct"].item() == pytest.approx(31.388, abs=FLOAT)


def test_cr10_2002_and_2023(top100):
    cr10 = industry.concentration(top100, k=10)
    assert cr10.filter(pl.col("year") == 2002)["cr_pct"].item() == pytest.approx(60.266, abs=FLOAT)
    assert cr10.filter(pl.col("year") == 2023)["cr_pct"].item() == pytest.approx(48.637, abs=FLOAT)


def test_hhi_within_top100_2002_and_2023(top100):
    h = industry.hhi(top100)
    assert h.filter(pl.col("year") == 2002)["hhi_points"].item() == pytest.approx(501.27, abs=FLOAT)
    assert h.filter(pl.col("year") == 2023)["hhi_points"].item() == pytest.approx(324.40, abs=FLOAT)


def test_2015_break_cr5_with_and_without_chinese_firms(top100):
    """Adding Chinese firms in 2015 lowers CR5 by about 6 points with no change in the industry."""
    pub = industry.concentration(top100, k=5).filter(pl.col("year") == 2015)["cr_pct"].item()
    exc = industry.concentration(top100, k=5, exclude_china=True).filter(
        pl.col("year") == 2015)["cr_pct"].item()
    assert pub == pytest.approx(29.601, abs=FLOAT)
    assert exc == pytest.approx(35.656, abs=FLOAT)


def test_cr_denominator_is_the_published_total(top100, raw_dir):
    totals = sipri_top100.load_totals(raw_dir / get_source("sipri_top100_totals").filename)
    cr = industry.concentration(top100, k=5).join(totals, on="year").filter(
        pl.col("company_set_year") == pl.col("year"))
    diff = (cr["all_arms_revenue_usd_m_current"] / 1000 - cr["arms_revenue_usd_bn_current"]).abs()
    assert diff.max() < 0.005


# --- "as of 2024, companies from NATO nations occupied seven spots out of the top 10" -----------

def test_latest_year_in_the_dec2024_edition_is_2023(top100):
    assert top100["year"].max() == 2023  # SIPRI's 2024 Top 100 is not in this edition


def test_nato_held_6_of_top10_in_2023_in_the_dec2024_edition(top100, membership):
    """December 2024 edition: NATO-headquartered firms held 6 of the 2023 top 10 (five US firms
    and BAE Systems); Rostec (Russia) and AVIC, NORINCO and CETC (China) held the rest."""
    n = _nato_top10(top100, membership).filter(pl.col("year") == 2023).row(
        0, named=True)
    assert n["n_nato"] == 6
    assert n["nato_companies"] == ["Lockheed Martin Corp.", "RTX", "Northrop Grumman Corp.",
                                   "Boeing", "General Dynamics Corp.", "BAE Systems"]
    assert sorted(n["other_companies"]) == ["AVIC", "CETC", "NORINCO", "Rostec"]


def test_trans_european_airbus_counted_as_nato_in_2015_top10(top100, membership):
    n = _nato_top10(top100, membership).filter(pl.col("year") == 2015).row(
        0, named=True)
    assert "Airbus Group" in n["nato_companies"]
    assert n["n_nato"] == 7


def test_all_top10_were_nato_firms_2002_to_2014(top100, membership):
    n = _nato_top10(top100, membership).filter(pl.col("year") <= 2014)
    assert n["n_nato"].to_list() == [10] * 13


def test_us_share_of_top100_in_2023_is_50_1_pct(top100, membership):
    r = industry.regional_shares(top100, membership).filter(
        (pl.col("year") == 2023) & (pl.col("region") == "United States"))
    assert r["share_pct"].item() == pytest.approx(50.127, abs=FLOAT)
    assert r["n_companies"].item() == 41


# --- SIPRI Top 100 (December 2025 edition): what the report now quotes ---------------------------

def test_dec2025_2024_top100_total_is_679_2_bn(top100_2025):
    """The edition's totals file is not available: the 2024 total is the sum of the sheet."""
    totals = industry.annual_totals(top100_2025)
    row = totals.filter(year=2024).row(0, named=True)
    assert row["total_usd_bn"] == pytest.approx(679.2, abs=1e-9) and row["n_companies"] == 100


def test_dec2025_lockheed_martin_first_in_2024_with_64_65_bn(top100_2025):
    first = industry.shares(top100_2025).filter(year=2024, position=1).row(0, named=True)
    assert first["company"] == "Lockheed Martin Corp."
    assert first["arms_revenue_usd_m_current"] / 1000 == pytest.approx(64.65, abs=1e-9)


def test_dec2025_nato_held_7_of_the_2024_top10(top100_2025, membership):
    """"As of 2024, companies from NATO nations occupied seven of the top 10 spots": the data
    give 7 (six US firms and BAE Systems); Rostec (Russia), AVIC and CETC (China) the rest. L3Harris
    entered the top 10 in 2024, NORINCO left it (2023 in the same edition: 6)."""
    n = _nato_top10(top100_2025, membership)
    row = n.filter(year=2024).row(0, named=True)
    assert row["n_nato"] == 7
    assert row["nato_companies"] == ["Lockheed Martin Corp.", "RTX", "Northrop Grumman Corp.",
                                     "BAE Systems", "General Dynamics Corp.", "Boeing",
                                     "L3Harris Technologies"]
    assert row["other_companies"] == ["Rostec", "AVIC", "CETC"]
    assert n.filter(year=2023)["n_nato"].item() == 6


def test_dec2025_concentration_2002_to_2024(top100_2025):
    """The old defaults' figures on the newer edition: CR5 44.70 % (2002) -> 31.44 % (2024);
    2023 reads 31.45 % here against 31.39 % in the December 2024 edition."""
    cr5 = industry.concentration(top100_2025, k=5)
    assert cr5.filter(year=2002)["cr_pct"].item() == pytest.approx(44.702, abs=FLOAT)
    assert cr5.filter(year=2023)["cr_pct"].item() == pytest.approx(31.453, abs=FLOAT)
    assert cr5.filter(year=2024)["cr_pct"].item() == pytest.approx(31.437, abs=FLOAT)
    cr10 = industry.concentration(top100_2025, k=10)
    assert cr10.filter(year=2024)["cr_pct"].item() == pytest.approx(48.092, abs=FLOAT)
    h = industry.hhi(top100_2025)
    assert h.filter(year=2024)["hhi_points"].item() == pytest.approx(319.67, abs=FLOAT)


def test_dec2025_lists_without_chinese_firms_hold_91_to_93_companies(top100_2025):
    sizes = industry.annual_totals(top100_2025, exclude_china=True).filter(
        pl.col("year") >= industry.CHINA_FROM)
    assert sizes["n_companies"].min() == 91 and sizes["n_companies"].max() == 93
    assert sizes.filter(year=2024)["n_companies"].item() == 92


def test_dec2025_us_share_of_top100_in_2024(top100_2025, membership):
    r = industry.regional_shares(top100_2025, membership).filter(year=2024,
                                                                 region="United States")
    assert r["share_pct"].item() == pytest.approx(49.248, abs=FLOAT)
    assert r["n_companies"].item() == 39


# --- the two editions side by side ----------------------------------------------------------------

def test_2023_top100_total_in_both_editions(top100, top100_2025):
    """SIPRI revised 2023 between editions: US$ 631.90 bn (December 2024, equal to its published
    total) and US$ 630.59 bn (December 2025), -0.2 %. The lists differ too: three state
    nuclear-weapons establishments (CEA, Sandia, AWE) are no longer listed; NVL, Roketsan and
    Arconic are."""
    rev = revisions.compare_totals(top100, top100_2025)
    row = rev.filter(year=2023).row(0, named=True)
    assert row["total_usd_bn_older"] == pytest.approx(631.9, abs=1e-9)
    assert row["total_usd_bn_newer"] == pytest.approx(630.59, abs=1e-9)
    assert row["revision_usd_bn"] == pytest.approx(-1.31, abs=1e-9)
    assert row["n_companies_in_both"] == 97
    assert rev["year"].to_list() == list(range(2002, 2024))


def test_2023_ranks_in_both_editions(top100, top100_2025):
    ranks = revisions.compare_ranks(top100, top100_2025).filter(year=2023)
    cetc = ranks.filter(company="CETC").row(0, named=True)
    assert (cetc["rank_older"], cetc["rank_newer"], cetc["revision_usd_m"]) == (10, 8, 5320)
    gone = set(ranks.filter(status=revisions.ONLY_OLDER)["company"])
    assert gone == {"CEA", "Sandia National Laboratories", "Atomic Weapons Establishment"}
    new = set(ranks.filter(status=revisions.ONLY_NEWER)["company"])
    assert new == {"NVL", "Roketsan", "Arconic"}
    lm = ranks.filter(company="Lockheed Martin Corp.").row(0, named=True)
    assert (lm["rank_older"], lm["rank_newer"], lm["rank_change"]) == (1, 1, 0)


def test_edition_renames_join_the_same_company(top100, top100_2025):
    ranks = revisions.compare_ranks(top100, top100_2025).filter(company="EDGE Group")
    assert ranks["status"].to_list() == [revisions.IN_BOTH] * 2
    assert (ranks["arms_usd_m_older"] == ranks["arms_usd_m_newer"]).all()
