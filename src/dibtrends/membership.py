"""Who was a NATO Ally when: the curated accession table (read and validated by
:mod:`.load.curated`) and two counting rules.

The table (``data/curated/nato_membership.csv``) lists the 32 Allies with the date each joined,
cited to NATO's "NATO member countries" page. Two rules turn it into a yearly panel:

* ``"accession"``: an Ally counts from the calendar year it joined, inclusive (Finland from
  2023, Sweden from 2024), so the alliance grows from 12 (1949) to 32 (2024). An aggregate under
  this rule mixes changes in spending with changes in who is counted.
* ``"cold_war_16"``: the 16 Allies of 1982-1990 (the 12 founders, Greece, Türkiye, the Federal
  Republic of Germany and Spain), held fixed for every year, so a change in the aggregate is a
  change in spending by the same states. Germany is SIPRI's "Germany" row: the Federal Republic
  before unification (1953-1990), united Germany from 1991 (see ``dibtrends.load.sipri_milex``).
  The rule counts these 16 even in years before they joined, and no Ally that joined from 1999.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import polars as pl

from . import paths

MEMBERSHIP_FILE = paths.CURATED / "nato_membership.csv"
TREATY_IN_FORCE = date(1949, 8, 24)
RULES = ("accession", "cold_war_16")
#: The Cold War alliance is the membership on this date (after Spain, 1982; before 1999).
COLD_WAR_REFERENCE_DATE = date(1990, 12, 31)


def membership_panel(membership: pl.DataFrame, years: Iterable[int],
                     rule: str = "accession") -> pl.DataFrame:
    """Every Ally x every year with ``is_member`` under ``rule``; the frame aggregates join on."""
    if rule not in RULES:
        raise ValueError(f"rule={rule!r} is not one of {RULES}")
    yrs = pl.DataFrame({"year": sorted(set(int(y) for y in years))}, schema={"year": pl.Int64})
    allies = membership.select("iso3", pl.col("accession_date"))
    panel = allies.join(yrs, how="cross")
    if rule == "accession":
        member = pl.col("accession_date").dt.year() <= pl.col("year")
    else:
        member = pl.col("accession_date") <= COLD_WAR_REFERENCE_DATE
    return (panel.with_columns(member.alias("is_member"), pl.lit(rule).alias("rule"))
            .select("iso3", "year", "is_member", "rule").sort("iso3", "year"))

