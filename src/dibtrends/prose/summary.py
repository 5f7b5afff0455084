"""The executive summary's words: key facts, the claims with their conditions, the tables'
captions and columns, the ranked chart's title. ``r`` is a ``chapters.summary.Result``."""

from __future__ import annotations

import polars as pl

from .. import chapters, facts, sources
from ..params import describe
from ..results import ChapterRecord, Claim, Table
from . import fmt
from .profile import year_label


#: The link from a claim in the summary to the section that tests it, with the method.
METHOD_LINK = "How it was tested"


def chapter_link(record: ChapterRecord, claim: Claim, text: str | None = None) -> str:
    """A link to the section that tests the claim (the site's index sits beside executed/; the
    PDF build turns it into an internal link), named by the chapter's title or ``text``."""
    anchor = f"#{claim.section}" if claim.section else ""
    return f"[{text or record.title}](executed/{record.chapter}.ipynb{anchor})"


def claim_item(i: int, claim: Claim, record: ChapterRecord) -> str:
    """One claim as the summary lists it: the document's words, then the verdict and its
    condition in a sentence or two, and a link to the chapter that gives the method and the full
    condition (a chapter record without a short condition shows its full one)."""
    return (f"{i}. **\u201c{claim.claim}\u201d** ({claim.source})  \n"
            f"   *{claim.verdict}.* {claim.short or claim.condition} "
            f"{chapter_link(record, claim, METHOD_LINK)}.")


def describe_params(record: ChapterRecord) -> str:
    return describe(chapters.module(record.chapter).Params.specs(), record.params,
                    record.defaults)


def texts(records: dict[str, ChapterRecord], claims: tuple[Claim, ...]) -> dict[str, str]:
    """The chapters' summary lines, which parameters changed, and the claims as a numbered
    list (verdict and short condition; the chapters keep the method and the detail)."""
    changed = [rec.title for rec in records.values() if rec.changed_params()]
    return {
        "key_numbers": "\n".join(f"- {records[n].text['summary']}" for n in chapters.ANALYSES
                                 if n in records and records[n].text.get("summary")),
        "built_with": ("Every chapter was built with its default parameters." if not changed
                       else f"Built with parameters changed from the defaults in: "
                       f"{', '.join(changed)} (see the table of parameters below)."),
        "claims": "\n".join(claim_item(i, c, records[c.chapter])
                             for i, c in enumerate(claims, 1))}


def facts_sentence(key: pl.DataFrame, source_id: str) -> str:
    """The key facts as a fact sheet opens: NATO's figures, the edition, and the newer editions
    the report does not yet use."""
    total, europe = (key.filter(group=g).row(0, named=True) for g in facts.GROUPS.values())
    est = " (NATO estimates)" if total["estimate"] else ""
    edition, newer = sources.get(source_id), sources.newer_editions(source_id)

    def change(v: float) -> str:
        return f"{'+' if v >= 0 else '−'}{abs(v):.1f} %"

    return "\n".join([
        f"- **US$ {fmt(total['usd_bn_current'])} bn**: what NATO Allies spent on defence in "
        f"{total['year']}{est}, {total['share_gdp_pct']:.2f} % of their combined GDP "
        f"(US$ {fmt(total['usd_bn_const2015'])} bn at constant 2015 prices).",
        f"- **{change(total['real_change_1y_pct'])}** in real terms on {total['year'] - 1}, and "
        f"**{change(total['real_change_span_pct'])}** since {total['span_start_year']}.",
        f"- **US$ {fmt(europe['usd_bn_current'])} bn** spent by NATO Europe and Canada "
        f"({europe['share_gdp_pct']:.2f} % of GDP): {change(europe['real_change_1y_pct'])} on "
        f"{europe['year'] - 1}, {change(europe['real_change_span_pct'])} since "
        f"{europe['span_start_year']}.",
        f"\n*Data as of {edition.edition}: {edition.publisher}, {edition.title}."
        + (f" Newer editions exist and are not yet in this report: {'; '.join(newer)}."
           if newer else "") + "*"])


def _strings(rows: list[dict], *columns: str) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={c: pl.String for c in columns})


def tables(r) -> dict[str, Table]:
    recs = r.records.values()
    out = {}
    if r.facts is not None:
        out["facts"] = Table(
            "summary_key_facts",
            r.facts.select(
                "group", year_label().alias("year"),
                "usd_bn_current", "usd_bn_const2015", "share_gdp_pct", "real_change_1y_pct",
                pl.format("{}–{}", "span_start_year", pl.col("year")).alias("span"),
                "real_change_span_pct"),
            f"Key facts: defence expenditure of NATO Allies (NATO, "
            f"{sources.get(r.nato_source).edition}; e: NATO estimate; real change at constant "
            "2015 prices and exchange rates)",
            labels={"group": "", "year": "Year", "usd_bn_current": "US$ bn, current",
                    "usd_bn_const2015": "US$ bn, constant 2015", "share_gdp_pct": "% of GDP",
                    "real_change_1y_pct": "Real change on the year, %", "span": "Period",
                    "real_change_span_pct": "Real change over the period, %"},
            decimals={"share_gdp_pct": 2})  # the others: 1
    used = [(s, [rec.title for rec in recs if s.id in rec.sources]) for s in sources.SOURCES]
    return out | {
        # Listed on the page as text (result.text["claims"]); the table is its CSV download,
        # with the chapters' full conditions.
        "claims": Table("summary_claims", _strings(
            [{"claim": c.claim, "source": c.source, "verdict": c.verdict, "short": c.short,
              "finding": c.finding, "condition": c.condition,
              "where": chapter_link(r.records[c.chapter], c)} for c in r.claims],
            "claim", "source", "verdict", "short", "finding", "condition", "where"),
            "Published claims checked against public data",
            labels={"claim": "Claim", "source": "Source", "verdict": "Verdict",
                    "short": "Condition, in short", "finding": "What the data give",
                    "condition": "Condition", "where": "Chapter"}),
        "parameters": Table("summary_parameters", _strings(
            [{"chapter": rec.title, "built_with": describe_params(rec)} for rec in recs],
            "chapter", "built_with"),
            "The parameters each chapter of this report was built with",
            labels={"chapter": "Chapter", "built_with": "Parameters"}),
        "editions": Table("summary_editions", _strings(
            [{"source": f"{s.publisher.split(' (')[0]}: {s.title}", "edition": s.edition,
              "used_in": ", ".join(titles)} for s, titles in used if titles],
            "source", "edition", "used_in"),
            "Source editions the chapters read",
            labels={"source": "Source", "edition": "Edition", "used_in": "Used in"}),
    }


def ranked_words(ranked: pl.DataFrame, guideline_pct: float, target_pct: float,
                 target_year: int, missing: list[str]) -> dict[str, str]:
    """The ranked chart's title, subtitle, axis, bands and lines, and its source note."""
    year, estimate = int(ranked["year"][0]), bool(ranked["estimate"].any())
    n_guideline = ranked.filter(pl.col("share_gdp_pct") >= guideline_pct).height
    n_target = ranked.filter(pl.col("share_gdp_pct") >= target_pct).height
    return {
        "title": (f"{n_guideline} of {ranked.height} Allies spent at least {guideline_pct:g} % "
                  f"of GDP on defence in {year}; {n_target} at least {target_pct:g} %"),
        "subtitle": "Each Ally's defence expenditure as a share of GDP (NATO definition), ranked.",
        "caption": (f"The Allies ranked by defence expenditure as a share of GDP in {year}, on "
                    f"NATO's figures, against the {guideline_pct:g} % guideline and the "
                    f"{target_pct:g} % core-defence target: highest "
                    f"{ranked['share_gdp_pct'].max():.2f} %, lowest "
                    f"{ranked['share_gdp_pct'].min():.2f} %"),
        "axis": f"Defence expenditure, % of GDP, {year}"
                + (" (NATO estimates)" if estimate else ""),
        "at_target": f"at or above {target_pct:g} %",
        "at_guideline": f"{guideline_pct:g} % to {target_pct:g} %",
        "below": f"below {guideline_pct:g} %",
        "guideline_line": f"{guideline_pct:g} % guideline",
        "target_line": f"{target_pct:g} % core-defence target by {target_year}",
        "note": (f"No figure published for {', '.join(missing)}. " if missing else "")
                + (f"{year} figures are NATO estimates." if estimate else ""),
    }
