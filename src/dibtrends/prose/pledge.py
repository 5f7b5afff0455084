"""The words of chapter 4 (guidelines and the 2035 pledge): its sentences, the claim's wording,
the tables' captions and column labels, the headlines' labels, and what each publisher's
definition says (quoted or closely paraphrased from the publishers, never inferred)."""

from __future__ import annotations

import polars as pl

from .. import sources
from ..countries import name_of
from ..pledge import BREAK_THRESHOLD_PCT, TARGET_SHARE_PCT, TARGET_YEAR, allies_meeting
from ..results import NOT_CHECKABLE, REPRODUCED, Claim, Headline, Table, headline
from . import cap, country, join_words, pct, plural, the

#: NATO's definition, from the notes to its defence expenditure press releases ("Defence
#: Expenditure of NATO Countries") and the notes to Table 8 of its tables.
NATO_DEFINITION = (
    "NATO defines defence expenditure as payments made by a national government to meet the "
    "needs of its armed forces, those of Allies or of the Alliance; each Ally's ministry of "
    "defence reports it under this agreed definition. Personnel expenditure includes pensions "
    "paid to retirees. \"Other forces\" such as interior-ministry troops, border guards or "
    "gendarmerie count only in proportion to those trained in military tactics, equipped as a "
    "military force, able to operate under direct military authority in deployed operations and "
    "realistically deployable outside national territory. NATO warns that its figures may "
    "diverge considerably from national budgets. It measures the share of GDP at 2015 prices "
    "(\"share of real GDP\", its Table 3), with economic data from the European Commission and "
    "the OECD.")
#: SIPRI's definition, from "Sources and methods" of the SIPRI Military Expenditure Database.
SIPRI_DEFINITION = (
    "SIPRI includes all current and capital expenditure on the armed forces (peacekeeping "
    "forces included), defence ministries and other government agencies engaged in defence "
    "projects, paramilitary forces when judged to be trained and equipped for military "
    "operations, and military space activities: personnel (including retirement pensions of "
    "military personnel), operations and maintenance, procurement, military research and "
    "development, and military aid, counted in the donor's figures. It excludes civil defence "
    "and current expenditure on past military activities such as veterans' benefits. Its data "
    "come from open sources, official data first; where SIPRI cannot apply its definition to a "
    "country it applies another one over that country's whole series.")
#: What the two definitions share and where their words differ.
COMMON_GROUND = (
    "Both definitions count military pensions. Both count paramilitary forces, but NATO only "
    "in proportion to forces that are also deployable with the armed forces, SIPRI when it "
    "judges them trained and equipped for military operations. SIPRI counts military aid in the "
    "donor's figures; NATO's definition covers payments for the needs of an Ally's own forces, "
    "of Allies and of the Alliance. Beyond the words, NATO takes what ministries of defence "
    "report, while SIPRI builds its series from budgets and other open sources and notes, Ally "
    "by Ally, where its figures include or leave out items (its footnotes, below). NATO's "
    "latest years are estimates made at the time of its release.")

#: SIPRI's footnotes on definitions for Allies, quoted from the Footnotes sheet of the
#: SIPRI Military Expenditure Database, release v1.2 (April 2026) (source id below). Only the
#: sentences on what the figures include or leave out; valid for that release only.
SIPRI_FOOTNOTES_SOURCE = "sipri_milex_2025"
SIPRI_FOOTNOTES: dict[str, str] = {
    "ESP": ("The figures for Spain include spending on pensions, R&D and military intelligence, "
            "which are not included either in the main defence budget or figures supplied by "
            "NATO."),
    "ITA": "Figures include spending on paramilitary forces (i.e. Carabinieri).",
    "TUR": "Türkiye's military spending does not include military pensions.",
    "FIN": "Finland's military spending includes pensions and paramilitary forces.",
    "POL": ("The figures for Poland exclude some defence spending in other ministries, "
            "additional domestic defence spending such as the Armed Forces Modernization Fund "
            "(AFMF) and some additional Defence R&D."),
    "USA": ("All figures for the USA are for financial year (1 Oct. of the previous year–30 Sep. "
            "of the stated year) rather than calendar year. US military expenditure includes a "
            "portion of the total spending of the National Intelligence Programme, which SIPRI "
            "has judged to be military-related. US figures between 2022 and 2024 include "
            "estimates of military aid to Ukraine."),
    "FRA": ("In 2019 the French military spending series was revised to better account for the "
            "military activities of the Gendarmerie."),
    "LUX": "The figures from 2008 only include defence budget.",
    "GBR": ("The figures for the UK from 2001 are based on the \"Net Cash Requirement\" figures "
            "given in the Annual UK Defence Statistics, which are closest to the old cash "
            "definition."),
}

HAGUE_WORDS = "The Hague Summit (June 2025)"


def names(codes) -> list[str]:
    """Readers' names, alphabetical, with 'the' where English needs it."""
    return [the(n) for n in sorted(name_of(c) for c in codes)]


def estimate_words(years) -> str:
    years = list(years)
    if not years:
        return ""
    return (f"{join_words([str(y) for y in years])} "
            f"{'is a NATO estimate' if len(years) == 1 else 'are NATO estimates'}")


def _names(codes) -> str:
    return join_words(names(codes))


def _listed(codes, most: int = 5) -> str:
    """The names, or nothing when there are more than ``most``."""
    return _names(codes) if len(codes) <= most else ""


def release_words(source_id: str) -> str:
    """'release v1.2, April 2026': the registry's edition with its brackets unfolded."""
    return sources.get(source_id).edition.replace(" (", ", ").replace(")", "")


def year_label(r, year: int) -> str:
    return f"{year}e" if year in r.estimate_years else str(year)


def _share_list(rows: pl.DataFrame, column: str = "share_gdp_pct_latest") -> str:
    return join_words([f"{country(x['entity'])} ({x[column]:.2f} %)"
                       for x in rows.sort(column, descending=True).iter_rows(named=True)])


def _ally(column: str) -> pl.Expr:
    return pl.col(column).map_elements(name_of, return_dtype=pl.String).alias("ally")


def claim(verdict: str, year_rows: pl.DataFrame, meeting: pl.DataFrame,
          sipri_meeting: list[str] | None, allies: tuple[str, ...], year: int, threshold: float,
          edition: str, sipri_edition: str, chapter: str, section: str) -> Claim:
    """'In 2014 only Greece, the United Kingdom and the United States spent 2 % of GDP or more':
    the finding and the condition, on NATO's figures and then SIPRI's."""
    base = dict(id="three_at_two_percent",
                claim=("In 2014 only Greece, the United Kingdom and the United States spent 2 % "
                       "of GDP or more"),
                source="NATO, on the 2014 Defence Investment Pledge", chapter=chapter,
                section=section, verdict=verdict)
    if verdict == NOT_CHECKABLE:
        return Claim(**base, finding=f"NATO's tables ({edition}) have no figures for {year}",
                     condition=f"The NATO edition used does not cover {year}.")
    shares = join_words([f"{country(x['entity'])} ({x['share_gdp_pct']:.2f} %)"
                         for x in sorted(meeting.iter_rows(named=True),
                                         key=lambda x: name_of(x["entity"]))])
    finding = (f"{meeting.height} of {year_rows.height} Allies with NATO figures in {year} "
               f"were at {threshold:g} % of GDP or more: {shares}")
    same = verdict == REPRODUCED
    if same:
        condition = f"On NATO's definition and its tables of {edition}."
    else:
        missing = sorted(set(allies) - set(meeting["entity"]))
        extra = sorted(set(meeting["entity"]) - set(allies))
        parts = ([f"{_names(missing)} below {threshold:g} %"] if missing else []) + (
            [f"{_names(extra)} also at {threshold:g} % or more"] if extra else [])
        condition = f"NATO's tables of {edition} have {'; '.join(parts)}."
    if sipri_meeting == sorted(allies):
        condition += (f" SIPRI's figures ({sipri_edition}) give the same three Allies"
                      + (", so the claim does not hang on NATO's definition." if same else "."))
    elif sipri_meeting is not None:
        condition += (f" On SIPRI's figures ({sipri_edition}) the Allies at {threshold:g} % or "
                      f"more in {year} were {_names(sipri_meeting) or 'none'}.")
    return Claim(**base, finding=finding, condition=condition)


def tables(r) -> dict[str, Table]:
    p = r.params
    t, ty = f"{p.target_share_pct:g}", p.target_year
    latest = year_label(r, r.latest_year)
    span = f"{r.first_year}–{r.latest_year}"
    pi = round(r.projection["pi_level"][0] * 100)
    nato, both = f"NATO, {r.edition}", f"NATO, {r.edition}; SIPRI, {r.sipri_edition}"
    years = pl.col("year").map_elements(lambda y: year_label(r, y), return_dtype=pl.String)
    gap = r.gap.sort("share_gdp_pct_latest", descending=True).select(
        _ally("entity"), "share_gdp_pct_latest", "gap_pp",
        pl.when("already_above").then(pl.lit("already above")).otherwise(pl.lit("below"))
        .alias("position"),
        "gdp_growth_pct_assumed", "required_real_growth_pct", "growth_to_stay_pct",
        "milex_real_growth_pct_past",
        pl.when("already_above").then(pl.lit("–"))
        .when("needs_faster_growth").then(pl.lit("yes")).otherwise(pl.lit("no")).alias("faster"),
        pl.col("gdp_break_year").cast(pl.String).fill_null("–").alias("gdp_break"))
    trend = r.projection.sort("projected_share_pct", descending=True).select(
        _ally("entity"), "share_gdp_pct_latest", "slope_pp_per_year",
        pl.col("break_year").cast(pl.String).fill_null("–").alias("level_shift"),
        "projected_share_pct", "pi_lower_pct", "pi_upper_pct",
        pl.when(pl.col("projected_share_pct") >= p.target_share_pct).then(pl.lit("yes"))
        .otherwise(pl.lit("no")).alias("reaches"))
    by_ally = r.comparison_by_ally.select(
        _ally("iso3"), "nato_share_latest_pct", "sipri_share_latest_pct", "difference_latest_pp",
        "mean_difference_pp", "largest_difference_pp", "largest_difference_year")
    every = r.comparison.select(
        _ally("iso3"), "iso3", "year", "nato_estimate", "nato_share_pct", "sipri_share_pct",
        "difference_pp", "sipri_estimate")
    by_year = r.comparison_by_year.select(
        years, "n_allies", "mean_abs_difference_pp", "n_at_threshold_nato",
        "n_at_threshold_sipri")
    return {
        "counts": Table(
            "04_guideline_counts", r.counts.with_columns(years).drop("estimate"),
            f"Allies meeting NATO's 2 % and 20 % guidelines, counted from their year of "
            f"accession ({nato}; e: NATO estimate)",
            labels={"year": "Year", "n_allies_with_data": "Allies with NATO figures",
                    "n_meeting_gdp": "At 2 % of GDP or more",
                    "n_meeting_equipment": "At 20 % on equipment or more",
                    "n_meeting_both": "Meeting both"}),
        "gap": Table(
            "04_pledge_gap", gap,
            f"Distance to {t} % of GDP by {ty} and the real growth of defence spending that "
            f"closes it ({nato}; {estimate_words(r.estimate_years)}; shares of GDP at 2015 "
            f"prices)",
            labels={"ally": "Ally", "share_gdp_pct_latest": f"{latest}, % of GDP",
                    "gap_pp": f"Gap to {t} %, points", "position": "Position",
                    "gdp_growth_pct_assumed": "Real GDP growth assumed, % a year",
                    "required_real_growth_pct": f"Real growth needed to {ty}, % a year",
                    "growth_to_stay_pct": "Lowest real growth that keeps it at the target, "
                                          "% a year",
                    "milex_real_growth_pct_past": f"Real growth achieved {span}, % a year",
                    "faster": "Needs faster growth than achieved",
                    "gdp_break": "Break in NATO's GDP series (year)"},
            decimals={"share_gdp_pct_latest": 2, "gap_pp": 2}),
        "trend": Table(
            "04_pledge_trend", trend,
            f"Each Ally's share of GDP on its straight-line trend {r.window_start}–"
            f"{r.latest_year}, projected to {ty} with its own {pi} % prediction interval "
            f"(ordinary least squares; a level shift where NATO's GDP series breaks; "
            f"{nato}). A description of the past, not a forecast.",
            labels={"ally": "Ally", "share_gdp_pct_latest": f"{latest}, % of GDP",
                    "slope_pp_per_year": "Trend, points a year",
                    "level_shift": "Level shift from (year)",
                    "projected_share_pct": f"{ty} on trend, % of GDP",
                    "pi_lower_pct": f"{pi} % interval, low",
                    "pi_upper_pct": f"{pi} % interval, high",
                    "reaches": f"At {t} % or more on trend"},
            decimals={"share_gdp_pct_latest": 2, "slope_pp_per_year": 3,
                      "projected_share_pct": 2, "pi_lower_pct": 2, "pi_upper_pct": 2}),
        "count_distribution": Table(
            "04_trend_count_distribution", r.count_interval["distribution"],
            f"How many Allies reach {t} % by {ty} on their trends: share of "
            f"{r.count_interval['n_draws']:,} joint draws of the trends' errors",
            labels={"n_allies_reaching": "Allies at the target",
                    "share_of_draws": "Share of draws"},
            decimals={"share_of_draws": 3}),
        "definitions": Table(
            "04_nato_vs_sipri_by_ally", by_ally,
            f"Share of GDP on NATO's and SIPRI's figures, per Ally ({both}); difference = NATO "
            f"minus SIPRI, percentage points; {span}",
            labels={"ally": "Ally", "nato_share_latest_pct": f"NATO {latest}, % of GDP",
                    "sipri_share_latest_pct": f"SIPRI {r.latest_year}, % of GDP",
                    "difference_latest_pp": f"Difference {r.latest_year}",
                    "mean_difference_pp": f"Mean difference {span}",
                    "largest_difference_pp": "Largest difference",
                    "largest_difference_year": "in"},
            decimals=dict.fromkeys(by_ally.columns[1:6], 2)),
        "definitions_all": Table(
            "04_nato_vs_sipri_all", every,
            f"Share of GDP on NATO's and SIPRI's figures, every Ally and year ({both}); "
            f"difference = NATO minus SIPRI",
            labels={"ally": "Ally", "iso3": "ISO code", "year": "Year",
                    "nato_estimate": "NATO estimate", "nato_share_pct": "NATO, % of GDP",
                    "sipri_share_pct": "SIPRI, % of GDP", "difference_pp": "Difference, points",
                    "sipri_estimate": "SIPRI estimate"},
            decimals=dict.fromkeys(("nato_share_pct", "sipri_share_pct", "difference_pp"), 2)),
        "definitions_by_year": Table(
            "04_nato_vs_sipri_by_year", by_year,
            f"Allies at 2 % of GDP or more on each publisher's figures, and the average size of "
            f"the difference ({both}; e: NATO estimate)",
            labels={"year": "Year", "n_allies": "Allies counted",
                    "mean_abs_difference_pp": "Mean absolute difference, points",
                    "n_at_threshold_nato": "At 2 % on NATO's figures",
                    "n_at_threshold_sipri": "At 2 % on SIPRI's figures"},
            decimals={"mean_abs_difference_pp": 2}),
    }


def _allies(key: str, label: str, n: int, of: int, **fields) -> Headline:
    return headline(key, label, n, "Allies", decimals=0, display=f"{n} of {of}", **fields)


def headlines(r) -> list[Headline]:
    p = r.params
    t, ty, first, latest = f"{p.target_share_pct:g}", p.target_year, r.first_year, r.latest_year
    target = {"target_share_pct": float(p.target_share_pct), "target_year": ty}
    gdp, eq = "pledge.allies_meeting_gdp_guideline", "pledge.allies_meeting_equipment_guideline"
    rows = []
    for which, year in (("first", first), ("latest", latest)):
        c = r.counts.filter(pl.col("year") == year).row(0, named=True)
        label, of = year_label(r, year), c["n_allies_with_data"]
        rows.append(_allies(gdp, f"Allies at or above 2 % of GDP, {label} (NATO's figures)",
                            c["n_meeting_gdp"], of,
                            note=_listed(allies_meeting(r.status, year, "gdp")), year=year,
                            which=which, source=r.nato_source))
        s = r.comparison_by_year.filter(pl.col("year") == year)
        if s.height:
            s = s.row(0, named=True)
            rows.append(_allies(gdp, f"Allies at or above 2 % of GDP, {year} (SIPRI's figures)",
                                s["n_at_threshold_sipri"], s["n_allies"], year=year, which=which,
                                source=r.sipri_source))
        rows.append(_allies(eq, f"Allies at or above 20 % of defence spending on major "
                            f"equipment, {label}", c["n_meeting_equipment"], of, year=year,
                            which=which, source=r.nato_source))
    above = r.gap.filter("already_above")
    rows.append(_allies("pledge.allies_at_target", f"Allies already at {t} % of GDP or more, "
                        f"{year_label(r, latest)}", above.height, r.gap.height,
                        note=_listed(above["entity"]), year=latest, **target))
    below = r.gap.filter(~pl.col("already_above"))
    basis = "own average" if p.gdp_growth_pct is None else float(p.gdp_growth_pct)
    for breaks, n in (("left out", int(below["needs_faster_growth"].sum())),
                      ("included", r.faster_if_breaks_ignored)):
        rows.append(_allies(
            "pledge.allies_needing_faster_growth",
            f"Allies below {t} % whose real growth needed to {ty} exceeds their "
            f"{first}–{latest} rate"
            + (" (GDP growth taken across the series breaks)" if breaks == "included" else ""),
            n, below.height, gdp_growth=basis, gdp_breaks=breaks, **target))
    ci = r.count_interval
    for estimate, label in (("point", "straight-line projection"),
                            ("low", "95 % interval of the count, low"),
                            ("high", "95 % interval of the count, high")):
        rows.append(_allies(
            "pledge.allies_reaching_target_on_trend",
            f"Allies at {t} % or more in {ty} on their {r.window_start}–{latest} trends "
            f"({label})", ci[estimate], ci["n_allies"],
            note=_listed(r.reach["allies_point"]) if estimate == "point" else "",
            estimate=estimate, level=ci["level"], window_start=r.window_start,
            window_end=latest, **target))
    for start in (latest, first):
        rows_cmp = r.comparison.filter(pl.col("year").is_between(start, latest))
        if rows_cmp.height:
            period = year_label(r, start) if start == latest else f"{start}–{latest}"
            rows.append(headline(
                "pledge.nato_sipri_difference",
                f"Share of GDP, NATO against SIPRI: mean absolute difference, {period}",
                rows_cmp["difference_pp"].abs().mean(), "percentage points", decimals=2,
                first_year=start, last_year=latest))
    return rows


def sentences(r, close_pp: float) -> dict[str, str]:
    """The chapter's number-bearing prose, and its two lines for the summary."""
    est = estimate_words(r.estimate_years)
    return {
        "guidelines": guideline_words(r),
        "estimates": (f"In NATO's tables of {r.edition}, {est} (marked e)." if est else
                      f"NATO's tables of {r.edition} mark no year as an estimate."),
        "target_note": target_note(r.params),
        "gap": gap_words(r), "breaks": break_words(r), "trend": trend_words(r),
        "definitions": comparison_words(r, close_pp),
        "definition_nato": f"**NATO's definition.** {NATO_DEFINITION}",
        "definition_sipri": f"**SIPRI's definition.** {SIPRI_DEFINITION}",
        "definition_common": f"**Where they differ.** {COMMON_GROUND}",
        "sipri_footnotes": footnote_words(r), "summary": summary_words(r),
    }


def _row(frame: pl.DataFrame, year: int) -> dict:
    return frame.filter(pl.col("year") == year).row(0, named=True)


def _of_allies(n: int) -> str:
    return plural(n, "Ally", "Allies")


def _counts(r, lead: str, share: str, sep: str, most: int) -> str:
    """'{lead}3 of 27 Allies spent at least {share} in 2014 (...){sep} and 23 of 31 in 2024
    (NATO estimates).': the 2 % guideline's first and latest count."""
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
    no_data = sorted(no_data.unique().to_list())
    text = (_counts(r, f"On NATO's figures (tables of {r.edition}), ", "2 % of GDP on defence", ",",
                    8)
            + f" On major equipment, {c0['n_meeting_equipment']} spent at least 20 % of their "
            f"defence expenditure in {r.first_year} and {c1['n_meeting_equipment']} in "
            f"{r.latest_year}.")
    if no_data:
        text += (f" NATO publishes no defence expenditure for {_names(no_data)}, which "
                 f"{'is' if len(no_data) == 1 else 'are'} therefore not counted.")
    return text


def target_note(p) -> str:
    t = f"{p.target_share_pct:g} %"
    if p.at_hague_target():
        return (f"{HAGUE_WORDS} committed Allies to spend at least {t} of GDP on core defence "
                f"by {p.target_year}, plus up to 1.5 % on defence- and security-related spending "
                f"that NATO's expenditure tables do not measure; this chapter measures the "
                f"distance to the core-defence part.")
    return (f"{HAGUE_WORDS} committed Allies to {TARGET_SHARE_PCT:g} % of GDP on core defence by "
            f"{TARGET_YEAR}; this chapter was built with a target of {t} by {p.target_year} "
            f"instead.")


def gap_words(r) -> str:
    p, g, span = r.params, r.gap, f"{r.first_year}–{r.latest_year}"
    t = f"{p.target_share_pct:g} %"
    est = " (a NATO estimate)" if r.latest_year in r.estimate_years else ""
    above, below = g.filter("already_above"), g.filter(~pl.col("already_above"))
    parts = []
    if above.is_empty():
        parts.append(f"No Ally spent {t} of GDP or more in {r.latest_year}{est}.")
    else:
        one = above.height == 1
        listed = (_share_list(above) if above.height <= 5
                  else f"all {above.height} Allies with NATO figures" if below.is_empty()
                  else f"{above.height} Allies")
        parts.append(f"{cap(listed)} {'was' if one else 'were'} already at {t} of GDP or more "
                     f"in {r.latest_year}{est}, and need{'s' if one else ''} no growth to get "
                     f"there.")
        for x in (above.sort("share_gdp_pct_latest", descending=True).iter_rows(named=True)
                  if above.height <= 3 else ()):
            parts.append(f"With its real GDP growing {x['gdp_growth_pct_assumed']:.1f} % a year"
                         + (f" (its {span} average)" if p.gdp_growth_pct is None else "")
                         + f", {country(x['entity'])} stays at or above {t} until "
                         f"{p.target_year} as long as its real defence spending grows at least "
                         f"{x['growth_to_stay_pct']:.1f} % a year; slower growth would take it "
                         f"back below.")
        if above.height > 3:
            parts.append(f"The table gives, for each, the lowest real growth of defence "
                         f"spending that keeps it at {t} until {p.target_year}.")
    if below.is_empty():
        return " ".join(parts)
    faster = below.filter("needs_faster_growth")
    gdp_words = (f"each Ally's real GDP growing at its own average over {span}"
                 if p.gdp_growth_pct is None else
                 f"real GDP growing {p.gdp_growth_pct:g} % a year for every Ally")
    parts.append(
        f"For {'the other' if above.height else 'the'} {_of_allies(below.height)} the median "
        f"gap is {below['gap_pp'].median():.2f} percentage points; with {gdp_words}, reaching "
        f"{t} by {p.target_year} takes a median real growth of defence spending of "
        f"{below['required_real_growth_pct'].median():.1f} % a year. For {faster.height} of "
        f"these {below.height} that is faster than the Ally's own real growth of defence "
        f"spending over {span}"
        + (f": {_names(faster['entity'])}." if 0 < faster.height <= 20 else "."))
    brk = below.filter("series_break")
    if p.gdp_growth_pct is None and brk.height:
        for x in brk.iter_rows(named=True):
            parts.append(
                f"{cap(country(x['entity']))}'s GDP growth leaves out the {x['gdp_break_year']} "
                f"break in NATO's GDP series ({x['gdp_growth_pct_assumed']:.1f} % a year); taken "
                f"across the break it would be {x['gdp_growth_pct_across_break']:.1f} % a year.")
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
                f"{ordinary['change_pct']:+.1f} %, {who} in {year}), so no GDP "
                f"series break is handled.")
    parts = []
    for b in r.breaks.iter_rows(named=True):
        before, after = b["share_before_pct"], b["share_after_pct"]
        share = (f"; its share of GDP moves from {before:.2f} % to {after:.2f} %"
                 if None not in (before, after) else "")
        parts.append(f"NATO's real GDP for {country(b['entity'])} changes by "
                     f"{b['change_pct']:+.1f} % from {b['year'] - 1} to {b['year']}{share}")
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
    p, ci, reach = r.params, r.count_interval, r.reach
    t, level = f"{p.target_share_pct:g} %", pct(ci["level"])
    listed = f": {_names(reach['allies_point'])}" if 0 < reach["point"] <= 8 else ""
    text = (f"If each Ally's share of GDP kept to the straight line fitted to its "
            f"{r.window_start}–{r.latest_year} figures ({estimate_words(r.estimate_years)}), "
            f"{ci['point']} of {ci['n_allies']} Allies would be at {t} or more in "
            f"{p.target_year}{listed}. Allowing for the uncertainty of those lines, drawn jointly "
            f"for all Allies ({ci['n_draws']:,} draws), that number lies between {ci['low']} and "
            f"{ci['high']} (a {level} interval for the count; being a whole number, it holds "
            f"{pct(ci['coverage'])} of the draws; mean {ci['mean']:.1f}). A straight line "
            f"describes the past; it is not a forecast and knows nothing of budgets already "
            f"announced. Each Ally's own {level} prediction interval is in the table: "
            f"{reach['lower_pi']} lie wholly at or above {t} and {reach['upper_pi']} reach it, "
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


def comparison_words(r, close_pp: float) -> str:
    c, by_ally, by_year = r.comparison, r.comparison_by_ally, r.comparison_by_year
    if c.is_empty():
        return "SIPRI's table has no figures for the Allies and years of NATO's tables."
    span = f"{r.first_year}–{r.latest_year}"
    close = int((c["difference_pp"].abs() <= close_pp).sum())
    parts = [f"For the same Ally and year, NATO's share of GDP (tables of {r.edition}) and "
             f"SIPRI's ({r.sipri_edition}) are within {close_pp:g} percentage points of each "
             f"other in {close} of {c.height} Ally-years over {span}; the mean absolute "
             f"difference is {c['difference_pp'].abs().mean():.2f} points."]
    if set(by_year["year"]) >= {r.first_year, r.latest_year}:
        lt, ft = _row(by_year, r.latest_year), _row(by_year, r.first_year)
        est = (f", NATO's being its estimates of {r.edition}"
               if r.latest_year in r.estimate_years else "")
        down, up = r.flips
        n0, s0 = ft["n_at_threshold_nato"], ft["n_at_threshold_sipri"]
        parts.append(
            f"Small differences matter at a threshold: {lt['n_at_threshold_nato']} of "
            f"{lt['n_allies']} Allies were at 2 % of GDP or more in {r.latest_year} on NATO's "
            f"figures and {lt['n_at_threshold_sipri']} on SIPRI's{est}"
            + (f" ({_of_allies(len(down))} at 2 % on NATO's figures but below it on SIPRI's: "
               f"{_names(down)}" if down else "")
            + (f"; {len(up)} the other way round" if up else "") + (")" if down else "")
            + f"; in {r.first_year}, " + (f"{n0} on each." if n0 == s0 else f"{n0} and {s0}."))
    sides = []
    for side, rows in (("lower", by_ally.filter(pl.col("mean_difference_pp") < 0)
                        .sort("mean_difference_pp")),
                       ("higher", by_ally.filter(pl.col("mean_difference_pp") > 0)
                        .sort("mean_difference_pp", descending=True))):
        if rows.height:
            top = join_words([f"{country(x['iso3'])} ({x['mean_difference_pp']:+.2f})"
                              for x in rows.head(3).iter_rows(named=True)])
            sides.append(f"{side} for {_of_allies(rows.height)}, most of all for {top}")
    if sides:
        parts.append(f"On average over {span} NATO's figure is {' and '.join(sides)} "
                     f"(mean difference, points).")
    price = r.price_effect
    parts.append(f"NATO's choice of 2015 prices explains little: its share at 2015 prices and "
                 f"its share at current prices agree to 0.01 points in "
                 f"{price['n_rows'] - price['n_differ']} of {price['n_rows']} Ally-years "
                 f"(largest gap {price['largest_pp']:.2f} points).")
    n_est = pl.col("sipri_estimate_years")
    for which, rows, end in (
            ("every figure", by_ally.filter(n_est == pl.col("n_years")), "in these years as its "
             "own estimate."),
            ("some figures", by_ally.filter(n_est.is_between(1, pl.col("n_years") - 1)),
             "as its own estimates.")):
        if rows.height:
            parts.append(f"SIPRI marks {which} for {_names(rows['iso3'])} {end}")
    for b in r.breaks.iter_rows(named=True):
        rows = c.filter(pl.col("iso3") == b["entity"])
        before = rows.filter(pl.col("year") < b["year"])["difference_pp"]
        after = rows.filter(pl.col("year") >= b["year"])["difference_pp"]
        if before.len() and after.len():
            parts.append(f"For {country(b['entity'])} the difference averages "
                         f"{before.mean():+.2f} points before the {b['year']} break in NATO's "
                         f"GDP series and {after.mean():+.2f} from {b['year']} on.")
    return " ".join(parts)


def footnote_words(r) -> str:
    """SIPRI's footnotes on what its figures for an Ally include or leave out (only for the
    release they were quoted from)."""
    allies = set(r.comparison["iso3"])
    lines = [f"- **{name_of(code)}**: \u201c{note}\u201d" for code, note in
             sorted(SIPRI_FOOTNOTES.items(), key=lambda kv: name_of(kv[0])) if code in allies]
    if r.sipri_source != SIPRI_FOOTNOTES_SOURCE or not lines:
        return ""
    return (f"SIPRI's footnotes ({r.sipri_edition}) on what its figures for some Allies include "
            f"or leave out:\n\n" + "\n".join(lines))


def summary_words(r) -> str:
    """The summary's two bullets (the summary prefixes the first with '- ')."""
    p, ci, span = r.params, r.count_interval, f"{r.first_year}–{r.latest_year}"
    t = f"{p.target_share_pct:g} %"
    est = " (NATO estimates)" if r.latest_year in r.estimate_years else ""
    text = _counts(r, f"**The 2 % guideline.** On NATO's figures (tables of {r.edition}) ",
                   "2 % of GDP", "", 5)
    sipri = r.comparison_by_year.filter(pl.col("year") == r.latest_year)
    if sipri.height:
        down = r.flips[0]
        gap_max = r.comparison.filter(pl.col("year") == r.latest_year,
                                      pl.col("iso3").is_in(down))["difference_pp"].abs().max()
        text += (f" On SIPRI's figures ({r.sipri_edition}) {sipri['n_at_threshold_sipri'][0]} "
                 f"were at 2 % in {r.latest_year}"
                 + (f": for {_of_allies(len(down))} NATO's figure is at 2 % or more and SIPRI's "
                    f"below it, by at most {gap_max:.2f} points (the two publishers' definitions "
                    f"and data differ)." if down else "."))
    text += "\n- **The Hague commitment.** Allies committed in June 2025 to " + (
        f"{t} of GDP on core defence by {p.target_year}." if p.at_hague_target() else
        f"{TARGET_SHARE_PCT:g} % of GDP on core defence by {TARGET_YEAR}; this report tests "
        f"{t} by {p.target_year}.")
    above, below = r.gap.filter("already_above"), r.gap.filter(~pl.col("already_above"))
    if above.is_empty():
        text += f" No Ally was at {t} or more in {r.latest_year}{est}."
    elif above.height <= 5:
        text += (f" In {r.latest_year}{est} {_share_list(above)} "
                 f"{'was' if above.height == 1 else 'were'} already at {t} or more.")
    else:
        text += f" In {r.latest_year}{est} {above.height} Allies were already at {t} or more."
    listed = f" ({_names(r.reach['allies_point'])})" if 0 < ci["point"] <= 5 else ""
    text += (f" If each Ally's {r.window_start}–{r.latest_year} straight-line trend continued, "
             f"{ci['point']} of {ci['n_allies']} would be there by {p.target_year}{listed}; "
             f"allowing for the trends' uncertainty, between {ci['low']} and {ci['high']} "
             f"({pct(ci['level'])} interval for the count). A trend line is not a forecast.")
    if below.height:
        faster, ignored = int(below["needs_faster_growth"].sum()), r.faster_if_breaks_ignored
        brk = below.filter("series_break")["entity"]
        text += (f" {faster} of the {_of_allies(below.height)} below {t} would need faster real "
                 f"growth of defence spending than they achieved in {span}"
                 + (f" ({ignored} if GDP growth were measured across the break in NATO's GDP "
                    f"series for {_names(brk)})" if ignored != faster and brk.len() else "")
                 + ".")
    return text
