"""The words of chapter 4 (guidelines and the 2035 pledge): its sentences and the claim's wording
(tables and headline labels: :mod:`.pledge_tables`). The publishers' definitions and SIPRI's
footnotes, quoted reference texts, are in :mod:`dibtrends.definitions`."""

from __future__ import annotations

import polars as pl

from .. import sources
from ..countries import name_of
from ..definitions import (CLOSE_PP, COMMON_GROUND, NATO_DEFINITION, PRICE_BASIS_TOLERANCE_PP,
                           SIPRI_DEFINITION, SIPRI_FOOTNOTES, SIPRI_FOOTNOTES_SOURCE)
from ..pledge import BREAK_THRESHOLD_PCT, TARGET_SHARE_PCT, TARGET_YEAR, allies_meeting
from ..results import NOT_CHECKABLE, REPRODUCED
from . import cap, country, join_words, names, pct, plural
from .equipment import estimate_words


def _names(codes) -> str:
    return names(codes, alphabetical=True)


def listed(codes, most: int = 5) -> str:
    """The names, or nothing when there are more than ``most``."""
    return _names(codes) if len(codes) <= most else ""


def _share_list(rows: pl.DataFrame, column: str = "share_gdp_pct_latest") -> str:
    return join_words([f"{country(x['entity'])} ({x[column]:.2f} %)"
                       for x in rows.sort(column, descending=True).iter_rows(named=True)])


def _row(frame: pl.DataFrame, year: int) -> dict:
    return frame.filter(pl.col("year") == year).row(0, named=True)


def release_words(source_id: str) -> str:
    """'release v1.2, April 2026': the registry's edition with its brackets unfolded."""
    return sources.get(source_id).edition.replace(" (", ", ").replace(")", "")


def claim(verdict: str, year_rows: pl.DataFrame, meeting: pl.DataFrame,
          sipri_meeting: list[str] | None, allies: tuple[str, ...], year: int, threshold: float,
          edition: str, sipri_edition: str) -> dict[str, str]:
    """The three-Allies claim: the finding and the condition, on NATO's figures then SIPRI's."""
    base = {"claim": "In 2014 only Greece, the United Kingdom and the United States spent 2 % of "
                     "GDP or more", "source": "NATO, on the 2014 Defence Investment Pledge"}
    if verdict == NOT_CHECKABLE:
        return base | {"finding": f"NATO's tables ({edition}) have no figures for {year}",
                       "condition": f"The NATO edition used does not cover {year}.",
                       "short": f"The NATO edition used does not cover {year}."}
    at = f"{threshold:g} %"
    shares = join_words([f"{country(x['entity'])} ({x['share_gdp_pct']:.2f} %)" for x in
                         sorted(meeting.iter_rows(named=True), key=lambda x: name_of(x["entity"]))])
    same, met = verdict == REPRODUCED, set(meeting["entity"])
    missing, extra = sorted(set(allies) - met), sorted(met - set(allies))
    parts = ([f"{_names(missing)} below {at}"] if missing else []) + (
        [f"{_names(extra)} also at {at} or more"] if extra else [])
    condition = (f"On NATO's definition and its tables of {edition}." if same else
                 f"NATO's tables of {edition} have {'; '.join(parts)}.")
    if sipri_meeting == sorted(allies):
        condition += (f" SIPRI's figures ({sipri_edition}) give the same three Allies"
                      + (", so the claim does not hang on NATO's definition." if same else "."))
    elif sipri_meeting is not None:
        condition += (f" On SIPRI's figures ({sipri_edition}) the Allies at {at} or more in "
                      f"{year} were {_names(sipri_meeting) or 'none'}.")
    sipri = ("" if sipri_meeting is None else "; SIPRI's figures give the same three" if
             sipri_meeting == sorted(allies) else
             f"; on SIPRI's figures: {_names(sipri_meeting) or 'none'}")
    return base | {"finding": f"{meeting.height} of {year_rows.height} Allies with NATO figures "
                              f"in {year} were at {at} of GDP or more: {shares}",
                   "condition": condition,
                   "short": (f"{meeting.height} of {year_rows.height} Allies at {at} or more "
                             f"in {year} on NATO's figures" + ("" if same else
                                                              f" ({'; '.join(parts)})")
                             + sipri + ".")}


def sentences(r) -> dict[str, str]:
    """The chapter's number-bearing prose, and its two lines for the summary."""
    est = estimate_words(r.estimate_years)
    return {
        "guidelines": guideline_words(r),
        "estimates": (f"In NATO's tables of {r.edition}, {est} (marked e)." if est else
                      f"NATO's tables of {r.edition} mark no year as an estimate."),
        "target_note": target_note(r.params),
        "gap": gap_words(r), "breaks": break_words(r), "trend": trend_words(r),
        "definitions": comparison_words(r),
        "definition_nato": f"**NATO's definition.** {NATO_DEFINITION}",
        "definition_sipri": f"**SIPRI's definition.** {SIPRI_DEFINITION}",
        "definition_common": f"**Where they differ.** {COMMON_GROUND}",
        "sipri_footnotes": footnote_words(r), "summary": summary_words(r),
    }


def _counts(r, lead: str, share: str, sep: str, most: int) -> str:
    """'{lead}3 of 27 Allies spent at least {share} in 2014 (...){sep} and 23 of 31 in 2024'."""
    c0, c1 = _row(r.counts, r.first_year), _row(r.counts, r.latest_year)
    met0 = allies_meeting(r.status, r.first_year, "gdp")
    est = " (NATO estimates)" if r.latest_year in r.estimate_years else ""
    return (f"{lead}{c0['n_meeting_gdp']} of {c0['n_allies_with_data']} Allies spent at least "
            f"{share} in {r.first_year}" + (f" ({_names(met0)})" if len(met0) <= most else "")
            + f"{sep} and {c1['n_meeting_gdp']} of {c1['n_allies_with_data']} in "
            f"{r.latest_year}{est}.")


def guideline_words(r) -> str:
    c0, c1 = _row(r.counts, r.first_year), _row(r.counts, r.latest_year)
    no_data = r.status.filter(pl.col("counted"), pl.col("share_gdp_pct").is_null())["entity"]
    text = (_counts(r, f"On NATO's figures (tables of {r.edition}), ", "2 % of GDP on defence",
                    ",", 8)
            + f" On major equipment, {c0['n_meeting_equipment']} spent at least 20 % of their "
            f"defence expenditure in {r.first_year} and {c1['n_meeting_equipment']} in "
            f"{r.latest_year}.")
    if no_data.len():
        text += (f" NATO publishes no defence expenditure for {_names(no_data.unique())}, which "
                 f"{'is' if no_data.n_unique() == 1 else 'are'} therefore not counted.")
    return text


def target_note(p) -> str:
    t, hague = f"{p.target_share_pct:g} %", "The Hague Summit (June 2025)"
    if p.at_hague_target():
        return (f"{hague} committed Allies to spend at least {t} of GDP on core defence "
                f"by {p.target_year}, plus up to 1.5 % on defence- and security-related spending "
                f"that NATO's expenditure tables do not measure; this chapter measures the "
                f"distance to the core-defence part.")
    return (f"{hague} committed Allies to {TARGET_SHARE_PCT:g} % of GDP on core defence by "
            f"{TARGET_YEAR}; this chapter was built with a target of {t} by {p.target_year} "
            f"instead.")


def gap_words(r) -> str:
    p, span, ty = r.params, f"{r.first_year}–{r.latest_year}", r.params.target_year
    t, own = f"{p.target_share_pct:g} %", p.gdp_growth_pct is None
    est = " (a NATO estimate)" if r.latest_year in r.estimate_years else ""
    above, below = r.gap.filter("already_above"), r.gap.filter(~pl.col("already_above"))
    one, parts = above.height == 1, [f"No Ally spent {t} of GDP or more in {r.latest_year}{est}."]
    if above.height:
        listed = (_share_list(above) if above.height <= 5
                  else f"all {above.height} Allies with NATO figures" if below.is_empty()
                  else f"{above.height} Allies")
        parts = [f"{cap(listed)} {'was' if one else 'were'} already at {t} of GDP or more in "
                 f"{r.latest_year}{est}, and need{'s' if one else ''} no growth to get there."]
        parts += ([f"With its real GDP growing {x['gdp_growth_pct_assumed']:.1f} % a year"
                   + (f" (its {span} average)" if own else "")
                   + f", {country(x['entity'])} stays at or above {t} until {ty} as long as its "
                   f"real defence spending grows at least {x['growth_to_stay_pct']:.1f} % a year; "
                   f"slower growth would take it back below."
                   for x in above.sort("share_gdp_pct_latest", descending=True)
                   .iter_rows(named=True)] if above.height <= 3 else
                  [f"The table gives, for each, the lowest real growth of defence spending that "
                   f"keeps it at {t} until {ty}."])
    if below.is_empty():
        return " ".join(parts)
    faster = below.filter("needs_faster_growth")
    gdp_words = (f"each Ally's real GDP growing at its own average over {span}" if own else
                 f"real GDP growing {p.gdp_growth_pct:g} % a year for every Ally")
    parts.append(
        f"For {'the other' if above.height else 'the'} {plural(below.height, 'Ally')} the "
        f"median gap is {below['gap_pp'].median():.2f} percentage points; with {gdp_words}, "
        f"reaching {t} by {ty} takes a median real growth of defence spending of "
        f"{below['required_real_growth_pct'].median():.1f} % a year. For {faster.height} of "
        f"these {below.height} that is faster than the Ally's own real growth of defence "
        f"spending over {span}"
        + (f": {_names(faster['entity'])}." if 0 < faster.height <= 20 else "."))
    brk = below.filter("series_break")
    if own and brk.height:
        parts += [f"{cap(country(x['entity']))}'s GDP growth leaves out the {x['gdp_break_year']} "
                  f"break in NATO's GDP series ({x['gdp_growth_pct_assumed']:.1f} % a year); "
                  f"taken across the break it would be {x['gdp_growth_pct_across_break']:.1f} % "
                  f"a year." for x in brk.iter_rows(named=True)]
        ignored = r.faster_if_breaks_ignored
        parts.append(f"With the breaks included the count would read {ignored} of "
                     f"{below.height}: that number depends on how the break is handled."
                     if ignored != faster.height else
                     "The count is the same with the breaks included.")
    return " ".join(parts)


def break_words(r) -> str:
    """What the 'Break in NATO's GDP series' column means, from the data."""
    ordinary = r.ordinary_gdp_change
    who, year = country(ordinary["entity"]), ordinary["year"]
    if r.breaks.is_empty():
        return (f"No Ally's real GDP in NATO's tables changes by more than "
                f"{BREAK_THRESHOLD_PCT:g} % in one year (the largest change is "
                f"{ordinary['change_pct']:+.1f} %, {who} in {year}), so no GDP series break is "
                f"handled.")
    parts = [f"NATO's real GDP for {country(b['entity'])} changes by {b['change_pct']:+.1f} % "
             f"from {b['year'] - 1} to {b['year']}"
             + (f"; its share of GDP moves from {b['share_before_pct']:.2f} % to "
                f"{b['share_after_pct']:.2f} %"
                if None not in (b["share_before_pct"], b["share_after_pct"]) else "")
             for b in r.breaks.iter_rows(named=True)]
    handling = (["leaves the step into the break year out of the Ally's average GDP growth"]
                if r.params.gdp_growth_pct is None else [])
    if r.projection["break_year"].is_not_null().any():
        handling.append("lets its straight-line trend shift level in that year, so the trend's "
                        "slope comes from the years within each series and its projection "
                        "continues the new one")
    how = (f"The chapter therefore {' and '.join(handling)}." if handling else
           "With the parameters chosen here neither the GDP growth nor the trend window crosses "
           "it.")
    return (f"**Break in NATO's GDP series.** {'; '.join(parts)}. No other Ally's real GDP "
            f"changes by more than {abs(ordinary['change_pct']):.1f} % in any year ({who}, "
            f"{year}), so this is taken as a change in the GDP series NATO uses, not in output; "
            f"NATO's tables do not explain it. {how} The tables flag the break with its year.")


def trend_words(r) -> str:
    p, ci = r.params, r.count_interval
    t, level = f"{p.target_share_pct:g} %", pct(ci["level"])
    listed = f": {_names(ci['allies_point'])}" if 0 < ci["point"] <= 8 else ""
    text = (f"If each Ally's share of GDP kept to the straight line fitted to its "
            f"{r.window_start}–{r.latest_year} figures ({estimate_words(r.estimate_years)}), "
            f"{ci['point']} of {ci['n_allies']} Allies would be at {t} or more in "
            f"{p.target_year}{listed}. Allowing for the uncertainty of those lines, drawn jointly "
            f"for all Allies ({ci['n_draws']:,} draws), that number lies between {ci['low']} and "
            f"{ci['high']} (a {level} interval for the count; being a whole number, it holds "
            f"{pct(ci['coverage'])} of the draws; mean {ci['mean']:.1f}). A straight line "
            f"describes the past; it is not a forecast and knows nothing of budgets already "
            f"announced. Each Ally's own {level} prediction interval is in the table: "
            f"{ci['lower_pi']} lie wholly at or above {t} and {ci['upper_pi']} reach it, "
            f"but these two numbers do not bound the count, because Allies do not all land at "
            f"the same end of their intervals.")
    ac, corr = ci["median_residual_autocorrelation"], ci["mean_residual_correlation"]
    if corr is not None:
        text += (f" The joint draws keep the way Allies' deviations from their lines moved "
                 f"together (average correlation {corr:.2f}).")
    if ac is not None and ac > 0.1:
        text += (f" The deviations also persist from year to year (median lag-1 autocorrelation "
                 f"{ac:.2f}), which straight-line intervals ignore: the intervals are, if "
                 f"anything, too narrow.")
    shifted = r.projection.filter(pl.col("break_year").is_not_null())["entity"]
    if shifted.len():
        text += (f" For {_names(shifted)} the line shifts level at the break in NATO's GDP "
                 f"series (see above).")
    return text


def comparison_words(r) -> str:
    c, by_ally, by_year = r.comparison, r.comparison_by_ally, r.comparison_by_year
    if c.is_empty():
        return "SIPRI's table has no figures for the Allies and years of NATO's tables."
    fy, ly, span = r.first_year, r.latest_year, f"{r.first_year}–{r.latest_year}"
    close = int((c["difference_pp"].abs() <= CLOSE_PP).sum())
    parts = [f"For the same Ally and year, NATO's share of GDP (tables of {r.edition}) and "
             f"SIPRI's ({r.sipri_edition}) are within {CLOSE_PP:g} percentage points of each "
             f"other in {close} of {c.height} Ally-years over {span}; the mean absolute "
             f"difference is {c['difference_pp'].abs().mean():.2f} points."]
    if set(by_year["year"]) >= {fy, ly}:
        (lt, ft), (down, up) = (_row(by_year, ly), _row(by_year, fy)), r.flips
        n0, s0 = ft["n_at_threshold_nato"], ft["n_at_threshold_sipri"]
        parts.append(
            f"Small differences matter at a threshold: {lt['n_at_threshold_nato']} of "
            f"{lt['n_allies']} Allies were at 2 % of GDP or more in {ly} on NATO's figures and "
            f"{lt['n_at_threshold_sipri']} on SIPRI's"
            + (f", NATO's being its estimates of {r.edition}" if ly in r.estimate_years else "")
            + (f" ({plural(len(down), 'Ally')} at 2 % on NATO's figures but below it on "
               f"SIPRI's: {_names(down)}" if down else "")
            + (f"; {len(up)} the other way round" if up else "") + (")" if down else "")
            + f"; in {fy}, " + (f"{n0} on each." if n0 == s0 else f"{n0} and {s0}."))
    diff = pl.col("mean_difference_pp")
    sides = [f"{side} for {plural(rows.height, 'Ally')}, most of all for " + join_words(
        [f"{country(x['iso3'])} ({x['mean_difference_pp']:+.2f})"
         for x in rows.head(3).iter_rows(named=True)])
        for side, rows in (("lower", by_ally.filter(diff < 0).sort(diff)),
                           ("higher", by_ally.filter(diff > 0).sort(diff, descending=True)))
        if rows.height]
    if sides:
        parts.append(f"On average over {span} NATO's figure is {' and '.join(sides)} "
                     f"(mean difference, points).")
    price = r.price_effect
    parts.append(f"NATO's choice of 2015 prices explains little: its share at 2015 prices and "
                 f"its share at current prices agree to {PRICE_BASIS_TOLERANCE_PP:g} points in "
                 f"{price['n_rows'] - price['n_differ']} of {price['n_rows']} Ally-years "
                 f"(largest gap {price['largest_pp']:.2f} points).")
    n_est, n_years = pl.col("sipri_estimate_years"), pl.col("n_years")
    for which, rows, end in (("every figure", by_ally.filter(n_est == n_years),
                              "in these years as its own estimate."),
                             ("some figures", by_ally.filter(n_est.is_between(1, n_years - 1)),
                              "as its own estimates.")):
        if rows.height:
            parts.append(f"SIPRI marks {which} for {_names(rows['iso3'])} {end}")
    parts += [f"For {country(e)} the difference averages {before:+.2f} points before the {y} "
              f"break in NATO's GDP series and {after:+.2f} from {y} on."
              for e, y, before, after in r.break_differences]
    return " ".join(parts)


def footnote_words(r) -> str:
    """SIPRI's footnotes on the Allies compared, only for the release they were quoted from."""
    allies = set(r.comparison["iso3"])
    lines = [f"- **{name_of(code)}**: \u201c{note}\u201d" for code, note in
             sorted(SIPRI_FOOTNOTES.items(), key=lambda kv: name_of(kv[0])) if code in allies]
    if r.sipri_source != SIPRI_FOOTNOTES_SOURCE or not lines:
        return ""
    return (f"SIPRI's footnotes ({r.sipri_edition}) on what its figures for some Allies include "
            f"or leave out:\n\n" + "\n".join(lines))


def summary_words(r) -> str:
    """The summary's two bullets (the summary prefixes the first with '- ')."""
    p, ci, ly, span = r.params, r.count_interval, r.latest_year, f"{r.first_year}–{r.latest_year}"
    t = f"{p.target_share_pct:g} %"
    est = " (NATO estimates)" if ly in r.estimate_years else ""
    text = _counts(r, f"**The 2 % guideline.** On NATO's figures (tables of {r.edition}) ",
                   "2 % of GDP", "", 5)
    if ly in set(r.comparison_by_year["year"]):
        down = r.flips[0]
        gap_max = r.comparison.filter(pl.col("year") == ly,
                                      pl.col("iso3").is_in(down))["difference_pp"].abs().max()
        text += (f" On SIPRI's figures ({r.sipri_edition}) "
                 f"{_row(r.comparison_by_year, ly)['n_at_threshold_sipri']} were at 2 % in {ly}"
                 + (f": for {plural(len(down), 'Ally')} NATO's figure is at 2 % or more and "
                    f"SIPRI's below it, by at most {gap_max:.2f} points (the two publishers' "
                    f"definitions and data differ)." if down else "."))
    text += "\n- **The Hague commitment.** Allies committed in June 2025 to " + (
        f"{t} of GDP on core defence by {p.target_year}." if p.at_hague_target() else
        f"{TARGET_SHARE_PCT:g} % of GDP on core defence by {TARGET_YEAR}; this report tests "
        f"{t} by {p.target_year}.")
    above, below = r.gap.filter("already_above"), r.gap.filter(~pl.col("already_above"))
    text += (f" No Ally was at {t} or more in {ly}{est}." if above.is_empty() else
             f" In {ly}{est} {_share_list(above)} {'was' if above.height == 1 else 'were'} "
             f"already at {t} or more." if above.height <= 5 else
             f" In {ly}{est} {above.height} Allies were already at {t} or more.")
    listed = f" ({_names(ci['allies_point'])})" if 0 < ci["point"] <= 5 else ""
    text += (f" If each Ally's {r.window_start}–{ly} straight-line trend continued, "
             f"{ci['point']} of {ci['n_allies']} would be there by {p.target_year}{listed}; "
             f"allowing for the trends' uncertainty, between {ci['low']} and {ci['high']} "
             f"({pct(ci['level'])} interval for the count). A trend line is not a forecast.")
    if below.height:
        faster, ignored = int(below["needs_faster_growth"].sum()), r.faster_if_breaks_ignored
        brk = below.filter("series_break")["entity"]
        text += (f" {faster} of the {plural(below.height, 'Ally')} below {t} would need faster "
                 f"real growth of defence spending than they achieved in {span}"
                 + (f" ({ignored} if GDP growth were measured across the break in NATO's GDP "
                    f"series for {_names(brk)})" if ignored != faster and brk.len() else "")
                 + ".")
    return text
