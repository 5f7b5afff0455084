"""The front page's key facts, as SIPRI's fact sheets open: the Alliance's spending in the latest
year (current and constant prices), its real change, and every Ally's share of GDP."""

from __future__ import annotations

import polars as pl

#: NATO's published aggregates, in the order the front page shows them.
GROUPS = {"NATO_TOTAL": "NATO total", "NATO_EUROPE_CANADA": "NATO Europe and Canada"}


def key_facts(nato: pl.DataFrame, span: int = 10) -> pl.DataFrame:
    """Per NATO aggregate (GROUPS), the latest year's spending in US$ bn (current and constant
    2015 prices), share of GDP, and real change on the year before and over ``span`` years
    (constant prices remove inflation and exchange-rate movements)."""
    totals = (nato.filter(pl.col("entity").is_in(list(GROUPS)))
              .select(pl.col("entity").replace_strict(GROUPS).alias("group"), "year", "estimate",
                      (pl.col("milex_usd_m_current") / 1000).alias("usd_bn_current"),
                      (pl.col("milex_usd_m_const2015") / 1000).alias("usd_bn_const2015"),
                      "share_gdp_pct"))
    latest = int(totals["year"].max())
    const, year = pl.col("usd_bn_const2015"), pl.col("year")
    start = pl.max_horizontal(year.min(), latest - span)
    facts = totals.group_by("group").agg(
        pl.all().filter(year == latest).first(),
        *[((const.filter(year == latest).first() / const.filter(year == since).first() - 1)
           * 100).alias(name) for name, since in (("real_change_1y_pct", latest - 1),
                                                  ("real_change_span_pct", start))],
        start.alias("span_start_year"))
    return facts.select(
        "group", "year", pl.col("estimate").fill_null(False), "usd_bn_current",
        "usd_bn_const2015", "share_gdp_pct", "real_change_1y_pct", "span_start_year",
        "real_change_span_pct").sort(pl.col("group").replace_strict(
            {g: i for i, g in enumerate(GROUPS.values())}))


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
