"""Membership rules, alliance aggregates and the segmented-trend routine.

Membership tests read the curated table (NATO's accession dates). Aggregation and trend tests use
FIXTURES: tiny frames built here with round numbers, so every expected value can be checked by
hand. They are not data and no figure in the report comes from them.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from dibtrends import membership as mb
from dibtrends import spending as sp
from dibtrends.errors import DataError
from dibtrends.load import curated
from dibtrends.stats import breaks
from dibtrends.stats import intervals as iv


@pytest.fixture(scope="module")
def membership():
    return curated.load_nato_membership()


# ------------------------------------------------------------------------ membership

def _allies(membership, year, rule="accession"):
    return mb.membership_panel(membership, [year], rule).filter("is_member")


def test_membership_table_has_32_allies_and_12_founders(membership):
    assert membership.height == 32
    assert membership["founding_member"].sum() == 12


@pytest.mark.parametrize("year, expected", [(1949, 12), (1952, 14), (1955, 15), (1982, 16),
                                            (1999, 19), (2004, 26), (2009, 28), (2017, 29),
                                            (2020, 30), (2023, 31), (2024, 32)])
def test_accession_rule_counts(membership, year, expected):
    assert _allies(membership, year).height == expected


def test_finland_from_2023_and_sweden_from_2024(membership):
    def counted(code, year):
        return code in _allies(membership, year)["iso3"].to_list()

    assert not counted("FIN", 2022) and counted("FIN", 2023)
    assert not counted("SWE", 2023) and counted("SWE", 2024)


def test_cold_war_16_is_fixed(membership):
    for year in (1949, 1970, 1990, 2024):
        allies = _allies(membership, year, rule="cold_war_16")["iso3"].to_list()
        assert len(allies) == 16
        assert {"DEU", "ESP", "GRC", "TUR", "USA"} <= set(allies)
        assert not {"POL", "FIN", "SWE"} & set(allies)


def test_membership_panel_shape(membership):
    panel = mb.membership_panel(membership, range(1949, 2026))
    assert panel.height == 32 * 77
    assert panel.filter(pl.col("year") == 2024)["is_member"].all()
    assert panel.filter(pl.col("year") == 1949)["is_member"].sum() == 12


def test_unknown_rule_is_refused(membership):
    with pytest.raises(ValueError, match="cold_war_16"):
        mb.membership_panel(membership, [2000], rule="founders")


def test_membership_file_with_a_wrong_founder_date_fails(tmp_path):
    bad = tmp_path / "nato_membership.csv"
    text = mb.MEMBERSHIP_FILE.read_text().replace("ESP,Spain,1982-05-30,false",
                                                  "ESP,Spain,1982-05-30,true")
    bad.write_text(text)
    with pytest.raises(DataError, match="founding members") as info:
        curated.load_nato_membership(bad)
    assert str(bad) in str(info.value)


# ------------------------------------------------------------------------ aggregation (fixture)

@pytest.fixture
def fixture_milex():
    """FIXTURE: round numbers so GDP = spending / share is obvious (e.g. 300 / 3 % = 10,000)."""
    rows = [
        # iso3, year, share %, spending US$ m  ->  implied GDP
        ("USA", 2000, 3.0, 300.0),   # 10,000
        ("FRA", 2000, 2.5, 50.0),    # 2,000
        ("DEU", 2000, 1.5, 30.0),    # 2,000
        ("ISL", 2000, 0.0, 0.0),     # no armed forces: no GDP recoverable
        ("POL", 2000, 2.0, 8.0),     # not yet an Ally in 2000
        ("USA", 2001, 3.2, 320.0),   # 10,000
        ("FRA", 2001, 3.0, 60.0),    # 2,000
        ("DEU", 2001, None, None),   # missing data
        ("ISL", 2001, 0.0, 0.0),
        ("POL", 2001, 2.0, 10.0),    # 500
    ]
    return pl.DataFrame(rows, schema={"iso3": pl.Utf8, "year": pl.Int64,
                                      "share_gdp_pct": pl.Float64,
                                      "milex_usd_m_current": pl.Float64}, orient="row")


@pytest.fixture
def fixture_panel():
    """FIXTURE: four Allies in both years, POL from 2001."""
    rows = [(c, y, not (c == "POL" and y == 2000))
            for c in ("USA", "FRA", "DEU", "ISL", "POL") for y in (2000, 2001)]
    return pl.DataFrame(rows, schema={"iso3": pl.Utf8, "year": pl.Int64, "is_member": pl.Boolean},
                        orient="row")


def test_weighted_and_mean_share_by_hand(fixture_milex, fixture_panel):
    out = sp.alliance_share_of_gdp(fixture_milex, fixture_panel, "NATO total")
    y0, y1 = out.row(0, named=True), out.row(1, named=True)
    # 2000: (300 + 50 + 30) / (10,000 + 2,000 + 2,000) = 380 / 14,000; POL not counted.
    assert y0["share_gdp_pct_weighted"] == pytest.approx(100 * 380 / 14_000)
    assert y0["share_gdp_pct_mean"] == pytest.approx((3.0 + 2.5 + 1.5 + 0.0) / 4)
    assert (y0["n_allies"], y0["n_weighted"], y0["n_mean"], y0["n_missing"]) == (4, 3, 4, 0)
    assert y0["missing_weighted"] == "ISL" and y0["missing_mean"] == ""
    # 2001: (320 + 60 + 10) / (10,000 + 2,000 + 500); DEU has no data and is reported.
    assert y1["share_gdp_pct_weighted"] == pytest.approx(100 * 390 / 12_500)
    assert y1["share_gdp_pct_mean"] == pytest.approx((3.2 + 3.0 + 0.0 + 2.0) / 4)
    assert (y1["n_allies"], y1["n_weighted"], y1["n_mean"], y1["n_missing"]) == (5, 3, 4, 1)
    assert y1["missing_weighted"] == "DEU,ISL" and y1["missing_mean"] == "DEU"


def test_groups_split_the_alliance(fixture_milex, fixture_panel):
    out = sp.alliance_shares(fixture_milex, fixture_panel).filter(pl.col("year") == 2000)
    by = {r["group"]: r for r in out.iter_rows(named=True)}
    assert by["United States"]["share_gdp_pct_weighted"] == pytest.approx(3.0)
    assert by["NATO Europe and Canada"]["share_gdp_pct_weighted"] == pytest.approx(100 * 80 / 4_000)
    assert by["NATO Europe and Canada"]["share_gdp_pct_mean"] == pytest.approx(4.0 / 3)
    assert by["NATO Europe and Canada"]["n_allies"] + by["United States"]["n_allies"] == 4


def test_unknown_group_is_refused(fixture_milex, fixture_panel):
    with pytest.raises(ValueError, match="NATO total"):
        sp.alliance_share_of_gdp(fixture_milex, fixture_panel, "EU")


def test_allies_at_or_above_threshold(fixture_milex, fixture_panel):
    out = sp.allies_at_or_above(fixture_milex, fixture_panel, 2001, threshold_pct=2.0)
    assert out.filter(pl.col("meets_threshold"))["iso3"].to_list() == ["USA", "FRA", "POL"]
    assert out.filter(pl.col("share_gdp_pct").is_null())["iso3"].to_list() == ["DEU"]


# ------------------------------------------------------------------------ descriptions (fixture)

def test_peak_to_trough_by_hand():
    series = pl.DataFrame({"year": [2000, 2001, 2002, 2003, 2004],
                           "v": [2.0, 5.0, 4.0, 1.0, 3.0]})  # FIXTURE
    row = sp.peak_to_trough(series, value="v")
    assert (row["peak_year"], row["peak_value"]) == (2001, 5.0)
    assert (row["trough_year"], row["trough_value"]) == (2003, 1.0)
    assert row["fall_pp"] == 4.0
    assert (row["latest_year"], row["change_since_trough_pp"]) == (2004, 2.0)


def test_eras_are_labelled_as_own_periodisation():
    eras = sp.eras()
    assert eras["era"].to_list()[0] == "Korean War"
    assert eras.filter(pl.col("era") == "Korean War").select("start_year", "end_year").row(0) \
        == (1950, 1953)
    assert eras["basis"].str.contains("dibtrends periodisation").all()


def test_periods_cover_every_year_once():
    periods = sp.periods_from_eras(sp.eras(), 1949, 2025)
    years = [y for r in periods.iter_rows(named=True)
             for y in range(r["start_year"], r["end_year"] + 1)]
    assert years == list(range(1949, 2026))
    assert "Détente" in periods["period"].to_list()
    assert "9/11 onwards" in periods["period"].to_list()


def test_trend_by_era_slope_by_hand():
    # FIXTURE: a straight line falling 0.1 a year: every period's slope is -0.1.
    series = pl.DataFrame({"year": list(range(1949, 2026)),
                           "v": [10 - 0.1 * i for i in range(77)]})
    out = sp.trend_by_era(series, sp.eras(), value="v")
    slopes = out["slope_pp_per_year"].drop_nulls().to_list()
    assert slopes and all(s == pytest.approx(-0.1) for s in slopes)


# ------------------------------------------------------------------------ breakpoints (fixture)

def kinked_series(noise_sd=0.1, seed=7, kink=1990):
    """FIXTURE: falls 0.10 a year from 8.0 in 1960, turns at ``kink`` and rises 0.05 a year."""
    years = np.arange(1960, 2020)
    trend = np.where(years <= kink, 8.0 - 0.10 * (years - 1960),
                     8.0 - 0.10 * (kink - 1960) + 0.05 * (years - kink))
    noise = np.random.default_rng(seed).normal(0, noise_sd, len(years))
    return pl.DataFrame({"year": years, "v": trend + noise})


def test_breakpoint_found_at_the_known_kink():
    fit = sp.segmented_trend(kinked_series(), value="v", max_breaks=2, n_boot=199)
    assert fit.breaks["year"].to_list() in ([1989], [1990], [1991])
    assert fit.breaks["p_value_udmax"][0] < 0.01
    seg = fit.segments
    assert seg.height == 2
    # Slopes recovered to within 0.01 points a year (noise sd 0.1 over 30-year segments); the
    # 95 % interval brackets the estimate. (Whether it covers the truth is a 95 % event per draw,
    # so one seeded draw cannot test coverage.)
    for row, truth in zip(seg.iter_rows(named=True), (-0.10, 0.05), strict=True):
        assert row["slope_pp_per_year"] == pytest.approx(truth, abs=0.01)
        assert row["ci95_low"] < row["slope_pp_per_year"] < row["ci95_high"]
    assert set(fit.diagnostics["name"]) >= {"durbin_watson", "ljung_box_p_lag1", "cusum_linear_p",
                                            "udmax_p"}
    assert fit.fitted.height == 60
    # A clear kink with white noise passes under every error model.
    assert (fit.error_models["p_value_udmax"] < 0.05).all()
    assert fit.error_models.filter(pl.col("used_for_selection"))["error_model"].to_list() \
        == ["max_breaks"]


def test_results_are_cached_per_series_and_settings():
    series = kinked_series(seed=3)
    first = sp.segmented_trend(series, value="v", max_breaks=2, n_boot=99)
    assert sp.segmented_trend(series, value="v", max_breaks=2, n_boot=99) is first
    assert sp.segmented_trend(series, value="v", max_breaks=2, n_boot=199) is not first


def test_error_models_share_random_numbers_with_the_selection():
    """The 'max_breaks' row repeats the selection's own UDmax test: the same p-value."""
    fit = sp.segmented_trend(kinked_series(noise_sd=0.3, seed=5), value="v", max_breaks=2,
                             n_boot=99)
    row = fit.error_models.filter(pl.col("error_model") == "max_breaks").row(0, named=True)
    assert row["p_value_udmax"] == fit.diagnostic("udmax_p")
    assert row["ar1"] == pytest.approx(fit.diagnostic("ar1_bootstrap"))


def test_grid_search_matches_brute_force_least_squares():
    """The residualised single-precision grid finds the same best break as plain OLS fits."""
    series = kinked_series(seed=9)
    years = series["year"].to_numpy()
    y = series["v"].to_numpy()
    grid = breaks.grid(tuple(int(v) for v in years), 1, 6)
    ssr_exact, idx_exact = grid.best(y, exact=True)
    ssr_fast, idx_fast = grid.best(y)
    brute = []
    for combo in grid.combos:
        x = breaks.design(years.astype(float), combo)
        resid = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
        brute.append(float(resid @ resid))
    assert grid.combos[int(idx_exact[0])] == grid.combos[int(np.argmin(brute))]
    assert ssr_exact[0] == pytest.approx(min(brute), rel=1e-9)
    assert idx_fast[0] == idx_exact[0] and ssr_fast[0] == pytest.approx(min(brute), rel=1e-4)


def test_own_diagnostics_agree_with_statsmodels():
    """HAC, Durbin-Watson, Ljung-Box and CUSUM are computed here (statsmodels' import costs
    seconds); they must agree with statsmodels on a fixture regression."""
    import statsmodels.api as sm
    from statsmodels.stats.diagnostic import acorr_ljungbox, breaks_cusumolsresid
    from statsmodels.stats.stattools import durbin_watson

    series = kinked_series(noise_sd=0.2, seed=4)
    t = series["year"].to_numpy().astype(float)
    y = series["v"].to_numpy()
    x = breaks.design(t, (1990,))
    resid = sm.OLS(y, x).fit().resid
    for lags in (3, 11):
        expected = sm.OLS(y, x).fit(cov_type="HAC", cov_kwds={"maxlags": lags}).cov_params()
        assert np.allclose(iv.hac_covariance(x, resid, lags), expected)
    assert iv.durbin_watson(resid) == pytest.approx(durbin_watson(resid))
    lb = acorr_ljungbox(resid, lags=[1, 5], return_df=True)["lb_pvalue"].to_list()
    assert [iv.ljung_box_p(resid, 1), iv.ljung_box_p(resid, 5)] == pytest.approx(lb)
    assert iv.cusum_ols(resid, 3) == pytest.approx(breaks_cusumolsresid(resid, 3)[:2])


def test_ar1_covariance_by_hand():
    """FIXTURE: residuals with AR(1) coefficient rho; the covariance equals the sandwich with
    S[i, j] = s2 rho^|i-j| / (1 - rho^2) computed directly."""
    rng = np.random.default_rng(2)
    e = np.zeros(40)
    for i in range(1, 40):
        e[i] = 0.6 * e[i - 1] + rng.normal()
    x = breaks.design(np.arange(40.0), ())
    rho, _ = iv.ar1(e)
    innov = e[1:] - rho * e[:-1]
    s2 = innov @ innov / (40 - 1 - 2)
    sigma = np.array([[s2 * rho ** abs(i - j) / (1 - rho ** 2) for j in range(40)]
                      for i in range(40)])
    inv = np.linalg.inv(x.T @ x)
    assert np.allclose(iv.ar1_covariance(x, e), inv @ x.T @ sigma @ x @ inv)


def test_andrews_bandwidth_grows_with_persistence():
    rng = np.random.default_rng(1)
    lags = []
    for rho in (0.2, 0.6, 0.9):
        e = np.zeros(66)
        for i in range(1, 66):
            e[i] = rho * e[i - 1] + rng.normal()
        lags.append(iv.andrews_lags(e)[0])
    assert lags == sorted(lags) and lags[0] < lags[-1] <= 33


def test_no_breakpoint_claimed_on_a_straight_line():
    years = np.arange(1960, 2020)
    noise = np.random.default_rng(11).normal(0, 0.1, len(years))
    series = pl.DataFrame({"year": years, "v": 8.0 - 0.05 * (years - 1960) + noise})  # FIXTURE
    fit = sp.segmented_trend(series, value="v", max_breaks=2, n_boot=199)
    assert fit.breaks.height == 0
    assert fit.selection.filter(pl.col("selected"))["n_breaks"].item() == 0
    assert fit.segments.row(0, named=True)["slope_pp_per_year"] == pytest.approx(-0.05, abs=0.01)


def test_segmented_trend_refuses_gaps():
    series = pl.DataFrame({"year": [2000, 2001, 2003], "v": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="consecutive years"):
        sp.segmented_trend(series, value="v")


def test_newey_west_lag_rule():
    assert iv.newey_west_lags(77) == 3
    assert iv.newey_west_lags(100) == 4


def fixture_checks_row(**overrides):
    """FIXTURE: one decline_checks row, as round numbers."""
    row = {"rule": "accession", "measure": "mean", "start_year": 1960, "low_year": 2014,
           "n_falls_to_low": 43, "n_changes_to_low": 54, "share_falls": 43 / 54,
           "largest_rise_pp": 0.33, "years_to_low": 54, "slope_first_ci_high": -0.04,
           "last_break": 2014, "slope_last_ci_high": 0.05, "n_error_models_rejecting": 3,
           "n_error_models": 3}
    return row | overrides


def test_progressive_depends_on_the_threshold():
    row = fixture_checks_row()
    assert sp.is_progressive(row, 0.75)["holds"]
    assert not sp.is_progressive(row, 0.80)["holds"]  # 79.6 % of changes are falls
    assert not sp.is_progressive(fixture_checks_row(largest_rise_pp=1.13))["holds"]
    assert not sp.is_progressive(fixture_checks_row(years_to_low=40))["holds"]
    assert not sp.is_progressive(fixture_checks_row(slope_first_ci_high=0.01))["holds"]
    tests = sp.claim_tests(row)
    assert (tests["at_70"], tests["at_75"], tests["at_80"]) == (True, True, False)
    assert tests["turn"] and tests["holds"] and not tests["robust"]  # fails at 80 %


def test_context_frames_leave_out_implausible_values_and_pounds():
    gmsd = pl.DataFrame({"iso3": ["USA", "USA", "SYR", "GBR"], "year": [1920, 1921, 1946, 1920],
                         "share_gdp_pct": [1.0, 1.2, 94.0, 2.0],
                         "implausible": [False, False, True, False]})  # FIXTURE
    out = sp.gmsd_context(gmsd, countries=("USA", "GBR", "SYR"))
    assert out["iso3"].to_list() == ["GBR", "USA", "USA"]
    nmc = pl.DataFrame({"iso3": ["USA", "USA"], "year": [1913, 1914],
                        "milex_thousand_current": [62_825.0, 253_205.0],
                        "milex_currency": ["GBP", "USD"]})  # FIXTURE (NMC's own 1913/1914)
    spending = sp.nmc_context(nmc, countries=("USA",), first_year=1900)
    assert spending["year"].to_list() == [1914]
    assert spending["milex_usd_bn_current"].item() == pytest.approx(0.253205)


def test_era_of_names_the_band():
    assert sp.era_of(sp.eras(), 1952) == "Korean War"
    assert sp.era_of(sp.eras(), 1962) is None


def test_t_intervals_and_bootstrap_p_values_by_hand():
    """The 95 % intervals of OLS slopes agree with statsmodels; a bootstrap p-value counts the
    draws at or above the observed statistic and never falls below 1 / (n_boot + 1)."""
    import statsmodels.api as sm

    from dibtrends.stats import bootstrap

    series = kinked_series(noise_sd=0.2, seed=4)
    x = breaks.design(series["year"].to_numpy().astype(float), (1990,))
    fit = sm.OLS(series["v"].to_numpy(), x).fit()
    slope = iv.t_intervals(np.array([[0.0, 1.0, 1.0]]), fit.params, fit.cov_params(),
                           int(fit.df_resid))[0]
    expected = fit.t_test(np.array([[0.0, 1.0, 1.0]]))
    assert slope[:2] == pytest.approx((expected.effect[0], expected.sd[0][0]))
    assert slope[2:4] == pytest.approx(tuple(expected.conf_int()[0]))
    assert slope[4] == pytest.approx(float(expected.pvalue))
    draws = np.arange(12.0).reshape(1, 12)  # FIXTURE: statistics 0..11, one per draw
    assert bootstrap.p_values(draws, lambda c: [c[0]], [9.0]) == [(1 + 3) / 13]
    assert bootstrap.p_values(draws, lambda c: [c[0]], [99.0]) == [1 / 13]
