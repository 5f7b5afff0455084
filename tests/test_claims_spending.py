"""Claims of chapter 01 (the long run of NATO military spending), checked against SIPRI v1.2.

Each test is one sentence of the chapter, read from the chapter module at its default
parameters (SIPRI Military Expenditure Database 1949-2025, release v1.2; Allies counted from
the year they joined unless a test says otherwise). Tolerances: 0.005 points where the test
restates a value computed from the file (only rounding may differ). Bootstrap p-values are
pinned exactly: the bootstrap is seeded (1949) and its draws are multiples of 1/500.
"""

from __future__ import annotations

import polars as pl
import pytest

from dibtrends import prose
from dibtrends import membership as mb
from dibtrends import results
from dibtrends import spending as sp
from dibtrends.chapters import long_run
from dibtrends.stats.intervals import AR_CLIP


@pytest.fixture(scope="module")
def result(processed):
    return long_run.run()


@pytest.fixture(scope="module")
def checks(result):
    return {(r["rule"], r["measure"]): r for r in result.checks.iter_rows(named=True)}


def error_models(result, measure):
    return {r["error_model"]: r for r in result.fits[measure].error_models.iter_rows(named=True)}


def test_us_military_spending_was_3_4_pct_of_gdp_in_2024(result):
    assert result.us_share == pytest.approx(3.43, abs=0.005)
    claim = result.claims[1]
    assert claim.id == "us_share" and claim.verdict == results.REPRODUCED
    assert "3.43 % of GDP in 2024" in claim.finding


def test_nato_share_peaked_at_12_1_pct_in_1952_with_9_of_14_allies(result):
    peak = result.peak("weighted")
    assert peak["peak_year"] == 1952
    assert peak["peak_value"] == pytest.approx(12.08, abs=0.005)
    # 9 of the 14 Allies of 1952 enter the weighted figure (Belgium, the Netherlands, Portugal
    # and Türkiye have no data; Iceland's zero share gives no GDP); 10 enter the mean.
    assert (peak["n_in_peak"], peak["n_allies_peak"]) == (9, 14)
    y1952 = result.nato_total.filter(pl.col("year") == 1952).row(0, named=True)
    assert (y1952["n_allies"], y1952["n_mean"], y1952["n_weighted"]) == (14, 10, 9)
    assert "covers 9 of the 14 Allies counted that year" in result.text["peak"]
    assert "Belgium, the Netherlands, Portugal and Türkiye" in result.text["peak"]
    assert "a figure for 9 of the 14 Allies" in result.text["summary"]


def test_nato_share_fell_to_2_4_pct_in_2017_a_fall_of_9_7_points(result):
    row = result.peak("weighted")
    assert (row["trough_year"], row["trough_value"]) == (2017, pytest.approx(2.40, abs=0.005))
    assert row["fall_pp"] == pytest.approx(9.67, abs=0.005)
    assert (row["n_in_trough"], row["n_allies_trough"]) == (28, 29)  # all but Iceland


def test_nato_share_was_2_7_pct_in_2025(result):
    latest = result.nato_total.filter(pl.col("year") == 2025)
    assert latest["share_gdp_pct_weighted"].item() == pytest.approx(2.70, abs=0.005)
    assert latest["n_allies"].item() == 32


def test_every_ally_has_sipri_data_from_1960(result):
    for rule in mb.RULES:
        assert sp.first_complete_year(result.shares_by_rule[rule]) == 1960
    assert result.trend_start == 1960


def test_typical_ally_spent_least_in_2014_and_2_3_pct_in_2025(result):
    row = result.peak("mean")
    assert (row["trough_year"], row["trough_value"]) == (2014, pytest.approx(1.37, abs=0.005))
    assert row["latest_value"] == pytest.approx(2.28, abs=0.005)


def test_iceland_enters_the_mean_at_zero(result):
    assert sp.zero_share_allies(result.shares) == ["ISL"]
    assert "Iceland" in result.text["coverage"] and "at 0 % of GDP" in result.text["coverage"]
    assert "would be 1.42 % instead of 1.37 %" in result.text["coverage"]
    assert "Iceland at 0 %" in result.claims[0].condition


def test_three_allies_spent_2_pct_or_more_in_2014_in_sipri_data(result):
    assert sorted(result.at_2pct["iso3"].to_list()) == ["GBR", "GRC", "USA"]
    assert "(the United States, Greece and the United Kingdom)" in result.text["finding"]


def test_decline_from_1960_was_real_but_not_progressive(checks):
    weighted = checks[("accession", "weighted")]
    # 7.3 % in 1960 to 2.4 % in 2017 ...
    assert weighted["start_value"] == pytest.approx(7.30, abs=0.005)
    assert (weighted["low_year"], weighted["low_value"]) == (2017, pytest.approx(2.40, abs=0.005))
    # ... but the share rose in 17 of the 57 years, by over a point in 1979-82.
    assert (weighted["n_changes_to_low"], weighted["n_falls_to_low"]) == (57, 40)
    assert (weighted["largest_rise_from"], weighted["largest_rise_to"]) == (1979, 1982)
    assert weighted["largest_rise_pp"] == pytest.approx(1.13, abs=0.005)


def test_weighted_break_in_1998_passes_under_one_error_model_of_three(result, checks):
    """Issue 12, item 1: the 1998 break's p-value depends on the error model."""
    w = checks[("accession", "weighted")]
    assert w["break_years"] == "1998"
    em = error_models(result, "weighted")
    assert em["max_breaks"]["ar1"] == pytest.approx(0.676, abs=0.0005)
    assert em["selected"]["ar1"] == pytest.approx(0.879, abs=0.0005)
    assert em["no_break"]["ar1"] == pytest.approx(0.941, abs=0.0005)
    assert em["max_breaks"]["p_value_udmax"] == pytest.approx(1 / 500)  # the floor
    assert em["selected"]["p_value_udmax"] == pytest.approx(0.068)
    assert em["no_break"]["p_value_udmax"] == pytest.approx(0.220)
    assert em["selected"]["p_value_one_vs_none"] == pytest.approx(0.138)
    assert em["no_break"]["p_value_one_vs_none"] == pytest.approx(0.240)
    assert (w["n_error_models_rejecting"], w["n_error_models"]) == (1, 3)
    # The floor is shown as a bound, and the text follows the table.
    assert prose.fmt_p(em["max_breaks"]["p_value_udmax"], 499) == "< 0.002"
    assert "under 1 of the 3 error models" in result.text["breaks"]
    assert "< 0.002" in result.text["breaks"] and "0.220" in result.text["breaks"]


def test_bic_prefers_three_breaks_and_the_text_says_so(result):
    """Issue 12, item 2."""
    assert result.fits["weighted"].bic_choice["n_breaks"] == 3
    assert result.fits["weighted"].bic_choice["break_years"] == "1978,1985,1996"
    assert result.fits["weighted"].n_breaks == 1
    assert "would choose three breaks, in 1978, 1985 and 1996" in result.text["breaks"]


def test_slope_intervals_use_the_ar1_model_about_twice_as_wide_as_hac(result):
    """Issue 12, item 2: HAC with 3 lags was too narrow by about a factor of two."""
    hac = result.fits["weighted"].hac.filter(pl.col("segment") == 1)
    ratio = {r["method"]: r["se_ratio"] for r in hac.iter_rows(named=True)}
    lags = {r["method"]: r["lags"] for r in hac.iter_rows(named=True)}
    assert lags["hac_rule_of_thumb"] == 3 and lags["hac_automatic"] == 18
    assert ratio["ar1"] == pytest.approx(2.17, abs=0.01)
    assert ratio["hac_automatic"] == pytest.approx(1.05, abs=0.01)
    seg = result.fits["weighted"].segments.row(0, named=True)
    assert (seg["ci95_low"], seg["ci95_high"]) == (pytest.approx(-0.151, abs=0.0005),
                                                   pytest.approx(-0.078, abs=0.0005))


def test_typical_allys_share_fell_until_2014_then_rose(result, checks):
    for rule in mb.RULES:  # the same with fixed Cold War membership
        m = checks[(rule, "mean")]
        assert m["break_years"] == "2014"
        assert m["p_udmax"] < 0.01
        assert m["slope_first_ci_high"] < 0 < m["slope_last_ci_low"]
    em = error_models(result, "mean")
    # Around a single straight line the residuals are nearly a random walk (AR(1) at the cap):
    # then the turn is not significant.
    assert em["no_break"]["ar1"] == pytest.approx(AR_CLIP)
    assert em["no_break"]["p_value_udmax"] == pytest.approx(0.156)
    assert em["selected"]["p_value_udmax"] == pytest.approx(1 / 500)


def test_fixed_cold_war_membership_moves_the_weighted_break_to_1976(checks):
    # With the same 16 states throughout, the weighted share's steepest fall ends in the
    # mid-1970s, and it keeps falling slowly (interval below zero) to 2025.
    w = checks[("cold_war_16", "weighted")]
    assert w["break_years"] == "1976"
    assert w["slope_last_ci_high"] < 0


def test_sixty_years_holds_only_for_the_typical_ally_and_only_at_a_75_pct_threshold(result):
    """Issue 12, item 3: 43 of 54 falls (79.6 %): an 80 % rule would reverse the verdict."""
    th = result.checks.filter(rule="accession", measure="mean").row(0, named=True)
    assert (th["n_falls_to_low"], th["n_changes_to_low"]) == (43, 54)
    assert (th["at_70"], th["at_75"], th["at_80"]) == (True, True, False)
    assert not result.checks.filter(rule="accession", measure="weighted")["at_70"].item()
    claim = result.claims[0]
    assert claim.id == "sixty_years" and claim.verdict == results.CONDITIONAL
    assert claim.condition.startswith("Holds for the simple mean of Allies' shares")
    assert "not under a threshold of 80 %" in claim.condition
    assert "p = 0.156 then" in claim.condition  # the error-model condition is carried too
    assert "Does not hold for the GDP-weighted share" in claim.condition


def test_context_before_1949_names_both_sources(result):
    """Issue 11, item 4: GMSD and NMC are read, shown as context, never joined to SIPRI."""
    assert set(long_run.READS) >= {"owid_gmsd", "cow_nmc6"}
    assert set(long_run.SOURCES) >= {"owid_gmsd", "cow_nmc6"}
    share = result.context_share
    assert share["year"].max() <= 1948 and set(share["iso3"]) == {"USA", "GBR", "FRA"}
    us_1945 = share.filter((pl.col("iso3") == "USA") & (pl.col("year") == 1945))
    assert us_1945["share_gdp_pct"].item() == pytest.approx(38.45, abs=0.005)
    spending = result.context_spending
    assert spending["year"].min() == 1914  # NMC's dollar years only
    us = spending.filter((pl.col("iso3") == "USA") & (pl.col("year") == 1945))
    assert us["milex_usd_bn_current"].item() == pytest.approx(90.0)
    assert "GMSD" in result.text["context"] and "NMC" in result.text["context_spending"]
    assert "never joined" in result.text["context"]
