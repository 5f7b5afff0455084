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

The rest of the module tests the long decline: a segmented trend with estimated, bootstrapped
breaks (and how its verdict depends on the error model and the lag rule), the evidence for and
against "progressive" decline, and context before 1949 from two other sources (OWID's Global
Military Spending Dataset, Correlates of War NMC) that are compared with SIPRI but never joined
to it. Wording for readers lives in :mod:`dibtrends.chapters.long_run`.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import special

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

#: Settings of the break search and tests (the chapter states them in words).
MAX_BREAKS = 3
MIN_SEGMENT = 6
ALPHA = 0.05
SEED = 1949
#: AR(1) coefficients are kept inside (-AR_CLIP, AR_CLIP) so the simulated errors stay
#: stationary; a residual series at the clip behaves like a random walk.
AR_CLIP = 0.98
#: The error models of the sensitivity analysis: whose residuals give the AR(1) coefficient.
ERROR_MODELS = ("no_break", "selected", "max_breaks")


@dataclass(frozen=True)
class SegmentedTrend:
    """Tidy results of :func:`segmented_trend`; each attribute is a polars frame."""

    breaks: pl.DataFrame        # one row per selected break: year, sup-F test, HAC Wald test
    segments: pl.DataFrame      # one row per segment: slope, s.e. (AR(1) errors), 95 % CI
    selection: pl.DataFrame     # one row per number of breaks 0..max: SSR, BIC, bootstrap p
    diagnostics: pl.DataFrame   # name, value, note: residual checks and test settings
    fitted: pl.DataFrame        # year, observed, fitted, residual
    error_models: pl.DataFrame  # the no-break test's p-value under each error model
    hac: pl.DataFrame           # slope intervals under the AR(1) model and two HAC lag rules
    n_boot: int = 0

    @property
    def n_breaks(self) -> int:
        return self.breaks.height

    @property
    def bic_choice(self) -> dict:
        """The row of :attr:`selection` with the lowest BIC."""
        return self.selection.sort("bic").row(0, named=True)

    def diagnostic(self, name: str) -> float:
        return self.diagnostics.filter(pl.col("name") == name)["value"].item()


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
    """Every candidate m-break design at once: the SSR of each for many series in one product.

    Each design is [1, t, hinges]. Projecting out the common straight line first (``m0``), the
    SSR of a design is |m0 y|^2 - |Q' m0 y|^2 with Q an orthonormal basis of its residualised
    hinges. The bootstrap evaluates it in single precision (the F statistics need four digits,
    not fifteen, and it runs several times faster); the observed series in double precision.
    """

    def __init__(self, years: np.ndarray, m: int, min_segment: int) -> None:
        self.m = m
        self.combos = _candidates(years, m, min_segment)
        t = years.astype(float)
        q0, _ = np.linalg.qr(_design(t, ()))
        self.m0 = np.eye(len(t)) - q0 @ q0.T
        if not self.combos:
            self.q64 = None
            return
        if m == 0:
            self.q64 = np.zeros((len(t), 0))
        else:
            b = np.asarray(self.combos, dtype=float)                     # (C, m)
            hinges = np.maximum(t[None, :, None] - b[:, None, :], 0.0)  # (C, n, m)
            n, c = len(t), len(self.combos)
            resid = (self.m0 @ hinges.transpose(1, 0, 2).reshape(n, -1)).reshape(n, c, m)
            q, _ = np.linalg.qr(resid.transpose(1, 0, 2))
            # (n, C*m): one matrix product gives every design's projections of many series.
            self.q64 = np.ascontiguousarray(q.transpose(1, 0, 2)).reshape(len(t), -1)
        self.q32 = self.q64.astype(np.float32)

    def best(self, y: np.ndarray, exact: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Minimum SSR and the index of its combination, for each column of ``y`` (n, B)."""
        ys = y if y.ndim == 2 else y[:, None]
        r = self.m0 @ ys
        total = (r ** 2).sum(axis=0)
        if self.m == 0:
            return total, np.zeros(ys.shape[1], dtype=int)
        if exact:
            proj = r.T @ self.q64
        else:
            proj = r.T.astype(np.float32) @ self.q32
        proj = proj.reshape(ys.shape[1], len(self.combos), self.m)    # (B, C, m)
        explained = np.einsum("bcm,bcm->bc", proj, proj)              # (B, C)
        idx = explained.argmax(axis=1)
        return total - explained[np.arange(ys.shape[1]), idx].astype(np.float64), idx


@functools.lru_cache(maxsize=16)
def _grid(years: tuple[int, ...], m: int, min_segment: int) -> _Grid:
    """Grids depend only on the years: every series over the same years shares them."""
    return _Grid(np.asarray(years), m, min_segment)


def _ar1(resid: np.ndarray) -> tuple[float, np.ndarray]:
    """AR(1) coefficient of residuals (OLS, no constant) and the centred innovations."""
    phi = float(np.dot(resid[1:], resid[:-1]) / np.dot(resid[:-1], resid[:-1]))
    phi = max(min(phi, AR_CLIP), -AR_CLIP)
    innov = resid[1:] - phi * resid[:-1]
    return phi, innov - innov.mean()


def newey_west_lags(n: int) -> int:
    """Newey-West (1994) rule of thumb, floor(4 (n/100)^(2/9)): ignores how persistent the
    residuals are (3 lags for 66 years). Shown only for comparison."""
    return int(math.floor(4 * (n / 100.0) ** (2.0 / 9.0)))


def andrews_lags(resid: np.ndarray) -> tuple[int, float, float]:
    """Andrews (1991) automatic bandwidth for the Bartlett (Newey-West) kernel, AR(1) plug-in.

    With rho the AR(1) coefficient of the residuals, alpha = 4 rho^2 / ((1 - rho)^2 (1 + rho)^2)
    and the bandwidth is 1.1447 (alpha n)^(1/3): the more persistent the residuals, the more
    lags the standard errors allow for. Returns (lags, rho, bandwidth); lags is the bandwidth
    rounded down, at most half the sample.
    """
    n = len(resid)
    rho, _ = _ar1(resid)
    alpha = 4 * rho ** 2 / ((1 - rho) ** 2 * (1 + rho) ** 2)
    bandwidth = 1.1447 * (alpha * n) ** (1 / 3)
    return max(1, min(int(math.floor(bandwidth)), n // 2)), rho, bandwidth


def ar1_covariance(x: np.ndarray, resid: np.ndarray) -> np.ndarray:
    """Covariance of OLS coefficients when the errors are AR(1): (X'X)^-1 X' S X (X'X)^-1 with
    S[i, j] = s2 rho^|i-j| / (1 - rho^2), rho and the innovation variance s2 from ``resid``.

    The AR(1) coefficient of OLS residuals is biased towards zero in short samples, so these
    intervals are, if anything, still too narrow.
    """
    n, k = x.shape
    rho, _ = _ar1(resid)
    innov = resid[1:] - rho * resid[:-1]
    s2 = float(innov @ innov) / (n - 1 - k)
    lag = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    sigma = s2 * rho ** lag / (1 - rho ** 2)
    xtx_inv = np.linalg.inv(x.T @ x)
    return xtx_inv @ x.T @ sigma @ x @ xtx_inv


def hac_covariance(x: np.ndarray, resid: np.ndarray, lags: int) -> np.ndarray:
    """Newey-West (Bartlett kernel) covariance of OLS coefficients with ``lags`` lags, as
    statsmodels' ``OLS.fit(cov_type="HAC")`` computes it (no small-sample factor)."""
    scores = x * resid[:, None]
    s = scores.T @ scores
    for j in range(1, lags + 1):
        gamma = scores[j:].T @ scores[:-j]
        s += (1 - j / (lags + 1)) * (gamma + gamma.T)
    xtx_inv = np.linalg.inv(x.T @ x)
    return xtx_inv @ s @ xtx_inv


def durbin_watson(resid: np.ndarray) -> float:
    return float(np.sum(np.diff(resid) ** 2) / np.sum(resid ** 2))


def ljung_box_p(resid: np.ndarray, lags: int) -> float:
    """p-value of the Ljung-Box test of no autocorrelation up to ``lags``."""
    n = len(resid)
    e = resid - resid.mean()
    denom = float(e @ e)
    acf = np.array([float(e[k:] @ e[:-k]) / denom for k in range(1, lags + 1)])
    q = n * (n + 2) * np.sum(acf ** 2 / (n - np.arange(1, lags + 1)))
    return float(special.chdtrc(lags, q))


def cusum_ols(resid: np.ndarray, ddof: int = 0) -> tuple[float, float]:
    """Ploberger-Kraemer CUSUM test on OLS residuals: sup of the scaled cumulative residuals
    and its p-value from the Brownian-bridge (Kolmogorov) distribution."""
    n = len(resid)
    scale = float(resid @ resid) / (n - ddof) * n
    sup_b = float(np.abs(np.cumsum(resid) / np.sqrt(scale)).max())
    return sup_b, float(special.kolmogorov(sup_b))


def _t_quantile(p: float, df: int) -> float:
    return float(special.stdtrit(df, p))


def _t_two_sided_p(t_value: float, df: int) -> float:
    return float(2 * special.stdtr(df, -abs(t_value)))


def _sieve_draws(rng: np.random.Generator, null_fit: np.ndarray, phi: float,
                 innov: np.ndarray, n_boot: int, burn: int = 50) -> np.ndarray:
    """n_boot series: the null model's fit plus AR(1) errors from resampled innovations."""
    n = len(null_fit)
    draws = rng.choice(innov, size=(n + burn, n_boot), replace=True)
    e = np.zeros_like(draws)
    for i in range(1, n + burn):
        e[i] = phi * e[i - 1] + draws[i]
    return null_fit[:, None] + e[burn:]


def _f_stat(ssr_r, ssr_u, m_u: int, q: int, n: int):
    return (ssr_r - ssr_u) / q / (ssr_u / (n - m_u - 2))


_CHUNK = 250


def _no_break_pvalues(grids: list[_Grid], ystar: np.ndarray, ud_max: float, f_one: float,
                      n: int) -> tuple[float, float]:
    """Bootstrap p-values of UDmax (no break against 1..M) and of sup-F(1 | 0)."""
    n_boot = ystar.shape[1]
    exceed_ud = exceed_one = 0
    for lo in range(0, n_boot, _CHUNK):
        chunk = ystar[:, lo:lo + _CHUNK]
        s0, _ = grids[0].best(chunk)
        stats = [_f_stat(s0, grids[m].best(chunk)[0], m, m, n) for m in range(1, len(grids))]
        exceed_ud += int((np.max(stats, axis=0) >= ud_max).sum())
        exceed_one += int((stats[0] >= f_one).sum())
    return (1 + exceed_ud) / (n_boot + 1), (1 + exceed_one) / (n_boot + 1)


def segmented_trend(series: pl.DataFrame, value: str = "share_gdp_pct_weighted",
                    year: str = "year", max_breaks: int = MAX_BREAKS,
                    min_segment: int = MIN_SEGMENT, alpha: float = ALPHA, n_boot: int = 499,
                    seed: int = SEED) -> SegmentedTrend:
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

    The error model matters. The tests draw AR(1) errors with the coefficient of the
    ``max_breaks`` model's residuals (estimated under the alternative, as Bai and Perron do);
    residuals of a model with fewer breaks carry any omitted kink as extra persistence.
    ``error_models`` repeats the no-break tests with the coefficient of the no-break model's
    residuals and of the selected model's (same random numbers), so a reader sees how much the
    verdict depends on that choice. The smallest p-value a bootstrap can give is
    1 / (``n_boot`` + 1).

    The chosen model's slopes are OLS estimates; their 95 % intervals come from the same AR(1)
    error model the tests use (:func:`ar1_covariance`), with a p-value per kink *conditional on
    its estimated year* (it ignores the search and overstates significance). Why not HAC: with
    residuals this persistent (AR(1) about 0.9 in 66 years) kernel estimators are biased
    towards zero whatever the lag rule (Kiefer and Vogelsang 2005; Müller 2014); ``hac`` sets
    the AR(1) intervals beside Newey-West HAC with the fixed rule of thumb
    (:func:`newey_west_lags`) and with Andrews' (1991) automatic bandwidth
    (:func:`andrews_lags`), so a reader sees the consequence of the choice.

    Results are cached per series and settings: the chapter asks for the same fit several
    times (its analysis, its claim, its charts) and pays for the bootstrap once.
    """
    s = series.select(year, value).drop_nulls().sort(year)
    years = s[year].to_numpy().astype(int)
    if np.any(np.diff(years) != 1):
        raise ValueError("segmented_trend needs consecutive years without gaps; got gaps in "
                         f"{years.min()}-{years.max()}")
    return _segmented_trend(tuple(int(v) for v in years),
                            tuple(float(v) for v in s[value].to_numpy()),
                            max_breaks, min_segment, alpha, n_boot, seed)


@functools.lru_cache(maxsize=64)
def _segmented_trend(years_t: tuple[int, ...], y_t: tuple[float, ...], max_breaks: int,
                     min_segment: int, alpha: float, n_boot: int, seed: int) -> SegmentedTrend:
    years = np.asarray(years_t)
    y = np.asarray(y_t, dtype=float)
    n = len(y)
    t = years.astype(float)
    grids = [_grid(years_t, m, min_segment) for m in range(max_breaks + 1)]
    grids = [g for g in grids if g.q64 is not None]
    best_ssr, best_combo = [], []
    for g in grids:
        ssr, idx = g.best(y, exact=True)
        best_ssr.append(float(ssr[0]))
        best_combo.append(g.combos[int(idx[0])])

    def fit_of(combo):
        x_ = _design(t, combo)
        return x_ @ np.linalg.lstsq(x_, y, rcond=None)[0]

    big_m = len(grids) - 1
    rng = np.random.default_rng(seed)
    # One error model for the selection: AR(1) fitted to the residuals of the least
    # restricted model (max_breaks); see the docstring and ``error_models``.
    phi_boot, innov_boot = _ar1(y - fit_of(best_combo[-1]))

    # UDmax: H0 no break against 1..M breaks (Bai and Perron 2003, double maximum test).
    ud_stats = [_f_stat(best_ssr[0], best_ssr[m], m, m, n) for m in range(1, big_m + 1)]
    ud_max = max(ud_stats) if ud_stats else None
    p_ud = p_one = None
    if ud_stats:
        ystar = _sieve_draws(rng, fit_of(()), phi_boot, innov_boot, n_boot)
        p_ud, p_one = _no_break_pvalues(grids, ystar, ud_max, ud_stats[0], n)

    # Sequential sup-F(m | m-1): best m-break fit against best (m-1)-break fit.
    seq_f: list[float | None] = [None]
    seq_p: list[float | None] = [None]
    for m in range(1, big_m + 1):
        stat = _f_stat(best_ssr[m - 1], best_ssr[m], m, 1, n)
        ystar = _sieve_draws(rng, fit_of(best_combo[m - 1]), phi_boot, innov_boot, n_boot)
        exceed = 0
        for lo in range(0, n_boot, _CHUNK):
            chunk = ystar[:, lo:lo + _CHUNK]
            s0, _ = grids[m - 1].best(chunk)
            s1, _ = grids[m].best(chunk)
            exceed += int((_f_stat(s0, s1, m, 1, n) >= stat).sum())
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

    # The no-break tests under the other error models, with the same random numbers.
    em_rows = []
    models = {"no_break": 0, "selected": chosen, "max_breaks": big_m}
    for name, m in models.items():
        if name != "max_breaks" and m == big_m or name == "selected" and m == 0:
            continue  # the same model as another row
        phi, innov = _ar1(y - fit_of(best_combo[m]))
        if name == "max_breaks" or ud_max is None:
            p_u, p_1 = p_ud, p_one
        else:
            ystar = _sieve_draws(np.random.default_rng(seed), fit_of(()), phi, innov, n_boot)
            p_u, p_1 = _no_break_pvalues(grids, ystar, ud_max, ud_stats[0], n)
        em_rows.append((name, m, ",".join(str(b) for b in best_combo[m]), phi, p_u, p_1,
                        name == "max_breaks"))
    error_models = pl.DataFrame(em_rows, schema={
        "error_model": pl.Utf8, "n_breaks": pl.Int64, "break_years": pl.Utf8,
        "ar1": pl.Float64, "p_value_udmax": pl.Float64, "p_value_one_vs_none": pl.Float64,
        "used_for_selection": pl.Boolean}, orient="row").sort("ar1", descending=True)

    # Final model: OLS slopes; intervals from the AR(1) error model, HAC rules beside them.
    breaks = best_combo[chosen]
    x = _design(t, breaks)
    coef = np.linalg.lstsq(x, y, rcond=None)[0]
    fitted_values = x @ coef
    resid_ols = y - fitted_values
    auto_lags, rho_sel, bandwidth = andrews_lags(resid_ols)
    thumb_lags = newey_west_lags(n)
    cov_ar1 = ar1_covariance(x, resid_ols)
    covs = {"ar1": cov_ar1,
            "hac_automatic": hac_covariance(x, resid_ols, auto_lags),
            "hac_rule_of_thumb": hac_covariance(x, resid_ols, thumb_lags)}
    df_resid = n - x.shape[1]
    t_crit = _t_quantile(0.975, df_resid)
    bounds = [int(years[0]), *breaks, int(years[-1])]

    def segment_rows(cov):
        rows = []
        for j in range(len(breaks) + 1):
            r = np.zeros(x.shape[1])
            r[1] = 1.0
            r[2:2 + j] = 1.0
            slope, se = float(r @ coef), float(np.sqrt(r @ cov @ r))
            p = _t_two_sided_p(slope / se, df_resid)
            rows.append((j + 1, bounds[j], bounds[j + 1], slope, se, slope - t_crit * se,
                         slope + t_crit * se, p))
        return rows

    seg_schema = {"segment": pl.Int64, "start_year": pl.Int64, "end_year": pl.Int64,
                  "slope_pp_per_year": pl.Float64, "se": pl.Float64,
                  "ci95_low": pl.Float64, "ci95_high": pl.Float64, "p_value": pl.Float64}
    by_method = {k: pl.DataFrame(segment_rows(c), schema=seg_schema, orient="row")
                 for k, c in covs.items()}
    segments = by_method["ar1"]
    hac = pl.concat([
        f.select("segment", "start_year", "end_year", "slope_pp_per_year", "se", "ci95_low",
                 "ci95_high").with_columns(
            pl.lit(method).alias("method"),
            pl.lit({"ar1": None, "hac_automatic": auto_lags,
                    "hac_rule_of_thumb": thumb_lags}[method], dtype=pl.Int64).alias("lags"),
            (pl.col("se") / by_method["hac_rule_of_thumb"]["se"]).alias("se_ratio"))
        for method, f in by_method.items()]).select(
        "method", "lags", "segment", "start_year", "end_year", "slope_pp_per_year", "se",
        "ci95_low", "ci95_high", "se_ratio")

    brk_rows = []
    for j, b in enumerate(breaks):
        sel = selection.filter(pl.col("n_breaks") == j + 1).row(0, named=True)
        se_kink = float(np.sqrt(cov_ar1[2 + j, 2 + j]))
        p_kink = _t_two_sided_p(coef[2 + j] / se_kink, df_resid)
        brk_rows.append((j + 1, b, float(coef[2 + j]), p_kink,
                         sel["sup_f_vs_one_fewer"], sel["p_value_bootstrap"], p_ud))
    breaks_df = pl.DataFrame(brk_rows, schema={
        "break": pl.Int64, "year": pl.Int64, "slope_change_pp_per_year": pl.Float64,
        "p_value_conditional": pl.Float64, "sup_f_vs_one_fewer": pl.Float64,
        "p_value_bootstrap": pl.Float64, "p_value_udmax": pl.Float64}, orient="row")

    resid = resid_ols
    x_lin = _design(t, ())
    resid_lin = y - x_lin @ np.linalg.lstsq(x_lin, y, rcond=None)[0]
    cus_lin = cusum_ols(resid_lin, ddof=2)
    cus_fin = cusum_ols(resid, ddof=x.shape[1])
    lb_lag = min(5, n // 4)
    diag = [
        ("n_years", float(n), f"{years[0]}-{years[-1]}"),
        ("ar1_residuals", rho_sel, "first-order autocorrelation of the selected model's "
                                   "residuals"),
        ("durbin_watson", float(durbin_watson(resid)),
         "about 2 if residuals are uncorrelated; well below 2 = positive autocorrelation"),
        ("ljung_box_p_lag1", ljung_box_p(resid, 1), "H0: no autocorrelation at lag 1"),
        ("ljung_box_p_lagk", ljung_box_p(resid, lb_lag),
         f"H0: no autocorrelation up to lag {lb_lag}"),
        ("hac_bandwidth", bandwidth, "Andrews (1991) AR(1) plug-in bandwidth, Bartlett kernel"),
        ("hac_maxlags", float(auto_lags), "lags of the automatic HAC standard errors (bandwidth "
                                          "rounded down, at most half the years), for comparison"),
        ("hac_maxlags_rule_of_thumb", float(thumb_lags),
         "Newey-West rule of thumb floor(4 (n/100)^(2/9)), for comparison"),
        ("cusum_linear_stat", float(cus_lin[0]), "CUSUM (OLS residuals) of a single linear trend"),
        ("cusum_linear_p", float(cus_lin[1]),
         "H0: one linear trend is stable over the whole period (assumes uncorrelated errors)"),
        ("cusum_final_p", float(cus_fin[1]), "same test on the selected segmented model"),
        ("udmax", float("nan") if ud_max is None else float(ud_max),
         "double-maximum statistic, H0: no break against 1..max_breaks breaks"),
        ("udmax_p", float("nan") if p_ud is None else float(p_ud),
         "sieve-bootstrap p-value of UDmax (accounts for the break search and AR(1) errors)"),
        ("n_breaks_selected", float(chosen), f"UDmax then sequential tests at alpha={alpha}"),
        ("ar1_bootstrap", phi_boot,
         f"AR(1) coefficient of the bootstrap errors ({big_m}-break residuals)"),
        ("n_boot", float(n_boot), f"sieve-bootstrap draws per test (seed {seed})"),
        ("min_segment_years", float(min_segment), "shortest admissible segment"),
    ]
    diagnostics = pl.DataFrame(diag, schema={"name": pl.Utf8, "value": pl.Float64,
                                             "note": pl.Utf8}, orient="row")
    fitted = pl.DataFrame({"year": years.astype(np.int64), "observed": y,
                           "fitted": fitted_values, "residual": resid})
    return SegmentedTrend(breaks_df, segments, selection, diagnostics, fitted, error_models, hac,
                          n_boot)


# --------------------------------------------------------------------------------------------
# Does "sixty years of progressive decline" hold? The pieces of the answer, per measure.
# --------------------------------------------------------------------------------------------

MEASURES = {"weighted": "share_gdp_pct_weighted", "mean": "share_gdp_pct_mean"}
#: What the verdict calls "progressive": at least this share of annual changes are falls ...
PROGRESSIVE_MIN_SHARE_OF_FALLS = 0.75
#: ... the thresholds the chapter shows the verdict under ...
FALLS_THRESHOLDS = (0.70, 0.75, 0.80)
#: ... no run of rising years adds up to more than this many percentage points ...
PROGRESSIVE_MAX_RISE_PP = 0.5
#: ... and the decline lasts at least this many years (the claim's "sixty", counted from the
#: first year with complete data).
MIN_DECLINE_YEARS = 50
#: Rises smaller than this are not listed as episodes.
MIN_RISE_PP = 0.3


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
                  year: str = "year", min_rise_pp: float = MIN_RISE_PP) -> pl.DataFrame:
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


def measure_series(shares: pl.DataFrame, measure: str, start_year: int,
                   group: str = "NATO total") -> pl.DataFrame:
    """year and the measure's value for ``group`` from ``start_year`` on, nulls dropped."""
    column = MEASURES[measure]
    return (shares.filter((pl.col("group") == group) & (pl.col("year") >= start_year))
            .select("year", column).drop_nulls().sort("year"))


def decline_checks(shares_by_rule: dict[str, pl.DataFrame], group: str = "NATO total",
                   start_year: int | None = None, min_rise_pp: float = MIN_RISE_PP,
                   **trend_kwargs) -> pl.DataFrame:
    """One row per (membership rule, measure): the evidence for and against steady decline.

    For each series from ``start_year`` (default: :func:`first_complete_year`) to the latest
    year: the start value, the lowest value and its year, the latest value, how many year-on-
    year changes were falls up to the low, the rise episodes (:func:`rise_episodes`), and the
    segmented trend (:func:`segmented_trend`, ``trend_kwargs`` passed on): break years, the
    no-break test's p-value under each error model, slope of the first and last segment with
    95 % CIs.
    """
    rows = []
    for rule, shares in shares_by_rule.items():
        first = start_year if start_year is not None else first_complete_year(shares, group)
        for measure, column in MEASURES.items():
            s = measure_series(shares, measure, first, group)
            low = s.sort([column, "year"]).row(0, named=True)
            to_low = s.filter(pl.col("year") <= low["year"])[column].diff().drop_nulls()
            rises = rise_episodes(s.filter(pl.col("year") <= low["year"]), column,
                                  min_rise_pp=min_rise_pp)
            top = (rises.sort("rise_pp", descending=True).row(0, named=True)
                   if rises.height else None)
            fit = segmented_trend(s, value=column, **trend_kwargs)
            em = {r["error_model"]: r for r in fit.error_models.iter_rows(named=True)}
            p_all = [r["p_value_udmax"] for r in em.values() if r["p_value_udmax"] is not None]
            seg_first, seg_last = fit.segments.row(0, named=True), fit.segments.row(-1, named=True)
            n_changes, n_falls = int(to_low.len()), int((to_low < 0).sum())
            rows.append({
                "rule": rule, "measure": measure, "group": group,
                "start_year": int(s["year"][0]), "start_value": float(s[column][0]),
                "low_year": int(low["year"]), "low_value": float(low[column]),
                "latest_year": int(s["year"][-1]), "latest_value": float(s[column][-1]),
                "fall_to_low_pp": float(s[column][0] - low[column]),
                "years_to_low": int(low["year"] - s["year"][0]),
                "n_changes_to_low": n_changes, "n_falls_to_low": n_falls,
                "share_falls": n_falls / n_changes if n_changes else None,
                "n_rise_episodes": rises.height,
                "largest_rise_pp": None if top is None else top["rise_pp"],
                "largest_rise_from": None if top is None else top["from_year"],
                "largest_rise_to": None if top is None else top["to_year"],
                "break_years": ",".join(str(b) for b in fit.breaks["year"].to_list()),
                "last_break": fit.breaks["year"][-1] if fit.n_breaks else None,
                "p_udmax": fit.diagnostic("udmax_p"),
                "p_udmax_no_break_errors": em.get("no_break", {}).get("p_value_udmax"),
                "p_udmax_selected_errors": em.get("selected", em.get("max_breaks", {})).get(
                    "p_value_udmax") if fit.n_breaks else None,
                "p_udmax_max": max(p_all) if p_all else None,
                "p_udmax_min": min(p_all) if p_all else None,
                "n_error_models": len(p_all),
                "n_error_models_rejecting": sum(p < ALPHA for p in p_all),
                "slope_first": seg_first["slope_pp_per_year"],
                "slope_first_ci_low": seg_first["ci95_low"],
                "slope_first_ci_high": seg_first["ci95_high"],
                "slope_last": seg_last["slope_pp_per_year"],
                "slope_last_ci_low": seg_last["ci95_low"],
                "slope_last_ci_high": seg_last["ci95_high"],
                "last_segment_from": seg_last["start_year"],
                "n_boot": fit.n_boot,
            })
    return pl.DataFrame(rows)


def is_progressive(row: dict, min_share_of_falls: float = PROGRESSIVE_MIN_SHARE_OF_FALLS
                   ) -> dict[str, bool]:
    """The tests a :func:`decline_checks` row must pass for "sixty years of progressive
    decline", each by name: a significant fall (first segment's 95 % CI below zero), mostly
    falls, no large rise, long enough; ``holds`` = all of them."""
    tests = {
        "declining": row["slope_first_ci_high"] < 0,
        "mostly_falls": (row["share_falls"] or 0) >= min_share_of_falls - 1e-12,
        "no_large_rise": (row["largest_rise_pp"] or 0.0) <= PROGRESSIVE_MAX_RISE_PP,
        "long_enough": row["years_to_low"] >= MIN_DECLINE_YEARS,
    }
    return tests | {"holds": all(tests.values())}


def threshold_sensitivity(checks: pl.DataFrame,
                          thresholds: tuple[float, ...] = FALLS_THRESHOLDS) -> pl.DataFrame:
    """Per :func:`decline_checks` row: does the decline count as "progressive" under each
    share-of-falls threshold (the other tests unchanged)? One boolean column per threshold,
    named ``at_70`` etc."""
    rows = []
    for r in checks.iter_rows(named=True):
        out = {k: r[k] for k in ("rule", "measure", "start_year", "low_year", "n_falls_to_low",
                                 "n_changes_to_low", "share_falls", "largest_rise_pp",
                                 "years_to_low")}
        for th in thresholds:
            out[f"at_{round(th * 100)}"] = is_progressive(r, th)["holds"]
        rows.append(out)
    return pl.DataFrame(rows)


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
    """:func:`peak_to_trough` for each group and both measures, one row each, with how many
    Allies enter each figure (``n_*_peak``, ``n_*_trough``: of ``n_allies_*`` counted)."""
    rows = []
    for group in groups:
        s = shares.filter(pl.col("group") == group)
        for measure, column in MEASURES.items():
            if group == "United States" and measure == "mean":
                continue  # one country: the mean is the share
            pt = peak_to_trough(s, value=column)
            n_col = "n_weighted" if measure == "weighted" else "n_mean"
            cover = {}
            for which in ("peak", "trough"):
                at = s.filter(pl.col("year") == pt[f"{which}_year"].item()).row(0, named=True)
                cover[f"n_in_{which}"] = at[n_col]
                cover[f"n_allies_{which}"] = at["n_allies"]
            rows.append(pt.with_columns(pl.lit(group).alias("group"),
                                        pl.lit(measure).alias("measure"),
                                        *(pl.lit(v).cast(pl.Int64).alias(k)
                                          for k, v in cover.items())))
    return pl.concat(rows).select("group", "measure", pl.exclude("group", "measure"))


def era_of(era_table: pl.DataFrame, year: int) -> str | None:
    """The name of the era band containing ``year``, or None."""
    hit = era_table.filter((pl.col("start_year") <= year) & (pl.col("end_year") >= year))
    return hit["era"][0] if hit.height else None


# --------------------------------------------------------------------------------------------
# Before 1949: context from two other sources, never joined to SIPRI's series
# --------------------------------------------------------------------------------------------

#: The three founding Allies that were great powers before NATO.
CONTEXT_COUNTRIES = ("USA", "GBR", "FRA")
#: NMC records spending in US dollars from this year (in pounds sterling before it).
NMC_USD_FROM = 1914


def gmsd_context(gmsd: pl.DataFrame, countries=CONTEXT_COUNTRIES, first_year: int = 1900,
                 last_year: int = 1948) -> pl.DataFrame:
    """GMSD share of GDP (OWID export) per country and year, implausible values left out."""
    need = ("iso3", "year", "share_gdp_pct", "implausible")
    _require(gmsd, need, "owid_gmsd")
    return (gmsd.filter(pl.col("iso3").is_in(list(countries))
                        & pl.col("year").is_between(first_year, last_year)
                        & ~pl.col("implausible") & pl.col("share_gdp_pct").is_not_null())
            .select("iso3", "year", "share_gdp_pct").sort("iso3", "year"))


def nmc_context(nmc: pl.DataFrame, countries=CONTEXT_COUNTRIES, first_year: int = NMC_USD_FROM,
                last_year: int = 1948) -> pl.DataFrame:
    """NMC military expenditure in US$ bn at the prices of each year, from 1914 (the years NMC
    records in US dollars), per country and year."""
    need = ("iso3", "year", "milex_thousand_current", "milex_currency")
    _require(nmc, need, "cow_nmc6")
    first_year = max(first_year, NMC_USD_FROM)
    return (nmc.filter(pl.col("iso3").is_in(list(countries))
                       & pl.col("year").is_between(first_year, last_year)
                       & (pl.col("milex_currency") == "USD")
                       & pl.col("milex_thousand_current").is_not_null())
            .select("iso3", "year",
                    (pl.col("milex_thousand_current") / 1e6).alias("milex_usd_bn_current"))
            .sort("iso3", "year"))


def period_summary(frame: pl.DataFrame, value: str, periods: dict[str, tuple[int, int]]
                   ) -> pl.DataFrame:
    """Per country and named period: the mean, the highest value and its year."""
    rows = []
    for name, (lo, hi) in periods.items():
        part = frame.filter(pl.col("year").is_between(lo, hi))
        for iso3 in part["iso3"].unique(maintain_order=True).to_list():
            c = part.filter(pl.col("iso3") == iso3).sort(value, descending=True)
            rows.append({"period": name, "iso3": iso3, "from": lo, "to": hi,
                         "n_years": c.height, "mean": float(c[value].mean()),
                         "max": float(c[value][0]), "max_year": int(c["year"][0])})
    return pl.DataFrame(rows)


def gmsd_vs_sipri(gmsd: pl.DataFrame, milex: pl.DataFrame, countries=CONTEXT_COUNTRIES,
                  first_year: int = 1949) -> pl.DataFrame:
    """Where both sources give a share of GDP (1949 to GMSD's last year): both values and the
    difference, per country and year. A comparison of definitions, never a joined series."""
    g = gmsd.filter(~pl.col("implausible") & pl.col("iso3").is_in(list(countries))
                    & (pl.col("year") >= first_year)).select(
        "iso3", "year", pl.col("share_gdp_pct").alias("gmsd"))
    s = milex.filter(pl.col("iso3").is_in(list(countries))).select(
        "iso3", "year", pl.col("share_gdp_pct").alias("sipri"))
    return (g.join(s, on=["iso3", "year"], how="inner").drop_nulls()
            .with_columns((pl.col("gmsd") - pl.col("sipri")).alias("difference"))
            .sort("iso3", "year"))
