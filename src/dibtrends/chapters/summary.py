"""The executive summary: each analysis chapter's claims and summary line, gathered from its
published record and never retyped, so a chapter and the summary cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import polars as pl

from .. import chapters, data, facts, results
from ..params import Parameters
from ..pledge import GDP_GUIDELINE_PCT as GUIDELINE_PCT  # noqa: F401  (the notebook's chart)
from ..prose import summary as words
from ..results import ChapterRecord, Claim

NOTEBOOK = chapters.SUMMARY
TITLE = "Executive summary"
READS = ("nato_defexp", "nato_membership")
PLEDGE = "04_guidelines_and_pledge"


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

    tables = cached_property(words.tables)


def summarise(records: dict[str, ChapterRecord], nato: pl.DataFrame | None = None,
              membership: pl.DataFrame | None = None) -> Result:
    """The summary of the given records (pure: tests pass fixture records), with the front
    page's key facts when NATO's table is given."""
    claims = tuple(c for name in chapters.ANALYSES if name in records
                   for c in records[name].claims)
    text = words.texts(records, claims)
    if nato is None:
        return Result(records=records, claims=claims, text=text)
    key = facts.key_facts(nato)
    ranked = facts.ranked_shares(nato, membership)
    source = nato["source_id"][0]
    text["facts"] = words.facts_sentence(key, source)
    members = membership.filter(pl.col("accession_date").dt.year() <= int(ranked["year"][0]))
    missing = members.filter(~pl.col("iso3").is_in(ranked["entity"].to_list()))["country"]
    return Result(records=records, claims=claims, text=text, facts=key, ranked=ranked,
                  nato_source=source, missing_allies=tuple(sorted(missing.to_list())))


def run(params: Params | None = None, processed_dir=None, output_dir=None) -> Result:
    """Read every analysis chapter's published results and summarise them."""
    return summarise({n: results.read(n, output_dir) for n in chapters.ANALYSES},
                     data.table("nato_defexp", processed_dir),
                     data.table("nato_membership", processed_dir))
