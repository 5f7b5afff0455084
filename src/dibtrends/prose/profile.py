"""The words of an Ally's profile page. ``r`` is a :class:`dibtrends.chapters.profile.Result`;
every number is one it computed."""

from __future__ import annotations

import math

import polars as pl

from ..pledge import EQUIPMENT_GUIDELINE_PCT, GDP_GUIDELINE_PCT, TARGET_SHARE_PCT, TARGET_YEAR
from ..profile import guideline_count, has_values
from ..results import Headline, Table, headline
from . import cap, fmt, join_words, possessive, the

#: NATO Table 8's categories in words (the chart's legend), in the order they stack.
CATEGORIES = {"equipment_share_pct": "Equipment (incl. related R&D)",
              "personnel_share_pct": "Personnel", "infrastructure_share_pct": "Infrastructure",
              "other_share_pct": "Other"}
#: Why NATO publishes no defence expenditure for an Ally (NATO's tables; ``load/nato.py``).
NO_DATA_REASONS = {"ISL": "Iceland has no armed forces"}
#: What a reader must know to read SIPRI's long-run line (``load/sipri_milex.py``).
LONG_RUN_NOTES = {"DEU": "before 1991 it covers West Germany, the Federal Republic"}
MISSING = "not published"  # a headline NATO publishes no figure for
GUIDELINES = (f"the {GDP_GUIDELINE_PCT:g} % guideline",
              f"the {EQUIPMENT_GUIDELINE_PCT:g} % equipment guideline")


def year_label() -> pl.Expr:
    """'2024e' for a NATO estimate."""
    return (pl.col("year").cast(pl.String)
            + pl.when(pl.col("estimate")).then(pl.lit("e")).otherwise(pl.lit("")))


def usd(*bn: float) -> list[str]:
    """Amounts in one unit, as a sentence compares them: 'US$ 26.8 bn', 'US$ 59 m' when every
    one is below a billion, and 'US$ 0.25 bn' beside 'US$ 1.04 bn' (never bn and m side by
    side)."""
    if max(bn) < 1:
        return [f"US$ {fmt(x * 1000, 0)} m" for x in bn]
    return [f"US$ {fmt(x, 2 if min(bn) < 1 else 1)} bn" for x in bn]


def times(ratio: float, year: int) -> str:
    """'3.14 times as high as in 2014', '14 % higher than in 2014', 'about the same as in ...'."""
    if ratio >= 1.5:
        return f"{ratio:.2f} times as high as in {year}"
    change = (ratio - 1) * 100
    if round(change) == 0:
        return f"about the same as in {year}"
    return f"{abs(change):.0f} % {'higher' if change > 0 else 'lower'} than in {year}"


def target_words(p) -> str:
    """The target in words; a value other than the Hague commitment says so."""
    if (p.target_share_pct, p.target_year) == (TARGET_SHARE_PCT, TARGET_YEAR):
        return (f"the core-defence target of {p.target_share_pct:g} % of GDP by {p.target_year} "
                "that Allies set at The Hague in 2025")
    return (f"a target of {p.target_share_pct:g} % of GDP by {p.target_year} (set for this "
            f"report; the Hague commitment for core defence is {TARGET_SHARE_PCT:g} % by "
            f"{TARGET_YEAR})")


def guideline_sentence(the_name: str, status: pl.DataFrame, table_first: int) -> str:
    """How often the Ally met each guideline in the years it was an Ally in NATO's tables."""
    counts = [guideline_count(status, f"meets_{g}_guideline") for g in ("gdp", "equipment")]
    spans = {(c["n_years"], c["first_year"], c["last_year"]) for c in counts}
    if len(spans) > 1:  # the two guidelines cover different years: say each
        return " ".join(
            f"{cap(the_name)} met {what} in {c['n_meeting']} of the {c['n_years']} years "
            f"{c['first_year']}–{c['last_year']} with NATO figures as an Ally."
            for what, c in zip(GUIDELINES, counts, strict=True) if c["n_years"])
    (n, first, last), met = spans.pop(), [c["n_meeting"] for c in counts]
    if n == 1:
        hit = [w for w, m in zip(GUIDELINES, met, strict=True) if m]
        miss = [w for w in GUIDELINES if w not in hit]
        parts = ([f"met {join_words(hit)}"] if hit else []) + (
            [f"did not meet {join_words(miss, 'or')}"] if miss else [])
        return (f"In {first}, its one year as an Ally in NATO's tables, {the_name} "
                f"{join_words(parts, 'but')}.")

    def count(m: int) -> str:
        if m == n:
            return "both" if n == 2 else f"all {n}"
        return "none" if m == 0 else str(m)

    lead = (f"In the {n} years of NATO's tables, {first}–{last}," if first == table_first else
            f"In its {n} years as an Ally in NATO's tables, {first}–{last},")
    if met == [0, 0]:
        return f"{lead} {the_name} met neither {GUIDELINES[0]} nor {GUIDELINES[1]}."
    return (f"{lead} {the_name} met {GUIDELINES[0]} in {count(met[0])} and {GUIDELINES[1]} in "
            f"{count(met[1])}.")


def target_sentence(r) -> str:
    """Where the Ally stands against the target, and the real growth that gets it there."""
    if not r.gap.height:
        return ""
    g, the_name, goal = r.gap.row(0, named=True), the(r.name), target_words(r.params)
    first, past = int(r.series["year"].min()), g["milex_real_growth_pct_past"]
    past = "" if past is None else (f" (it grew {past:.1f} % a year from {first} to "
                                    f"{g['latest_year']})")
    gdp = (f"its real GDP keeps growing at its {first}–{g['latest_year']} average of "
           f"{g['gdp_growth_pct_assumed']:.1f} % a year"
           + (f" (leaving out the {g['gdp_break_year']} break in NATO's GDP series)"
              if g["series_break"] else ""))
    if not g["already_above"]:
        return (f"To reach {goal}, {the_name} needs {g['gap_pp']:.2f} percentage points more: "
                f"real growth of defence spending of {g['required_real_growth_pct']:.1f} % a "
                f"year{past} if {gdp}.")
    stay = g["growth_to_stay_pct"]
    text = (f"{cap(the_name)} is already above {goal}, by {-g['gap_pp']:.2f} percentage "
            "points" if g["gap_pp"] < 0 else f"{cap(the_name)} is already at {goal}")
    floor = (f"grows by at least {stay:.1f} % a year" if stay >= 0 else
             f"falls by no more than {-stay:.1f} % a year")
    return f"{text}. If {gdp}, it stays there as long as its real defence spending {floor}{past}."


def break_sentence(the_name: str, brk: dict) -> str:
    """A break in NATO's GDP series explained: what moved the share, and what it means."""
    year, gdp, milex = brk["year"], brk["gdp_change_pct"], brk["milex_change_pct"]
    text = (f"NATO's GDP series for {the_name} breaks in {year}: real GDP at 2015 prices "
            f"{'falls' if gdp < 0 else 'rises'} by {abs(gdp):.0f} % from {year - 1} to {year}")
    how = "partly"
    if milex is not None:
        text += (f", while defence spending at constant prices "
                 f"{'rises' if milex >= 0 else 'falls'} by {abs(milex):.0f} %")
        # The share's log change splits into spending's and GDP's: which one moved it more?
        if abs(math.log(1 + gdp / 100)) > abs(math.log(1 + milex / 100)):
            how = "mostly"
    return (f"{text}. The share of GDP moves from {brk['share_before_pct']:.2f} % to "
            f"{brk['share_after_pct']:.2f} % {how} because the GDP figure changed: shares before "
            f"and after {year} are not comparable, and the GDP growth assumed for the target "
            "leaves that step out.")


def definitions_sentence(r) -> str:
    """NATO's share against SIPRI's in the latest year both publish, why they differ, and
    SIPRI's own footnote on the Ally where it has one."""
    c, the_name = r.comparison.row(0, named=True), the(r.name)
    year, d = c["latest_year"], c["difference_latest_pp"]
    relation = ("the same to two decimals" if abs(d) < 0.005 else
                f"{abs(d):.2f} points {'more' if d > 0 else 'less'} on NATO's figure")
    reasons = ["the two define and source military spending differently (the chapter on NATO's "
               "guidelines compares the definitions)"]
    if c["nato_estimate_latest"]:
        reasons.append(f"NATO's {year} figure is an estimate it published on {r.nato_edition}")
    breaks = [b for b in r.breaks["year"] if b <= year]
    if breaks:
        reasons.append(f"NATO divides by its own GDP series, which breaks in {min(breaks)}")
    return (f"For {year}, the latest year both publish, NATO puts defence spending by "
            f"{the_name} at {c['nato_share_latest_pct']:.2f} % of GDP and SIPRI at "
            f"{c['sipri_share_latest_pct']:.2f} % ({relation}): {join_words(reasons)}."
            + (f" SIPRI's note on its figures: \u201c{r.sipri_note}\u201d" if r.sipri_note
               else ""))


def long_run_words(r) -> tuple[str, str]:
    """SIPRI's long run: a sentence for the overview (no NATO data) and one for its section."""
    share, the_name = r.long_run, the(r.name)
    if share.is_empty():
        return (f"SIPRI publishes no share of GDP for {the_name} either.",
                f"No chart: SIPRI publishes no share of GDP for {the_name}.")
    first, last = int(share["year"].min()), int(share["year"].max())
    if not has_values(share, "share_gdp_pct"):
        return (f"SIPRI records zero military expenditure for {the_name} in every year from "
                f"{first} to {last}.",
                f"No chart: SIPRI's figures for {the_name} are zero in every year.")
    gaps = (last - first + 1) - share.height
    peak = share.sort("share_gdp_pct", descending=True).row(0, named=True)
    low = share.sort("share_gdp_pct").row(0, named=True)

    def at(row: dict) -> str:
        latest = ", the latest year" if row["year"] == last else ""
        return f"{row['year']} ({row['share_gdp_pct']:.2f} %{latest})"

    text = (f"SIPRI's series for {the_name}, on SIPRI's own definition of military "
            f"expenditure, runs from {first} to {last}"
            + (f" ({LONG_RUN_NOTES[r.code]})" if r.code in LONG_RUN_NOTES else "")
            + (f" with {gaps} years missing" if gaps else "")
            + f". The share of GDP was highest in {at(peak)} and lowest in {at(low)}")
    more = []
    joined = share.filter(pl.col("year") == r.accession_year)
    if joined.height and first < r.accession_year < last:
        more.append(f"{joined['share_gdp_pct'].item():.2f} % in {r.accession_year}, the year "
                    f"{the_name} joined NATO")
    if last not in (peak["year"], low["year"]):
        more.append(f"{share['share_gdp_pct'][-1]:.2f} % in {last}")
    text += ("; it was " + ", and ".join(more) if more else "") + "."
    return text, text


def sentences(r) -> dict[str, str]:
    """The page's number-bearing prose: the overview and one text per section."""
    the_name = the(r.name)
    joined = ("a founding Ally (1949)" if r.accession_year == 1949 else
              f"an Ally since {r.accession_year}")
    sipri_overview, long_run = long_run_words(r)
    if not r.has_nato_data:
        reason = NO_DATA_REASONS.get(r.code)
        return {"overview": (f"NATO publishes no defence expenditure for {the_name}, {joined}"
                             + (f": {reason}." if reason else ".") + " " + sipri_overview),
                "long_run": long_run,
                "spending": f"No chart: NATO publishes no defence expenditure for {the_name}.",
                "guidelines": (f"No table: with no defence expenditure, {the_name} is never "
                               "counted as meeting or missing NATO's guidelines.")}
    nato = r.series.drop_nulls(["share_gdp_pct", "milex_usd_bn_const2015"])
    first, last = nato.row(0, named=True), nato.row(-1, named=True)
    y0, y1, est = first["year"], last["year"], " (a NATO estimate)" if last["estimate"] else ""
    brk = next((b for b in r.breaks.iter_rows(named=True) if y0 < b["year"] <= y1), None)
    across = (f" (not comparable: NATO's GDP series for {the_name} breaks in {brk['year']}, "
              "see the guidelines below)" if brk else "")
    ratio = last["milex_usd_bn_const2015"] / first["milex_usd_bn_const2015"]
    overview = (
        f"{cap(the_name)}, {joined}, spent {last['share_gdp_pct']:.2f} % of its GDP on defence "
        f"in {y1} by NATO's count{est}, against {first['share_gdp_pct']:.2f} % in {y0}{across}. "
        f"At constant 2015 prices its defence spending in {y1} was {times(ratio, y0)}. "
        + target_sentence(r)).strip()
    cats = {(row["year"], row["category"]): f"{fmt(row['share_pct'])} %"
            for row in r.categories.iter_rows(named=True)}
    amounts = usd(first["milex_usd_bn_const2015"], last["milex_usd_bn_const2015"])
    spent = (f"At 2015 prices and exchange rates, defence spending by {the_name} went from "
             f"{amounts[0]} in {y0} to {amounts[1]} in {y1}{est}.")
    if (y1, "equipment_share_pct") in cats:
        share = {c: cats.get((y1, c), "n/a") for c in CATEGORIES}
        eq_first = cats.get((y0, "equipment_share_pct"))
        spent += (f" In {y1} equipment, including related research and development, took "
                  f"{share['equipment_share_pct']} of it"
                  + (f" ({eq_first} in {y0})" if eq_first else "")
                  + f", personnel {share['personnel_share_pct']}, infrastructure "
                  f"{share['infrastructure_share_pct']} and other spending "
                  f"{share['other_share_pct']}.")
    guidelines = guideline_sentence(the_name, r.status, int(r.series["year"].min()))
    return {"overview": overview,
            "long_run": long_run + (" " + definitions_sentence(r) if r.comparison.height else ""),
            "spending": spent,
            "guidelines": guidelines + (" " + break_sentence(the_name, brk) if brk else "")}


def guideline_grid(rows: pl.DataFrame) -> pl.DataFrame:
    """The guidelines with years across, as NATO prints them: a value in bold where the Ally met
    the guideline, '–' before it joined (half the height of a row per year, for print)."""
    rows = rows.with_columns(year_label().alias("year_label")).to_dicts()

    def line(key: str, value_col: str, label: str, decimals: int) -> dict:
        out = {"measure": label}
        for r in rows:
            value, meets = r[value_col], r[f"meets_{key}_guideline"] and r["counted"]
            text = "–" if value is None or not r["counted"] else f"{value:.{decimals}f}"
            out[r["year_label"]] = f"**{text}**" if meets else text
        return out

    return pl.DataFrame([line("gdp", "share_gdp_pct", "Defence, % of GDP", 2),
                         line("equipment", "equipment_share_pct",
                              "Equipment, % of defence spending", 1)])


def titles(r) -> dict[str, dict]:
    """Each chart's title, subtitle lines and caption (what it shows and says), worded from the
    frame it draws; no entry where the page shows a sentence instead."""
    words, whose = {}, cap(possessive(the(r.name)))
    if (share := r.frames["long_run"]) is not None:
        first, last = share.row(0, named=True), share.row(-1, named=True)
        top = share.sort("share_gdp_pct").row(-1, named=True)
        points = [first, *([top] if top["year"] not in (first["year"], last["year"]) else []), last]
        said = [f"{'highest ' if p is top else ''}{p['share_gdp_pct']:.2f} % in {p['year']}"
                for p in points]
        joined = (f" Orange line: joined NATO ({r.accession_year})."
                  if first["year"] < r.accession_year <= last["year"] else "")
        note = LONG_RUN_NOTES.get(r.code)
        words["long_run"] = {
            "title": f"{r.name}: military expenditure as a share of GDP, "
                     f"{first['year']}–{last['year']}",
            "subtitle": [f"SIPRI's definition of military expenditure. Dashed line: NATO's "
                         f"{GDP_GUIDELINE_PCT:g} % guideline.{joined}",
                         *([f"{cap(note)}."] if note else [])],
            "caption": f"{whose} military expenditure as a share of GDP on SIPRI's figures: "
                       f"{join_words(said)}"}
    if (spending := r.frames["spending"]) is not None:
        first, last, split = spending["year"].min(), spending["year"].max(), r.frames["categories"]
        text = f"{whose} defence spending at constant 2015 prices, {first}–{last}"
        equipment = (pl.DataFrame() if split is None else
                     split.filter(category="equipment_share_pct").sort("year"))
        if equipment.height >= 2:  # what it bought, at both ends
            (y0, e0), (y1, e1) = (equipment.select("year", "share_pct").row(i) for i in (0, -1))
            text += f", and what it bought: equipment {e0:.1f} % of it in {y0}, {e1:.1f} % in {y1}"
        words["spending"] = {
            "title": f"{r.name}: defence spending and what it buys, {first}–{last}",
            "subtitle": ["NATO's definition. Left: US$ billion at 2015 prices and exchange rates "
                         "(lighter bars, e: NATO estimates).",
                         *([f"Right: spending by category; dashed line: NATO's "
                            f"{EQUIPMENT_GUIDELINE_PCT:g} % guideline for equipment."]
                           if split is not None else []),
                         *([f"{r.name} joined NATO in {r.accession_year}; NATO's tables give its "
                            "figures for the years before too."]
                           if r.accession_year > first else [])],
            "caption": text}
    return words


def tables(r) -> dict[str, Table]:
    """The guidelines grid (none for an Ally without NATO figures)."""
    if not r.has_nato_data:
        return {}
    rows = r.status.filter(pl.col("share_gdp_pct").is_not_null())
    joined = ([f"–: not yet an Ally (joined in {r.accession_year})"]
              if rows.filter(~pl.col("counted")).height else [])
    marks = "; ".join(["e: NATO estimate", *joined, "bold: at or above the guideline"])
    caption = (f"{r.name}: NATO's guidelines year by year, {GDP_GUIDELINE_PCT:g} % of GDP and "
               f"{EQUIPMENT_GUIDELINE_PCT:g} % of defence spending on major equipment (NATO, "
               f"{r.nato_edition}; {marks})")
    return {"guidelines": Table(
        f"profile_{r.code}_guidelines", guideline_grid(rows), caption,
        labels={"measure": ""}, data=rows.select(
            "year", "estimate", "counted", "share_gdp_pct", "meets_gdp_guideline",
            "equipment_share_pct", "meets_equipment_guideline"))}


def headlines(r) -> list[Headline]:
    """The same keys for every Ally ('not published' where NATO publishes nothing)."""
    p, nato, years = r.params, r.series.drop_nulls("share_gdp_pct"), r.series["year"]
    first, last = _row(nato, 0), _row(nato, -1)
    y0, y1 = (first["year"], last["year"]) if last else (int(years.min()), int(years.max()))
    g, cmp, s = _row(r.gap, 0), _row(r.comparison, 0), _row(r.long_run, -1)
    target = {"target_share_pct": float(p.target_share_pct), "target_year": p.target_year}

    def h(key, label, row, value, unit, decimals=1, display=None, **fields):
        """``value``: the row's column, or a function of the row."""
        shown = None if row is None else value(row) if callable(value) else row[value]
        return headline(f"profile.{key}", label, shown, unit, decimals=decimals,
                        display=MISSING if row is None else display, country=r.code, **fields)

    rows = [h("share_gdp", f"Defence spending, % of GDP, {y} (NATO)", row, "share_gdp_pct",
              "% of GDP", 2, year=y, which=which)
            for which, row, y in (("first", first, y0), ("latest", last, y1))]
    rows += [h("spending", f"Defence spending {y1}, constant 2015 prices", last,
               "milex_usd_bn_const2015", "US$ bn, constant 2015 prices", year=y1),
             h("real_change", f"Defence spending {y1} ÷ {y0}, constant 2015 prices", last,
               lambda x: x["milex_usd_bn_const2015"] / first["milex_usd_bn_const2015"],
               "times", 2, base_year=y0, end_year=y1)]
    for key, pct, what in (("gdp", GDP_GUIDELINE_PCT, "of GDP"),
                           ("equipment", EQUIPMENT_GUIDELINE_PCT, "on equipment")):
        n = guideline_count(r.status, f"meets_{key}_guideline")
        row = n if n["n_years"] else None
        rows.append(h(f"years_meeting_{key}_guideline", f"Years at or above {pct:g} % {what}"
                      " as an Ally", row, "n_meeting", "years", 0,
                      f"{n['n_meeting']} of {n['n_years']}", threshold_pct=float(pct),
                      first_year=row and n["first_year"], last_year=row and n["last_year"]))
    return rows + [
        h("gap_to_target", f"Gap to {p.target_share_pct:g} % of GDP by {p.target_year}", g,
          "gap_pp", "percentage points", 2, **target),
        h("required_real_growth", "Real growth of defence spending needed a year to reach "
          f"{p.target_share_pct:g} % by {p.target_year}", g, "required_real_growth_pct", "% a year",
          display=g and ("none: already there" if g["already_above"] else None), **target),
        h("nato_minus_sipri", "NATO's share of GDP minus SIPRI's, latest year both publish",
          cmp, "difference_latest_pp", "percentage points", 2, year=cmp and cmp["latest_year"]),
        h("sipri_share_gdp", "Military expenditure, % of GDP"
          + (f", {s['year']} (SIPRI)" if s else " (SIPRI)"), s, "share_gdp_pct", "% of GDP", 2,
          year=s and s["year"])]


def _row(frame: pl.DataFrame, i: int) -> dict | None:
    return frame.row(i, named=True) if frame.height else None
