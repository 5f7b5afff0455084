"""The front page's key facts (``dibtrends.facts``) on a fixture frame worked out by hand."""

from __future__ import annotations

import polars as pl
import pytest

from dibtrends import facts


def test_key_facts_real_change_on_the_year_and_over_the_span():
    """Fixture rows, not data: NATO's total from 2012 (so a 10-year span starts in 2014) and
    Europe and Canada from 2020 only (so its span starts at its first year)."""
    rows = [("NATO_TOTAL", 2012, 50.0), ("NATO_TOTAL", 2014, 100.0), ("NATO_TOTAL", 2023, 120.0),
            ("NATO_TOTAL", 2024, 150.0), ("NATO_EUROPE_CANADA", 2020, 40.0),
            ("NATO_EUROPE_CANADA", 2024, 60.0), ("POL", 2024, 30.0)]
    nato = pl.DataFrame(rows, schema=["entity", "year", "milex_usd_m_const2015"],
                        orient="row").with_columns(
        pl.col("milex_usd_m_const2015") * 1000, (pl.col("year") == 2024).alias("estimate"),
        (2000 * pl.col("milex_usd_m_const2015")).alias("milex_usd_m_current"),
        pl.lit(2.0).alias("share_gdp_pct"))
    key = facts.key_facts(nato)
    assert key["group"].to_list() == list(facts.GROUPS.values())
    total, europe = key.rows(named=True)
    assert (total["year"], total["estimate"], total["usd_bn_const2015"]) == (2024, True, 150.0)
    assert total["usd_bn_current"] == pytest.approx(300.0)
    assert total["real_change_1y_pct"] == pytest.approx(25.0)  # 150 / 120
    assert (total["span_start_year"], total["real_change_span_pct"]) == (2014, pytest.approx(50))
    assert europe["real_change_1y_pct"] is None  # no 2023 row
    assert (europe["span_start_year"], europe["real_change_span_pct"]) == (
        2020, pytest.approx(50.0))
