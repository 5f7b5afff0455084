"""NATO's spending guidelines and the 2035 pledge, Ally by Ally, from NATO's own tables.

Guidelines (Wales Summit Declaration, 5 September 2014, para. 14): spend at least 2 % of GDP on
defence and at least 20 % of defence expenditure on major equipment including related R&D.
NATO measures the first as defence expenditure over real GDP, both at 2015 prices (Table 3).

The Hague Summit Declaration (25 June 2025) commits Allies to 5 % of GDP by 2035: at least 3.5 %
on core defence as NATO defines it, plus up to 1.5 % on defence- and security-related spending.
NATO's expenditure tables measure only the core-defence part, so the gap here is to the 3.5 %
(:data:`TARGET_SHARE_PCT`, :data:`TARGET_YEAR`: the defaults of the shared parameters
``target_share_pct`` and ``target_year`` that chapter 4 and every Ally profile take).

An Ally counts from the calendar year of its accession (NATO's own rule for its aggregates;
see :mod:`dibtrends.equipment`). Iceland has no armed forces and no defence expenditure in the
tables; it is listed with null values and never counted as meeting or missing a guideline.

Every function here is pure: Polars frames in, Polars frames (or plain dicts) out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import polars as pl
from scipy import special

from .equipment import counted_allies

GDP_GUIDELINE_PCT = 2.0
EQUIPMENT_GUIDELINE_PCT = 20.0
#: The Hague commitment (25 June 2025): core defence spending of 3.5 % of GDP by 2035. The
#: defaults of the shared parameters ``target_share_pct`` and ``target_year``.
TARGET_SHARE_PCT = 3.5
TARGET_YEAR = 2035
#: A one-year change in an Ally's real GDP (NATO Table 5, 2015 prices) larger than this, up or
#: down, is treated as a break in the GDP series NATO uses, not as a change in output. Why 25 %:
#: in NATO's June 2024 tables Luxembourg's real GDP falls 34 % from 2022 to 2023 while its
#: defence spending rises, and no other Ally's real GDP moves by more than 16 % in any year,
#: the 2020 pandemic included (:func:`largest_ordinary_gdp_change` says so from the data).
BREAK_THRESHOLD_PCT = 25.0
#: The joint simulation of trend errors (:func:`trend_count_interval`): fixed seed, so the
#: published interval is reproducible; 10,000 draws put the Monte Carlo error of a 2.5 %
#: quantile of a count well below one Ally.
TREND_SEED = 20250625
TREND_DRAWS = 10_000

Breaks = Mapping[str, int | Iterable[int]]


# ---------------------------------------------------------------- the guidelines
def guideline_status(nato: pl.DataFrame, membership: pl.DataFrame,
                     gdp_pct: float = GDP_GUIDELINE_PCT,
                     equipment_pct: float = EQUIPMENT_GUIDELINE_PCT) -> pl.DataFrame:
    """Per Ally and year: share of GDP, equipment share, and whether each guideline is met.

    ``meets_*`` is null where the Ally was not yet counted or NATO publishes no figure.
    """
    allies = counted_allies(nato, membership)
    return allies.select(
        "entity", "year", "estimate", "counted", "share_gdp_pct", "equipment_share_pct",
        pl.when(pl.col("counted")).then(pl.col("share_gdp_pct") >= gdp_pct)
        .alias("meets_gdp_guideline"),
        pl.when(pl.col("counted")).then(pl.col("equipment_share_pct") >= equipment_pct)
        .alias("meets_equipment_guideline"),
    ).sort("entity", "year")


def guideline_counts(status: pl.DataFrame) -> pl.DataFrame:
    """Per year: Allies counted (with data) and how many meet each guideline."""
    counted = status.filter(pl.col("counted"))
    return counted.group_by("year").agg(
        pl.first("estimate"),
        pl.col("share_gdp_pct").is_not_null().sum().alias("n_allies_with_data"),
        pl.col("meets_gdp_guideline").sum().alias("n_meeting_gdp"),
        pl.col("meets_equipment_guideline").sum().alias("n_meeting_equipment"),
        (pl.col("meets_gdp_guideline") & pl.col("meets_equipment_guideline")).sum()
        .alias("n_meeting_both"),
    ).sort("year")


def allies_meeting(status: pl.DataFrame, year: int, guideline: str = "gdp") -> list[str]:
    """Sorted ISO3 codes of Allies meeting ``guideline`` ('gdp' or 'equipment') in ``year``."""
    col = {"gdp": "meets_gdp_guideline", "equipment": "meets_equipment_guideline"}[guideline]
    return sorted(status.filter(pl.col("year") == year, pl.col(col))["entity"].to_list())


def estimate_years(nato: pl.DataFrame) -> list[int]:
    """The years NATO marks as estimates (its ``e`` suffix), from the table itself."""
    return sorted(nato.filter(pl.col("estimate"))["year"].unique().to_list())


# ---------------------------------------------------------------- growth needed
def required_real_growth_pct(share_now_pct, share_target_pct, gdp_growth_pct, years):
    """Average annual real growth of defence spending that moves a share of GDP to a target.

    With real GDP growing at y a year, a share s_0 becomes s_T = s_0 ((1+g)/(1+y))^n after n
    years of defence growth g, so g = (1+y) (s_T/s_0)^(1/n) - 1. Percent in, percent out; works
    on floats, numpy arrays and polars expressions alike. For an Ally already above the target
    the same g is the growth *below which* its share falls back under the target.
    """
    y = gdp_growth_pct / 100
    return ((1 + y) * (share_target_pct / share_now_pct) ** (1 / years) - 1) * 100


def gdp_series_breaks(nato: pl.DataFrame,
                      threshold_pct: float = BREAK_THRESHOLD_PCT) -> pl.DataFrame:
    """Breaks in NATO's real GDP series: Ally-years whose real GDP (2015 prices) changes by more
    than ``threshold_pct`` from the year before. Columns: entity, year (the first year of the
    new series), change_pct (the implied real change, a percentage)."""
    return (nato.filter(~pl.col("is_aggregate"))
            .sort("entity", "year")
            .with_columns(((pl.col("gdp_usd_m_const2015")
                            / pl.col("gdp_usd_m_const2015").shift(1).over("entity") - 1) * 100)
                          .alias("change_pct"))
            .filter(pl.col("change_pct").abs() > threshold_pct)
            .select("entity", "year", "change_pct"))


def largest_ordinary_gdp_change(nato: pl.DataFrame,
                                threshold_pct: float = BREAK_THRESHOLD_PCT) -> dict:
    """The largest one-year real GDP change that is *not* a break: what the threshold leaves."""
    steps = (nato.filter(~pl.col("is_aggregate")).sort("entity", "year")
             .with_columns(((pl.col("gdp_usd_m_const2015")
                             / pl.col("gdp_usd_m_const2015").shift(1).over("entity") - 1) * 100)
                           .alias("change_pct"))
             .filter(pl.col("change_pct").abs() <= threshold_pct)
             .sort(pl.col("change_pct").abs(), descending=True))
    return steps.select("entity", "year", "change_pct").row(0, named=True)


def breaks_by_entity(breaks: pl.DataFrame | Breaks | None) -> dict[str, tuple[int, ...]]:
    """entity -> break years, from :func:`gdp_series_breaks` or a plain mapping."""
    if breaks is None:
        return {}
    if isinstance(breaks, pl.DataFrame):
        out: dict[str, list[int]] = {}
        for entity, year in breaks.select("entity", "year").iter_rows():
            out.setdefault(entity, []).append(int(year))
        return {k: tuple(sorted(v)) for k, v in out.items()}
    return {k: (int(v),) if isinstance(v, (int, np.integer)) else tuple(sorted(int(y) for y in v))
            for k, v in breaks.items()}


def average_growth_pct(nato: pl.DataFrame, column: str, start_year: int | None = None,
                       end_year: int | None = None,
                       breaks: pl.DataFrame | Breaks | None = None) -> pl.DataFrame:
    """Compound average annual growth of ``column`` between two years, per entity (percent).

    Why compound: it is the constant rate that links the two end points, the same quantity as
    ``y`` and ``g`` in :func:`required_real_growth_pct`. Where ``breaks`` names a series break
    for an entity, the year-on-year step into the break year is left out and the average is
    taken over the remaining steps (``n_steps`` says how many). Years default to the table's.
    """
    start = int(nato["year"].min()) if start_year is None else start_year
    end = int(nato["year"].max()) if end_year is None else end_year
    steps = (nato.filter(pl.col("year").is_between(start, end))
             .sort("entity", "year")
             .with_columns((pl.col(column) / pl.col(column).shift(1).over("entity"))
                           .alias("_ratio"))
             .filter(pl.col("year") > start, pl.col("_ratio").is_not_null()))
    skip = [(e, y) for e, years in breaks_by_entity(breaks).items() for y in years]
    if skip:
        brk = pl.DataFrame(skip, schema={"entity": pl.String, "year": pl.Int64}, orient="row")
        steps = steps.join(brk, on=["entity", "year"], how="anti")
    return steps.group_by("entity").agg(
        pl.len().alias(f"{column}_n_steps"),
        ((pl.col("_ratio").log().mean().exp() - 1) * 100).alias(f"{column}_cagr_pct"),
    ).sort("entity")


def pledge_gap(nato: pl.DataFrame, membership: pl.DataFrame,
               target_share_pct: float = TARGET_SHARE_PCT, target_year: int = TARGET_YEAR,
               gdp_growth_pct: float | None = None, growth_start_year: int | None = None,
               latest_year: int | None = None,
               breaks: pl.DataFrame | Breaks | None = None) -> pl.DataFrame:
    """Per Ally: the gap from its latest share of GDP to the target and the growth needed.

    ``gdp_growth_pct=None`` uses each Ally's own average real GDP growth from
    ``growth_start_year`` (default: the table's first year) to the latest year (NATO Table 5,
    GDP at 2015 prices); a number applies to every Ally. For comparison the Ally's own average
    real growth of defence spending over the same years (Table 2, constant 2015 US$) is given.

    An Ally already at or above the target (``already_above``) needs no growth: its
    ``required_real_growth_pct`` is null, and ``growth_to_stay_pct`` is the real growth of
    defence spending below which its share would fall back under the target by the target
    year. ``needs_faster_growth`` is True where the growth needed exceeds the Ally's own past
    growth (null for Allies already above).

    GDP series breaks (default: :func:`gdp_series_breaks` of the table) are skipped in the
    own-average GDP growth; ``gdp_break_year`` names the latest one. ``gdp_growth_pct_across_break``
    gives the growth *with* the break step, so a reader can see what the handling changes.
    """
    latest = latest_year or int(nato["year"].max())
    first = growth_start_year or int(nato["year"].min())
    years = target_year - latest
    if years <= 0:
        raise ValueError(f"target_year={target_year} must be after the latest year {latest}")
    brk = breaks_by_entity(gdp_series_breaks(nato) if breaks is None else breaks)
    brk = {e: tuple(y for y in ys if first < y <= latest) for e, ys in brk.items()}
    brk = {e: ys for e, ys in brk.items() if ys}
    allies = counted_allies(nato, membership).filter(
        pl.col("year") == latest, pl.col("counted"), pl.col("share_gdp_pct").is_not_null())
    gdp_g = average_growth_pct(nato, "gdp_usd_m_const2015", first, latest,
                               breaks=brk).drop("gdp_usd_m_const2015_n_steps")
    gdp_raw = average_growth_pct(nato, "gdp_usd_m_const2015", first, latest).select(
        "entity", pl.col("gdp_usd_m_const2015_cagr_pct").alias("_gdp_across"))
    mil_g = average_growth_pct(nato, "milex_usd_m_const2015", first,
                               latest).drop("milex_usd_m_const2015_n_steps")
    brk_frame = pl.DataFrame(
        {"entity": list(brk), "gdp_break_year": [max(v) for v in brk.values()]},
        schema={"entity": pl.String, "gdp_break_year": pl.Int64})
    out = (allies.select("entity", "year", "estimate", "share_gdp_pct")
           .join(gdp_g, on="entity", how="left").join(gdp_raw, on="entity", how="left")
           .join(mil_g, on="entity", how="left").join(brk_frame, on="entity", how="left"))
    gdp_expr = (pl.col("gdp_usd_m_const2015_cagr_pct") if gdp_growth_pct is None
                else pl.lit(float(gdp_growth_pct)))
    above = pl.col("share_gdp_pct") >= target_share_pct
    needed = required_real_growth_pct(pl.col("share_gdp_pct"), target_share_pct, gdp_expr, years)
    out = out.select(
        "entity", pl.col("year").alias("latest_year"), "estimate",
        pl.col("share_gdp_pct").alias("share_gdp_pct_latest"),
        pl.lit(float(target_share_pct)).alias("target_share_pct"),
        pl.lit(target_year).alias("target_year"),
        (pl.lit(float(target_share_pct)) - pl.col("share_gdp_pct")).alias("gap_pp"),
        above.alias("already_above"),
        gdp_expr.alias("gdp_growth_pct_assumed"),
        pl.lit("own average" if gdp_growth_pct is None else "common").alias("gdp_growth_basis"),
        pl.col("gdp_break_year").is_not_null().alias("series_break"),
        "gdp_break_year",
        pl.col("_gdp_across").alias("gdp_growth_pct_across_break"),
        pl.col("milex_usd_m_const2015_cagr_pct").alias("milex_real_growth_pct_past"),
        pl.when(~above).then(needed).alias("required_real_growth_pct"),
        pl.when(above).then(needed).alias("growth_to_stay_pct"),
    )
    return out.with_columns(
        pl.when(~pl.col("already_above"))
        .then(pl.col("required_real_growth_pct") > pl.col("milex_real_growth_pct_past"))
        .alias("needs_faster_growth"),
    ).sort("gap_pp", descending=True)


def faster_growth_if_breaks_ignored(gap: pl.DataFrame) -> int:
    """How many Allies would need faster growth if GDP growth were taken across the series
    breaks (the sensitivity of :func:`pledge_gap`'s count to the break handling)."""
    if gap["gdp_growth_basis"][0] != "own average":
        return int(gap["needs_faster_growth"].sum())
    years = int(gap["target_year"][0]) - int(gap["latest_year"][0])
    gdp = pl.coalesce("gdp_growth_pct_across_break", "gdp_growth_pct_assumed")
    needed = required_real_growth_pct(pl.col("share_gdp_pct_latest"),
                                      pl.col("target_share_pct"), gdp, years)
    return int(gap.filter(~pl.col("already_above"),
                          needed > pl.col("milex_real_growth_pct_past")).height)


# ---------------------------------------------------------------- straight-line trends
def fit_trends(nato: pl.DataFrame, membership: pl.DataFrame, window_start: int | None = None,
               window_end: int | None = None, target_year: int = TARGET_YEAR,
               alpha: float = 0.05,
               breaks: pl.DataFrame | Breaks | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Each Ally's share of GDP on a straight line, projected to ``target_year``.

    Fits share_gdp_pct = a + b * year by ordinary least squares over ``window_start`` to
    ``window_end`` (default: the table's first and latest year; NATO's estimates included),
    one regression per Ally counted in the latest year, and gives the point projection with a
    (1 - alpha) prediction interval for a single future year. Years are used whether or not the
    Ally was yet a member: the share is the national figure either way.

    Where NATO's GDP series breaks inside the window (default: :func:`gdp_series_breaks`), the
    share jumps for a reason that is not spending; the line then gets a level shift from the
    break year on (a step dummy), so its slope comes from the years within each series and the
    projection continues the new series. ``level_shift_pp`` is that shift.

    Returns the projection (one row per Ally) and the residuals (entity, year, residual): what
    :func:`trend_count_interval` draws from. A straight line describes the recent past; it is
    not a forecast: it ignores announced budgets and cannot bend.
    """
    start = int(nato["year"].min()) if window_start is None else window_start
    end = window_end or int(nato["year"].max())
    brk = breaks_by_entity(gdp_series_breaks(nato) if breaks is None else breaks)
    latest_allies = counted_allies(nato, membership).filter(
        pl.col("year") == end, pl.col("counted"), pl.col("share_gdp_pct").is_not_null()
    )["entity"].to_list()
    data = nato.filter(pl.col("entity").is_in(latest_allies),
                       pl.col("year").is_between(start, end),
                       pl.col("share_gdp_pct").is_not_null())
    rows, residuals = [], []
    for (entity,), g in data.sort("year").group_by(["entity"], maintain_order=True):
        years = g["year"].to_numpy()
        yv = g["share_gdp_pct"].to_numpy()
        shifts = [y for y in brk.get(entity, ()) if years.min() < y <= years.max()]
        cols = [np.ones(len(years)), years - start] + [(years >= y).astype(float) for y in shifts]
        x = np.column_stack(cols)
        fit = ols_prediction(x, yv, np.array([1.0, target_year - start] + [1.0] * len(shifts)),
                             alpha)
        rows.append({
            "entity": entity, "window_start": start, "window_end": end,
            "n_years": len(years), "df_resid": fit["df_resid"],
            "slope_pp_per_year": float(fit["params"][1]),
            "level_shift_pp": float(sum(fit["params"][2:])) if shifts else None,
            "break_year": max(shifts) if shifts else None,
            "r_squared": fit["r_squared"],
            "share_gdp_pct_latest": float(yv[-1]),
            "projected_share_pct": fit["mean"],
            "prediction_se_pct": fit["obs_se"],
            "pi_lower_pct": fit["pi_lower"],
            "pi_upper_pct": fit["pi_upper"],
            "target_year": target_year, "pi_level": 1 - alpha,
            "series_break": bool(shifts),
        })
        residuals.append(pl.DataFrame({"entity": entity, "year": years,
                                       "residual": fit["resid"]}))
    schema = {"break_year": pl.Int64, "level_shift_pp": pl.Float64}
    projection = pl.DataFrame(rows, schema_overrides=schema).sort("projected_share_pct",
                                                                 descending=True)
    return projection, pl.concat(residuals)


def ols_prediction(x: np.ndarray, y: np.ndarray, x0: np.ndarray, alpha: float = 0.05) -> dict:
    """Ordinary least squares and the prediction interval for a new observation at ``x0``:
    the textbook formulas statsmodels' ``OLS(...).get_prediction(x0).summary_frame(alpha)``
    implements (a test checks they agree), without its 4 s import in every kernel."""
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
    return {"params": params, "resid": resid, "df_resid": int(df_resid), "scale": scale,
            "r_squared": float(1 - resid @ resid / (centred @ centred)), "mean": mean,
            "mean_se": mean_se, "obs_se": obs_se, "pi_lower": mean - q * obs_se,
            "pi_upper": mean + q * obs_se}


def trend_projection(nato: pl.DataFrame, membership: pl.DataFrame,
                     window_start: int | None = None, window_end: int | None = None,
                     target_year: int = TARGET_YEAR, alpha: float = 0.05,
                     breaks: pl.DataFrame | Breaks | None = None) -> pl.DataFrame:
    """The projection half of :func:`fit_trends`."""
    return fit_trends(nato, membership, window_start, window_end, target_year, alpha,
                      breaks)[0]


def trend_reach_counts(projection: pl.DataFrame,
                       target_share_pct: float = TARGET_SHARE_PCT) -> dict:
    """How many Allies reach the target on trend: the point projection, and how many of the
    separate per-Ally prediction intervals lie wholly above it (``lower_pi``) or reach it
    (``upper_pi``). The last two are *not* an interval for the count: see
    :func:`trend_count_interval`."""
    def count(col: str) -> int:
        return int((projection[col] >= target_share_pct).sum())

    return {
        "n_allies": projection.height,
        "point": count("projected_share_pct"),
        "lower_pi": count("pi_lower_pct"),
        "upper_pi": count("pi_upper_pct"),
        "allies_point": sorted(projection.filter(
            pl.col("projected_share_pct") >= target_share_pct)["entity"].to_list()),
    }


def trend_count_interval(projection: pl.DataFrame, residuals: pl.DataFrame,
                         target_share_pct: float = TARGET_SHARE_PCT, level: float = 0.95,
                         n_draws: int = TREND_DRAWS, seed: int = TREND_SEED) -> dict:
    """An interval for the *number* of Allies at or above the target on their trends.

    The 31 separate prediction intervals do not give one: counting the Allies whose lower (or
    upper) bound clears the target assumes every Ally lands at the same end of its interval.
    Here all Allies' trend errors are drawn jointly, ``n_draws`` times:

    * each Ally's error at the target year has the scale of its own prediction interval
      (residual variance plus the uncertainty of the fitted line, ``prediction_se_pct``) and a
      Student t distribution with the regression's residual degrees of freedom, so each Ally's
      draws reproduce its own interval exactly;
    * the errors move together across Allies as the trend residuals did year by year
      (a Gaussian copula whose correlation is the residuals' sample correlation: a year is drawn
      as a random combination of the observed years' residual vectors).

    Returns the point count, the ``level`` interval of the count (the smallest counts with
    cumulative probability at least (1-level)/2 and (1+level)/2), its mean, the distribution of
    the count over the draws, and the median lag-1 autocorrelation of the residuals (positive
    autocorrelation, which straight-line intervals ignore, makes them too narrow).
    """
    wide = (residuals.pivot(on="entity", index="year", values="residual")
            .sort("year").fill_null(0.0))
    entities = projection["entity"].to_list()
    r = wide.select(entities).to_numpy()  # years x Allies
    norms = np.sqrt((r ** 2).sum(axis=0))
    u = r / np.where(norms > 0, norms, 1.0)
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n_draws, r.shape[0])) @ u  # unit variance, residual correlation
    df = projection["df_resid"].to_numpy()
    errors = special.stdtrit(df, special.ndtr(z)) * projection["prediction_se_pct"].to_numpy()
    counts = ((projection["projected_share_pct"].to_numpy() + errors) >= target_share_pct).sum(1)
    values, freq = np.unique(counts, return_counts=True)
    cdf = np.cumsum(freq) / n_draws
    lo = int(values[np.searchsorted(cdf, (1 - level) / 2 - 1e-12)])
    hi = int(values[np.searchsorted(cdf, (1 + level) / 2 - 1e-12)])
    ac1 = [float(np.corrcoef(c[:-1], c[1:])[0, 1]) for c in r.T if np.std(c[:-1]) > 0]
    point = int((projection["projected_share_pct"] >= target_share_pct).sum())
    return {
        "n_allies": len(entities), "point": point, "low": lo, "high": hi, "level": level,
        "coverage": float(((counts >= lo) & (counts <= hi)).mean()),
        "mean": float(counts.mean()), "n_draws": n_draws, "seed": seed,
        "distribution": pl.DataFrame({"n_allies_reaching": values.astype(int),
                                      "share_of_draws": freq / n_draws}),
        "median_residual_autocorrelation": float(np.median(ac1)) if ac1 else None,
        "mean_residual_correlation": _mean_offdiagonal(u),
    }


def _mean_offdiagonal(u: np.ndarray) -> float | None:
    c = u.T @ u
    k = c.shape[0]
    return float((c.sum() - np.trace(c)) / (k * k - k)) if k > 1 else None
