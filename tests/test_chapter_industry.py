"""Chapter 3 (``dibtrends.chapters.industry``): its claims keep their own check whatever the
parameters, its words follow the numbers, and it names the edition it reads.

The generic checks (baseline, READS, parameter sweep) are in ``test_chapters.py``; the numbers of
the data are pinned in ``test_claims_industry.py``. Fixture frames here are invented for the
verdict logic only.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from dibtrends import industry, results
from dibtrends.chapters import industry as chapter
from dibtrends.prose import industry as words

from .chapter_runs import chapter_record, default_records

NON_DEFAULT = [{"top_k": 5}, {"top_k": 1}, {"end_year": 2023}, {"start_year": 2015},
               {"exclude_china": True}, {"top_k": 100, "end_year": 2010}]


@pytest.fixture(scope="module")
def default(processed):
    return chapter.run()


@pytest.fixture(scope="module", params=NON_DEFAULT, ids=str)
def other(request, processed):
    return chapter.run(chapter.Params(**request.param))


def test_both_claims_reproduced_at_the_defaults(default):
    seven = default.claim("seven_of_ten")
    assert seven.verdict == results.REPRODUCED
    assert seven.finding == "7 of the top 10 in 2024"
    assert "(6 United States and 1 United Kingdom)" in seven.condition
    assert "Rostec (Russia), AVIC (China) and CETC (China)" in seven.condition
    assert default.claim("fifty_one_to_five").verdict == results.REPRODUCED
    assert [c.section for c in default.claims] == [chapter.SECTION_PRIMES, chapter.SECTION_TOP10]


def test_claims_do_not_change_with_the_parameters(default, other):
    """Issue 9: top_k 5 once turned the summary row into '5 of 10 in 2023'. The claim's check
    always counts the top 10 of 2024 on the published lists."""
    assert other.claims == default.claims


def test_concentration_is_context_not_a_claim(default):
    assert {c.id for c in default.claims} == {"fifty_one_to_five", "seven_of_ten"}
    assert "no verdict" in default.text["context"]
    assert "no NATO document" in default.text["context"]


def test_summary_shows_the_chapters_own_claims(processed):
    from dibtrends.chapters import summary

    records = default_records()
    result = summary.summarise(records)
    mine = [c for c in result.claims if c.chapter == chapter.NOTEBOOK]
    assert mine == list(records[chapter.NOTEBOOK].claims)
    rows = result.tables["claims"].frame.filter(pl.col("claim").str.contains("seven"))
    assert rows["verdict"].item() == results.REPRODUCED
    assert rows["finding"].item() == "7 of the top 10 in 2024"


def test_summary_line_carries_the_numbers_and_the_parameters(default):
    line = default.text["summary"]
    assert "US$ 679.2 bn" in line and "31.4 %" in line and "44.7 %" in line
    assert "the ten largest 48.1 %" in line and "2002" in line
    assert "7 of the top 10 in 2024" in line and "December 2025 release" in line
    five = chapter_record(chapter.NOTEBOOK, top_k=5).text["summary"]
    assert "ten largest" not in five and "7 of the top 10 in 2024" in five
    excl = chapter_record(chapter.NOTEBOOK, exclude_china=True).text["summary"]
    assert "the 92 non-Chinese companies" in excl


def test_the_2024_total_is_said_to_be_the_sum_of_the_rows(default):
    assert "US$ 679.2 bn**, the sum of the 100 companies listed" in default.text["total"]
    assert "No totals file is available for the December 2025 release" in default.text["total"]
    total = next(h for h in default.headlines() if h.key == "industry.total_arms_revenue")
    assert total.value == pytest.approx(679.2) and total.fields["edition"] == chapter.TOP100


def test_series_without_chinese_firms_says_how_many_firms_it_holds(default):
    assert "91 to 93 a year from 2015 to 2024" in default.text["excl_china"]
    table = default.tables["concentration"].frame
    excl = table.filter(pl.col("series") == words.SERIES_WORDS[industry.SERIES_EXCL_CHINA])
    assert excl["n_companies"].to_list() == [93, 92]  # 2015, 2024


def test_top10_table_names_companies_and_countries(default):
    table = default.tables["top10_claim"]
    frame = table.frame
    assert frame.height == 10 and frame["company"][0] == "Lockheed Martin Corp."
    assert "hq_iso3" not in frame.columns
    assert set(frame["country_published"]) == {"United States", "United Kingdom", "Russia",
                                               "China"}
    assert frame["arms_usd_bn"][0] == pytest.approx(64.65)
    assert "December 2025 release" in table.caption


def test_every_table_and_sipri_headline_names_the_edition(default):
    for name in ("top10_claim", "concentration", "regional"):
        assert "December 2025 release" in default.tables[name].caption, name
    for h in default.headlines():
        if h.key != "industry.dod_primes":
            assert h.fields.get("edition") == chapter.TOP100, h.key
    assert chapter.SOURCES == (chapter.TOP100,)


def test_headline_keys_hold_no_parameter_values(other):
    for h in other.headlines():
        assert not re.search(r"\d", h.key), h.key


def test_no_iso_codes_in_prose(default, other):
    for r in (default, other):
        for name, text in r.text.items():
            assert not re.search(r"\b(USA|GBR|CHN|RUS)\b", text), (name, text)


def test_words_follow_the_numbers_for_other_parameters(other):
    p = other.params
    text = " ".join(other.text.values())
    assert "ranged from 5 to 5" not in text and "from 100.0 % to 100.0 %" not in text
    if p.top_k == 1:
        assert "the largest company, Lockheed Martin Corp., was headquartered" in text
    if (p.top_k, other.end_year, p.exclude_china) != (10, 2024, False):
        assert "its verdict above does not change" in other.text["top_k"]
    assert f"This chapter analyses {other.start_year} to {other.end_year}." in other.text["data"]


def test_chart_titles_are_computed(default):
    assert default.titles["concentration"]["title"] == (
        "The five largest arms companies' share fell from 45 % to 31 %, 2002–2024")
    assert default.titles["top_k"]["title"] == "NATO companies held 7 of the top 10 in 2024"
    # no possessive after a digit: Typst prints "100's" with a prime
    assert default.titles["regional"]["title"] == (
        "US companies earned 49 % of Top-100 arms revenue in 2024")
    assert not re.search(r"\d'", " ".join(default.text.values()))


def test_charts_build_for_defaults_and_other_parameters(default, other):
    from dibtrends.charts import industry as charts

    for r in (default, other):
        charts.concentration_chart(r.measures, source_id=chapter.TOP100,
                                   **r.titles["concentration"]).to_dict()
        charts.regional_shares_chart(r.regional, source_id=chapter.TOP100,
                                     **r.titles["regional"]).to_dict()
        charts.top10_by_hq_chart(r.top_counts, r.params.top_k, source_id=chapter.TOP100,
                                 **r.titles["top_k"]).to_dict()
    # the chart data the notebook exports: one row per plotted year, series and measure
    m = default.measures
    assert not m.select("year", "series", "measure").is_duplicated().any()
    assert m.filter(measure="CR5", series=industry.SERIES_PUBLISHED).height == 23


# --- verdict logic on fixture frames -----------------------------------------------------------

def _top(nato: list[bool]) -> pl.DataFrame:
    n = len(nato)
    return pl.DataFrame({
        "year": [chapter.CLAIM_YEAR] * n, "position": list(range(1, n + 1)),
        "company": [f"F{i}" for i in range(n)], "hq_iso3": ["USA" if x else "CHN" for x in nato],
        "trans_european": [False] * n, "nato": nato,
        "country_published": ["United States" if x else "China" for x in nato]})


def _membership() -> pl.DataFrame:
    from datetime import date

    return pl.DataFrame({"iso3": ["USA", "SWE"], "accession_date": [date(1949, 8, 24),
                                                                    date(2024, 3, 7)]})


def test_trans_european_firms_count_as_nato_for_any_top_k_and_the_words_say_so(default):
    """Issue 22: with top_k 15, Airbus (Trans-European) was counted as NATO without a word."""
    fifteen = chapter.run(chapter.Params(top_k=15))
    latest = fifteen.nato.filter(year=2024).row(0, named=True)
    assert "Airbus" in latest["nato_companies"]
    assert latest["trans_european_companies"] == ["Airbus"]
    text = fifteen.text["top_k"]
    assert "**10 of the top 15** were NATO companies" in text
    assert "in 2024 Airbus is in the top 15, and without it the NATO count would be 9 of 15" in text
    assert words.TRANS_EUROPEAN in text
    # the rule is stated at the defaults too, where no Trans-European firm is in the top 10
    assert "in 2024 none is in the top 10" in default.text["top_k"]
    assert words.TRANS_EUROPEAN in default.text["top_k"]
    # and the claim's check, which never changes with top_k, says it does not hang on the rule
    assert "none of them Trans-European" in default.claim("seven_of_ten").short


def test_concentration_table_keeps_units_out_of_its_headers(default):
    """Issue 22: 'Arms revenue of the list, US$ bn (sum of rows)' wrapped over six lines."""
    table = default.tables["concentration"]
    assert max(len(label) for label in table.labels.values()) <= 20
    assert "sum of the companies listed, US$ bn" in table.caption


def test_seven_of_ten_not_supported_when_the_count_differs():
    claim = chapter.claim_seven_of_ten(_top([True] * 6 + [False] * 4), 2024, "fixture (x)",
                                       _membership())
    assert claim.verdict == results.NOT_SUPPORTED
    assert claim.condition.startswith("The data give 6, not 7.")


def test_seven_of_ten_cannot_be_checked_without_2024():
    claim = chapter.claim_seven_of_ten(_top([]), 2023, "December 2024 release", _membership())
    assert claim.verdict == results.NOT_CHECKABLE
    assert "ends in 2023" in claim.finding


def test_seven_of_ten_says_when_new_allies_decide_the_count():
    top = _top([True] * 7 + [False] * 3).with_columns(
        pl.when(pl.col("position") == 7).then(pl.lit("SWE")).otherwise("hq_iso3")
        .alias("hq_iso3"))
    claim = chapter.claim_seven_of_ten(top, 2024, "fixture", _membership())
    assert claim.verdict == results.REPRODUCED
    assert "F6 count as NATO because" in claim.condition


def test_fifty_one_to_five_follows_the_transcribed_count():
    dod = pl.DataFrame({"fact_id": ["primes"], "count_before": [50], "count_after": [5],
                        "period_before": ["1990s"], "period_after": ["2022"]})
    big = pl.DataFrame({"company": ["A", "B", "C", "D", "E"]})
    assert chapter.claim_fifty_one_to_five(dod, big, 2024).verdict == results.NOT_SUPPORTED


# --- structure ----------------------------------------------------------------------------------

def test_chapter_reads_the_newest_edition():
    from dibtrends.load import sipri_top100

    assert chapter.TOP100 == sipri_top100.NEWEST
    assert chapter.TOP100 in chapter.READS


def test_analysis_modules_do_not_import_the_presentation_modules():
    from dibtrends import minerals, revisions
    from dibtrends.chapters import minerals as ch5, revisions as ch6
    from dibtrends.prose import minerals as words5, revisions as words6

    for module in (chapter, industry, words, ch5, minerals, words5, ch6, revisions, words6):
        source = Path(module.__file__).read_text()
        assert not re.search(r"^\s*from \.+ import .*\breport\b|^\s*from \.+charts\b|"
                             r"^\s*import dibtrends\.report", source, flags=re.M), module
