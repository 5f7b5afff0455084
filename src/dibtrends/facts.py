"""Key facts for the front page, as SIPRI's fact sheets open: the Alliance's spending in the
latest year, in current and constant prices, its real change, and every Ally's share of GDP.

Pure functions on NATO's processed tables (``nato_defexp``); the summary words them.
"""

from __future__ import annotations

import polars as pl

#: NATO's published aggregates, in the order the front page shows them.
GROUPS = {"NATO_TOTAL": "NATO total", "NATO_EUROPE_CANADA": "NATO Europe and Canada"}


def alliance_totals(nato: pl.DataFrame) -> pl.DataFrame:
    """NATO's aggregate rows: spending in US$ bn (current and constant 2015), share of GDP."""
    return (nato.filter(pl.col("entity").is_in(list(GROUPS)))
            .select(pl.col("entity").replace_strict(GROUPS).alias("group"), "year", "estimate",
                    (pl.col("milex_usd_m_current") / 1000).alias("usd_bn_current"),
                    (pl.col("milex_usd_m_const2015") / 1000).alias("usd_bn_const2015"),
                    "share_gdp_pct")
            .sort("group", "year"))


def key_facts(totals: pl.DataFrame, span: int = 10) -> pl.DataFrame:
    """Per group, the latest year's spending and its real change on the year before and over
    ``span`` years (constant prices remove inflation and exchange-rate movements)."""
    latest = int(totals["year"].max())
    rows = []
    for group in GROUPS.values():
        g = totals.filter(pl.col("group") == group)

        def at(year: int, column: str, g=g):
            hit = g.filter(pl.col("year") == year)
            return hit[column].item() if hit.height else None

        first_span = max(latest - span, int(g["year"].min()))
        const, prev, early = (at(latest, "usd_bn_const2015"), at(latest - 1, "usd_bn_const2015"),
                              at(first_span, "usd_bn_const2015"))
        rows.append({
            "group": group, "year": latest,
            "estimate": bool(g.filter(pl.col("year") == latest)["estimate"].item()),
            "usd_bn_current": at(latest, "usd_bn_current"), "usd_bn_const2015": const,
            "share_gdp_pct": at(latest, "share_gdp_pct"),
            "real_change_1y_pct": None if prev is None else (const / prev - 1) * 100,
            "span_start_year": first_span,
            "real_change_span_pct": None if early is None else (const / early - 1) * 100,
        })
    return pl.DataFrame(rows)


def ranked_shares(nato: pl.DataFrame, membership: pl.DataFrame, year: int | None = None
                  ) -> pl.DataFrame:
    """Every Ally with a published share of GDP in ``year`` (default: the latest), ranked."""
    from .countries import name_of

    year = int(nato["year"].max()) if year is None else year
    allies = set(membership.filter(pl.col("accession_date").dt.year() <= year)["iso3"].to_list())
    return (nato.filter(~pl.col("is_aggregate"), pl.col("year") == year,
                        pl.col("entity").is_in(allies), pl.col("share_gdp_pct").is_not_null())
            .select("entity", pl.col("entity").map_elements(name_of, return_dtype=pl.String)
                    .alias("name"), "year", "estimate", "share_gdp_pct")
            .sort("share_gdp_pct", descending=True)
            .with_row_index("rank", offset=1))
