"""The analysis helpers behind the Ally profiles (``dibtrends.profile``): pure frames for one Ally.

The page itself (words, headlines, charts shown or not) is tested in
``test_chapter_profile.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import polars as pl
import pytest

from dibtrends import data, pledge, profile


@pytest.fixture(scope="module")
def tables(processed):
    return {name: data.table(name) for name in ("nato_defexp", "nato_membership",
                                                "sipri_milex_2025")}


def test_analysis_module_does_not_import_the_presentation_module():
    tree = ast.parse(Path(profile.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree)
                if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {n for n in imported if n.split(".")[-1] in ("report", "charts", "chapters")}


def test_united_states_nato_series_and_categories(tables):
    nato = tables["nato_defexp"]
    series = profile.nato_series(nato, "USA")
    assert series["year"].to_list() == list(range(2014, 2025))
    raw = nato.filter(pl.col("entity") == "USA", pl.col("year") == 2024).row(0, named=True)
    row = series.filter(pl.col("year") == 2024).row(0, named=True)
    assert row["milex_usd_bn_const2015"] == pytest.approx(raw["milex_usd_m_const2015"] / 1000)
    assert row["share_gdp_pct"] == pytest.approx(raw["share_gdp_pct"])
    split = profile.category_split(profile.nato_series(nato, "USA"))
    by_year = split.group_by("year").agg(pl.col("share_pct").sum())
    assert by_year["share_pct"].min() == pytest.approx(100, abs=0.5)  # categories add to 100 %
    assert by_year["share_pct"].max() == pytest.approx(100, abs=0.5)


def test_united_states_pledge_row(tables):
    nato, membership = tables["nato_defexp"], tables["nato_membership"]
    gap = pledge.pledge_gap(nato, membership, target_share_pct=3.5, target_year=2035).filter(
        pl.col("entity") == "USA")
    latest = profile.nato_series(nato, "USA").filter(pl.col("year") == 2024)["share_gdp_pct"]
    assert gap.height == 1
    assert gap["gap_pp"].item() == pytest.approx(3.5 - latest.item())


def test_united_states_guideline_counts(tables):
    status = pledge.guideline_status(tables["nato_defexp"], tables["nato_membership"]).filter(
        pl.col("entity") == "USA")
    gdp = profile.guideline_count(status, "meets_gdp_guideline")
    assert gdp == {"n_years": 11, "n_meeting": 11, "first_year": 2014, "last_year": 2024}


def test_finland_is_counted_from_accession(tables):
    status = pledge.guideline_status(tables["nato_defexp"], tables["nato_membership"]).filter(
        pl.col("entity") == "FIN")
    gdp = profile.guideline_count(status, "meets_gdp_guideline")
    assert (gdp["first_year"], gdp["last_year"], gdp["n_years"]) == (2023, 2024, 2)


def test_iceland_has_nothing_to_draw(tables):
    nato = tables["nato_defexp"]
    series = profile.nato_series(nato, "ISL")
    assert series.height == 11  # the years are there, with GDP ...
    assert not profile.has_values(series, "milex_usd_bn_const2015")  # ... but no spending
    assert profile.spending(series).is_empty()
    assert profile.category_split(series).is_empty()
    share = profile.long_run_share(tables["sipri_milex_2025"], "ISL")
    assert share.height > 0 and not profile.has_values(share, "share_gdp_pct")  # SIPRI: zeros


def test_has_values():
    frame = pl.DataFrame({"x": [None, 0.0]})
    assert not profile.has_values(frame, "x")
    assert profile.has_values(frame.vstack(pl.DataFrame({"x": [0.1]})), "x")
    assert not profile.has_values(None, "x")
    assert not profile.has_values(frame, "y")


def test_long_run_segments_break_at_gaps():
    sipri = pl.DataFrame({
        "iso3": ["AAA"] * 6, "year": [1990, 1991, 1992, 1995, 1996, 1997],
        "share_gdp_pct": [1.0, 1.1, None, 1.3, 1.4, 1.5],
        "estimate": [False] * 6, "uncertain": [False] * 6})
    share = profile.long_run_share(sipri, "AAA")
    assert share["year"].to_list() == [1990, 1991, 1995, 1996, 1997]
    assert share["segment"].to_list() == [0, 0, 1, 1, 1]


def test_luxembourg_gdp_break_is_described(tables):
    nato = tables["nato_defexp"]
    breaks = profile.gdp_breaks(nato, "LUX")
    expected = pledge.gdp_series_breaks(nato).filter(pl.col("entity") == "LUX")
    assert breaks["year"].to_list() == expected["year"].to_list() == [2023]
    row = breaks.row(0, named=True)
    assert row["gdp_change_pct"] == pytest.approx(expected["change_pct"].item())
    assert row["gdp_change_pct"] < -25 and row["milex_change_pct"] > 0
    assert row["share_after_pct"] > row["share_before_pct"]
    assert profile.gdp_breaks(nato, "USA").is_empty()
