"""Chapter 2: did Allies spend "more than twice as much" on equipment in 2024 as in 2014?

The ratio for each reading of "Allies" on both price bases, the verdict by grouping, and the
20 % guideline counts; the notebook ``02_equipment_spending`` calls :func:`run`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import polars as pl

from .. import data, equipment, sources
from . import ChapterResult
from ..params import Parameters, check_year_range, param
from ..prose import equipment as prose
from ..results import CONDITIONAL, NOT_SUPPORTED, REPRODUCED, Claim

NOTEBOOK = "02_equipment_spending"
TITLE = "Equipment spending by NATO Allies"
NATO_SOURCE = sources.newest("nato_defexp").id  # the table holds the newest edition
READS = ("nato_defexp", "nato_membership")
SOURCES = (NATO_SOURCE,)
CLAIM_FACTOR = 2.0
#: The years the claim compares, whatever years the analyst chooses for the chapter's own
#: comparison (base_year, end_year).
CLAIM_YEARS = (2014, 2024)
#: A ratio within this relative distance of the factor is "twice, to rounding": NATO publishes
#: equipment shares to two decimals and the latest years are estimates, so a gap of 0.05 %
#: (1.999x) says nothing either way.
ROUNDING_TOLERANCE = 0.005
SECTION = "sec-equipment-claim"


@dataclass(frozen=True)
class Params(Parameters):
    price_basis: str = param("constant2015", "price basis of the Ally-by-Ally chart",
                             choices=list(equipment.PRICE_BASES), examples=("current",),
                             invalid=("constant2020",), value_words=prose.BASIS_WORDS)
    # years: a year of the NATO tables, the base year before the end year (check_data)
    base_year: int = param(2014, "base year", examples=(2016,), invalid=(1990,))
    end_year: int = param(2024, "end year", examples=(2023,), invalid=(2030,))
    guideline_pct: float = param(20, "equipment guideline, % of defence expenditure",
                                 bounds=(1, 100), examples=(25,), invalid=(0,))

    def check_data(self, processed_dir=None) -> None:
        years = data.table("nato_defexp", processed_dir)["year"].to_list()
        check_year_range(self.base_year, self.end_year, years, names=("base_year", "end_year"),
                         min_span=1)


@dataclass(frozen=True)
class Result(ChapterResult):
    params: Params
    edition: str
    nato_source: str  # the registry id of the NATO edition in the table
    growth: pl.DataFrame  # growth_by_grouping, base_year to end_year, with each ratio's side
    claim_growth: pl.DataFrame  # the same for the claim's own years (CLAIM_YEARS)
    totals: pl.DataFrame  # Alliance total per year on both bases (equipment_both_bases)
    by_ally: pl.DataFrame  # growth_ratio per Ally on the chosen basis
    guideline: pl.DataFrame  # meets_equipment_guideline on the chosen basis
    claim: Claim

    text = cached_property(prose.sentences)
    tables = cached_property(prose.tables)

    def ratio(self, grouping: str, basis: str) -> float:
        return self.growth.filter(grouping=grouping, price_basis=basis)["ratio"].item()

    headlines = prose.headlines

    def record_sources(self) -> tuple[str, ...]:
        return (self.nato_source,)


def growth(nato: pl.DataFrame, membership: pl.DataFrame, years: tuple[int, int]) -> pl.DataFrame:
    """:func:`equipment.growth_by_grouping` with ``side``: each ratio against the claim's factor."""
    return equipment.growth_by_grouping(nato, membership, *years).with_columns(
        equipment.against_factor(pl.col("ratio"), CLAIM_FACTOR, ROUNDING_TOLERANCE).alias("side"))


def claim_verdict(growth: pl.DataFrame, base_year: int, end_year: int) -> Claim:
    """The doubling claim, judged per grouping and price basis: reproduced only where all
    Allies more than doubled on both bases."""
    side = {(g, b): s for g, b, s in growth.select("grouping", "price_basis", "side").iter_rows()}
    verdict = (REPRODUCED if side["all_allies", "current"] == side["all_allies", "constant2015"]
               == 1 else CONDITIONAL if max(side.values()) >= 0 else NOT_SUPPORTED)
    return Claim(id="equipment_doubling", verdict=verdict, chapter=NOTEBOOK, section=SECTION,
                 **prose.claim(growth, side, base_year, end_year, ROUNDING_TOLERANCE))


def run(params: Params | None = None, processed_dir=None) -> Result:
    """Compute chapter 2 from the processed NATO tables."""
    p = params or Params()
    p.check_data(processed_dir)
    nato = data.table("nato_defexp", processed_dir)
    membership = data.table("nato_membership", processed_dir)
    years = (p.base_year, p.end_year)
    chosen = growth(nato, membership, years)
    claim_growth = chosen if years == CLAIM_YEARS else growth(nato, membership, CLAIM_YEARS)
    spending = equipment.equipment_spending(nato, membership, p.price_basis)
    nato_source = nato["source_id"][0]
    return Result(
        params=p, edition=prose.edition_words(nato_source), nato_source=nato_source,
        growth=chosen, claim_growth=claim_growth,
        totals=equipment.equipment_both_bases(nato, membership).with_columns(
            pl.col("price_basis").replace_strict(prose.PRICE_BASIS_LABELS)
            .alias("price_basis_label")),
        by_ally=equipment.growth_ratio(spending, *years),
        guideline=equipment.meets_equipment_guideline(spending, p.guideline_pct),
        claim=claim_verdict(claim_growth, *CLAIM_YEARS))
