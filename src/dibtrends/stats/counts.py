"""Straight-line trends per unit with prediction intervals, and an interval for how many units
reach a level on their trends from joint draws of the trends' errors (chapter 4's method).
A projection has one row per unit (:func:`trend_lines`); residuals are long (entity, year,
residual)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

import numpy as np
import polars as pl
from scipy import special


@dataclass(frozen=True)
class OLSPrediction:
    params: np.ndarray
    resid: np.ndarray
    df_resid: int
    r_squared: float
    mean: float
    obs_se: float
    pi_lower: float
    pi_upper: float


class CountInterval(TypedDict):
    n_allies: int
    point: int
    allies_point: list[str]
    lower_pi: int  # separate prediction intervals wholly at or above the target: bound no count
    upper_pi: int  # separate prediction intervals reaching the target
    low: int
    high: int
    level: float
    coverage: float
    mean: float
    n_draws: int
    seed: int
    distribution: pl.DataFrame  # n_allies_reaching, share_of_draws
    median_residual_autocorrelation: float | None
    mean_residual_correlation: float | None


def ols_prediction(x: np.ndarray, y: np.ndarray, x0: np.ndarray,
                   alpha: float = 0.05) -> OLSPrediction:
    """OLS and the prediction interval for a new observation at ``x0``: the textbook formulas of
    statsmodels' ``get_prediction(x0).summary_frame(alpha)``, without its import (seconds in every
    kernel) and its pseudo-inverse (other last digits in the published projections)."""
    params, _, rank, _ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ params
    df_resid = len(y) - rank
    scale = float(resid @ resid / df_resid)
    cov = scale * np.linalg.pinv(x.T @ x)
    mean = float(x0 @ params)
    mean_se = float(np.sqrt(x0 @ cov @ x0))
    obs_se = float(np.sqrt(scale + mean_se ** 2))
    q = float(special.stdtrit(df_resid, 1 - alpha / 2))
    centred = y - y.mean()
    r_squared = float(1 - resid @ resid / (centred @ centred))
    return OLSPrediction(params, resid, int(df_resid), r_squared, mean, obs_se,
                         mean - q * obs_se, mean + q * obs_se)


def trend_lines(data: pl.DataFrame, start: int, end: int, target_year: int,
                shifts: dict[str, Sequence[int]], alpha: float = 0.05
                ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """share_gdp_pct = a + b (year - start) by OLS per entity of ``data`` (entity, year,
    share_gdp_pct), projected to ``target_year`` with a (1 - alpha) prediction interval; a shift
    year adds a step dummy, so the slope comes from the years within each series."""
    rows, residuals = [], []
    for (entity,), g in data.sort("year").group_by(["entity"], maintain_order=True):
        years = g["year"].to_numpy()
        yv = g["share_gdp_pct"].to_numpy()
        steps = [y for y in shifts.get(entity, ()) if years.min() < y <= years.max()]
        x = np.column_stack([np.ones(len(years)), years - start]
                            + [(years >= y).astype(float) for y in steps])
        fit = ols_prediction(x, yv, np.array([1.0, target_year - start] + [1.0] * len(steps)),
                             alpha)
        rows.append({
            "entity": entity, "window_start": start, "window_end": end,
            "n_years": len(years), "df_resid": fit.df_resid,
            "slope_pp_per_year": float(fit.params[1]),
            "level_shift_pp": float(sum(fit.params[2:])) if steps else None,
            "break_year": max(steps) if steps else None, "r_squared": fit.r_squared,
            "share_gdp_pct_latest": float(yv[-1]), "projected_share_pct": fit.mean,
            "prediction_se_pct": fit.obs_se, "pi_lower_pct": fit.pi_lower,
            "pi_upper_pct": fit.pi_upper, "target_year": target_year, "pi_level": 1 - alpha,
            "series_break": bool(steps)})
        residuals.append(pl.DataFrame({"entity": entity, "year": years, "residual": fit.resid}))
    projection = pl.DataFrame(rows, schema_overrides={"break_year": pl.Int64,
                                                      "level_shift_pp": pl.Float64})
    return projection.sort("projected_share_pct", descending=True), pl.concat(residuals)


def trend_count_interval(projection: pl.DataFrame, residuals: pl.DataFrame, target: float,
                         *, n_draws: int, seed: int, level: float = 0.95) -> CountInterval:
    """An interval for the number of units at ``target`` or more on their trends (and the point
    count, with how many separate prediction intervals lie wholly above it or reach it).

    Each unit's error is Student t with its residual df and its own prediction interval's scale
    (so it reproduces that interval); the errors move together as the residuals did (a Gaussian
    copula: each draw combines the observed years' residual vectors at random). The interval is
    the smallest counts with cumulative probability at least (1-level)/2 and (1+level)/2.
    """
    wide = (residuals.pivot(on="entity", index="year", values="residual")
            .sort("year").fill_null(0.0))
    entities = projection["entity"].to_list()
    r = wide.select(entities).to_numpy()  # years x units
    norms = np.sqrt((r ** 2).sum(axis=0))
    u = r / np.where(norms > 0, norms, 1.0)
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n_draws, r.shape[0])) @ u  # unit variance, residual correlation
    df = projection["df_resid"].to_numpy()
    errors = special.stdtrit(df, special.ndtr(z)) * projection["prediction_se_pct"].to_numpy()
    counts = ((projection["projected_share_pct"].to_numpy() + errors) >= target).sum(1)
    values, freq = np.unique(counts, return_counts=True)
    cdf = np.cumsum(freq) / n_draws
    lo = int(values[np.searchsorted(cdf, (1 - level) / 2 - 1e-12)])
    hi = int(values[np.searchsorted(cdf, (1 + level) / 2 - 1e-12)])
    # positive autocorrelation, which straight-line intervals ignore, makes them too narrow
    ac1 = [float(np.corrcoef(c[:-1], c[1:])[0, 1]) for c in r.T if np.std(c[:-1]) > 0]
    c = u.T @ u
    k = c.shape[0]
    reach = {col: projection.filter(pl.col(col) >= target)["entity"]
             for col in ("projected_share_pct", "pi_lower_pct", "pi_upper_pct")}
    return {
        "n_allies": len(entities), "point": reach["projected_share_pct"].len(),
        "allies_point": sorted(reach["projected_share_pct"].to_list()),
        "lower_pi": reach["pi_lower_pct"].len(), "upper_pi": reach["pi_upper_pct"].len(),
        "low": lo, "high": hi, "level": level,
        "coverage": float(((counts >= lo) & (counts <= hi)).mean()),
        "mean": float(counts.mean()), "n_draws": n_draws, "seed": seed,
        "distribution": pl.DataFrame({"n_allies_reaching": values.astype(int),
                                      "share_of_draws": freq / n_draws}),
        "median_residual_autocorrelation": float(np.median(ac1)) if ac1 else None,
        "mean_residual_correlation": (float((c.sum() - np.trace(c)) / (k * k - k))
                                      if k > 1 else None),
    }
