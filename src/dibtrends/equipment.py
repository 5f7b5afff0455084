"""Spending on major equipment: NATO's equipment share applied to defence expenditure.

NATO publishes, per Ally and year, defence expenditure in US dollars (Table 2) and the share of it
spent on major equipment including related R&D (Table 8a). Equipment spending in dollars is their
product. NATO publishes no Alliance-wide equipment share in these tables, so the Alliance figure
is the sum over the Allies counted in that year. An Ally counts from the calendar year of its
accession, which is NATO's own rule: the sum of counted Allies reproduces NATO's published
"NATO Total" and "NATO Europe and Canada" rows for expenditure, GDP and personnel to floating-point
precision (see :func:`aggregate_check`), so the Alliance sum is consistent with NATO's aggregates.

The price basis matters for any claim about growth: current US$ mix inflation and exchange-rate
movements into "growth"; constant 2015 US$ (2015 prices and exchange rates) remove both.
"""

from __future__ import annotations

import polars as pl

from .membership import membership_panel

#: Price basis -> the defence-expenditure column of ``nato_defexp`` it multiplies.
PRICE_BASES = {"current": "milex_usd_m_current", "constant2015": "milex_usd_m_const2015"}
PRICE_BASIS_LABELS = {"current": "current US$ (current prices and exchange rates)",
                      "constant2015": "constant 2015 US$ (2015 prices and exchange rates)"}
ALLIANCE = "NATO_TOTAL"
EUROPE_CANADA = "NATO_EUROPE_CANADA"
AGGREGATES = (ALLIANCE, EUROPE_CANADA)


def _check_basis(price_basis: str) -> str:
    if price_basis not in PRICE_BASES:
        raise ValueError(f"price_basis={price_basis!r}; allowed: {', '.join(PRICE_BASES)}")
    return price_basis


def equipment_column(price_basis: str) -> str:
    """``equipment_usd_m_current`` or ``equipment_usd_m_const2015``: the unit is in the name."""
    return PRICE_BASES[_check_basis(price_basis)].replace("milex_", "equipment_")


def counted_allies(nato: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    """Ally rows of ``nato`` with ``counted``: True from the calendar year of accession on.

    ``membership`` is the ``nato_membership`` table (iso3, accession_date); the rule is
    :mod:`dibtrends.membership`'s "accession" rule. Finland (2023) and Sweden (2024) have rows
    for earlier years: they stay, uncounted.
    """
    panel = membership_panel(membership, nato["year"].unique().to_list(), rule="accession")
    allies = nato.filter(~pl.col("is_aggregate"))
    return allies.join(
        panel.select(pl.col("iso3").alias("entity"), "year", pl.col("is_member").alias("counted")),
        on=["entity", "year"], how="left",
    ).with_columns(pl.col("counted").fill_null(False))


def aggregate_check(nato: pl.DataFrame, membership: pl.DataFrame,
                    measures: tuple[str, ...] = ("milex_usd_m_current", "milex_usd_m_const2015",
                                                 "gdp_usd_m_const2015",
                                                 "military_personnel_thousands")) -> pl.DataFrame:
    """NATO's aggregate rows against the sum of counted Allies, per aggregate, measure and year.

    Why: the Alliance equipment total is a sum of counted Allies; this shows the same rule
    reproduces every aggregate NATO does publish (``rel_diff`` is the relative difference).
    """
    allies = counted_allies(nato, membership).filter(pl.col("counted"))
    out = []
    for agg, subset in ((ALLIANCE, allies),
                        (EUROPE_CANADA, allies.filter(pl.col("entity") != "USA"))):
        for m in measures:
            summed = subset.group_by("year").agg(pl.col(m).sum().alias("sum_of_allies"))
            published = nato.filter(pl.col("entity") == agg).select("year", pl.col(m).alias("nato"))
            out.append(published.join(summed, on="year").select(
                pl.lit(agg).alias("aggregate"), pl.lit(m).alias("measure"), "year",
                "nato", "sum_of_allies",
                ((pl.col("sum_of_allies") / pl.col("nato")) - 1).alias("rel_diff")))
    return pl.concat(out).sort("aggregate", "measure", "year")


def equipment_spending(nato: pl.DataFrame, membership: pl.DataFrame,
                       price_basis: str = "constant2015") -> pl.DataFrame:
    """Equipment spending (US$ million) per Ally and year, plus Alliance and Europe-and-Canada rows.

    Ally rows: equipment_share_pct / 100 x defence expenditure on the chosen price basis.
    Aggregate rows: sum over Allies counted that year; their defence expenditure is NATO's own
    published aggregate row, and their ``equipment_share_pct`` is the implied share
    (equipment / expenditure x 100).
    """
    milex = PRICE_BASES[_check_basis(price_basis)]
    eq = equipment_column(price_basis)
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
            "n_allies"))
    return pl.concat([
        allies.with_columns(pl.lit(False).alias("is_aggregate"),
                            pl.lit(1, dtype=pl.UInt32).alias("n_allies")),
        *[a.with_columns(pl.lit(True).alias("is_aggregate")) for a in aggs],
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
    """Equipment spending in ``end_year`` divided by ``base_year``, per Ally and aggregate.

    Ally ratios use the Ally's own rows whether or not it was counted in ``base_year`` (Finland
    and Sweden report for years before accession). Aggregate ratios compare the Alliance as it
    was in each year (membership grows from 28 spending Allies in 2014 to 31 in 2024); see
    :func:`alliance_growth_same_allies` for the like-for-like version.
    """
    eq = _value_column(df)
    ends = df.filter(pl.col("year").is_in([base_year, end_year]))
    wide = ends.pivot(on="year", index=["entity", "is_aggregate"], values=eq)
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
    """Alliance equipment ratio over the Allies counted in BOTH years (fixed composition).

    Why: the Alliance total for ``end_year`` includes Allies that joined after ``base_year``
    (Montenegro, North Macedonia, Finland, Sweden); this removes that composition effect.
    """
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
    """Per year: how many counted Allies spent at least ``threshold_pct`` % on major equipment.

    The guideline (Wales Summit, 2014) is 20 % of defence expenditure on major equipment including
    related R&D. Counts only Allies counted in that year and with a published share.
    """
    allies = df.filter(~pl.col("is_aggregate"), pl.col("counted"),
                       pl.col("equipment_share_pct").is_not_null())
    return allies.group_by("year").agg(
        pl.first("estimate"),
        pl.len().alias("n_allies"),
        (pl.col("equipment_share_pct") >= threshold_pct).sum().alias("n_meeting"),
        pl.col("entity").filter(pl.col("equipment_share_pct") >= threshold_pct).sort()
        .alias("allies_meeting"),
    ).with_columns(pl.lit(threshold_pct).cast(pl.Float64).alias("threshold_pct")).sort("year")


def equipment_both_bases(nato: pl.DataFrame, membership: pl.DataFrame,
                         entity: str = ALLIANCE) -> pl.DataFrame:
    """One entity's equipment spending on both price bases, long (for the totals chart)."""
    frames = []
    for basis in PRICE_BASES:
        eq = equipment_column(basis)
        frames.append(equipment_spending(nato, membership, basis).filter(pl.col("entity") == entity)
                      .select("entity", "year", "estimate", "price_basis",
                              (pl.col(eq) / 1000).alias("equipment_usd_bn")))
    return pl.concat(frames).with_columns(
        pl.col("price_basis").replace_strict(PRICE_BASIS_LABELS).alias("price_basis_label"))


#: Who "Allies" can mean in the equipment claim, in the order the chapter shows them.
GROUPINGS = {
    "all_allies": "All Allies (as counted each year)",
    "same_allies": "Allies counted in both years",
    "europe_canada": "NATO Europe and Canada",
    "united_states": "United States",
}


def growth_by_grouping(nato: pl.DataFrame, membership: pl.DataFrame, base_year: int = 2014,
                       end_year: int = 2024) -> pl.DataFrame:
    """Equipment spending in ``base_year`` and ``end_year`` and their ratio, for every reading of
    "Allies" (:data:`GROUPINGS`) on both price bases: one row per grouping and price basis.

    Why: the claim does not say which Allies or which prices; the verdict differs by grouping
    (Europe and Canada trebled, the United States did not double), so the chapter shows them all.
    """
    rows = []
    for basis in PRICE_BASES:
        eq = equipment_spending(nato, membership, basis)
        col = equipment_column(basis)
        ratios = growth_ratio(eq, base_year, end_year)
        fixed = alliance_growth_same_allies(eq, base_year, end_year).row(0, named=True)
        counted = eq.filter(pl.col("counted"), ~pl.col("is_aggregate"))

        def n_counted(year: int, *, europe: bool = False, counted=counted) -> int:
            subset = counted.filter(pl.col("year") == year)
            return subset.filter(pl.col("entity") != "USA").height if europe else subset.height

        picks = {
            "all_allies": (ALLIANCE, n_counted(base_year), n_counted(end_year)),
            "europe_canada": (EUROPE_CANADA, n_counted(base_year, europe=True),
                              n_counted(end_year, europe=True)),
            "united_states": ("USA", 1, 1),
        }
        for grouping in GROUPINGS:
            if grouping == "same_allies":
                base, end, n0, n1 = (fixed[f"{col}_base"], fixed[f"{col}_end"],
                                     fixed["n_allies"], fixed["n_allies"])
            else:
                entity, n0, n1 = picks[grouping]
                r = ratios.filter(pl.col("entity") == entity).row(0, named=True)
                base, end = r[f"{col}_base"], r[f"{col}_end"]
            rows.append({
                "grouping": grouping, "grouping_label": GROUPINGS[grouping],
                "price_basis": basis, "price_basis_label": PRICE_BASIS_LABELS[basis],
                "base_year": base_year, "end_year": end_year,
                "n_allies_base": n0, "n_allies_end": n1,
                "equipment_usd_bn_base": base / 1000, "equipment_usd_bn_end": end / 1000,
                "ratio": end / base,
            })
    return pl.DataFrame(rows)
