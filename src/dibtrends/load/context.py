"""Context sources: Correlates of War NMC 6.0 and OWID's Global Military Spending Dataset.

Neither is mixed into a SIPRI series. NMC gives military expenditure before 1949 (in money of
the day, with a currency switch in 1914); GMSD gives shares of GDP back to 1816 whose levels
differ from SIPRI's (United States 2014: 4.61 % here, 3.68 % in SIPRI), so they serve as a
cross-check and for the long view only.
"""

from __future__ import annotations

from pathlib import Path

import pandera.polars as pa
import polars as pl

from .. import validate
from . import csvfile, workbook

NMC, GMSD = "cow_nmc6", "owid_gmsd"
WHERE = "src/dibtrends/load/context.py"

#: NMC codebook: "Military Expenditures (For 1816-1913: thousands of current year British
#: Pounds. For 1914+: thousands of current year US Dollars.)" (NMC 3.0 format notes; the v6.0
#: codebook keeps the rule). The file itself shows the switch: the United States go from 62,825
#: (1913, GBP) to 253,205 (1914, USD).
NMC_USD_FROM = 1914
NMC_MISSING = -9

#: COW country code -> ISO3, only for the states this project uses: the 32 Allies (and their
#: predecessor states in the COW list), Russia/the Soviet Union, China and Japan. Other states
#: keep their COW codes with ``iso3`` null. Notes on the codes that span regime changes:
#: 255 GMY is Prussia until 1870, Germany 1871-1945 and united Germany from 1990; 260 GFR is
#: West Germany 1955-1990 (whose legal continuation is today's DEU); 265 GDR -> DDR; 315 CZE is
#: Czechoslovakia (CSK), 316 CZR the Czech Republic; 325 ITA includes Sardinia before 1861;
#: 640 TUR includes the Ottoman Empire; 365 RUS is Russia and, 1922-1991, the Soviet Union.
COW_TO_ISO3 = {
    2: "USA", 20: "CAN", 200: "GBR", 210: "NLD", 211: "BEL", 212: "LUX", 220: "FRA",
    230: "ESP", 235: "PRT", 255: "DEU", 260: "DEU", 265: "DDR", 290: "POL", 310: "HUN",
    315: "CSK", 316: "CZE", 317: "SVK", 325: "ITA", 339: "ALB", 341: "MNE", 343: "MKD",
    344: "HRV", 349: "SVN", 350: "GRC", 355: "BGR", 360: "ROU", 365: "RUS", 366: "EST",
    367: "LVA", 368: "LTU", 375: "FIN", 380: "SWE", 385: "NOR", 390: "DNK", 395: "ISL",
    640: "TUR", 710: "CHN", 740: "JPN",
}
#: Year-dependent override: COW 365 is the Soviet Union from its founding treaty (30 December
#: 1922) to its dissolution (26 December 1991); whole years 1923-1991 are coded SUN.
SOVIET_YEARS = (1923, 1991)

#: OWID's own codes for historical entities -> the project's codes (dibtrends.countries).
OWID_CODES = {"OWID_CZS": "CSK", "OWID_YGS": "YUG", "OWID_GDR": "DDR", "OWID_KOS": "XKX"}
#: GMSD values that cannot be shares of GDP: whole numbers of 80 or more. In this export they
#: are exactly Taiwan (every year 1949-2019, 88-99), Syria (every year 1946-2012, 87-100) and
#: Qatar 1971 (97). They are kept, flagged ``implausible``, and must not be charted.
IMPLAUSIBLE_MIN = 80.0
#: NMC's other measures -> their columns here, units in the names.
NMC_COLUMNS = {"milper": "milper_thousand", "irst": "irst_thousand_tons",
               "pec": "pec_thousand_coal_ton_equiv", "tpop": "tpop_thousand",
               "upop": "upop_thousand"}
#: The largest value of each measure (the United States' or China's) lies here (low, high, unit).
NMC_UNITS = {
    "milex_thousand_current": (1e8, 1e10, "thousand current US$, the United States 2016"),
    "milper_thousand": (1e3, 1e5, "thousand people"),
    "irst_thousand_tons": (1e5, 1e7, "thousand tons of iron and steel"),
    "pec_thousand_coal_ton_equiv": (1e6, 1e8, "thousand coal-ton equivalents"),
    "tpop_thousand": (1e5, 1e7, "thousand people, China"),
    "upop_thousand": (1e5, 1e7, "thousand people, China"),
}
#: The rows of the registered editions: a file cut off has fewer.
NMC_ROWS, GMSD_ROWS = 15_951, 14_700


class NmcSchema(validate.Model):
    """NMC 6.0 abridged: one row per state and year; -9 (missing) is null."""

    stateabb: pl.String = pa.Field(str_matches=r"^[A-Z]{3}$")
    ccode: pl.Int64 = pa.Field(ge=1, le=999)
    iso3: pl.String = pa.Field(nullable=True)
    year: pl.Int64 = pa.Field(ge=1816, le=2016)
    milex_thousand_current: pl.Float64 = pa.Field(nullable=True, ge=0)
    milex_currency: pl.String = pa.Field(isin=["GBP", "USD"])
    milper_thousand: pl.Float64 = pa.Field(nullable=True, ge=0)
    irst_thousand_tons: pl.Float64 = pa.Field(nullable=True, ge=0)
    pec_thousand_coal_ton_equiv: pl.Float64 = pa.Field(nullable=True, ge=0)
    tpop_thousand: pl.Float64 = pa.Field(nullable=True, ge=0)
    upop_thousand: pl.Float64 = pa.Field(nullable=True, ge=0)
    cinc: pl.Float64 = pa.Field(ge=0, le=1)
    source_id: pl.String = pa.Field(isin=[NMC])

    class Config:
        unique = ["ccode", "year"]

    @pa.dataframe_check
    def currency_follows_codebook(cls, data) -> pl.LazyFrame:
        before = pl.col("year") < NMC_USD_FROM
        expected = pl.when(before).then(pl.lit("GBP")).otherwise(pl.lit("USD"))
        return data.lazyframe.select(pl.col("milex_currency") == expected)

    @pa.dataframe_check
    def one_abbreviation_per_code(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("stateabb").n_unique().over("ccode") == 1)
                                     & (pl.col("ccode").n_unique().over("stateabb") == 1))


class GmsdSchema(validate.Model):
    """GMSD share of GDP (percent), one row per entity and year."""

    entity: pl.String
    owid_code: pl.String
    iso3: pl.String = pa.Field(nullable=True, str_matches=r"^[A-Z]{3}$")
    year: pl.Int64 = pa.Field(ge=1816, le=2019)
    share_gdp_pct: pl.Float64 = pa.Field(gt=0, le=100)
    implausible: pl.Boolean
    source_id: pl.String = pa.Field(isin=[GMSD])

    class Config:
        unique = ["entity", "year"]

    @pa.dataframe_check
    def one_code_per_entity(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("entity").n_unique().over("owid_code") == 1)
                                     & (pl.col("owid_code").n_unique().over("entity") == 1))


def load_nmc(path: Path | None = None) -> pl.DataFrame:
    """COW National Material Capabilities 6.0, with the currency of ``milex`` made explicit."""
    path = workbook.raw_path(NMC, path)
    measures = ["milex", "milper", "irst", "pec", "tpop", "upop", "cinc"]
    df = csvfile.read(path, ["stateabb", "ccode", "year", *measures], where=WHERE, extra=True,
                      types=dict.fromkeys(["ccode", "year", *measures], pl.Float64),
                      key=["stateabb", "year"], source_id=NMC, rows=NMC_ROWS)
    # -9 is missing; any other negative value fails the schema's ranges
    value = {c: pl.col(c).replace(NMC_MISSING, None) for c in measures}
    iso = pl.col("ccode").replace_strict(COW_TO_ISO3, default=None, return_dtype=pl.String)
    out = df.with_columns(pl.col("ccode", "year").cast(pl.Int64)).select(
        pl.col("stateabb").str.strip_chars(), "ccode",
        pl.when((pl.col("ccode") == 365) & pl.col("year").is_between(*SOVIET_YEARS))
        .then(pl.lit("SUN")).otherwise(iso).alias("iso3"),
        "year",
        value["milex"].alias("milex_thousand_current"),
        pl.when(pl.col("year") < NMC_USD_FROM).then(pl.lit("GBP")).otherwise(pl.lit("USD"))
        .alias("milex_currency"),
        *[value[c].alias(name) for c, name in NMC_COLUMNS.items()],
        pl.col("cinc"),
        pl.lit(NMC).alias("source_id"),
    )
    validate.units(out, NMC_UNITS, path, key=["stateabb", "year"], where=f"NMC_UNITS in {WHERE}")
    return validate.validated(out, NmcSchema, path, key=["stateabb", "year"])


def load_gmsd(path: Path | None = None) -> pl.DataFrame:
    """OWID/GMSD military expenditure as a share of GDP, percent; implausible values flagged."""
    path = workbook.raw_path(GMSD, path)
    share = "Military expenditure (% of GDP)"
    df = csvfile.read(path, ["Entity", "Code", "Year", share], where=WHERE, source_id=GMSD,
                      types={"Year": pl.Float64, share: pl.Float64}, key=["Entity", "Year"],
                      rows=GMSD_ROWS)
    csvfile.stop_at(df, pl.col("Code").is_null(), path, column="Code", key="Entity",
                    problem=lambda r: "entity without a code",
                    fix="OWID added a region or aggregate: decide whether to keep it, then map "
                        "its code in OWID_CODES or skip it in load_gmsd.")
    code, value = pl.col("Code"), pl.col(share)
    out = df.select(
        pl.col("Entity").alias("entity"),
        code.alias("owid_code"),
        pl.when(code.str.contains(r"^[A-Z]{3}$")).then(code)
        .otherwise(code.replace_strict(OWID_CODES, default=None, return_dtype=pl.String))
        .alias("iso3"),
        pl.col("Year").cast(pl.Int64).alias("year"),
        value.alias("share_gdp_pct"),
        ((value >= IMPLAUSIBLE_MIN) & (value.round(0) == value)).alias("implausible"),
        pl.lit(GMSD).alias("source_id"),
    )
    return validate.validated(out, GmsdSchema, path, key=["entity", "year"])


TABLES = {NMC: load_nmc, GMSD: load_gmsd}
