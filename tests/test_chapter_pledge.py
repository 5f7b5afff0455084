"""Chapter 4 as a whole: the claim and its verdict, the words the chapter and the summary carry
(names not codes, "not a forecast", Poland already above, the count interval, the GDP break),
the shared parameters, and years and editions read from the data rather than written in."""

from __future__ import annotations

import re
import shutil

import polars as pl
import pytest

from dibtrends import pledge as analysis
from dibtrends import sources
from dibtrends.chapters import pledge as chapter
from dibtrends.countries import all_codes
from dibtrends.errors import ParameterError
from dibtrends.results import REPRODUCED

from .chapter_runs import chapter_record


@pytest.fixture(scope="module")
def result(processed):
    return chapter.run()


def prose(result) -> str:
    """Every sentence the chapter shows, without quotations (SIPRI's own words may say 'USA')."""
    text = " ".join(v for v in result.text.values()) + " " + " ".join(
        getattr(result.claim, f) for f in ("claim", "finding", "condition"))
    return re.sub(r"\u201c[^\u201d]*\u201d", "", text)


# ----------------------------------------------------------------------------- the claim
def test_claim_three_at_two_percent_is_reproduced(result):
    c = result.claim
    assert c.id == "three_at_two_percent" and c.verdict == REPRODUCED
    assert c.finding.startswith("3 of 27 Allies with NATO figures in 2014")
    assert "Greece (2.22 %), the United Kingdom (2.14 %) and the United States (3.71 %)" in (
        c.finding)
    assert "tables of 17 June 2024" in c.condition
    assert "SIPRI's figures (release v1.2, April 2026) give the same three Allies" in c.condition
    assert c.chapter == chapter.NOTEBOOK and c.section == chapter.SECTION


def test_claim_does_not_move_with_the_parameters(processed):
    """The target, year, growth and trend window change the chapter's analysis, never the
    claim's own check (2014, 2 %, NATO's figures)."""
    default = chapter_record(chapter.NOTEBOOK).claim("three_at_two_percent")
    other = chapter_record(chapter.NOTEBOOK, target_share_pct=5.0,
                           trend_window_start=2018).claim("three_at_two_percent")
    assert other == default


def test_claim_verdict_follows_the_data(result):
    """Fixture: drop the United Kingdom below 2 % in 2014 and the verdict turns."""
    status = result.status.with_columns(
        pl.when((pl.col("entity") == "GBR") & (pl.col("year") == 2014)).then(1.9)
        .otherwise(pl.col("share_gdp_pct")).alias("share_gdp_pct"))
    c = chapter.claim_verdict(status, result.comparison, result.edition, result.sipri_edition)
    assert c.verdict == "Not supported by the data"
    assert "the United Kingdom below 2 %" in c.condition
    no_2014 = chapter.claim_verdict(result.status.filter(pl.col("year") > 2014),
                                    result.comparison, result.edition, result.sipri_edition)
    assert no_2014.verdict == "Cannot be checked with the data at hand"


# ----------------------------------------------------------------------------- the words
def test_prose_names_countries_never_iso_codes(result):
    codes = set(all_codes()) | {"ISL", "MKD", "MNE"}
    found = sorted({w for w in re.findall(r"\b[A-Z]{3}\b", prose(result)) if w in codes})
    assert not found, f"ISO codes in prose: {found}"


def test_summary_carries_the_count_interval_and_not_a_forecast(result):
    s = result.text["summary"]
    first, second = s.split("\n- ")
    assert first.startswith("**The 2 % guideline.**") and second.startswith(
        "**The Hague commitment.**")
    assert "3 of 27 Allies spent at least 2 % of GDP in 2014 (Greece, the United Kingdom and " \
           "the United States) and 23 of 31 in 2024 (NATO estimates)" in first
    assert "On SIPRI's figures (release v1.2, April 2026) 13 were at 2 % in 2024" in first
    assert "Poland (4.12 %) was already at 3.5 % or more" in second
    assert "5 of 31 would be there by 2035 (Estonia, Greece, Latvia, Lithuania and Poland)" in (
        second)
    assert "between 3 and 10 (95 % interval for the count)" in second
    assert "not a forecast" in second
    assert "15 of the 30 Allies below 3.5 %" in second
    assert "(14 if GDP growth were measured across the break in NATO's GDP series for " \
           "Luxembourg)" in second


def test_summary_shows_two_bullets(result, processed):
    from dibtrends.chapters import summary

    record = result.record()
    key_numbers = summary.summarise({chapter.NOTEBOOK: record}).text["key_numbers"]
    assert key_numbers.startswith("- **The 2 % guideline.**")
    assert "\n- **The Hague commitment.**" in key_numbers


def test_poland_reads_already_above(result):
    gap = result.text["gap"]
    assert "Poland (4.12 %) was already at 3.5 % of GDP or more in 2024" in gap
    assert "Poland stays at or above 3.5 % until 2035 as long as its real defence spending " \
           "grows at least 2.1 % a year" in gap
    table = result.tables["gap"]
    row = table.data.filter(pl.col("ally") == "Poland").row(0, named=True)  # the CSV
    assert row["position"] == "already above" and row["required_real_growth_pct"] is None
    assert row["faster"] == "–"
    shown = table.frame.filter(pl.col("ally") == "Poland").row(0, named=True)
    assert shown["position"] == "above" and shown["needed"] == row["growth_to_stay_pct"]
    assert "for an Ally above 3.5 %, the lowest growth that keeps it there" in table.note


def test_break_column_is_explained(result):
    table = result.tables["gap"]
    assert table.labels["gdp_break"] == "GDP series break"
    assert "GDP series break: the year NATO's GDP series for the Ally breaks" in table.note
    lux = table.frame.filter(pl.col("ally") == "Luxembourg")["gdp_break"].item()
    assert lux == "2023" and set(table.frame["gdp_break"]) == {"2023", "–"}
    text = result.text["breaks"]
    assert text.startswith("**Break in NATO's GDP series.**")
    assert "Luxembourg changes by -33.9 % from 2022 to 2023" in text
    assert "from 0.56 % to 1.12 %" in text
    assert "No other Ally's real GDP changes by more than 15.3 % in any year (Montenegro, " \
           "2020)" in text
    assert "shift level" in text
    assert "With the breaks included the count would read 14 of 30" in result.text["gap"]


def test_trend_text_describes_the_separate_intervals_for_what_they_are(result):
    t = result.text["trend"]
    assert "lies between 3 and 10" in t and "not a forecast" in t
    assert "2 lie wholly at or above 3.5 % and 13 reach it, but these two numbers do not " \
           "bound the count" in t
    assert "median lag-1 autocorrelation 0.32" in t
    ci = result.count_interval  # the chapter draws with the published seed and number
    assert (ci["seed"], ci["n_draws"]) == (analysis.TREND_SEED, analysis.TREND_DRAWS)


def test_definitions_section(result):
    t = result.text["definitions"]
    assert "23 of 31 Allies were at 2 % of GDP or more in 2024 on NATO's figures and 13 on " \
           "SIPRI's" in t
    assert "Türkiye (-0.38), Spain (-0.31) and Greece (-0.11)" in t
    assert "SIPRI marks every figure for Luxembourg in these years as its own estimate" in t
    assert "pensions" in result.text["definition_common"]
    assert "Spain" in result.text["sipri_footnotes"]
    table = result.tables["definitions"]
    assert table.frame.height == 31 and "Iceland" not in table.frame["ally"].to_list()


def test_headlines_have_stable_keys(result):
    keys = {h.key for h in result.record().headlines}
    assert keys == {"pledge.allies_meeting_gdp_guideline",
                    "pledge.allies_meeting_equipment_guideline", "pledge.allies_at_target",
                    "pledge.allies_needing_faster_growth",
                    "pledge.allies_reaching_target_on_trend", "pledge.nato_sipri_difference"}
    assert not any(re.search(r"\d", k) for k in keys)
    rec = result.record()
    assert rec.headline("pledge.allies_at_target").note == "Poland"
    assert rec.headline("pledge.allies_reaching_target_on_trend", estimate="high").display == (
        "10 of 31")
    assert rec.headline("pledge.allies_meeting_gdp_guideline", year=2024,
                        source="sipri_milex_2025").display == "13 of 31"
    assert rec.sources == ("nato_defexp_2024", "sipri_milex_2025")


# ----------------------------------------------------------------------------- parameters
def test_target_parameters_are_shared_and_declared_once():
    specs = chapter.Params.specs()
    assert chapter.Params.shared_names() == {"target_share_pct", "target_year"}
    assert specs["target_share_pct"].default == analysis.TARGET_SHARE_PCT == 3.5
    assert specs["target_year"].default == analysis.TARGET_YEAR == 2035
    assert dict(specs["target_share_pct"].metadata) == dict(chapter.target_share_param().metadata)


@pytest.mark.parametrize("values,words", [
    ({"target_year": 2024}, "allowed: 2025 to 2050"),
    ({"target_year": 2035.5}, "a whole year"),
    ({"trend_window_start": 2020}, "allowed: 2014 to 2019"),
    ({"gdp_growth_pct": 11}, "allowed: -5 to 10"),
])
def test_bad_values_name_the_parameter_and_what_is_allowed(values, words, processed):
    with pytest.raises(ParameterError, match=re.escape(words)) as err:
        chapter.Params.from_mapping(values, "test").check_data()
    assert next(iter(values)) in str(err.value)


def test_non_default_target_is_said(processed):
    rec = chapter_record(chapter.NOTEBOOK, target_share_pct=5.0)
    assert "this report tests 5 % by 2035" in rec.text["summary"]
    assert "No Ally was at 5 % or more in 2024" in rec.text["summary"]
    assert "this chapter was built with a target of 5 % by 2035 instead" in (
        rec.text["target_note"])


# ----------------------------------------------------------------------------- editions
def test_years_and_estimates_come_from_the_data(processed, tmp_path):
    """On NATO's table cut at 2023 the chapter speaks of 2023, marks 2023 as the estimate and
    writes no 2024 anywhere: no edition year is typed into the chapter."""
    from dibtrends import data

    nato = data.table("nato_defexp").filter(pl.col("year") <= 2023)
    nato.write_parquet(tmp_path / "nato_defexp.parquet")
    for name in ("nato_membership", "sipri_milex_2025"):
        shutil.copy(processed / f"{name}.parquet", tmp_path / f"{name}.parquet")
    r = chapter.run(chapter.Params(), tmp_path)
    assert (r.first_year, r.latest_year, r.estimate_years) == (2014, 2023, (2023,))
    assert r.text["estimates"].endswith("2023 is a NATO estimate (marked e).")
    for name, text in r.text.items():  # the edition's name ("17 June 2024") aside
        if name != "sipri_footnotes":  # SIPRI's own words mention 2022-2024
            assert "2024" not in text.replace(r.edition, ""), (name, text)
    captions = " ".join(t.caption for t in r.tables.values()).replace(r.edition, "")
    assert "2024" not in captions
    assert r.claim.verdict == REPRODUCED


def test_edition_words_come_from_the_registry(result):
    assert result.edition == sources.get("nato_defexp_2024").edition.split(" (")[0]
    assert result.edition in result.tables["gap"].caption
