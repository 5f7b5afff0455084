"""Slope intervals and residual checks of trend regressions: AR(1) and HAC (Newey-West) covariances,
t intervals, Durbin-Watson, Ljung-Box and CUSUM. HAC is statsmodels' own kernel sum; the checks are
computed here because statsmodels' versions import scipy.stats (half a second in every kernel) and
its Ljung-Box and CUSUM give other last digits. The tests check every one against statsmodels."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

#: AR(1) coefficients are kept inside (-AR_CLIP, AR_CLIP) so simulated errors stay stationary; a
#: residual series at the clip behaves like a random walk.
AR_CLIP = 0.98


def ar1(resid: np.ndarray) -> tuple[float, np.ndarray]:
    """AR(1) coefficient of residuals (OLS, no constant, clipped) and the centred innovations."""
    phi = float(np.dot(resid[1:], resid[:-1]) / np.dot(resid[:-1], resid[:-1]))
    phi = max(min(phi, AR_CLIP), -AR_CLIP)
    innov = resid[1:] - phi * resid[:-1]
    return phi, innov - innov.mean()


def newey_west_lags(n: int) -> int:
    """Newey-West (1994) rule of thumb floor(4 (n/100)^(2/9)): blind to persistence."""
    return int(math.floor(4 * (n / 100.0) ** (2.0 / 9.0)))


def andrews_lags(resid: np.ndarray) -> tuple[int, float, float]:
    """Andrews (1991) AR(1) plug-in bandwidth for the Bartlett kernel: (lags, rho, bandwidth),
    lags = bandwidth rounded down, at most half the sample; more persistence, more lags."""
    n = len(resid)
    rho, _ = ar1(resid)
    alpha = 4 * rho ** 2 / ((1 - rho) ** 2 * (1 + rho) ** 2)
    bandwidth = 1.1447 * (alpha * n) ** (1 / 3)
    return max(1, min(int(math.floor(bandwidth)), n // 2)), rho, bandwidth


def ar1_covariance(x: np.ndarray, resid: np.ndarray) -> np.ndarray:
    """OLS coefficient covariance under AR(1) errors, S[i, j] = s2 rho^|i-j| / (1 - rho^2). The
    AR(1) coefficient of OLS residuals is biased towards zero, so these may still be too narrow."""
    n, k = x.shape
    rho, _ = ar1(resid)
    innov = resid[1:] - rho * resid[:-1]
    s2 = float(innov @ innov) / (n - 1 - k)
    lag = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    sigma = s2 * rho ** lag / (1 - rho ** 2)
    xtx_inv = np.linalg.inv(x.T @ x)
    return xtx_inv @ x.T @ sigma @ x @ xtx_inv


def hac_covariance(x: np.ndarray, resid: np.ndarray, lags: int) -> np.ndarray:
    """Newey-West (Bartlett) covariance as statsmodels' ``cov_type="HAC"`` (no small-sample
    factor)."""
    from statsmodels.stats.sandwich_covariance import S_hac_simple  # only the fits pay its import

    xtx_inv = np.linalg.inv(x.T @ x)
    return xtx_inv @ S_hac_simple(x * resid[:, None], nlags=lags) @ xtx_inv


def t_intervals(contrasts: np.ndarray, coef: np.ndarray, cov: np.ndarray, df: int
                ) -> list[tuple[float, float, float, float, float]]:
    """(estimate, s.e., 95 % low and high, two-sided p) of r @ coef for each row r of
    ``contrasts``, with t(df) quantiles."""
    t_crit = float(special.stdtrit(df, 0.975))
    rows = []
    for r in contrasts:
        est, se = float(r @ coef), float(np.sqrt(r @ cov @ r))
        p = float(2 * special.stdtr(df, -abs(est / se)))
        rows.append((est, se, est - t_crit * se, est + t_crit * se, p))
    return rows


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
    """Ploberger-Kraemer CUSUM test on OLS residuals: sup of the scaled cumulative residuals and
    its p-value from the Brownian-bridge (Kolmogorov) distribution."""
    n = len(resid)
    scale = float(resid @ resid) / (n - ddof) * n
    sup_b = float(np.abs(np.cumsum(resid) / np.sqrt(scale)).max())
    return sup_b, float(special.kolmogorov(sup_b))
