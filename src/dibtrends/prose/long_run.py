"""Chapter 1's words: vocabulary, claims and sentences (headlines, tables and the appendix are in
:mod:`.long_run_tables`). ``r`` is a chapter 1 Result; nothing here computes, it only words."""

from __future__ import annotations

import polars as pl

from .. import spending as sp
from ..stats.intervals import AR_CLIP
from . import (NUMBER_WORDS, cap, country, fmt_p, join_words, names, pct, plural, possessive,
               signed)

MEASURE_SHORT = {"weighted": "GDP-weighted share", "mean": "simple mean of Allies' shares"}
MEASURE_LONG = {
    "weighted": "the GDP-weighted share (the Allies' total spending over their total GDP, "
                "dominated by the United States)",
    "mean": "the simple mean of Allies' shares (the typical Ally, each counting once{zero})",
}
RULE_WORDS = {"accession": "Allies counted from the year they joined",
              "cold_war_16": "the same 16 Cold War Allies in every year"}


def _has(codes: list) -> str:
    return "has" if len(codes) == 1 else "have"


def years_words(years: str, none: str = "") -> str:
    """'1978, 1985 and 1996' from '1978,1985,1996'; ``none`` for no year."""
    return join_words([y for y in years.split(",") if y]) if years else none


def breaks_words(n: int, years: str) -> str:
    """'no break', 'one break, in 1998', 'three breaks, in 1978, 1985 and 1996'."""
    return "no break" if n == 0 else (
        f"{NUMBER_WORDS.get(n, n)} break{'s' if n > 1 else ''}, in {years_words(years)}")


def interval(low: float, high: float, decimals: int = 3) -> str:
    return f"95 % interval {signed(low, decimals)} to {signed(high, decimals)}"


def trend_since(row: dict, numbers: bool = True) -> str:
    """How the last segment of a decline_checks row moves, in words (and its interval)."""
    since = row["last_segment_from"]
    slope = (f", {signed(row['slope_last'])} points a year "
             f"({interval(row['slope_last_ci_low'], row['slope_last_ci_high'])})"
             if numbers else "")
    if not row["break_years"]:
        return f"one straight-line trend throughout{slope}"
    if row["slope_last_ci_low"] > 0:
        return f"rising since {since}{slope}"
    if row["slope_last_ci_high"] < 0:
        return f"still falling after {since}{slope}"
    return f"no clear trend since {since}{slope}"


def robustness_words(row: dict) -> str:
    """'passes the 5 % test under 1 of the 3 error models tried'."""
    k, n = row["n_error_models_rejecting"], row["n_error_models"]
    if n == 0:
        return "could not be tested"
    under = f"all {n}" if k == n else f"none of the {n}" if k == 0 else f"{k} of the {n}"
    return f"passes the {pct(sp.ALPHA)} test under {under} error models tried"


def falls_words(row: dict) -> str:
    return (f"{row['n_falls_to_low']} of {row['n_changes_to_low']} annual changes "
            f"({pct(row['share_falls'], 1)})")


def rise_words(row: dict) -> str:
    if row["largest_rise_pp"] is None:
        return f"no rise of {sp.MIN_RISE_PP} points or more"
    return (f"+{row['largest_rise_pp']:.2f} points in {row['largest_rise_from']}–"
            f"{row['largest_rise_to']}")


def error_model_words(r: dict) -> str:
    """Whose residuals give the carry-over: 'a single straight line', 'the fit with ...'."""
    if r["n_breaks"] == 0:
        return "a single straight line"
    lead = "the selected fit" if r["error_model"] == "selected" else "the fit"
    return f"{lead} with {breaks_words(r['n_breaks'], r['break_years'])}"


def ar1_words(value: float) -> str:
    """'AR(1) coefficient 0.88', saying so at the cap (nearly a random walk)."""
    cap_ = ", the cap the bootstrap allows: nearly a random walk"
    return f"AR(1) coefficient {value:.2f}" + (cap_ if abs(value) >= AR_CLIP - 1e-9 else "")


def _each(frame: pl.DataFrame, words) -> str:
    """``words`` of each row of ``frame``, joined in prose."""
    return join_words([words(x) for x in frame.iter_rows(named=True)])


# -------------------------------------------------------------------- the claims

def _holds_because(row: dict, fit, n_boot: int) -> str:
    """Why one measure meets the decline claim, with every condition it depends on."""
    text = (f"it fell in {falls_words(row)} from {row['start_year']} to its low of "
            f"{row['low_value']:.2f} % in {row['low_year']}, and its trend turned in "
            f"{row['last_break']}: {trend_since(row)}.")
    failing = [pct(th) for th in sp.FALLS_THRESHOLDS if not row[sp.AT[th]]]
    if failing:
        text += (f" That counts as \"progressive\" under the project's "
                 f"{pct(sp.PROGRESSIVE_MIN_SHARE_OF_FALLS)} threshold, not under a threshold of "
                 f"{join_words(failing, 'or')}.")
    ps = [f"as strongly as around {error_model_words(e)} ({ar1_words(e['ar1'])}; p = "
          f"{fmt_p(e['p_value_udmax'], n_boot)} then)" for e in fit.error_models.filter(
              pl.col("p_value_udmax") >= sp.ALPHA).iter_rows(named=True)]
    if ps:
        text += (f" The turn passes the {pct(sp.ALPHA)} test unless deviations from the "
                 f"trend carry over from year to year {join_words(ps, 'or')}.")
    return text


def _fails_because(row: dict) -> str:
    """Why one measure does not meet the decline claim, from its failed tests."""
    reasons = []
    if not row["mostly_falls"] or not row["no_large_rise"]:
        rise = ("" if row["largest_rise_pp"] is None else
                f", with a rise of {row['largest_rise_pp']:.2f} points in "
                f"{row['largest_rise_from']}–{row['largest_rise_to']} on the way down")
        reasons.append(f"it fell in only {falls_words(row)}{rise}")
    if not row["declining"]:
        reasons.append("its trend to the low is not significantly downward")
    if not row["long_enough"]:
        reasons.append(f"its decline lasted {row['years_to_low']} years, fewer than "
                       f"{sp.MIN_DECLINE_YEARS}")
    if not row["turn"]:
        if row["last_break"] is None:
            reasons.append("no break in its trend passes the test")
        elif not row["near_turn"]:
            reasons.append(f"its trend changed in {row['last_break']} rather than around "
                           f"{sp.CLAIM_TURN_YEAR}, a break that {robustness_words(row)}, with "
                           f"{trend_since(row)}")
        else:
            reasons.append(f"it kept falling after {row['last_break']}")
    return (join_words(reasons) + f"; its lowest value was {row['low_value']:.2f} % in "
            f"{row['low_year']}")


def sixty_years_claim(rows: dict[str, dict], fits: dict, edition: str, n_boot: int,
                      zero: list[str]) -> dict[str, str]:
    """The decline claim's words from its checks and fits; ``zero``: Allies at 0 % of GDP."""
    long = {m: MEASURE_LONG[m].format(zero=f"; {names(zero)} at 0 %" if zero else "")
            for m in sp.MEASURES}
    parts = [f"Holds for {long[m]}: " + _holds_because(rows[m], fits[m], n_boot)
             for m in sp.MEASURES if rows[m]["holds"]]
    parts += [f"Does not hold for {long[m]}: " + _fails_because(rows[m]) + "."
              for m in sp.MEASURES if not rows[m]["holds"]]
    w = rows["weighted"]
    parts.append(
        f"SIPRI {edition}; {RULE_WORDS[sp.CLAIM_RULE]}, from {w['start_year']}, the first year "
        f"with data for every Ally. \"Progressive\" here means at least "
        f"{pct(sp.PROGRESSIVE_MIN_SHARE_OF_FALLS)} of the annual changes to the low are falls, "
        f"no run of rises adds more than {sp.PROGRESSIVE_MAX_RISE_PP} points and the downward "
        f"trend is significant, over {sp.MIN_DECLINE_YEARS} years or more (the project's "
        f"reading of \"sixty\" with data from {w['start_year']}); the turn must be a trend break "
        f"within {sp.CLAIM_TURN_TOLERANCE} years of {sp.CLAIM_TURN_YEAR}.")
    finding = "; ".join(
        f"{who}: fell in {c['n_falls_to_low']} of {c['n_changes_to_low']} years to "
        f"{c['low_value']:.2f} %{unit} in {c['low_year']}, {trend_since(c, numbers=False)}"
        for who, c, unit in (("typical Ally (simple mean)", rows["mean"], " of GDP"),
                             ("GDP-weighted share", w, "")))
    return {"claim": "Allies' defence spending broke with sixty years of progressive decline "
                     "after 2014", "source": "NATO Review 2025, Graphic 1", "finding": finding,
            "condition": " ".join(parts)}


def us_share_claim(share: float | None, holds: bool, edition: str) -> dict[str, str]:
    """'US military expenditure was 3.4 % of GDP in 2024', checked to SIPRI's rounding."""
    pct_, year = sp.US_CLAIM_PCT, sp.US_CLAIM_YEAR
    words = {"claim": f"US military expenditure was {pct_} % of GDP in {year}", "source": "SIPRI"}
    if share is None:
        return words | {"finding": f"no SIPRI figure for {year}", "condition":
                        f"The SIPRI edition used ({edition}) has no US share for {year}.",
                        "short": f"The SIPRI edition used has no US share for {year}."}
    rounds = f"{share:.2f} % {'rounds' if holds else 'does not round'} to {pct_} %"
    return words | {
        "short": f"{rounds} (SIPRI's definition, US fiscal year).",
        "finding": f"{share:.2f} % of GDP in {year} (SIPRI {edition})",
        "condition": f"{rounds}. SIPRI's definition of military expenditure, for the US "
                     "government's fiscal year; NATO's own figures follow NATO's definition (see "
                     "the chapter on the guidelines)."}


# -------------------------------------------------------------------- sentences

def window_words(r) -> str:
    """'' at the default window, else ' (window from 1960)', ' (window 1960–2020)' etc."""
    d = r.params.defaults()
    start, end = r.params.start_year != d["start_year"], r.params.end_year != d["end_year"]
    if start and end:
        return f" (window {r.start_year}–{r.end_year})"
    return f" (window from {r.start_year})" if start else (
        f" (window to {r.end_year})" if end else "")


def coverage_words(r) -> str:
    """Who enters the GDP-weighted peak and low: the two ends need not be the same Allies."""
    pk = r.peak("weighted")
    at_peak, at_low = (r.nato_total.filter(pl.col("year") == pk[f"{end}_year"]).row(0, named=True)
                       for end in ("peak", "trough"))
    no_data = [c for c in at_peak["missing_mean"].split(",") if c]
    zero = [c for c in at_peak["missing_weighted"].split(",") if c and c not in no_data]
    reasons = []
    if no_data:
        reasons.append(f"{names(no_data)} {_has(no_data)} no SIPRI figures for that year")
    if zero:
        reasons.append(f"{names(zero)}, with no military spending, {_has(zero)} no GDP to weight")
    why = f" ({'; '.join(reasons)})" if reasons else ""
    low_missing = at_low["missing_weighted"]
    if at_peak["missing_weighted"] == low_missing and at_peak["n_allies"] == at_low["n_allies"]:
        return (f"both the {pk['peak_year']} and the {pk['trough_year']} figure cover the same "
                f"{pk['n_in_peak']} of {pk['n_allies_peak']} Allies{why}")
    return (f"the two ends do not cover the same Allies: the {pk['peak_year']} figure covers "
            f"{pk['n_in_peak']} of the {pk['n_allies_peak']} Allies counted that year{why}, the "
            f"{pk['trough_year']} figure {pk['n_in_trough']} of {pk['n_allies_trough']}"
            + (f" (all but {names(low_missing)})" if low_missing else ""))


def _coverage(r) -> str:
    """Who is counted, where SIPRI's data are incomplete, and from when trends are fitted."""
    gaps, zero = r.nato_total.filter(pl.col("n_missing") > 0), r.zero
    if gaps.height:
        text = (f"Allies without a SIPRI figure are left out of that year's aggregates (table "
                f"above): in {gaps['year'].min()}, {gaps['n_missing'][0]} of the "
                f"{gaps['n_allies'][0]} Allies counted have none. From {r.first_complete} every "
                "counted Ally has a share of GDP in every year.")
    else:
        text = (f"Every counted Ally has a SIPRI share of GDP in every year from "
                f"{r.start_year} to {r.end_year}.")
    if r.params.trend_start_year is None:
        text += f" Trends are fitted from {r.trend_start}, the first year with full data."
    else:
        text += (f" Trends are fitted from {r.trend_start}, as chosen (by default they start "
                 f"in {r.first_complete}, the first year with full data)"
                 + (", so their first years measure the arrival of data as well as spending."
                    if r.trend_start < r.first_complete else "."))
    if zero:
        one, pm = len(zero) == 1, r.peak("mean")
        text += (f" {cap(names(zero))}, which {_has(zero)} no armed forces, "
                 f"{'is' if one else 'are'} recorded by SIPRI at 0 % of GDP in every year: "
                 f"{'it enters' if one else 'they enter'} the simple mean at 0 % and cannot "
                 f"enter the GDP-weighted share (a zero share gives no GDP to weight)")
        if r.mean_without_zero is not None:
            text += (f"; without {'it' if one else 'them'} the lowest simple mean, in "
                     f"{pm['trough_year']}, would be {r.mean_without_zero:.2f} % instead of "
                     f"{pm['trough_value']:.2f} %")
        text += "."
    if r.estimated:
        text += (f" SIPRI marks its {r.end_year} figures for {names(r.estimated)} as its own "
                 "estimates; they are used as published.")
    return text


def _peak(r) -> str:
    """Peaks and lows of both measures, with who is in them."""
    pk, pm = r.peak("weighted"), r.peak("mean")
    era = sp.era_of(r.eras, pk["peak_year"])
    mean_cover = ("" if pm["n_in_peak"] == pm["n_allies_peak"] else
                  f", which {pm['n_in_peak']} of the {pm['n_allies_peak']} Allies of "
                  f"{pm['peak_year']} enter")
    text = (f"On SIPRI's figures the NATO total, GDP-weighted, peaked at {pk['peak_value']:.2f} % "
            f"of GDP in {pk['peak_year']}{f' ({era})' if era else ''}{window_words(r)} and fell "
            f"to {pk['trough_value']:.2f} % in {pk['trough_year']}, {pk['fall_pp']:.2f} points "
            f"lower; in {pk['latest_year']} it was {pk['latest_value']:.2f} %. "
            f"{cap(coverage_words(r))}. The typical Ally's share (the simple mean{mean_cover}) "
            f"was highest at {pm['peak_value']:.2f} % in {pm['peak_year']}, fell to "
            f"{pm['trough_value']:.2f} % in {pm['trough_year']} and was "
            f"{pm['latest_value']:.2f} % in {pm['latest_year']}.")
    if r.end_year in (pm["trough_year"], pk["trough_year"]):
        text += f" {r.end_year} is the last year shown: the low may not be the end of the fall."
    return text


def _breaks(r, measure: str) -> str:
    """One measure's breaks: what the tests select, under which error model, what BIC says."""
    fit, c, words = r.fits[measure], r.check(measure), MEASURE_SHORT[measure]
    first = fit.segments.row(0, named=True)
    slope = signed(first["slope_pp_per_year"])
    ci = interval(first["ci95_low"], first["ci95_high"])
    if fit.n_breaks == 0:
        text = (f"For the {words}, no change of trend passes the tests: one straight line from "
                f"{r.trend_start} fits, {slope} points a year ({ci}).")
        lead = "Had there been a break, the probability of a pattern this marked without one"
    else:
        text = (f"For the {words}, the tests select {breaks_words(fit.n_breaks, c['break_years'])}"
                f": {slope} points a year from {r.trend_start} to {first['end_year']} ({ci}), then "
                f"{trend_since(c)}. Whether {years_words(c['break_years'])} marks a real change "
                f"of trend depends on how strongly each year's deviation from the trend carries "
                f"over into the next, which the tests must assume.")
        lead = "The probability of a pattern this marked in a series without any break"
    text += f" {lead} is " + _each(fit.error_models, lambda e: (
        f"{fmt_p(e['p_value_udmax'], r.params.n_boot)} with the carry-over around "
        f"{error_model_words(e)} ({ar1_words(e['ar1'])})"))
    text += f": the break {robustness_words(c)}." if fit.n_breaks else "."
    bic = fit.bic_choice
    if bic["n_breaks"] != fit.n_breaks:
        text += (f" The Bayesian information criterion (BIC), which ignores that carry-over, "
                 f"would choose {breaks_words(bic['n_breaks'], bic['break_years'])}.")
    return text


def _decline(r) -> tuple[str, str]:
    """The "progressive" verdict per measure and rule, and where the threshold matters."""
    lines, flips, main = [], [], sp.PROGRESSIVE_MIN_SHARE_OF_FALLS
    for c in r.checks.iter_rows(named=True):
        why = [w for w, ok in (("no significant decline", c["declining"]),
                               ("too few falls", c["mostly_falls"]),
                               ("interrupted by larger rises", c["no_large_rise"]),
                               (f"shorter than {sp.MIN_DECLINE_YEARS} years", c["long_enough"]),
                               (f"no trend break near {sp.CLAIM_TURN_YEAR}", c["turn"])) if not ok]
        brk = (f"trend break {years_words(c['break_years'])}, which {robustness_words(c)}"
               if c["break_years"] else "no trend break passes the tests")
        measure = (MEASURE_SHORT[c["measure"]], RULE_WORDS[c["rule"]])
        lines.append(
            f"- **{cap(measure[0])}, {measure[1]}:** {c['start_value']:.2f} % of GDP in "
            f"{c['start_year']}, lowest {c['low_value']:.2f} % in {c['low_year']} "
            f"({c['years_to_low']} years later, {c['fall_to_low_pp']:.2f} points lower); "
            f"{falls_words(c)} on the way were falls; largest rise {rise_words(c)}; {brk}; "
            f"{trend_since(c)}; {c['latest_value']:.2f} % in {c['latest_year']}. *Sixty years "
            f"of progressive decline, broken around {sp.CLAIM_TURN_YEAR}: "
            + ("holds" if c["holds"] else f"does not hold ({'; '.join(why)})") + ".*")
        at_main = c[sp.AT[main]]
        other = [pct(th) for th in sp.FALLS_THRESHOLDS if c[sp.AT[th]] != at_main]
        if other:
            flips.append(f"the {measure[0]} ({measure[1]}) {'passes' if at_main else 'fails'} "
                         f"with {falls_words(c)} being falls but would "
                         f"{'fail' if at_main else 'pass'} with a threshold of "
                         f"{join_words(other, 'or')}")
    thresholds = (
        f"\"Progressive\" is the project's own reading: at least {pct(main)} of the annual "
        f"changes to the low are falls, no run of rising years adds more than "
        f"{sp.PROGRESSIVE_MAX_RISE_PP} points, the downward trend is significant, and it lasts "
        f"{sp.MIN_DECLINE_YEARS} years or more, the claim's \"sixty\" (full data start in "
        f"{r.first_complete}). " + ("The threshold matters: " + "; ".join(flips) + "." if flips
                                    else "No verdict changes between the thresholds shown."))
    return "\n".join(lines), thresholds


def _context(r) -> dict[str, str]:
    """What GMSD (shares) and NMC (levels) show before 1949, and how GMSD compares with SIPRI."""
    ctx, diff, first = r.context, r.context["difference"], r.context["first_spending"]
    periods = "; ".join(
        f"{p} ({lo}–{hi}) " + _each(ctx["periods"].filter(pl.col("period") == p),
                                    lambda x: f"{x['mean']:.1f} % for {country(x['iso3'])}")
        for p, (lo, hi) in sp.CONTEXT_PERIODS.items())
    war = _each(ctx["war"], lambda x: f"{possessive(country(x['iso3']))} to "
                                      f"{x['share_gdp_pct']:.0f} % ({x['year']})"
                ).replace("'s to", "'s share to", 1)
    gaps = _each(diff, lambda x: f"{signed(x['median'], 2)} points for {country(x['iso3'])} "
                                 f"(at most {x['largest']:.1f} in a year)")
    spent = _each(first, lambda x: f"{country(x['iso3'])} spent US$ "
                                   f"{x['milex_usd_bn_current']:.2f} bn")
    highs = _each(ctx["spending_highs"], lambda x: f"US$ {x['milex_usd_bn_current']:.1f} bn "
                                                   f"({country(x['iso3'])}, {x['year']})")
    return {"context": (
        f"Before SIPRI's series begins, OWID's Global Military Spending Dataset (GMSD) gives "
        f"shares of GDP on its own definition and GDP estimates. They averaged {periods}. The "
        f"Second World War took {war}. These are not SIPRI "
        f"figures and are never joined to SIPRI's series: where both give a share "
        f"({diff['first'].min()}–{diff['last'].max()}), GMSD's differs from SIPRI's by a "
        f"median of {gaps}."), "context_spending": (
        f"Correlates of War's National Material Capabilities (NMC) record military spending but "
        f"no GDP, so they show levels, not shares. In US dollars of each year (not adjusted for "
        f"prices), {spent} in {first['year'].min()}; the highest figures before "
        f"{sp.CONTEXT_LAST_YEAR + 1} were {highs}. NMC records spending in pounds sterling "
        f"before {sp.NMC_USD_FROM}; those years are not shown.")}


def _summary_break(words: str, c: dict, trend_start: int) -> str:
    """One sentence for the summary: the break years and whether the verdict depends on the
    error model (the p-values stay in the chapter)."""
    if not c["break_years"]:
        return f"No trend break in the {words} from {trend_start} passes the tests."
    several = "," in c["break_years"]
    text = (f"The {words}'s trend changed in {years_words(c['break_years'])} "
            f"({trend_since(c, numbers=False)}); ")
    if c["n_error_models_rejecting"] == c["n_error_models"]:
        return text + (f"{'the breaks pass' if several else 'the break passes'} the "
                       f"{pct(sp.ALPHA)} test whatever the error model.")
    return text + (f"whether {'these are real breaks' if several else 'that is a real break'} "
                   f"depends on the error model (the test for any break "
                   f"{robustness_words(c)}).")


def _summary(r) -> str:
    """The chapter's line in the executive summary."""
    pk, pm, rule = r.peak("weighted"), r.peak("mean"), r.params.membership_rule
    rule_note = "" if rule == r.params.defaults()["membership_rule"] else f" ({RULE_WORDS[rule]})"
    last = {r.end_year: ", the last year shown"}

    return (
        f"**Long run.** On SIPRI's figures ({r.edition}) the Allies' GDP-weighted military "
        f"spending peaked at {pk['peak_value']:.2f} % of GDP in {pk['peak_year']}"
        f"{window_words(r)}{rule_note}, a figure for {pk['n_in_peak']} of the "
        f"{pk['n_allies_peak']} Allies counted that year, and fell {pk['fall_pp']:.2f} points to "
        f"{pk['trough_value']:.2f} % in {pk['trough_year']}{last.get(pk['trough_year'], '')} "
        f"({pk['n_in_trough']} of {pk['n_allies_trough']} Allies); it was "
        f"{pk['latest_value']:.2f} % in {pk['latest_year']}. The simple mean of Allies' shares"
        + (f" ({names(r.zero)} at 0 %)" if r.zero else "") + f" reached its low of "
        f"{pm['trough_value']:.2f} % in {pm['trough_year']}{last.get(pm['trough_year'], '')}. "
        + _summary_break("GDP-weighted share", r.check("weighted"), r.trend_start)
        + " " + _summary_break("simple mean", r.check("mean"), r.trend_start))


def sentences(r) -> dict[str, str]:
    """The chapter's number-bearing prose and its line for the summary (the appendix's:
    :func:`.long_run_tables.appendix`)."""
    peak, at2, (decline, thresholds) = _peak(r), r.at_2pct, _decline(r)
    us = "n/a" if r.us_share is None else f"{r.us_share:.2f} %"
    finding = (
        f"{peak} The United States spent {us} of GDP in {sp.US_CLAIM_YEAR}. In "
        f"{sp.TWO_PCT_YEAR}, {plural(at2.height, 'Ally')} "
        f"({names(at2['iso3'].to_list())}) spent {sp.TWO_PCT:g} % of GDP or more by SIPRI's "
        "definition; NATO's own figures use a different definition and are analysed in the "
        "chapter on the guidelines.")
    return {"coverage": _coverage(r), "peak": peak, **_context(r),
            "breaks": " ".join(_breaks(r, m) for m in sp.MEASURES), "decline": decline,
            "thresholds": thresholds, "finding": finding, "summary": _summary(r)}
