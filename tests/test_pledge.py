"""Guidelines and the 2035 pledge: the formula on hand-computed cases, the trend model on a
tiny made-up series, and the functions on the real tables."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest

from dibtrends import pledge


# ----------------------------------------------------------------------------- the formula
def test_required_growth_hand_computed():
    """Share 2.00 % -> 2.42 % in 2 years while GDP grows 10 %/yr.

    By hand: the share must rise by 2.42/2 = 1.21 = 1.1^2, i.e. 10 %/yr faster than GDP, so
    defence spending grows (1.10 x 1.10) - 1 = 21 % a year.
    """
    assert pledge.required_real_growth_pct(2.0, 2.42, 10.0, 2) == pytest.approx(21.0)


def test_required_growth_with_flat_gdp_is_share_growth():
    """GDP flat, share doubles in one year: spending must double (+100 %)."""
    assert pledge.required_real_growth_pct(2.0, 4.0, 0.0, 1) == pytest.approx(100.0)


def test_required_growth_round_trip():
    """Compounding the answer forward lands on the target (any inputs)."""
    s0, sT, y, n = 1.28, 3.5, 1.8, 11
    g = pledge.required_real_growth_pct(s0, sT, y, n)
    assert s0 * ((1 + g / 100) / (1 + y / 100)) ** n == pytest.approx(sT)


def test_required_growth_when_already_above_target():
    """An Ally above target may let spending grow more slowly than GDP."""
    assert pledge.required_real_growth_pct(4.0, 3.5, 2.0, 11) < 2.0


# ----------------------------------------------------------------------------- trend model
@pytest.fixture
def tiny_trend() -> pl.DataFrame:
    """A made-up Ally whose share rises 0.1 pp a year from 1.0 % with +/-0.01 alternating noise,
    and the aggregate rows the functions skip. Not data."""
    years = list(range(2014, 2025))
    share = [1.0 + 0.1 * (y - 2014) + (0.01 if y % 2 else -0.01) for y in years]
    return pl.DataFrame({"entity": "AAA", "is_aggregate": False, "year": years,
                         "estimate": [y >= 2023 for y in years], "share_gdp_pct": share})


def test_trend_projection_on_a_straight_line(tiny_trend):
    mem = pl.DataFrame({"iso3": ["AAA"], "accession_date": [date(1949, 8, 24)]})
    proj = pledge.trend_projection(tiny_trend, mem, window_start=2014, target_year=2035)
    row = proj.row(0, named=True)
    assert row["slope_pp_per_year"] == pytest.approx(0.1, abs=0.005)
    # 1.0 + 0.1 x 21 = 3.1; the noise moves the intercept by less than 0.01
    assert row["projected_share_pct"] == pytest.approx(3.1, abs=0.03)
    assert row["pi_lower_pct"] < row["projected_share_pct"] < row["pi_upper_pct"]
    assert row["pi_upper_pct"] - row["pi_lower_pct"] < 0.2
    counts = pledge.trend_reach_counts(proj, 3.0)
    assert counts["point"] == 1 and counts["n_allies"] == 1


# ----------------------------------------------------------------------------- real tables
def test_guideline_status_counts_from_accession(nato, membership):
    status = pledge.guideline_status(nato, membership)
    fin = status.filter(pl.col("entity") == "FIN")
    assert fin.filter(pl.col("year") == 2022)["meets_gdp_guideline"].item() is None
    assert fin.filter(pl.col("year") == 2023)["counted"].item() is True
    counts = pledge.guideline_counts(status)
    # spending Allies counted: 27 in 2014 (28 members less Iceland) to 31 in 2024
    assert counts.filter(pl.col("year") == 2014)["n_allies_with_data"].item() == 27
    assert counts.filter(pl.col("year") == 2024)["n_allies_with_data"].item() == 31


def test_average_growth_equals_end_point_cagr_without_breaks(nato):
    g = pledge.average_growth_pct(nato, "gdp_usd_m_const2015", 2014, 2024)
    usa = nato.filter(pl.col("entity") == "USA").sort("year")["gdp_usd_m_const2015"]
    expected = ((usa[-1] / usa[0]) ** (1 / 10) - 1) * 100
    assert g.filter(pl.col("entity") == "USA")["gdp_usd_m_const2015_cagr_pct"].item() == (
        pytest.approx(expected, rel=1e-12))


def test_luxembourg_growth_skips_its_series_break(nato):
    g = pledge.average_growth_pct(nato, "gdp_usd_m_const2015", 2014, 2024,
                                  breaks=pledge.GDP_SERIES_BREAKS)
    lux = g.filter(pl.col("entity") == "LUX").row(0, named=True)
    assert lux["gdp_usd_m_const2015_n_steps"] == 9
    assert 0 < lux["gdp_usd_m_const2015_cagr_pct"] < 5


def test_pledge_gap_uses_own_gdp_growth_by_default(nato, membership):
    gap = pledge.pledge_gap(nato, membership)
    assert gap.height == 31 and set(gap["latest_year"]) == {2024}
    deu = gap.filter(pl.col("entity") == "DEU").row(0, named=True)
    assert deu["gap_pp"] == pytest.approx(3.5 - deu["share_gdp_pct_latest"])
    expected = pledge.required_real_growth_pct(deu["share_gdp_pct_latest"], 3.5,
                                               deu["gdp_growth_pct_assumed"], 11)
    assert deu["required_real_growth_pct"] == pytest.approx(expected)


def test_pledge_gap_with_common_gdp_growth(nato, membership):
    gap = pledge.pledge_gap(nato, membership, gdp_growth_pct=1.5, target_share_pct=3.5)
    assert np.allclose(gap["gdp_growth_pct_assumed"].to_numpy(), 1.5)
    pol = gap.filter(pl.col("entity") == "POL").row(0, named=True)
    assert pol["gap_pp"] < 0 and pol["required_real_growth_pct"] < 1.5


def test_target_year_must_follow_latest_year(nato, membership):
    with pytest.raises(ValueError, match="after the latest year"):
        pledge.pledge_gap(nato, membership, target_year=2024)


def test_charts_build_with_units_and_estimates(nato, membership):
    import json

    from dibtrends.charts import guidelines as charts

    status = pledge.guideline_status(nato, membership)
    for which in ("gdp", "equipment"):
        spec = json.dumps(charts.guideline_heatmap(status, which).to_dict())
        assert "2024e" in spec and "Source: NATO" in spec
    gap = pledge.pledge_gap(nato, membership)
    proj = pledge.trend_projection(nato, membership)
    spec = json.dumps(charts.gap_chart(gap, proj).to_dict())
    assert "% of GDP (2015 prices)" in spec and "5 of 31 Allies reach it" in spec
    spec = json.dumps(charts.required_growth_chart(gap).to_dict())
    assert "% per year (2015 prices)" in spec
