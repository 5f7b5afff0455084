"""Chapter 1: did Allies' defence spending break with "sixty years of progressive decline"?

Everything the chapter says is computed here: the Alliance's share of GDP on SIPRI's figures
(GDP-weighted and as the simple mean of Allies' shares), who is counted in each year, peaks and
lows, the segmented trend with its break tests (and how much their verdict depends on the error
model), the evidence for "progressive" decline (and how much it depends on the threshold), the
context before 1949 from two other sources, both claims with their verdicts, and every sentence
that carries a number. The notebook ``01_long_run_spending`` calls :func:`run` and shows the
result; the analysis itself is in :mod:`dibtrends.spending`.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from .. import data, sources, spending
from . import record
from ..errors import ParameterError
from ..membership import RULES, membership_panel
from ..params import Parameters, check_choice, check_int, check_year_range, param
from ..results import (CONDITIONAL, NOT_SUPPORTED, REPRODUCED, ChapterRecord, Claim, Headline,
                       Table, headline)
from ..prose import cap, country, fmt, fmt_p, join_words, plural, possessive, pct, signed
from ..spending import SegmentedTrend

NOTEBOOK = "01_long_run_spending"
TITLE = "Sixty years of progressive decline? NATO military spending as a share of GDP"
SIPRI_SOURCE = "sipri_milex_2025"
GMSD_SOURCE, NMC_SOURCE = "owid_gmsd", "cow_nmc6"
READS = (SIPRI_SOURCE, "nato_membership", GMSD_SOURCE, NMC_SOURCE)
SOURCES = (SIPRI_SOURCE, GMSD_SOURCE, NMC_SOURCE)
DEFAULT_GROUPS = ("NATO total", "NATO Europe and Canada", "United States")
#: Years a trend fit needs at least (four segments of six years leave room for three breaks).
MIN_TREND_YEARS = 20

#: The decline claim is always checked the same way, whatever window, membership rule or
#: trend start the analyst picks for the chapter's own analysis: Allies counted from the year
#: they joined, every year of the data, trends from the first year every Ally has a figure.
CLAIM_RULE = "accession"
#: "After 2014": the year the claim says the decline ended, and how far from it a trend break
#: may lie and still count as that turn.
CLAIM_TURN_YEAR = 2014
CLAIM_TURN_TOLERANCE = 2
#: The US figure the second claim states, its year, and the rounding it allows.
US_CLAIM_PCT, US_CLAIM_YEAR, US_CLAIM_TOLERANCE = 3.4, 2024, 0.05
#: The year and threshold of the "Allies at 2 %" count (the year of the Wales pledge).
TWO_PCT_YEAR, TWO_PCT = 2014, 2.0
#: Context before NATO: years and periods of the other sources' series.
CONTEXT_FIRST_YEAR, CONTEXT_LAST_YEAR = 1900, 1948
CONTEXT_PERIODS = {"before the First World War": (1900, 1913),
                   "between the world wars": (1920, 1938)}
WAR_YEARS = (1939, 1945)
SECTION = "sec-long-run-claims"

MEASURE_SHORT = {"weighted": "GDP-weighted share", "mean": "simple mean of Allies' shares"}
MEASURE_LONG = {
    "weighted": "the GDP-weighted share (the Allies' total spending over their total GDP, "
                "dominated by the United States)",
    "mean": "the simple mean of Allies' shares (the typical Ally, each counting once{zero})",
}
RULE_WORDS = {"accession": "Allies counted from the year they joined",
              "cold_war_16": "the same 16 Cold War Allies in every year"}
NUMBER_WORDS = {0: "no", 1: "one", 2: "two", 3: "three", 4: "four"}
ERROR_MODEL_WORDS = {"no_break": "a single straight line (no break)",
                     "selected": "the selected model",
                     "max_breaks": "the model with the most breaks"}


@dataclass(frozen=True)
class Params(Parameters):
    start_year: int = param(1949, "first year shown", "a year of SIPRI's data (from 1949), at "
                            f"least {MIN_TREND_YEARS} years before the last year shown",
                            examples=(1960,), invalid=(1900,))
    end_year: int | None = param(None, "last year shown", "a year of SIPRI's data, at least "
                                 f"{MIN_TREND_YEARS} years after the first year shown",
                                 none_means="the latest year in the data", examples=(2020,),
                                 invalid=(2030,))
    membership_rule: str = param("accession", "Allies counted", "'accession' or 'cold_war_16'",
                                 value_words={"accession": "each from the year it joined",
                                              "cold_war_16": "the same 16 Allies of 1982-1990 "
                                                             "in every year"},
                                 examples=("cold_war_16",), invalid=("founders",))
    groups: tuple = param(DEFAULT_GROUPS, "groups shown",
                          "one or more of " + ", ".join(repr(g) for g in spending.GROUPS),
                          examples=(("NATO total", "United States"),), invalid=(("EU",),))
    trend_start_year: int | None = param(
        None, "first year of the trend fits", "a year from the first year shown to "
        f"{MIN_TREND_YEARS} years before the last",
        none_means="the first year in which every counted Ally has SIPRI data",
        examples=(1970,), invalid=(2020,))
    n_boot: int = param(499, "bootstrap draws per break test", "a whole number from 99 to 9999",
                        examples=(199,), invalid=(10,))

    def check(self) -> None:
        check_choice("membership_rule", self.membership_rule, list(RULES))
        groups = [self.groups] if isinstance(self.groups, str) else list(self.groups or [])
        bad = [g for g in groups if g not in spending.GROUPS]
        if not groups or bad or len(set(groups)) != len(groups):
            raise ParameterError(
                f"parameter groups={self.groups!r} is not allowed; allowed: one or more of "
                f"{', '.join(repr(g) for g in spending.GROUPS)}, each once.")
        object.__setattr__(self, "groups", tuple(groups))
        check_int("n_boot", self.n_boot, 99, 9999)
        if self.trend_start_year is not None:
            check_int("trend_start_year", self.trend_start_year, 1949, 2100)

    def check_data(self, processed_dir=None) -> None:
        self.window(processed_dir)

    def window(self, processed_dir=None) -> tuple[int, int, int]:
        """(first year, last year, first year of the trend fits), checked against the data."""
        milex = data.table(SIPRI_SOURCE, processed_dir)
        years = milex["year"].to_list()
        start, end = check_year_range(self.start_year, self.end_year, years)
        latest_start = end - MIN_TREND_YEARS
        if start > latest_start:
            other = (f", or an end_year from {start + MIN_TREND_YEARS}"
                     if start + MIN_TREND_YEARS <= max(years) else "")
            raise ParameterError(
                f"parameters start_year={start} and end_year={end} span {end - start} years; a "
                f"trend needs {MIN_TREND_YEARS}. Values allowed: a start_year up to "
                f"{latest_start}{other} (data cover {min(years)} to {max(years)}).")
        if self.trend_start_year is not None:
            if not start <= self.trend_start_year <= latest_start:
                raise ParameterError(
                    f"parameter trend_start_year={self.trend_start_year} is out of range; "
                    f"allowed: {start} (the first year shown) to {latest_start} "
                    f"({MIN_TREND_YEARS} years before the last year shown, {end}).")
            return start, end, self.trend_start_year
        complete = spending.first_complete_year(_shares(
            milex, data.table("nato_membership", processed_dir), start, end,
            (self.membership_rule,))[self.membership_rule])
        if complete > latest_start:
            raise ParameterError(
                f"parameters start_year={start} and end_year={end} leave fewer than "
                f"{MIN_TREND_YEARS} years after {complete}, the first year every counted Ally "
                f"has SIPRI data; allowed: an end_year from {complete + MIN_TREND_YEARS}, or "
                f"set trend_start_year.")
        return start, end, complete


def _shares(milex: pl.DataFrame, members: pl.DataFrame, start: int, end: int,
            rules=RULES) -> dict[str, pl.DataFrame]:
    return spending.shares_by_rule(milex.filter(pl.col("year").is_between(start, end)),
                                   members, range(start, end + 1), rules)


# ---------------------------------------------------------------- words


def names(codes) -> str:
    """Country names from ISO codes (a list or SIPRI's comma-joined string), in prose."""
    if isinstance(codes, str):
        codes = [c for c in codes.split(",") if c]
    return join_words([country(c) for c in codes])


def years_words(years: str | list) -> str:
    items = [y for y in (years.split(",") if isinstance(years, str) else years) if str(y)]
    return join_words([str(y) for y in items])


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
    level = pct(spending.ALPHA)
    if n == 0:
        return "could not be tested"
    if k == n:
        return f"passes the {level} test under all {n} error models tried"
    if k == 0:
        return f"passes the {level} test under none of the {n} error models tried"
    return f"passes the {level} test under {k} of the {n} error models tried"


def falls_words(row: dict) -> str:
    return (f"{row['n_falls_to_low']} of {row['n_changes_to_low']} annual changes "
            f"({row['share_falls']:.1%})".replace("%", " %"))


def rise_words(row: dict) -> str:
    if row["largest_rise_pp"] is None:
        return f"no rise of {spending.MIN_RISE_PP} points or more"
    return (f"+{row['largest_rise_pp']:.2f} points in {row['largest_rise_from']}–"
            f"{row['largest_rise_to']}")


def _error_model_words(r: dict) -> str:
    """Whose residuals give the carry-over: 'a single straight line', 'the selected fit with one
    break, in 1998', 'the fit with three breaks, in 1978, 1985 and 1996'."""
    if r["error_model"] == "no_break" or r["n_breaks"] == 0:
        return "a single straight line"
    if r["error_model"] == "selected":
        return f"the selected fit with {breaks_words(r['n_breaks'], r['break_years'])}"
    return f"the fit with {breaks_words(r['n_breaks'], r['break_years'])}"


def ar1_words(value: float) -> str:
    """'AR(1) coefficient 0.88'; at the cap, says so (the residuals then behave almost like a
    random walk, and the bootstrap cannot go higher)."""
    text = f"AR(1) coefficient {value:.2f}"
    if abs(value) >= spending.AR_CLIP - 1e-9:
        text += ", the cap the bootstrap allows: nearly a random walk"
    return text


# ---------------------------------------------------------------- the decline claim
def measure_tests(row: dict, threshold: float = spending.PROGRESSIVE_MIN_SHARE_OF_FALLS
                  ) -> dict[str, bool]:
    """Every test of "sixty years of progressive decline, broken after 2014" for one measure:
    the decline tests (:func:`dibtrends.spending.is_progressive`), the turn (the last selected
    break within CLAIM_TURN_TOLERANCE years of CLAIM_TURN_YEAR, and no significant fall after
    it); ``holds`` = all; ``robust`` = holds at every threshold shown and the break passes the
    test under every error model."""
    tests = spending.is_progressive(row, threshold)
    turn = (row["last_break"] is not None
            and abs(row["last_break"] - CLAIM_TURN_YEAR) <= CLAIM_TURN_TOLERANCE
            and row["slope_last_ci_high"] >= 0)
    holds = tests["holds"] and turn
    robust = (holds and row["n_error_models_rejecting"] == row["n_error_models"]
              and all(spending.is_progressive(row, th)["holds"]
                      for th in spending.FALLS_THRESHOLDS))
    return tests | {"turn": turn, "holds": holds, "robust": robust}


def _thresholds_where(row: dict, holds: bool) -> list[float]:
    return [th for th in spending.FALLS_THRESHOLDS
            if spending.is_progressive(row, th)["holds"] == holds]


def _measure_condition(row: dict, fit: SegmentedTrend, n_boot: int) -> str:
    """Why one measure meets the claim, with every condition it depends on."""
    main = spending.PROGRESSIVE_MIN_SHARE_OF_FALLS
    text = (f"it fell in {falls_words(row)} from {row['start_year']} to its low of "
            f"{row['low_value']:.2f} % in {row['low_year']}, and its trend turned in "
            f"{row['last_break']}: {trend_since(row)}.")
    failing = _thresholds_where(row, holds=False)
    if failing:
        text += (f" That counts as \"progressive\" under the project's {pct(main)} threshold, "
                 f"not under a threshold of {join_words([pct(th) for th in failing], 'or')}.")
    em = fit.error_models.filter(pl.col("p_value_udmax") >= spending.ALPHA)
    if em.height:
        ps = [f"as strongly as around {_error_model_words(e)} ({ar1_words(e['ar1'])}; p = "
              f"{fmt_p(e['p_value_udmax'], n_boot)} then)"
              for e in em.iter_rows(named=True)]
        text += (f" The turn passes the {pct(spending.ALPHA)} test unless deviations from the "
                 f"trend carry over from year to year {join_words(ps, 'or')}.")
    return text


def _measure_failure(row: dict) -> str:
    """Why one measure does not meet the claim, in words, from its failed tests."""
    tests = measure_tests(row)
    reasons = []
    if not tests["mostly_falls"] or not tests["no_large_rise"]:
        rise = ("" if row["largest_rise_pp"] is None else
                f", with a rise of {row['largest_rise_pp']:.2f} points in "
                f"{row['largest_rise_from']}–{row['largest_rise_to']} on the way down")
        reasons.append(f"it fell in only {falls_words(row)}{rise}")
    if not tests["declining"]:
        reasons.append("its trend to the low is not significantly downward")
    if not tests["long_enough"]:
        reasons.append(f"its decline lasted {row['years_to_low']} years, fewer than "
                       f"{spending.MIN_DECLINE_YEARS}")
    if not tests["turn"]:
        if row["last_break"] is None:
            reasons.append("no break in its trend passes the test")
        elif abs(row["last_break"] - CLAIM_TURN_YEAR) > CLAIM_TURN_TOLERANCE:
            reasons.append(f"its trend changed in {row['last_break']} rather than around "
                           f"{CLAIM_TURN_YEAR}, a break that {robustness_words(row)}, with "
                           f"{trend_since(row)}")
        else:
            reasons.append(f"it kept falling after {row['last_break']}")
    return (join_words(reasons) + f"; its lowest value was {row['low_value']:.2f} % in "
            f"{row['low_year']}")


def zero_share_allies(shares: pl.DataFrame, group: str = "NATO total") -> list[str]:
    """Allies with a share of GDP of 0 in SIPRI (Iceland): in the mean, not in the weighted."""
    s = shares.filter(pl.col("group") == group)
    weighted = {c for v in s["missing_weighted"].to_list() for c in v.split(",") if c}
    mean = {c for v in s["missing_mean"].to_list() for c in v.split(",") if c}
    return sorted(weighted - mean)


def measure_long(measure: str, zero: list[str]) -> str:
    return MEASURE_LONG[measure].format(zero=f"; {names(zero)} at 0 %" if zero else "")


def sixty_years_claim(checks: pl.DataFrame, fits: dict[str, SegmentedTrend], edition: str,
                      n_boot: int, zero: list[str] = ()) -> Claim:
    """The decline claim, judged per measure from the claim's own checks (CLAIM_RULE, all
    years, trends from the first complete year), its conditions worded from the numbers;
    ``zero`` are the Allies SIPRI records at 0 % (they enter the mean at 0)."""
    rows = {r["measure"]: r for r in checks.filter(pl.col("rule") == CLAIM_RULE)
            .iter_rows(named=True)}
    verdicts = {m: measure_tests(r) for m, r in rows.items()}
    holding = [m for m in spending.MEASURES if verdicts[m]["holds"]]
    if len(holding) == len(rows) and all(verdicts[m]["robust"] for m in holding):
        verdict = REPRODUCED
    elif holding:
        verdict = CONDITIONAL
    else:
        verdict = NOT_SUPPORTED
    parts = [f"Holds for {measure_long(m, zero)}: "
             + _measure_condition(rows[m], fits[m], n_boot) for m in holding]
    parts += [f"Does not hold for {measure_long(m, zero)}: " + _measure_failure(rows[m]) + "."
              for m in spending.MEASURES if m not in holding]
    first = rows["weighted"]["start_year"]
    parts.append(
        f"SIPRI {edition}; {RULE_WORDS[CLAIM_RULE]}, from {first}, the first year with data "
        f"for every Ally. \"Progressive\" here means at least "
        f"{pct(spending.PROGRESSIVE_MIN_SHARE_OF_FALLS)} of the annual changes to the low are "
        f"falls, no run of rises adds more than {spending.PROGRESSIVE_MAX_RISE_PP} points and "
        f"the downward trend is significant, over {spending.MIN_DECLINE_YEARS} years or more "
        f"(the project's reading of \"sixty\" with data from {first}); the turn must be a "
        f"trend break within {CLAIM_TURN_TOLERANCE} years of {CLAIM_TURN_YEAR}.")
    w, mn = rows["weighted"], rows["mean"]
    finding = (f"typical Ally (simple mean): fell in {mn['n_falls_to_low']} of "
               f"{mn['n_changes_to_low']} years to {mn['low_value']:.2f} % of GDP in "
               f"{mn['low_year']}, {trend_since(mn, numbers=False)}; GDP-weighted share: fell "
               f"in {w['n_falls_to_low']} of {w['n_changes_to_low']} years to "
               f"{w['low_value']:.2f} % in {w['low_year']}, {trend_since(w, numbers=False)}")
    return Claim(
        id="sixty_years",
        claim="Allies' defence spending broke with sixty years of progressive decline after 2014",
        source="NATO Review 2025, Graphic 1", finding=finding, verdict=verdict,
        condition=" ".join(parts), chapter=NOTEBOOK, section=SECTION)


def us_share_claim(share: float | None, edition: str) -> Claim:
    """'US military expenditure was 3.4 % of GDP in 2024', checked to SIPRI's rounding."""
    if share is None:
        verdict, finding = NOT_SUPPORTED, f"no SIPRI figure for {US_CLAIM_YEAR}"
        condition = f"The SIPRI edition used ({edition}) has no US share for {US_CLAIM_YEAR}."
    else:
        holds = abs(share - US_CLAIM_PCT) <= US_CLAIM_TOLERANCE + 1e-9
        verdict = REPRODUCED if holds else NOT_SUPPORTED
        finding = f"{share:.2f} % of GDP in {US_CLAIM_YEAR} (SIPRI {edition})"
        condition = (f"{share:.2f} % {'rounds' if holds else 'does not round'} to "
                     f"{US_CLAIM_PCT} %. SIPRI's definition of military expenditure, for the "
                     "US government's fiscal year; NATO's own figures follow NATO's definition "
                     "(see the chapter on the guidelines).")
    return Claim(id="us_share",
                 claim=f"US military expenditure was {US_CLAIM_PCT} % of GDP in {US_CLAIM_YEAR}",
                 source="SIPRI", finding=finding, verdict=verdict, condition=condition,
                 chapter=NOTEBOOK, section=SECTION)


# ---------------------------------------------------------------- result
@dataclass(frozen=True)
class Result:
    params: Params
    edition: str
    start_year: int  # the window actually used (None resolved)
    end_year: int
    trend_start: int
    first_complete: int  # first year every counted Ally has a share (chosen rule, window)
    shares_by_rule: dict  # rule -> spending.alliance_shares over the window
    peaks: pl.DataFrame  # spending.peaks_and_troughs, every group
    eras: pl.DataFrame
    by_era: pl.DataFrame  # NATO total, GDP-weighted, by period
    fit: SegmentedTrend  # chosen rule, GDP-weighted, from trend_start
    fit_mean: SegmentedTrend  # chosen rule, simple mean, from trend_start
    checks: pl.DataFrame  # spending.decline_checks, both rules, window
    thresholds: pl.DataFrame  # spending.threshold_sensitivity of checks
    claim_checks: pl.DataFrame  # the claim's own decline_checks (CLAIM_RULE, all years)
    context_share: pl.DataFrame  # GMSD share of GDP before 1949
    context_spending: pl.DataFrame  # NMC spending, US$ bn at the prices of the year
    gmsd_vs_sipri: pl.DataFrame
    us_share: float | None
    at_2pct: pl.DataFrame  # Allies at 2 % or more in TWO_PCT_YEAR, SIPRI
    estimated: list  # Allies whose end-year figure SIPRI marks as its estimate
    claims: tuple
    text: dict

    @property
    def shares(self) -> pl.DataFrame:
        return self.shares_by_rule[self.params.membership_rule]

    @property
    def nato_total(self) -> pl.DataFrame:
        return self.shares.filter(pl.col("group") == "NATO total")

    def peak(self, measure: str = "weighted", group: str = "NATO total") -> dict:
        return self.peaks.filter(group=group, measure=measure).row(0, named=True)

    def check(self, measure: str, rule: str | None = None) -> dict:
        rule = rule or self.params.membership_rule
        return self.checks.filter(rule=rule, measure=measure).row(0, named=True)

    def fit_of(self, measure: str) -> SegmentedTrend:
        return self.fit if measure == "weighted" else self.fit_mean

    @property
    def claim(self) -> Claim:
        return self.claims[0]

    # -- tables
    @property
    def tables(self) -> dict[str, Table]:
        return _tables(self)

    # -- record
    def record(self) -> ChapterRecord:
        return record(NOTEBOOK, self, claims=self.claims)

    def headlines(self) -> list[Headline]:
        p = self.params
        window = {"rule": p.membership_rule, "start_year": self.start_year,
                  "end_year": self.end_year}
        rows = []
        for measure in spending.MEASURES:
            pk = self.peak(measure)
            words = MEASURE_SHORT[measure]
            common = window | {"measure": measure, "group": "NATO total"}
            cover = (f"{pk['n_in_peak']} of the {pk['n_allies_peak']} Allies of "
                     f"{pk['peak_year']} enter this figure; {pk['n_in_trough']} of "
                     f"{pk['n_allies_trough']} in {pk['trough_year']}")
            rows += [
                headline("long_run.peak_share", f"Highest {words}, NATO total",
                         pk["peak_value"], "% of GDP", decimals=2, note=cover, **common),
                headline("long_run.peak_year", f"Year of the highest {words}", pk["peak_year"],
                         "year", decimals=0, display=str(pk["peak_year"]), **common),
                headline("long_run.low_share", f"Lowest {words} after the peak",
                         pk["trough_value"], "% of GDP", decimals=2, **common),
                headline("long_run.low_year", f"Year of the lowest {words} after the peak",
                         pk["trough_year"], "year", decimals=0, display=str(pk["trough_year"]),
                         **common),
                headline("long_run.fall", f"Fall of the {words} from its peak to its low",
                         pk["fall_pp"], "percentage points", decimals=2, **common),
                headline("long_run.latest_share", f"{words[0].upper() + words[1:]}, "
                         f"{pk['latest_year']}", pk["latest_value"], "% of GDP", decimals=2,
                         year=pk["latest_year"], **common),
            ]
            c, fit = self.check(measure), self.fit_of(measure)
            trend = window | {"measure": measure, "trend_start": self.trend_start,
                              "n_boot": p.n_boot}
            last = c["last_break"]
            rows.append(headline(
                "long_run.break_year", f"Last trend break, {words}, fit from {self.trend_start}",
                last, "year", decimals=0,
                display=years_words(c["break_years"]) if c["break_years"] else "none",
                note=f"the break {robustness_words(c)}", **trend))
            for r in fit.error_models.iter_rows(named=True):
                rows.append(headline(
                    "long_run.break_p", f"p-value of the test for any break, {words}, errors "
                    f"as around {_error_model_words(r)}", r["p_value_udmax"], "p-value",
                    decimals=3, display=fmt_p(r["p_value_udmax"], p.n_boot),
                    note=f"sieve bootstrap, {p.n_boot} draws; AR(1) coefficient "
                         f"{r['ar1']:.2f}", error_model=r["error_model"], **trend))
            rows.append(headline(
                "long_run.share_of_falls", f"Share of annual changes that were falls, {words}, "
                f"{c['start_year']} to the low in {c['low_year']}", 100 * c["share_falls"], "%",
                decimals=1, note=f"{c['n_falls_to_low']} of {c['n_changes_to_low']}", **trend))
        rows.append(headline("long_run.us_share", f"United States, share of GDP, "
                             f"{US_CLAIM_YEAR}", self.us_share, "% of GDP", decimals=2,
                             note="SIPRI's definition; US fiscal year", year=US_CLAIM_YEAR))
        rows.append(headline(
            "long_run.allies_at_threshold", f"Allies at {TWO_PCT:g} % of GDP or more in "
            f"{TWO_PCT_YEAR} (SIPRI)", self.at_2pct.height, "Allies", decimals=0,
            note=names(self.at_2pct["iso3"].to_list()) + "; SIPRI's definition",
            year=TWO_PCT_YEAR, threshold_pct=TWO_PCT))
        return rows


def run(params: Params | None = None, processed_dir=None) -> Result:
    """Compute chapter 1 from the processed SIPRI, membership, GMSD and NMC tables."""
    p = params or Params()
    start, end, trend_start = p.window(processed_dir)
    milex = data.table(SIPRI_SOURCE, processed_dir)
    members = data.table("nato_membership", processed_dir)
    gmsd = data.table(GMSD_SOURCE, processed_dir)
    nmc = data.table(NMC_SOURCE, processed_dir)
    edition = sources.get(SIPRI_SOURCE).edition.split(" (")[0]
    by_rule = _shares(milex, members, start, end)
    shares = by_rule[p.membership_rule]
    first_complete = spending.first_complete_year(shares)
    boot = {"n_boot": p.n_boot}
    checks = spending.decline_checks(by_rule, start_year=trend_start, **boot)
    fits = {m: spending.segmented_trend(spending.measure_series(shares, m, trend_start),
                                        value=col, **boot)
            for m, col in spending.MEASURES.items()}
    # The claim's own check: fixed rule, every year, trends from the first complete year. The
    # fits are cached, so at the defaults this costs nothing more.
    years = milex["year"].to_list()
    claim_shares = _shares(milex, members, min(years), max(years), (CLAIM_RULE,))
    claim_checks = spending.decline_checks(claim_shares, **boot)
    claim_first = spending.first_complete_year(claim_shares[CLAIM_RULE])
    claim_fits = {m: spending.segmented_trend(
        spending.measure_series(claim_shares[CLAIM_RULE], m, claim_first), value=col, **boot)
        for m, col in spending.MEASURES.items()}
    us = milex.filter((pl.col("iso3") == "USA") & (pl.col("year") == US_CLAIM_YEAR))
    us_share = us["share_gdp_pct"].item() if us.height else None
    panel = membership_panel(members, [TWO_PCT_YEAR], "accession")
    at_2pct = spending.allies_at_or_above(milex, panel, TWO_PCT_YEAR, TWO_PCT).filter(
        pl.col("meets_threshold"))
    end_panel = membership_panel(members, [end], p.membership_rule).filter(pl.col("is_member"))
    estimated = (milex.filter((pl.col("year") == end) & pl.col("estimate")
                              & pl.col("iso3").is_in(end_panel["iso3"].to_list()))
                 ["iso3"].sort().to_list())
    eras = spending.eras()
    nato_total = shares.filter(pl.col("group") == "NATO total")
    result = Result(
        params=p, edition=edition, start_year=start, end_year=end, trend_start=trend_start,
        first_complete=first_complete, shares_by_rule=by_rule,
        peaks=spending.peaks_and_troughs(shares), eras=eras,
        by_era=spending.trend_by_era(nato_total, eras), fit=fits["weighted"],
        fit_mean=fits["mean"], checks=checks, thresholds=spending.threshold_sensitivity(checks),
        claim_checks=claim_checks,
        context_share=spending.gmsd_context(gmsd, first_year=CONTEXT_FIRST_YEAR,
                                            last_year=CONTEXT_LAST_YEAR),
        context_spending=spending.nmc_context(nmc, last_year=CONTEXT_LAST_YEAR),
        gmsd_vs_sipri=spending.gmsd_vs_sipri(gmsd, milex),
        us_share=us_share, at_2pct=at_2pct, estimated=estimated,
        claims=(sixty_years_claim(claim_checks, claim_fits, edition, p.n_boot,
                                  zero_share_allies(claim_shares[CLAIM_RULE])),
                us_share_claim(us_share, edition)),
        text={})
    return Result(**{**result.__dict__, "text": sentences(result)})


# ---------------------------------------------------------------- sentences
def window_words(r: Result) -> str:
    """'' at the default window, else '(window from 1960)', '(window to 2020)', '(window
    1960–2020)' for sentences that quote a peak or a low."""
    d = Params.defaults()
    start_changed = r.params.start_year != d["start_year"]
    end_changed = r.params.end_year != d["end_year"]
    if start_changed and end_changed:
        return f" (window {r.start_year}–{r.end_year})"
    if start_changed:
        return f" (window from {r.start_year})"
    if end_changed:
        return f" (window to {r.end_year})"
    return ""


def coverage_words(r: Result) -> str:
    """Who enters the GDP-weighted peak and low: the two ends need not cover the same Allies
    (before 1960 some have no SIPRI figures, and a zero share gives no GDP to weight)."""
    pk = r.peak("weighted")
    at_peak = r.nato_total.filter(pl.col("year") == pk["peak_year"]).row(0, named=True)
    at_low = r.nato_total.filter(pl.col("year") == pk["trough_year"]).row(0, named=True)
    no_data = [c for c in at_peak["missing_mean"].split(",") if c]
    zero = [c for c in at_peak["missing_weighted"].split(",") if c and c not in no_data]
    reasons = []
    if no_data:
        reasons.append(f"{names(no_data)} {'has' if len(no_data) == 1 else 'have'} no SIPRI "
                       "figures for that year")
    if zero:
        reasons.append(f"{names(zero)}, with no military spending, "
                       f"{'has' if len(zero) == 1 else 'have'} no GDP to weight")
    low_missing = [c for c in at_low["missing_weighted"].split(",") if c]
    if (at_peak["missing_weighted"] == at_low["missing_weighted"]
            and at_peak["n_allies"] == at_low["n_allies"]):
        return (f"both the {pk['peak_year']} and the {pk['trough_year']} figure cover the same "
                f"{pk['n_in_peak']} of {pk['n_allies_peak']} Allies"
                + (f" ({'; '.join(reasons)})" if reasons else ""))
    text = (f"the two ends do not cover the same Allies: the {pk['peak_year']} figure covers "
            f"{pk['n_in_peak']} of the {pk['n_allies_peak']} Allies counted that year"
            + (f" ({'; '.join(reasons)})" if reasons else ""))
    return (text + f", the {pk['trough_year']} figure {pk['n_in_trough']} of "
            f"{pk['n_allies_trough']}"
            + (f" (all but {names(low_missing)})" if low_missing else ""))


def break_words(r: Result, measure: str) -> str:
    """The trend breaks of one measure in plain words: what the tests select, how much that
    depends on the error model, and what BIC would choose."""
    fit, c = r.fit_of(measure), r.check(measure)
    n_boot = r.params.n_boot
    words = MEASURE_SHORT[measure]
    seg = fit.segments
    first = seg.row(0, named=True)
    if fit.n_breaks == 0:
        text = (f"For the {words}, no change of trend passes the tests: one straight line from "
                f"{r.trend_start} fits, {signed(first['slope_pp_per_year'])} points a year "
                f"({interval(first['ci95_low'], first['ci95_high'])}).")
        lead = "Had there been a break, the probability of a pattern this marked without one"
    else:
        text = (f"For the {words}, the tests select {breaks_words(fit.n_breaks, c['break_years'])}"
                f": {signed(first['slope_pp_per_year'])} points a year from {r.trend_start} to "
                f"{first['end_year']} ({interval(first['ci95_low'], first['ci95_high'])}), then "
                f"{trend_since(c)}. Whether {years_words(c['break_years'])} marks a real change "
                f"of trend depends on how strongly each year's deviation from the trend carries "
                f"over into the next, which the tests must assume.")
        lead = "The probability of a pattern this marked in a series without any break"
    parts = [f"{fmt_p(e['p_value_udmax'], n_boot)} with the carry-over around "
             f"{_error_model_words(e)} ({ar1_words(e['ar1'])})"
             for e in fit.error_models.iter_rows(named=True)]
    text += f" {lead} is {join_words(parts, 'and')}"
    text += (f": the break {robustness_words(c)}." if fit.n_breaks else ".")
    bic = fit.bic_choice
    if bic["n_breaks"] != fit.n_breaks:
        text += (f" The Bayesian information criterion (BIC), which ignores that carry-over, "
                 f"would choose {breaks_words(bic['n_breaks'], bic['break_years'])}.")
    return text


def sentences(r: Result) -> dict[str, str]:
    """The chapter's number-bearing prose, and its line for the summary."""
    p = r.params
    d = Params.defaults()
    nt = r.nato_total
    pk, pm = r.peak("weighted"), r.peak("mean")
    era = spending.era_of(r.eras, pk["peak_year"])
    era_note = f" ({era})" if era else ""
    win = window_words(r)
    rule_note = ("" if p.membership_rule == d["membership_rule"] else
                 f" ({RULE_WORDS[p.membership_rule]})")
    main = spending.PROGRESSIVE_MIN_SHARE_OF_FALLS

    # Who is counted; Iceland (0 % in SIPRI) enters the mean, not the weighted share.
    zero = zero_share_allies(r.shares)
    low_row = nt.filter(pl.col("year") == pm["trough_year"]).row(0, named=True)
    n_zero = len([c for c in low_row["missing_weighted"].split(",") if c in zero])
    without_zero = (low_row["share_gdp_pct_mean"] * low_row["n_mean"]
                    / (low_row["n_mean"] - n_zero)) if n_zero else None
    gaps = nt.filter(pl.col("n_missing") > 0)
    if gaps.height:
        coverage = (f"Allies without a SIPRI figure are left out of that year's aggregates "
                    f"(table above): in {gaps['year'].min()}, {gaps['n_missing'][0]} of the "
                    f"{gaps['n_allies'][0]} Allies counted have none. From {r.first_complete} "
                    "every counted Ally has a share of GDP in every year.")
    else:
        coverage = (f"Every counted Ally has a SIPRI share of GDP in every year from "
                    f"{r.start_year} to {r.end_year}.")
    if p.trend_start_year is None:
        coverage += f" Trends are fitted from {r.trend_start}, the first year with full data."
    else:
        coverage += (f" Trends are fitted from {r.trend_start}, as chosen (by default they "
                     f"start in {r.first_complete}, the first year with full data)"
                     + (", so their first years measure the arrival of data as well as "
                        "spending." if r.trend_start < r.first_complete else "."))
    if zero:
        one = len(zero) == 1
        coverage += (f" {cap(names(zero))}, which {'has' if one else 'have'} no armed "
                     f"forces, {'is' if one else 'are'} recorded by SIPRI at 0 % of GDP in "
                     f"every year: {'it enters' if one else 'they enter'} the simple mean at "
                     f"0 % and cannot enter the GDP-weighted share (a zero share gives no GDP "
                     f"to weight)")
        if without_zero is not None:
            coverage += (f"; without {'it' if one else 'them'} the lowest simple mean, in "
                         f"{pm['trough_year']}, would be {without_zero:.2f} % instead of "
                         f"{pm['trough_value']:.2f} %")
        coverage += "."
    if r.estimated:
        coverage += (f" SIPRI marks its {r.end_year} figures for {names(r.estimated)} as its "
                     "own estimates; they are used as published.")

    # Peaks and lows, with who is in them.
    at_mean_peak = nt.filter(pl.col("year") == pm["peak_year"]).row(0, named=True)
    mean_cover = ("" if at_mean_peak["n_mean"] == at_mean_peak["n_allies"] else
                  f", which {at_mean_peak['n_mean']} of the {at_mean_peak['n_allies']} Allies "
                  f"of {pm['peak_year']} enter")
    peak = (f"On SIPRI's figures the NATO total, GDP-weighted, peaked at "
            f"{pk['peak_value']:.2f} % of GDP in {pk['peak_year']}{era_note}{win} and fell to "
            f"{pk['trough_value']:.2f} % in {pk['trough_year']}, {pk['fall_pp']:.2f} points "
            f"lower; in {pk['latest_year']} it was {pk['latest_value']:.2f} %. "
            f"{cap(coverage_words(r))}. The typical Ally's share (the "
            f"simple mean{mean_cover}) was highest at {pm['peak_value']:.2f} % in "
            f"{pm['peak_year']}, fell to {pm['trough_value']:.2f} % in {pm['trough_year']} and "
            f"was {pm['latest_value']:.2f} % in {pm['latest_year']}.")
    if r.end_year in (pm["trough_year"], pk["trough_year"]):
        peak += f" {r.end_year} is the last year shown: the low may not be the end of the fall."

    breaks = " ".join(break_words(r, m) for m in spending.MEASURES)

    # "Progressive": the verdict per measure and rule, and where the threshold matters.
    decline_lines = []
    for c in r.checks.iter_rows(named=True):
        t = measure_tests(c)
        why = [w for w, ok in (("no significant decline", t["declining"]),
                               ("too few falls", t["mostly_falls"]),
                               ("interrupted by larger rises", t["no_large_rise"]),
                               (f"shorter than {spending.MIN_DECLINE_YEARS} years",
                                t["long_enough"]),
                               (f"no trend break near {CLAIM_TURN_YEAR}", t["turn"])) if not ok]
        brk = (f"trend break {years_words(c['break_years'])}, which {robustness_words(c)}"
               if c["break_years"] else "no trend break passes the tests")
        decline_lines.append(
            f"- **{cap(MEASURE_SHORT[c['measure']])}, {RULE_WORDS[c['rule']]}:** "
            f"{c['start_value']:.2f} % of GDP in {c['start_year']}, lowest "
            f"{c['low_value']:.2f} % in {c['low_year']} ({c['years_to_low']} years later, "
            f"{c['fall_to_low_pp']:.2f} points lower); {falls_words(c)} on the way were falls; "
            f"largest rise {rise_words(c)}; {brk}; {trend_since(c)}; "
            f"{c['latest_value']:.2f} % in {c['latest_year']}. *Sixty years of progressive "
            f"decline, broken around {CLAIM_TURN_YEAR}: "
            + ("holds" if t["holds"] else f"does not hold ({'; '.join(why)})") + ".*")
    flips = []
    for c in r.checks.iter_rows(named=True):
        at_main = spending.is_progressive(c, main)["holds"]
        other = [th for th in spending.FALLS_THRESHOLDS
                 if spending.is_progressive(c, th)["holds"] != at_main]
        if other:
            flips.append(f"the {MEASURE_SHORT[c['measure']]} ({RULE_WORDS[c['rule']]}) "
                         f"{'passes' if at_main else 'fails'} with {falls_words(c)} being "
                         f"falls but would {'fail' if at_main else 'pass'} with a threshold of "
                         f"{join_words([pct(th) for th in other], 'or')}")
    thresholds = (
        f"\"Progressive\" is the project's own reading: at least {pct(main)} of the annual "
        f"changes to the low are falls, no run of rising years adds more than "
        f"{spending.PROGRESSIVE_MAX_RISE_PP} points, the downward trend is significant, and it "
        f"lasts {spending.MIN_DECLINE_YEARS} years or more, the claim's \"sixty\" (full data "
        f"start in {r.first_complete}). ")
    thresholds += ("The threshold matters: " + "; ".join(flips) + "." if flips else
                   "No verdict changes between the thresholds shown.")

    context, context_spending = _context_sentences(r)
    zero_note = f" ({names(zero)} at 0 %)" if zero else ""

    def last_year_note(year: int) -> str:
        return ", the last year shown" if year == r.end_year else ""

    us = "n/a" if r.us_share is None else f"{r.us_share:.2f} %"
    at2 = r.at_2pct
    finding = (
        f"{peak} The United States spent {us} of GDP in {US_CLAIM_YEAR}. In {TWO_PCT_YEAR}, "
        f"{plural(at2.height, 'Ally', 'Allies')} ({names(at2['iso3'].to_list())}) spent "
        f"{TWO_PCT:g} % of GDP or more by SIPRI's definition; NATO's own figures use a "
        "different definition and are analysed in the chapter on the guidelines.")

    c_w, c_m = r.check("weighted"), r.check("mean")
    summary = (
        f"**Long run.** On SIPRI's figures ({r.edition}) the Allies' GDP-weighted military "
        f"spending peaked at {pk['peak_value']:.2f} % of GDP in {pk['peak_year']}{win}"
        f"{rule_note}, a figure for {pk['n_in_peak']} of the {pk['n_allies_peak']} Allies "
        f"counted that year, and fell {pk['fall_pp']:.2f} points to {pk['trough_value']:.2f} % "
        f"in {pk['trough_year']}{last_year_note(pk['trough_year'])} ({pk['n_in_trough']} of "
        f"{pk['n_allies_trough']} Allies); it "
        f"was {pk['latest_value']:.2f} % in {pk['latest_year']}. The simple mean of Allies' "
        f"shares{zero_note} reached its low of {pm['trough_value']:.2f} % in "
        f"{pm['trough_year']}{last_year_note(pm['trough_year'])}. "
        + _summary_break("GDP-weighted share", c_w, r.trend_start)
        + " " + _summary_break("simple mean", c_m, r.trend_start))

    method = (
        f"A continuous piecewise-linear trend is fitted from {r.trend_start}; break years are "
        f"chosen by least squares (each segment at least {spending.MIN_SEGMENT} years long, at "
        f"most {NUMBER_WORDS[spending.MAX_BREAKS]} breaks) and tested with Bai and Perron's "
        f"double-maximum (UDmax) test of no break against one to "
        f"{NUMBER_WORDS[spending.MAX_BREAKS]}, then sequential tests of one break more. The "
        f"break years were searched for and the deviations from the trend are strongly "
        f"autocorrelated, so the p-values come from a sieve bootstrap ({p.n_boot} draws per "
        f"test, seed {spending.SEED}) that re-runs the search on series drawn from the null "
        f"model plus AR(1) errors; the smallest p-value it can give is "
        f"{1 / (p.n_boot + 1):.3f}, shown as \"< {1 / (p.n_boot + 1):.3f}\". The breaks are "
        f"selected with the AR(1) coefficient of the fit with the most breaks (as Bai and "
        f"Perron estimate such parameters under the alternative); the table of error models "
        f"repeats the test for any break with the coefficients of a single straight line and "
        f"of the selected fit (same random numbers). A fit with too few breaks passes an "
        f"omitted kink off as persistence, a fit with many breaks absorbs some of it: the "
        f"truth lies between, which is why the chapter reports all three.")
    hac = r.fit.hac
    s1 = {m: hac.filter((pl.col("method") == m) & (pl.col("segment") == 1)).row(0, named=True)
          for m in ("hac_rule_of_thumb", "hac_automatic", "ar1")}
    thumb, auto, ar1 = s1["hac_rule_of_thumb"], s1["hac_automatic"], s1["ar1"]
    intervals = (
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
    return {"coverage": coverage, "peak": peak, "context": context,
            "context_spending": context_spending, "breaks": breaks,
            "decline": "\n".join(decline_lines), "thresholds": thresholds, "finding": finding,
            "summary": summary, "method": method, "intervals": intervals}


def _context_sentences(r: Result) -> tuple[str, str]:
    """What GMSD (shares) and NMC (levels) show before 1949, and how GMSD compares with SIPRI."""
    ctx = r.context_share
    summaries = spending.period_summary(ctx, "share_gdp_pct", CONTEXT_PERIODS)
    period_bits = []
    for period, (lo, hi) in CONTEXT_PERIODS.items():
        part = summaries.filter(pl.col("period") == period)
        period_bits.append(f"{period} ({lo}–{hi}) " + join_words(
            [f"{x['mean']:.1f} % for {country(x['iso3'])}" for x in part.iter_rows(named=True)]))
    war = ctx.filter(pl.col("year").is_between(*WAR_YEARS)).sort(
        "share_gdp_pct", descending=True).unique("iso3", keep="first", maintain_order=True)
    war_bits = join_words([f"{possessive(country(x['iso3']))} to {x['share_gdp_pct']:.0f} % "
                           f"({x['year']})" for x in war.iter_rows(named=True)])
    war_bits = war_bits.replace("'s to", "'s share to", 1) if war_bits else war_bits
    diff = r.gmsd_vs_sipri.group_by("iso3", maintain_order=True).agg(
        pl.col("difference").median().alias("median"),
        pl.col("difference").abs().max().alias("largest"),
        pl.col("year").min().alias("first"), pl.col("year").max().alias("last"))
    diff_bits = join_words([f"{signed(x['median'], 2)} points for {country(x['iso3'])} (at "
                            f"most {x['largest']:.1f} in a year)"
                            for x in diff.iter_rows(named=True)])
    context = (
        f"Before SIPRI's series begins, OWID's Global Military Spending Dataset (GMSD) gives "
        f"shares of GDP on its own definition and GDP estimates. They averaged "
        f"{'; '.join(period_bits)}. The Second World War took {war_bits}. These are not SIPRI "
        f"figures and are never joined to SIPRI's series: where both give a share "
        f"({diff['first'].min()}–{diff['last'].max()}), GMSD's differs from SIPRI's by a "
        f"median of {diff_bits}.")
    nmc = r.context_spending
    first_year = nmc["year"].min()
    first = nmc.filter(pl.col("year") == first_year)
    highs = nmc.sort("milex_usd_bn_current", descending=True).unique(
        "iso3", keep="first", maintain_order=True)
    spent = join_words([f"{country(x['iso3'])} spent US$ {x['milex_usd_bn_current']:.2f} bn"
                        for x in first.iter_rows(named=True)])
    context_spending = (
        f"Correlates of War's National Material Capabilities (NMC) record military spending but "
        f"no GDP, so they show levels, not shares. In US dollars of each year (not adjusted for "
        f"prices), {spent} in {first_year}; the highest figures before "
        f"{CONTEXT_LAST_YEAR + 1} were "
        + join_words([f"US$ {x['milex_usd_bn_current']:.1f} bn ({country(x['iso3'])}, "
                      f"{x['year']})" for x in highs.iter_rows(named=True)])
        + f". NMC records spending in pounds sterling before {spending.NMC_USD_FROM}; those "
        "years are not shown.")
    return context, context_spending


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
                       f"{pct(spending.ALPHA)} test whatever the error model ({p_range}).")
    return text + (f"whether {'these are real breaks' if several else 'that is a real break'} "
                   f"depends on the error model ({p_range}; the test for any break "
                   f"{robustness_words(c)}).")


# ---------------------------------------------------------------- tables
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


def diagnostics_frame(fit: SegmentedTrend, measure: str) -> pl.DataFrame:
    rows = []
    for r in fit.diagnostics.iter_rows(named=True):
        label, kind = DIAGNOSTIC_WORDS.get(r["name"], (r["name"].replace("_", " "), 3))
        v = r["value"]
        if v is None or v != v:
            shown = "–"
        elif kind == "int":
            shown = f"{v:.0f}"
        elif kind == "p":
            shown = fmt_p(v)
        elif kind == "pboot":
            shown = fmt_p(v, fit.n_boot)
        else:
            shown = fmt(v, kind)
        rows.append({"measure": MEASURE_SHORT[measure], "label": label, "value": shown})
    return pl.DataFrame(rows)


def _p_text(col: str, n_boot: int) -> pl.Expr:
    return pl.col(col).map_elements(lambda v: fmt_p(v, n_boot), return_dtype=pl.String)


def _tables(r: Result) -> dict[str, Table]:
    p = r.params
    n_boot = p.n_boot
    nt = r.nato_total
    gaps = spending.coverage_gaps(r.shares).join(
        nt.select("year", "n_mean", "n_weighted"), on="year", how="left")
    gaps = gaps.select(
        "year", "n_allies", "n_mean", "n_weighted",
        pl.col("allies_without_data").map_elements(names, return_dtype=pl.String))
    peaks = r.peaks.filter(pl.col("group").is_in(list(p.groups))).select(
        "group", pl.col("measure").replace(MEASURE_SHORT), "peak_year", "peak_value",
        pl.format("{} of {}", "n_in_peak", "n_allies_peak").alias("cover_peak"),
        "trough_year", "trough_value",
        pl.format("{} of {}", "n_in_trough", "n_allies_trough").alias("cover_trough"),
        "fall_pp", "latest_year", "latest_value", "change_since_trough_pp")
    checks = r.checks.select(
        pl.col("rule").replace(RULE_WORDS), pl.col("measure").replace(MEASURE_SHORT),
        "start_year", "low_year", "low_value",
        pl.struct("n_falls_to_low", "n_changes_to_low", "share_falls").map_elements(
            falls_words, return_dtype=pl.String).alias("falls"),
        pl.struct("largest_rise_pp", "largest_rise_from", "largest_rise_to").map_elements(
            rise_words, return_dtype=pl.String).alias("largest_rise"),
        pl.col("break_years").map_elements(lambda v: years_words(v) if v else "none",
                                           return_dtype=pl.String),
        pl.struct("n_error_models_rejecting", "n_error_models").map_elements(
            lambda s: f"{s['n_error_models_rejecting']} of {s['n_error_models']}",
            return_dtype=pl.String).alias("robust"),
        "slope_last", "latest_value")
    th_cols = [f"at_{round(th * 100)}" for th in spending.FALLS_THRESHOLDS]
    thresholds = r.thresholds.select(
        pl.col("rule").replace(RULE_WORDS), pl.col("measure").replace(MEASURE_SHORT),
        pl.struct("n_falls_to_low", "n_changes_to_low", "share_falls").map_elements(
            falls_words, return_dtype=pl.String).alias("falls"),
        *(pl.col(c) for c in th_cols))
    em = pl.concat([
        r.fit_of(m).error_models.select(
            pl.lit(MEASURE_SHORT[m]).alias("measure"),
            pl.struct("error_model", "n_breaks", "break_years").map_elements(
                _error_model_words, return_dtype=pl.String).alias("model"),
            "ar1", _p_text("p_value_udmax", n_boot).alias("p_any"),
            _p_text("p_value_one_vs_none", n_boot).alias("p_one"),
            (pl.col("p_value_udmax") < spending.ALPHA).alias("significant"),
            "used_for_selection")
        for m in spending.MEASURES])
    selection = pl.concat([
        r.fit_of(m).selection.select(
            pl.lit(MEASURE_SHORT[m]).alias("measure"), "n_breaks",
            pl.col("break_years").map_elements(lambda v: years_words(v) if v else "none",
                                               return_dtype=pl.String),
            "ssr", "bic", "f_vs_no_break", "sup_f_vs_one_fewer",
            _p_text("p_value_bootstrap", n_boot).alias("p"), "selected")
        for m in spending.MEASURES])
    method_words = {"ar1": "AR(1) error model (used)",
                    "hac_automatic": "Newey-West, Andrews' automatic lags",
                    "hac_rule_of_thumb": "Newey-West, rule-of-thumb lags"}
    intervals = pl.concat([
        r.fit_of(m).hac.select(
            pl.lit(MEASURE_SHORT[m]).alias("measure"),
            pl.col("method").replace(method_words), "lags",
            pl.format("{}–{}", "start_year", "end_year").alias("segment"),
            "slope_pp_per_year", "ci95_low", "ci95_high", "se_ratio")
        for m in spending.MEASURES])
    diag = pl.concat([diagnostics_frame(r.fit_of(m), m) for m in spending.MEASURES])
    src = f"SIPRI, {r.edition}"
    trend = f"NATO total, {RULE_WORDS[p.membership_rule]}, from {r.trend_start}"
    return {
        "coverage": Table(
            "01_coverage_gaps", gaps,
            f"Years in which some Allies have no SIPRI share of GDP (NATO total, "
            f"{RULE_WORDS[p.membership_rule]}; {src})",
            labels={"year": "Year", "n_allies": "Allies counted",
                    "n_mean": "In the simple mean",
                    "n_weighted": "In the GDP-weighted share",
                    "allies_without_data": "Allies without SIPRI data"}),
        "peaks": Table(
            "01_peaks_and_troughs", peaks,
            f"Highest share, lowest share after it, and latest share, with the Allies each "
            f"figure covers ({RULE_WORDS[p.membership_rule]}; {src}, % of GDP)",
            labels={"group": "Group", "measure": "Measure", "peak_year": "Peak year",
                    "peak_value": "Peak, % of GDP", "cover_peak": "Allies in the peak figure",
                    "trough_year": "Low after peak, year", "trough_value": "Low, % of GDP",
                    "cover_trough": "Allies in the low figure", "fall_pp": "Fall, points",
                    "latest_year": "Latest year", "latest_value": "Latest, % of GDP",
                    "change_since_trough_pp": "Since low, points"},
            decimals=2),
        "by_era": Table(
            "01_trend_by_era", r.by_era,
            f"NATO total, GDP-weighted share of GDP by period ({RULE_WORDS[p.membership_rule]};"
            f" slope: least squares, descriptive; none for periods under three years)",
            labels={"period": "Period", "start_year": "From", "end_year": "To",
                    "n_years": "Years", "mean_pct": "Mean, % of GDP",
                    "change_pp": "Change first to last year, points",
                    "slope_pp_per_year": "Slope, points a year"},
            decimals={"mean_pct": 2, "change_pp": 2, "slope_pp_per_year": 3}),
        "eras": Table(
            "01_eras", r.eras.select("era", "start_year", "end_year", "note"),
            "Eras shaded on the charts: the project's own periodisation, conventional dating",
            labels={"era": "Era", "start_year": "From", "end_year": "To", "note": "Dates"}),
        "decline": Table(
            "01_decline_checks", checks,
            f"The evidence for and against steady decline, per measure and membership rule "
            f"(NATO total, from {r.trend_start}; {src})",
            labels={"rule": "Allies counted", "measure": "Measure", "start_year": "From",
                    "low_year": "Lowest, year", "low_value": "Lowest, % of GDP",
                    "falls": "Annual changes to the low that were falls",
                    "largest_rise": "Largest rise on the way down", "break_years": "Trend break",
                    "robust": "Error models under which the break passes",
                    "slope_last": "Slope of the last segment, points a year",
                    "latest_value": "Latest, % of GDP"},
            decimals={"low_value": 2, "slope_last": 3, "latest_value": 2}),
        "thresholds": Table(
            "01_decline_thresholds", thresholds,
            "Does the decline count as \"progressive\"? The verdict under three thresholds for "
            "the share of annual changes that are falls (the other tests unchanged)",
            labels={"rule": "Allies counted", "measure": "Measure",
                    "falls": "Annual changes to the low that were falls",
                    **{c: f"At {c[3:]} %" for c in th_cols}}),
        "error_models": Table(
            "01_break_error_models", em,
            f"The test for any trend break under three error models ({trend}; sieve bootstrap, "
            f"{n_boot} draws, same random numbers)",
            labels={"measure": "Measure",
                    "model": "Carry-over taken from the residuals of",
                    "ar1": "AR(1) coefficient", "p_any": "p, any break (UDmax)",
                    "p_one": "p, one break against none", "significant": "Break at 5 %",
                    "used_for_selection": "Used to select the breaks"},
            decimals={"ar1": 2}),
        "selection": Table(
            "01_break_selection", selection,
            f"How many breaks: least-squares fits with none to "
            f"{NUMBER_WORDS[spending.MAX_BREAKS]} breaks ({trend})",
            labels={"measure": "Measure", "n_breaks": "Breaks", "break_years": "Break years",
                    "ssr": "Sum of squared residuals", "bic": "BIC",
                    "f_vs_no_break": "F against no break",
                    "sup_f_vs_one_fewer": "F against one break fewer",
                    "p": "p (bootstrap, one break fewer)", "selected": "Selected"},
            decimals={"ssr": 2, "bic": 1, "f_vs_no_break": 1, "sup_f_vs_one_fewer": 1}),
        "intervals": Table(
            "01_slope_intervals", intervals,
            f"Slopes of the selected segments with 95 % intervals under three assumptions about "
            f"the errors ({trend})",
            labels={"measure": "Measure", "method": "Interval", "lags": "Lags",
                    "segment": "Segment", "slope_pp_per_year": "Slope, points a year",
                    "ci95_low": "95 % interval, low", "ci95_high": "95 % interval, high",
                    "se_ratio": "Width against the rule of thumb"},
            decimals={"slope_pp_per_year": 3, "ci95_low": 3, "ci95_high": 3, "se_ratio": 1}),
        "diagnostics": Table(
            "01_break_diagnostics", diag,
            f"Residual diagnostics and test settings of the selected trends ({trend})",
            labels={"measure": "Measure", "label": "Diagnostic", "value": "Value"}),
    }
