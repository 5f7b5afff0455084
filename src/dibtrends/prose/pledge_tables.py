"""Chapter 4's tables (captions, column labels) and headline labels; its sentences are in
:mod:`.pledge`."""

from __future__ import annotations

import polars as pl

from ..countries import name_of
from ..pledge import allies_meeting
from ..results import Headline, Table, headline
from . import count_of, in_words, table, worded, yes_no
from .equipment import estimate_words, year_label
from .pledge import listed


def tables(r) -> dict[str, Table]:
    t, ty, ly = f"{r.params.target_share_pct:g}", r.params.target_year, r.latest_year
    latest, span = year_label(ly, r.estimate_years), f"{r.first_year}–{ly}"
    pi = round(r.projection["pi_level"][0] * 100)
    nato = f"NATO, {r.edition}"
    above, dash, two = pl.when("already_above"), pl.lit("–"), dict.fromkeys
    # a table of years marks NATO's estimates; one of Allies names them from their ISO codes
    words = {"year": worded(lambda y: year_label(y, r.estimate_years), "year")}
    named = {code: {"ally": worded(name_of, code)} for code in ("entity", "iso3")}
    share = {"ally": "Ally", "share_gdp_pct_latest": f"{latest}, % of GDP"}
    gap = share | {"gap_pp": f"Gap to {t} %, points", "position": "Position",
                   "gdp_growth_pct_assumed": "GDP growth assumed",
                   "required_real_growth_pct": f"Growth needed to {ty}",
                   "growth_to_stay_pct": f"Lowest growth that keeps {t} %",
                   "milex_real_growth_pct_past": f"Growth achieved {span}",
                   "faster": "Faster than achieved?", "gdp_break": "GDP series break"}
    gap_words = {"position": above.then(pl.lit("already above")).otherwise(pl.lit("below")),
                 "faster": above.then(dash).otherwise(yes_no("needs_faster_growth")),
                 "gdp_break": pl.col("gdp_break_year").cast(pl.String).fill_null(dash)}
    gap_data = in_words(r.gap.sort("share_gdp_pct_latest", descending=True), gap,
                        named["entity"] | gap_words)
    return {
        "counts": table(
            "04_guideline_counts", r.counts, f"Allies meeting NATO's 2 % and 20 % guidelines, "
            f"counted from their year of accession ({nato}; e: NATO estimate)",
            {"year": "Year", "n_allies_with_data": "Allies with NATO figures",
             "n_meeting_gdp": "At 2 % of GDP or more",
             "n_meeting_equipment": "At 20 % on equipment or more",
             "n_meeting_both": "Meeting both"}, words),
        "gap": table(
            "04_pledge_gap", gap_data.with_columns(
                pl.col("position").str.replace("already ", ""),
                pl.coalesce("required_real_growth_pct", "growth_to_stay_pct").alias("needed")),
            f"Distance to {t} % of GDP by {ty} and the real growth of defence spending that "
            f"closes it ({nato}; {estimate_words(r.estimate_years)}; shares of GDP at 2015 "
            f"prices)", {("needed" if c == "required_real_growth_pct" else c): label
                         for c, label in gap.items() if c != "growth_to_stay_pct"},
            decimals=two(("share_gdp_pct_latest", "gap_pp"), 2), data=gap_data,
            note=_gap_note(r)),
        "trend": table(
            "04_pledge_trend", r.projection.sort("projected_share_pct", descending=True),
            f"Each Ally's share of GDP on its straight-line trend {r.window_start}–{ly}, "
            f"projected to {ty} with its own {pi} % prediction interval (ordinary least "
            f"squares; a level shift where NATO's GDP series breaks; {nato}). A "
            f"description of the past, not a forecast.",
            share | {"slope_pp_per_year": "Trend, points a year",
                     "level_shift": "Level shift from (year)",
                     "projected_share_pct": f"{ty} on trend, % of GDP",
                     "pi_lower_pct": f"{pi} % interval, low",
                     "pi_upper_pct": f"{pi} % interval, high",
                     "reaches": f"At {t} % or more on trend"}, named["entity"] | {
                "level_shift": pl.col("break_year").cast(pl.String).fill_null(dash),
                "reaches": yes_no(pl.col("projected_share_pct") >= r.params.target_share_pct)},
            decimals={"share_gdp_pct_latest": 2, "slope_pp_per_year": 3,
                      "projected_share_pct": 2, "pi_lower_pct": 2, "pi_upper_pct": 2}),
        "count_distribution": table(
            "04_trend_count_distribution", r.count_interval["distribution"],
            f"How many Allies reach {t} % by {ty} on their trends: share of "
            f"{r.count_interval['n_draws']:,} joint draws of the trends' errors",
            {"n_allies_reaching": "Allies at the target", "share_of_draws": "Share of draws"},
            decimals={"share_of_draws": 3}),
    } | _definitions(r, words, named["iso3"])


def _definitions(r, words: dict, named: dict) -> dict[str, Table]:
    """The tables comparing NATO's figures with SIPRI's."""
    ly, span = r.latest_year, f"{r.first_year}–{r.latest_year}"
    latest, two = year_label(ly, r.estimate_years), dict.fromkeys
    both = f"NATO, {r.edition}; SIPRI, {r.sipri_edition}"
    return {
        "definitions": table(
            "04_nato_vs_sipri_by_ally", r.comparison_by_ally,
            f"Share of GDP on NATO's and SIPRI's figures, per Ally ({both}); difference = NATO "
            f"minus SIPRI, percentage points; {span}",
            {"ally": "Ally", "nato_share_latest_pct": f"NATO {latest}, % of GDP",
             "sipri_share_latest_pct": f"SIPRI {ly}, % of GDP",
             "difference_latest_pp": f"Difference {ly}", "mean_difference_pp":
             f"Mean difference {span}", "largest_difference_pp": "Largest difference",
             "largest_difference_year": "in"}, named,
            decimals=two(("nato_share_latest_pct", "sipri_share_latest_pct",
                          "difference_latest_pp", "mean_difference_pp",
                          "largest_difference_pp"), 2)),
        "definitions_all": table(
            "04_nato_vs_sipri_all", r.comparison, f"Share of GDP on NATO's and SIPRI's figures, "
            f"every Ally and year ({both}); difference = NATO minus SIPRI",
            {"ally": "Ally", "iso3": "ISO code", "year": "Year", "nato_estimate": "NATO estimate",
             "nato_share_pct": "NATO, % of GDP", "sipri_share_pct": "SIPRI, % of GDP",
             "difference_pp": "Difference, points", "sipri_estimate": "SIPRI estimate"},
            named, decimals=two(("nato_share_pct", "sipri_share_pct", "difference_pp"), 2)),
        "definitions_by_year": table(
            "04_nato_vs_sipri_by_year", r.comparison_by_year, f"Allies at 2 % of GDP or more on "
            f"each publisher's figures, and the average size of the difference ({both}; e: NATO "
            f"estimate)",
            {"year": "Year", "n_allies": "Allies counted",
             "mean_abs_difference_pp": "Mean absolute difference, points",
             "n_at_threshold_nato": "At 2 % on NATO's figures",
             "n_at_threshold_sipri": "At 2 % on SIPRI's figures"}, words,
            decimals={"mean_abs_difference_pp": 2}),
    }


def _gap_note(r) -> str:
    """The distance table shows the growth needed to reach the target and the lowest growth that
    keeps an Ally at it in one column (its position says which), under short headers: what they
    mean. The CSV keeps every column."""
    p, span = r.params, f"{r.first_year}–{r.latest_year}"
    t, latest = f"{p.target_share_pct:g} %", year_label(r.latest_year, r.estimate_years)
    gdp = (f"each Ally's own {span} average" if p.gdp_growth_pct is None else
           f"{p.gdp_growth_pct:g} % a year for every Ally")
    return (f"Growth: real, % a year (2015 prices). GDP growth assumed: {gdp}. Growth needed: "
            f"the constant real growth of defence spending that lifts the {latest} share of GDP "
            f"to {t} by {p.target_year}; for an Ally above {t}, the lowest growth that keeps it "
            f"there. Growth achieved: the Ally's average real growth of defence spending, {span}. "
            f"GDP series break: the year NATO's GDP series for the Ally breaks (below); –: none.")


def _allies(key: str, label: str, n: int, of: int, **fields) -> Headline:
    return count_of(key, label, n, of, "Allies", **fields)


def headlines(r) -> list[Headline]:
    """The chapter's record: its counts and differences, under stable keys."""
    p, ci, fy, ly = r.params, r.count_interval, r.first_year, r.latest_year
    t, ty = f"{p.target_share_pct:g}", p.target_year

    def label(year: int) -> str:
        return year_label(year, r.estimate_years)

    target = {"target_share_pct": float(p.target_share_pct), "target_year": ty}
    gdp, rows = "pledge.allies_meeting_gdp_guideline", []
    for which, year in (("first", fy), ("latest", ly)):
        c = r.counts.filter(pl.col("year") == year).row(0, named=True)
        at = {"year": year, "which": which}
        rows.append(_allies(gdp, f"Allies at or above 2 % of GDP, {label(year)} (NATO's figures)",
                            c["n_meeting_gdp"], c["n_allies_with_data"],
                            note=listed(allies_meeting(r.status, year, "gdp")),
                            **at, source=r.nato_source))
        s = r.comparison_by_year.filter(pl.col("year") == year)
        if s.height:
            rows.append(_allies(gdp, f"Allies at or above 2 % of GDP, {year} (SIPRI's figures)",
                                s["n_at_threshold_sipri"][0], s["n_allies"][0], **at,
                                source=r.sipri_source))
        rows.append(_allies("pledge.allies_meeting_equipment_guideline", "Allies at or above "
                            f"20 % of defence spending on major equipment, {label(year)}",
                            c["n_meeting_equipment"], c["n_allies_with_data"], **at,
                            source=r.nato_source))
    above, below = r.gap.filter("already_above"), r.gap.filter(~pl.col("already_above"))
    rows.append(_allies("pledge.allies_at_target", f"Allies already at {t} % of GDP or more, "
                        f"{label(ly)}", above.height, r.gap.height,
                        note=listed(above["entity"]), year=ly, **target))
    basis = "own average" if p.gdp_growth_pct is None else float(p.gdp_growth_pct)
    for breaks, n in (("left out", int(below["needs_faster_growth"].sum())),
                      ("included", r.faster_if_breaks_ignored)):
        rows.append(_allies(
            "pledge.allies_needing_faster_growth", f"Allies below {t} % whose real growth needed "
            f"to {ty} exceeds their {fy}–{ly} rate"
            + (" (GDP growth taken across the series breaks)" if breaks == "included" else ""),
            n, below.height, gdp_growth=basis, gdp_breaks=breaks, **target))
    for estimate, what in (("point", "straight-line projection"),
                           ("low", "95 % interval of the count, low"),
                           ("high", "95 % interval of the count, high")):
        rows.append(_allies(
            "pledge.allies_reaching_target_on_trend", f"Allies at {t} % or more in {ty} on "
            f"their {r.window_start}–{ly} trends ({what})", ci[estimate], ci["n_allies"],
            note=listed(ci["allies_point"]) if estimate == "point" else "",
            estimate=estimate, level=ci["level"], window_start=r.window_start, window_end=ly,
            **target))
    for start in (ly, fy):
        diff = r.comparison.filter(pl.col("year").is_between(start, ly))["difference_pp"]
        if diff.len():
            rows.append(headline(
                "pledge.nato_sipri_difference", "Share of GDP, NATO against SIPRI: mean absolute "
                f"difference, {label(start) if start == ly else f'{start}–{ly}'}",
                diff.abs().mean(), "percentage points", decimals=2, first_year=start,
                last_year=ly))
    return rows


