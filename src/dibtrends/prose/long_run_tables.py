"""Chapter 1's headline labels, tables (captions, column labels, diagnostics), the decline
claim's short form for the summary and the appendix's sentences on the break tests; its
vocabulary and other sentences are in :mod:`.long_run`."""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from .. import spending as sp
from ..report import transposed
from ..results import Headline, Table, headline
from . import NUMBER_WORDS, cap, fmt, fmt_p, join_words, names, pct, worded
from .long_run import (MEASURE_SHORT, RULE_WORDS, error_model_words, falls_words, interval,
                       rise_words, robustness_words, trend_since, years_words)

METHOD_WORDS = {"ar1": "AR(1) error model (used)",
                "hac_automatic": "Newey-West, Andrews' automatic lags",
                "hac_rule_of_thumb": "Newey-West, rule-of-thumb lags"}

#: The measures as the summary's short verdict names them.
MEASURE_BRIEF = {"weighted": "the GDP-weighted share", "mean": "the typical Ally (simple mean)"}


def sixty_years_short(rows: dict[str, dict]) -> str:
    """The decline claim's condition in a sentence for the summary (``rows``: the claim's
    checks by measure): for which measure it holds and on what the verdict hangs (the share of
    falls, the error models); the method and the rest stay in the chapter."""
    def brief(m: str, row: dict) -> str:
        fell = f"which fell in {pct(row['share_falls'])} of years to {row['low_year']}"
        if not row["holds"]:
            off = row["last_break"] is not None and not row["near_turn"]
            return f"not for {MEASURE_BRIEF[m]}, {fell}" + (
                f" and turned in {row['last_break']}" if off else
                f", {trend_since(row, numbers=False)}")
        failing = [pct(t) for t in sp.FALLS_THRESHOLDS if not row[sp.AT[t]]]
        k, n = row["n_error_models_rejecting"], row["n_error_models"]
        ifs = [f"\"progressive\" read as falls in {pct(sp.PROGRESSIVE_MIN_SHARE_OF_FALLS)} of "
               f"years (not {join_words(failing, 'or')})"] if failing else []
        ifs += [f"the turn significant under {k} of {n} error models"] if k < n else []
        return (f"holds for {MEASURE_BRIEF[m]}, {fell}, {trend_since(row, numbers=False)}"
                + (f", with {join_words(ifs)}" if ifs else ""))

    parts = sorted((brief(m, rows[m]) for m in sp.MEASURES), key=lambda t: t.startswith("not"))
    return cap("; ".join(parts)) + "."


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
        for key, label, col, unit, extra in (
                ("peak_share", f"Highest {words}, NATO total", "peak_value", "% of GDP",
                 {"note": cover}),
                ("peak_year", f"Year of the highest {words}", "peak_year", "year", {}),
                ("low_share", f"Lowest {words} after the peak", "trough_value", "% of GDP", {}),
                ("low_year", f"Year of the lowest {words} after the peak", "trough_year", "year",
                 {}),
                ("fall", f"Fall of the {words} from its peak to its low", "fall_pp",
                 "percentage points", {}),
                ("latest_share", f"{cap(words)}, {pk['latest_year']}", "latest_value",
                 "% of GDP", {"year": pk["latest_year"]})):
            shown = ({"decimals": 0, "display": str(pk[col])} if unit == "year" else
                     {"decimals": 2})
            rows.append(headline(f"long_run.{key}", label, pk[col], unit, **shown, **extra,
                                 **common))
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
            for e in r.fits[measure].error_models.iter_rows(named=True)]
        rows.append(headline(
            "long_run.share_of_falls", f"Share of annual changes that were falls, {words}, "
            f"{c['start_year']} to the low in {c['low_year']}", 100 * c["share_falls"], "%",
            note=f"{c['n_falls_to_low']} of {c['n_changes_to_low']}", **trend))
    return rows + [
        headline("long_run.us_share", f"United States, share of GDP, {sp.US_CLAIM_YEAR}",
                 r.us_share, "% of GDP", decimals=2, note="SIPRI's definition; US fiscal year",
                 year=sp.US_CLAIM_YEAR),
        headline("long_run.allies_at_threshold", f"Allies at {sp.TWO_PCT:g} % of GDP or more in "
                 f"{sp.TWO_PCT_YEAR} (SIPRI)", r.at_2pct.height, "Allies", decimals=0,
                 note=names(r.at_2pct["iso3"].to_list()) + "; SIPRI's definition",
                 year=sp.TWO_PCT_YEAR, threshold_pct=sp.TWO_PCT)]


#: Short words for the measures and ways of counting where they head a column, and the notes
#: under the table that spell them out.
HEADING_WORDS = {MEASURE_SHORT["weighted"]: "GDP-weighted", MEASURE_SHORT["mean"]: "simple mean",
                 RULE_WORDS["accession"]: "From accession",
                 RULE_WORDS["cold_war_16"]: "16 Cold War Allies"}
HEADING_NOTES = {
    "rule": "From accession: Allies counted from the year they joined; 16 Cold War Allies: the "
            "same 16 Allies in every year.",
    "measure": "GDP-weighted: the Allies' total spending over their total GDP; simple mean: "
               "the mean of the Allies' shares, each Ally counting once."}
#: Column labels of the chapter's tables (one meaning per column name) and their decimals
#: (1 unless given).
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
    **{sp.AT[th]: f"At {round(th * 100)} %" for th in sp.FALLS_THRESHOLDS},
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
            "slope_last": 3, "latest_value": 2, "ar1": 2, "ssr": 2, "ci95_low": 3, "ci95_high": 3}
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


def _per_measure(r, frame: str, *columns) -> pl.DataFrame:
    """``columns`` of a SegmentedTrend frame for both measures, stacked, the measure first."""
    return pl.concat([getattr(r.fits[m], frame).select(
        pl.lit(MEASURE_SHORT[m]).alias("measure"), *columns) for m in sp.MEASURES])


def tables(r) -> dict[str, Table]:
    """The chapter's tables: frames in words, captions and column labels."""
    rule, n_boot, src = RULE_WORDS[r.params.membership_rule], r.params.n_boot, f"SIPRI, {r.edition}"
    trend = f"NATO total, {rule}, from {r.trend_start}"
    words = [pl.col("rule").replace(RULE_WORDS), pl.col("measure").replace(MEASURE_SHORT)]
    falls = worded(falls_words, "n_falls_to_low", "n_changes_to_low", "share_falls").alias(
        "falls")

    def p_text(col: str, name: str) -> pl.Expr:
        return worded(lambda v: fmt_p(v, n_boot), col).alias(name)

    def years(col: str) -> pl.Expr:
        return worded(lambda v: years_words(v, "none"), col)

    frames = {
        "coverage": ("01_coverage_gaps", r.nato_total.filter(pl.col("n_missing") > 0).select(
            "year", "n_allies", "n_mean", "n_weighted",
            worded(names, "missing_mean").alias("allies_without_data")),
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
            worded(rise_words, "largest_rise_pp", "largest_rise_from", "largest_rise_to")
            .alias("largest_rise"), years("break_years"),
            pl.format("{} of {}", "n_error_models_rejecting", "n_error_models").alias("robust"),
            "slope_last", "latest_value"),
            f"The evidence for and against steady decline, per measure and membership rule "
            f"(NATO total, from {r.trend_start}; {src})"),
        "thresholds": ("01_decline_thresholds", r.checks.select(
            *words, falls, *(sp.AT[th] for th in sp.FALLS_THRESHOLDS)),
            "Does the decline count as \"progressive\"? The verdict under three thresholds for "
            "the share of annual changes that are falls (the other tests unchanged)"),
        "error_models": ("01_break_error_models", _per_measure(
            r, "error_models", worded(error_model_words, "error_model", "n_breaks",
                                      "break_years").alias("model"),
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
             for m in sp.MEASURES for d in r.fits[m].diagnostics.iter_rows(named=True)]),
            f"Residual diagnostics and test settings of the selected trends ({trend})"),
    }
    out = {}
    for key, (name, frame, caption) in frames.items():
        labels = {c: LABELS[c] for c in frame.columns}
        if key == "selection":
            labels["break_years"] = "Break years"
        out[key] = Table(name, frame, caption, labels=labels,
                         decimals=2 if key == "peaks" else DECIMALS)
    out["peaks"] = _on_its_side(out["peaks"], ["group", "measure"])
    out["decline"] = _on_its_side(out["decline"], ["rule", "measure"])
    return out


def _on_its_side(table: Table, heading: list[str]) -> Table:
    """A few rows of many figures each: one column per group or way of counting fits the page,
    headed in short words that the note under the table spells out."""
    shown = table.frame.with_columns(pl.col(c).replace(HEADING_WORDS) for c in heading)
    note = " ".join(n for c, n in HEADING_NOTES.items() if c in heading)
    return transposed(replace(table, frame=shown, data=table.frame, note=note), heading)


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
    fit = r.fits["weighted"]
    first = fit.hac.filter(pl.col("segment") == 1)
    thumb, auto, ar1 = (first.filter(pl.col("method") == m).row(0, named=True)
                        for m in ("hac_rule_of_thumb", "hac_automatic", "ar1"))
    return (
        f"Slope intervals use the same AR(1) error model (coefficient "
        f"{fit.diagnostic('ar1_residuals'):.2f} in the residuals of the GDP-weighted share's "
        f"selected fit). Newey-West (HAC) intervals are too narrow when residuals are this "
        f"persistent, whatever the lag rule: for the GDP-weighted share's first segment "
        f"({ar1['start_year']}–{ar1['end_year']}) the rule of thumb ({thumb['lags']} lags) "
        f"gives {interval(thumb['ci95_low'], thumb['ci95_high'])}, Andrews' automatic "
        f"bandwidth ({auto['lags']} lags) {interval(auto['ci95_low'], auto['ci95_high'])}, "
        f"the AR(1) model {interval(ar1['ci95_low'], ar1['ci95_high'])}, "
        f"{ar1['se_ratio']:.1f} times as wide as the rule of thumb. The AR(1) coefficient "
        f"of residuals is itself biased towards zero in {fit.fitted.height} years, so even "
        f"these intervals may be too narrow.")


def appendix(r) -> dict[str, str]:
    """The appendix's sentences: how the breaks are tested, why AR(1) intervals."""
    return {"method": _method(r), "intervals": _intervals(r)}
