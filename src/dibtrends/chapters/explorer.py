"""The explorer page: the reader picks Allies, groupings and a measure, sees a line chart and a
table, and downloads what is shown. Every value comes from
:func:`dibtrends.explorer.explorer_table`; the parameters only choose what the page opens on."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import polars as pl

from .. import data, explorer, sources
from ..countries import all_codes, name_of
from ..errors import ParameterError
from ..params import Parameters, check_iso3, param
from ..prose import explorer as words
from ..results import Table
from . import ChapterResult

NOTEBOOK = "98_explorer"
TITLE = "Explore the data"
SOURCE_IDS = {"nato": sources.newest("nato_defexp").id,  # the table holds the newest edition
              "sipri": "sipri_milex_2025"}
READS = ("nato_defexp", SOURCE_IDS["sipri"], "nato_membership")
SOURCES = tuple(SOURCE_IDS.values())
ALLOWED_ALLIES = ("codes of Allies (ISO 3166 alpha-3, e.g. 'POL') or of the groupings "
                  + ", ".join(f"'{c}' ({n})" for c, n in explorer.GROUPINGS.items()))


@dataclass(frozen=True)
class Params(Parameters):
    measure: str = param("nato_share_gdp", "measure shown first", choices=list(explorer.MEASURES),
                         value_words={k: m.label for k, m in explorer.MEASURES.items()},
                         examples=("sipri_usd_const",), invalid=("gdp",))
    allies: tuple = param(("NATO_EUROPE_CANADA", "USA", "DEU", "POL"),
                          "Allies and groupings shown first",
                          value_words={**{c: name_of(c) for c in all_codes()},
                                       **explorer.GROUPINGS},
                          examples=(("FRA", "NATO_TOTAL"),),
                          invalid=(("XXX",), ()))

    def check(self) -> None:
        allies = [self.allies] if isinstance(self.allies, str) else list(self.allies or [])
        if not allies:
            raise ParameterError(f"parameter allies is empty; allowed: one or more "
                                 f"{ALLOWED_ALLIES}.")
        object.__setattr__(self, "allies", tuple(allies))

    def check_data(self, processed_dir=None) -> None:
        members = data.table("nato_membership", processed_dir)["iso3"].to_list()
        check_iso3("allies", self.allies, [*members, *explorer.GROUPINGS])


@dataclass(frozen=True)
class Result(ChapterResult):
    params: Params
    table: pl.DataFrame  # explorer.explorer_table: everything the page can show
    text: dict[str, str]

    @cached_property
    def shown(self) -> pl.DataFrame:
        """What the page opens on, as its table and "What is shown (CSV)" have it."""
        return explorer.shown(self.table, self.params.measure, self.params.allies)

    @property
    def opening_names(self) -> list[str]:
        codes = self.table.filter(pl.col("code").is_in(self.params.allies))
        return codes["name"].unique(maintain_order=True).to_list()

    @cached_property
    def tables(self) -> dict[str, Table]:
        return {"measures": words.measures_table(explorer.coverage(self.table), SOURCE_IDS)}


def run(params: Params | None = None, processed_dir=None) -> Result:
    p = params or Params()
    p.check_data(processed_dir)
    nato, sipri, membership = (data.table(t, processed_dir) for t in READS)
    return Result(params=p, table=explorer.explorer_table(nato, sipri, membership), text={})
