"""Every word of chapter 1 (long-run spending) a reader sees: sentences, claim wording, headline
labels, table captions and column labels. ``r`` is a :class:`dibtrends.chapters.long_run.Result`;
nothing here computes a result, it puts the chapter's numbers into words.
"""

from __future__ import annotations

import polars as pl

from .. import spending as sp
from ..results import Headline, Table, headline
from ..stats.intervals import AR_CLIP
from . import cap, country, fmt, fmt_p, join_words, pct, plural, possessive, signed

MEASURE_SHORT = {"weighted": "GDP-weighted share", "mean": "simple mean of Allies' shares"}
MEASURE_LONG = {
    "weighted": "the GDP-weighted share (the Allies' total spending over their total GDP, "
                "dominated by the United States)",
    "mean": "the simple mean of Allies' shares (the typical Ally, each counting once{zero})",
}
RULE_WORDS = {"accession": "Allies counted from the year they joined",
              "cold_war_16": "the same 16 Cold War Allies in every year"}
NUMBER_WORDS = {0: "no", 1: "one", 2: "two", 3: "three", 4: "four"}
METHOD_WORDS = {"ar1": "AR(1) error model (used)",
                "hac_automatic": "Newey-West, Andrews' automatic lags",
                "hac_rule_of_thumb": "Newey-West, rule-of-thumb lags"}


def names(codes) -> str:
    """Country names from ISO codes (a list or SIPRI's comma-joined string), in prose."""
    if isinstance(codes, str):
        codes = [c for c in codes.split(",") if c]
    return join_words([country(c) for c in codes])


def years_words(years: str, none: str = "") -> str:
    """'1978, 1985 and 1996' from '1978,1985,1996'; ``none`` for no year."""
    return join_words([y for y in years.split(",") if y]) if years else none


def breaks_words(n: int, years: str) -> str:
    """'one break, in 1998', 'three breaks, in 1978, 1985 and 1996', 'no break'."""
    if n == 0:
        return "no break"
    return f"{NUMBER_WORDS.get(n, n)} break{'s' if n > 1 else ''}, in {years_words(years)}"


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
            f"({row['share_falls']:.1%})".replace("%", " %"))


def rise_words(row: dict) -> str:
    if row["largest_rise_pp"] is None:
        return f"no rise of {sp.MIN_RISE_PP} points or more"
    return (f"+{row['largest_rise_pp']:.2f} points in {row['largest_rise_from']}–"
            f"{row['largest_rise_to']}")


def error_model_words(r: dict) -> str:
    """Whose residuals give the carry-over: 'a single straight line', 'the selected fit with one
    break, in 1998', 'the fit with three breaks, in 1978, 1985 and 1996'."""
    if r["error_model"] == "no_break" or r["n_breaks"] == 0:
        return "a single straight line"
    lead = "the selected fit" if r["error_model"] == "selected" else "the fit"
    return f"{lead} with {breaks_words(r['n_breaks'], r['break_years'])}"


def ar1_words(value: float) -> str:
    """'AR(1) coefficient 0.88'; at the cap, says so (nearly a random walk)."""
    text = f"AR(1) coefficient {value:.2f}"
    if abs(value) >= AR_CLIP - 1e-9:
        text += ", the cap the bootstrap allows: nearly a random walk"
    return text


def measure_long(measure: str, zero: list[str]) -> str:
    return MEASURE_LONG[measure].format(zero=f"; {names(zero)} at 0 %" if zero else "")


def _at(th: float) -> str:
    return f"at_{round(th * 100)}"


# -------------------------------------------------------------------- the claims

def _measure_condition(row: dict, fit, n_boot: int) -> str:
    """Why one measure meets the claim, with every condition it depends on."""
    text = (f"it fell in {falls_words(row)} from {row['start_year']} to its low of "
            f"{row['low_value']:.2f} % in {row['low_year']}, and its trend turned in "
            f"{row['last_break']}: {trend_since(row)}.")
    failing = [th for th in sp.FALLS_THRESHOLDS if not row[_at(th)]]
    if failing:
        text += (f" That counts as \"progressive\" under the project's "
                 f"{pct(sp.PROGRESSIVE_MIN_SHARE_OF_FALLS)} threshold, not under a threshold of "
                 f"{join_words([pct(th) for th in failing], 'or')}.")
    em = fit.error_models.filter(pl.col("p_value_udmax") >= sp.ALPHA)
    if em.height:
        ps = [f"as strongly as around {error_model_words(e)} ({ar1_words(e['ar1'])}; p = "
              f"{fmt_p(e['p_value_udmax'], n_boot)} then)" for e in em.iter_rows(named=True)]
        text += (f" The turn passes the {pct(sp.ALPHA)} test unless deviations from the "
                 f"trend carry over from year to year {join_words(ps, 'or')}.")
    return text


def _measure_failure(row: dict) -> str:
    """Why one measure does not meet the claim, in words, from its failed tests."""
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
        elif abs(row["last_break"] - sp.CLAIM_TURN_YEAR) > sp.CLAIM_TURN_TOLERANCE:
            reasons.append(f"its trend changed in {row['last_break']} rather than around "
                           f"{sp.CLAIM_TURN_YEAR}, a break that {robustness_words(row)}, with "
                           f"{trend_since(row)}")
        else:
            reasons.append(f"it kept falling after {row['last_break']}")
    return (join_words(reasons) + f"; its lowest value was {row['low_value']:.2f} % in "
            f"{row['low_year']}")


def sixty_years_claim(rows: dict[str, dict], fits: dict, edition: str, n_boot: int,
                      zero: list[str]) -> dict[str, str]:
    """The decline claim's words per measure from its own checks (``rows``, ``fits``);
    ``zero`` are the Allies SIPRI records at 0 % (they enter the mean at 0)."""
    parts = [f"Holds for {measure_long(m, zero)}: " + _measure_condition(rows[m], fits[m], n_boot)
             for m in sp.MEASURES if rows[m]["holds"]]
    parts += [f"Does not hold for {measure_long(m, zero)}: " + _measure_failure(rows[m]) + "."
              for m in sp.MEASURES if not rows[m]["holds"]]
    first = rows["weighted"]["start_year"]
    parts.append(
        f"SIPRI {edition}; {RULE_WORDS[sp.CLAIM_RULE]}, from {first}, the first year with data "
        f"for every Ally. \"Progressive\" here means at least "
        f"{pct(sp.PROGRESSIVE_MIN_SHARE_OF_FALLS)} of the annual changes to the low are "
        f"falls, no run of rises adds more than {sp.PROGRESSIVE_MAX_RISE_PP} points and "
        f"the downward trend is significant, over {sp.MIN_DECLINE_YEARS} years or more "
        f"(the project's reading of \"sixty\" with data from {first}); the turn must be a "
        f"trend break within {sp.CLAIM_TURN_TOLERANCE} years of {sp.CLAIM_TURN_YEAR}.")
    w, mn = rows["weighted"], rows["mean"]
    finding = (f"typical Ally (simple mean): fell in {mn['n_falls_to_low']} of "
               f"{mn['n_changes_to_low']} years to {mn['low_value']:.2f} % of GDP in "
               f"{mn['low_year']}, {trend_since(mn, numbers=False)}; GDP-weighted share: fell "
               f"in {w['n_falls_to_low']} of {w['n_changes_to_low']} years to "
               f"{w['low_value']:.2f} % in {w['low_year']}, {trend_since(w, numbers=False)}")
    return {"claim": "Allies' defence spending broke with sixty years of progressive decline "
                     "after 2014", "source": "NATO Review 2025, Graphic 1", "finding": finding,
            "condition": " ".join(parts)}


def us_share_claim(share: float | None, holds: bool, edition: str) -> dict[str, str]:
    """'US military expenditure was 3.4 % of GDP in 2024', checked to SIPRI's rounding."""
    pct_, year = sp.US_CLAIM_PCT, sp.US_CLAIM_YEAR
    words = {"claim": f"US military expenditure was {pct_} % of GDP in {year}", "source": "SIPRI"}
    if share is None:
        return words | {"finding": f"no SIPRI figure for {year}", "condition":
                        f"The SIPRI edition used ({edition}) has no US share for {year}."}
    return words | {
        "finding": f"{share:.2f} % of GDP in {year} (SIPRI {edition})",
        "condition": f"{share:.2f} % {'rounds' if holds else 'does not round'} to {pct_} %. "
                     "SIPRI's definition of military expenditure, for the US government's fiscal "
                     "year; NATO's own figures follow NATO's definition (see the chapter on the "
                     "guidelines)."}


# -------------------------------------------------------------------- headlines

def headlines(r) -> list[Headline]:
    """The chapter's headline numbers: labels, notes and displays in words."""
    window = {"rule": r.params.membership_rule, "start_year": r.start_year,
              "end_year": r.end_year}
    n_boot, rows = r.params.n_boot, []
    for measure, words in MEASURE_SHORT.items():
        pk, c = r.peak(measure), r.check(measure)
        common = window | {"measure": measure, "group": "NATO total"}
        cover = (f"{pk['n_in_peak']} of the {pk['n_allies_peak']} Allies of {pk['peak_year']} "
                 f"enter this figure; {pk['n_in_trough']} of {pk['n_allies_trough']} in "
                 f"{pk['trough_year']}")
        rows += [
            headline("long_run.peak_share", f"Highest {words}, NATO total", pk["peak_value"],
                     "% of GDP", decimals=2, note=cover, **common),
            headline("long_run.peak_year", f"Year of the highest {words}", pk["peak_year"],
                     "year", decimals=0, display=str(pk["peak_year"]), **common),
            headline("long_run.low_share", f"Lowest {words} after the peak", pk["trough_value"],
                     "% of GDP", decimals=2, **common),
            headline("long_run.low_year", f"Year of the lowest {words} after the peak",
                     pk["trough_year"], "year", decimals=0, display=str(pk["trough_year"]),
                     **common),
            headline("long_run.fall", f"Fall of the {words} from its peak to its low",
                     pk["fall_pp"], "percentage points", decimals=2, **common),
            headline("long_run.latest_share", f"{cap(words)}, {pk['latest_year']}",
                     pk["latest_value"], "% of GDP", decimals=2, year=pk["latest_year"],
                     **common)]
        trend = window | {"measure": measure, "trend_start": r.trend_start, "n_boot": n_boot}
        rows.append(headline(
            "long_run.break_year", f"Last trend break, {words}, fit from {r.trend_start}",
            c["last_break"], "year", decimals=0, display=years_words(c["break_years"], "none"),
            note=f"the break {robustness_words(c)}", **trend))
        rows += [headline(
            "long_run.break_p", f"p-value of the test for any break, {words}, errors as around "
            f"{error_model_words(e)}", e["p_value_udmax"], "p-value", decimals=3,
            display=fmt_p(e["p_value_udmax"], n_boot), note=f"sieve bootstrap, {n_boot} draws; "
            f"AR(1) coefficient {e['ar1']:.2f}", error_model=e["error_model"], **trend)
            for e in r.fit_of(measure).error_models.iter_rows(named=True)]
        rows.append(headline(
            "long_run.share_of_falls", f"Share of annual changes that were falls, {words}, "
            f"{c['start_year']} to the low in {c['low_year']}", 100 * c["share_falls"], "%",
            decimals=1, note=f"{c['n_falls_to_low']} of {c['n_changes_to_low']}", **trend))
    return rows + [
        headline("long_run.us_share", f"United States, share of GDP, {sp.US_CLAIM_YEAR}",
                 r.us_share, "% of GDP", decimals=2, note="SIPRI's definition; US fiscal year",
                 year=sp.US_CLAIM_YEAR),
        headline("long_run.allies_at_threshold", f"Allies at {sp.TWO_PCT:g} % of GDP or more in "
                 f"{sp.TWO_PCT_YEAR} (SIPRI)", r.at_2pct.height, "Allies", decimals=0,
                 note=names(r.at_2pct["iso3"].to_list()) + "; SIPRI's definition",
                 year=sp.TWO_PCT_YEAR, threshold_pct=sp.TWO_PCT)]


# -------------------------------------------------------------------- sentences

def _year(r, year: int) -> dict:
    return r.nato_total.filter(pl.col("year") == year).row(0, named=True)


def window_words(r) -> str:
    """'' at the default window, else ' (window from 1960)', ' (window to 2020)' or ' (window
    1960–2020)', for sentences that quote a peak or a low."""
    d = r.params.defaults()
    start_changed = r.params.start_year != d["start_year"]
    end_changed = r.params.end_year != d["end_year"]
    if start_changed and end_changed:
        return f" (window {r.start_year}–{r.end_year})"
    if start_changed:
        return f" (window from {r.start_year})"
    return f" (window to {r.end_year})" if end_changed else ""


def _has(codes: list) -> str:
    return "has" if len(codes) == 1 else "have"


def coverage_words(r) -> str:
    """Who enters the GDP-weighted peak and low: the two ends need not cover the same Allies
    (before 1960 some have no SIPRI figures, and a zero share gives no GDP to weight)."""
    pk = r.peak("weighted")
    at_peak, at_low = _year(r, pk["peak_year"]), _year(r, pk["trough_year"])
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
    at_mean_peak = _year(r, pm["peak_year"])
    mean_cover = ("" if at_mean_peak["n_mean"] == at_mean_peak["n_allies"] else
                  f", which {at_mean_peak['n_mean']} of the {at_mean_peak['n_allies']} Allies "
                  f"of {pm['peak_year']} enter")
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


def break_words(r, measure: str) -> str:
    """The trend breaks of one measure in plain words: what the tests select, how much that
    depends on the error model, and what BIC would choose."""
    fit, c = r.fit_of(measure), r.check(measure)
    words, first = MEASURE_SHORT[measure], fit.segments.row(0, named=True)
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
    parts = [f"{fmt_p(e['p_value_udmax'], r.params.n_boot)} with the carry-over around "
             f"{error_model_words(e)} ({ar1_words(e['ar1'])})"
             for e in fit.error_models.iter_rows(named=True)]
    text += f" {lead} is {join_words(parts, 'and')}"
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
        lines.append(
            f"- **{cap(MEASURE_SHORT[c['measure']])}, {RULE_WORDS[c['rule']]}:** "
            f"{c['start_value']:.2f} % of GDP in {c['start_year']}, lowest "
            f"{c['low_value']:.2f} % in {c['low_year']} ({c['years_to_low']} years later, "
            f"{c['fall_to_low_pp']:.2f} points lower); {falls_words(c)} on the way were falls; "
            f"largest rise {rise_words(c)}; {brk}; {trend_since(c)}; "
            f"{c['latest_value']:.2f} % in {c['latest_year']}. *Sixty years of progressive "
            f"decline, broken around {sp.CLAIM_TURN_YEAR}: "
            + ("holds" if c["holds"] else f"does not hold ({'; '.join(why)})") + ".*")
        at_main = c[_at(main)]
        other = [th for th in sp.FALLS_THRESHOLDS if c[_at(th)] != at_main]
        if other:
            flips.append(f"the {MEASURE_SHORT[c['measure']]} ({RULE_WORDS[c['rule']]}) "
                         f"{'passes' if at_main else 'fails'} with {falls_words(c)} being "
                         f"falls but would {'fail' if at_main else 'pass'} with a threshold of "
                         f"{join_words([pct(th) for th in other], 'or')}")
    thresholds = (
        f"\"Progressive\" is the project's own reading: at least {pct(main)} of the annual "
        f"changes to the low are falls, no run of rising years adds more than "
        f"{sp.PROGRESSIVE_MAX_RISE_PP} points, the downward trend is significant, and it "
        f"lasts {sp.MIN_DECLINE_YEARS} years or more, the claim's \"sixty\" (full data "
        f"start in {r.first_complete}). ")
    thresholds += ("The threshold matters: " + "; ".join(flips) + "." if flips else
                   "No verdict changes between the thresholds shown.")
    return "\n".join(lines), thresholds


def _context(r) -> dict[str, str]:
    """What GMSD (shares) and NMC (levels) show before 1949, and how GMSD compares with SIPRI."""
    ctx = r.context
    period_bits = [f"{period} ({lo}–{hi}) " + join_words(
        [f"{x['mean']:.1f} % for {country(x['iso3'])}"
         for x in ctx["periods"].filter(pl.col("period") == period).iter_rows(named=True)])
        for period, (lo, hi) in sp.CONTEXT_PERIODS.items()]
    war_bits = join_words([f"{possessive(country(x['iso3']))} to {x['share_gdp_pct']:.0f} % "
                           f"({x['year']})" for x in ctx["war"].iter_rows(named=True)])
    war_bits = war_bits.replace("'s to", "'s share to", 1) if war_bits else war_bits
    diff = ctx["difference"]
    diff_bits = join_words([f"{signed(x['median'], 2)} points for {country(x['iso3'])} (at "
                            f"most {x['largest']:.1f} in a year)"
                            for x in diff.iter_rows(named=True)])
    first = ctx["first_spending"]
    spent = join_words([f"{country(x['iso3'])} spent US$ {x['milex_usd_bn_current']:.2f} bn"
                        for x in first.iter_rows(named=True)])
    highs = join_words([f"US$ {x['milex_usd_bn_current']:.1f} bn ({country(x['iso3'])}, "
                        f"{x['year']})" for x in ctx["spending_highs"].iter_rows(named=True)])
    return {"context": (
        f"Before SIPRI's series begins, OWID's Global Military Spending Dataset (GMSD) gives "
        f"shares of GDP on its own definition and GDP estimates. They averaged "
        f"{'; '.join(period_bits)}. The Second World War took {war_bits}. These are not SIPRI "
        f"figures and are never joined to SIPRI's series: where both give a share "
        f"({diff['first'].min()}–{diff['last'].max()}), GMSD's differs from SIPRI's by a "
        f"median of {diff_bits}."), "context_spending": (
        f"Correlates of War's National Material Capabilities (NMC) record military spending but "
        f"no GDP, so they show levels, not shares. In US dollars of each year (not adjusted for "
        f"prices), {spent} in {first['year'].min()}; the highest figures before "
        f"{sp.CONTEXT_LAST_YEAR + 1} were {highs}. NMC records spending in pounds sterling "
        f"before {sp.NMC_USD_FROM}; those years are not shown.")}


def _summary_break(words: str, c: dict, trend_start: int) -> str:
    if not c["break_years"]:
        return f"No trend break in the {words} from {trend_start} passes the tests."
    lo, hi = fmt_p(c["p_udmax_min"], c["n_boot"]), fmt_p(c["p_udmax_max"], c["n_boot"])
    several = "," in c["break_years"]
    p_range = f"p = {lo}" if lo == hi else f"p from {lo} to {hi}"
    text = (f"The {words}'s trend changed in {years_words(c['break_years'])} "
            f"({trend_since(c, numbers=False)}); ")
    if c["n_error_models_rejecting"] == c["n_error_models"]:
        return text + (f"{'the breaks pass' if several else 'the break passes'} the "
                       f"{pct(sp.ALPHA)} test whatever the error model ({p_range}).")
    return text + (f"whether {'these are real breaks' if several else 'that is a real break'} "
                   f"depends on the error model ({p_range}; the test for any break "
                   f"{robustness_words(c)}).")


def _summary(r) -> str:
    """The chapter's line in the executive summary."""
    pk, pm = r.peak("weighted"), r.peak("mean")
    rule = r.params.membership_rule
    rule_note = "" if rule == r.params.defaults()["membership_rule"] else f" ({RULE_WORDS[rule]})"
    zero_note = f" ({names(r.zero)} at 0 %)" if r.zero else ""

    def last(year: int) -> str:
        return ", the last year shown" if year == r.end_year else ""

    return (
        f"**Long run.** On SIPRI's figures ({r.edition}) the Allies' GDP-weighted military "
        f"spending peaked at {pk['peak_value']:.2f} % of GDP in {pk['peak_year']}"
        f"{window_words(r)}{rule_note}, a figure for {pk['n_in_peak']} of the "
        f"{pk['n_allies_peak']} Allies counted that year, and fell {pk['fall_pp']:.2f} points to "
        f"{pk['trough_value']:.2f} % in {pk['trough_year']}{last(pk['trough_year'])} "
        f"({pk['n_in_trough']} of {pk['n_allies_trough']} Allies); it was "
        f"{pk['latest_value']:.2f} % in {pk['latest_year']}. The simple mean of Allies' "
        f"shares{zero_note} reached its low of {pm['trough_value']:.2f} % in "
        f"{pm['trough_year']}{last(pm['trough_year'])}. "
        + _summary_break("GDP-weighted share", r.check("weighted"), r.trend_start)
        + " " + _summary_break("simple mean", r.check("mean"), r.trend_start))


def _method(r) -> str:
    n_boot, most = r.params.n_boot, NUMBER_WORDS[sp.MAX_BREAKS]
    return (
        f"A continuous piecewise-linear trend is fitted from {r.trend_start}; break years are "
        f"chosen by least squares (each segment at least {sp.MIN_SEGMENT} years long, at most "
        f"{most} breaks) and tested with Bai and Perron's double-maximum (UDmax) test of no "
        f"break against one to {most}, then sequential tests of one break more. The break "
        f"years were searched for and the deviations from the trend are strongly "
        f"autocorrelated, so the p-values come from a sieve bootstrap ({n_boot} draws per "
        f"test, seed {sp.SEED}) that re-runs the search on series drawn from the null model "
        f"plus AR(1) errors; the smallest p-value it can give is {1 / (n_boot + 1):.3f}, shown "
        f"as \"< {1 / (n_boot + 1):.3f}\". The breaks are selected with the AR(1) coefficient "
        f"of the fit with the most breaks (as Bai and Perron estimate such parameters under the "
        f"alternative); the table of error models repeats the test for any break with the "
        f"coefficients of a single straight line and of the selected fit (same random "
        f"numbers). A fit with too few breaks passes an omitted kink off as persistence, a fit "
        f"with many breaks absorbs some of it: the truth lies between, which is why the "
        f"chapter reports all three.")


def _intervals(r) -> str:
    first = r.fit.hac.filter(pl.col("segment") == 1)
    thumb, auto, ar1 = (first.filter(pl.col("method") == m).row(0, named=True)
                        for m in ("hac_rule_of_thumb", "hac_automatic", "ar1"))
    return (
        f"Slope intervals use the same AR(1) error model (coefficient "
        f"{r.fit.diagnostic('ar1_residuals'):.2f} in the residuals of the GDP-weighted share's "
        f"selected fit). Newey-West (HAC) intervals are too narrow when residuals are this "
        f"persistent, whatever the lag rule: for the GDP-weighted share's first segment "
        f"({ar1['start_year']}–{ar1['end_year']}) the rule of thumb ({thumb['lags']} lags) "
        f"gives {interval(thumb['ci95_low'], thumb['ci95_high'])}, Andrews' automatic "
        f"bandwidth ({auto['lags']} lags) {interval(auto['ci95_low'], auto['ci95_high'])}, "
        f"the AR(1) model {interval(ar1['ci95_low'], ar1['ci95_high'])}, "
        f"{ar1['se_ratio']:.1f} times as wide as the rule of thumb. The AR(1) coefficient "
        f"of residuals is itself biased towards zero in {r.fit.fitted.height} years, so even "
        f"these intervals may be too narrow.")


def sentences(r) -> dict[str, str]:
    """The chapter's number-bearing prose, and its line for the summary."""
    peak, at2 = _peak(r), r.at_2pct
    us = "n/a" if r.us_share is None else f"{r.us_share:.2f} %"
    decline, thresholds = _decline(r)
    finding = (
        f"{peak} The United States spent {us} of GDP in {sp.US_CLAIM_YEAR}. In "
        f"{sp.TWO_PCT_YEAR}, {plural(at2.height, 'Ally', 'Allies')} "
        f"({names(at2['iso3'].to_list())}) spent {sp.TWO_PCT:g} % of GDP or more by SIPRI's "
        "definition; NATO's own figures use a different definition and are analysed in the "
        "chapter on the guidelines.")
    return {"coverage": _coverage(r), "peak": peak, **_context(r),
            "breaks": " ".join(break_words(r, m) for m in sp.MEASURES), "decline": decline,
            "thresholds": thresholds, "finding": finding, "summary": _summary(r),
            "method": _method(r), "intervals": _intervals(r)}


# -------------------------------------------------------------------- tables

#: Column labels of the chapter's tables (one meaning per column name) and their decimals.
LABELS = {
    "year": "Year", "n_allies": "Allies counted", "n_mean": "In the simple mean",
    "n_weighted": "In the GDP-weighted share", "allies_without_data": "Allies without SIPRI data",
    "group": "Group", "measure": "Measure", "peak_year": "Peak year",
    "peak_value": "Peak, % of GDP", "cover_peak": "Allies in the peak figure",
    "trough_year": "Low after peak, year", "trough_value": "Low, % of GDP",
    "cover_trough": "Allies in the low figure", "fall_pp": "Fall, points",
    "latest_year": "Latest year", "latest_value": "Latest, % of GDP",
    "change_since_trough_pp": "Since low, points", "period": "Period", "start_year": "From",
    "end_year": "To", "n_years": "Years", "mean_pct": "Mean, % of GDP",
    "change_pp": "Change first to last year, points", "slope_pp_per_year": "Slope, points a year",
    "era": "Era", "note": "Dates", "rule": "Allies counted", "low_year": "Lowest, year",
    "low_value": "Lowest, % of GDP", "falls": "Annual changes to the low that were falls",
    "largest_rise": "Largest rise on the way down", "break_years": "Trend break",
    "robust": "Error models under which the break passes",
    "slope_last": "Slope of the last segment, points a year",
    **{_at(th): f"At {round(th * 100)} %" for th in sp.FALLS_THRESHOLDS},
    "model": "Carry-over taken from the residuals of", "ar1": "AR(1) coefficient",
    "p_any": "p, any break (UDmax)", "p_one": "p, one break against none",
    "significant": "Break at 5 %", "used_for_selection": "Used to select the breaks",
    "n_breaks": "Breaks", "ssr": "Sum of squared residuals", "bic": "BIC",
    "f_vs_no_break": "F against no break", "sup_f_vs_one_fewer": "F against one break fewer",
    "p": "p (bootstrap, one break fewer)", "selected": "Selected", "method": "Interval",
    "lags": "Lags", "segment": "Segment", "ci95_low": "95 % interval, low",
    "ci95_high": "95 % interval, high", "se_ratio": "Width against the rule of thumb",
    "label": "Diagnostic", "value": "Value",
}
DECIMALS = {"mean_pct": 2, "change_pp": 2, "slope_pp_per_year": 3, "low_value": 2,
            "slope_last": 3, "latest_value": 2, "ar1": 2, "ssr": 2, "bic": 1, "f_vs_no_break": 1,
            "sup_f_vs_one_fewer": 1, "ci95_low": 3, "ci95_high": 3, "se_ratio": 1}
#: Diagnostic names in words, and how their values are shown (decimals, whole number, p-value).
DIAGNOSTIC_WORDS = {
    "n_years": ("Years in the fit", "int"),
    "ar1_residuals": ("Carry-over of deviations from one year to the next (AR(1) coefficient "
                      "of the selected model's residuals)", 2),
    "durbin_watson": ("Durbin–Watson statistic (about 2 without carry-over)", 2),
    "ljung_box_p_lag1": ("Ljung–Box test of no carry-over at one year: p-value", "p"),
    "ljung_box_p_lagk": ("Ljung–Box test of no carry-over up to five years: p-value", "p"),
    "hac_bandwidth": ("Andrews' automatic bandwidth for HAC errors, years (for comparison)", 1),
    "hac_maxlags": ("Lags of the automatic HAC errors (for comparison)", "int"),
    "hac_maxlags_rule_of_thumb": ("Lags of the rule-of-thumb HAC errors (for comparison)",
                                  "int"),
    "cusum_linear_stat": ("CUSUM statistic of one straight line", 2),
    "cusum_linear_p": ("CUSUM test that one straight line fits throughout: p-value (assumes no "
                       "carry-over)", "p"),
    "cusum_final_p": ("The same test on the selected model: p-value", "p"),
    "udmax": ("Double-maximum statistic (no break against one or more)", 1),
    "udmax_p": ("Its bootstrap p-value", "pboot"),
    "n_breaks_selected": ("Breaks selected", "int"),
    "ar1_bootstrap": ("Carry-over assumed by the bootstrap (AR(1) coefficient of the model "
                      "with the most breaks)", 2),
    "n_boot": ("Bootstrap draws per test", "int"),
    "min_segment_years": ("Shortest segment allowed, years", "int"),
}


def _shown(v: float | None, kind, n_boot: int) -> str:
    if v is None or v != v:
        return "–"
    if kind in ("p", "pboot"):
        return fmt_p(v, n_boot if kind == "pboot" else None)
    return f"{v:.0f}" if kind == "int" else fmt(v, kind)


def _words(col: str, fn, *fields: str) -> pl.Expr:
    """A column of words: ``fn`` of a row's ``fields`` (of one field's value if only one)."""
    source = pl.col(fields[0]) if len(fields) == 1 else pl.struct(*fields)
    return source.map_elements(fn, return_dtype=pl.String).alias(col)


def _per_measure(r, frame: str, *columns) -> pl.DataFrame:
    """``columns`` of a SegmentedTrend frame for both measures, stacked, the measure first."""
    return pl.concat([getattr(r.fit_of(m), frame).select(
        pl.lit(MEASURE_SHORT[m]).alias("measure"), *columns) for m in sp.MEASURES])


def tables(r) -> dict[str, Table]:
    """The chapter's tables: frames in words, captions and column labels."""
    rule, n_boot, src = RULE_WORDS[r.params.membership_rule], r.params.n_boot, f"SIPRI, {r.edition}"
    trend = f"NATO total, {rule}, from {r.trend_start}"
    words = [pl.col("rule").replace(RULE_WORDS), pl.col("measure").replace(MEASURE_SHORT)]
    falls = _words("falls", falls_words, "n_falls_to_low", "n_changes_to_low", "share_falls")

    def p_text(col: str, name: str) -> pl.Expr:
        return _words(name, lambda v: fmt_p(v, n_boot), col)

    def years(col: str) -> pl.Expr:
        return _words(col, lambda v: years_words(v, "none"), col)

    frames = {
        "coverage": ("01_coverage_gaps", r.nato_total.filter(pl.col("n_missing") > 0).select(
            "year", "n_allies", "n_mean", "n_weighted",
            _words("allies_without_data", names, "missing_mean")),
            f"Years in which some Allies have no SIPRI share of GDP (NATO total, {rule}; {src})"),
        "peaks": ("01_peaks_and_troughs", r.peaks.filter(pl.col("group").is_in(
            list(r.params.groups))).select(
            "group", pl.col("measure").replace(MEASURE_SHORT), "peak_year", "peak_value",
            pl.format("{} of {}", "n_in_peak", "n_allies_peak").alias("cover_peak"),
            "trough_year", "trough_value",
            pl.format("{} of {}", "n_in_trough", "n_allies_trough").alias("cover_trough"),
            "fall_pp", "latest_year", "latest_value", "change_since_trough_pp"),
            f"Highest share, lowest share after it, and latest share, with the Allies each "
            f"figure covers ({rule}; {src}, % of GDP)"),
        "by_era": ("01_trend_by_era", r.by_era,
                   f"NATO total, GDP-weighted share of GDP by period ({rule}; slope: least "
                   f"squares, descriptive; none for periods under three years)"),
        "eras": ("01_eras", r.eras.select("era", "start_year", "end_year", "note"),
                 "Eras shaded on the charts: the project's own periodisation, conventional "
                 "dating"),
        "decline": ("01_decline_checks", r.checks.select(
            *words, "start_year", "low_year", "low_value", falls,
            _words("largest_rise", rise_words, "largest_rise_pp", "largest_rise_from",
                   "largest_rise_to"), years("break_years"),
            pl.format("{} of {}", "n_error_models_rejecting", "n_error_models").alias("robust"),
            "slope_last", "latest_value"),
            f"The evidence for and against steady decline, per measure and membership rule "
            f"(NATO total, from {r.trend_start}; {src})"),
        "thresholds": ("01_decline_thresholds", r.checks.select(
            *words, falls, *(_at(th) for th in sp.FALLS_THRESHOLDS)),
            "Does the decline count as \"progressive\"? The verdict under three thresholds for "
            "the share of annual changes that are falls (the other tests unchanged)"),
        "error_models": ("01_break_error_models", _per_measure(
            r, "error_models", _words("model", error_model_words, "error_model", "n_breaks",
                                      "break_years"),
            "ar1", p_text("p_value_udmax", "p_any"), p_text("p_value_one_vs_none", "p_one"),
            (pl.col("p_value_udmax") < sp.ALPHA).alias("significant"), "used_for_selection"),
            f"The test for any trend break under three error models ({trend}; sieve bootstrap, "
            f"{n_boot} draws, same random numbers)"),
        "selection": ("01_break_selection", _per_measure(
            r, "selection", "n_breaks", years("break_years"), "ssr", "bic", "f_vs_no_break",
            "sup_f_vs_one_fewer", p_text("p_value_bootstrap", "p"), "selected"),
            f"How many breaks: least-squares fits with none to {NUMBER_WORDS[sp.MAX_BREAKS]} "
            f"breaks ({trend})"),
        "intervals": ("01_slope_intervals", _per_measure(
            r, "hac", pl.col("method").replace(METHOD_WORDS), "lags",
            pl.format("{}–{}", "start_year", "end_year").alias("segment"),
            "slope_pp_per_year", "ci95_low", "ci95_high", "se_ratio"),
            f"Slopes of the selected segments with 95 % intervals under three assumptions about "
            f"the errors ({trend})"),
        "diagnostics": ("01_break_diagnostics", pl.DataFrame(
            [{"measure": MEASURE_SHORT[m], "label": DIAGNOSTIC_WORDS[d["name"]][0],
              "value": _shown(d["value"], DIAGNOSTIC_WORDS[d["name"]][1], n_boot)}
             for m in sp.MEASURES for d in r.fit_of(m).diagnostics.iter_rows(named=True)]),
            f"Residual diagnostics and test settings of the selected trends ({trend})"),
    }
    out = {}
    for key, (name, frame, caption) in frames.items():
        labels = {c: LABELS[c] for c in frame.columns}
        if key == "selection":
            labels["break_years"] = "Break years"
        out[key] = Table(name, frame, caption, labels=labels,
                         decimals=2 if key == "peaks" else DECIMALS)
    return out
