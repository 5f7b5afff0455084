"""The executive summary's words: key facts, the claims with their conditions, the tables'
captions and columns, the ranked chart's title. ``r`` is a ``chapters.summary.Result``."""

from __future__ import annotations

import polars as pl

from .. import chapters, facts, sources
from ..params import describe
from ..results import ChapterRecord, Claim, Table
from . import fmt, table
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


def _words(name: str, rows: list[tuple], caption: str, labels: dict[str, str]) -> Table:
    """A table of words, its rows in the order of its labels."""
    frame = pl.DataFrame(rows, schema=dict.fromkeys(labels, pl.String), orient="row")
    return table(name, frame, caption, labels)


def tables(r) -> dict[str, Table]:
    recs = r.records.values()
    out = {}
    if r.facts is not None:
        out["facts"] = table(
            "summary_key_facts", r.facts.with_columns(
                year_label().alias("year"),
                pl.format("{}–{}", "span_start_year", pl.col("year")).alias("span")),
            f"Key facts: defence expenditure of NATO Allies (NATO, "
            f"{sources.get(r.nato_source).edition}; e: NATO estimate; real change at constant "
            "2015 prices and exchange rates)",
            {"group": "", "year": "Year", "usd_bn_current": "US$ bn, current",
             "usd_bn_const2015": "US$ bn, constant 2015", "share_gdp_pct": "% of GDP",
             "real_change_1y_pct": "Real change on the year, %", "span": "Period",
             "real_change_span_pct": "Real change over the period, %"},
            decimals={"share_gdp_pct": 2})  # the others: 1
    used = [(s, [rec.title for rec in recs if s.id in rec.sources]) for s in sources.SOURCES]
    return out | {
        # Listed on the page as text (result.text["claims"]); the table is its CSV download,
        # with the chapters' full conditions.
        "claims": _words("summary_claims", [
            (c.claim, c.source, c.verdict, c.short, c.finding, c.condition,
             chapter_link(r.records[c.chapter], c)) for c in r.claims],
            "Published claims checked against public data",
            {"claim": "Claim", "source": "Source", "verdict": "Verdict",
             "short": "Condition, in short", "finding": "What the data give",
             "condition": "Condition", "where": "Chapter"}),
        "parameters": _words("summary_parameters", [
            (rec.title, describe_params(rec)) for rec in recs],
            "The parameters each chapter of this report was built with",
            {"chapter": "Chapter", "built_with": "Parameters"}),
        "editions": _words("summary_editions", [
            (f"{s.publisher.split(' (')[0]}: {s.title}", s.edition, ", ".join(titles))
            for s, titles in used if titles], "Source editions the chapters read",
            {"source": "Source", "edition": "Edition", "used_in": "Used in"}),
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
