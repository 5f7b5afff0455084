"""NATO's and SIPRI's figures side by side: the arithmetic on tiny made-up frames, then the
comparison on the real tables (NATO, 17 June 2024; SIPRI, release v1.2, April 2026)."""

from __future__ import annotations

import polars as pl
import pytest

from dibtrends import definitions


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture
def tiny_nato() -> pl.DataFrame:
    """Two made-up Allies and an aggregate, two years; B has no figure in 2015. Not data."""
    rows = [
        ("AAA", False, 2014, False, 2.00, 20.0, 1000.0),
        ("AAA", False, 2015, True, 2.10, 22.0, 1000.0),
        ("BBB", False, 2014, False, 1.00, 10.0, 1000.0),
        ("BBB", False, 2015, True, None, None, 1000.0),
        ("NATO_TOTAL", True, 2014, False, 1.50, 30.0, 2000.0),
    ]
    return pl.DataFrame(rows, schema={
        "entity": pl.String, "is_aggregate": pl.Boolean, "year": pl.Int64,
        "estimate": pl.Boolean, "share_gdp_pct": pl.Float64, "milex_usd_m_current": pl.Float64,
        "gdp_usd_m_current": pl.Float64}, orient="row")


@pytest.fixture
def tiny_sipri() -> pl.DataFrame:
    rows = [("AAA", 2014, 1.90, False), ("AAA", 2015, 2.30, False), ("BBB", 2014, 1.00, True),
            ("BBB", 2015, 1.20, True), ("CCC", 2014, 5.00, False), ("AAA", 2013, 1.80, False)]
    return pl.DataFrame(rows, schema={"iso3": pl.String, "year": pl.Int64,
                                      "share_gdp_pct": pl.Float64, "estimate": pl.Boolean},
                        orient="row")


# ----------------------------------------------------------------------------- arithmetic
def test_comparison_lines_up_ally_years_both_publish(tiny_nato, tiny_sipri):
    c = definitions.nato_vs_sipri(tiny_nato, tiny_sipri)
    assert c.columns == list(definitions.COLUMNS)
    # aggregates, Allies without a NATO figure, non-Allies and years outside NATO's drop out
    assert c.select("iso3", "year").rows() == [("AAA", 2014), ("AAA", 2015), ("BBB", 2014)]
    assert c["difference_pp"].to_list() == pytest.approx([0.10, -0.20, 0.0])
    assert c["nato_nominal_share_pct"].to_list() == pytest.approx([2.0, 2.2, 1.0])


def test_by_ally_summarises_latest_mean_and_largest(tiny_nato, tiny_sipri):
    a = definitions.by_ally(definitions.nato_vs_sipri(tiny_nato, tiny_sipri))
    row = a.filter(pl.col("iso3") == "AAA").row(0, named=True)
    assert row["latest_year"] == 2015 and row["n_years"] == 2
    assert row["difference_latest_pp"] == pytest.approx(-0.20)
    assert row["mean_difference_pp"] == pytest.approx(-0.05)
    assert row["mean_abs_difference_pp"] == pytest.approx(0.15)
    assert (row["largest_difference_pp"], row["largest_difference_year"]) == (
        pytest.approx(-0.20), 2015)
    assert a.filter(pl.col("iso3") == "BBB")["sipri_estimate_years"].item() == 1


def test_by_year_counts_each_publisher_at_the_threshold(tiny_nato, tiny_sipri):
    c = definitions.nato_vs_sipri(tiny_nato, tiny_sipri)
    y = definitions.by_year(c, 2.0)
    assert y.select("year", "n_at_threshold_nato", "n_at_threshold_sipri").rows() == [
        (2014, 1, 0), (2015, 1, 1)]
    counted = pl.DataFrame({"iso3": ["AAA", "AAA", "BBB"], "year": [2014, 2015, 2014],
                            "counted": [False, True, True]})
    y = definitions.by_year(c, 2.0, counted)
    assert y.select("year", "n_allies", "n_at_threshold_nato").rows() == [(2014, 1, 0),
                                                                          (2015, 1, 1)]


def test_price_basis_effect_counts_rows_that_differ(tiny_nato, tiny_sipri):
    c = definitions.nato_vs_sipri(tiny_nato, tiny_sipri).with_columns(
        pl.when(pl.col("year") == 2015).then(2.5).otherwise(pl.col("nato_nominal_share_pct"))
        .alias("nato_nominal_share_pct"))
    eff = definitions.price_basis_effect(c)
    assert (eff["n_rows"], eff["n_differ"], eff["allies"]) == (3, 1, ["AAA"])
    assert eff["largest_pp"] == pytest.approx(0.4)



@pytest.fixture(scope="module")
def comparison(processed) -> pl.DataFrame:
    from dibtrends import data

    return definitions.nato_vs_sipri(data.table("nato_defexp"), data.table("sipri_milex_2025"))


def test_every_ally_with_nato_figures_is_compared_every_year(comparison):
    """31 Allies (Iceland has no NATO figure) x 11 years (2014-2024)."""
    assert comparison.height == 341
    assert comparison["iso3"].n_unique() == 31 and "ISL" not in comparison["iso3"]
    assert (comparison["year"].min(), comparison["year"].max()) == (2014, 2024)


def test_spain_is_lower_on_natos_figures_as_sipris_footnote_says(comparison):
    """SIPRI's Spanish figures include pensions, R&D and military intelligence that NATO's do
    not: NATO's share is below SIPRI's in every year 2014-2024, by 0.31 points on average."""
    esp = comparison.filter(pl.col("iso3") == "ESP")
    assert (esp["difference_pp"] < 0).all()
    assert esp["difference_pp"].mean() == pytest.approx(-0.3103, abs=1e-4)
    assert "ESP" in definitions.SIPRI_FOOTNOTES


def test_at_two_percent_in_2024_23_on_natos_figures_13_on_sipris(comparison, processed):
    from dibtrends import data, pledge

    status = pledge.guideline_status(data.table("nato_defexp"), data.table("nato_membership"))
    counted = status.select(pl.col("entity").alias("iso3"), "year", "counted")
    y = definitions.by_year(comparison, 2.0, counted)
    row = y.filter(pl.col("year") == 2024).row(0, named=True)
    assert (row["n_allies"], row["n_at_threshold_nato"], row["n_at_threshold_sipri"]) == (
        31, 23, 13)
    first = y.filter(pl.col("year") == 2014).row(0, named=True)
    assert (first["n_allies"], first["n_at_threshold_nato"], first["n_at_threshold_sipri"]) == (
        27, 3, 3)


def test_natos_price_basis_barely_matters(comparison):
    eff = definitions.price_basis_effect(comparison)
    assert (eff["n_rows"], eff["n_differ"]) == (341, 12)
    assert eff["largest_pp"] == pytest.approx(0.20, abs=0.01)


def test_footnotes_quote_only_allies():
    from dibtrends.countries import name_of
    from dibtrends.sources import get

    assert get(definitions.SIPRI_FOOTNOTES_SOURCE).id == "sipri_milex_2025"
    assert all(name_of(code) for code in definitions.SIPRI_FOOTNOTES)
