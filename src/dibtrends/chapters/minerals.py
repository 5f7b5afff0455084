"""Chapter 5: how far does the United States rely on imports for NATO's defence-critical raw
materials, and is China the first-ranked source?

NATO lists twelve defence-critical raw materials (11 December 2024) but publishes no import
figures; the only official machine-readable reliance figures for an Ally are the United States'
in USGS's Mineral Commodity Summaries 2024 (data for 2023). The one published claim these data can
check is USGS's own count of U.S. import dependence (also reported by the American Resources
Policy Network), always at USGS's threshold over every commodity, whatever the parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import polars as pl

from .. import data, minerals, sources
from . import ChapterResult
from ..errors import ParameterError
from ..params import Parameters, param
from ..prose import minerals as words
from ..prose.minerals import CLAIM_FULLY_RELIANT, CLAIM_MORE_THAN_HALF, CLAIM_THRESHOLD_PCT
from ..results import CONDITIONAL, NOT_SUPPORTED, REPRODUCED, Claim

NOTEBOOK = "05_critical_minerals"
TITLE = "Critical minerals: U.S. import reliance for NATO's defence-critical raw materials"
READS = ("defence_critical_minerals", "usgs_net_import_reliance", "usgs_import_sources",
         "usgs_import_source_counts", "usgs_critical_minerals_end_use",
         "usgs_critical_minerals_salient", "nato_membership")
SOURCES = (sources.USGS_FIG2, sources.USGS_FIG3, sources.USGS_T4, sources.USGS_T5)
SECTION = "sec-minerals-claim"
#: The minerals NATO named for its June 2025 stockpiling project: their reliance is published
#: whatever the selection.
STOCKPILING = "brief_three"


@dataclass(frozen=True)
class Params(Parameters):
    minerals: str = param(
        "nato_defence_critical", "minerals from", choices=list(minerals.SELECTIONS),
        examples=("brief_three",), invalid=("all_minerals",),
        value_words={"nato_defence_critical": "NATO's list of defence-critical raw materials",
                     "brief_three": "NATO's stockpiling project (lithium, titanium, rare earths)"})
    min_reliance_pct: float = param(
        50, "import-reliance threshold, % of U.S. apparent consumption", bounds=(1, 100),
        examples=(25, 100), invalid=(0, 101))

    def check_data(self, processed_dir=None) -> None:
        curated = data.table("defence_critical_minerals", processed_dir)
        usable = [k for k in minerals.SELECTIONS
                  if not minerals.defence_minerals(curated, k).is_empty()]
        if self.minerals not in usable:
            raise ParameterError(
                f"parameter minerals={self.minerals!r} selects no row of the curated table "
                "data/curated/defence_critical_minerals.csv; allowed values that select rows: "
                f"{', '.join(usable)}.")


@dataclass(frozen=True)
class Result(ChapterResult):
    params: Params
    publication: str  # "Mineral Commodity Summaries 2024"
    data_year: int
    period: tuple[int, int]  # years of USGS's import-source ranking
    matched: pl.DataFrame  # the selected minerals with USGS Table 4 uses
    table: pl.DataFrame  # one row per selected mineral (minerals.mineral_table + threshold)
    counts: dict  # minerals.summary_counts of the selection at the threshold
    backdrop: dict  # the same over every Fig. 2 commodity
    usgs_counts: dict  # USGS's own counting (the claim), fixed threshold
    major_sources: pl.DataFrame  # USGS Fig. 3 ranked, with Ally flag
    fig3_disagreements: int  # countries where Fig. 3 and a recount from Fig. 2 differ
    salient: pl.DataFrame  # USGS Table 5 per selected mineral
    leading: pl.DataFrame  # Fig. 2 first source against Table 5 leading source
    stockpiling: pl.DataFrame  # NIR of the minerals NATO named for stockpiling
    claim: Claim

    text = cached_property(words.sentences)
    tables = cached_property(words.tables)
    titles = cached_property(words.titles)  # the chart's title, subtitle and caption
    headlines = words.headlines


def claim_verdict(u: dict, undecided: pl.DataFrame) -> Claim:
    """USGS's 49 and 15 against a recount of its Fig. 2 (``u``: ``usgs_reliance_counts``);
    ``undecided``: the commodities whose printed bound cannot be placed against one-half."""
    more, full = u["n_more_than"], u["n_fully_reliant"] == CLAIM_FULLY_RELIANT
    verdict = (REPRODUCED if more == CLAIM_MORE_THAN_HALF and full else
               CONDITIONAL if more <= CLAIM_MORE_THAN_HALF <= more + u["n_undecided"] and full
               else NOT_SUPPORTED)
    return words.claim(u, undecided, verdict, chapter=NOTEBOOK, section=SECTION)


def run(params: Params | None = None, processed_dir=None) -> Result:
    """Compute chapter 5 from the processed USGS tables and the curated NATO list."""
    p = params or Params()
    p.check_data(processed_dir)
    curated, nir, import_sources, fig3, end_use, t5, membership = (
        data.table(name, processed_dir) for name in READS)

    def table(selection: str) -> pl.DataFrame:
        return minerals.mineral_table(nir, import_sources, membership, minerals.defence_minerals(
            curated, selection)).with_columns(words.nir_display())

    chosen = minerals.defence_minerals(curated, p.minerals)
    selected = minerals.meets_threshold(table(p.minerals), p.min_reliance_pct)
    salient = minerals.salient(chosen, t5)
    u = minerals.usgs_reliance_counts(nir, CLAIM_THRESHOLD_PCT).row(0, named=True)
    return Result(
        params=p, publication=sources.get(sources.USGS_FIG2).title.split(" data release")[0],
        data_year=max(nir["year"].drop_nulls().unique().to_list()),
        period=(import_sources["period_start"].min(), import_sources["period_end"].max()),
        matched=minerals.end_uses(chosen, end_use).sort("mineral"), table=selected,
        counts=minerals.summary_counts(selected).row(0, named=True),
        backdrop=minerals.all_commodities_summary(nir, import_sources, membership,
                                                  p.min_reliance_pct).row(0, named=True),
        usgs_counts=u, major_sources=minerals.major_source_counts(fig3, membership),
        fig3_disagreements=minerals.major_source_check(fig3, nir, import_sources).height,
        salient=salient, leading=minerals.leading_source_check(selected, salient),
        stockpiling=table(STOCKPILING).sort("mineral"),
        claim=claim_verdict(u, minerals.usgs_undecided(nir, CLAIM_THRESHOLD_PCT)))
