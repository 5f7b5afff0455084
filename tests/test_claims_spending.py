"""Claims of chapter 01 (the long run of NATO military spending), checked against SIPRI v1.2.

Each test is one sentence of the chapter. Figures come from the SIPRI Military Expenditure
Database 1949-2025, release v1.2, read through the project's loader; Allies are counted from
the year they joined unless a test says otherwise. Tolerances: 0.005 points where the test
restates a value computed from the file (only rounding may differ); 0.05 points where the
chapter quotes a figure to one decimal.
"""

from __future__ import annotations

import polars as pl
import pytest

from dibtrends import membership as mb
from dibtrends import spending as sp
from dibtrends.load import sipri_milex
from dibtrends.sources import get as get_source

YEARS = range(1949, 2026)


@pytest.fixture(scope="module")
def milex(raw_dir):
    return sipri_milex.load_sipri_milex_2025(raw_dir / get_source("sipri_milex_2025").filename)


@pytest.fixture(scope="module")
def membership():
    return mb.load_nato_membership()


@pytest.fixture(scope="module")
def shares(milex, membership):
    return {rule: sp.alliance_shares(milex, mb.membership_panel(membership, YEARS, rule))
            for rule in mb.RULES}


@pytest.fixture(scope="module")
def nato_total(shares):
    return shares["accession"].filter(pl.col("group") == "NATO total")


@pytest.fixture(scope="module")
def checks(shares):
    out = sp.decline_checks(shares)
    return {(r["rule"], r["measure"]): r for r in out.iter_rows(named=True)}


def test_us_military_spending_was_3_4_pct_of_gdp_in_2024(milex):
    us = milex.filter((pl.col("iso3") == "USA") & (pl.col("year") == 2024))
    assert us["share_gdp_pct"].item() == pytest.approx(3.4, abs=0.05)


def test_nato_share_peaked_at_12_1_pct_in_1952_during_the_korean_war(nato_total):
    peak = sp.peak_to_trough(nato_total).row(0, named=True)
    assert peak["peak_year"] == 1952
    assert peak["peak_value"] == pytest.approx(12.08, abs=0.005)
    # ... with 10 of the 14 Allies of 1952 in SIPRI's data (BEL, NLD, PRT, TUR missing).
    y1952 = nato_total.filter(pl.col("year") == 1952).row(0, named=True)
    assert (y1952["n_allies"], y1952["n_mean"]) == (14, 10)


def test_nato_share_fell_to_2_4_pct_in_2017_a_fall_of_9_7_points(nato_total):
    row = sp.peak_to_trough(nato_total).row(0, named=True)
    assert (row["trough_year"], row["trough_value"]) == (2017, pytest.approx(2.40, abs=0.005))
    assert row["fall_pp"] == pytest.approx(9.7, abs=0.05)


def test_nato_share_was_2_7_pct_in_2025(nato_total):
    latest = nato_total.filter(pl.col("year") == 2025)
    assert latest["share_gdp_pct_weighted"].item() == pytest.approx(2.70, abs=0.005)
    assert latest["n_allies"].item() == 32


def test_every_ally_has_sipri_data_from_1960(shares):
    for rule in mb.RULES:
        assert sp.first_complete_year(shares[rule]) == 1960


def test_typical_ally_spent_least_in_2014_and_2_3_pct_in_2025(nato_total):
    row = sp.peak_to_trough(nato_total, value="share_gdp_pct_mean").row(0, named=True)
    assert (row["trough_year"], row["trough_value"]) == (2014, pytest.approx(1.37, abs=0.005))
    assert row["latest_value"] == pytest.approx(2.28, abs=0.005)


def test_three_allies_spent_2_pct_or_more_in_2014_in_sipri_data(milex, membership):
    panel = mb.membership_panel(membership, [2014])
    at = sp.allies_at_or_above(milex, panel, 2014).filter(pl.col("meets_threshold"))
    assert sorted(at["iso3"].to_list()) == ["GBR", "GRC", "USA"]
    assert panel["is_member"].sum() == 28


def test_decline_from_1960_was_real_but_not_progressive(checks):
    weighted = checks[("accession", "weighted")]
    # 7.3 % in 1960 to 2.4 % in 2017 ...
    assert weighted["start_value"] == pytest.approx(7.30, abs=0.005)
    assert (weighted["low_year"], weighted["low_value"]) == (2017, pytest.approx(2.40, abs=0.005))
    # ... but the share rose in 17 of the 57 years, by over a point in 1965-67 and 1979-82.
    assert (weighted["n_changes_to_low"], weighted["n_falls_to_low"]) == (57, 40)
    assert weighted["largest_rise"] == "1979-1982 +1.13 pp"


def test_weighted_share_stopped_falling_around_1998(checks):
    w = checks[("accession", "weighted")]
    assert w["break_years"] == "1998"
    assert w["p_udmax"] < 0.01  # sieve bootstrap, 499 draws, seed 1949
    assert w["slope_first_ci_high"] < 0  # fell about 0.11 points a year to 1998
    assert w["slope_last_ci_low"] < 0 < w["slope_last_ci_high"]  # no trend since


def test_typical_allys_share_fell_until_2014_then_rose(checks):
    for rule in mb.RULES:  # the same with fixed Cold War membership
        m = checks[(rule, "mean")]
        assert m["break_years"] == "2014"
        assert m["p_udmax"] < 0.01
        assert m["slope_first_ci_high"] < 0 < m["slope_last_ci_low"]


def test_fixed_cold_war_membership_moves_the_weighted_break_to_1976(checks):
    # With the same 16 states throughout, the weighted share's steepest fall ends in the
    # mid-1970s, and it keeps falling slowly (CI below zero) to 2025.
    w = checks[("cold_war_16", "weighted")]
    assert w["break_years"] == "1976"
    assert w["slope_last_ci_high"] < 0
