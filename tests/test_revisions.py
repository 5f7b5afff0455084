"""Revisions between editions: the figures a reader can check against both publications."""

from __future__ import annotations

import re

import polars as pl
import pytest

from dibtrends import data, revisions
from dibtrends.chapters import revisions as chapter
from dibtrends.prose import revisions as words

ARMS = "arms_revenue_usd_m_current"


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
    assert "Albania, Bulgaria, North Macedonia and Slovakia fell below" in result.text["count"]
    higher = chapter.run(chapter.Params(threshold_pct=3.5))
    assert "the same Allies" in higher.text["count"]


def test_words_keep_one_unit_per_paragraph_and_a_true_minus(processed):
    """Issue 22: the Top 100 paragraph mixed US$ bn and US$ m and printed '-0.21 %'."""
    result = chapter.run()
    top100 = result.text["top100"]
    assert "US$ m" not in top100 and "CETC's, up US$ 5.32 bn" in top100
    assert "(−0.21 %)" in top100 and "(−0.40 points)" in result.text["shares"]
    assert not re.search(r"(?<![\w–])-\d", " ".join(result.text.values()))


def test_tables_say_what_they_rank_and_do_not_repeat_a_column(processed):
    result = chapter.run(chapter.Params(top100_year=2020))
    ranks, totals = result.tables["ranks"], result.tables["totals"]
    assert "largest companies of 2020" in ranks.caption
    assert all("2020" in ranks.labels[c] for c in ("rank_older", "rank_newer"))
    # SIPRI's published totals equal the older edition's sums: shown once, kept in the CSV
    assert "published_total_usd_bn" not in totals.frame.columns
    assert "published_total_usd_bn" in totals.data.columns
    assert "December 2024 release" in totals.caption


def test_edition_names_come_from_the_registry():
    assert [words.edition_name(s) for s in (*chapter.MILEX, *chapter.TOP100)] == [
        "April 2025 release", "April 2026 release", "December 2024 release",
        "December 2025 release"]


# --- two Top 100 editions side by side, on fixture frames ----------------------------------------

def _edition(rows, source_id):
    return pl.DataFrame(rows, schema={"year": pl.Int64, "rank": pl.Int64, "company": pl.String,
                                      "country_published": pl.String, ARMS: pl.Float64},
                        orient="row").with_columns(pl.lit(source_id).alias("source_id"))


@pytest.fixture
def editions():
    """Two fixture editions of one year: the newer revises B, drops C, adds D, renames EDGE."""
    older = _edition([(2023, 1, "A", "X", 50.0), (2023, 2, "B", "X", 30.0),
                      (2023, 3, "C", "Y", 20.0), (2023, 4, "EDGE", "Z", 10.0),
                      (2022, 1, "A", "X", 40.0)], "old")
    newer = _edition([(2023, 1, "B", "X", 60.0), (2023, 2, "A", "X", 50.0),
                      (2023, 3, "EDGE Group", "Z", 10.0), (2023, 4, "D", "Y", 5.0),
                      (2024, 1, "A", "X", 70.0)], "new")
    return older, newer


def test_compare_totals_by_hand(editions):
    rev = revisions.compare_totals(*editions)
    assert rev["year"].to_list() == [2023]  # only years both editions cover
    row = rev.row(0, named=True)
    assert row["total_usd_bn_older"] == pytest.approx(0.110)
    assert row["total_usd_bn_newer"] == pytest.approx(0.125)
    assert row["revision_usd_bn"] == pytest.approx(0.015)
    assert row["revision_pct"] == pytest.approx(100 * 15 / 110)
    assert row["n_companies_in_both"] == 3  # A, B and EDGE (renamed)


def test_compare_ranks_by_hand(editions):
    ranks = revisions.compare_ranks(*editions)
    by = {r["company"]: r for r in ranks.iter_rows(named=True)}
    assert set(by) == {"A", "B", "C", "D", "EDGE Group"}
    assert (by["B"]["rank_older"], by["B"]["rank_newer"], by["B"]["rank_change"]) == (2, 1, 1)
    assert by["B"]["revision_usd_m"] == pytest.approx(30.0)
    assert by["A"]["rank_change"] == -1
    assert by["C"]["status"] == revisions.ONLY_OLDER and by["C"]["rank_newer"] is None
    assert by["D"]["status"] == revisions.ONLY_NEWER and by["D"]["country"] == "Y"
    assert by["EDGE Group"]["status"] == revisions.IN_BOTH
    plain = revisions.compare_ranks(*editions, renames={})
    assert set(plain["company"]) >= {"EDGE", "EDGE Group"}


def test_compare_editions_needs_a_common_year(editions):
    older, newer = editions
    with pytest.raises(ValueError, match="share no year"):
        revisions.compare_totals(older.filter(pl.col("year") == 2022),
                                newer.filter(pl.col("year") == 2024))
