"""The explorer's data (dibtrends.explorer): every value it offers is a processed table's value,
rounded, with its unit, estimate mark and groupings as the page states them; a bad choice of
measure or Ally stops with the parameter's name and the allowed values. Also: every chart's
"Cite this" line comes from the source registry."""

from __future__ import annotations

import polars as pl
import pytest

from dibtrends import charts, data, equipment, explorer, sources, spending
from dibtrends.chapters import explorer as chapter
from dibtrends.errors import ParameterError
from dibtrends.membership import membership_panel


@pytest.fixture(scope="module")
def tables(processed):
    return {t: data.table(t) for t in ("nato_defexp", "sipri_milex_2025", "nato_membership")}


@pytest.fixture(scope="module")
def table(tables):
    return explorer.explorer_table(*tables.values())


def _value(table, measure, code, year):
    return table.filter(measure=measure, code=code, year=year)["value"].item()


def test_one_row_per_measure_code_and_year_with_the_stated_columns(table):
    assert table.columns == list(explorer.COLUMNS)
    assert table.schema["value"] == pl.Float64 and table.schema["year"] == pl.Int64
    assert table.select(pl.struct("measure", "code", "year").is_unique().all()).item()
    assert set(table["measure"]) == set(explorer.MEASURES)
    assert set(table["estimate"]) <= {"yes", "no", "partly"}
    assert table["value"].null_count() == 0 and not table["value"].is_nan().any()


def test_every_ally_and_both_groupings_are_offered_where_the_measure_has_figures(table, tables):
    allies = set(tables["nato_membership"]["iso3"])
    for measure, m in explorer.MEASURES.items():
        codes = set(table.filter(measure=measure)["code"])
        assert set(explorer.GROUPINGS) <= codes, measure
        # Iceland has no armed forces: NATO publishes no spending for it, SIPRI a zero
        assert codes - set(explorer.GROUPINGS) == (allies - {"ISL"} if m.family == "nato"
                                                   else allies), measure


@pytest.mark.parametrize("measure,code,year,column", [
    ("nato_share_gdp", "POL", 2024, "share_gdp_pct"),
    ("nato_usd_const", "NATO_TOTAL", 2014, "milex_usd_m_const2015"),
    ("nato_per_capita", "NATO_EUROPE_CANADA", 2023, "milex_per_capita_usd_const2015"),
    ("nato_equipment_share", "FRA", 2019, "equipment_share_pct"),
])
def test_nato_values_are_the_processed_table_rounded(table, tables, measure, code, year, column):
    nato = tables["nato_defexp"].filter(entity=code, year=year)
    decimals = explorer.MEASURES[measure].decimals
    assert _value(table, measure, code, year) == round(nato[column].item(), decimals)
    assert explorer.MEASURES[measure].column == column


@pytest.mark.parametrize("measure,code,year", [
    ("sipri_share_gdp", "USA", 1953), ("sipri_share_gdp", "DEU", 2025),
    ("sipri_usd_const", "GBR", 1990), ("sipri_usd_const", "TUR", 2024)])
def test_sipri_values_are_the_processed_table_rounded(table, tables, measure, code, year):
    m = explorer.MEASURES[measure]
    row = tables["sipri_milex_2025"].filter(iso3=code, year=year)
    assert _value(table, measure, code, year) == round(row[m.column].item(), m.decimals)
    assert table.filter(measure=measure, code=code, year=year)["estimate"].item() == (
        "yes" if row["estimate"].item() else "no")


def test_nato_marks_its_estimate_years_for_every_figure(table, tables):
    years = equipment.estimate_years(tables["nato_defexp"])
    nato = table.filter(pl.col("measure").str.starts_with("nato_"))
    assert years == [2023, 2024]
    assert (nato.filter(pl.col("year").is_in(years))["estimate"] == "yes").all()
    assert (nato.filter(~pl.col("year").is_in(years))["estimate"] == "no").all()


def test_equipment_share_of_a_grouping_is_chapter_2s(table, tables):
    eq = equipment.equipment_spending(tables["nato_defexp"], tables["nato_membership"])
    want = eq.filter(entity="NATO_EUROPE_CANADA", year=2024)["equipment_share_pct"].item()
    assert _value(table, "nato_equipment_share", "NATO_EUROPE_CANADA", 2024) == round(want, 2)
    # NATO's Table 8a has no aggregate rows: the page's figure is computed, and says so
    assert tables["nato_defexp"].filter(entity="NATO_TOTAL")["equipment_share_pct"].is_null().all()
    assert "chapter 2" in explorer.MEASURES["nato_equipment_share"].groupings


def test_sipri_groupings_are_chapter_1s_share_and_the_allies_sum(table, tables):
    sipri, membership = tables["sipri_milex_2025"], tables["nato_membership"]
    panel = membership_panel(membership, sipri["year"].unique().to_list())
    share = spending.alliance_share_of_gdp(sipri, panel, "NATO Europe and Canada")
    want = share.filter(year=1990)["share_gdp_pct_weighted"].item()
    assert _value(table, "sipri_share_gdp", "NATO_EUROPE_CANADA", 1990) == round(want, 2)
    allies_2024 = sipri.filter(pl.col("iso3").is_in(membership["iso3"].implode()), year=2024)
    assert _value(table, "sipri_usd_const", "NATO_TOTAL", 2024) == pytest.approx(
        allies_2024["milex_usd_m_const2024"].sum(), abs=0.05)
    # Luxembourg's figures are SIPRI's estimates, so the sum is partly estimated
    assert table.filter(measure="sipri_usd_const", code="NATO_TOTAL", year=2024)[
        "estimate"].item() == "partly"


def test_a_sipri_grouping_year_with_an_ally_missing_is_left_out(table):
    """Türkiye has no SIPRI share before 1960: chapter 1's coverage rule, applied here."""
    years = table.filter(measure="sipri_share_gdp", code="NATO_TOTAL")["year"]
    assert years.min() == 1960
    assert table.filter(measure="sipri_share_gdp", code="TUR")["year"].min() == 1960


def test_shown_is_the_rows_for_a_measure_and_allies_sorted_with_unit_and_label(table):
    rows = explorer.shown(table, "nato_per_capita", ["USA", "NATO_TOTAL"])
    assert rows.columns == list(explorer.SHOWN.values())
    assert rows["Ally or grouping"].unique(maintain_order=True).to_list() == [
        "All Allies", "United States"]
    assert rows.height == 22 and rows["Year"].to_list()[:2] == [2014, 2015]
    assert set(rows["Unit"]) == {"US$ per person"}
    assert set(rows["Measure"]) == {explorer.MEASURES["nato_per_capita"].label}
    assert rows.filter(pl.col("Year") == 2024)["Estimate"].to_list() == ["yes", "yes"]


@pytest.mark.parametrize("measure,allies,named", [
    ("gdp", ["USA"], "measure"), ("nato_share_gdp", ["USA", "XXX"], "allies"),
    ("nato_share_gdp", "Poland", "allies")])
def test_a_bad_choice_names_the_parameter_and_the_allowed_values(table, measure, allies, named):
    with pytest.raises(ParameterError) as err:
        explorer.shown(table, measure, allies)
    message = str(err.value)
    assert f"parameter {named}" in message
    assert ("nato_share_gdp" in message) if named == "measure" else ("NATO_TOTAL" in message
                                                                     and "POL" in message)


def test_the_page_parameters_refuse_an_empty_choice():
    with pytest.raises(ParameterError, match="parameter allies is empty; allowed"):
        chapter.Params(allies=())


def test_each_measure_states_publisher_edition_unit_price_basis_years_and_estimates(processed):
    frame = chapter.run().tables["measures"].frame
    assert frame.height == len(explorer.MEASURES)
    for row, m in zip(frame.iter_rows(named=True), explorer.MEASURES.values(), strict=True):
        source = sources.get(chapter.SOURCE_IDS[m.family])
        assert source.publisher in row["source"] and source.edition in row["source"]
        assert row["unit"] == m.unit and row["price_basis"] == m.price_basis
        assert all(row[c] for c in ("years", "estimates", "groupings"))
    nato = frame.row(0, named=True)
    assert nato["years"] == "2014–2024" and nato["estimates"].startswith("2023 and 2024")


def test_every_chart_is_cited_with_edition_and_retrieval_date_from_the_registry():
    import altair as alt

    source = sources.get("sipri_milex_2025")
    chart = charts.titled(alt.Chart(pl.DataFrame({"x": [1]})).mark_point().encode(x="x:Q"),
                          "A title", "a subtitle", charts.source_line(source.id, note="Note."))
    cite = chart.to_dict()["usermeta"]["dibtrends"]["cite"]
    assert cite.startswith("\u201cA title\u201d, dibtrends, from " + source.publisher)
    assert source.edition in cite and f"data retrieved {source.retrieved}" in cite
    assert source.landing_url in cite
    curated = charts.titled(alt.Chart(pl.DataFrame({"x": [1]})).mark_point(), "T", "s",
                            "Source: a transcribed table.")
    assert curated.to_dict()["usermeta"]["dibtrends"]["cite"].endswith("a transcribed table.")
