"""Chapter 5 as published: its claim, its numbers at the defaults, and its words at other
parameter values (the generic checks every chapter passes are in ``test_chapters.py``).

The numbers pinned here are the ones the report has always published at the defaults: lithium
'>25', titanium sponge '>95', rare earths '>95'; 9 of NATO's 12 at or above half; China the
first-ranked source for 3; and USGS's own 49 and 15 reproduced from its figure.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from dibtrends import paths, results
from dibtrends.chapters import minerals as chapter
from dibtrends.prose import minerals as words

from .chapter_runs import chapter_record

ISO3_SHOWN = re.compile(r"\b(CHN|JPN|ARG|NOR|BEL|CAN|GAB|ZAF|KAZ|JAM|USA|DEU)\b")


@pytest.fixture(scope="module")
def default(processed):
    return chapter.run()


@pytest.fixture(scope="module")
def three_at_100(processed):
    return chapter.run(chapter.Params(minerals="brief_three", min_reliance_pct=100))


def test_the_usgs_claim_is_reproduced(default):
    claim = default.claim
    assert claim.verdict == results.REPRODUCED
    assert "49 of its 63 commodities" in claim.finding and "100 % for 15" in claim.finding
    assert claim.section == chapter.SECTION and claim.chapter == chapter.NOTEBOOK


def test_the_claim_check_ignores_the_chapter_parameters(default, three_at_100):
    assert three_at_100.claim == default.claim


def test_default_numbers(default):
    record = default.record()
    nir = {h.fields["mineral"]: h.display for h in record.headlines if h.key == "minerals.nir"}
    assert nir == {"Lithium": ">25", "Titanium": ">95", "Rare earth elements": ">95"}
    sel = {"selection": "nato_defence_critical"}
    assert record.headline("minerals.n_selected", **sel).value == 12
    meets = record.headline("minerals.n_meets_threshold", threshold_pct=50.0, **sel)
    assert meets.display == "9 of 12"
    assert record.headline("minerals.n_china_top", **sel).display == "3 of 12"
    assert record.headline("minerals.n_ally_top", **sel).display == "3 of 12"
    assert record.headline("minerals.usgs_more_than_half").display == "49 of 63"
    assert record.headline("minerals.top_major_source", country="China").value == 24


def test_summary_line_at_the_defaults(default):
    line = default.text["summary"]
    assert "Of the 12 defence-critical raw materials NATO lists" in line
    assert "at least half of its consumption of 9 in 2023" in line
    assert "first-ranked import source for 3" in line
    assert "lithium >25 %" in line and "titanium (sponge metal) >95 %" in line
    assert "rare earths (compounds and metals) >95 %" in line


def test_summary_line_follows_the_parameters(three_at_100):
    line = three_at_100.text["summary"]
    assert "Of the 3 materials NATO named for joint stockpiling" in line
    assert "for all of its consumption of 0 in 2023" in line
    assert "(3 cannot be placed against 100 %" in line
    assert "lithium >25 %" in line  # the named three are published whatever the selection


def test_headline_keys_carry_no_parameter_values(default, three_at_100):
    for result in (default, three_at_100):
        for h in result.record().headlines:
            assert re.fullmatch(r"minerals\.[a-z_0-9]+", h.key) and not re.search(r"\d", h.key)


def test_threshold_words():
    assert words.threshold_words(50) == "at least half"
    assert words.threshold_words(100) == "all"
    assert words.threshold_words(75) == "at least 75 %"


def test_names_for_readers():
    assert words.measured_name("Titanium", "TITANIUM, sponge metal") == "titanium (sponge metal)"
    assert words.measured_name("Graphite", "GRAPHITE (NATURAL)") == "graphite (natural)"
    assert words.measured_name("Beryllium", None) == "beryllium"
    assert words.usgs_row_words("RARE EARTHS, compounds and metals") == \
        "Rare earths, compounds and metals"


def test_readers_see_no_codes_or_column_names(default, three_at_100):
    for result in (default, three_at_100):
        shown = list(result.text.values()) + [result.claim.finding, result.claim.condition]
        for table in result.tables.values():
            shown.append(table.caption)
            shown += list(table.labels.values())
            assert set(table.labels) == set(table.frame.columns), table.name
            for column in table.frame.columns:
                shown += [str(v) for v in table.frame[column].to_list()]
        for h in result.record().headlines:
            shown += [h.label, h.display, h.note]
        text = "\n".join(shown)
        assert not ISO3_SHOWN.search(text), ISO3_SHOWN.search(text)
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), re.search(r"\b[a-z]+_[a-z_]+\b", text)


def test_notebook_headings_and_static_text_carry_no_parameter_numbers():
    nb = nbformat.read(paths.NOTEBOOKS / f"{chapter.NOTEBOOK}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("#"):
                assert not re.search(r"\d", line.split("{#")[0]), line
        assert "50" not in cell.source and "%" not in cell.source, cell.source[:80]


def test_the_summary_shows_the_chapter_line_and_claim(processed):
    from dibtrends.chapters import summary

    record = chapter_record(chapter.NOTEBOOK, min_reliance_pct=25)
    result = summary.summarise({chapter.NOTEBOOK: record})
    assert record.text["summary"] in result.text["key_numbers"]
    assert "at least 25 % of its consumption of 11" in result.text["key_numbers"]
    assert [c.id for c in result.claims] == ["minerals_us_import_dependence"]
