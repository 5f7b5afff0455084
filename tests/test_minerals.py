"""The analysis behind chapter 5, checked on the real USGS files and the curated NATO list.

Every count below is exact: the inputs are small published tables, so any difference means the
data or the matching changed, and the notebook's prose must be reviewed.
"""

from __future__ import annotations

import polars as pl
import pytest

from dibtrends import minerals
from dibtrends.prose import minerals as words
from dibtrends.errors import DataError
from dibtrends.load import curated as curated_tables
from dibtrends.load import usgs
from dibtrends.load.curated import load_nato_membership
from dibtrends.sources import get


@pytest.fixture(scope="module")
def nir(raw_dir):
    return usgs.load_net_import_reliance(raw_dir / get(usgs.FIG2).filename)


@pytest.fixture(scope="module")
def sources(raw_dir):
    return usgs.load_import_sources(raw_dir / get(usgs.FIG2).filename)


@pytest.fixture(scope="module")
def curated():
    return curated_tables.load_defence_minerals()


def _table(nir, sources, curated, selection, threshold=50):
    table = minerals.mineral_table(nir, sources, load_nato_membership(),
                                   minerals.defence_minerals(curated, selection))
    return minerals.meets_threshold(table, threshold).with_columns(words.nir_display())


def _by_mineral(table):
    return {r["mineral"]: r for r in table.iter_rows(named=True)}


# ------------------------------------------------------------------ curated list

def test_curated_list_is_natos_twelve(curated):
    nato = minerals.defence_minerals(curated, "nato_defence_critical")["mineral"].to_list()
    assert nato == ["Aluminium", "Beryllium", "Cobalt", "Gallium", "Germanium", "Graphite",
                    "Lithium", "Manganese", "Platinum", "Rare earth elements", "Titanium",
                    "Tungsten"]
    three = minerals.defence_minerals(curated, "brief_three")["mineral"].to_list()
    assert three == ["Lithium", "Rare earth elements", "Titanium"]
    assert curated["citation"].str.contains("https://").all()


def test_every_curated_usgs_name_is_a_fig2_row(nir, curated):
    names = curated["usgs_commodity"].drop_nulls()
    assert names.is_in(nir["commodity"].implode()).all()
    assert curated.filter(pl.col("usgs_commodity").is_null())["mineral"].to_list() == ["Beryllium"]


def test_a_misspelt_usgs_name_fails_with_the_curated_file(nir, curated):
    broken = curated.with_columns(pl.col("usgs_commodity").replace("COBALT", "Cobalt"))
    with pytest.raises(DataError) as info:
        minerals.us_reliance(nir, broken)
    assert info.value.column == "usgs_commodity" and info.value.row == "Cobalt"
    assert "defence_critical_minerals.csv" in str(info.value)


# ------------------------------------------------------------------ the three named minerals

def test_brief_three_reliance_with_bounds(nir, sources, curated):
    rows = _by_mineral(_table(nir, sources, curated, "brief_three"))
    assert (rows["Lithium"]["nir_display"], rows["Lithium"]["nir_bound"]) == (">25", "gt")
    assert (rows["Titanium"]["nir_display"], rows["Titanium"]["nir_bound"]) == (">95", "gt")
    assert (rows["Rare earth elements"]["nir_display"],
            rows["Rare earth elements"]["nir_bound"]) == (">95", "gt")
    assert rows["Rare earth elements"]["top_source"] == "China"
    assert rows["Titanium"]["top_source"] == "Japan"
    assert (rows["Lithium"]["top_source"], rows["Lithium"]["china_rank"]) == ("Argentina", 3)
    assert rows["Lithium"]["meets_threshold"] is None  # '>25' cannot be placed against 50


# ------------------------------------------------------------------ NATO's twelve

def test_nato_twelve_summary_counts(nir, sources, curated):
    table = _table(nir, sources, curated, "nato_defence_critical")
    counts = minerals.summary_counts(table).row(0, named=True)
    assert counts == {
        "n_minerals": 12, "n_in_fig2": 11,
        "n_meets_threshold": 9,        # Ga, graphite, Mn 100; REE, Ti >95; Pt, Co; Ge, W >50
        "n_threshold_unknown": 2,      # lithium '>25', beryllium not in Fig. 2
        "n_china_top": 3,              # graphite, rare earths, tungsten
        "n_china_among_major": 6,      # + gallium (2nd), germanium (2nd), lithium (3rd)
        "n_meets_threshold_china_top": 3,
        "n_ally_top": 3,               # aluminium (Canada), cobalt (Norway), germanium (Belgium)
    }


def test_china_rank_not_share(nir, sources, curated):
    table = _table(nir, sources, curated, "nato_defence_critical")
    assert not [c for c in table.columns if "share" in c]
    rows = _by_mineral(table)
    china_top = {m for m, r in rows.items() if r["china_is_top"]}
    assert china_top == {"Graphite", "Rare earth elements", "Tungsten"}
    assert rows["Gallium"]["china_rank"] == 2
    assert rows["Gallium"]["china_includes_hong_kong"] is False
    assert rows["Graphite"]["china_includes_hong_kong"] is True
    assert rows["Manganese"]["china_is_top"] is False
    assert rows["Manganese"]["china_among_major"] is False
    assert rows["Beryllium"]["china_is_top"] is None  # no Fig. 2 row: unknown, not 'no'


def test_threshold_at_100_pct(nir, sources, curated):
    counts = minerals.summary_counts(_table(nir, sources, curated, "nato_defence_critical", 100))
    assert counts["n_meets_threshold"].item() == 3      # gallium, graphite, manganese
    assert counts["n_threshold_unknown"].item() == 6    # four '>' bounds, lithium, beryllium


def test_all_fig2_commodities_summary_matches_usgs(nir, sources, membership):
    counts = minerals.all_commodities_summary(nir, sources, membership, 50).row(0, named=True)
    assert counts["n_minerals"] == 63
    assert counts["n_meets_threshold"] == 49  # MCS 2024: imports > half of consumption for 49
    assert counts["n_china_top"] == 16


# ------------------------------------------------------------------ logic on a tiny fixture

@pytest.fixture
def bounds_fixture():
    """A made-up frame (not data) with one row per kind of published value."""
    return pl.DataFrame({
        "mineral": ["eq60", "eq40", "gt50", "gt25", "lt50", "lt75", "exp", "wh", "none"],
        "net_import_reliance_pct": [60.0, 40.0, 50.0, 25.0, 50.0, 75.0, None, None, None],
        "nir_bound": ["eq", "eq", "gt", "gt", "lt", "lt", "exporter", "withheld", "not_listed"],
    })


def test_meets_threshold_three_valued(bounds_fixture):
    out = minerals.meets_threshold(bounds_fixture, 50)
    assert dict(zip(out["mineral"], out["meets_threshold"], strict=True)) == {
        "eq60": True, "eq40": False, "gt50": True, "gt25": None, "lt50": False, "lt75": None,
        "exp": False, "wh": None, "none": None,
    }


def test_display_text(bounds_fixture):
    out = bounds_fixture.with_columns(words.nir_display())["nir_display"].to_list()
    assert out == ["60", "40", ">50", ">25", "<50", "<75", "net exporter", "withheld",
                   "not in USGS Fig. 2"]


def test_meets_threshold_strict_reads_more_than(bounds_fixture):
    """USGS's "more than one-half": a printed 50 is not more than half, '>50' is."""
    fixture = pl.concat([bounds_fixture, pl.DataFrame({
        "mineral": ["eq50"], "net_import_reliance_pct": [50.0], "nir_bound": ["eq"]})])
    out = minerals.meets_threshold(fixture, 50, strict=True)
    got = dict(zip(out["mineral"], out["meets_threshold"], strict=True))
    assert got["eq50"] is False and got["gt50"] is True and got["lt50"] is False
    assert got["gt25"] is None and got["eq60"] is True
    assert minerals.meets_threshold(fixture, 50).filter(mineral="eq50")["meets_threshold"].item()


# ------------------------------------------------------------------ USGS's own counts

def test_usgs_headline_counts_from_fig2(nir):
    """MCS 2024: imports more than half of consumption for 49, 100 % for 15 of those."""
    counts = minerals.usgs_reliance_counts(nir).row(0, named=True)
    assert counts == {"n_commodities": 63, "n_more_than": 49, "n_more_than_printed": 38,
                      "n_more_than_bound": 11, "n_undecided": 2, "n_fully_reliant": 15}
    assert minerals.usgs_undecided(nir)["nir_text"].to_list() == [">25", ">25"]


def test_fig3_counts_agree_with_a_recount_of_fig2(raw_dir, nir, sources):
    fig3 = usgs.load_import_source_counts(raw_dir / get(usgs.FIG3).filename)
    assert minerals.major_source_check(fig3, nir, sources).is_empty()


def test_fig3_ranks_china_then_canada(raw_dir, membership):
    fig3 = usgs.load_import_source_counts(raw_dir / get(usgs.FIG3).filename)
    ranked = minerals.major_source_counts(fig3, membership)
    top = ranked.head(2).select("country", "commodity_count", "is_ally", "rank").rows()
    assert top == [("China", 24, False, 1), ("Canada", 23, True, 2)]


def test_table5_fills_in_for_beryllium_and_agrees_on_leading_sources(raw_dir, nir, sources,
                                                                      curated):
    t5 = usgs.load_critical_minerals_salient(raw_dir / get(usgs.T5).filename)
    chosen = minerals.defence_minerals(curated, "nato_defence_critical")
    rows = minerals.salient(chosen, t5)
    be = rows.filter(mineral="Beryllium").row(0, named=True)
    assert be["top_import_source"] == "Kazakhstan"
    assert be["flag_net_import_reliance"] == "not_available"
    assert (be["value_primary_production"], be["value_apparent_consumption"]) == (190.0, 150.0)
    lead = minerals.leading_source_check(_table(nir, sources, curated, "nato_defence_critical"),
                                         rows)
    assert lead.height == 11
    assert lead.filter(~pl.col("agrees"))["mineral"].to_list() == ["Aluminium"]


def test_table4_gives_uses_except_for_rare_earths(raw_dir, curated):
    t4 = usgs.load_critical_minerals_end_use(raw_dir / get(usgs.T4).filename)
    uses = minerals.end_uses(minerals.defence_minerals(curated, "nato_defence_critical"), t4)
    assert uses.filter(pl.col("primary_applications").is_null())["mineral"].to_list() == [
        "Rare earth elements"]
    assert uses.filter(mineral="Lithium")["primary_applications"].item() == "Batteries."


def test_stockpiling_three_come_from_the_curated_flag(curated):
    from dibtrends.chapters import minerals as chapter

    assert minerals.defence_minerals(curated, chapter.STOCKPILING)["mineral"].to_list() == [
        "Lithium", "Rare earth elements", "Titanium"]


def test_chart_builds_from_the_table(nir, sources, curated):
    from dibtrends.charts import minerals as chart

    table = _table(nir, sources, curated, "nato_defence_critical")
    data = chart.reliance_chart_data(table)
    assert data.height == 12
    assert data.filter(pl.col("first_source") == chart.CHINA_FIRST).height == 3
    spec = chart.reliance_bars(table, 50, title="t", subtitle="s", period=(2019, 2022),
                               year=2023).to_dict()
    assert "vconcat" in spec
    assert sorted(data.filter(pl.col("first_source") == chart.ALLY_FIRST)["mineral"]) == [
        "Aluminium", "Cobalt", "Germanium"]
