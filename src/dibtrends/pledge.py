"""NATO's spending guidelines and the 2035 pledge, Ally by Ally, from NATO's own tables.

Guidelines (Wales, 2014): at least 2 % of GDP on defence (NATO: expenditure over real GDP, both
at 2015 prices) and at least 20 % of it on major equipment. The Hague (2025): 5 % of GDP by
2035, of which at least 3.5 % on core defence, the only part NATO's tables measure. An Ally
counts from the calendar year of its accession; Iceland has no defence expenditure and is never
counted as meeting or missing a guideline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import polars as pl

from .equipment import counted_allies
from .stats import counts

GDP_GUIDELINE_PCT = 2.0
EQUIPMENT_GUIDELINE_PCT = 20.0
#: The Hague commitment: the defaults of the shared parameters target_share_pct, target_year.
TARGET_SHARE_PCT = 3.5
TARGET_YEAR = 2035
#: A one-year change in an Ally's real GDP (2015 prices) larger than this is a break in NATO's
#: GDP series, not a change in output: in the June 2024 tables Luxembourg's real GDP falls 34 %
#: from 2022 to 2023 while its defence spending rises, and no other Ally's moves by more than
#: 16 % in any year, 2020 included (:func:`largest_ordinary_gdp_change` says so from the data).
BREAK_THRESHOLD_PCT = 25.0
#: The joint draws of trend errors: a fixed seed makes the published interval reproducible;
#: 10,000 draws put the Monte Carlo error of a 2.5 % quantile of a count well below one Ally.
TREND_SEED = 20250625
TREND_DRAWS = 10_000

Breaks = Mapping[str, int | Iterable[int]]


def guideline_status(nato: pl.DataFrame, membership: pl.DataFrame,
                     gdp_pct: float = GDP_GUIDELINE_PCT,
                     equipment_pct: float = EQUIPMENT_GUIDELINE_PCT) -> pl.DataFrame:
    """Per Ally and year: both shares and whether each guideline is met (null where the Ally
    was not yet counted or NATO publishes no figure)."""
    met = {"gdp": ("share_gdp_pct", gdp_pct), "equipment": ("equipment_share_pct", equipment_pct)}
    return counted_allies(nato, membership).select(
        "entity", "year", "estimate", "counted", "share_gdp_pct", "equipment_share_pct",
        *[pl.when(pl.col("counted")).then(pl.col(col) >= pct).alias(f"meets_{name}_guideline")
          for name, (col, pct) in met.items()],
    ).sort("entity", "year")


def guideline_counts(status: pl.DataFrame) -> pl.DataFrame:
    """Per year: Allies counted (with data) and how many meet each guideline."""
    return status.filter(pl.col("counted")).group_by("year").agg(
        pl.first("estimate"),
        pl.col("share_gdp_pct").is_not_null().sum().alias("n_allies_with_data"),
        pl.col("meets_gdp_guideline").sum().alias("n_meeting_gdp"),
        pl.col("meets_equipment_guideline").sum().alias("n_meeting_equipment"),
        (pl.col("meets_gdp_guideline") & pl.col("meets_equipment_guideline")).sum()
        .alias("n_meeting_both"),
    ).sort("year")


def allies_meeting(status: pl.DataFrame, year: int, guideline: str = "gdp") -> list[str]:
    """Sorted ISO3 codes of Allies meeting ``guideline`` ('gdp' or 'equipment') in ``year``."""
    meets = pl.col(f"meets_{guideline}_guideline")
    return sorted(status.filter(pl.col("year") == year, meets)["entity"].to_list())


def required_real_growth_pct(share_now_pct, share_target_pct, gdp_growth_pct, years):
    """Average annual real growth of defence spending that moves a share of GDP to a target.

    With real GDP growing at y, s_T = s_0 ((1+g)/(1+y))^n, so g = (1+y) (s_T/s_0)^(1/n) - 1
    (percent in and out; floats, arrays or Polars expressions). Above the target, g is the
    growth below which the share falls back under it.
    """
    y = gdp_growth_pct / 100
    return ((1 + y) * (share_target_pct / share_now_pct) ** (1 / years) - 1) * 100


def _gdp_steps(nato: pl.DataFrame) -> pl.DataFrame:
    return (nato.filter(~pl.col("is_aggregate")).sort("entity", "year")
            .with_columns(((pl.col("gdp_usd_m_const2015")
                            / pl.col("gdp_usd_m_const2015").shift(1).over("entity") - 1) * 100)
                          .alias("change_pct")))


def gdp_series_breaks(nato: pl.DataFrame,
                      threshold_pct: float = BREAK_THRESHOLD_PCT) -> pl.DataFrame:
    """Ally-years whose real GDP changes by more than ``threshold_pct`` from the year before:
    entity, year (the first year of the new series), change_pct."""
    return (_gdp_steps(nato).filter(pl.col("change_pct").abs() > threshold_pct)
            .select("entity", "year", "change_pct"))


def largest_ordinary_gdp_change(nato: pl.DataFrame,
                                threshold_pct: float = BREAK_THRESHOLD_PCT) -> dict:
    """The largest one-year real GDP change that is *not* a break: what the threshold leaves."""
    return (_gdp_steps(nato).filter(pl.col("change_pct").abs() <= threshold_pct)
            .sort(pl.col("change_pct").abs(), descending=True)
            .select("entity", "year", "change_pct").row(0, named=True))


def shares_across_breaks(nato: pl.DataFrame, breaks: pl.DataFrame) -> pl.DataFrame:
    """Each break with the Ally's share of GDP the year before and in the break year, and the
    change of its real defence spending into that year (which the break does not touch)."""
    cols = nato.select("entity", "year", "share_gdp_pct", "milex_usd_m_const2015")
    milex = pl.col("milex_usd_m_const2015")
    return (breaks.join(cols, on=["entity", "year"], how="left")
            .join(cols.with_columns(pl.col("year") + 1), on=["entity", "year"], how="left",
                  suffix="_before")
            .select(*breaks.columns, pl.col("share_gdp_pct_before").alias("share_before_pct"),
                    pl.col("share_gdp_pct").alias("share_after_pct"),
                    ((milex / pl.col("milex_usd_m_const2015_before") - 1) * 100)
                    .alias("milex_change_pct")))


def breaks_by_entity(breaks: pl.DataFrame | Breaks | None) -> dict[str, tuple[int, ...]]:
    """entity -> break years, from :func:`gdp_series_breaks` or a mapping entity -> year(s)."""
    if isinstance(breaks, pl.DataFrame):
        breaks = dict(breaks.group_by("entity", maintain_order=True).agg("year").rows())
    return {e: tuple(sorted(int(y) for y in np.atleast_1d(ys))) for e, ys in (breaks or {}).items()}


def average_growth_pct(nato: pl.DataFrame, column: str, start_year: int | None = None,
                       end_year: int | None = None,
                       breaks: pl.DataFrame | Breaks | None = None) -> pl.DataFrame:
    """Compound average annual growth of ``column`` per entity (``{column}_cagr_pct``), the
    ``y`` and ``g`` of :func:`required_real_growth_pct`; the step into a break year is left out."""
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
        ((pl.col("_ratio").log().mean().exp() - 1) * 100).alias(f"{column}_cagr_pct")
    ).sort("entity")


def _latest_allies(nato: pl.DataFrame, membership: pl.DataFrame, year: int) -> pl.DataFrame:
    return counted_allies(nato, membership).filter(
        pl.col("year") == year, pl.col("counted"), pl.col("share_gdp_pct").is_not_null())


def pledge_gap(nato: pl.DataFrame, membership: pl.DataFrame,
               target_share_pct: float = TARGET_SHARE_PCT, target_year: int = TARGET_YEAR,
               gdp_growth_pct: float | None = None,
               breaks: pl.DataFrame | Breaks | None = None) -> pl.DataFrame:
    """Per Ally: the gap from its latest share of GDP to the target and the growth that closes
    it, against its own past real growth of defence spending.

    GDP grows at each Ally's own average real growth (``gdp_growth_pct=None``) or a common
    rate. An Ally ``already_above`` needs no growth; ``growth_to_stay_pct`` is the growth below
    which it falls back. Series breaks (default: :func:`gdp_series_breaks`) are skipped in the
    own-average GDP growth; ``gdp_growth_pct_across_break`` shows what that changes.
    """
    first, latest = int(nato["year"].min()), int(nato["year"].max())
    years = target_year - latest
    if years <= 0:
        raise ValueError(f"target_year={target_year} must be after the latest year {latest}")
    brk = breaks_by_entity(gdp_series_breaks(nato) if breaks is None else breaks)
    brk = {e: tuple(y for y in ys if first < y <= latest) for e, ys in brk.items()}
    brk = {e: ys for e, ys in brk.items() if ys}
    gdp_g = average_growth_pct(nato, "gdp_usd_m_const2015", breaks=brk)
    gdp_raw = average_growth_pct(nato, "gdp_usd_m_const2015").select(
        "entity", pl.col("gdp_usd_m_const2015_cagr_pct").alias("_gdp_across"))
    mil_g = average_growth_pct(nato, "milex_usd_m_const2015")
    brk_frame = pl.DataFrame(
        {"entity": list(brk), "gdp_break_year": [max(v) for v in brk.values()]},
        schema={"entity": pl.String, "gdp_break_year": pl.Int64})
    out = (_latest_allies(nato, membership, latest)
           .select("entity", "year", "estimate", "share_gdp_pct")
           .join(gdp_g, on="entity", how="left").join(gdp_raw, on="entity", how="left")
           .join(mil_g, on="entity", how="left").join(brk_frame, on="entity", how="left"))
    gdp_expr = (pl.col("gdp_usd_m_const2015_cagr_pct") if gdp_growth_pct is None
                else pl.lit(float(gdp_growth_pct)))
    above = pl.col("share_gdp_pct") >= target_share_pct
    needed = required_real_growth_pct(pl.col("share_gdp_pct"), target_share_pct, gdp_expr, years)
    past = pl.col("milex_usd_m_const2015_cagr_pct")
    return out.select(
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
        past.alias("milex_real_growth_pct_past"),
        pl.when(~above).then(needed).alias("required_real_growth_pct"),
        pl.when(above).then(needed).alias("growth_to_stay_pct"),
        pl.when(~above).then(needed > past).alias("needs_faster_growth"),
    ).sort("gap_pp", descending=True)


def faster_growth_if_breaks_ignored(gap: pl.DataFrame) -> int:
    """How many Allies would need faster growth with GDP growth taken across the series
    breaks: the sensitivity of :func:`pledge_gap`'s count to the break handling."""
    if gap["gdp_growth_basis"][0] != "own average":
        return int(gap["needs_faster_growth"].sum())
    years = int(gap["target_year"][0]) - int(gap["latest_year"][0])
    gdp = pl.coalesce("gdp_growth_pct_across_break", "gdp_growth_pct_assumed")
    needed = required_real_growth_pct(pl.col("share_gdp_pct_latest"),
                                      pl.col("target_share_pct"), gdp, years)
    return int(gap.filter(~pl.col("already_above"),
                          needed > pl.col("milex_real_growth_pct_past")).height)


def fit_trends(nato: pl.DataFrame, membership: pl.DataFrame, window_start: int | None = None,
               target_year: int = TARGET_YEAR,
               breaks: pl.DataFrame | Breaks | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Each Ally counted in the latest year on a straight line from ``window_start``, with a
    level shift at a GDP series break (:func:`dibtrends.stats.counts.trend_lines`).

    Years before accession count too: the share is the national figure either way. A straight
    line describes the recent past; it is not a forecast.
    """
    start = int(nato["year"].min()) if window_start is None else window_start
    end = int(nato["year"].max())
    brk = breaks_by_entity(gdp_series_breaks(nato) if breaks is None else breaks)
    allies = _latest_allies(nato, membership, end)["entity"].to_list()
    data = nato.filter(pl.col("entity").is_in(allies), pl.col("year").is_between(start, end),
                       pl.col("share_gdp_pct").is_not_null())
    return counts.trend_lines(data, start, end, target_year, brk)
