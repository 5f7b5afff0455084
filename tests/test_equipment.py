"""Equipment spending: arithmetic on tiny named fixtures, then consistency on the real tables."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from dibtrends import equipment
from dibtrends.prose import equipment as prose


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture
def tiny_nato() -> pl.DataFrame:
    """Two made-up Allies, A (member throughout) and B (joins in the second year), plus NATO's
    published total for the counted ones. Test arithmetic only; not data."""
    rows = [
        # entity, agg, year, milex current, milex const2015, equipment share
        ("AAA", False, 2014, 100.0, 110.0, 20.0),
        ("AAA", False, 2015, 200.0, 180.0, 25.0),
        ("BBB", False, 2014, 50.0, 50.0, 10.0),   # not yet counted in 2014
        ("BBB", False, 2015, 60.0, 55.0, 50.0),
        ("NATO_TOTAL", True, 2014, 100.0, 110.0, None),
        ("NATO_TOTAL", True, 2015, 260.0, 235.0, None),
        ("NATO_EUROPE_CANADA", True, 2014, 100.0, 110.0, None),
        ("NATO_EUROPE_CANADA", True, 2015, 260.0, 235.0, None),
    ]
    return pl.DataFrame(rows, schema={
        "entity": pl.String, "is_aggregate": pl.Boolean, "year": pl.Int64,
        "milex_usd_m_current": pl.Float64, "milex_usd_m_const2015": pl.Float64,
        "equipment_share_pct": pl.Float64}, orient="row").with_columns(
        estimate=pl.lit(False))


@pytest.fixture
def tiny_membership() -> pl.DataFrame:
    return pl.DataFrame({"iso3": ["AAA", "BBB"],
                         "accession_date": [date(1949, 8, 24), date(2015, 3, 1)]})


# ----------------------------------------------------------------------------- arithmetic
def test_equipment_is_share_times_expenditure(tiny_nato, tiny_membership):
    eq = equipment.equipment_spending(tiny_nato, tiny_membership, "current")
    a15 = eq.filter(pl.col("entity") == "AAA", pl.col("year") == 2015)
    assert a15["equipment_usd_m_current"].item() == pytest.approx(50.0)  # 25 % of 200


def test_alliance_sums_counted_allies_only(tiny_nato, tiny_membership):
    eq = equipment.equipment_spending(tiny_nato, tiny_membership, "constant2015")
    tot = eq.filter(pl.col("entity") == "NATO_TOTAL").sort("year")
    # 2014: only A (22.0); 2015: A 45.0 + B 27.5 (B counted from its accession year)
    assert tot["equipment_usd_m_const2015"].to_list() == pytest.approx([22.0, 72.5])
    assert tot["n_allies"].to_list() == [1, 2]
    # implied Alliance share uses NATO's published total as denominator
    assert tot["equipment_share_pct"].to_list() == pytest.approx([20.0, 72.5 / 235 * 100])


def test_growth_ratio_and_fixed_composition(tiny_nato, tiny_membership):
    eq = equipment.equipment_spending(tiny_nato, tiny_membership, "constant2015")
    r = equipment.growth_ratio(eq, 2014, 2015)
    assert r.filter(pl.col("entity") == "NATO_TOTAL")["ratio"].item() == pytest.approx(72.5 / 22)
    # with a copy of A as the United States: the Allies counted in both years are A and the US
    usa = tiny_nato.filter(pl.col("entity") == "AAA").with_columns(entity=pl.lit("USA"))
    members = pl.concat([tiny_membership, pl.DataFrame({"iso3": ["USA"],
                                                        "accession_date": [date(1949, 8, 24)]})])
    growth = equipment.growth_by_grouping(pl.concat([tiny_nato, usa]), members, 2014, 2015)
    fixed = growth.filter(grouping="same_allies", price_basis="constant2015")
    assert fixed["ratio"].item() == pytest.approx(45 / 22) and fixed["n_allies_base"].item() == 2


def test_guideline_counts_counted_allies(tiny_nato, tiny_membership):
    eq = equipment.equipment_spending(tiny_nato, tiny_membership, "current")
    m = equipment.meets_equipment_guideline(eq, threshold_pct=20).sort("year")
    assert m["n_meeting"].to_list() == [1, 2]   # A at exactly 20 % counts (>=)
    assert m["n_allies"].to_list() == [1, 2]


def test_unknown_price_basis_is_refused(tiny_nato, tiny_membership):
    with pytest.raises(ValueError, match="constant2015"):
        equipment.equipment_spending(tiny_nato, tiny_membership, "constant2020")


# ----------------------------------------------------------------------------- real tables
def test_counting_rule_reproduces_nato_aggregates(nato, membership):
    """Allies counted from their accession year sum to NATO's own aggregate rows (both), for
    expenditure, GDP and personnel: differences are floating-point only (< 1e-12)."""
    allies = equipment.counted_allies(nato, membership).filter(pl.col("counted"))
    measures = ("milex_usd_m_current", "milex_usd_m_const2015", "gdp_usd_m_const2015",
                "military_personnel_thousands")
    rel = []
    for agg, subset in ((equipment.ALLIANCE, allies),
                        (equipment.EUROPE_CANADA, allies.filter(pl.col("entity") != "USA"))):
        summed = subset.group_by("year").agg(pl.col(m).sum() for m in measures)
        published = nato.filter(pl.col("entity") == agg).select("year", *measures)
        joined = published.join(summed, on="year", suffix="_sum")
        rel += [joined[f"{m}_sum"] / joined[m] - 1 for m in measures]
    assert sum(r.len() for r in rel) == 2 * 4 * 11
    assert max(r.abs().max() for r in rel) < 1e-12


def test_equipment_in_each_year_is_positive_for_every_counted_ally(nato, membership):
    eq = equipment.equipment_spending(nato, membership, "current")
    counted = eq.filter(~pl.col("is_aggregate"), pl.col("counted"))
    assert counted["equipment_usd_m_current"].min() > 0
    assert counted.filter(pl.col("year") == 2024).height == 31  # Iceland: no armed forces


def test_constant_and_current_agree_in_2015(nato, membership):
    """2015 is the price base: the two price bases must give the same dollars that year."""
    cur = equipment.equipment_spending(nato, membership, "current")
    con = equipment.equipment_spending(nato, membership, "constant2015")
    a = cur.filter(pl.col("year") == 2015)["equipment_usd_m_current"]
    b = con.filter(pl.col("year") == 2015)["equipment_usd_m_const2015"]
    assert (a - b).abs().max() < 1e-6


def test_charts_build_and_state_the_claim_price_basis_and_estimates(nato, membership):
    """The chart specs validate, carry the claim in the subtitle, the units on the axes, and
    the estimate years the data mark (never typed in the code)."""
    import json

    from dibtrends.charts import equipment as charts

    growth = equipment.growth_by_grouping(nato, membership, 2014, 2024)
    ratios = {r["price_basis"]: r["ratio"]
              for r in growth.filter(grouping="all_allies").iter_rows(named=True)}
    both = equipment.equipment_both_bases(nato, membership).with_columns(
        pl.col("price_basis").replace_strict(prose.PRICE_BASIS_LABELS).alias("price_basis_label"))
    totals = charts.equipment_totals(both, ratios, 2014, 2024, "nato_defexp_2024")
    spec = json.dumps(totals.to_dict())
    assert "twice as much" in spec and "2.04x in current US$" in spec and "1.68x" in spec
    assert "US$ billion" in spec and "2023 and 2024 are NATO estimates" in spec
    eq = equipment.equipment_spending(nato, membership, "constant2015")
    bars = charts.ratio_bars(equipment.growth_ratio(eq), 1.64, "nato_defexp_2024", both)
    spec = json.dumps(bars.to_dict())
    assert "constant 2015 US$" in spec and "NATO Public Diplomacy Division" in spec
    assert "2014 to 2024e," in spec  # 2024 is an estimate in this edition
    earlier = charts.ratio_bars(equipment.growth_ratio(eq, 2014, 2022), 1.5, "nato_defexp_2024",
                                both)
    assert "2014 to 2022," in json.dumps(earlier.to_dict())  # 2022 is not: no "e"
    counts = charts.guideline_counts_chart(equipment.meets_equipment_guideline(eq), 20,
                                           "nato_defexp_2024")
    assert "2024e" in json.dumps(counts.to_dict())
    no_estimates = both.with_columns(estimate=False)
    assert charts.source_note(no_estimates) == charts.EQUIPMENT_NOTE
    one = both.with_columns(estimate=both["year"] == 2024)
    assert charts.source_note(one).startswith("2024 is a NATO estimate (e).")


def test_the_claim_by_grouping_europe_and_canada_trebled_on_both_bases(nato, membership):
    """Issue 12: for NATO Europe and Canada the rise 2014-2024 is 3.15x in current and 3.07x in
    constant 2015 prices; the United States did not double; the Allies of both years reach
    1.999x in current dollars, twice to rounding."""
    from dibtrends.chapters import equipment as chapter

    growth = chapter.growth(nato, membership, (2014, 2024))

    def ratio(grouping, basis):
        return growth.filter(grouping=grouping, price_basis=basis)["ratio"].item()

    assert ratio("europe_canada", "current") == pytest.approx(3.145, abs=5e-4)
    assert ratio("europe_canada", "constant2015") == pytest.approx(3.067, abs=5e-4)
    assert ratio("united_states", "current") == pytest.approx(1.703, abs=5e-4)
    assert ratio("same_allies", "current") == pytest.approx(1.999, abs=5e-4)
    same = growth.filter(grouping="same_allies", price_basis="current")["side"].item()
    assert prose.READINGS[same] == "twice, to rounding"
    sides = pl.select(equipment.against_factor(pl.lit(pl.Series([2.02, 1.98, 2.009, 1.991])),
                                               2.0, chapter.ROUNDING_TOLERANCE)).to_series()
    assert sides.to_list() == [1, -1, 0, 0]
    table = chapter.run().tables["growth"].frame
    assert table.filter(pl.col("grouping_label") == "Allies counted in both years",
                        pl.col("price_basis_label").str.starts_with("current"))[
        "reading"].item() == "twice, to rounding"
    claim = chapter.claim_verdict(growth, 2014, 2024)
    assert claim.verdict == chapter.CONDITIONAL
    assert claim.condition.startswith("Holds on both price bases for NATO Europe and Canada")
    assert "does not hold for the United States" in claim.condition
    assert "twice to rounding" in claim.condition


def test_the_claim_is_always_checked_on_2014_and_2024(processed):
    from dibtrends.chapters import equipment as chapter

    moved = chapter.run(chapter.Params(base_year=2016, end_year=2023))
    assert moved.claim == chapter.run().claim
    assert "The claim itself compares 2014 with 2024" in moved.text["finding"]
