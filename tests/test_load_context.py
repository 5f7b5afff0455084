"""Context sources: COW NMC 6.0 and OWID GMSD, checked against their real rows."""

from __future__ import annotations

import polars as pl
import pytest

from dibtrends.countries import all_codes
from dibtrends.errors import DataError
from dibtrends.load import context
from dibtrends.sources import get


@pytest.fixture(scope="module")
def nmc(raw_dir):
    return context.load_nmc(raw_dir / get(context.NMC).filename)


@pytest.fixture(scope="module")
def gmsd(raw_dir):
    return context.load_gmsd(raw_dir / get(context.GMSD).filename)


def _value(df, **where):
    rows = df.filter(*[pl.col(k) == v for k, v in where.items()])
    assert rows.height == 1, where
    return rows.row(0, named=True)


# ------------------------------------------------------------------ GMSD

def test_gmsd_us_2014_is_4_61_pct(gmsd):
    """The manifest's cross-check: GMSD puts the US at 4.61 % of GDP in 2014 (SIPRI: 3.68 %).

    Tolerance 1e-6: the value is read from the file, not computed.
    """
    row = _value(gmsd, iso3="USA", year=2014)
    assert row["share_gdp_pct"] == pytest.approx(4.6147485, abs=1e-6)
    assert round(row["share_gdp_pct"], 2) == 4.61
    assert row["implausible"] is False


def test_gmsd_shape_and_codes(gmsd):
    assert gmsd.height == 14_700
    assert (gmsd["year"].min(), gmsd["year"].max()) == (1816, 2019)
    assert _value(gmsd, entity="East Germany", year=1955)["iso3"] == "DDR"
    assert _value(gmsd, entity="Austria-Hungary", year=1816)["iso3"] is None
    assert gmsd["iso3"].drop_nulls().is_in(all_codes()).all()


def test_gmsd_implausible_values_are_exactly_the_known_ones(gmsd):
    """Whole numbers of 80+ cannot be GDP shares: Taiwan and Syria throughout, Qatar 1971."""
    flagged = gmsd.filter(pl.col("implausible"))
    per_entity = dict(flagged.group_by("entity").len().iter_rows())
    assert per_entity == {"Taiwan": 71, "Syria": 65, "Qatar": 1}
    assert flagged.filter(pl.col("entity") == "Qatar")["year"].to_list() == [1971]
    both = gmsd.filter(pl.col("entity").is_in(["Taiwan", "Syria"]))
    assert both["implausible"].all()


def test_gmsd_bad_number_names_row(raw_dir, tmp_path):
    lines = (raw_dir / get(context.GMSD).filename).read_text().splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ",n/a"
    bad = tmp_path / "gmsd.csv"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as info:
        context.load_gmsd(bad)
    assert info.value.column == "Military expenditure (% of GDP)"
    assert info.value.row.startswith("4 (Entity=Afghanistan")


# ------------------------------------------------------------------ NMC

NMC_COLUMNS = ["stateabb", "ccode", "iso3", "year", "milex_thousand_current", "milex_currency",
               "milper_thousand", "irst_thousand_tons", "pec_thousand_coal_ton_equiv",
               "tpop_thousand", "upop_thousand", "cinc", "source_id"]


def test_nmc_schema(nmc):
    assert nmc.columns == NMC_COLUMNS
    assert nmc.schema["year"] == pl.Int64 and nmc.schema["ccode"] == pl.Int64
    assert nmc.schema["milex_thousand_current"] == pl.Float64
    assert nmc.height == 15_951
    assert (nmc["year"].min(), nmc["year"].max()) == (1816, 2016)
    assert nmc.select(pl.struct("ccode", "year").is_duplicated().any()).item() is False


def test_nmc_currency_switches_in_1914(nmc):
    """Codebook: thousands of GBP for 1816-1913, thousands of US$ from 1914."""
    us1913 = _value(nmc, stateabb="USA", year=1913)
    us1914 = _value(nmc, stateabb="USA", year=1914)
    assert (us1913["milex_thousand_current"], us1913["milex_currency"]) == (62_825.0, "GBP")
    assert (us1914["milex_thousand_current"], us1914["milex_currency"]) == (253_205.0, "USD")
    assert set(nmc.filter(pl.col("year") < 1914)["milex_currency"].unique()) == {"GBP"}
    assert set(nmc.filter(pl.col("year") >= 1914)["milex_currency"].unique()) == {"USD"}


def test_nmc_missing_code_becomes_null(nmc):
    assert nmc["milex_thousand_current"].null_count() == 2_217  # the file's -9 cells
    assert nmc.select(pl.col(pl.Float64).min()).min_horizontal().item() >= 0


def test_nmc_iso3_mapping(nmc):
    assert set(context.COW_TO_ISO3.values()) <= set(all_codes())
    assert _value(nmc, stateabb="RUS", year=1950)["iso3"] == "SUN"
    assert _value(nmc, stateabb="RUS", year=2000)["iso3"] == "RUS"
    assert _value(nmc, stateabb="GFR", year=1960)["iso3"] == "DEU"
    assert _value(nmc, stateabb="UKG", year=1938)["iso3"] == "GBR"
    assert _value(nmc, stateabb="BRA", year=1938)["iso3"] is None  # not mapped: not needed
    mapped = nmc.filter(pl.col("year") == 2016, pl.col("iso3").is_not_null())["iso3"].to_list()
    assert len(mapped) == len(set(mapped)) == 35  # the 32 Allies + RUS, CHN, JPN in 2016


def test_nmc_schema_rejects_wrong_currency(nmc):
    broken = nmc.head(3).with_columns(pl.lit("USD").alias("milex_currency"))
    from dibtrends.validate import validated

    with pytest.raises(DataError, match="currency_follows_codebook"):
        validated(broken, context.NmcSchema, "NMC-60-abridged.csv", key=["stateabb", "year"])


def test_nmc_bad_cell_names_file_column_row(raw_dir, tmp_path):
    lines = (raw_dir / get(context.NMC).filename).read_text().splitlines()
    lines[1] = lines[1].replace("USA,2,1816,3823,", "USA,2,1816,lots,")
    bad = tmp_path / "nmc.csv"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as info:
        context.load_nmc(bad)
    assert info.value.column == "milex" and info.value.row == "2 (stateabb=USA, year=1816)"
    assert "nmc.csv" in str(info.value)


def test_tables_registry():
    assert context.TABLES == {"cow_nmc6": context.load_nmc, "owid_gmsd": context.load_gmsd}
