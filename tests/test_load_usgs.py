"""USGS MCS 2024 loaders, checked against rows of the real files.

The published figures quoted here are the file's own cells (Fig. 2 rows 19, 20, 45, 50, 57) and
two statements USGS makes in MCS 2024: imports were more than half of U.S. apparent
consumption for 49 commodities, and 100 % for 15 of them.
"""

from __future__ import annotations

import polars as pl
import pytest

from dibtrends.errors import DataError
from dibtrends.load import usgs
from dibtrends.sources import get


def _file(raw_dir, source_id):
    return raw_dir / get(source_id).filename


@pytest.fixture(scope="module")
def nir(raw_dir):
    return usgs.load_net_import_reliance(_file(raw_dir, usgs.FIG2))


@pytest.fixture(scope="module")
def sources(raw_dir):
    return usgs.load_import_sources(_file(raw_dir, usgs.FIG2))


@pytest.fixture(scope="module")
def salient(raw_dir):
    return usgs.load_critical_minerals_salient(_file(raw_dir, usgs.T5))


def _row(df, column, value):
    rows = df.filter(pl.col(column) == value)
    assert rows.height == 1, f"expected one row for {value!r}, got {rows.height}"
    return rows.row(0, named=True)


# ------------------------------------------------------------------ Fig. 2: NIR with bounds

@pytest.mark.parametrize(("commodity", "value", "bound", "text"), [
    ("RARE EARTHS, compounds and metals", 95.0, "gt", ">95"),
    ("TITANIUM, sponge metal", 95.0, "gt", ">95"),
    ("GERMANIUM", 50.0, "gt", ">50"),
    ("LITHIUM", 25.0, "gt", ">25"),
    ("SILICON, metal and ferrosilicon", 50.0, "lt", "<50"),
    ("ZIRCONIUM, ores and concentrates", 25.0, "lt", "<25"),
    ("COBALT", 67.0, "eq", "67"),
    ("GALLIUM", 100.0, "eq", "100"),
])
def test_text_values_keep_number_bound_and_text(nir, commodity, value, bound, text):
    row = _row(nir, "commodity", commodity)
    got = (row["net_import_reliance_pct"], row["nir_bound"], row["nir_text"])
    assert got == (value, bound, text)


def test_no_row_is_dropped_for_being_text(nir):
    assert nir.height == 63
    assert nir["fig2_order"].to_list() == list(range(1, 64))
    bounds = nir["nir_bound"].value_counts().sort("nir_bound")
    assert dict(bounds.iter_rows()) == {"eq": 47, "gt": 13, "lt": 3}  # 13 '>' and 3 '<' cells


def test_usgs_statement_49_commodities_above_half_and_15_at_100_pct(nir):
    above_half = nir.filter(
        ((pl.col("nir_bound") == "eq") & (pl.col("net_import_reliance_pct") > 50))
        | ((pl.col("nir_bound") == "gt") & (pl.col("net_import_reliance_pct") >= 50)))
    assert above_half.height == 49
    assert nir.filter(pl.col("net_import_reliance_pct") == 100).height == 15


@pytest.mark.parametrize(("token", "expected"), [
    (">95", (95.0, "gt")), ("<50", (50.0, "lt")), ("100", (100.0, "eq")), ("0", (0.0, "eq")),
    ("E", (None, "exporter")), ("W", (None, "withheld")), ("NA", (None, "not_available")),
    ("XX", (None, "not_applicable")), (" >75 ", (75.0, "gt")),
])
def test_parse_nir_tokens(token, expected):
    parsed = usgs.parse(pl.DataFrame({"k": ["x"], "c": [token]}), "c", "nir", file="f.csv", key="k")
    assert parsed.select("value", "bound").row(0) == expected


@pytest.mark.parametrize("token", ["~90", "about 50", "", ">>95", "95%", "-5", "e5"])
def test_parse_nir_rejects_unknown_tokens(token):
    with pytest.raises(DataError):
        usgs.parse(pl.DataFrame({"k": ["x"], "c": [token]}), "c", "nir", file="f.csv", key="k")


def test_unknown_token_in_file_names_file_column_row_and_fix(raw_dir, tmp_path):
    text = _file(raw_dir, usgs.FIG2).read_text(encoding="utf-8-sig")
    bad = tmp_path / "MCS2024_Fig2_bad.csv"
    bad.write_text(text.replace('"RARE EARTHS, compounds and metals",>95',
                                '"RARE EARTHS, compounds and metals",~95'), encoding="utf-8-sig")
    with pytest.raises(DataError) as info:
        usgs.load_net_import_reliance(bad)
    err, message = info.value, str(info.value)
    assert err.file == str(bad) and "MCS2024_Fig2_bad.csv" in message
    assert err.column == "Net_Import_Reliance_pct_2023"
    assert err.row == "20 (Commodity=RARE EARTHS, compounds and metals)"  # line 20 of the file
    assert "'~95'" in message and "Fix:" in message and "NIR_TOKENS" in message


def test_a_share_above_100_pct_is_refused(raw_dir, tmp_path):
    text = _file(raw_dir, usgs.FIG2).read_text(encoding="utf-8-sig")
    bad = tmp_path / "fig2.csv"
    bad.write_text(text.replace("MCS2024,62,CEMENT,22,", "MCS2024,62,CEMENT,120,"),
                   encoding="utf-8-sig")
    with pytest.raises(DataError, match="CEMENT") as info:
        usgs.load_net_import_reliance(bad)
    assert info.value.column == "net_import_reliance_pct" and info.value.fix


def test_exporter_and_withheld_rows_are_kept(raw_dir, tmp_path):
    text = _file(raw_dir, usgs.FIG2).read_text(encoding="utf-8-sig")
    edited = tmp_path / "fig2.csv"
    edited.write_text(text.replace("MCS2024,62,CEMENT,22,", "MCS2024,62,CEMENT,E,")
                      .replace("MCS2024,63,VERMICULITE,20,", "MCS2024,63,VERMICULITE,W,"),
                      encoding="utf-8-sig")
    df = usgs.load_net_import_reliance(edited)
    assert df.height == 63
    cement = _row(df, "commodity", "CEMENT")
    got = (cement["net_import_reliance_pct"], cement["nir_bound"], cement["nir_text"])
    assert got == (None, "exporter", "E")
    vermiculite = _row(df, "commodity", "VERMICULITE")
    assert (vermiculite["net_import_reliance_pct"], vermiculite["nir_bound"]) == (None, "withheld")


# ------------------------------------------------------------------ ranked import sources

def test_import_sources_are_ranked_in_file_order(sources):
    arsenic = sources.filter(pl.col("commodity") == "ARSENIC, all forms").sort("rank")
    assert arsenic["iso3"].to_list() == ["CHN", "MAR", "MYS", "BEL"]
    assert arsenic["includes_hong_kong"].to_list() == [True, False, False, False]
    gallium = sources.filter(pl.col("commodity") == "GALLIUM").sort("rank")
    assert gallium["source_country"].to_list() == ["Japan", "China", "Germany", "Canada"]
    assert not gallium["includes_hong_kong"].any()  # no Hong Kong note on the gallium row


def test_publisher_spellings_map_to_iso3(sources):
    diamond = sources.filter(pl.col("commodity") == "DIAMOND (INDUSTRIAL), stones")
    assert diamond.filter(pl.col("rank") == 4)["iso3"].item() == "COD"  # 'Congo (Kinshasa)'
    indium = sources.filter(pl.col("commodity") == "INDIUM", pl.col("rank") == 1)
    assert indium["iso3"].item() == "KOR"  # 'Republic of Korea'


def test_no_shares_are_invented(sources):
    assert not [c for c in sources.columns if "share" in c or "pct" in c]
    assert sources.height == 228


def test_fig3_counts_are_fig2_sources_of_commodities_above_half(raw_dir, nir, sources):
    """Fig. 3 = for each country, the Fig. 2 commodities with NIR > 50 % it is listed for."""
    counts = usgs.load_import_source_counts(_file(raw_dir, usgs.FIG3))
    above_half = nir.filter(
        (pl.col("net_import_reliance_pct") > 50)
        | ((pl.col("nir_bound") == "gt") & (pl.col("net_import_reliance_pct") >= 50)))
    derived = sources.join(above_half.select("commodity"), on="commodity") \
        .group_by("iso3").agg(pl.len().cast(pl.Int64).alias("derived"))
    joined = counts.join(derived, on="iso3", how="full", coalesce=True)
    assert joined.filter(pl.col("commodity_count") != pl.col("derived")).height == 0
    assert joined["commodity_count"].null_count() == 0 and joined["derived"].null_count() == 0
    assert _row(counts, "iso3", "CHN")["commodity_count"] == 24
    assert _row(counts, "iso3", "CAN")["commodity_count"] == 23


# ------------------------------------------------------------------ Tables 4 and 5

def test_alliance_column_is_not_in_the_output(raw_dir, salient):
    assert "Alliance" in _file(raw_dir, usgs.T5).read_text(encoding="utf-8-sig").splitlines()[0]
    assert "alliance" not in [c.lower() for c in salient.columns]
    for column in salient.select(pl.col(pl.String)).columns:
        assert not salient[column].is_in(["Ally", "Competitor", "Neutral"]).any(), column


def test_withheld_is_null_with_flag(salient):
    lithium = salient.filter(pl.col("critical_mineral") == "Lithium")
    by_stat = {r["statistic"]: r for r in lithium.iter_rows(named=True)}
    assert by_stat["primary_production"]["value"] is None
    assert by_stat["primary_production"]["flag"] == "withheld"
    assert by_stat["primary_production"]["value_text"] == "W"
    assert by_stat["secondary_production"]["flag"] == "not_available"
    assert by_stat["net_import_reliance"]["value"] == 25.0
    zirconium = salient.filter(pl.col("critical_mineral") == "Zirconium")
    prod = _row(zirconium, "statistic", "primary_production")
    assert (prod["value"], prod["flag"], prod["value_text"]) == (100000.0, "lt", "<100,000")
    assert _row(zirconium, "statistic", "apparent_consumption")["value"] == 100000.0


def test_salient_counts_and_names_are_clean(salient):
    assert salient["critical_mineral"].n_unique() == 31
    assert salient.filter(pl.col("flag") == "withheld").height == 13
    assert "Titanium" in salient["critical_mineral"].to_list()  # trailing space stripped


def test_t5_top_source_matches_fig2_rank_one(salient, sources):
    pairs = {"Rare earths (compounds and metals)": "RARE EARTHS, compounds and metals",
             "Titanium": "TITANIUM, sponge metal", "Germanium": "GERMANIUM", "Cobalt": "COBALT",
             "Tungsten": "TUNGSTEN", "Lithium": "LITHIUM"}
    for t5_name, fig2_name in pairs.items():
        t5 = salient.filter(pl.col("critical_mineral") == t5_name)["top_import_source_iso3"][0]
        fig2 = sources.filter(pl.col("commodity") == fig2_name, pl.col("rank") == 1)["iso3"].item()
        assert t5 == fig2, t5_name


def test_t5_without_alliance_loads_and_a_new_column_fails(raw_dir, tmp_path):
    lines = _file(raw_dir, usgs.T5).read_text(encoding="utf-8-sig").splitlines()
    stripped = tmp_path / "t5.csv"
    no_alliance = [line.rsplit(",", 1)[0] for line in lines]
    stripped.write_text("\n".join(no_alliance) + "\n", encoding="utf-8-sig")
    assert usgs.load_critical_minerals_salient(stripped).height == 124
    extra = tmp_path / "t5_extra.csv"
    extra.write_text("\n".join([lines[0] + ",Score"] + [line + ",1" for line in lines[1:]]) + "\n")
    with pytest.raises(DataError, match="unexpected column 'Score'"):
        usgs.load_critical_minerals_salient(extra)


def test_t4_prints_nir_without_bounds(raw_dir, nir):
    """Why bounds must come from Fig. 2: Table 4 prints Titanium 95 where Fig. 2 says >95."""
    t4 = usgs.load_critical_minerals_end_use(_file(raw_dir, usgs.T4))
    assert t4.height == 50
    assert _row(t4, "critical_mineral", "Titanium")["net_import_reliance_pct"] == 95.0
    assert _row(nir, "commodity", "TITANIUM, sponge metal")["nir_text"] == ">95"
    assert _row(t4, "critical_mineral", "Beryllium")["net_import_reliance_pct"] is None
    assert _row(t4, "critical_mineral", "Ytterbium")["primary_applications"].startswith("Catalysts")


def test_tables_registry():
    assert set(usgs.TABLES) == {"usgs_net_import_reliance", "usgs_import_sources",
                                "usgs_import_source_counts", "usgs_critical_minerals_end_use",
                                "usgs_critical_minerals_salient"}
