"""A continuous piecewise-linear trend whose break years are estimated, then tested.

Estimation: for m = 0..max_breaks, every admissible set of break years (each segment at least
``min_segment`` years) is fitted by OLS and the set with the smallest SSR kept. Testing follows
Bai and Perron (2003): a double-maximum test (UDmax) of no break against 1..max_breaks, then
sequential F tests of m against m-1 breaks. The break years were searched for and the residuals
are autocorrelated, so F tables do not apply (Andrews 1993): every p-value comes from a sieve
bootstrap that re-runs the search on each draw. The selection draws AR(1) errors with the
coefficient of the max_breaks model's residuals (estimated under the alternative); fewer breaks
leave an omitted kink as extra persistence, so ``error_models`` repeats the no-break test with
the coefficients of the no-break and the selected model (same random numbers). Slope intervals
use the same AR(1) model: with residuals this persistent HAC is biased towards zero whatever the
lag rule (Kiefer and Vogelsang 2005), so ``hac`` sets two HAC lag rules beside it.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass

import numpy as np
import polars as pl

from . import intervals as iv
from .bootstrap import p_values, sieve_draws

_TYPES = {"i": pl.Int64, "f": pl.Float64, "s": pl.Utf8, "b": pl.Boolean}


def _frame(rows: list[tuple], columns: str) -> pl.DataFrame:
    """A frame of row tuples; ``columns`` is 'name:type ...', types i, f, s, b."""
    names = [c.split(":") for c in columns.split()]
    return pl.DataFrame(rows, schema={n: _TYPES[t] for n, t in names}, orient="row")


@dataclass(frozen=True)
class SegmentedTrend:
    """Tidy results of :func:`segmented_trend`; each attribute is a polars frame."""

    breaks: pl.DataFrame        # one row per selected break: year, sup-F test, UDmax p
    segments: pl.DataFrame      # one row per segment: slope, s.e. (AR(1) errors), 95 % CI
    selection: pl.DataFrame     # one row per number of breaks 0..max: SSR, BIC, bootstrap p
    diagnostics: pl.DataFrame   # name, value: residual checks and test settings
    fitted: pl.DataFrame        # year, observed, fitted, residual
    error_models: pl.DataFrame  # the no-break test's p-value under each error model
    hac: pl.DataFrame           # slope intervals under the AR(1) model and two HAC lag rules

    @property
    def n_breaks(self) -> int:
        return self.breaks.height

    @property
    def bic_choice(self) -> dict:
        """The row of :attr:`selection` with the lowest BIC."""
        return self.selection.sort("bic").row(0, named=True)

    def diagnostic(self, name: str) -> float:
        return self.diagnostics.filter(pl.col("name") == name)["value"].item()


def design(t: np.ndarray, breaks: tuple[float, ...]) -> np.ndarray:
    """Continuous piecewise-linear trend: constant, t, and a hinge (t - b)+ per break."""
    return np.column_stack([np.ones_like(t), t] + [np.maximum(t - b, 0.0) for b in breaks])


def candidates(years: np.ndarray, m: int, min_segment: int) -> list[tuple[int, ...]]:
    """Break-year combinations leaving at least ``min_segment`` years' span in every segment."""
    first, last = int(years.min()), int(years.max())
    admissible = [int(y) for y in years if first + min_segment <= y <= last - min_segment]
    if m == 0:
        return [()]
    return [c for c in itertools.combinations(admissible, m)
            if all(b - a >= min_segment for a, b in itertools.pairwise(c))]


class Grid:
    """Every candidate m-break design at once: the SSR of each for many series in one product.

    With the common straight line projected out (``m0``), a design's SSR is |m0 y|^2 -
    |Q' m0 y|^2, Q an orthonormal basis of its residualised hinges. Bootstrap draws are
    evaluated in single precision (F needs four digits, and it is several times faster), the
    observed series in double.
    """

    def __init__(self, years: np.ndarray, m: int, min_segment: int) -> None:
        self.m = m
        self.combos = candidates(years, m, min_segment)
        t = years.astype(float)
        q0, _ = np.linalg.qr(design(t, ()))
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
        proj = r.T @ self.q64 if exact else r.T.astype(np.float32) @ self.q32
        proj = proj.reshape(ys.shape[1], len(self.combos), self.m)    # (B, C, m)
        explained = np.einsum("bcm,bcm->bc", proj, proj)              # (B, C)
        idx = explained.argmax(axis=1)
        return total - explained[np.arange(ys.shape[1]), idx].astype(np.float64), idx


@functools.lru_cache(maxsize=16)
def grid(years: tuple[int, ...], m: int, min_segment: int) -> Grid:
    """Grids depend only on the years: every series over the same years shares them."""
    return Grid(np.asarray(years), m, min_segment)


def f_stat(ssr_r, ssr_u, m_u: int, q: int, n: int):
    """F of a restricted against an unrestricted fit with ``m_u`` breaks and ``q`` fewer."""
    return (ssr_r - ssr_u) / q / (ssr_u / (n - m_u - 2))


def _no_break_p(grids: list[Grid], draws: np.ndarray, ud_max: float, f_one: float, n: int):
    """Bootstrap p-values of UDmax (no break against 1..M) and of sup-F(1 | 0)."""
    def stats(chunk):
        s0, _ = grids[0].best(chunk)
        f = [f_stat(s0, grids[m].best(chunk)[0], m, m, n) for m in range(1, len(grids))]
        return np.max(f, axis=0), f[0]
    return p_values(draws, stats, (ud_max, f_one))


def segmented_trend(years: np.ndarray, values: np.ndarray, *, max_breaks: int, min_segment: int,
                    alpha: float, n_boot: int, seed: int) -> SegmentedTrend:
    """The fit of consecutive ``years``: breaks selected by UDmax at ``alpha``, then one more
    while the sequential test rejects; ``n_boot`` draws per test from ``seed``. Cached per
    series and settings (a chapter asks for the same fit several times)."""
    years = np.asarray(years).astype(int)
    if np.any(np.diff(years) != 1):
        raise ValueError("segmented_trend needs consecutive years without gaps; got gaps in "
                         f"{years.min()}-{years.max()}")
    return _fit(tuple(int(v) for v in years), tuple(float(v) for v in values), max_breaks,
                min_segment, alpha, n_boot, seed)


@functools.lru_cache(maxsize=64)
def _fit(years_t: tuple[int, ...], y_t: tuple[float, ...], max_breaks: int, min_segment: int,
         alpha: float, n_boot: int, seed: int) -> SegmentedTrend:
    years, y = np.asarray(years_t), np.asarray(y_t, dtype=float)
    n, t = len(y), np.asarray(years_t).astype(float)
    grids = [g for m in range(max_breaks + 1)
             if (g := grid(years_t, m, min_segment)).q64 is not None]
    ssr, combos = [], []
    for g in grids:
        s, idx = g.best(y, exact=True)
        ssr.append(float(s[0]))
        combos.append(g.combos[int(idx[0])])
    fits = []
    for combo in combos:
        x_ = design(t, combo)
        fits.append(x_ @ np.linalg.lstsq(x_, y, rcond=None)[0])
    big_m = len(grids) - 1
    rng = np.random.default_rng(seed)
    phi_boot, innov_boot = iv.ar1(y - fits[-1])

    ud = [f_stat(ssr[0], ssr[m], m, m, n) for m in range(1, big_m + 1)]
    ud_max = max(ud) if ud else None
    p_ud = p_one = None
    if ud:
        draws = sieve_draws(rng, fits[0], phi_boot, innov_boot, n_boot)
        p_ud, p_one = _no_break_p(grids, draws, ud_max, ud[0], n)
    seq_f: list[float | None] = [None]
    seq_p: list[float | None] = [None]
    for m in range(1, big_m + 1):
        stat = f_stat(ssr[m - 1], ssr[m], m, 1, n)
        draws = sieve_draws(rng, fits[m - 1], phi_boot, innov_boot, n_boot)
        seq_f.append(float(stat))
        seq_p += p_values(draws, lambda c, m=m: [
            f_stat(grids[m - 1].best(c)[0], grids[m].best(c)[0], m, 1, n)], [stat])
    chosen = 0
    if p_ud is not None and p_ud < alpha:
        chosen = 1
        while chosen < big_m and seq_p[chosen + 1] < alpha:
            chosen += 1
    selection = _frame(
        [(m, ",".join(str(b) for b in combos[m]), ssr[m],
          n * math.log(ssr[m] / n) + (m + 2 + m) * math.log(n),
          None if m == 0 else float(ud[m - 1]), seq_f[m], seq_p[m]) for m in range(big_m + 1)],
        "n_breaks:i break_years:s ssr:f bic:f f_vs_no_break:f sup_f_vs_one_fewer:f "
        "p_value_bootstrap:f").with_columns((pl.col("n_breaks") == chosen).alias("selected"))

    # The no-break tests under the other error models, with the same random numbers.
    em_rows = []
    for name, m in {"no_break": 0, "selected": chosen, "max_breaks": big_m}.items():
        if name != "max_breaks" and m == big_m or name == "selected" and m == 0:
            continue  # the same model as another row
        phi, innov = iv.ar1(y - fits[m])
        if name == "max_breaks" or ud_max is None:
            p_u, p_1 = p_ud, p_one
        else:
            draws = sieve_draws(np.random.default_rng(seed), fits[0], phi, innov, n_boot)
            p_u, p_1 = _no_break_p(grids, draws, ud_max, ud[0], n)
        em_rows.append((name, m, ",".join(str(b) for b in combos[m]), phi, p_u, p_1,
                        name == "max_breaks"))
    error_models = _frame(em_rows, "error_model:s n_breaks:i break_years:s ar1:f "
                          "p_value_udmax:f p_value_one_vs_none:f used_for_selection:b"
                          ).sort("ar1", descending=True)
    settings = {"udmax": float("nan") if ud_max is None else float(ud_max),
                "udmax_p": float("nan") if p_ud is None else float(p_ud),
                "n_breaks_selected": chosen, "ar1_bootstrap": phi_boot, "n_boot": n_boot,
                "min_segment_years": min_segment}
    return _final(years, y, combos[chosen], fits[0], seq_f, seq_p, p_ud, selection,
                  error_models, settings)


def _final(years, y, breaks, line, seq_f, seq_p, p_ud, selection, error_models, settings
           ) -> SegmentedTrend:
    """The chosen model: OLS slopes with AR(1) and HAC intervals, kinks, diagnostics."""
    n, t = len(y), years.astype(float)
    x = design(t, breaks)
    coef = np.linalg.lstsq(x, y, rcond=None)[0]
    fitted_values = x @ coef
    resid = y - fitted_values
    auto_lags, rho_sel, bandwidth = iv.andrews_lags(resid)
    thumb_lags = iv.newey_west_lags(n)
    covs = {"ar1": (iv.ar1_covariance(x, resid), None),
            "hac_automatic": (iv.hac_covariance(x, resid, auto_lags), auto_lags),
            "hac_rule_of_thumb": (iv.hac_covariance(x, resid, thumb_lags), thumb_lags)}
    df_resid = n - x.shape[1]
    bounds = [int(years[0]), *breaks, int(years[-1])]
    # Segment j's slope is the t coefficient plus the first j hinges'.
    contrasts = np.zeros((len(breaks) + 1, x.shape[1]))
    for j in range(len(breaks) + 1):
        contrasts[j, 1:2 + j] = 1.0
    slopes = {k: iv.t_intervals(contrasts, coef, c, df_resid) for k, (c, _) in covs.items()}
    seg = [(j + 1, bounds[j], bounds[j + 1], *s) for j, s in enumerate(slopes["ar1"])]
    segments = _frame(seg, "segment:i start_year:i end_year:i slope_pp_per_year:f se:f "
                           "ci95_low:f ci95_high:f p_value:f")
    thumb_se = [s[1] for s in slopes["hac_rule_of_thumb"]]
    hac = _frame([(k, lags, j + 1, bounds[j], bounds[j + 1], *s[:4], s[1] / thumb_se[j])
                  for k, (_, lags) in covs.items() for j, s in enumerate(slopes[k])],
                 "method:s lags:i segment:i start_year:i end_year:i slope_pp_per_year:f se:f "
                 "ci95_low:f ci95_high:f se_ratio:f")
    breaks_df = _frame([(j + 1, b, seq_f[j + 1], seq_p[j + 1], p_ud) for j, b in enumerate(breaks)],
                       "break:i year:i sup_f_vs_one_fewer:f p_value_bootstrap:f p_value_udmax:f")
    cus_lin = iv.cusum_ols(y - line, ddof=2)
    lb_lag = min(5, n // 4)
    diag = {"n_years": n, "ar1_residuals": rho_sel, "durbin_watson": iv.durbin_watson(resid),
            "ljung_box_p_lag1": iv.ljung_box_p(resid, 1),
            "ljung_box_p_lagk": iv.ljung_box_p(resid, lb_lag), "hac_bandwidth": bandwidth,
            "hac_maxlags": auto_lags, "hac_maxlags_rule_of_thumb": thumb_lags,
            "cusum_linear_stat": cus_lin[0], "cusum_linear_p": cus_lin[1],
            "cusum_final_p": iv.cusum_ols(resid, ddof=x.shape[1])[1]} | settings
    diagnostics = pl.DataFrame({"name": list(diag), "value": [float(v) for v in diag.values()]})
    fitted = pl.DataFrame({"year": years.astype(np.int64), "observed": y,
                           "fitted": fitted_values, "residual": resid})
    return SegmentedTrend(breaks_df, segments, selection, diagnostics, fitted, error_models, hac)
