"""The Ally profile page (``chapters.profile``): its numbers, its words, and what it shows.

Generic chapter checks (baseline, READS, parameters cell, examples and invalid values) are in
``test_chapters.py``; here: the United States' numbers, Iceland's page, an invalid code, and
that no profile ever shows an empty chart, for all 32 Allies.
"""

from __future__ import annotations

import functools
import json
import re

import polars as pl
import pytest

from dibtrends import chapters, data, paths, pipeline
from dibtrends.chapters import profile as chapter
from dibtrends.errors import ParameterError

NOTEBOOK = paths.NOTEBOOKS / "country_profile.ipynb"


@functools.lru_cache(maxsize=None)
def result(country: str, **values):
    return chapter.run(chapter.Params(country=country, **values))


def all_codes() -> list[str]:
    return sorted(data.table("nato_membership")["iso3"].to_list())


@pytest.fixture(scope="module")
def allies(processed):
    return {code: result(code) for code in all_codes()}


# ---------------------------------------------------------------- the United States
def test_united_states_numbers(processed):
    r = result("USA")
    nato = data.table("nato_defexp").filter(pl.col("entity") == "USA").sort("year")
    first, last = nato.row(0, named=True), nato.row(-1, named=True)
    rec = r.record()
    assert rec.chapter == "profile_USA" and rec.title == "Ally profile: United States"
    h = rec.headline("profile.share_gdp", country="USA", which="latest")
    assert h.fields["year"] == 2024 and h.value == pytest.approx(last["share_gdp_pct"])
    assert h.display == f"{last['share_gdp_pct']:.2f}"
    ratio = rec.headline("profile.real_change", country="USA")
    assert ratio.value == pytest.approx(last["milex_usd_m_const2015"]
                                        / first["milex_usd_m_const2015"])
    assert ratio.fields == {"country": "USA", "base_year": 2014, "end_year": 2024}
    spending = rec.headline("profile.spending", country="USA")
    assert spending.value == pytest.approx(last["milex_usd_m_const2015"] / 1000)  # US$ bn
    assert rec.headline("profile.years_meeting_gdp_guideline").display == "11 of 11"
    gap = rec.headline("profile.gap_to_target", target_share_pct=3.5, target_year=2035)
    assert gap.value == pytest.approx(3.5 - last["share_gdp_pct"])
    # the words carry the same numbers, and name the Ally, never its code
    assert r.text["overview"].startswith("The United States, a founding Ally (1949), spent "
                                         f"{last['share_gdp_pct']:.2f} % of its GDP")
    assert f"{gap.value:.2f} percentage points more" in r.text["overview"]
    assert "US$ 754.7 bn" in r.text["spending"]


def test_headline_keys_carry_no_parameter_values(allies):
    keys = {h.key for r in allies.values() for h in r.record().headlines}
    assert all(re.fullmatch(r"profile\.[a-z_]+", k) for k in keys), keys
    # the same keys for every Ally, Iceland included (with no value where nothing is published)
    per_ally = {code: sorted(h.key for h in r.record().headlines) for code, r in allies.items()}
    assert len({tuple(v) for v in per_ally.values()}) == 1
    assert all(h.fields["country"] == code for code, r in allies.items()
               for h in r.record().headlines)


# ---------------------------------------------------------------- Iceland
def test_iceland_says_in_one_line_that_nato_publishes_nothing(processed):
    r = result("ISL")
    first_sentence = r.text["overview"].split(". ")[0]
    assert first_sentence == ("NATO publishes no defence expenditure for Iceland, a founding "
                              "Ally (1949): Iceland has no armed forces")
    assert r.frames == {"long_run": None, "spending": None, "categories": None}
    assert r.tables == {}
    assert r.text["long_run"].startswith("No chart:")
    assert r.text["spending"].startswith("No chart:")
    assert r.text["guidelines"].startswith("No table:")
    nato_heads = [h for h in r.record().headlines if h.key != "profile.sipri_share_gdp"]
    assert all(h.value is None and h.display == "not published" for h in nato_heads)


# ---------------------------------------------------------------- no empty charts
def test_no_profile_shows_an_empty_chart(allies):
    """A chart is drawn only from a frame with something to draw; where there is none the
    section says so in a sentence."""
    from dibtrends.charts import profile as charts

    section = {"long_run": "long_run", "spending": "spending", "categories": "spending"}
    for code, r in allies.items():
        for name, frame in r.frames.items():
            if frame is None:
                assert r.text[section[name]].startswith("No chart:"), (code, name)
                continue
            value = {"long_run": "share_gdp_pct", "spending": "milex_usd_bn_const2015",
                     "categories": "share_pct"}[name]
            assert frame.height > 0, (code, name)
            assert frame.filter(pl.col(value).is_not_null() & (pl.col(value) != 0)).height, \
                (code, name)
        if r.frames["spending"] is not None:  # the chart holds the frame it was given
            charts.nato_years(r.frames["spending"], r.frames["categories"],
                              chapter.NATO_SOURCE, **r.titles["spending"])  # builds
            assert r.nato_data.height == r.frames["spending"].height  # what its CSV offers
        else:  # the NATO figure is drawn from its spending frame: no spending, no panels
            assert r.frames["categories"] is None, code
    assert sum(f is None for r in allies.values() for f in r.frames.values()) == 3  # Iceland


def test_chart_builders_refuse_an_empty_frame():
    from dibtrends.charts import profile as charts

    empty = pl.DataFrame(schema={"year": pl.Int64, "estimate": pl.Boolean,
                                 "milex_usd_bn_const2015": pl.Float64})
    with pytest.raises(ValueError, match="no data"):
        charts.nato_years(empty, None, chapter.NATO_SOURCE, title="", subtitle=[])
    with pytest.raises(ValueError, match="no data"):
        charts.long_run(empty, 1949, chapter.SIPRI_SOURCE, title="", subtitle=[])


def test_spending_axis_is_in_billions(processed):
    from dibtrends.charts import profile as charts

    r = result("USA")
    spec = charts.nato_years(r.frames["spending"], r.frames["categories"], chapter.NATO_SOURCE,
                             **r.titles["spending"]).to_dict()
    text = json.dumps(spec)
    assert "US$ billion" in text and "US$ million" not in text
    assert r.frames["spending"]["milex_usd_bn_const2015"].max() < 1000


# ---------------------------------------------------------------- words
def test_spending_sentence_keeps_one_unit(allies):
    """Issue 22: 'from US$ 246 million in 2014 to US$ 1.0 bn' mixed units in one sentence."""
    for code, r in allies.items():
        amounts = re.findall(r"US\$ [\d.,]+ (bn|m)\b", r.text["spending"])
        assert len(set(amounts)) <= 1, (code, r.text["spending"])
    latvia = allies["LVA"].text["spending"]
    assert "from US$ 0.25 bn in 2014 to US$ 1.02 bn in 2024" in latvia


def test_prose_names_allies_and_never_shows_codes(allies):
    codes = set(all_codes())
    for code, r in allies.items():
        for key, text in r.text.items():
            unquoted = re.sub(r"\u201c[^\u201d]*\u201d", "", text)  # SIPRI's quoted footnotes
            found = set(re.findall(r"\b[A-Z]{3}\b", unquoted)) & codes
            assert not found, (code, key, found)
            assert "make profiles" not in text and "_" not in unquoted, (code, key)
        assert r.name in r.text["overview"] or f"the {r.name}" in r.text["overview"]


def test_a_gdp_series_break_is_explained(allies):
    lux = allies["LUX"]
    assert "breaks in 2023" in lux.text["guidelines"]
    assert "not comparable" in lux.text["overview"]
    assert "leaving out the 2023 break" in lux.text["overview"]
    assert all("breaks in" not in r.text["guidelines"] for c, r in allies.items()
               if r.breaks.is_empty())


def test_every_profile_compares_nato_with_sipri(allies):
    for code, r in allies.items():
        if r.has_nato_data:
            assert "the latest year both publish, NATO puts" in r.text["long_run"], code


def test_target_other_than_the_hague_is_said(processed):
    default = result("POL")
    other = result("POL", target_share_pct=3.0, target_year=2030)
    assert "that Allies set at The Hague in 2025" in default.text["overview"]
    assert "a target of 3 % of GDP by 2030 (set for this report" in other.text["overview"]
    assert other.params.describe().startswith("Built with 2 parameters changed")
    assert "Ally" not in other.params.describe()  # the Ally is the page, not a setting


def test_page_title():
    assert chapter.page_title("Poland") == "Poland"


# ---------------------------------------------------------------- parameters
def test_an_unknown_code_stops_with_the_valid_codes_and_names(processed):
    with pytest.raises(ParameterError) as err:
        chapter.run(chapter.Params(country="XXX"))
    message = str(err.value)
    assert "country='XXX'" in message and "valid codes" in message
    assert "POL (Poland)" in message and "MKD (North Macedonia)" in message


def test_a_malformed_code_stops_before_any_data_is_read():
    for bad in ("pol", "POLAND", 616, None):
        with pytest.raises(ParameterError, match="country"):
            chapter.Params(country=bad)


def test_shared_parameters_are_declared_as_chapter_four_declares_them():
    pledge_chapter = chapters.module("04_guidelines_and_pledge")
    assert chapter.Params.shared_names() == {"target_share_pct", "target_year"}
    for name in chapter.Params.shared_names():
        mine, theirs = chapter.Params.specs()[name], pledge_chapter.Params.specs()[name]
        assert mine.default == theirs.default and dict(mine.metadata) == dict(theirs.metadata)


def test_the_pipeline_sets_country_and_params_yaml_may_not(tmp_path):
    assert chapter.PIPELINE_SET == ("country",)
    missing = [n for n in chapters.MODULES
               if not (paths.ROOT / "src" / "dibtrends" / "chapters"
                       / f"{chapters.MODULES[n]}.py").exists()]
    if missing:
        pytest.skip(f"chapter modules not built yet: {', '.join(missing)}")
    params_file = tmp_path / "params.yaml"
    params_file.write_text("country_profile:\n  country: POL\n")
    with pytest.raises(ParameterError, match="set by the pipeline"):
        pipeline.effective_params(params_file)


def test_invalid_code_in_the_notebook_fails_with_the_valid_codes(processed, tmp_path):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(str(NOTEBOOK), str(tmp_path / "out.ipynb"), kernel_name="python3",
                            parameters={"country": "XXX", "output_dir": str(tmp_path)},
                            cwd=str(paths.NOTEBOOKS), progress_bar=False)
    message = str(err.value)
    assert "ParameterError" in message and "'XXX'" in message and "POL (Poland)" in message


def test_notebook_says_nothing_about_how_it_is_run():
    text = NOTEBOOK.read_text()
    assert "make profiles" not in text
    headings = re.findall(r'"(#+) ', text)
    assert headings[0] == "#" and set(headings[1:]) == {"##"}


def test_guidelines_grid_puts_years_across_and_marks_what_was_met(processed):
    """Years across, one row per guideline, the value in bold where the Ally met it and a dash
    before it joined; the CSV keeps the tidy rows."""
    finland = chapter.run(chapter.Params(country="FIN")).tables["guidelines"]
    row = finland.frame.row(0, named=True)
    assert row["measure"] == "Defence, % of GDP"
    assert row["2022"] == "–" and row["2024e"].startswith("**") and row["2024e"].endswith("**")
    assert "not yet an Ally (joined in 2023)" in finland.caption
    assert set(finland.data.columns) >= {"year", "share_gdp_pct", "meets_gdp_guideline"}
    poland = chapter.run(chapter.Params(country="POL")).tables["guidelines"].frame.row(
        0, named=True)
    assert poland["2014"] == "1.88" and poland["2015"] == "**2.23**"
