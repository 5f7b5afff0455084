"""Spending on major equipment: NATO's equipment share (Table 8a) times defence expenditure
(Table 2), per Ally, and summed over the Allies counted each year for the Alliance.

An Ally counts from the calendar year of its accession, NATO's own rule: the sum of counted
Allies reproduces NATO's published aggregates to floating-point precision. Current US$ mix
inflation and exchange rates into growth; constant 2015 US$ remove both.
"""

from __future__ import annotations

import polars as pl

from .membership import membership_panel

#: Price basis -> the defence-expenditure column of ``nato_defexp`` it multiplies.
PRICE_BASES = {"current": "milex_usd_m_current", "constant2015": "milex_usd_m_const2015"}
ALLIANCE = "NATO_TOTAL"
EUROPE_CANADA = "NATO_EUROPE_CANADA"
#: Who "Allies" can mean in the equipment claim, in the order the chapter shows them.
GROUPINGS = ("all_allies", "same_allies", "europe_canada", "united_states")


def equipment_column(price_basis: str) -> str:
    """``equipment_usd_m_current`` or ``equipment_usd_m_const2015``: the unit is in the name."""
    if price_basis not in PRICE_BASES:
        raise ValueError(f"price_basis={price_basis!r}; allowed: {', '.join(PRICE_BASES)}")
    return PRICE_BASES[price_basis].replace("milex_", "equipment_")


def estimate_years(nato: pl.DataFrame) -> list[int]:
    """The years NATO marks as estimates (its ``e`` suffix), from the table itself."""
    return sorted(nato.filter(pl.col("estimate"))["year"].unique().to_list())


def counted_allies(nato: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    """Ally rows of ``nato`` with ``counted``: True from the calendar year of accession on
    (Finland's and Sweden's earlier rows stay, uncounted)."""
    panel = membership_panel(membership, nato["year"].unique().to_list(), rule="accession")
    return nato.filter(~pl.col("is_aggregate")).join(
        panel.select(pl.col("iso3").alias("entity"), "year", pl.col("is_member").alias("counted")),
        on=["entity", "year"], how="left",
    ).with_columns(pl.col("counted").fill_null(False))


def equipment_spending(nato: pl.DataFrame, membership: pl.DataFrame,
                       price_basis: str = "constant2015") -> pl.DataFrame:
    """Equipment spending (US$ million) per Ally and year, plus Alliance and Europe-and-Canada
    rows: the sum over Allies counted that year, with NATO's published expenditure and the
    implied equipment share."""
    eq = equipment_column(price_basis)
    milex = PRICE_BASES[price_basis]
    allies = counted_allies(nato, membership).select(
        "entity", "year", "estimate", "counted", "equipment_share_pct", milex,
        (pl.col("equipment_share_pct") / 100 * pl.col(milex)).alias(eq),
    ).filter(pl.col(milex).is_not_null())  # Iceland: no defence expenditure published
    aggs = []
    for agg, subset in ((ALLIANCE, allies),
                        (EUROPE_CANADA, allies.filter(pl.col("entity") != "USA"))):
        summed = (subset.filter(pl.col("counted")).group_by("year")
                  .agg(pl.col(eq).sum(), pl.len().alias("n_allies")))
        published = nato.filter(pl.col("entity") == agg).select("year", "estimate", milex)
        aggs.append(published.join(summed, on="year").select(
            pl.lit(agg).alias("entity"), "year", "estimate", pl.lit(True).alias("counted"),
            (pl.col(eq) / pl.col(milex) * 100).alias("equipment_share_pct"), milex, eq,
            "n_allies", pl.lit(True).alias("is_aggregate")))
    return pl.concat([
        allies.with_columns(pl.lit(False).alias("is_aggregate"),
                            pl.lit(1, dtype=pl.UInt32).alias("n_allies")), *aggs,
    ], how="diagonal").select(
        "entity", "is_aggregate", "year", "estimate", "counted", "n_allies",
        "equipment_share_pct", milex, eq, pl.lit(price_basis).alias("price_basis"),
    ).sort("is_aggregate", "entity", "year")


def growth_ratio(df: pl.DataFrame, base_year: int = 2014, end_year: int = 2024) -> pl.DataFrame:
    """Equipment spending in ``end_year`` over ``base_year``, per Ally (its own rows, counted or
    not) and aggregate (the Alliance as it was in each year)."""
    eq = equipment_column(df["price_basis"][0])
    wide = (df.filter(pl.col("year").is_in([base_year, end_year]))
            .pivot(on="year", index=["entity", "is_aggregate"], values=eq))
    base, end = str(base_year), str(end_year)
    return wide.select(
        "entity", "is_aggregate",
        pl.lit(base_year).alias("base_year"), pl.lit(end_year).alias("end_year"),
        pl.col(base).alias(f"{eq}_base"), pl.col(end).alias(f"{eq}_end"),
        (pl.col(end) / pl.col(base)).alias("ratio"),
        pl.lit(df["price_basis"][0]).alias("price_basis"),
    ).sort("ratio", descending=True, nulls_last=True)


def meets_equipment_guideline(df: pl.DataFrame, threshold_pct: float = 20) -> pl.DataFrame:
    """Per year: how many Allies counted that year, with a published share, spent at least
    ``threshold_pct`` % on major equipment."""
    at = pl.col("equipment_share_pct") >= threshold_pct
    return df.filter(~pl.col("is_aggregate"), pl.col("counted"),
                     pl.col("equipment_share_pct").is_not_null()).group_by("year").agg(
        pl.first("estimate"), pl.len().alias("n_allies"), at.sum().alias("n_meeting"),
        pl.col("entity").filter(at).sort().alias("allies_meeting"),
    ).with_columns(pl.lit(threshold_pct).cast(pl.Float64).alias("threshold_pct")).sort("year")


def equipment_both_bases(nato: pl.DataFrame, membership: pl.DataFrame,
                         entity: str = ALLIANCE) -> pl.DataFrame:
    """One entity's equipment spending (US$ bn) on both price bases, long."""
    return pl.concat([
        equipment_spending(nato, membership, basis).filter(pl.col("entity") == entity)
        .select("entity", "year", "estimate", "price_basis",
                (pl.col(equipment_column(basis)) / 1000).alias("equipment_usd_bn"))
        for basis in PRICE_BASES])


def growth_by_grouping(nato: pl.DataFrame, membership: pl.DataFrame, base_year: int = 2014,
                       end_year: int = 2024) -> pl.DataFrame:
    """Equipment spending in both years and their ratio for every reading of "Allies"
    (:data:`GROUPINGS`) on both price bases: the claim names neither, and the verdict differs.
    "same_allies" sums the Allies counted in both years: no composition effect of accessions."""
    rows = []
    for basis in PRICE_BASES:
        col = equipment_column(basis)
        eq = equipment_spending(nato, membership, basis).filter(
            pl.col("year").is_in([base_year, end_year]))
        counted = eq.filter(~pl.col("is_aggregate"), pl.col("counted"))
        both = counted.group_by("entity").len().filter(pl.col("len") == 2)["entity"].implode()
        picks = {"all_allies": eq.filter(pl.col("entity") == ALLIANCE),
                 "same_allies": counted.filter(pl.col("entity").is_in(both)).group_by("year")
                 .agg(pl.col(col).sum(), pl.len().alias("n_allies")),
                 "europe_canada": eq.filter(pl.col("entity") == EUROPE_CANADA),
                 "united_states": eq.filter(pl.col("entity") == "USA")}
        for grouping in GROUPINGS:
            at = {r["year"]: r for r in picks[grouping].iter_rows(named=True)}
            base, end = at[base_year], at[end_year]
            rows.append({"grouping": grouping, "price_basis": basis, "base_year": base_year,
                         "end_year": end_year, "n_allies_base": base["n_allies"],
                         "n_allies_end": end["n_allies"],
                         "equipment_usd_bn_base": base[col] / 1000,
                         "equipment_usd_bn_end": end[col] / 1000, "ratio": end[col] / base[col]})
    return pl.DataFrame(rows)


def against_factor(ratio: pl.Expr, factor: float, tolerance: float) -> pl.Expr:
    """1 above ``factor``, -1 below, 0 within ``tolerance`` (relative) of it: to rounding."""
    return (pl.when((ratio / factor - 1).abs() <= tolerance).then(0)
            .when(ratio > factor).then(1).otherwise(-1))
