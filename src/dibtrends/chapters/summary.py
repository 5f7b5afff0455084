"""The executive summary: the chapters' own verdicts and sentences, gathered, never retyped.

Each analysis chapter publishes a :class:`~dibtrends.results.ChapterRecord` with its claims
(verdict and condition computed in its module), its summary line (``text["summary"]``) and the
parameters it was built with. The summary only orders and shows them, so a chapter and the
summary cannot disagree, and a parameter change in a chapter reaches the summary's words.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from .. import chapters, data, facts, results, sources
from .. import params as params_mod
from ..params import Parameters
from ..results import ChapterRecord, Claim, Table
from ..prose import fmt

NOTEBOOK = chapters.SUMMARY
TITLE = "Executive summary"
READS = ("nato_defexp", "nato_membership")
PLEDGE = "04_guidelines_and_pledge"
GUIDELINE_PCT = 2.0
#: Order of the claims table: the long run first, then as the chapters run.
VERDICT_ORDER = {v: i for i, v in enumerate(results.VERDICTS)}


@dataclass(frozen=True)
class Params(Parameters):
    """The summary takes no parameters of its own: it reports the chapters'."""


@dataclass(frozen=True)
class Result:
    records: dict[str, ChapterRecord]
    claims: tuple[Claim, ...]
    text: dict[str, str]
    facts: pl.DataFrame | None = None  # facts.key_facts: the front page's key numbers
    ranked: pl.DataFrame | None = None  # facts.ranked_shares: every Ally, latest year
    nato_source: str = ""
    missing_allies: tuple[str, ...] = ()  # Allies with no share published that year (names)

    @property
    def target(self) -> tuple[float, int]:
        """The core-defence target the chapters were built with (chapter 4's parameters)."""
        values = chapters.module(PLEDGE).Params.defaults()
        if PLEDGE in self.records:
            values |= self.records[PLEDGE].params
        return float(values["target_share_pct"]), int(values["target_year"])

    @property
    def tables(self) -> dict[str, Table]:
        claim_rows = pl.DataFrame(
            [{"claim": c.claim, "verdict": c.verdict, "finding": c.finding,
              "where": chapter_link(self.records[c.chapter], c)}
             for c in self.claims],
            schema={k: pl.String for k in ("claim", "verdict", "finding", "where")})
        param_rows = pl.DataFrame(
            [{"chapter": rec.title, "built_with": describe_params(rec)}
             for rec in self.records.values()],
            schema={"chapter": pl.String, "built_with": pl.String})
        edition_rows = pl.DataFrame(
            [{"source": f"{s.publisher.split(' (')[0]}: {s.title}", "edition": s.edition,
              "used_in": ", ".join(rec.title for rec in self.records.values()
                                   if s.id in rec.sources)}
             for s in sources.SOURCES
             if any(s.id in rec.sources for rec in self.records.values())],
            schema={"source": pl.String, "edition": pl.String, "used_in": pl.String})
        tables = {}
        if self.facts is not None:
            edition = sources.get(self.nato_source).edition
            tables["facts"] = Table(
                "summary_key_facts",
                self.facts.select(
                    "group", pl.format("{}{}", "year", pl.when("estimate").then(pl.lit("e"))
                                       .otherwise(pl.lit(""))).alias("year"),
                    "usd_bn_current", "usd_bn_const2015", "share_gdp_pct", "real_change_1y_pct",
                    pl.format("{}–{}", "span_start_year", pl.col("year")).alias("span"),
                    "real_change_span_pct"),
                f"Key facts: defence expenditure of NATO Allies (NATO, {edition}; e: NATO "
                "estimate; real change at constant 2015 prices and exchange rates)",
                labels={"group": "", "year": "Year", "usd_bn_current": "US$ bn, current",
                        "usd_bn_const2015": "US$ bn, constant 2015", "share_gdp_pct": "% of GDP",
                        "real_change_1y_pct": "Real change on the year, %", "span": "Period",
                        "real_change_span_pct": "Real change over the period, %"},
                decimals={"usd_bn_current": 1, "usd_bn_const2015": 1, "share_gdp_pct": 2,
                          "real_change_1y_pct": 1, "real_change_span_pct": 1})
        return tables | {
            "claims": Table("summary_claims", claim_rows,
                            "Published claims checked against public data (the condition of "
                            "each verdict follows the table)",
                            labels={"claim": "Claim", "verdict": "Verdict",
                                    "finding": "What the data give", "where": "Chapter"}),
            "parameters": Table("summary_parameters", param_rows,
                                "The parameters each chapter of this report was built with",
                                labels={"chapter": "Chapter", "built_with": "Parameters"}),
            "editions": Table("summary_editions", edition_rows,
                              "Source editions the chapters read",
                              labels={"source": "Source", "edition": "Edition",
                                      "used_in": "Used in"}),
        }


def claim_details(claims: tuple[Claim, ...], records: dict[str, ChapterRecord]) -> str:
    """Each claim with its source and the condition of its verdict, as a numbered list (too
    long for a table cell: a reader gets whole sentences, in print as on screen)."""
    return "\n".join(
        f"{i}. **\u201c{c.claim}\u201d** ({c.source}). *{c.verdict}.* {c.condition} "
        f"See {chapter_link(records[c.chapter], c)}."
        for i, c in enumerate(claims, start=1))


def chapter_link(record: ChapterRecord, claim: Claim) -> str:
    """A Markdown link from the front page to the section of the chapter that tests the claim
    (the site's index sits beside executed/; the PDF build turns it into an internal link)."""
    anchor = f"#{claim.section}" if claim.section else ""
    return f"[{record.title}](executed/{record.chapter}.ipynb{anchor})"


def describe_params(record: ChapterRecord) -> str:
    specs = chapters.module(record.chapter).Params.specs()
    return params_mod.describe(specs, record.params, record.defaults)


def summarise(records: dict[str, ChapterRecord], nato: pl.DataFrame | None = None,
              membership: pl.DataFrame | None = None) -> Result:
    """The summary of the given chapter records (pure: tests pass fixture records), with the
    front page's key facts when NATO's table is given."""
    claims = tuple(c for name in chapters.ANALYSES if name in records
                   for c in records[name].claims)
    key_numbers = "\n".join(f"- {records[name].text['summary']}" for name in chapters.ANALYSES
                            if name in records and records[name].text.get("summary"))
    changed = [rec.title for rec in records.values() if rec.changed_params()]
    built = ("Every chapter was built with its default parameters." if not changed else
             f"Built with parameters changed from the defaults in: {', '.join(changed)} (see the "
             "table of parameters below).")
    text = {"key_numbers": key_numbers, "built_with": built,
            "claim_details": claim_details(claims, records)}
    if nato is None:
        return Result(records=records, claims=claims, text=text)
    key = facts.key_facts(facts.alliance_totals(nato))
    ranked = facts.ranked_shares(nato, membership)
    source = nato["source_id"][0]
    text["facts"] = facts_sentence(key, source)
    year = int(ranked["year"][0])
    members = membership.filter(pl.col("accession_date").dt.year() <= year)
    missing = tuple(sorted(members.filter(~pl.col("iso3").is_in(ranked["entity"].to_list()))
                           ["country"].to_list()))
    return Result(records=records, claims=claims, text=text, facts=key, ranked=ranked,
                  nato_source=source, missing_allies=missing)


def facts_sentence(key: pl.DataFrame, source_id: str) -> str:
    """The front page's key facts, as a fact sheet opens: every number from NATO's table, the
    edition and its date, and the newer editions the report does not yet use."""
    total, europe = (key.filter(group=g).row(0, named=True) for g in facts.GROUPS.values())
    est = " (NATO estimates)" if total["estimate"] else ""
    edition = sources.get(source_id)
    newer = sources.newer_editions(source_id)

    def change(v: float) -> str:
        return f"{'+' if v >= 0 else '−'}{abs(v):.1f} %"

    lines = [
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
           if newer else "") + "*",
    ]
    return "\n".join(lines)


def run(params: Params | None = None, processed_dir=None, output_dir=None) -> Result:
    """Read every analysis chapter's published results and summarise them."""
    return summarise(results.read_all(list(chapters.ANALYSES), output_dir),
                     data.table("nato_defexp", processed_dir),
                     data.table("nato_membership", processed_dir))
