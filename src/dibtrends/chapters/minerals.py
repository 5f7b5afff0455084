"""Chapter 5: how far does the United States rely on imports for NATO's defence-critical raw
materials, and is China the first-ranked source?

NATO lists twelve defence-critical raw materials (11 December 2024) and named lithium, titanium
and rare earths for a joint stockpiling project (June 2025), but publishes no import figures.
The only official, machine-readable reliance figures for an Ally are the United States' in the
USGS Mineral Commodity Summaries 2024 (data for 2023). This module computes everything the
chapter says from them: each selected mineral's net import reliance with USGS's bounds kept,
where China ranks among the import sources, the counts against the chosen threshold, and the
verdict on USGS's own headline count of U.S. import dependence (the one published claim these
data can check). The notebook ``05_critical_minerals`` calls :func:`run` and shows the result.

The claim's wording is USGS's as quoted by the National Mining Association (press release on
MCS 2024, https://stage.nma.org/?p=41458); the American Resources Policy Network reports the
same two counts (https://theeconomicstandard.com/groundhog-day-all-over-again-in-spite-of-rising-
pressures-usgs-releases-annual-mineral-commodity-summaries-report/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from .. import data, minerals, sources
from . import record
from ..errors import ParameterError
from ..params import Parameters, check_choice, check_number, param
from ..results import (CONDITIONAL, NOT_SUPPORTED, REPRODUCED, ChapterRecord, Claim, Headline,
                       Table, headline)
from ..prose import join_words

NOTEBOOK = "05_critical_minerals"
TITLE = "Critical minerals: U.S. import reliance for NATO's defence-critical raw materials"
READS = ("defence_critical_minerals", "usgs_net_import_reliance", "usgs_import_sources",
         "usgs_import_source_counts", "usgs_critical_minerals_end_use",
         "usgs_critical_minerals_salient", "nato_membership")
SOURCES = (sources.USGS_FIG2, sources.USGS_FIG3, sources.USGS_T4, sources.USGS_T5)
SECTION = "sec-minerals-claim"

#: The published claim, in USGS's words. Its check always uses USGS's own threshold ("more than
#: one-half") over every commodity of Fig. 2, whatever minerals and threshold the analyst picks.
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
               "lt": "an upper bound (less than)", minerals.NOT_LISTED: "nothing (not in Fig. 2)",
               "exporter": "net exporter", "withheld": "withheld", "not_available": "not available",
               "not_applicable": "not applicable"}
T5_FLAG_WORDS = {"withheld": "withheld", "not_available": "not available"}
#: Rows of the major-sources table: the countries ranked this high or higher (ties kept).
TOP_SOURCES = 10


@dataclass(frozen=True)
class Params(Parameters):
    minerals: str = param(
        "nato_defence_critical", "minerals from",
        "'nato_defence_critical' (NATO's list of defence-critical raw materials) or "
        "'brief_three' (lithium, titanium and rare earths)",
        examples=("brief_three",), invalid=("all_minerals",),
        value_words={"nato_defence_critical": "NATO's list of defence-critical raw materials",
                     "brief_three": "NATO's stockpiling project (lithium, titanium, rare earths)"})
    min_reliance_pct: float = param(
        50, "import-reliance threshold, % of U.S. apparent consumption",
        "a number from 1 to 100", examples=(25, 100), invalid=(0, 101))

    def check(self) -> None:
        check_choice("minerals", self.minerals, list(minerals.SELECTIONS))
        check_number("min_reliance_pct", self.min_reliance_pct, 1, 100)

    def check_data(self, processed_dir=None) -> None:
        curated = data.table("defence_critical_minerals", processed_dir)
        if minerals.defence_minerals(curated, self.minerals).is_empty():
            usable = [k for k in minerals.SELECTIONS
                      if not minerals.defence_minerals(curated, k).is_empty()]
            raise ParameterError(
                f"parameter minerals={self.minerals!r} selects no row of the curated table "
                "data/curated/defence_critical_minerals.csv; allowed values that select rows: "
                f"{', '.join(usable)}.")


@dataclass(frozen=True)
class Result:
    params: Params
    publication: str  # "Mineral Commodity Summaries 2024"
    data_year: int
    period: tuple[int, int]  # years of USGS's import-source ranking
    matched: pl.DataFrame  # the selected minerals with USGS Table 4 uses
    table: pl.DataFrame  # one row per selected mineral (minerals.mineral_table + flags)
    counts: dict  # minerals.summary_counts of the selection at the threshold
    backdrop: dict  # the same over every Fig. 2 commodity
    usgs_counts: dict  # USGS's own counting (the claim), fixed threshold
    major_sources: pl.DataFrame  # USGS Fig. 3 ranked, with Ally flag
    fig3_disagreements: int  # countries where Fig. 3 and a recount from Fig. 2 differ
    salient: pl.DataFrame  # USGS Table 5 per selected mineral
    leading: pl.DataFrame  # Fig. 2 first source against Table 5 leading source
    stockpiling: pl.DataFrame  # NIR of the minerals NATO named for stockpiling
    claim: Claim
    text: dict[str, str] = field(default_factory=dict)

    # -- words shared by tables, chart and sentences
    @property
    def selection_words(self) -> str:
        names = [reader_name(m) for m in self.table.sort("mineral")["mineral"]]
        return SELECTION_WORDS[self.params.minerals].format(n=len(names),
                                                            names=join_words(names))

    @property
    def chart_title(self) -> str:
        return f"U.S. net import reliance, {self.data_year}"

    @property
    def chart_subtitle(self) -> list[str]:
        c, t = self.counts, self.params.min_reliance_pct
        first = self.selection_words
        return [f"{first[0].upper()}{first[1:]}, as matched to USGS rows.",
                f"{c['n_meets_threshold']} of {c['n_minerals']} at or above {t:g} %; China the "
                f"first-ranked import source for {c['n_china_top']}."]

    @property
    def tables(self) -> dict[str, Table]:
        t = self.params.min_reliance_pct
        ed = f"USGS, {self.publication}"
        matched = self.matched.select(
            "mineral",
            pl.col("usgs_commodity").map_elements(usgs_row_words, return_dtype=pl.String)
            .fill_null("none (not in Fig. 2)").alias("usgs_row"),
            "defence_use", "primary_applications",
            pl.col("match_note").str.replace_all(r"\bNIR\b", "net import reliance"))
        reliance = self.table.select(
            "mineral", "nir_display",
            pl.col("nir_bound").replace_strict(BOUND_WORDS, default="other").alias("printed"),
            pl.when(pl.col("meets_threshold").is_null() & (pl.col("nir_bound") ==
                                                            minerals.NOT_LISTED))
            .then(pl.lit("no figure"))
            .when(pl.col("meets_threshold").is_null()).then(pl.lit("cannot tell"))
            .when(pl.col("meets_threshold")).then(pl.lit("yes")).otherwise(pl.lit("no"))
            .alias("meets"))
        ranked = self.table.sort("mineral").select(
            "mineral",
            pl.col("top_source").fill_null("–"),
            "n_major_sources",
            pl.struct("china_rank", "china_includes_hong_kong", "nir_bound")
            .map_elements(china_rank_words, return_dtype=pl.String).alias("china_rank"),
            pl.when(pl.col("top_source_is_ally").is_null()).then(pl.lit("–"))
            .when(pl.col("top_source_is_ally")).then(pl.lit("yes")).otherwise(pl.lit("no"))
            .alias("ally"))
        top = self.major_sources.filter(pl.col("rank") <= TOP_SOURCES).select(
            "rank", "country", "commodity_count",
            pl.when(pl.col("is_ally")).then(pl.lit("yes")).otherwise(pl.lit("no"))
            .alias("ally"))
        y0, y1 = self.period
        n_above = self.usgs_counts["n_more_than"]
        return {
            "matched": Table(
                "05_minerals_matched", matched,
                f"The {plural_minerals(matched.height)} selected and the USGS rows that measure "
                f"them ({ed}; defence uses as cited in the project's curated table; – : none "
                "recorded)",
                labels={"mineral": "Mineral", "usgs_row": "USGS row (Fig. 2)",
                        "defence_use": "Defence use (cited)",
                        "primary_applications": "Main uses (USGS Table 4)",
                        "match_note": "How it is matched"}),
            "reliance": Table(
                "05_us_reliance", reliance,
                f"U.S. net import reliance in {self.data_year}, % of apparent consumption "
                f"({ed}, Fig. 2), against the threshold of {t:g} %",
                labels={"mineral": "Mineral",
                        "nir_display": f"Net import reliance {self.data_year}, %",
                        "printed": "USGS prints", "meets": f"At least {t:g} %"}),
            "sources": Table(
                "05_import_sources", ranked,
                f"U.S. import sources {y0}–{y1} as ranked by USGS, in descending order of import "
                f"share; USGS publishes no shares ({ed}, Fig. 2; Allies as at the end of {y1})",
                labels={"mineral": "Mineral", "top_source": f"First-ranked source {y0}–{y1}",
                        "n_major_sources": "Major sources listed", "china_rank": "China's rank",
                        "ally": "First source a NATO Ally"}),
            "major_sources": Table(
                "05_major_import_sources", top,
                f"Countries most often listed as a major U.S. import source, {y0}–{y1}, for the "
                f"{n_above} commodities with net import reliance above half ({ed}, Fig. 3; "
                f"countries ranked {TOP_SOURCES} or higher, ties share a rank; Allies as at the "
                f"end of {y1})",
                labels={"rank": "Rank", "country": "Country",
                        "commodity_count": "Commodities it is a major source for",
                        "ally": "NATO Ally"}),
        }

    # -- what the summary reads
    def record(self) -> ChapterRecord:
        return record(NOTEBOOK, self, claims=(self.claim,))

    def headlines(self) -> list[Headline]:
        p, c, b, u = self.params, self.counts, self.backdrop, self.usgs_counts
        sel, t = p.minerals, float(p.min_reliance_pct)
        n, year = c["n_minerals"], self.data_year
        rows = []
        for r in self.stockpiling.iter_rows(named=True):
            kind = {"gt": "lower bound", "lt": "upper bound", "eq": "published value"}.get(
                r["nir_bound"], BOUND_WORDS.get(r["nir_bound"], r["nir_bound"]))
            first = f"; first-ranked import source {r['top_source']}" if r["top_source"] else ""
            rows.append(headline(
                "minerals.nir",
                f"U.S. net import reliance: {measured_name(r['mineral'], r['usgs_commodity'])}",
                r["net_import_reliance_pct"], f"% of U.S. apparent consumption, {year}",
                decimals=0, display=r["nir_display"], note=f"{kind}{first}",
                mineral=r["mineral"], year=year))

        def of(k: int, total: int = n) -> str:
            return f"{k} of {total}"

        rows += [
            headline("minerals.n_selected", "Minerals selected", n, "minerals", decimals=0,
                     selection=sel),
            headline("minerals.n_in_usgs_figure", "Selected minerals with a row in USGS Fig. 2",
                     c["n_in_fig2"], "minerals", decimals=0, display=of(c["n_in_fig2"]),
                     selection=sel),
            headline("minerals.n_meets_threshold", f"Net import reliance at least {t:g} %",
                     c["n_meets_threshold"], "minerals", decimals=0,
                     display=of(c["n_meets_threshold"]),
                     note=f"bounds such as '>{t:g}' count; {c['n_threshold_unknown']} cannot be "
                          "placed", selection=sel, threshold_pct=t),
            headline("minerals.n_threshold_unknown", f"Cannot be placed against {t:g} %",
                     c["n_threshold_unknown"], "minerals", decimals=0,
                     display=of(c["n_threshold_unknown"]), selection=sel, threshold_pct=t),
            headline("minerals.n_china_top", "China the first-ranked import source",
                     c["n_china_top"], "minerals", decimals=0, display=of(c["n_china_top"]),
                     note=f"rank {self.period[0]}–{self.period[1]}, not a share", selection=sel),
            headline("minerals.n_china_among_major", "China among the listed major sources",
                     c["n_china_among_major"], "minerals", decimals=0,
                     display=of(c["n_china_among_major"]), selection=sel),
            headline("minerals.n_meets_threshold_china_top",
                     f"Net import reliance at least {t:g} % and China first-ranked",
                     c["n_meets_threshold_china_top"], "minerals", decimals=0,
                     display=of(c["n_meets_threshold_china_top"]), selection=sel,
                     threshold_pct=t),
            headline("minerals.n_ally_top",
                     f"First-ranked source a NATO Ally (end of {self.period[1]})",
                     c["n_ally_top"], "minerals", decimals=0, display=of(c["n_ally_top"]),
                     selection=sel, ally_as_of=minerals.ALLY_AS_OF.isoformat()),
            headline("minerals.all_n_meets_threshold",
                     f"All USGS Fig. 2 commodities with net import reliance at least {t:g} %",
                     b["n_meets_threshold"], "commodities", decimals=0,
                     display=of(b["n_meets_threshold"], b["n_minerals"]), threshold_pct=t),
            headline("minerals.all_n_china_top",
                     "All USGS Fig. 2 commodities with China the first-ranked source",
                     b["n_china_top"], "commodities", decimals=0,
                     display=of(b["n_china_top"], b["n_minerals"])),
            headline("minerals.usgs_more_than_half",
                     "USGS Fig. 2 commodities with net import reliance above half",
                     u["n_more_than"], "commodities", decimals=0,
                     display=of(u["n_more_than"], u["n_commodities"]),
                     threshold_pct=float(CLAIM_THRESHOLD_PCT)),
            headline("minerals.usgs_fully_reliant",
                     "USGS Fig. 2 commodities 100 % net import reliant",
                     u["n_fully_reliant"], "commodities", decimals=0,
                     display=of(u["n_fully_reliant"], u["n_commodities"])),
        ]
        for r in self.major_sources.filter(pl.col("rank") == 1).iter_rows(named=True):
            rows.append(headline(
                "minerals.top_major_source",
                f"{r['country']}: major import source for commodities above half (USGS Fig. 3)",
                r["commodity_count"], "commodities", decimals=0,
                display=of(r["commodity_count"], u["n_more_than"]), country=r["country"]))
        return rows


# ---------------------------------------------------------------- words
def reader_name(mineral: str) -> str:
    """A curated mineral name as it reads inside a sentence ('rare earths', 'lithium')."""
    return "rare earths" if mineral == "Rare earth elements" else mineral.lower()


def usgs_row_words(usgs_commodity: str | None) -> str | None:
    """A USGS Fig. 2 row name in sentence case ('Titanium, sponge metal')."""
    if usgs_commodity is None:
        return None
    return usgs_commodity[:1].upper() + usgs_commodity[1:].lower()


def measured_name(mineral: str, usgs_commodity: str | None) -> str:
    """The mineral named with what USGS measures: 'titanium (sponge metal)'."""
    name = reader_name(mineral)
    if not usgs_commodity:
        return name
    low = usgs_commodity.lower()
    if ", " in low:
        return f"{name} ({low.split(', ', 1)[1]})"
    found = re.search(r"\(([^)]+)\)", low)
    return f"{name} ({found.group(1)})" if found else name


def threshold_words(threshold_pct: float) -> str:
    """'at least half', 'all', 'at least 75 %'."""
    if threshold_pct == 50:
        return "at least half"
    if threshold_pct == 100:
        return "all"
    return f"at least {threshold_pct:g} %"


def plural_minerals(n: int) -> str:
    return f"{n} mineral{'' if n == 1 else 's'}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def china_rank_words(row: dict) -> str:
    if row["nir_bound"] == minerals.NOT_LISTED:
        return "no ranking"
    if row["china_rank"] is None:
        return "not listed"
    hk = " (with Hong Kong)" if row["china_includes_hong_kong"] else ""
    return f"{ordinal(row['china_rank'])}{hk}"


def _names(table: pl.DataFrame, condition: pl.Expr, with_source: bool = False) -> list[str]:
    rows = table.filter(condition.fill_null(False)).sort("mineral")
    if with_source:
        return [f"{reader_name(r['mineral'])} from {r['top_source']}"
                for r in rows.iter_rows(named=True)]
    return [reader_name(m) for m in rows["mineral"]]


def _count_names(names: list[str], bold: bool = False) -> str:
    """'**3** (graphite, rare earths and tungsten)', or 'none'."""
    if not names:
        return "none"
    k = f"**{len(names)}**" if bold else str(len(names))
    return f"{k} ({join_words(names)})"


# ---------------------------------------------------------------- the claim
def claim_verdict(u: dict, undecided_rows: pl.DataFrame) -> Claim:
    """USGS's count of U.S. import dependence, recounted from its own Fig. 2.

    ``undecided_rows`` (``minerals.usgs_undecided``) lists the commodities whose printed bound
    cannot be placed against one-half."""
    more, undecided, full = u["n_more_than"], u["n_undecided"], u["n_fully_reliant"]
    finding = (f"USGS Fig. 2 gives a net import reliance above half for {more} of its "
               f"{u['n_commodities']} commodities ({u['n_more_than_printed']} printed as a "
               f"number, {u['n_more_than_bound']} only as a bound such as '>50') and 100 % for "
               f"{full}")
    full_ok = full == CLAIM_FULLY_RELIANT
    if more == CLAIM_MORE_THAN_HALF and full_ok:
        verdict = REPRODUCED
        condition = ("Both counts follow from the published figure when a value printed as "
                     "'>50' counts as more than half and a printed 50 or '<50' does not")
        shown = [f"{c.lower()} '{t}'" for c, t in zip(undecided_rows["commodity"],
                                                                undecided_rows["nir_text"],
                                                                strict=True)]
        condition += (f"; the figure alone cannot place {join_words(shown)} (USGS, which knows "
                      "the unpublished values, does not count them)." if shown else
                      "; every printed bound can be placed against one-half.")
    elif more <= CLAIM_MORE_THAN_HALF <= more + undecided and full_ok:
        verdict = CONDITIONAL
        condition = (f"Holds only if {CLAIM_MORE_THAN_HALF - more} of the {undecided} "
                     "commodities printed only as bounds are above half, which the figure "
                     "cannot show.")
    else:
        verdict = NOT_SUPPORTED
        condition = (f"The figure gives {more} above half (and {undecided} undecided by their "
                     f"bounds) and {full} at 100 %, against the claim's {CLAIM_MORE_THAN_HALF} "
                     f"and {CLAIM_FULLY_RELIANT}.")
    return Claim(id="minerals_us_import_dependence", claim=CLAIM_TEXT, source=CLAIM_SOURCE,
                 finding=finding, verdict=verdict, condition=condition, chapter=NOTEBOOK,
                 section=SECTION)


# ---------------------------------------------------------------- run
def run(params: Params | None = None, processed_dir=None) -> Result:
    """Compute chapter 5 from the processed USGS tables and the curated NATO list."""
    p = params or Params()
    p.check_data(processed_dir)
    curated = data.table("defence_critical_minerals", processed_dir)
    nir = data.table("usgs_net_import_reliance", processed_dir)
    import_sources = data.table("usgs_import_sources", processed_dir)
    membership = data.table("nato_membership", processed_dir)
    fig3 = data.table("usgs_import_source_counts", processed_dir)
    end_use = data.table("usgs_critical_minerals_end_use", processed_dir)
    t5 = data.table("usgs_critical_minerals_salient", processed_dir)

    chosen = minerals.defence_minerals(curated, p.minerals)
    china = minerals.first_source_is_ally(minerals.china_share(import_sources, chosen),
                                          membership)
    table = minerals.meets_threshold(
        minerals.mineral_table(minerals.us_reliance(nir, chosen), china), p.min_reliance_pct)
    stock = minerals.stockpiling_minerals(curated)
    stockpiling = minerals.mineral_table(minerals.us_reliance(nir, stock),
                                         minerals.china_share(import_sources, stock)
                                         ).sort("mineral")
    salient_rows = minerals.salient(chosen, t5)
    years = nir["year"].drop_nulls().unique().to_list()
    period = (import_sources["period_start"].min(), import_sources["period_end"].max())
    u = minerals.usgs_reliance_counts(nir, CLAIM_THRESHOLD_PCT).row(0, named=True)
    result = Result(
        params=p,
        publication=sources.get(sources.USGS_FIG2).title.split(" data release")[0],
        data_year=max(years), period=period,
        matched=minerals.end_uses(chosen, end_use).sort("mineral"),
        table=table,
        counts=minerals.summary_counts(table).row(0, named=True),
        backdrop=minerals.all_commodities_summary(nir, import_sources, p.min_reliance_pct)
        .row(0, named=True),
        usgs_counts=u,
        major_sources=minerals.major_source_counts(fig3, membership),
        fig3_disagreements=minerals.major_source_check(fig3, nir, import_sources).height,
        salient=salient_rows,
        leading=minerals.leading_source_check(table, salient_rows),
        stockpiling=stockpiling,
        claim=claim_verdict(u, minerals.usgs_undecided(nir, CLAIM_THRESHOLD_PCT)))
    return Result(**{**result.__dict__, "text": sentences(result)})


# ---------------------------------------------------------------- sentences
def sentences(r: Result) -> dict[str, str]:
    """The chapter's number-bearing prose, and its line for the summary."""
    p, c, b, u = r.params, r.counts, r.backdrop, r.usgs_counts
    t, tw, year = p.min_reliance_pct, threshold_words(p.min_reliance_pct), r.data_year
    y0, y1 = r.period
    table = r.table
    meets, unknown = pl.col("meets_threshold"), pl.col("meets_threshold").is_null()
    not_listed = _names(table, pl.col("nir_bound") == minerals.NOT_LISTED)
    bound_rows = table.filter(unknown & (pl.col("nir_bound") != minerals.NOT_LISTED))

    # -- matching
    n_in = c["n_in_fig2"]
    have = ("all have" if n_in == c["n_minerals"] else
            f"{n_in} {'has' if n_in == 1 else 'have'}")
    matching = (f"Of {r.selection_words}, {have}"
                + f" a row in the USGS figure of U.S. net import reliance for {year}")
    matching += (f"; {join_words(not_listed)} {'does' if len(not_listed) == 1 else 'do'} not."
                 if not_listed else ".")

    # -- bounds against the threshold
    if bound_rows.height:
        shown = [f"{reader_name(m)} (printed '{d}')"
                 for m, d in zip(bound_rows["mineral"], bound_rows["nir_display"],
                                 strict=True)]
        bounds = (f"Against the threshold of {t:g} %, {join_words(shown)} cannot be placed: "
                  "USGS prints only a bound, and the true value may lie on either side of the "
                  "threshold.")
    else:
        bounds = (f"Every selected mineral with a value in the figure can be placed against the "
                  f"threshold of {t:g} %.")
    if not_listed:
        bounds += f" {join_words(not_listed).capitalize()} has no value in the figure at all."

    # -- import sources: Fig. 2 ranks, Table 5 for minerals Fig. 2 lacks, and a cross-check
    source_parts = []
    for row in r.salient.filter(pl.col("mineral").is_in(
            table.filter(pl.col("nir_bound") == minerals.NOT_LISTED)["mineral"].implode())
    ).iter_rows(named=True):
        nir_t5 = T5_FLAG_WORDS.get(row.get("flag_net_import_reliance"),
                                   f"{row.get('value_text_net_import_reliance')} %")
        text = (f"{reader_name(row['mineral']).capitalize()} is not in Fig. 2; USGS Table 5 names "
                f"{row['top_import_source']} as its leading import source and prints its net "
                f"import reliance as {nir_t5}")
        prod, cons = row.get("value_primary_production"), row.get("value_apparent_consumption")
        if prod is not None and cons is not None:
            text += (f", with U.S. primary production of {row['value_text_primary_production']} "
                     f"and apparent consumption of {row['value_text_apparent_consumption']} "
                     "(the file states no unit; USGS data sheets use metric tons)")
        source_parts.append(text + ".")
    lead = r.leading
    if lead.height:
        differ = lead.filter(~pl.col("agrees")).sort("mineral")
        agree = int(lead["agrees"].sum())
        text = ("USGS Table 5 names the same leading import source as Fig. 2's first rank for "
                + (f"all {lead.height}" if agree == lead.height else
                   f"{agree} of the {lead.height}")
                + " selected minerals in both")
        if differ.height:
            pairs = [f"{reader_name(d['mineral'])} (Table 5: {d['top_import_source']}; Fig. 2: "
                     f"{d['top_source']})" for d in differ.iter_rows(named=True)]
            text += (f"; they differ for {join_words(pairs)}, where the two tables measure "
                     "different forms of the material (see how it is matched above).")
        else:
            text += "."
        source_parts.append(text)
    sources_text = " ".join(source_parts)

    # -- USGS Fig. 3: which countries are major sources most often
    ranked = r.major_sources
    top3 = ranked.head(3)
    named = [f"{row['country']}{' (an Ally)' if row['is_ally'] else ''} for "
             f"{row['commodity_count']}" for row in top3.iter_rows(named=True)]
    major = (f"Across the {u['n_more_than']} commodities for which U.S. net import reliance was "
             f"above half, USGS counts how often each country was a major import source in "
             f"{y0}–{y1}: {join_words(named)}.")
    major += (" These counts agree with the source lists of Fig. 2 for every country."
              if r.fig3_disagreements == 0 else
              f" For {r.fig3_disagreements} countries they differ from a recount of Fig. 2's "
              "source lists.")

    # -- backdrop: the selection against every commodity in the figure
    share_all = 100 * b["n_meets_threshold"] / b["n_minerals"]
    share_sel = 100 * c["n_meets_threshold"] / c["n_minerals"]
    backdrop = (f"For comparison, across all {b['n_minerals']} commodities in the USGS figure "
                f"the United States relied on net imports for {tw} of its consumption of "
                f"{b['n_meets_threshold']} ({share_all:.0f} %, against {share_sel:.0f} % of "
                f"the selected minerals), and China was the first-ranked import source for "
                f"{b['n_china_top']}.")

    # -- what the data say
    parts = [
        f"Of the {plural_minerals(c['n_minerals'])} selected, "
        f"{'all' if n_in == c['n_minerals'] else n_in} appear in the USGS figure of U.S. net "
        f"import reliance for {year}. For "
        f"{_count_names(_names(table, meets), bold=True)} the United States relied on net "
        f"imports for {tw} of what it consumed.",
    ]
    unknown_names = _names(table, unknown)
    if unknown_names:
        parts.append(f"For {_count_names(unknown_names)} the published figures cannot say.")
    china_top = _names(table, pl.col("china_is_top"))
    parts.append(
        f"China was the first-ranked U.S. import source in {y0}–{y1} for "
        f"{_count_names(china_top, bold=True)} and one of the listed major sources for "
        f"{c['n_china_among_major']}.")
    ally_top = _names(table, pl.col("top_source_is_ally"), with_source=True)
    if ally_top:
        parts.append(f"For {_count_names(ally_top)} the first-ranked source was itself a NATO "
                     f"Ally at the end of {y1}.")
    finding = " ".join(parts)

    # -- the summary bullet
    unknown_clause = (f" ({c['n_threshold_unknown']} cannot be placed against {t:g} % from the "
                      "published figures)" if c["n_threshold_unknown"] else "")
    nir = [f"{measured_name(s['mineral'], s['usgs_commodity'])} {s['nir_display']}"
           f"{' %' if s['nir_bound'] in ('eq', 'gt', 'lt') else ''}"
           for s in r.stockpiling.iter_rows(named=True)]
    summary = (
        f"**Critical minerals (US data).** Of {r.selection_words}, the United States relied on "
        f"net imports for {tw} of its consumption of {c['n_meets_threshold']} in {year}"
        f"{unknown_clause}; China was the first-ranked import source for {c['n_china_top']}. "
        f"Net import reliance of the materials NATO named for stockpiling: {join_words(nir)} "
        f"(USGS, {r.publication}).")
    return {"matching": matching, "bounds": bounds, "sources": sources_text,
            "major_sources": major, "backdrop": backdrop, "finding": finding,
            "summary": summary}
