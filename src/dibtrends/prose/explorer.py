"""The explorer page's words: what each measure is (publisher, edition, unit, price basis, years,
estimates, groupings), from the registry and the data."""

from __future__ import annotations

import polars as pl

from .. import sources
from ..explorer import MEASURES
from ..results import Table
from . import join_words, plural, table

LABELS = {"measure": "Measure", "source": "Publisher and edition", "unit": "Unit",
          "price_basis": "Price basis", "years": "Years", "estimates": "Estimates",
          "groupings": "Groupings"}


def estimates(row: dict) -> str:
    """NATO marks whole years as estimates; SIPRI marks figures one by one."""
    if row["estimate_years"]:
        return f"{join_words([str(y) for y in row['estimate_years']])}: every figure"
    if not row["n_estimates"]:
        return "none"
    return (f"{plural(row['n_estimates'], 'figure')} of Allies, {row['first_estimate']}–"
            f"{row['last_estimate']}, marked \"yes\" in the table")


def measures_table(coverage: pl.DataFrame, source_ids: dict[str, str]) -> Table:
    """One row per measure; ``coverage``: :func:`dibtrends.explorer.coverage`; ``source_ids``:
    family ("nato", "sipri") -> the registry id of the edition read."""
    facts = {row["measure"]: row for row in coverage.iter_rows(named=True)}
    rows = []
    for key, m in MEASURES.items():
        s, row = sources.get(source_ids[m.family]), facts[key]
        rows.append({"measure": m.label, "source": f"{s.publisher}, {s.edition}", "unit": m.unit,
                     "price_basis": m.price_basis, "estimates": estimates(row),
                     "years": f"{row['first_year']}–{row['last_year']}", "groupings": m.groupings})
    return table("explorer_measures", pl.DataFrame(rows), "The measures the explorer offers: who "
                 "publishes them, in which edition, unit and prices, and which figures are "
                 "estimates", LABELS)
