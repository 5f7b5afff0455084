"""The long run of NATO military spending as a share of GDP: aggregates, eras, trends, breaks.

Everything here is a pure function of frames the caller passes in (SIPRI rows from
``dibtrends.load.sipri_milex``, a membership panel from ``dibtrends.membership``); nothing reads
files. Two aggregates answer different questions and both are reported:

* the GDP-weighted share, sum of spending / sum of GDP, is the share of the alliance's economy
  that goes to the military (dominated by the United States);
* the simple mean of Allies' shares is the typical Ally's effort, each state counting once.

SIPRI publishes spending and its share of GDP but not GDP itself; GDP in current US$ is recovered
as ``milex_usd_m_current / (share_gdp_pct / 100)`` (both converted at the same market exchange
rate, so the ratio is the GDP SIPRI used). Where an Ally has no figure in a year the aggregate is
computed over the Allies that have one and the gap is reported (``n_missing``, ``missing_*``),
never silently dropped.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import polars as pl
import statsmodels.api as sm
from statsmodels.stats.diagnostic import acorr_ljungbox, breaks_cusumolsresid
from statsmodels.stats.stattools import durbin_watson

GROUPS = ("NATO Europe and Canada", "United States", "NATO total")
_GROUP_FILTER = {
    "NATO Europe and Canada": pl.col("iso3") != "USA",
    "United States": pl.col("iso3") == "USA",
    "NATO total": pl.lit(True),
}
_MILEX_COLUMNS = ("iso3", "year", "share_gdp_pct", "milex_usd_m_current")
_PANEL_COLUMNS = ("iso3", "year", "is_member")


def _require(df: pl.DataFrame, columns, what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"{what} lacks column(s) {missing}; it has {df.columns}")


# --------------------------------------------------------------------------------------------
# Aggregates
# --------------------------------------------------------------------------------------------

def implied_gdp(milex: pl.DataFrame) -> pl.DataFrame:
    """Add ``gdp_usd_m_current`` = spending / share; null where the share is null or zero."""
    _require(milex, _MILEX_COLUMNS, "milex")
    return milex.with_columns(
        pl.when(pl.col("share_gdp_pct") > 0)
        .then(pl.col("milex_usd_m_current") / (pl.col("share_gdp_pct") / 100.0))
        .alias("gdp_usd_m_current"))


def alliance_share_of_gdp(milex: pl.DataFrame, membership_panel: pl.DataFrame,
                          group: str = "NATO total") -> pl.DataFrame:
    """Per year: GDP-weighted and simple-mean share of GDP of ``group``'s Allies, with coverage.

    ``n_allies`` Allies are counted in the year; ``n_weighted`` enter the weighted share (need
    spending and a positive share, so Iceland, with no armed forces and a zero share, has no
    recoverable GDP and is listed in ``missing_weighted``); ``n_mean`` enter the mean (need a
    share); ``n_missing`` have no share at all and are listed in ``missing_mean``;
    ``n_estimated`` of the Allies with a share have at least one figure SIPRI marks as its own
    estimate (blue in the workbook).
    """
    if group not in _GROUP_FILTER:
        raise ValueError(f"group={group!r} is not one of {GROUPS}")
    _require(membership_panel, _PANEL_COLUMNS, "membership_panel")
    members = membership_panel.filter(pl.col("is_member") & _GROUP_FILTER[group]).select(
        "iso3", pl.col("year").cast(pl.Int64))
    estimate = pl.col("estimate") if "estimate" in milex.columns else pl.lit(False)
    rows = members.join(implied_gdp(milex).select(
        "iso3", pl.col("year").cast(pl.Int64), "share_gdp_pct", "milex_usd_m_current",
        "gdp_usd_m_current", estimate.alias("estimate")), on=["iso3", "year"], how="left")
    in_weighted = (pl.col("gdp_usd_m_current").is_not_null()
                   & pl.col("milex_usd_m_current").is_not_null())
    in_mean = pl.col("share_gdp_pct").is_not_null()
    out = rows.group_by("year").agg(
        (pl.col("milex_usd_m_current").filter(in_weighted).sum()
         / pl.col("gdp_usd_m_current").filter(in_weighted).sum() * 100.0)
        .alias("share_gdp_pct_weighted"),
        pl.col("share_gdp_pct").filter(in_mean).mean().alias("share_gdp_pct_mean"),
        pl.len().cast(pl.Int64).alias("n_allies"),
        in_weighted.sum().cast(pl.Int64).alias("n_weighted"),
        in_mean.sum().cast(pl.Int64).alias("n_mean"),
        (~in_mean).sum().cast(pl.Int64).alias("n_missing"),
        (pl.col("estimate").fill_null(False) & in_mean).sum().cast(pl.Int64).alias("n_estimated"),
        pl.col("iso3").filter(~in_weighted).sort().str.join(",").alias("missing_weighted"),
        pl.col("iso3").filter(~in_mean).sort().str.join(",").alias("missing_mean"),
    )
    out = out.with_columns(
        pl.when(pl.col("n_weighted") > 0).then(pl.col("share_gdp_pct_weighted"))
        .alias("share_gdp_pct_weighted"),
        pl.lit(group).alias("group"),
    )
    cols = ["group", "year", "share_gdp_pct_weighted", "share_gdp_pct_mean", "n_allies",
            "n_weighted", "n_mean", "n_missing", "n_estimated", "missing_weighted",
            "missing_mean"]
    return out.select(cols).sort("year")


def alliance_shares(milex: pl.DataFrame, membership_panel: pl.DataFrame,
                    groups=GROUPS) -> pl.DataFrame:
    """:func:`alliance_share_of_gdp` for several groups, stacked (the chart's input)."""
    return pl.concat([alliance_share_of_gdp(milex, membership_panel, g) for g in groups])


def allies_at_or_above(milex: pl.DataFrame, membership_panel: pl.DataFrame, year: int,
                       threshold_pct: float = 2.0) -> pl.DataFrame:
    """Allies counted in ``year`` with their share and whether it reaches ``threshold_pct``."""
    _require(milex, _MILEX_COLUMNS, "milex")
    members = membership_panel.filter(pl.col("is_member") & (pl.col("year") == year))
    return (members.select("iso3", "year")
            .join(milex.select("iso3", "year", "share_gdp_pct"), on=["iso3", "year"], how="left")
            .with_columns((pl.col("share_gdp_pct") >= threshold_pct).alias("meets_threshold"))
            .sort("share_gdp_pct", descending=True, nulls_last=True))


# --------------------------------------------------------------------------------------------
# Eras and simple descriptions of a series
# --------------------------------------------------------------------------------------------

def eras() -> pl.DataFrame:
    """The project's own periodisation for shading charts and grouping years.

    Conventional dates of well-known events, chosen by the dibtrends project, not taken from a
    single published chronology (``basis`` says so on every row). Single-year events are bands
    of one year; the year is the calendar year in which the event happened.
    """
    own = "dibtrends periodisation (conventional dating of the event)"
    rows = [
        ("Korean War", "Korean War", 1950, 1953, "war",
         "June 1950 invasion to July 1953 armistice"),
        ("Détente", "Détente", 1969, 1979, "period",
         "from the start of US-Soviet arms-control talks (1969) to the Soviet invasion of "
         "Afghanistan (Dec. 1979)"),
        ("End of the Cold War", "End of Cold War", 1989, 1991, "period",
         "fall of the Berlin Wall (Nov. 1989) to the dissolution of the USSR (Dec. 1991)"),
        ("9/11", "9/11", 2001, 2001, "event", "attacks of 11 September 2001"),
        ("Crimea", "Crimea", 2014, 2014, "event",
         "Russian annexation of Crimea (Mar. 2014); Wales Summit 2 % guideline (Sept. 2014)"),
        ("Full-scale invasion of Ukraine", "Ukraine 2022", 2022, 2022, "event",
         "24 February 2022"),
    ]
    return pl.DataFrame(rows, schema={"era": pl.Utf8, "label": pl.Utf8, "start_year": pl.Int64,
                                      "end_year": pl.Int64, "kind": pl.Utf8, "note": pl.Utf8},
                        orient="row").with_columns(pl.lit(own).alias("basis"))


def peak_to_trough(series: pl.DataFrame, value: str = "share_gdp_pct_weighted",
                   year: str = "year") -> pl.DataFrame:
    """Peak (highest value), trough (lowest value after the peak), fall in points, and latest."""
    s = series.select(year, value).drop_nulls().sort(year)
    if s.height == 0:
        raise ValueError(f"series has no non-null {value!r}")
    peak = s.sort([value, year], descending=[True, False]).row(0, named=True)
    after = s.filter(pl.col(year) >= peak[year])
    trough = after.sort([value, year]).row(0, named=True)
    latest = s.row(s.height - 1, named=True)
    return pl.DataFrame({
        "peak_year": [peak[year]], "peak_value": [peak[value]],
        "trough_year": [trough[year]], "trough_value": [trough[value]],
        "fall_pp": [peak[value] - trough[value]],
        "latest_year": [latest[year]], "latest_value": [latest[value]],
        "change_since_trough_pp": [latest[value] - trough[value]],
    })


def periods_from_eras(era_table: pl.DataFrame, first_year: int, last_year: int) -> pl.DataFrame:
    """Contiguous periods covering first..last, cut where an era starts and where a band ends.

    A band (war, détente, end of the Cold War) is a period of its own; an event (one year) opens
    a period that runs to the next cut ("9/11 to 2013"); the years after a band are "after" it.
    """
    eras_ = era_table.sort("start_year")
    cuts = {first_year, last_year + 1}
    cuts |= {y for y in eras_["start_year"] if first_year < y <= last_year}
    cuts |= {r["end_year"] + 1 for r in eras_.iter_rows(named=True)
             if r["kind"] != "event" and first_year < r["end_year"] + 1 <= last_year}
    rows = []
    for lo, hi in itertools.pairwise(sorted(cuts)):
        starting = eras_.filter(pl.col("start_year") == lo)
        before = eras_.filter(pl.col("start_year") < lo)
        if starting.height and starting["kind"][0] != "event":
            period = starting["era"][0]
        elif starting.height:
            period = f"{starting['era'][0]} onwards"
        elif before.height:
            period = f"after {before['era'][-1]}"
        else:
            period = "before " + (eras_["era"][0] if eras_.height else "the first era")
        rows.append((period, lo, hi - 1))
    return pl.DataFrame(rows, schema={"period": pl.Utf8, "start_year": pl.Int64,
                                      "end_year": pl.Int64}, orient="row")


def trend_by_era(series: pl.DataFrame, era_table: pl.DataFrame,
                 value: str = "share_gdp_pct_weighted", year: str = "year") -> pl.DataFrame:
    """For each contiguous period: mean, change first->last year, and OLS slope (points/year).

    The slope is descriptive (no inference on 3-15 autocorrelated points); it is null for
    periods shorter than three years.
    """
    s = series.select(year, value).drop_nulls().sort(year)
    periods = periods_from_eras(era_table, s[year].min(), s[year].max())
    rows = []
    for p in periods.iter_rows(named=True):
        part = s.filter(pl.col(year).is_between(p["start_year"], p["end_year"]))
        x, y = part[year].to_numpy().astype(float), part[value].to_numpy()
        slope = float(np.polyfit(x, y, 1)[0]) if part.height >= 3 else None
        rows.append((p["period"], p["start_year"], p["end_year"], part.height,
                     float(y.mean()) if part.height else None,
                     float(y[-1] - y[0]) if part.height else None, slope))
    return pl.DataFrame(rows, schema={
        "period": pl.Utf8, "start_year": pl.Int64, "end_year": pl.Int64, "n_years": pl.Int64,
        "mean_pct": pl.Float64, "change_pp": pl.Float64, "slope_pp_per_year": pl.Float64},
        orient="row")


# --------------------------------------------------------------------------------------------
# Segmented trend with estimated and tested breakpoints
# --------------------------------------------------------------------------------------------

@dataclass
class SegmentedTrend:
    """Tidy results of :func:`segmented_trend`; each attribute is a polars frame."""

    breaks: pl.DataFrame       # one row per selected break: year, sup-F test, HAC Wald test
    segments: pl.DataFrame     # one row per segment: slope, HAC s.e., 95 % CI, p-value
    selection: pl.DataFrame    # one row per number of breaks 0..max: SSR, BIC, sup-F p-value
    diagnostics: pl.DataFrame  # name, value, note: Durbin-Watson, Ljung-Box, CUSUM, AR(1), HAC lags
    fitted: pl.DataFrame       # year, observed, fitted, residual


def _design(t: np.ndarray, breaks: tuple[float, ...]) -> np.ndarray:
    """Continuous piecewise-linear trend: constant, t, and a hinge (t - b)+ per break."""
    cols = [np.ones_like(t), t] + [np.maximum(t - b, 0.0) for b in breaks]
    return np.column_stack(cols)


def _candidates(years: np.ndarray, m: int, min_segment: int) -> list[tuple[int, ...]]:
    """Break-year combinations leaving at least ``min_segment`` years' span in every segment."""
    first, last = int(years.min()), int(years.max())
    admissible = [int(y) for y in years if first + min_segment <= y <= last - min_segment]
    if m == 0:
        return [()]
    return [c for c in itertools.combinations(admissible, m)
            if all(b - a >= min_segment for a, b in itertools.pairwise(c))]


class _Grid:
    """All candidate designs for m breaks, as stacked orthonormal bases: SSR for many y at once."""

    def __init__(self, years: np.ndarray, m: int, min_segment: int) -> None:
        self.combos = _candidates(years, m, min_segment)
        t = years.astype(float)
        if not self.combos:
            self.q = None
            return
        xs = np.stack([_design(t, c) for c in self.combos])  # (C, n, p)
        self.q, _ = np.linalg.qr(xs)                            # (C, n, p)

    def best(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Minimum SSR and argmin combo index for each column of ``y`` (n, B)."""
        ys = y if y.ndim == 2 else y[:, None]
        total = (ys ** 2).sum(axis=0)
        c, n, p = self.q.shape
        proj = np.einsum("cnp,nb->cpb", self.q, ys, optimize=True)
        ssr = total[None, :] - (proj ** 2).sum(axis=1)           # (C, B)
        idx = ssr.argmin(axis=0)
        return ssr[idx, np.arange(ssr.shape[1])], idx


def _ar1(resid: np.ndarray) -> tuple[float, np.ndarray]:
    """AR(1) coefficient of residuals (OLS, no constant) and the centred innovations."""
    phi = float(np.dot(resid[1:], resid[:-1]) / np.dot(resid[:-1], resid[:-1]))
    phi = max(min(phi, 0.98), -0.98)
    innov = resid[1:] - phi * resid[:-1]
    return phi, innov - innov.mean()


def newey_west_lags(n: int) -> int:
    """Newey-West (1994) plug-in rule of thumb: floor(4 (n/100)^(2/9))."""
    return int(math.floor(4 * (n / 100.0) ** (2.0 / 9.0)))


def segmented_trend(series: pl.DataFrame, value: str = "share_gdp_pct_weighted",
                    year: str = "year", max_breaks: int = 3, min_segment: int = 6,
                    alpha: float = 0.05, n_boot: int = 499, seed: int = 1949,
                    hac_lags: int | None = None) -> SegmentedTrend:
    """Fit a continuous piecewise-linear trend whose break years are estimated, then tested.

    Estimation: for m = 0..``max_breaks`` breaks, every admissible set of break years (each
    segment at least ``min_segment`` years long) is fitted by OLS and the set with the smallest
    sum of squared residuals (SSR) kept.

    Testing follows Bai and Perron's (2003) strategy. First a double-maximum test (UDmax) of no
    break against 1..``max_breaks`` breaks; then sequential tests of m against m-1 breaks,
    F = (SSR[m-1] - SSR[m]) / (SSR[m] / (n - m - 2)), comparing the best fits. Because the break
    years were searched for and the residuals are autocorrelated, F tables do not apply (Andrews
    1993): each p-value comes from a sieve bootstrap, drawing series from the null model plus
    AR(1) errors (``n_boot`` draws, fixed ``seed``) and re-running the searches on every draw.
    The number of breaks is 0 unless UDmax rejects at ``alpha``; then 1, plus one more while the
    sequential test rejects. The p-values refer to the *number* of breaks; the best 2-break
    years need not include the best 1-break year.

    The chosen model is refitted with statsmodels OLS and Newey-West (HAC) covariance: slopes per
    segment with 95 % CIs, and a HAC Wald p-value per kink *conditional on its estimated year*
    (shown for completeness; it ignores the search and overstates significance).
    """
    s = series.select(year, value).drop_nulls().sort(year)
    years = s[year].to_numpy().astype(int)
    if np.any(np.diff(years) != 1):
        raise ValueError("segmented_trend needs consecutive years without gaps; got gaps in "
                         f"{years.min()}-{years.max()}")
    y = s[value].to_numpy().astype(float)
    n = len(y)
    rng = np.random.default_rng(seed)
    grids = [_Grid(years, m, min_segment) for m in range(max_breaks + 1)]
    grids = [g for g in grids if g.q is not None]
    best_ssr, best_combo = [], []
    for g in grids:
        ssr, idx = g.best(y)
        best_ssr.append(float(ssr[0]))
        best_combo.append(g.combos[int(idx[0])])

    t = years.astype(float)

    def fit_of(combo):
        x_ = _design(t, combo)
        return x_ @ np.linalg.lstsq(x_, y, rcond=None)[0]

    # One error model for every test: AR(1) fitted to the residuals of the least restricted
    # model (max_breaks). Residuals of a restricted fit would carry an omitted kink as spurious
    # persistence (phi near 1) and drain the tests of power (cf. Bai and Perron 2003, who
    # estimate nuisance parameters under the alternative).
    phi_boot, innov_boot = _ar1(y - fit_of(best_combo[-1]))

    def sieve_draws(null_fit):
        """n_boot series: the null model's fit plus AR(1) errors from resampled innovations."""
        burn = 50
        draws = rng.choice(innov_boot, size=(n + burn, n_boot), replace=True)
        e = np.zeros_like(draws)
        for i in range(1, n + burn):
            e[i] = phi_boot * e[i - 1] + draws[i]
        return null_fit[:, None] + e[burn:]

    def f_stat(ssr_r, ssr_u, m_u, q):
        return (ssr_r - ssr_u) / q / (ssr_u / (n - m_u - 2))

    # UDmax: H0 no break against 1..M breaks (Bai and Perron 2003, double maximum test).
    big_m = len(grids) - 1
    ud_stats = [f_stat(best_ssr[0], best_ssr[m], m, m) for m in range(1, big_m + 1)]
    ud_max = max(ud_stats) if ud_stats else None
    p_ud = None
    if ud_stats:
        ystar = sieve_draws(fit_of(()))
        exceed = 0
        for lo in range(0, n_boot, 100):
            chunk = ystar[:, lo:lo + 100]
            s0, _ = grids[0].best(chunk)
            stats = [f_stat(s0, grids[m].best(chunk)[0], m, m) for m in range(1, big_m + 1)]
            exceed += int((np.max(stats, axis=0) >= ud_max).sum())
        p_ud = (1 + exceed) / (n_boot + 1)

    # Sequential sup-F(m | m-1): best m-break fit against best (m-1)-break fit.
    seq_f: list[float | None] = [None]
    seq_p: list[float | None] = [None]
    for m in range(1, big_m + 1):
        stat = f_stat(best_ssr[m - 1], best_ssr[m], m, 1)
        ystar = sieve_draws(fit_of(best_combo[m - 1]))
        exceed = 0
        for lo in range(0, n_boot, 100):
            chunk = ystar[:, lo:lo + 100]
            s0, _ = grids[m - 1].best(chunk)
            s1, _ = grids[m].best(chunk)
            exceed += int((f_stat(s0, s1, m, 1) >= stat).sum())
        seq_f.append(float(stat))
        seq_p.append((1 + exceed) / (n_boot + 1))

    # Selection: no break unless UDmax rejects; then at least one, adding more while the
    # sequential test rejects.
    chosen = 0
    if p_ud is not None and p_ud < alpha:
        chosen = 1
        while chosen < big_m and seq_p[chosen + 1] < alpha:
            chosen += 1
    sel_rows = []
    for m in range(big_m + 1):
        k = m + 2
        bic = n * math.log(best_ssr[m] / n) + (k + m) * math.log(n)
        sel_rows.append((m, ",".join(str(b) for b in best_combo[m]), best_ssr[m], bic,
                         None if m == 0 else float(ud_stats[m - 1]), seq_f[m], seq_p[m]))
    selection = pl.DataFrame(sel_rows, schema={
        "n_breaks": pl.Int64, "break_years": pl.Utf8, "ssr": pl.Float64, "bic": pl.Float64,
        "f_vs_no_break": pl.Float64, "sup_f_vs_one_fewer": pl.Float64,
        "p_value_bootstrap": pl.Float64}, orient="row").with_columns(
        (pl.col("n_breaks") == chosen).alias("selected"))

    # Final model with HAC inference.
    breaks = best_combo[chosen]
    x = _design(t, breaks)
    lags = newey_west_lags(n) if hac_lags is None else hac_lags
    res = sm.OLS(y, x).fit(cov_type="HAC", cov_kwds={"maxlags": lags}, use_t=True)
    bounds = [int(years[0]), *breaks, int(years[-1])]
    seg_rows = []
    for j in range(len(breaks) + 1):
        r = np.zeros(x.shape[1])
        r[1] = 1.0
        r[2:2 + j] = 1.0
        tt = res.t_test(r)
        lo, hi = np.asarray(tt.conf_int(alpha=0.05)).ravel()
        seg_rows.append((j + 1, bounds[j], bounds[j + 1], float(np.squeeze(tt.effect)),
                         float(np.squeeze(tt.sd)), float(lo), float(hi),
                         float(np.squeeze(tt.pvalue))))
    segments = pl.DataFrame(seg_rows, schema={
        "segment": pl.Int64, "start_year": pl.Int64, "end_year": pl.Int64,
        "slope_pp_per_year": pl.Float64, "se_hac": pl.Float64, "ci95_low": pl.Float64,
        "ci95_high": pl.Float64, "p_value_hac": pl.Float64}, orient="row")

    brk_rows = []
    for j, b in enumerate(breaks):
        sel = selection.filter(pl.col("n_breaks") == j + 1).row(0, named=True)
        brk_rows.append((j + 1, b, float(res.params[2 + j]), float(res.pvalues[2 + j]),
                         sel["sup_f_vs_one_fewer"], sel["p_value_bootstrap"], p_ud))
    breaks_df = pl.DataFrame(brk_rows, schema={
        "break": pl.Int64, "year": pl.Int64, "slope_change_pp_per_year": pl.Float64,
        "p_value_hac_conditional": pl.Float64, "sup_f_vs_one_fewer": pl.Float64,
        "p_value_bootstrap": pl.Float64, "p_value_udmax": pl.Float64}, orient="row")

    resid = np.asarray(res.resid)
    x_lin = _design(t, ())
    resid_lin = y - x_lin @ np.linalg.lstsq(x_lin, y, rcond=None)[0]
    cus_lin = breaks_cusumolsresid(resid_lin, ddof=2)
    cus_fin = breaks_cusumolsresid(resid, ddof=x.shape[1])
    lb = acorr_ljungbox(resid, lags=[1, min(5, n // 4)], return_df=True)
    phi, _ = _ar1(resid)
    diag = [
        ("n_years", float(n), f"{years[0]}-{years[-1]}"),
        ("hac_maxlags", float(lags), "Newey-West lags for HAC standard errors"),
        ("durbin_watson", float(durbin_watson(resid)),
         "about 2 if residuals are uncorrelated; well below 2 = positive autocorrelation"),
        ("ljung_box_p_lag1", float(lb["lb_pvalue"].iloc[0]), "H0: no autocorrelation up to lag 1"),
        (f"ljung_box_p_lag{int(lb.index[-1])}", float(lb["lb_pvalue"].iloc[-1]),
         f"H0: no autocorrelation up to lag {int(lb.index[-1])}"),
        ("ar1_residuals", phi, "first-order autocorrelation of the final model's residuals"),
        ("cusum_linear_stat", float(cus_lin[0]),
         "CUSUM (OLS residuals) of a single linear trend"),
        ("cusum_linear_p", float(cus_lin[1]),
         "H0: one linear trend is stable over the whole period (assumes uncorrelated errors)"),
        ("cusum_final_p", float(cus_fin[1]), "same test on the selected segmented model"),
        ("udmax", float("nan") if ud_max is None else float(ud_max),
         "double-maximum statistic, H0: no break against 1..max_breaks breaks"),
        ("udmax_p", float("nan") if p_ud is None else float(p_ud),
         "sieve-bootstrap p-value of UDmax (accounts for the break search and AR(1) errors)"),
        ("n_breaks_selected", float(chosen), f"UDmax then sequential tests at alpha={alpha}"),
        ("ar1_bootstrap", phi_boot,
         f"AR(1) coefficient of the bootstrap errors ({len(grids) - 1}-break residuals)"),
        ("n_boot", float(n_boot), f"sieve-bootstrap draws per test (seed {seed})"),
        ("min_segment_years", float(min_segment), "shortest admissible segment"),
    ]
    diagnostics = pl.DataFrame(diag, schema={"name": pl.Utf8, "value": pl.Float64,
                                             "note": pl.Utf8}, orient="row")
    fitted = pl.DataFrame({"year": years.astype(np.int64), "observed": y,
                           "fitted": np.asarray(res.fittedvalues), "residual": resid})
    return SegmentedTrend(breaks_df, segments, selection, diagnostics, fitted)


# --------------------------------------------------------------------------------------------
# Does "sixty years of progressive decline" hold? The pieces of the answer, per measure.
# --------------------------------------------------------------------------------------------

def first_complete_year(shares: pl.DataFrame, group: str = "NATO total") -> int:
    """First year from which every Ally counted in ``group`` has a SIPRI share in every year.

    Before it an aggregate covers only some Allies (``n_missing`` > 0); a trend fitted across
    the change would partly measure the arrival of data, not spending.
    """
    s = shares.filter(pl.col("group") == group).sort("year")
    gaps = s.filter(pl.col("n_missing") > 0)
    if gaps.height == 0:
        return int(s["year"].min())
    later = s.filter(pl.col("year") > gaps["year"].max())
    if later.height == 0:
        raise ValueError(f"{group}: no year with complete SIPRI coverage")
    return int(later["year"].min())


def rise_episodes(series: pl.DataFrame, value: str = "share_gdp_pct_weighted",
                  year: str = "year", min_rise_pp: float = 0.3) -> pl.DataFrame:
    """Spells of consecutive year-on-year increases adding up to at least ``min_rise_pp``.

    The counter-evidence to "progressive" decline: each row is a run of rising years, from the
    low it started at to the high it reached.
    """
    s = series.select(year, value).drop_nulls().sort(year)
    ys, vs = s[year].to_list(), s[value].to_list()
    rows, i = [], 1
    while i < len(vs):
        if vs[i] > vs[i - 1]:
            j = i
            while j + 1 < len(vs) and vs[j + 1] > vs[j]:
                j += 1
            rise = vs[j] - vs[i - 1]
            if rise >= min_rise_pp:
                rows.append((ys[i - 1], ys[j], vs[i - 1], vs[j], rise))
            i = j + 1
        else:
            i += 1
    return pl.DataFrame(rows, schema={"from_year": pl.Int64, "to_year": pl.Int64,
                                      "from_value": pl.Float64, "to_value": pl.Float64,
                                      "rise_pp": pl.Float64}, orient="row")


def decline_checks(shares_by_rule: dict[str, pl.DataFrame], group: str = "NATO total",
                   start_year: int | None = None, min_rise_pp: float = 0.3,
                   **trend_kwargs) -> pl.DataFrame:
    """One row per (membership rule, measure): the evidence for and against steady decline.

    For each series from ``start_year`` (default: :func:`first_complete_year`) to the latest
    year: the start value, the lowest value and its year, the latest value, how many year-on-
    year changes were falls up to the low, the rise episodes (:func:`rise_episodes`), and the
    segmented trend (:func:`segmented_trend`, ``trend_kwargs`` passed on): break years, UDmax
    p-value, slope of the first and last segment with 95 % CIs.
    """
    rows = []
    for rule, shares in shares_by_rule.items():
        s_all = shares.filter(pl.col("group") == group)
        first = start_year if start_year is not None else first_complete_year(shares, group)
        for measure, column in (("weighted", "share_gdp_pct_weighted"),
                                ("mean", "share_gdp_pct_mean")):
            s = s_all.filter(pl.col("year") >= first).select("year", column).drop_nulls()
            s = s.sort("year")
            low = s.sort([column, "year"]).row(0, named=True)
            to_low = s.filter(pl.col("year") <= low["year"])[column].diff().drop_nulls()
            rises = rise_episodes(s.filter(pl.col("year") <= low["year"]), column,
                                  min_rise_pp=min_rise_pp)
            fit = segmented_trend(s, value=column, **trend_kwargs)
            diag = dict(zip(fit.diagnostics["name"], fit.diagnostics["value"]))
            seg_first, seg_last = fit.segments.row(0, named=True), fit.segments.row(-1, named=True)
            rows.append({
                "rule": rule, "measure": measure, "group": group,
                "start_year": int(s["year"][0]), "start_value": float(s[column][0]),
                "low_year": int(low["year"]), "low_value": float(low[column]),
                "latest_year": int(s["year"][-1]), "latest_value": float(s[column][-1]),
                "fall_to_low_pp": float(s[column][0] - low[column]),
                "years_to_low": int(low["year"] - s["year"][0]),
                "n_changes_to_low": int(to_low.len()), "n_falls_to_low": int((to_low < 0).sum()),
                "n_rise_episodes": rises.height,
                "largest_rise": (None if rises.height == 0 else
                                 "{from_year}-{to_year} +{rise_pp:.2f} pp".format(
                                     **rises.sort("rise_pp", descending=True).row(0, named=True))),
                "break_years": ",".join(str(b) for b in fit.breaks["year"].to_list()),
                "p_udmax": diag["udmax_p"],
                "slope_first": seg_first["slope_pp_per_year"],
                "slope_first_ci": (seg_first["ci95_low"], seg_first["ci95_high"]),
                "slope_last": seg_last["slope_pp_per_year"],
                "slope_last_ci": (seg_last["ci95_low"], seg_last["ci95_high"]),
                "last_segment_from": seg_last["start_year"],
            })
    out = pl.DataFrame(rows)
    return out.with_columns(
        pl.col("slope_first_ci").list.get(0).alias("slope_first_ci_low"),
        pl.col("slope_first_ci").list.get(1).alias("slope_first_ci_high"),
        pl.col("slope_last_ci").list.get(0).alias("slope_last_ci_low"),
        pl.col("slope_last_ci").list.get(1).alias("slope_last_ci_high"),
    ).drop("slope_first_ci", "slope_last_ci")


def shares_by_rule(milex: pl.DataFrame, membership: pl.DataFrame, years,
                   rules=("accession", "cold_war_16")) -> dict[str, pl.DataFrame]:
    """:func:`alliance_shares` for every group under each membership rule."""
    from .membership import membership_panel

    return {rule: alliance_shares(milex, membership_panel(membership, years, rule))
            for rule in rules}


def coverage_gaps(shares: pl.DataFrame, group: str = "NATO total") -> pl.DataFrame:
    """The years in which some Allies of ``group`` have no SIPRI share, and which ones."""
    return (shares.filter((pl.col("group") == group) & (pl.col("n_missing") > 0))
            .select("year", "n_allies", "n_missing", "missing_mean", "n_estimated")
            .rename({"missing_mean": "allies_without_data"}))


def peaks_and_troughs(shares: pl.DataFrame, groups=GROUPS) -> pl.DataFrame:
    """:func:`peak_to_trough` for each group and both measures, one row each."""
    rows = []
    for group in groups:
        s = shares.filter(pl.col("group") == group)
        for measure, column in (("weighted", "share_gdp_pct_weighted"),
                                ("mean", "share_gdp_pct_mean")):
            if group == "United States" and measure == "mean":
                continue  # one country: the mean is the share
            rows.append(peak_to_trough(s, value=column).with_columns(
                pl.lit(group).alias("group"), pl.lit(measure).alias("measure")))
    return pl.concat(rows).select("group", "measure", pl.exclude("group", "measure"))


#: What the verdict calls "progressive": at least this share of annual changes are falls ...
PROGRESSIVE_MIN_SHARE_OF_FALLS = 0.75
#: ... and no run of rising years adds up to more than this many percentage points.
PROGRESSIVE_MAX_RISE_PP = 0.5
_RULE_WORDS = {"accession": "Allies counted from the year they joined",
               "cold_war_16": "the same 16 Cold War Allies in every year"}
_MEASURE_WORDS = {"weighted": "GDP-weighted share (the alliance's spending over its GDP)",
                  "mean": "simple mean of Allies' shares (the typical Ally)"}


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _largest_rise_pp(text: str | None) -> float:
    return 0.0 if not text else float(text.split("+")[1].split()[0])


def decline_verdict(checks: pl.DataFrame) -> str:
    """Markdown: does "sixty years of progressive decline" hold, per measure and rule?

    Built only from :func:`decline_checks`; the thresholds that define "progressive" are the
    module constants above and are stated in the text.
    """
    lines = []
    verdicts = {}
    for r in checks.iter_rows(named=True):
        share_falls = r["n_falls_to_low"] / r["n_changes_to_low"]
        rise = _largest_rise_pp(r["largest_rise"])
        declining = r["slope_first_ci_high"] < 0
        progressive = (share_falls >= PROGRESSIVE_MIN_SHARE_OF_FALLS
                       and rise <= PROGRESSIVE_MAX_RISE_PP)
        long_enough = r["years_to_low"] >= 50
        if r["slope_last_ci_low"] > 0:
            since = (f"it has risen since {r['last_segment_from']} "
                     f"({r['slope_last']:+.3f} points a year, 95 % CI "
                     f"{r['slope_last_ci_low']:+.3f} to {r['slope_last_ci_high']:+.3f})")
        elif r["slope_last_ci_high"] < 0:
            since = (f"it was still falling after {r['last_segment_from']} "
                     f"({r['slope_last']:+.3f} points a year, 95 % CI "
                     f"{r['slope_last_ci_low']:+.3f} to {r['slope_last_ci_high']:+.3f})")
        else:
            since = (f"it has had no clear trend since {r['last_segment_from']} "
                     f"({r['slope_last']:+.3f} points a year, 95 % CI "
                     f"{r['slope_last_ci_low']:+.3f} to {r['slope_last_ci_high']:+.3f})")
        breaks = (f"the estimated trend break is {r['break_years']} (UDmax bootstrap p = "
                  f"{r['p_udmax']:.3f})" if r["break_years"] else
                  f"no trend break passes the test (UDmax bootstrap p = {r['p_udmax']:.3f})")
        holds = declining and progressive and long_enough
        outcome = f"holds for {r['start_year']}-{r['low_year']}" if holds else "does not hold"
        verdicts[(r["rule"], r["measure"])] = (holds, declining, progressive)
        lines.append(
            f"- **{_upper_first(_MEASURE_WORDS[r['measure']])}, {_RULE_WORDS[r['rule']]}:** "
            f"{r['start_value']:.1f} % of GDP in {r['start_year']}, lowest {r['low_value']:.2f} % "
            f"in {r['low_year']} ({r['years_to_low']} years, {r['fall_to_low_pp']:.1f} points); "
            f"{r['n_falls_to_low']} of {r['n_changes_to_low']} annual changes to the low were "
            f"falls; largest rise on the way down {r['largest_rise'] or 'none'}. "
            f"{_upper_first(breaks)}; {since}; {r['latest_value']:.2f} % in {r['latest_year']}. "
            f"*Sixty years of progressive decline: {outcome}"
            + ("" if holds else " (" + "; ".join(
                w for w, bad in (("no significant decline", not declining),
                                 ("interrupted by rises", not progressive),
                                 ("shorter than fifty years", not long_enough)) if bad) + ")")
            + ".*")
    held = [k for k, v in verdicts.items() if v[0]]
    failed = [k for k, v in verdicts.items() if not v[0]]

    def names(keys):
        return "; ".join(f"{_MEASURE_WORDS[m].split(' (')[0]} with {_RULE_WORDS[r]}"
                         for r, m in keys)

    head = (f"We call a decline *progressive* if at least "
            f"{PROGRESSIVE_MIN_SHARE_OF_FALLS:.0%} of the annual changes to the low are falls "
            f"and no run of rising years adds more than {PROGRESSIVE_MAX_RISE_PP} points, and "
            f"count fifty years or more as the claim's \"sixty\". Series start in the first year "
            f"in which every counted Ally has SIPRI data.")
    if held and failed:
        summary = (f"**The claim holds only in part.** It holds for: {names(held)}. "
                   f"It does not hold for: {names(failed)}.")
    elif held:
        summary = "**The claim holds under every measure and membership rule tested.**"
    else:
        summary = "**The claim does not hold under any measure or membership rule tested.**"
    return "\n\n".join([summary, head, "\n".join(lines)])


def era_of(era_table: pl.DataFrame, year: int) -> str | None:
    """The name of the era band containing ``year``, or None."""
    hit = era_table.filter((pl.col("start_year") <= year) & (pl.col("end_year") >= year))
    return hit["era"][0] if hit.height else None
