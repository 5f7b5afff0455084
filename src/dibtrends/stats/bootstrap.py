"""Sieve bootstrap: series drawn from a null model plus AR(1) errors built from resampled
innovations, and p-values counting how often the draws reach the observed statistics."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

#: Draws evaluated at once: bounds the memory of the statistics, not their values.
CHUNK = 250


def sieve_draws(rng: np.random.Generator, null_fit: np.ndarray, phi: float, innov: np.ndarray,
                n_boot: int, burn: int = 50) -> np.ndarray:
    """(n, n_boot) series: ``null_fit`` plus AR(1) errors from resampled innovations."""
    n = len(null_fit)
    draws = rng.choice(innov, size=(n + burn, n_boot), replace=True)
    e = np.zeros_like(draws)
    for i in range(1, n + burn):
        e[i] = phi * e[i - 1] + draws[i]
    return null_fit[:, None] + e[burn:]


def p_values(draws: np.ndarray, statistics: Callable[[np.ndarray], Sequence[np.ndarray]],
             observed: Sequence[float]) -> list[float]:
    """Bootstrap p-values (1 + #draws at or above each observed statistic) / (n_boot + 1);
    ``statistics`` maps a block of draws (columns) to one array per statistic."""
    n_boot = draws.shape[1]
    exceed = [0] * len(observed)
    for lo in range(0, n_boot, CHUNK):
        for i, (stat, obs) in enumerate(zip(statistics(draws[:, lo:lo + CHUNK]), observed,
                                            strict=True)):
            exceed[i] += int((stat >= obs).sum())
    return [(1 + e) / (n_boot + 1) for e in exceed]
