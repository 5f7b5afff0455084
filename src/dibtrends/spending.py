"""The long run of NATO military spending as a share of GDP: aggregates, eras, decline checks.

Pure functions of frames the caller passes in (SIPRI rows, a membership panel). Two aggregates
answer different questions: the GDP-weighted share (sum of spending / sum of GDP: the alliance's
economy, dominated by the United States) and the simple mean of Allies' shares (the typical
Ally). SIPRI publishes no GDP; it is recovered as spending / share (both at the same exchange
rate, so this is the GDP SIPRI used). An Ally without a figure is left out of that year's
aggregate and reported (``n_missing``, ``missing_*``), never silently dropped. Context before
1949 (OWID's GMSD, Correlates of War NMC) is compared with SIPRI, never joined to it.
"""

from __future__ import annotations

import itertools

import numpy as np
import polars as pl

from .membership import RULES, membership_panel
from .stats import breaks

GROUPS = ("NATO Europe and Canada", "United States", "NATO total")
GROUP_FILTER = {"NATO Europe and Canada": pl.col("iso3") != "USA",
                 "United States": pl.col("iso3") == "USA", "NATO total": pl.lit(True)}
MEASURES = {"weighted": "share_gdp_pct_weighted", "mean": "share_gdp_pct_mean"}
#: The Allies each measure's figure covers (a zero share gives no GDP to weight).
COVERED = {"weighted": "n_weighted", "mean": "n_mean"}

#: The break search and tests (the chapter states them in words).
MAX_BREAKS, MIN_SEGMENT, ALPHA, SEED = 3, 6, 0.05, 1949
#: What "progressive" means: at least this share of annual changes to the low are falls (also
#: shown under FALLS_THRESHOLDS), no run of rises adds more than PROGRESSIVE_MAX_RISE_PP points,
#: and the decline lasts MIN_DECLINE_YEARS or more (the claim's "sixty", counted from the first
#: year with complete data). Rises under MIN_RISE_PP are not episodes.
PROGRESSIVE_MIN_SHARE_OF_FALLS, FALLS_THRESHOLDS = 0.75, (0.70, 0.75, 0.80)
#: The checks' column saying whether the decline is "progressive" at each threshold.
AT = {th: f"at_{round(th * 100)}" for th in FALLS_THRESHOLDS}
PROGRESSIVE_MAX_RISE_PP, MIN_DECLINE_YEARS, MIN_RISE_PP = 0.5, 50, 0.3
#: The claims are checked one way whatever the chapter's parameters: Allies counted from
#: accession, every year; the turn "after 2014" is a last break within 2 years of 2014.
CLAIM_RULE, CLAIM_TURN_YEAR, CLAIM_TURN_TOLERANCE = "accession", 2014, 2
#: The US figure the second claim states, its year and the rounding it allows; the year and
#: threshold of the "Allies at 2 %" count (the Wales pledge).
US_CLAIM_PCT, US_CLAIM_YEAR, US_CLAIM_TOLERANCE = 3.4, 2024, 0.05
TWO_PCT_YEAR, TWO_PCT = 2014, 2.0
#: Context before NATO: the founding Allies that were great powers, NMC's first year in US$
#: (pounds sterling before), and the periods summarised.
# (NMC_USD_FROM is also the loader's, dibtrends.load.context: not imported here, so the
# kernels that run the chapters never import pandera.)
CONTEXT_COUNTRIES, NMC_USD_FROM, CONTEXT_LAST_YEAR = ("USA", "GBR", "FRA"), 1914, 1948
CONTEXT_PERIODS = {"before the First World War": (1900, 1913),
                   "between the world wars": (1920, 1938)}
WAR_YEARS = (1939, 1945)


def alliance_share_of_gdp(milex: pl.DataFrame, membership_panel: pl.DataFrame,
                          group: str = "NATO total") -> pl.DataFrame:
    """Per year: GDP-weighted and simple-mean share of ``group``'s Allies, with coverage.

    ``n_weighted`` Allies have spending and a positive share (Iceland's zero share gives no GDP:
    ``missing_weighted``); ``n_mean`` have a share; ``n_missing`` none (``missing_mean``).
    """
    if group not in GROUP_FILTER:
        raise ValueError(f"group={group!r} is not one of {GROUPS}")
    members = membership_panel.filter(pl.col("is_member") & GROUP_FILTER[group]).select(
        "iso3", pl.col("year").cast(pl.Int64))
    gdp = (pl.when(pl.col("share_gdp_pct") > 0)
           .then(pl.col("milex_usd_m_current") / (pl.col("share_gdp_pct") / 100.0)))
    rows = members.join(milex.select(
        "iso3", pl.col("year").cast(pl.Int64), "share_gdp_pct", "milex_usd_m_current",
        gdp.alias("gdp_usd_m_current")), on=["iso3", "year"], how="left")
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
        pl.col("iso3").filter(~in_weighted).sort().str.join(",").alias("missing_weighted"),
        pl.col("iso3").filter(~in_mean).sort().str.join(",").alias("missing_mean"),
    )
    return out.with_columns(
        pl.when(pl.col("n_weighted") > 0).then(pl.col("share_gdp_pct_weighted"))
        .alias("share_gdp_pct_weighted"), pl.lit(group).alias("group"),
    ).select("group", "year", *MEASURES.values(), "n_allies", "n_weighted", "n_mean",
             "n_missing", "missing_weighted", "missing_mean").sort("year")


def alliance_shares(milex: pl.DataFrame, membership_panel: pl.DataFrame) -> pl.DataFrame:
    """:func:`alliance_share_of_gdp` for every group, stacked (the chart's input)."""
    return pl.concat([alliance_share_of_gdp(milex, membership_panel, g) for g in GROUPS])


def shares_by_rule(milex: pl.DataFrame, membership: pl.DataFrame, years,
                   rules=RULES) -> dict[str, pl.DataFrame]:
    """:func:`alliance_shares` under each membership rule."""
    return {rule: alliance_shares(milex, membership_panel(membership, years, rule))
            for rule in rules}


def allies_at_or_above(milex: pl.DataFrame, membership_panel: pl.DataFrame, year: int,
                       threshold_pct: float = 2.0) -> pl.DataFrame:
    """Allies counted in ``year`` with their share and whether it reaches ``threshold_pct``."""
    members = membership_panel.filter(pl.col("is_member") & (pl.col("year") == year))
    return (members.select("iso3", "year")
            .join(milex.select("iso3", "year", "share_gdp_pct"), on=["iso3", "year"], how="left")
            .with_columns((pl.col("share_gdp_pct") >= threshold_pct).alias("meets_threshold"))
            .sort("share_gdp_pct", descending=True, nulls_last=True))


def estimated_allies(milex: pl.DataFrame, membership_panel: pl.DataFrame, year: int
                     ) -> list[str]:
    """Allies counted in ``year`` whose figure SIPRI marks as its own estimate."""
    members = membership_panel.filter(pl.col("is_member") & (pl.col("year") == year))["iso3"]
    return (milex.filter((pl.col("year") == year) & pl.col("estimate")
                         & pl.col("iso3").is_in(members.to_list()))["iso3"].sort().to_list())


def first_complete_year(shares: pl.DataFrame, group: str = "NATO total") -> int:
    """First year from which every Ally counted in ``group`` has a share in every year: a trend
    across the change would partly measure the arrival of data, not spending."""
    s = shares.filter(pl.col("group") == group)
    gaps = s.filter(pl.col("n_missing") > 0)
    later = s.filter(pl.col("year") > gaps["year"].max()) if gaps.height else s
    if later.height == 0:
        raise ValueError(f"{group}: no year with complete SIPRI coverage")
    return int(later["year"].min())


def _codes(values) -> set[str]:
    return {c for v in values for c in v.split(",") if c}


def zero_share_allies(shares: pl.DataFrame, group: str = "NATO total") -> list[str]:
    """Allies SIPRI records at 0 % of GDP (Iceland): in the mean, not in the weighted share."""
    s = shares.filter(pl.col("group") == group)
    return sorted(_codes(s["missing_weighted"]) - _codes(s["missing_mean"]))


def mean_without(shares: pl.DataFrame, year: int, allies: list[str]) -> float | None:
    """The NATO total's simple mean in ``year`` without ``allies`` that SIPRI records at 0 %
    (None if none of them is in it)."""
    row = shares.filter((pl.col("group") == "NATO total") & (pl.col("year") == year)).row(
        0, named=True)
    n_zero = len([c for c in row["missing_weighted"].split(",") if c in allies])
    return (row["share_gdp_pct_mean"] * row["n_mean"] / (row["n_mean"] - n_zero)
            if n_zero else None)


# -------------------------------------------------------------------- eras, peaks and troughs

def eras() -> pl.DataFrame:
    """The project's own periodisation for shading charts (conventional dates of well-known
    events, not a published chronology: ``basis`` says so); an event is a band of one year."""
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
                        orient="row").with_columns(pl.lit(
                            "dibtrends periodisation (conventional dating of the event)"
                        ).alias("basis"))


def era_of(era_table: pl.DataFrame, year: int) -> str | None:
    """The name of the era band containing ``year``, or None."""
    hit = era_table.filter((pl.col("start_year") <= year) & (pl.col("end_year") >= year))
    return hit["era"][0] if hit.height else None


def periods_from_eras(era_table: pl.DataFrame, first_year: int, last_year: int) -> pl.DataFrame:
    """Contiguous periods covering first..last: a band is a period of its own, an event opens
    one that runs to the next cut ("9/11 onwards"), the years after a band are "after" it."""
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
    """Per period: mean, change first to last year, OLS slope (descriptive: no inference on
    3-15 autocorrelated points; null under three years)."""
    s = series.select(year, value).drop_nulls().sort(year)
    rows = []
    for p in periods_from_eras(era_table, s[year].min(), s[year].max()).iter_rows(named=True):
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


def peak_to_trough(series: pl.DataFrame, value: str = "share_gdp_pct_weighted") -> dict:
    """Peak (highest value), trough (lowest value after the peak), fall in points, and latest."""
    s = series.select("year", value).drop_nulls().sort("year")
    if s.height == 0:
        raise ValueError(f"series has no non-null {value!r}")
    peak = s.sort([value, "year"], descending=[True, False]).row(0, named=True)
    trough = s.filter(pl.col("year") >= peak["year"]).sort([value, "year"]).row(0, named=True)
    latest = s.row(-1, named=True)
    return {"peak_year": peak["year"], "peak_value": peak[value],
            "trough_year": trough["year"], "trough_value": trough[value],
            "fall_pp": peak[value] - trough[value],
            "latest_year": latest["year"], "latest_value": latest[value],
            "change_since_trough_pp": latest[value] - trough[value]}


def peaks_and_troughs(shares: pl.DataFrame) -> pl.DataFrame:
    """:func:`peak_to_trough` per group and measure, with the Allies in each end's figure
    (``n_in_peak`` of ``n_allies_peak``, likewise for the trough)."""
    rows = []
    for group in GROUPS:
        s = shares.filter(pl.col("group") == group)
        for measure, column in MEASURES.items():
            if group == "United States" and measure == "mean":
                continue  # one country: the mean is the share
            row = {"group": group, "measure": measure} | peak_to_trough(s, value=column)
            for which in ("peak", "trough"):
                at = s.filter(pl.col("year") == row[f"{which}_year"]).row(0, named=True)
                row[f"n_in_{which}"] = at[COVERED[measure]]
                row[f"n_allies_{which}"] = at["n_allies"]
            rows.append(row)
    return pl.DataFrame(rows)


# -------------------------------------------------------------------- "progressive" decline?

def segmented_trend(series: pl.DataFrame, value: str = "share_gdp_pct_weighted",
                    max_breaks: int = MAX_BREAKS, n_boot: int = 499) -> breaks.SegmentedTrend:
    """:func:`dibtrends.stats.breaks.segmented_trend` of a column by year, with the chapter's
    settings (fewer breaks only for the tests' short series)."""
    s = series.select("year", value).drop_nulls().sort("year")
    return breaks.segmented_trend(s["year"].to_numpy(), s[value].to_numpy(),
                                  max_breaks=max_breaks, min_segment=MIN_SEGMENT, alpha=ALPHA,
                                  n_boot=n_boot, seed=SEED)


def measure_series(shares: pl.DataFrame, measure: str, start_year: int,
                   group: str = "NATO total") -> pl.DataFrame:
    """year and the measure's value for ``group`` from ``start_year`` on, nulls dropped."""
    return (shares.filter((pl.col("group") == group) & (pl.col("year") >= start_year))
            .select("year", MEASURES[measure]).drop_nulls().sort("year"))


def rise_episodes(series: pl.DataFrame, value: str = "share_gdp_pct_weighted") -> pl.DataFrame:
    """Runs of consecutive year-on-year increases adding up to at least MIN_RISE_PP, from the
    low they started at to the high they reached: the counter-evidence to "progressive"."""
    rising = pl.col(value).diff() > 0
    runs = (series.select("year", value).drop_nulls().sort("year")
            .with_columns(rising.alias("up"), rising.rle_id().alias("run"),
                          pl.col("year").shift().alias("from_year"),
                          pl.col(value).shift().alias("from_value"))
            .filter("up").group_by("run", maintain_order=True)
            .agg(pl.col("from_year", "from_value").first(), pl.col("year").last().alias("to_year"),
                 pl.col(value).last().alias("to_value")))
    return runs.select(pl.col("from_year", "to_year").cast(pl.Int64), "from_value", "to_value",
                       (pl.col("to_value") - pl.col("from_value")).alias("rise_pp")
                       ).filter(pl.col("rise_pp") >= MIN_RISE_PP)


def is_progressive(row: dict, min_share_of_falls: float = PROGRESSIVE_MIN_SHARE_OF_FALLS
                   ) -> dict[str, bool]:
    """The tests of "progressive decline" for a :func:`decline_checks` row, by name: significant
    (first segment's CI below zero), mostly falls, no large rise, long enough; ``holds``: all."""
    tests = {
        "declining": row["slope_first_ci_high"] < 0,
        "mostly_falls": (row["share_falls"] or 0) >= min_share_of_falls - 1e-12,
        "no_large_rise": (row["largest_rise_pp"] or 0.0) <= PROGRESSIVE_MAX_RISE_PP,
        "long_enough": row["years_to_low"] >= MIN_DECLINE_YEARS,
    }
    return tests | {"holds": all(tests.values())}


def claim_tests(row: dict) -> dict[str, bool]:
    """Every test of "sixty years of progressive decline, broken after 2014": :func:
    `is_progressive`, the ``turn`` (a last break ``near_turn``, within CLAIM_TURN_TOLERANCE of
    CLAIM_TURN_YEAR, and no significant fall after it), ``holds`` (all), ``at_70``.. (holds at
    each of FALLS_THRESHOLDS) and ``robust`` (holds at every threshold, the break passing under
    every error model)."""
    tests = is_progressive(row)
    near = (row["last_break"] is not None
            and abs(row["last_break"] - CLAIM_TURN_YEAR) <= CLAIM_TURN_TOLERANCE)
    turn = near and row["slope_last_ci_high"] >= 0
    holds = tests["holds"] and turn
    at = {AT[th]: is_progressive(row, th)["holds"] for th in FALLS_THRESHOLDS}
    robust = (holds and row["n_error_models_rejecting"] == row["n_error_models"]
              and all(at.values()))
    return tests | {"near_turn": near, "turn": turn, "holds": holds, "robust": robust} | at


def decline_checks(shares_by_rule: dict[str, pl.DataFrame], group: str = "NATO total",
                   start_year: int | None = None, n_boot: int = 499) -> pl.DataFrame:
    """Per (membership rule, measure), from ``start_year`` (default: the first complete year):
    start, low and latest values, the falls and rises to the low, the segmented trend's breaks,
    p-values under each error model and end slopes, and :func:`claim_tests`."""
    rows = []
    for rule, shares in shares_by_rule.items():
        first = start_year if start_year is not None else first_complete_year(shares, group)
        for measure, column in MEASURES.items():
            s = measure_series(shares, measure, first, group)
            low = s.sort([column, "year"]).row(0, named=True)
            to_low = s.filter(pl.col("year") <= low["year"])[column].diff().drop_nulls()
            rises = rise_episodes(s.filter(pl.col("year") <= low["year"]), column)
            top = (rises.sort("rise_pp", descending=True).row(0, named=True)
                   if rises.height else {"rise_pp": None, "from_year": None, "to_year": None})
            fit = segmented_trend(s, value=column, n_boot=n_boot)
            p_all = fit.error_models["p_value_udmax"].drop_nulls()
            n_changes, n_falls = int(to_low.len()), int((to_low < 0).sum())
            row = {
                "rule": rule, "measure": measure,
                "start_year": int(s["year"][0]), "start_value": float(s[column][0]),
                "low_year": int(low["year"]), "low_value": float(low[column]),
                "latest_year": int(s["year"][-1]), "latest_value": float(s[column][-1]),
                "fall_to_low_pp": float(s[column][0] - low[column]),
                "years_to_low": int(low["year"] - s["year"][0]),
                "n_changes_to_low": n_changes, "n_falls_to_low": n_falls,
                "share_falls": n_falls / n_changes if n_changes else None,
                "largest_rise_pp": top["rise_pp"], "largest_rise_from": top["from_year"],
                "largest_rise_to": top["to_year"],
                "break_years": ",".join(str(b) for b in fit.breaks["year"].to_list()),
                "last_break": fit.breaks["year"][-1] if fit.n_breaks else None,
                "p_udmax": fit.diagnostic("udmax_p"), "n_error_models": p_all.len(),
                "n_error_models_rejecting": int((p_all < ALPHA).sum()),
                "last_segment_from": fit.segments["start_year"][-1],
            }
            for end, seg in (("first", fit.segments.row(0, named=True)),
                             ("last", fit.segments.row(-1, named=True))):
                row |= {f"slope_{end}": seg["slope_pp_per_year"],
                        f"slope_{end}_ci_low": seg["ci95_low"],
                        f"slope_{end}_ci_high": seg["ci95_high"]}
            rows.append(row | claim_tests(row))
    return pl.DataFrame(rows)


# -------------------------------------------------------------------- before 1949

def gmsd_context(gmsd: pl.DataFrame, countries=CONTEXT_COUNTRIES, first_year: int = 1900,
                 last_year: int = CONTEXT_LAST_YEAR) -> pl.DataFrame:
    """GMSD share of GDP (OWID export) per country and year, implausible values left out."""
    return (gmsd.filter(pl.col("iso3").is_in(list(countries))
                        & pl.col("year").is_between(first_year, last_year)
                        & ~pl.col("implausible") & pl.col("share_gdp_pct").is_not_null())
            .select("iso3", "year", "share_gdp_pct").sort("iso3", "year"))


def nmc_context(nmc: pl.DataFrame, countries=CONTEXT_COUNTRIES, first_year: int = NMC_USD_FROM,
                last_year: int = CONTEXT_LAST_YEAR) -> pl.DataFrame:
    """NMC military expenditure, US$ bn at the prices of each year, in the years NMC records in
    US dollars (from 1914), per country and year."""
    return (nmc.filter(pl.col("iso3").is_in(list(countries))
                       & pl.col("year").is_between(max(first_year, NMC_USD_FROM), last_year)
                       & (pl.col("milex_currency") == "USD")
                       & pl.col("milex_thousand_current").is_not_null())
            .select("iso3", "year",
                    (pl.col("milex_thousand_current") / 1e6).alias("milex_usd_bn_current"))
            .sort("iso3", "year"))


def context(share: pl.DataFrame, spending: pl.DataFrame, gmsd: pl.DataFrame,
            milex: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """What the chapter says of the years before 1949 (``share``: :func:`gmsd_context`,
    ``spending``: :func:`nmc_context`): GMSD's period means and war highs, how GMSD's shares
    differ from SIPRI's where both give one (a comparison of definitions, never a joined
    series), NMC's first year and highs."""
    def highs(frame: pl.DataFrame, value: str) -> pl.DataFrame:
        return frame.sort(value, descending=True).unique("iso3", keep="first",
                                                         maintain_order=True)

    countries = pl.col("iso3").is_in(list(CONTEXT_COUNTRIES))
    both = gmsd.filter(~pl.col("implausible") & countries & (pl.col("year") >= 1949)).select(
        "iso3", "year", pl.col("share_gdp_pct").alias("gmsd")).join(
        milex.filter(countries).select("iso3", "year", pl.col("share_gdp_pct").alias("sipri")),
        on=["iso3", "year"], how="inner").drop_nulls().sort("iso3", "year")
    return {
        "periods": pl.concat([
            share.filter(pl.col("year").is_between(lo, hi)).group_by("iso3", maintain_order=True)
            .agg(pl.lit(name).alias("period"), pl.col("share_gdp_pct").mean().alias("mean"))
            .select("period", "iso3", "mean") for name, (lo, hi) in CONTEXT_PERIODS.items()]),
        "war": highs(share.filter(pl.col("year").is_between(*WAR_YEARS)), "share_gdp_pct"),
        "difference": both.group_by("iso3", maintain_order=True).agg(
            (pl.col("gmsd") - pl.col("sipri")).median().alias("median"),
            (pl.col("gmsd") - pl.col("sipri")).abs().max().alias("largest"),
            pl.col("year").min().alias("first"), pl.col("year").max().alias("last")),
        "first_spending": spending.filter(pl.col("year") == spending["year"].min()),
        "spending_highs": highs(spending, "milex_usd_bn_current"),
    }
