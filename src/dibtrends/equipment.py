"""Spending on major equipment: NATO's equipment share (Table 8a) times defence expenditure
(Table 2), per Ally, and summed over the Allies counted each year for the Alliance.

An Ally counts from the calendar year of its accession, NATO's own rule: the sum of counted
Allies reproduces NATO's published aggregates to floating-point precision. Current US$ mix
inflation and exchange rates into growth; constant 2015 US$ remove both.
"""

from __future__ import annotations

from collections.abc import Mapping

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


def _value_column(df: pl.DataFrame) -> str:
    cols = [c for c in df.columns if c.startswith("equipment_usd_m_")]
    if len(cols) != 1:
        raise ValueError(f"expected one equipment_usd_m_* column, found {cols}")
    return cols[0]


def growth_ratio(df: pl.DataFrame, base_year: int = 2014, end_year: int = 2024) -> pl.DataFrame:
    """Equipment spending in ``end_year`` over ``base_year``, per Ally (its own rows, counted or
    not) and aggregate (the Alliance as it was in each year)."""
    eq = _value_column(df)
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


def alliance_growth_same_allies(df: pl.DataFrame, base_year: int = 2014,
                                end_year: int = 2024) -> pl.DataFrame:
    """The Alliance ratio over the Allies counted in BOTH years: without the composition effect
    of Allies that joined in between."""
    eq = _value_column(df)
    allies = df.filter(~pl.col("is_aggregate"))
    both = (allies.filter(pl.col("year") == base_year, pl.col("counted")).select("entity")
            .join(allies.filter(pl.col("year") == end_year, pl.col("counted")).select("entity"),
                  on="entity"))
    sums = (allies.join(both, on="entity").filter(pl.col("year").is_in([base_year, end_year]))
            .group_by("year").agg(pl.col(eq).sum()))
    b = sums.filter(pl.col("year") == base_year)[eq][0]
    e = sums.filter(pl.col("year") == end_year)[eq][0]
    return pl.DataFrame({
        "entity": ["NATO_TOTAL_FIXED_ALLIES"], "n_allies": [both.height],
        "base_year": [base_year], "end_year": [end_year],
        f"{eq}_base": [b], f"{eq}_end": [e], "ratio": [e / b],
        "price_basis": [df["price_basis"][0]],
    })


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
                         labels: Mapping[str, str], entity: str = ALLIANCE) -> pl.DataFrame:
    """One entity's equipment spending on both price bases, long, with ``labels`` (price basis
    -> words) as ``price_basis_label``."""
    return pl.concat([
        equipment_spending(nato, membership, basis).filter(pl.col("entity") == entity)
        .select("entity", "year", "estimate", "price_basis",
                (pl.col(equipment_column(basis)) / 1000).alias("equipment_usd_bn"))
        for basis in PRICE_BASES
    ]).with_columns(pl.col("price_basis").replace_strict(dict(labels)).alias("price_basis_label"))


def growth_by_grouping(nato: pl.DataFrame, membership: pl.DataFrame, base_year: int = 2014,
                       end_year: int = 2024) -> pl.DataFrame:
    """Equipment spending in both years and their ratio for every reading of "Allies"
    (:data:`GROUPINGS`) on both price bases: the claim names neither, and the verdict differs."""
    rows = []
    for basis in PRICE_BASES:
        eq = equipment_spending(nato, membership, basis)
        col = equipment_column(basis)
        ratios = growth_ratio(eq, base_year, end_year)
        fixed = alliance_growth_same_allies(eq, base_year, end_year).row(0, named=True)
        counted = eq.filter(pl.col("counted"), ~pl.col("is_aggregate"))
        n = {(year, europe): counted.filter(pl.col("year") == year,
                                            *([pl.col("entity") != "USA"] if europe else [])
                                            ).height
             for year in (base_year, end_year) for europe in (False, True)}
        picks = {"all_allies": (ALLIANCE, n[base_year, False], n[end_year, False]),
                 "europe_canada": (EUROPE_CANADA, n[base_year, True], n[end_year, True]),
                 "united_states": ("USA", 1, 1)}
        for grouping in GROUPINGS:
            if grouping == "same_allies":
                base, end = fixed[f"{col}_base"], fixed[f"{col}_end"]
                n0 = n1 = fixed["n_allies"]
            else:
                entity, n0, n1 = picks[grouping]
                r = ratios.filter(pl.col("entity") == entity).row(0, named=True)
                base, end = r[f"{col}_base"], r[f"{col}_end"]
            rows.append({"grouping": grouping, "price_basis": basis, "base_year": base_year,
                         "end_year": end_year, "n_allies_base": n0, "n_allies_end": n1,
                         "equipment_usd_bn_base": base / 1000,
                         "equipment_usd_bn_end": end / 1000, "ratio": end / base})
    return pl.DataFrame(rows)


def against_factor(ratio: pl.Expr, factor: float, tolerance: float) -> pl.Expr:
    """1 above ``factor``, -1 below, 0 within ``tolerance`` (relative) of it: to rounding."""
    return (pl.when((ratio / factor - 1).abs() <= tolerance).then(0)
            .when(ratio > factor).then(1).otherwise(-1))
