"""The executive summary: the chapters' own verdicts and sentences, gathered, never retyped.

Each analysis chapter publishes a :class:`~dibtrends.results.ChapterRecord` with its claims
(verdict and condition computed in its module), its summary line (``text["summary"]``) and the
parameters it was built with. The summary only orders and shows them, so a chapter and the
summary cannot disagree, and a parameter change in a chapter reaches the summary's words.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from .. import chapters, params as params_mod, results, sources
from ..params import Parameters
from ..results import ChapterRecord, Claim, Table

NOTEBOOK = chapters.SUMMARY
TITLE = "Executive summary"
READS: tuple[str, ...] = ()
SOURCES: tuple[str, ...] = ()
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

    @property
    def tables(self) -> dict[str, Table]:
        claim_rows = pl.DataFrame(
            [{"claim": c.claim, "source": c.source, "finding": c.finding, "verdict": c.verdict,
              "condition": c.condition, "where": self.records[c.chapter].title}
             for c in self.claims],
            schema={k: pl.String for k in ("claim", "source", "finding", "verdict", "condition",
                                           "where")})
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
        return {
            "claims": Table("summary_claims", claim_rows,
                            "Published claims checked against public data",
                            labels={"claim": "Claim", "source": "Where it is said",
                                    "finding": "What the data give", "verdict": "Verdict",
                                    "condition": "Condition or reason", "where": "Chapter"}),
            "parameters": Table("summary_parameters", param_rows,
                                "The parameters each chapter of this report was built with",
                                labels={"chapter": "Chapter", "built_with": "Parameters"}),
            "editions": Table("summary_editions", edition_rows,
                              "Source editions the chapters read",
                              labels={"source": "Source", "edition": "Edition",
                                      "used_in": "Used in"}),
        }


def describe_params(record: ChapterRecord) -> str:
    specs = chapters.module(record.chapter).Params.specs()
    return params_mod.describe(specs, record.params, record.defaults)


def summarise(records: dict[str, ChapterRecord]) -> Result:
    """The summary of the given chapter records (pure: tests pass fixture records)."""
    claims = tuple(c for name in chapters.ANALYSES if name in records
                   for c in records[name].claims)
    key_numbers = "\n".join(f"- {records[name].text['summary']}" for name in chapters.ANALYSES
                            if name in records and records[name].text.get("summary"))
    changed = [rec.title for rec in records.values() if rec.changed_params()]
    built = ("Every chapter was built with its default parameters." if not changed else
             f"Built with parameters changed from the defaults in: {', '.join(changed)} (see the "
             "table of parameters below).")
    return Result(records=records, claims=claims,
                  text={"key_numbers": key_numbers, "built_with": built})


def run(params: Params | None = None, processed_dir=None, output_dir=None) -> Result:
    """Read every analysis chapter's published results and summarise them."""
    return summarise(results.read_all(list(chapters.ANALYSES), output_dir))
