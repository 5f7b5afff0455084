"""The front page's key facts, as SIPRI's fact sheets open: the Alliance's spending in the latest
year (current and constant prices), its real change, and every Ally's share of GDP."""

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
        by_year = {r["year"]: r for r in g.iter_rows(named=True)}
        now, first_span = by_year[latest], max(latest - span, int(g["year"].min()))

        def real_change(year: int, now=now, by_year=by_year) -> float | None:
            before = by_year.get(year, {}).get("usd_bn_const2015")
            return None if before is None else (now["usd_bn_const2015"] / before - 1) * 100

        rows.append({"group": group, "year": latest, "estimate": bool(now["estimate"]),
                     **{c: now[c] for c in ("usd_bn_current", "usd_bn_const2015",
                                            "share_gdp_pct")},
                     "real_change_1y_pct": real_change(latest - 1),
                     "span_start_year": first_span,
                     "real_change_span_pct": real_change(first_span)})
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
