"""NATO's spending guidelines and the 2035 pledge, Ally by Ally, from NATO's own tables.

Guidelines (Wales Summit Declaration, 5 September 2014, para. 14): spend at least 2 % of GDP on
defence and at least 20 % of defence expenditure on major equipment including related R&D.
NATO measures the first as defence expenditure over real GDP, both at 2015 prices (Table 3).

The Hague Summit Declaration (25 June 2025) commits Allies to 5 % of GDP by 2035: at least 3.5 %
on core defence as NATO defines it, plus up to 1.5 % on defence- and security-related spending.
The 2024 tables measure only the core-defence part, so the gap here is to the 3.5 % (parameter).

An Ally counts from the calendar year of its accession (NATO's own rule for its aggregates;
see :mod:`dibtrends.equipment`). Iceland has no armed forces and no defence expenditure in the
tables; it is listed with null values and never counted as meeting or missing a guideline.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import statsmodels.api as sm

from .equipment import counted_allies

GDP_GUIDELINE_PCT = 2.0
EQUIPMENT_GUIDELINE_PCT = 20.0


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


def required_real_growth_pct(share_now_pct, share_target_pct, gdp_growth_pct, years):
    """Average annual real growth of defence spending that moves a share of GDP to a target.

    With real GDP growing at y a year, a share s_0 becomes s_T = s_0 ((1+g)/(1+y))^n after n
    years of defence growth g, so g = (1+y) (s_T/s_0)^(1/n) - 1. Percent in, percent out; works
    on floats, numpy arrays and polars expressions alike.
    """
    y = gdp_growth_pct / 100
    return ((1 + y) * (share_target_pct / share_now_pct) ** (1 / years) - 1) * 100


#: Series breaks in NATO's GDP at 2015 prices (Table 5): entity -> first year of the new series.
#: Luxembourg's real GDP falls 34 % from 2022 to 2023 (US$ 71.9 bn to 47.5 bn at 2015 prices)
#: while no other Ally's moves by more than 16 % in any year, including 2020: a change in the
#: denominator series, not in output (its share of GDP doubles from 0.56 % to 1.12 % that year).
#: Growth across a break is meaningless, so average growth skips that one step.
GDP_SERIES_BREAKS: dict[str, int] = {"LUX": 2023}


def average_growth_pct(nato: pl.DataFrame, column: str, start_year: int = 2014,
                       end_year: int = 2024,
                       breaks: dict[str, int] | None = None) -> pl.DataFrame:
    """Compound average annual growth of ``column`` between two years, per entity (percent).

    Why compound: it is the constant rate that links the two end points, the same quantity as
    ``y`` and ``g`` in :func:`required_real_growth_pct`. Where ``breaks`` names a series break
    for an entity, the year-on-year step into the break year is left out and the average is
    taken over the remaining steps (``n_steps`` says how many).
    """
    breaks = breaks or {}
    steps = (nato.filter(pl.col("year").is_between(start_year, end_year))
             .sort("entity", "year")
             .with_columns((pl.col(column) / pl.col(column).shift(1).over("entity"))
                           .alias("_ratio"))
             .filter(pl.col("year") > start_year, pl.col("_ratio").is_not_null()))
    if breaks:
        brk = pl.DataFrame({"entity": list(breaks), "_break": list(breaks.values())},
                           schema={"entity": pl.String, "_break": pl.Int64})
        steps = (steps.join(brk, on="entity", how="left")
                 .filter(pl.col("_break").is_null() | (pl.col("year") != pl.col("_break"))))
    return steps.group_by("entity").agg(
        pl.len().alias(f"{column}_n_steps"),
        ((pl.col("_ratio").log().mean().exp() - 1) * 100).alias(f"{column}_cagr_pct"),
    ).sort("entity")


def pledge_gap(nato: pl.DataFrame, membership: pl.DataFrame, target_share_pct: float = 3.5,
               target_year: int = 2035, gdp_growth_pct: float | None = None,
               growth_start_year: int = 2014, latest_year: int | None = None) -> pl.DataFrame:
    """Per Ally: the gap from its latest share of GDP to the target and the growth needed.

    ``gdp_growth_pct=None`` uses each Ally's own average real GDP growth ``growth_start_year``
    to the latest year (NATO Table 5, GDP at 2015 prices); a number applies to every Ally. For
    comparison the Ally's own average real growth of defence spending over the same years
    (Table 2, constant 2015 US$) is given. A negative ``gap_pp`` means the Ally is already above.
    Luxembourg's GDP series breaks in 2023 (see ``GDP_SERIES_BREAKS``): its own-average growth
    skips that step, and ``series_break`` flags it.
    """
    latest = latest_year or int(nato["year"].max())
    years = target_year - latest
    if years <= 0:
        raise ValueError(f"target_year={target_year} must be after the latest year {latest}")
    allies = counted_allies(nato, membership).filter(
        pl.col("year") == latest, pl.col("counted"), pl.col("share_gdp_pct").is_not_null())
    gdp_g = average_growth_pct(nato, "gdp_usd_m_const2015", growth_start_year, latest,
                               breaks=GDP_SERIES_BREAKS).drop("gdp_usd_m_const2015_n_steps")
    mil_g = average_growth_pct(nato, "milex_usd_m_const2015", growth_start_year,
                               latest).drop("milex_usd_m_const2015_n_steps")
    out = (allies.select("entity", "year", "estimate", "share_gdp_pct")
           .join(gdp_g, on="entity", how="left").join(mil_g, on="entity", how="left"))
    gdp_expr = (pl.col("gdp_usd_m_const2015_cagr_pct") if gdp_growth_pct is None
                else pl.lit(float(gdp_growth_pct)))
    return out.select(
        "entity", pl.col("year").alias("latest_year"), "estimate",
        pl.col("share_gdp_pct").alias("share_gdp_pct_latest"),
        pl.lit(float(target_share_pct)).alias("target_share_pct"),
        pl.lit(target_year).alias("target_year"),
        (pl.lit(float(target_share_pct)) - pl.col("share_gdp_pct")).alias("gap_pp"),
        gdp_expr.alias("gdp_growth_pct_assumed"),
        pl.lit("own average" if gdp_growth_pct is None else "common").alias("gdp_growth_basis"),
        pl.col("entity").is_in(list(GDP_SERIES_BREAKS)).alias("series_break"),
        pl.col("milex_usd_m_const2015_cagr_pct").alias("milex_real_growth_pct_past"),
        required_real_growth_pct(pl.col("share_gdp_pct"), target_share_pct, gdp_expr, years)
        .alias("required_real_growth_pct"),
    ).sort("gap_pp", descending=True)


def trend_projection(nato: pl.DataFrame, membership: pl.DataFrame, window_start: int = 2014,
                     window_end: int | None = None, target_year: int = 2035,
                     alpha: float = 0.05) -> pl.DataFrame:
    """Each Ally's share of GDP projected to ``target_year`` on its linear trend (OLS on year).

    Fits share_gdp_pct = a + b * year by ordinary least squares over ``window_start`` to
    ``window_end`` (default: latest year; 2023 and 2024 are NATO estimates and are included),
    one regression per Ally, and gives the point projection with a (1 - alpha) prediction
    interval for a single future year. Years are used whether or not the Ally was yet a member:
    the share is the national figure either way. A straight line is a description of the recent
    past, not a forecast: it ignores announced budgets and cannot bend.
    """
    end = window_end or int(nato["year"].max())
    latest_allies = counted_allies(nato, membership).filter(
        pl.col("year") == end, pl.col("counted"), pl.col("share_gdp_pct").is_not_null()
    )["entity"].to_list()
    data = nato.filter(pl.col("entity").is_in(latest_allies),
                       pl.col("year").is_between(window_start, end),
                       pl.col("share_gdp_pct").is_not_null())
    rows = []
    for (entity,), g in data.sort("year").group_by(["entity"], maintain_order=True):
        x = g["year"].to_numpy().astype(float)
        yv = g["share_gdp_pct"].to_numpy()
        fit = sm.OLS(yv, sm.add_constant(x - window_start)).fit()
        pred = fit.get_prediction(np.array([[1.0, target_year - window_start]]))
        frame = pred.summary_frame(alpha=alpha)
        rows.append({
            "entity": entity, "window_start": window_start, "window_end": end,
            "n_years": len(x), "slope_pp_per_year": float(fit.params[1]),
            "r_squared": float(fit.rsquared),
            "share_gdp_pct_latest": float(yv[-1]),
            "projected_share_pct": float(frame["mean"].iloc[0]),
            "pi_lower_pct": float(frame["obs_ci_lower"].iloc[0]),
            "pi_upper_pct": float(frame["obs_ci_upper"].iloc[0]),
            "target_year": target_year, "pi_level": 1 - alpha,
            "series_break": entity in GDP_SERIES_BREAKS
            and window_start < GDP_SERIES_BREAKS[entity] <= end,
        })
    return pl.DataFrame(rows).sort("projected_share_pct", descending=True)


def trend_reach_counts(projection: pl.DataFrame, target_share_pct: float = 3.5) -> dict:
    """How many Allies reach the target on trend: point, pessimistic (lower PI), optimistic."""
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


def headlines(status: pl.DataFrame, gap: pl.DataFrame, projection: pl.DataFrame,
              target_share_pct: float = 3.5) -> list[dict]:
    """Headline rows for notebook 04 (``report.headline`` dicts)."""
    from .countries import name_of
    from .report import headline

    counts = guideline_counts(status)
    first, latest = int(counts["year"].min()), int(counts["year"].max())
    reach = trend_reach_counts(projection, target_share_pct)
    target_year = int(projection["target_year"][0])
    window = f"{int(projection['window_start'][0])}-{int(projection['window_end'][0])}"
    rows = []
    for year in (first, latest):
        c = counts.filter(pl.col("year") == year).row(0, named=True)
        names = allies_meeting(status, year, "gdp")
        few = len(names) <= 5
        rows.append(headline(
            f"pledge_allies_2pct_{year}", f"Allies at or above 2 % of GDP, {year}",
            c["n_meeting_gdp"], "Allies", decimals=0,
            display=(f"{c['n_meeting_gdp']} of {c['n_allies_with_data']}"
                     + (f" ({', '.join(names)})" if few else "")),
            note=", ".join(sorted(name_of(n) for n in names)) if few else ""))
    tag = f"{target_share_pct:g}".replace(".", "p")
    above = gap.filter(pl.col("gap_pp") <= 0)["entity"].to_list()
    rows.append(headline(
        f"pledge_allies_at_{tag}pct_{latest}",
        f"Allies already at {target_share_pct:g} % of GDP in {latest}", len(above), "Allies",
        decimals=0, note=", ".join(sorted(name_of(a) for a in above))))
    faster = gap.filter(pl.col("required_real_growth_pct") > pl.col("milex_real_growth_pct_past"))
    rows.append(headline(
        "pledge_allies_needing_faster_growth",
        f"Allies whose required real growth to {target_year} exceeds their {first}-{latest} rate",
        faster.height, "Allies", decimals=0, display=f"{faster.height} of {gap.height}"))
    for key, label in (("point", "point projection"), ("lower_pi", "lower 95 % bound"),
                       ("upper_pi", "upper 95 % bound")):
        rows.append(headline(
            f"pledge_allies_reaching_{tag}pct_{target_year}_trend_{key}",
            f"Allies reaching {target_share_pct:g} % by {target_year} on their {window} trend "
            f"({label})", reach[key], "Allies", decimals=0,
            display=f"{reach[key]} of {reach['n_allies']}",
            note=(", ".join(sorted(name_of(a) for a in reach["allies_point"]))
                  if key == "point" else "")))
    return rows
