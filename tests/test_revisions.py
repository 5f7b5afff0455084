"""Revisions between editions: the figures a reader can check against both publications."""

from __future__ import annotations

import polars as pl
import pytest

from dibtrends import data, revisions
from dibtrends.chapters import revisions as chapter


@pytest.fixture(scope="module")
def shares(processed):
    return revisions.share_revisions(data.table("sipri_milex_2024"), data.table("sipri_milex_2025"),
                                     data.table("nato_membership"), range(2014, 2025))


def test_one_allys_share_in_both_sipri_releases(shares):
    """Poland's 2024 share of GDP: 4.15 % in the April 2025 release, 3.75 % in the April 2026
    release (SIPRI's first estimate, then revised with new GDP and budget figures)."""
    row = shares.filter(iso3="POL", year=2024).row(0, named=True)
    assert row["share_older"] == pytest.approx(4.154, abs=5e-4)
    assert row["share_newer"] == pytest.approx(3.755, abs=5e-4)
    assert row["revision_pp"] == pytest.approx(-0.400, abs=5e-4)


def test_an_unrevised_year_stays_the_same(shares):
    row = shares.filter(iso3="POL", year=2020).row(0, named=True)
    assert row["share_older"] == pytest.approx(2.263, abs=5e-4) == row["share_newer"]


def test_revisions_move_the_count_of_allies_at_two_percent_in_2024(shares):
    counts = revisions.threshold_counts(shares, 2.0).filter(year=2024).row(0, named=True)
    assert (counts["n_at_older"], counts["n_at_newer"]) == (17, 13)
    assert counts["crossed_down"] == ["Albania", "Bulgaria", "North Macedonia", "Slovakia"]
    assert counts["crossed_up"] == []


def test_the_2023_top100_total_in_both_editions(processed):
    result = chapter.run()
    row = result.totals.filter(pl.col("year") == 2023).row(0, named=True)
    assert row["total_usd_bn_older"] == pytest.approx(631.90, abs=0.005)
    assert row["total_usd_bn_newer"] == pytest.approx(630.59, abs=0.005)
    assert row["published_total_usd_bn"] == pytest.approx(631.90, abs=0.005)


def test_chapter_words_follow_the_numbers(processed):
    result = chapter.run()
    assert "17 in the April 2025 release and 13 in the April 2026 release" in result.text["count"]
    assert "Albania, Bulgaria, North Macedonia, Slovakia fell below" in result.text["count"]
    higher = chapter.run(chapter.Params(threshold_pct=3.5))
    assert "the same Allies" in higher.text["count"]


def test_edition_names_come_from_the_registry():
    assert [chapter.edition_name(s) for s in (*chapter.MILEX, *chapter.TOP100)] == [
        "April 2025 release", "April 2026 release", "December 2024 release",
        "December 2025 release"]
