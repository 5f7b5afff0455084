"""Concentration measures on tiny fixture frames whose answers are worked out by hand.

The fixtures are invented companies (``A`` ... ``H``) built here for arithmetic only; they are
not data and are never written anywhere.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from dibtrends import industry

ARMS = "arms_revenue_usd_m_current"


@pytest.fixture
def fixture_top100() -> pl.DataFrame:
    """Three fixture years. 2014: no Chinese firm. 2020: A 50, B 30, C (China) 20. 2023: Allies
    joining (Finland 2023) and not yet joined (Sweden 2024), Türkiye, Trans-European."""
    rows = [
        # year, rank, company, hq_iso3, trans_european, arms revenue
        (2014, 1, "D", "USA", False, 60.0),
        (2014, 2, "E", None, True, 40.0),
        (2020, 1, "A", "USA", False, 50.0),
        (2020, 2, "B", "GBR", False, 30.0),
        (2020, 3, "C", "CHN", False, 20.0),
        (2022, 1, "F", "FIN", False, 10.0),
        (2022, 2, "S", "SWE", False, 10.0),
        (2023, 1, "F", "FIN", False, 40.0),
        (2023, 2, "S", "SWE", False, 30.0),
        (2023, 3, "T", "TUR", False, 20.0),
        (2023, 4, "R", "RUS", False, 10.0),
    ]
    return pl.DataFrame(rows, schema={"year": pl.Int64, "rank": pl.Int64, "company": pl.String,
                                      "hq_iso3": pl.String, "trans_european": pl.Boolean,
                                      ARMS: pl.Float64}, orient="row").with_columns(
        pl.col("hq_iso3").fill_null("Trans-European").alias("country_published"))


@pytest.fixture
def fixture_membership() -> pl.DataFrame:
    return pl.DataFrame({
        "iso3": ["USA", "GBR", "TUR", "FIN", "SWE"],
        "country": ["United States", "United Kingdom", "Türkiye", "Finland", "Sweden"],
        "accession_date": [date(1949, 8, 24), date(1949, 8, 24), date(1952, 2, 18),
                           date(2023, 4, 4), date(2024, 3, 7)],
        "founding_member": [True, True, False, False, False],
        "citation": ["fixture"] * 5,
    })


def _value(df, year, col, **where):
    out = df.filter(pl.col("year") == year)
    for k, v in where.items():
        out = out.filter(pl.col(k) == v)
    return out[col].item()


def test_cr_k_by_hand(fixture_top100):
    cr1 = industry.concentration(fixture_top100, k=1)
    cr2 = industry.concentration(fixture_top100, k=2)
    assert _value(cr1, 2020, "cr_pct") == pytest.approx(50.0)  # 50 / 100
    assert _value(cr2, 2020, "cr_pct") == pytest.approx(80.0)  # (50 + 30) / 100
    assert _value(cr1, 2014, "cr_pct") == pytest.approx(60.0)
    assert _value(cr2, 2014, "cr_pct") == pytest.approx(100.0)  # k >= number of firms
    assert _value(cr2, 2020, "n_companies") == 3


def test_cr_k_excluding_china_renormalises(fixture_top100):
    cr1 = industry.concentration(fixture_top100, k=1, exclude_china=True)
    assert _value(cr1, 2020, "cr_pct") == pytest.approx(62.5)  # 50 / (50 + 30)


def test_cr_k_rejects_bad_k(fixture_top100):
    with pytest.raises(ValueError, match="positive whole number"):
        industry.concentration(fixture_top100, k=0)


def test_hhi_by_hand(fixture_top100):
    h = industry.hhi(fixture_top100)
    assert _value(h, 2020, "hhi_points") == pytest.approx(50**2 + 30**2 + 20**2)  # 3,800
    assert _value(h, 2014, "hhi_points") == pytest.approx(60**2 + 40**2)  # 5,200
    hx = industry.hhi(fixture_top100, exclude_china=True)
    assert _value(hx, 2020, "hhi_points") == pytest.approx(62.5**2 + 37.5**2)  # 5,312.5


def test_hhi_bounds_monopoly_and_equal_split():
    one = pl.DataFrame({"year": [2000], "rank": [1], "company": ["M"], "hq_iso3": ["USA"],
                        "trans_european": [False], ARMS: [5.0]})
    assert industry.hhi(one)["hhi_points"].item() == pytest.approx(10_000)
    hundred = pl.DataFrame({"year": [2000] * 100, "rank": list(range(1, 101)),
                            "company": [f"c{i}" for i in range(100)], "hq_iso3": ["USA"] * 100,
                            "trans_european": [False] * 100, ARMS: [1.0] * 100})
    assert industry.hhi(hundred)["hhi_points"].item() == pytest.approx(100)  # 100 x 1^2


def test_with_series_adds_excluding_china_only_from_2015(fixture_top100):
    both = industry.with_series(industry.hhi, fixture_top100)
    excl = both.filter(pl.col("series") == industry.SERIES_EXCL_CHINA)
    assert excl["year"].min() == 2020
    assert both.filter(pl.col("series") == industry.SERIES_PUBLISHED).height == 4


def test_trans_european_counts_as_nato(fixture_top100, fixture_membership):
    n = industry.top10_nato_count(
        industry.top_k_by_region(fixture_top100, fixture_membership, k=2))
    assert _value(n, 2014, "n_nato") == 2  # D (USA) and E (Trans-European)
    assert _value(n, 2020, "n_nato") == 2  # A, B; C (China) is third


def test_nato_membership_is_by_year(fixture_top100, fixture_membership):
    n = industry.top10_nato_count(
        industry.top_k_by_region(fixture_top100, fixture_membership, k=10))
    assert _value(n, 2022, "n_nato") == 0  # Finland joined 2023, Sweden 2024
    assert _value(n, 2023, "n_nato") == 2  # Finland (2023) and Türkiye; not Sweden, not Russia
    assert sorted(n.filter(pl.col("year") == 2023)["nato_companies"].item()) == ["F", "T"]


def test_regional_shares_by_hand(fixture_top100, fixture_membership):
    r = industry.regional_shares(fixture_top100, fixture_membership)
    assert set(r["region"].unique()) == set(industry.REGIONS)
    assert r.group_by("year").agg(pl.col("share_pct").sum())["share_pct"].to_list() == (
        pytest.approx([100.0] * 4))
    assert _value(r, 2020, "share_pct", region="United States") == pytest.approx(50.0)
    assert _value(r, 2020, "share_pct", region="European NATO") == pytest.approx(30.0)
    assert _value(r, 2020, "share_pct", region="China") == pytest.approx(20.0)
    assert _value(r, 2014, "share_pct", region="European NATO") == pytest.approx(40.0)
    assert _value(r, 2023, "share_pct", region="European NATO") == pytest.approx(40.0)  # Finland
    assert _value(r, 2023, "share_pct", region="Rest of world") == pytest.approx(30.0)  # Sweden
    assert _value(r, 2023, "share_pct", region="Other NATO") == pytest.approx(20.0)  # Türkiye
    assert _value(r, 2023, "share_pct", region="Russia") == pytest.approx(10.0)
    assert _value(r, 2014, "share_pct", region="China") == 0.0


def test_regional_shares_excluding_china(fixture_top100, fixture_membership):
    r = industry.regional_shares(fixture_top100, fixture_membership, exclude_china=True)
    assert _value(r, 2020, "share_pct", region="United States") == pytest.approx(62.5)
    assert _value(r, 2020, "share_pct", region="China") == 0.0


def test_value_at_uses_published_series_before_the_break(fixture_top100):
    measures = industry.headline_measures(fixture_top100, k=2)
    assert industry.value_at(measures, "HHI", 2014, industry.SERIES_EXCL_CHINA) == (
        pytest.approx(5200.0))
    assert industry.value_at(measures, "HHI", 2020, industry.SERIES_EXCL_CHINA) == (
        pytest.approx(5312.5))
    assert industry.value_at(measures, "CR2", 2020) == pytest.approx(80.0)
    assert industry.value_at(measures, "HHI", 1990) is None


def test_headline_measures_k5_does_not_duplicate_cr5(fixture_top100):
    measures = industry.headline_measures(fixture_top100, k=5)
    assert sorted(measures["measure"].unique()) == ["CR5", "HHI"]
    assert not measures.select("year", "series", "measure").is_duplicated().any()


def test_annual_totals_sum_the_rows_and_count_them(fixture_top100):
    t = industry.annual_totals(fixture_top100)
    assert _value(t, 2020, "total_usd_bn") == pytest.approx(0.1)  # (50 + 30 + 20) US$ m
    assert _value(t, 2020, "n_companies") == 3
    tx = industry.annual_totals(fixture_top100, exclude_china=True)
    assert _value(tx, 2020, "n_companies") == 2  # C (China) removed
    assert _value(tx, 2020, "total_usd_bn") == pytest.approx(0.08)


def test_top_k_region_counts_names_each_region(fixture_top100, fixture_membership):
    top = industry.top_k_by_region(fixture_top100, fixture_membership, k=3)
    counts = industry.top_k_region_counts(top).filter(pl.col("year") == 2023)
    assert dict(zip(counts["region"], counts["companies"], strict=True)) == {
        "European NATO": 1, "Other NATO": 1, "Rest of world": 1}
    assert counts.filter(pl.col("region") == "Other NATO")["names"].item() == "T"
