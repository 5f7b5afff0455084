"""The words of chapter 5 (critical minerals): the claim, sentences, tables, the chart's titles and
headline labels, from what :mod:`dibtrends.chapters.minerals` computed."""

from __future__ import annotations

import re

import polars as pl

from ..minerals import ALLY_AS_OF, NOT_LISTED
from ..results import CONDITIONAL, REPRODUCED, Claim, Headline, Table, headline
from . import cap, count_of, join_words, paragraph, plural, table, worded, yes_no

#: The published claim, in USGS's words (as quoted by the National Mining Association, press
#: release on MCS 2024, https://stage.nma.org/?p=41458), and the counts the check reads from
#: it: always USGS's "more than one-half" over every commodity of Fig. 2.
CLAIM_THRESHOLD_PCT = 50
CLAIM_MORE_THAN_HALF = 49
CLAIM_FULLY_RELIANT = 15
CLAIM_TEXT = ("In 2023, imports made up more than one-half of the U.S. apparent consumption for "
              f"{CLAIM_MORE_THAN_HALF} nonfuel mineral commodities, and the United States was "
              f"100% net import reliant for {CLAIM_FULLY_RELIANT} of those")
CLAIM_SOURCE = "USGS, Mineral Commodity Summaries 2024, January 2024"
#: How each selection reads in a sentence; {n} and {names} are filled from the data.
SELECTION_WORDS = {
    "nato_defence_critical": "the {n} defence-critical raw materials NATO lists",
    "brief_three": "the {n} materials NATO named for joint stockpiling in June 2025 ({names})",
}
BOUND_WORDS = {"eq": "a number", "gt": "a lower bound (more than)",
               "lt": "an upper bound (less than)", NOT_LISTED: "nothing (not in Fig. 2)",
               "exporter": "net exporter", "withheld": "withheld", "not_available": "not available",
               "not_applicable": "not applicable"}
T5_FLAG_WORDS = {"withheld": "withheld", "not_available": "not available"}
#: Rows of the major-sources table: the countries ranked this high or higher (ties kept).
TOP_SOURCES = 10


def nir_display() -> pl.Expr:
    """``nir_display``: '>95', '<50', '100', 'net exporter', 'withheld', 'not in USGS Fig. 2'."""
    bound = pl.col("nir_bound")
    number = pl.col("net_import_reliance_pct").round(0).cast(pl.Int64).cast(pl.String)
    return (pl.when(bound == "gt").then(pl.lit(">") + number)
            .when(bound == "lt").then(pl.lit("<") + number)
            .when(bound == "eq").then(number)
            .when(bound == "exporter").then(pl.lit("net exporter"))
            .when(bound == NOT_LISTED).then(pl.lit("not in USGS Fig. 2"))
            .otherwise(bound.str.replace("_", " ")).alias("nir_display"))


def reader_name(mineral: str) -> str:
    """A curated mineral name as it reads inside a sentence ('rare earths', 'lithium')."""
    return "rare earths" if mineral == "Rare earth elements" else mineral.lower()


def usgs_row_words(usgs_commodity: str | None) -> str | None:
    """A USGS Fig. 2 row name in sentence case ('Titanium, sponge metal')."""
    return None if usgs_commodity is None else cap(usgs_commodity.lower())


def measured_name(mineral: str, usgs_commodity: str | None) -> str:
    """The mineral named with what USGS measures: 'titanium (sponge metal)'."""
    name, low = reader_name(mineral), (usgs_commodity or "").lower()
    if ", " in low:
        return f"{name} ({low.split(', ', 1)[1]})"
    found = re.search(r"\(([^)]+)\)", low)
    return f"{name} ({found.group(1)})" if found else name


def threshold_words(threshold_pct: float) -> str:
    """'at least half', 'all', 'at least 75 %'."""
    return {50: "at least half", 100: "all"}.get(threshold_pct, f"at least {threshold_pct:g} %")


def china_rank_words(row: dict) -> str:
    """'2nd', '1st (with Hong Kong)', 'not listed' or 'no ranking'."""
    n = row["china_rank"]
    if row["nir_bound"] == NOT_LISTED or n is None:
        return "no ranking" if row["nir_bound"] == NOT_LISTED else "not listed"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}{' (with Hong Kong)' if row['china_includes_hong_kong'] else ''}"


def selection_words(r) -> str:
    names = [reader_name(m) for m in r.table.sort("mineral")["mineral"]]
    return SELECTION_WORDS[r.params.minerals].format(n=len(names), names=join_words(names))


def titles(r) -> dict[str, str | list[str]]:
    """The chart's title, subtitle and figure caption (its title names the measure)."""
    c, t, (y0, y1) = r.counts, r.params.min_reliance_pct, r.period
    return {"title": f"U.S. net import reliance, {r.data_year}",
            "subtitle": [f"{cap(selection_words(r))}, as matched to USGS rows.",
                         f"{c['n_meets_threshold']} of {c['n_minerals']} at or above {t:g} %; "
                         f"China the first-ranked import source for {c['n_china_top']}."],
            "caption": f"Each selected mineral's U.S. net import reliance in {r.data_year} against "
                       f"the {t:g} % threshold, coloured by its first-ranked import source in "
                       f"{y0}–{y1}: {c['n_meets_threshold']} of {c['n_minerals']} at or above it"}


def _names(table: pl.DataFrame, condition: pl.Expr, with_source: bool = False) -> list[str]:
    rows = table.filter(condition.fill_null(False)).sort("mineral")
    return [reader_name(x["mineral"]) + (f" from {x['top_source']}" if with_source else "")
            for x in rows.iter_rows(named=True)]


def _count_names(names: list[str], bold: bool = False) -> str:
    """'**3** (graphite, rare earths and tungsten)', or 'none'."""
    n = f"**{len(names)}**" if bold else len(names)
    return f"{n} ({join_words(names)})" if names else "none"


# ---------------------------------------------------------------- the claim
def claim(u: dict, undecided: pl.DataFrame, verdict: str, **where: str) -> Claim:
    """USGS's count of U.S. import dependence, recounted from its own Fig. 2 (``u``:
    ``usgs_reliance_counts``); ``undecided``: the commodities a printed bound cannot place."""
    more, n_undecided, full = u["n_more_than"], u["n_undecided"], u["n_fully_reliant"]
    shown = join_words([f"{c.lower()} '{t}'" for c, t in undecided.select("commodity", "nir_text")
                        .rows()])
    placed = (f"""; the figure alone cannot place {shown} (USGS, which knows the unpublished
        values, does not count them).""" if shown else
              "; every printed bound can be placed against one-half.")
    condition = {
        REPRODUCED: f"""Both counts follow from the published figure when a value printed as '>50'
            counts as more than half and a printed 50 or '<50' does not{placed}""",
        CONDITIONAL: f"""Holds only if {CLAIM_MORE_THAN_HALF - more} of the {n_undecided}
            commodities printed only as bounds are above half, which the figure cannot show.""",
    }.get(verdict, f"""The figure gives {more} above half (and {n_undecided} undecided by their
            bounds) and {full} at 100 %, against the claim's {CLAIM_MORE_THAN_HALF} and
            {CLAIM_FULLY_RELIANT}.""")
    return Claim(id="minerals_us_import_dependence", claim=CLAIM_TEXT, source=CLAIM_SOURCE,
                 finding=paragraph(f"""USGS Fig. 2 gives a net import reliance above half for {more}
                     of its {u['n_commodities']} commodities ({u['n_more_than_printed']} printed
                     as a number, {u['n_more_than_bound']} only as a bound such as '>50') and
                     100 % for {full}"""),
                 verdict=verdict, condition=paragraph(condition), **where,
                 short=paragraph(f"""USGS's Fig. 2 gives {more} above half and {full} at
                     100 %, counting a value printed as '>50' as above half{'' if verdict ==
                     REPRODUCED else f" ({n_undecided} printed bounds cannot be placed)"}."""))


# ---------------------------------------------------------------- sentences
def sentences(r) -> dict[str, str]:
    """The chapter's number-bearing prose, and its line for the summary."""
    c, b, t, year, table = r.counts, r.backdrop, r.params.min_reliance_pct, r.data_year, r.table
    (y0, y1), tw = r.period, threshold_words(t)
    not_listed = _names(table, pl.col("nir_bound") == NOT_LISTED)
    unknown = pl.col("meets_threshold").is_null()
    shown = [f"{reader_name(m)} (printed '{d}')" for m, d in table.filter(
        unknown & (pl.col("nir_bound") != NOT_LISTED)).select("mineral", "nir_display").rows()]
    n_in, n = c["n_in_fig2"], c["n_minerals"]
    have = "all have" if n_in == n else f"{n_in} {'has' if n_in == 1 else 'have'}"
    absent = f"; {join_words(not_listed)} {'does' if len(not_listed) == 1 else 'do'} not."
    major = [f"{x['country']}{' (an Ally)' if x['is_ally'] else ''} for {x['commodity_count']}"
             for x in r.major_sources.head(3).iter_rows(named=True)]
    stockpiling = [f"{measured_name(s['mineral'], s['usgs_commodity'])} {s['nir_display']}"
                   f"{' %' if s['nir_bound'] in ('eq', 'gt', 'lt') else ''}"
                   for s in r.stockpiling.iter_rows(named=True)]
    unplaced = (f""" ({c['n_threshold_unknown']} cannot be placed against {t:g} % from the
        published figures)""" if c["n_threshold_unknown"] else "")
    text = {
        "matching": f"""Of {selection_words(r)}, {have} a row in the USGS figure of U.S. net import
            reliance for {year}{absent if not_listed else '.'}""",
        "bounds": (f"""Against the threshold of {t:g} %, {join_words(shown)} cannot be placed: USGS
            prints only a bound, and the true value may lie on either side of the threshold."""
                   if shown else f"""Every selected mineral with a value in the figure can be
            placed against the threshold of {t:g} %.""") + (f""" {join_words(not_listed)
            .capitalize()} has no value in the figure at all.""" if not_listed else ""),
        "sources": _sources(r),
        "major_sources": f"""Across the {r.usgs_counts['n_more_than']} commodities for which U.S.
            net import reliance was above half, USGS counts how often each country was a major
            import source in {y0}–{y1}: {join_words(major)}. """ + (
            "These counts agree with the source lists of Fig. 2 for every country."
            if r.fig3_disagreements == 0 else f"""For {r.fig3_disagreements} countries they
            differ from a recount of the source lists in Fig. 2."""),
        "backdrop": f"""For comparison, across all {b['n_minerals']} commodities in the USGS
            figure the United States relied on net imports for {tw} of its consumption of
            {b['n_meets_threshold']} ({100 * b['n_meets_threshold'] / b['n_minerals']:.0f} %,
            against {100 * c['n_meets_threshold'] / n:.0f} % of the selected minerals), and China
            was the first-ranked import source for {b['n_china_top']}.""",
        "finding": _finding(r),
        "summary": f"""**Critical minerals (US data).** Of {selection_words(r)}, the United States
            relied on net imports for {tw} of its consumption of {c['n_meets_threshold']} in
            {year}{unplaced}; China was the first-ranked
            import source for {c['n_china_top']}. Net import reliance of the materials NATO named
            for stockpiling: {join_words(stockpiling)} (USGS, {r.publication}).""",
    }
    return {key: paragraph(value) for key, value in text.items()}


def _sources(r) -> str:
    """Table 5 for the minerals Fig. 2 lacks, and Table 5 against Fig. 2 for the others."""
    parts = []
    absent = r.table.filter(pl.col("nir_bound") == NOT_LISTED)["mineral"].implode()
    for x in r.salient.filter(pl.col("mineral").is_in(absent)).iter_rows(named=True):
        nir = T5_FLAG_WORDS.get(x.get("flag_net_import_reliance"),
                                f"{x.get('value_text_net_import_reliance')} %")
        sizes = f""", with U.S. primary production of {x['value_text_primary_production']} and
            apparent consumption of {x['value_text_apparent_consumption']} (the file states no
            unit; USGS data sheets use metric tons)""" if None not in (
            x.get("value_primary_production"), x.get("value_apparent_consumption")) else ""
        parts.append(f"""{reader_name(x['mineral']).capitalize()} is not in Fig. 2; USGS Table 5
            names {x['top_import_source']} as its leading import source and prints its net import
            reliance as {nir}{sizes}.""")
    lead = r.leading
    if lead.height:
        agree = int(lead["agrees"].sum())
        pairs = [f"{reader_name(m)} (Table 5: {t5}; Fig. 2: {f2})" for m, t5, f2 in lead.filter(
            ~pl.col("agrees")).sort("mineral").select("mineral", "top_import_source",
                                                      "top_source").rows()]
        differ = (f"""; they differ for {join_words(pairs)}, where the two tables measure
            different forms of the material (see how it is matched above).""" if pairs else ".")
        how_many = f"all {lead.height}" if agree == lead.height else f"{agree} of the {lead.height}"
        parts.append(f"""USGS Table 5 names the same leading import source as the first rank in
            Fig. 2 for {how_many} selected minerals in both{differ}""")
    return " ".join(parts)


def _finding(r) -> str:
    c, table, (y0, y1) = r.counts, r.table, r.period
    unknown = _names(table, pl.col("meets_threshold").is_null())
    allies = _names(table, pl.col("top_source_is_ally"), with_source=True)
    cannot = f" For {_count_names(unknown)} the published figures cannot say." if unknown else ""
    ally_top = (f""" For {_count_names(allies)} the first-ranked source was itself a NATO Ally
        at the end of {y1}.""" if allies else "")
    return f"""Of the {plural(c['n_minerals'], 'mineral')} selected, {'all' if c['n_in_fig2'] ==
        c['n_minerals'] else c['n_in_fig2']} appear in the USGS figure of U.S. net import reliance
        for {r.data_year}. For {_count_names(_names(table, pl.col('meets_threshold')), bold=True)}
        the United States relied on net imports for {threshold_words(r.params.min_reliance_pct)}
        of what it consumed.{cannot} China was the first-ranked U.S. import source in {y0}–{y1} for
        {_count_names(_names(table, pl.col('china_is_top')), bold=True)} and one of the listed
        major sources for {c['n_china_among_major']}.{ally_top}"""


# ---------------------------------------------------------------- tables
def tables(r) -> dict[str, Table]:
    t, ed, year, (y0, y1) = r.params.min_reliance_pct, f"USGS, {r.publication}", r.data_year, \
        r.period
    meets, listed = pl.col("meets_threshold"), pl.col("nir_bound") != NOT_LISTED
    return {
        "matched": table("05_minerals_matched", r.matched.with_columns(
            worded(usgs_row_words, "usgs_commodity").fill_null("none (not in Fig. 2)")
            .alias("usgs_row"),
            # the curated notes' shorthand in words, each value with its unit
            pl.col("match_note").str.replace_all(r"\bNIR (\d+)", "net import reliance ${1} %")
            .str.replace_all(r"\(([<>]\d+)\)", "(${1} %)")
            .str.replace_all(r"\bNIR\b", "net import reliance")),
            f"""The {plural(r.matched.height, 'mineral')} selected and the USGS rows that measure
            them ({ed}; defence uses as cited in the project's curated table; – : none recorded)""",
            {"mineral": "Mineral", "usgs_row": "USGS row (Fig. 2)", "defence_use":
             "Defence use (cited)", "primary_applications": "Main uses (USGS Table 4)",
             "match_note": "How it is matched"}),
        "reliance": table("05_us_reliance", r.table.with_columns(
            pl.col("nir_bound").replace_strict(BOUND_WORDS, default="other").alias("printed"),
            pl.when(meets.is_null() & ~listed).then(pl.lit("no figure"))
            .when(meets.is_null()).then(pl.lit("cannot tell"))
            .when(meets).then(pl.lit("yes")).otherwise(pl.lit("no")).alias("meets")),
            f"""U.S. net import reliance in {year}, % of apparent consumption ({ed}, Fig. 2),
            against the threshold of {t:g} %""",
            {"mineral": "Mineral", "nir_display": f"Net import reliance {year}, %",
             "printed": "USGS prints", "meets": f"At least {t:g} %"}),
        "sources": table("05_import_sources", r.table.sort("mineral").with_columns(
            pl.col("top_source").fill_null("–"),
            worded(china_rank_words, "china_rank", "china_includes_hong_kong", "nir_bound")
            .alias("china_rank"),
            yes_no("top_source_is_ally", "–").alias("ally")),
            f"""U.S. import sources {y0}–{y1} as ranked by USGS, in descending order of import
            share; USGS publishes no shares ({ed}, Fig. 2; Allies as at the end of {y1})""",
            {"mineral": "Mineral", "top_source": f"First-ranked source {y0}–{y1}",
             "n_major_sources": "Major sources listed", "china_rank": "China's rank",
             "ally": "First source a NATO Ally"}),
        "major_sources": table("05_major_import_sources", r.major_sources.filter(
            pl.col("rank") <= TOP_SOURCES).with_columns(yes_no("is_ally").alias("ally")),
            f"""Countries most often listed as a major U.S. import source, {y0}–{y1}, for the
            {r.usgs_counts['n_more_than']} commodities with net import reliance above half ({ed},
            Fig. 3; countries ranked {TOP_SOURCES} or higher, ties share a rank; Allies as at the
            end of {y1})""",
            {"rank": "Rank", "country": "Country",
             "commodity_count": "Commodities it is a major source for", "ally": "NATO Ally"}),
    }


# ---------------------------------------------------------------- headlines
def headlines(r) -> list[Headline]:
    c, b, u, sel, year = r.counts, r.backdrop, r.usgs_counts, r.params.minerals, r.data_year
    t, (y0, y1) = float(r.params.min_reliance_pct), r.period
    at_t = {"threshold_pct": t}

    def count(key: str, label: str, n: dict, column: str, out_of: str, unit: str = "minerals",
              **fields) -> Headline:
        return count_of(f"minerals.{key}", label, n[column], n[out_of], unit, **fields)

    def chosen(key: str, label: str, column: str | None = None, note: str = "", **fields):
        return count(key, label, c, column or key, "n_minerals", note=note, selection=sel,
                     **fields)

    return [headline(
        "minerals.nir",
        f"U.S. net import reliance: {measured_name(s['mineral'], s['usgs_commodity'])}",
        s["net_import_reliance_pct"], f"% of U.S. apparent consumption, {year}", decimals=0,
        display=s["nir_display"], mineral=s["mineral"], year=year,
        note={"gt": "lower bound", "lt": "upper bound", "eq": "published value"}.get(
            s["nir_bound"], BOUND_WORDS.get(s["nir_bound"], s["nir_bound"]))
        + (f"; first-ranked import source {s['top_source']}" if s["top_source"] else ""))
        for s in r.stockpiling.iter_rows(named=True)] + [
        headline("minerals.n_selected", "Minerals selected", c["n_minerals"], "minerals",
                 decimals=0, selection=sel),
        chosen("n_in_usgs_figure", "Selected minerals with a row in USGS Fig. 2", "n_in_fig2"),
        chosen("n_meets_threshold", f"Net import reliance at least {t:g} %",
               note=f"bounds such as '>{t:g}' count; {c['n_threshold_unknown']} cannot be "
                    "placed", **at_t),
        chosen("n_threshold_unknown", f"Cannot be placed against {t:g} %", **at_t),
        chosen("n_china_top", "China the first-ranked import source",
               note=f"rank {y0}–{y1}, not a share"),
        chosen("n_china_among_major", "China among the listed major sources"),
        chosen("n_meets_threshold_china_top",
               f"Net import reliance at least {t:g} % and China first-ranked", **at_t),
        chosen("n_ally_top", f"First-ranked source a NATO Ally (end of {y1})",
               ally_as_of=ALLY_AS_OF.isoformat()),
        count("all_n_meets_threshold", "All USGS Fig. 2 commodities with net import reliance at "
              f"least {t:g} %", b, "n_meets_threshold", "n_minerals", "commodities", **at_t),
        count("all_n_china_top", "All USGS Fig. 2 commodities with China the first-ranked source",
              b, "n_china_top", "n_minerals", "commodities"),
        count("usgs_more_than_half", "USGS Fig. 2 commodities with net import reliance above "
              "half", u, "n_more_than", "n_commodities", "commodities",
              threshold_pct=float(CLAIM_THRESHOLD_PCT)),
        count("usgs_fully_reliant", "USGS Fig. 2 commodities 100 % net import reliant", u,
              "n_fully_reliant", "n_commodities", "commodities"),
        *(count_of("minerals.top_major_source", f"{m['country']}: major import source for "
                   "commodities above half (USGS Fig. 3)", m["commodity_count"],
                   u["n_more_than"], "commodities", country=m["country"])
          for m in r.major_sources.filter(pl.col("rank") == 1).iter_rows(named=True))]
