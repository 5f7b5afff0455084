"""Guidelines and the 2035 pledge: the formula on hand-computed cases, the trend model and the
joint count interval on tiny made-up series, the GDP-break handling, and the functions on the
real tables."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import polars as pl
import pytest
from scipy import stats

from dibtrends import equipment, pledge
from dibtrends.stats import counts


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


# ----------------------------------------------------------------------------- fixtures
def _series(entity: str, shares, start: int = 2014, gdp=None) -> pl.DataFrame:
    years = list(range(start, start + len(shares)))
    gdp = gdp or [100.0] * len(shares)
    return pl.DataFrame({
        "entity": entity, "is_aggregate": False, "year": years,
        "estimate": [y >= years[-1] - 1 for y in years], "share_gdp_pct": shares,
        "gdp_usd_m_const2015": gdp,
        "milex_usd_m_const2015": [s * g / 100 for s, g in zip(shares, gdp, strict=True)]})


def _members(*codes) -> pl.DataFrame:
    return pl.DataFrame({"iso3": list(codes), "accession_date": [date(1949, 8, 24)] * len(codes)})


@pytest.fixture
def tiny_trend() -> pl.DataFrame:
    """A made-up Ally whose share rises 0.1 pp a year from 1.0 % with +/-0.01 alternating noise.
    Not data."""
    years = range(2014, 2025)
    return _series("AAA", [1.0 + 0.1 * (y - 2014) + (0.01 if y % 2 else -0.01) for y in years])


# ----------------------------------------------------------------------------- trend model
def test_trend_projection_on_a_straight_line(tiny_trend):
    proj, residuals = pledge.fit_trends(tiny_trend, _members("AAA"), window_start=2014,
                                        target_year=2035)
    row = proj.row(0, named=True)
    assert row["slope_pp_per_year"] == pytest.approx(0.1, abs=0.005)
    # 1.0 + 0.1 x 21 = 3.1; the noise moves the intercept by less than 0.01
    assert row["projected_share_pct"] == pytest.approx(3.1, abs=0.03)
    assert row["pi_lower_pct"] < row["projected_share_pct"] < row["pi_upper_pct"]
    assert row["pi_upper_pct"] - row["pi_lower_pct"] < 0.2
    assert row["break_year"] is None and row["series_break"] is False
    reach = counts.trend_count_interval(proj, residuals, 3.0, n_draws=100, seed=1)
    assert reach["point"] == 1 and reach["n_allies"] == 1 and reach["allies_point"] == ["AAA"]


def test_a_gdp_break_shifts_the_level_not_the_slope(tiny_trend):
    """Doubling the share from 2023 on (what a GDP series break does to a ratio) moves the
    fitted level by the jump and leaves the slope and its uncertainty exactly as they were."""
    jumped = tiny_trend.with_columns(
        pl.when(pl.col("year") >= 2023).then(pl.col("share_gdp_pct") + 1.0)
        .otherwise(pl.col("share_gdp_pct")).alias("share_gdp_pct"))
    brk = {"AAA": 2023}
    plain = pledge.fit_trends(tiny_trend, _members("AAA"), breaks=brk)[0].row(0, named=True)
    shifted = pledge.fit_trends(jumped, _members("AAA"), breaks=brk)[0].row(0, named=True)
    assert shifted["break_year"] == 2023
    assert shifted["slope_pp_per_year"] == pytest.approx(plain["slope_pp_per_year"])
    assert shifted["level_shift_pp"] == pytest.approx(plain["level_shift_pp"] + 1.0)
    assert shifted["projected_share_pct"] == pytest.approx(plain["projected_share_pct"] + 1.0)
    assert shifted["prediction_se_pct"] == pytest.approx(plain["prediction_se_pct"])
    # without the level shift, the jump would be read as a steeper trend
    naive = pledge.fit_trends(jumped, _members("AAA"), breaks={})[0].row(0, named=True)
    assert naive["slope_pp_per_year"] > plain["slope_pp_per_year"] + 0.05


def test_gdp_breaks_are_found_from_the_data():
    """A one-year real GDP fall of more than the threshold is a series break; a smaller one is
    not."""
    gdp_a = [100, 101, 102, 103, 60, 61]  # -41.7 % in 2018
    gdp_b = [100, 101, 85, 87, 88, 90]  # -15.8 % in 2016: a recession, not a break
    frame = pl.concat([_series("AAA", [1.0] * 6, gdp=gdp_a), _series("BBB", [1.0] * 6,
                                                                      gdp=gdp_b)])
    breaks = pledge.gdp_series_breaks(frame)
    assert breaks.select("entity", "year").rows() == [("AAA", 2018)]
    assert breaks["change_pct"].item() == pytest.approx(-100 * 43 / 103)
    ordinary = pledge.largest_ordinary_gdp_change(frame)
    assert (ordinary["entity"], ordinary["year"]) == ("BBB", 2016)


def test_average_growth_skips_the_break_step():
    gdp = [100.0, 110.0, 55.0, 60.5]  # +10 %, break, +10 %
    frame = _series("AAA", [1.0] * 4, gdp=gdp)
    g = pledge.average_growth_pct(frame, "gdp_usd_m_const2015", breaks={"AAA": 2016})
    assert g.row(0, named=True)["gdp_usd_m_const2015_cagr_pct"] == pytest.approx(10.0)
    across = pledge.average_growth_pct(frame, "gdp_usd_m_const2015")  # three steps, break in
    assert across["gdp_usd_m_const2015_cagr_pct"].item() == pytest.approx(
        ((60.5 / 100) ** (1 / 3) - 1) * 100)


# ----------------------------------------------------------------------------- count interval
def _two_allies(noise_b) -> tuple[pl.DataFrame, pl.DataFrame]:
    years = range(2014, 2025)
    noise_a = [0.05 if y % 3 == 0 else -0.03 if y % 3 == 1 else -0.02 for y in years]
    a = _series("AAA", [2.0 + 0.1 * (y - 2014) + n for y, n in zip(years, noise_a, strict=True)])
    b = _series("BBB", [2.0 + 0.1 * (y - 2014) + n for y, n in zip(years, noise_b(noise_a),
                                                                  strict=True)])
    return pledge.fit_trends(pl.concat([a, b]), _members("AAA", "BBB"), target_year=2030)


def test_perfectly_correlated_allies_land_together():
    """Two Allies with identical trends and identical deviations: the joint draws put both at
    the target or neither, never one: the count's interval is {0, 2}, never 1."""
    projection, residuals = _two_allies(lambda n: n)
    target = float(projection["projected_share_pct"][0])  # on the line: a coin toss each
    ci = counts.trend_count_interval(projection, residuals, target, n_draws=4000, seed=1)
    dist = dict(ci["distribution"].iter_rows())
    assert 1 not in dist and set(dist) == {0, 2}
    assert dist[2] == pytest.approx(0.5, abs=0.03)


def test_each_allys_draws_reproduce_its_own_prediction_interval():
    """Marginally, the joint draws are the Ally's own t prediction distribution: the share of
    draws at or above its upper 95 % bound is 2.5 %."""
    projection, residuals = _two_allies(lambda n: [-x for x in n])  # opposite deviations
    row = projection.filter(pl.col("entity") == "AAA").row(0, named=True)
    ci = counts.trend_count_interval(projection.filter(pl.col("entity") == "AAA"),
                                     residuals.filter(pl.col("entity") == "AAA"),
                                     row["pi_upper_pct"], n_draws=40_000, seed=2)
    dist = dict(ci["distribution"].iter_rows())
    assert dist.get(1, 0.0) == pytest.approx(0.025, abs=0.004)
    expected = stats.t.sf((row["pi_upper_pct"] - row["projected_share_pct"])
                          / row["prediction_se_pct"], row["df_resid"])
    assert expected == pytest.approx(0.025, abs=1e-6)


def test_negatively_correlated_allies_rarely_land_together():
    projection, residuals = _two_allies(lambda n: [-x for x in n])
    target = float(projection["projected_share_pct"].max())
    ci = counts.trend_count_interval(projection, residuals, target, n_draws=4000, seed=3)
    dist = dict(ci["distribution"].iter_rows())
    assert ci["mean_residual_correlation"] == pytest.approx(-1.0)
    assert dist.get(1, 0) > 0.95


def test_the_count_interval_is_reproducible():
    projection, residuals = _two_allies(lambda n: [x * 0.5 for x in n])
    a, b = (counts.trend_count_interval(projection, residuals, 3.5, n_draws=pledge.TREND_DRAWS,
                                        seed=pledge.TREND_SEED) for _ in range(2))
    assert (a["low"], a["high"], a["mean"]) == (b["low"], b["high"], b["mean"])
    assert a["seed"] == pledge.TREND_SEED and a["n_draws"] == pledge.TREND_DRAWS


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


def test_estimate_years_come_from_the_table(nato):
    assert equipment.estimate_years(nato) == [2023, 2024]


def test_average_growth_equals_end_point_cagr_without_breaks(nato):
    g = pledge.average_growth_pct(nato, "gdp_usd_m_const2015", 2014, 2024)
    usa = nato.filter(pl.col("entity") == "USA").sort("year")["gdp_usd_m_const2015"]
    expected = ((usa[-1] / usa[0]) ** (1 / 10) - 1) * 100
    assert g.filter(pl.col("entity") == "USA")["gdp_usd_m_const2015_cagr_pct"].item() == (
        pytest.approx(expected, rel=1e-12))


def test_luxembourg_is_the_only_gdp_series_break(nato):
    """Luxembourg's real GDP falls 34 % from 2022 to 2023 in NATO's June 2024 tables; no other
    Ally's moves more than 16 % (Montenegro, 2020: -15.3 %)."""
    breaks = pledge.gdp_series_breaks(nato)
    assert breaks.select("entity", "year").rows() == [("LUX", 2023)]
    assert breaks["change_pct"].item() == pytest.approx(-33.874, abs=1e-3)
    ordinary = pledge.largest_ordinary_gdp_change(nato)
    assert (ordinary["entity"], ordinary["year"]) == ("MNE", 2020)
    assert ordinary["change_pct"] == pytest.approx(-15.307, abs=1e-3)


def test_luxembourg_growth_skips_its_series_break(nato):
    g = pledge.average_growth_pct(nato, "gdp_usd_m_const2015", 2014, 2024,
                                  breaks=pledge.gdp_series_breaks(nato))
    lux = g.filter(pl.col("entity") == "LUX")["gdp_usd_m_const2015_cagr_pct"].item()
    series = nato.filter(pl.col("entity") == "LUX", pl.col("year").is_between(2014, 2024)).sort(
        "year")["gdp_usd_m_const2015"].to_list()
    steps = [b / a for a, b, y in zip(series[:-1], series[1:], range(2015, 2025), strict=True)
             if y != 2023]
    assert len(steps) == 9 and 0 < lux < 5
    assert lux == pytest.approx((math.prod(steps) ** (1 / 9) - 1) * 100)


def test_luxembourg_trend_shifts_level_at_the_break(nato, membership):
    """Fitted across the break without a shift, Luxembourg's line would climb 0.07 points a
    year; with the shift its slope is what its spending did within each series."""
    proj, _ = pledge.fit_trends(nato, membership)
    lux = proj.filter(pl.col("entity") == "LUX").row(0, named=True)
    assert lux["break_year"] == 2023 and lux["series_break"]
    assert lux["slope_pp_per_year"] == pytest.approx(0.02464, abs=1e-4)
    assert lux["level_shift_pp"] == pytest.approx(0.58986, abs=1e-4)
    assert lux["projected_share_pct"] == pytest.approx(1.4885, abs=1e-4)
    naive = pledge.fit_trends(nato, membership, breaks={})[0]
    assert naive.filter(pl.col("entity") == "LUX")["slope_pp_per_year"].item() > 0.06
    assert proj.filter(pl.col("break_year").is_not_null())["entity"].to_list() == ["LUX"]


def test_pledge_gap_uses_own_gdp_growth_by_default(nato, membership):
    gap = pledge.pledge_gap(nato, membership)
    assert gap.height == 31 and set(gap["latest_year"]) == {2024}
    deu = gap.filter(pl.col("entity") == "DEU").row(0, named=True)
    assert deu["gap_pp"] == pytest.approx(3.5 - deu["share_gdp_pct_latest"])
    expected = pledge.required_real_growth_pct(deu["share_gdp_pct_latest"], 3.5,
                                               deu["gdp_growth_pct_assumed"], 11)
    assert deu["required_real_growth_pct"] == pytest.approx(expected)
    assert deu["already_above"] is False and deu["growth_to_stay_pct"] is None


def test_poland_is_already_above_and_needs_no_growth(nato, membership):
    """Poland (4.12 % in 2024e) is shown as already above 3.5 %, not as needing 2.1 % a year;
    2.1 % a year is the growth below which it would fall back under 3.5 % by 2035."""
    gap = pledge.pledge_gap(nato, membership)
    pol = gap.filter(pl.col("entity") == "POL").row(0, named=True)
    assert pol["already_above"] is True
    assert pol["required_real_growth_pct"] is None and pol["needs_faster_growth"] is None
    assert pol["growth_to_stay_pct"] == pytest.approx(2.0986, abs=1e-4)
    assert pol["growth_to_stay_pct"] < pol["gdp_growth_pct_assumed"]
    # compounding the fall-back growth for 11 years lands exactly on the target
    s = pol["share_gdp_pct_latest"] * ((1 + pol["growth_to_stay_pct"] / 100)
                                       / (1 + pol["gdp_growth_pct_assumed"] / 100)) ** 11
    assert s == pytest.approx(3.5)


def test_fifteen_of_thirty_need_faster_growth_and_luxembourg_decides_it(nato, membership):
    """15 of the 30 Allies below 3.5 % need faster real growth than in 2014-2024 when
    Luxembourg's GDP growth skips its 2023 break; taken across the break (-1.9 % a year) it
    would need only 7.4 % a year, below its own 11.2 %, and the count would be 14."""
    gap = pledge.pledge_gap(nato, membership)
    below = gap.filter(~pl.col("already_above"))
    assert below.height == 30
    assert int(below["needs_faster_growth"].sum()) == 15
    assert pledge.faster_growth_if_breaks_ignored(gap) == 14
    lux = gap.filter(pl.col("entity") == "LUX").row(0, named=True)
    assert lux["gdp_break_year"] == 2023 and lux["needs_faster_growth"] is True
    assert lux["gdp_growth_pct_across_break"] == pytest.approx(-1.944, abs=1e-3)
    assert lux["gdp_growth_pct_assumed"] == pytest.approx(2.443, abs=1e-3)


def test_pledge_gap_with_common_gdp_growth(nato, membership):
    gap = pledge.pledge_gap(nato, membership, gdp_growth_pct=1.5, target_share_pct=3.5)
    assert np.allclose(gap["gdp_growth_pct_assumed"].to_numpy(), 1.5)
    pol = gap.filter(pl.col("entity") == "POL").row(0, named=True)
    assert pol["gap_pp"] < 0 and pol["growth_to_stay_pct"] < 1.5
    assert pledge.faster_growth_if_breaks_ignored(gap) == int(gap["needs_faster_growth"].sum())


def test_target_year_must_follow_latest_year(nato, membership):
    with pytest.raises(ValueError, match="after the latest year"):
        pledge.pledge_gap(nato, membership, target_year=2024)


def test_joint_count_interval_on_the_real_trends(nato, membership):
    """5 of 31 Allies reach 3.5 % by 2035 on their 2014-2024 lines; jointly drawn, the count's
    95 % interval is 3 to 10 (seed 20250625, 10,000 draws). The 31 separate intervals' bounds
    (2 and 13) are wider than the count's interval and are not one."""
    projection, residuals = pledge.fit_trends(nato, membership)
    ci = counts.trend_count_interval(projection, residuals, 3.5, n_draws=pledge.TREND_DRAWS,
                                     seed=pledge.TREND_SEED)
    assert (ci["point"], ci["low"], ci["high"], ci["n_allies"]) == (5, 3, 10, 31)
    assert ci["coverage"] >= 0.95
    assert ci["mean"] == pytest.approx(6.19, abs=0.05)
    assert ci["median_residual_autocorrelation"] == pytest.approx(0.320, abs=1e-3)
    assert ci["mean_residual_correlation"] == pytest.approx(0.2195, abs=1e-3)
    assert (ci["lower_pi"], ci["upper_pi"]) == (2, 13)


def test_charts_build_with_units_and_estimates(nato, membership):
    import json

    from dibtrends.charts import guidelines as charts

    status = pledge.guideline_status(nato, membership)
    years = equipment.estimate_years(nato)
    for which in ("gdp", "equipment"):
        spec = json.dumps(charts.guideline_heatmap(status, which, "nato_defexp_2024",
                                                   years).to_dict())
        assert "2024e" in spec and "Source: NATO" in spec
    gap = pledge.pledge_gap(nato, membership)
    proj, res = pledge.fit_trends(nato, membership)
    spec = json.dumps(charts.gap_chart(gap, proj, "nato_defexp_2024", years).to_dict())
    assert "% of GDP (2015 prices)" in spec and "5 of 31 Allies reach it" in spec
    assert "Luxembourg: trend with a level shift" in spec
    spec = json.dumps(charts.required_growth_chart(gap, 2014, "nato_defexp_2024").to_dict())
    assert "% per year (2015 prices)" in spec and "already there" in spec
    ci = counts.trend_count_interval(proj, res, 3.5, n_draws=pledge.TREND_DRAWS,
                                     seed=pledge.TREND_SEED)
    spec = json.dumps(charts.count_distribution_chart(ci, 3.5, 2035, "2014–2024",
                                                      "nato_defexp_2024").to_dict())
    assert "3 to 10 of 31" in spec and "not a forecast" in spec


def test_ols_prediction_interval_agrees_with_statsmodels():
    """The trend projections use textbook OLS (no statsmodels import in the kernels); the
    numbers must be statsmodels' to rounding, with and without a level shift."""
    import numpy as np
    import statsmodels.api as sm

    rng = np.random.default_rng(7)
    years = np.arange(11.0)
    for shift in (False, True):
        cols = [np.ones(11), years] + ([(years >= 9).astype(float)] if shift else [])
        x = np.column_stack(cols)
        y = 1.2 + 0.05 * years + rng.normal(0, 0.1, 11) + (0.4 * (years >= 9) if shift else 0)
        x0 = np.array([1.0, 21.0] + ([1.0] if shift else []))
        ours = counts.ols_prediction(x, y, x0, 0.05)
        fit = sm.OLS(y, x).fit()
        frame = fit.get_prediction(x0[None, :]).summary_frame(alpha=0.05)
        assert ours.params == pytest.approx(fit.params, rel=1e-10)
        assert ours.mean == pytest.approx(frame["mean"].iloc[0], rel=1e-10)
        assert ours.pi_lower == pytest.approx(frame["obs_ci_lower"].iloc[0], rel=1e-10)
        assert ours.pi_upper == pytest.approx(frame["obs_ci_upper"].iloc[0], rel=1e-10)
        assert ours.r_squared == pytest.approx(fit.rsquared, rel=1e-10)
        assert ours.df_resid == int(fit.df_resid)
        assert ours.resid == pytest.approx(fit.resid, abs=1e-12)
