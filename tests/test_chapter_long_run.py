"""Chapter 1 as a chapter: parameters, words, tables and chart data.

The numbers are pinned in ``test_claims_spending.py``; the generic tests (baseline, READS,
parameter sweep) are in ``test_chapters.py``. Runs are shared with those tests through
``chapter_runs`` where a record is enough.
"""

from __future__ import annotations

import re

import nbformat
import polars as pl
import pytest

from dibtrends import paths, results
from dibtrends.chapters import long_run
from dibtrends.charts import long_run as charts
from dibtrends.errors import ParameterError
from dibtrends.load import curated

from .chapter_runs import chapter_record

NOTEBOOK = paths.NOTEBOOKS / f"{long_run.NOTEBOOK}.ipynb"


@pytest.fixture(scope="module")
def result(processed):
    return long_run.run()


@pytest.fixture(scope="module")
def ally_codes():
    return set(curated.load_nato_membership()["iso3"].to_list())


def all_words(result_or_record) -> list[str]:
    rec = result_or_record
    claims = rec.claims
    words = list(rec.text.values())
    words += [w for c in claims for w in (c.claim, c.finding, c.condition)]
    return words


def test_weighted_chart_data_has_one_row_per_plotted_year_and_group(result):
    """Issue 12, item 9: the CSV holds the plotted series, not the era bands."""
    groups = result.params.groups
    table = charts.long_run_table(result.shares, "weighted", groups)
    assert table.columns[:3] == ["group", "year", "share_gdp_pct"]
    assert "era" not in table.columns and "x0" not in table.columns
    assert table.select("group", "year").is_unique().all()
    plotted = result.shares.filter(pl.col("group").is_in(list(groups))
                                   & pl.col("share_gdp_pct_weighted").is_not_null())
    assert table.height == plotted.height
    for group in groups:
        years = table.filter(pl.col("group") == group)["year"].to_list()
        assert years == list(range(result.start_year, result.end_year + 1)), group
    subset = charts.long_run_table(result.shares, "weighted", ("United States",))
    assert subset["group"].unique().to_list() == ["United States"]
    assert subset.height == result.end_year - result.start_year + 1


def test_the_long_run_caption_names_the_lead_group_as_prose_does(result):
    """The caption's subject is worded like the list of groups: 'the NATO total', but
    'NATO Europe and Canada' without an article (the first group shown leads when the NATO
    total is not among them)."""
    for groups, lead in ((("NATO total", "United States"), "the NATO total fell"),
                         (("NATO Europe and Canada",), ": NATO Europe and Canada fell")):
        chart = charts.long_run_chart(result.shares, result.eras, result.zero, groups=groups)
        caption = chart.to_dict()["usermeta"]["dibtrends"]["caption"]
        assert lead in caption and "the NATO Europe and Canada" not in caption, caption[:300]


def test_every_chart_in_the_notebook_passes_the_data_it_plots():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    calls = [c.source for c in nb.cells if c.cell_type == "code" and "show(" in c.source]
    assert len(calls) >= 6
    for source in calls:
        assert "table=" in source, source


def test_appendix_is_the_last_section_and_holds_the_diagnostics():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    headings = [(i, c.source.splitlines()[0]) for i, c in enumerate(nb.cells)
                if c.cell_type == "markdown" and c.source.startswith("## ")]
    last_index, last = headings[-1]
    assert last.startswith("## Appendix to this chapter: the break tests in detail")
    after = "\n".join(c.source for c in nb.cells[last_index:])
    before = "\n".join(c.source for c in nb.cells[:last_index])
    assert 'tables["diagnostics"]' in after and 'tables["diagnostics"]' not in before
    assert 'tables["error_models"]' in after


def test_prose_names_countries_never_iso_codes(result, ally_codes):
    for text in all_words(result):
        found = set(re.findall(r"\b[A-Z]{3}\b", text)) & ally_codes
        assert not found, (found, text[:200])
    coverage = result.tables["coverage"].frame
    assert not any(set(re.findall(r"\b[A-Z]{3}\b", v)) & ally_codes
                   for v in coverage["allies_without_data"].to_list())


def test_tables_show_words_not_variable_names(result):
    for table in result.tables.values():
        for column in table.frame.columns:
            assert column in table.labels, (table.name, column)
            assert "_" not in table.labels[column], (table.name, table.labels[column])
    diag = result.tables["diagnostics"].frame
    assert not diag["label"].str.contains(r"^[a-z0-9_]+$").any()
    assert "hac_maxlags" not in diag["label"].to_list()
    # The old all-zero "Allies with SIPRI estimates" column is gone; estimates are named.
    assert "n_estimated" not in result.tables["coverage"].frame.columns
    assert "Luxembourg" in result.text["coverage"]


def test_p_values_at_the_bootstrap_floor_read_as_a_bound(result):
    em = result.tables["error_models"].frame
    assert "< 0.002" in em["p_any"].to_list()
    assert "0.002" not in em["p_any"].to_list()
    shown = {h.display for h in result.headlines() if h.key == "long_run.break_p"}
    assert "< 0.002" in shown


def test_headline_keys_hold_no_parameter_values(result):
    for h in result.headlines():
        assert h.key.startswith("long_run.") and not re.search(r"\d", h.key), h.key


def test_a_changed_window_is_said_next_to_the_peak(processed):
    """Issue 9: start_year 1960 moves the peak to 1962, and the summary says why."""
    rec = chapter_record(long_run.NOTEBOOK, start_year=1960)
    peak = rec.headline("long_run.peak_year", measure="weighted")
    assert peak.value == 1962 and peak.fields["start_year"] == 1960
    assert "in 1962 (window from 1960)" in rec.text["summary"]
    default = chapter_record(long_run.NOTEBOOK)
    assert "window" not in default.text["summary"]


def test_the_claims_do_not_move_with_the_chapter_parameters(processed):
    """The claim always counts Allies from accession, over every year, from 1960."""
    default = chapter_record(long_run.NOTEBOOK)
    for values in ({"start_year": 1960}, {"membership_rule": "cold_war_16"},
                   {"trend_start_year": 1970}, {"end_year": 2020}):
        other = chapter_record(long_run.NOTEBOOK, **values)
        assert other.claims == default.claims, values


def test_cold_war_rule_is_said_in_the_summary(processed):
    rec = chapter_record(long_run.NOTEBOOK, membership_rule="cold_war_16")
    assert "(the same 16 Cold War Allies in every year)" in rec.text["summary"]
    assert "of the 16 Allies counted that year" in rec.text["summary"]


@pytest.mark.parametrize("values, name", [
    ({"groups": ()}, "groups"),
    ({"groups": ("NATO total", "NATO total")}, "groups"),
    ({"trend_start_year": 1950, "start_year": 1960}, "trend_start_year"),
    ({"start_year": 2010}, "start_year"),
    ({"n_boot": 499.5}, "n_boot"),
])
def test_bad_parameters_stop_with_the_name_and_what_is_allowed(values, name, processed):
    with pytest.raises(ParameterError) as err:
        long_run.Params.from_mapping(values, "test").check_data()
    message = str(err.value)
    assert name in message and ("allowed" in message or "valid" in message), message


def test_an_end_year_too_early_for_a_trend_names_the_fix(processed):
    with pytest.raises(ParameterError, match="first year every counted Ally has SIPRI data"):
        long_run.Params(end_year=1975).check_data()


def test_summary_line_carries_the_verdict_conditions(result):
    summary = result.text["summary"]
    assert summary.startswith("**Long run.**")
    assert "error model" in summary and "(Iceland at 0 %)" in summary
    claim = result.claims[0]
    assert claim.verdict in results.VERDICTS and claim.section == long_run.SECTION
