"""The executive summary's claims: each a verdict and its condition in a sentence or two, with a
link to the chapter that gives the method and the full condition (issue 22: each claim opened
with a twenty-line paragraph of AR(1) coefficients and p-values)."""

from __future__ import annotations

import json
import re

import pytest

from dibtrends import results
from dibtrends.chapters import summary
from dibtrends.prose import summary as words

from .chapter_runs import chapter_record, default_records

#: About three printed lines of the PDF's numbered list (some 110 characters each) once the
#: verdict and the link are set beside the short condition.
SHORT_BUDGET = 300


@pytest.fixture(scope="module")
def result(processed):
    return summary.summarise(default_records())


def test_every_claim_has_a_short_condition_within_three_lines(result):
    assert len(result.claims) == 7
    for c in result.claims:
        assert c.short, c.id
        assert len(c.short) <= SHORT_BUDGET, (c.id, len(c.short))
        assert len(c.short) < len(c.condition) or c.short == c.condition, c.id


def test_the_summary_lists_verdict_and_short_condition_not_the_method(result):
    text = result.text["claims"]
    items = re.split(r"\n(?=\d+\. )", text)
    assert len(items) == len(result.claims)
    for item, c in zip(items, result.claims, strict=True):
        assert f"*{c.verdict}.* {c.short}" in item
        assert f"[{words.METHOD_LINK}](executed/{c.chapter}.ipynb#{c.section})" in item
    assert "AR(1)" not in text and "p = " not in text  # the method stays in the chapter


def test_a_conditional_verdict_says_its_condition(result):
    """The short form must still say when a verdict holds only under a condition."""
    sixty = next(c for c in result.claims if c.id == "sixty_years")
    assert sixty.verdict == results.CONDITIONAL
    assert sixty.short.startswith("Holds for the typical Ally (simple mean)")
    assert "(not 80 %)" in sixty.short and "under 2 of 3 error models" in sixty.short
    assert "not for the GDP-weighted share" in sixty.short
    equipment = next(c for c in result.claims if c.id == "equipment_doubling")
    assert equipment.short.startswith("Holds for all Allies in current US$ (2.04×), not in "
                                      "constant 2015 US$ (1.68×)")


def test_the_claims_download_keeps_the_full_conditions(result):
    frame = result.tables["claims"].frame
    assert frame["condition"].to_list() == [c.condition for c in result.claims]
    assert frame["short"].to_list() == [c.short for c in result.claims]


def test_a_record_without_short_conditions_still_shows_its_claims(processed):
    """A record published before claims had a short form reads back, and the summary shows its
    full condition instead."""
    data = json.loads(chapter_record("05_critical_minerals").to_json())
    for claim in data["claims"]:
        del claim["short"]
    old = results.ChapterRecord.from_json(json.dumps(data))
    assert old.claims[0].short == ""
    text = summary.summarise({old.chapter: old}).text["claims"]
    assert old.claims[0].condition in text
