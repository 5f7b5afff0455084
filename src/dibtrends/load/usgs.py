"""USGS Mineral Commodity Summaries 2024 data release: four small CSVs -> tidy, validated tables.

All describe the United States in 2023. Fig. 2: net import reliance (NIR) of 63 commodities and
their major import sources 2019-2022 in descending order of share (shares unpublished). NIR is
partly text (``>95``, ``<50``, ``E`` exporter, ``W`` withheld, ``NA``, ``XX``): every row is
kept, the number in ``net_import_reliance_pct``, the qualifier in ``nir_bound``, the text in
``nir_text``; an unknown token stops the load. Fig. 3: per country, for how many commodities it
is a major source. Table 4: critical minerals and their uses, NIR printed *without* Fig. 2's
qualifiers (use Fig. 2 for bounds). Table 5: production, consumption, NIR and leading source.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandera.polars as pa
import polars as pl

from ..countries import iso3
from ..errors import DataError
from ..sources import USGS_FIG2 as FIG2
from ..sources import USGS_FIG3 as FIG3
from ..sources import USGS_T4 as T4
from ..sources import USGS_T5 as T5
from ..validate import Model, dtypes, units, validated
from . import csvfile, workbook

WHERE = "src/dibtrends/load/usgs.py"
#: Year the NIR figures describe, and the period of the import-source ranking (MCS 2024).
DATA_YEAR = 2023
SOURCES_PERIOD = (2019, 2022)
#: The rows of each file of the MCS 2024 release: a file cut off has fewer.
ROWS = {FIG2: 63, FIG3: 43, T4: 50, T5: 31}
#: NIR qualifiers: the printed token -> ``nir_bound``. Numbers are matched by ``_NIR_NUMBER``.
NIR_TOKENS = {
    "E": "exporter",        # net exporter: NIR would be negative, USGS prints no number
    "W": "withheld",        # withheld to avoid disclosing company proprietary data
    "NA": "not_available",
    "XX": "not_applicable",
}
NIR_BOUNDS = ("eq", "gt", "lt", *NIR_TOKENS.values())
_NIR_NUMBER = re.compile(r"^(?P<op>[<>]?)\s*(?P<num>\d+(?:\.\d+)?)$")
_OPS = {"": "eq", ">": "gt", "<": "lt"}
#: Salient-statistic flags (Table 5), and its statistics by USGS header.
SALIENT_FLAGS = ("reported", "withheld", "not_available", "lt")
SALIENT_STATISTICS = {
    "Primary_prod": "primary_production",
    "Secondary_prod": "secondary_production",
    "Apparent_Consuption": "apparent_consumption",  # sic: USGS's spelling of the header
    "Net_Import_Reliance": "net_import_reliance",
}
#: The largest quantity of each statistic (zinc's production, aluminium's consumption) lies here.
SALIENT_UNITS = {"primary_production": (1e4, 1e7, "metric tons"),
                 "secondary_production": (1e4, 1e7, "metric tons"),
                 "apparent_consumption": (1e5, 1e8, "metric tons")}
#: The CSV states no unit. MCS data sheets report quantities in metric tons of contained
#: content unless noted, with a basis that differs by commodity (e.g. rare-earth oxide).
QUANTITY_UNIT = "unstated in source (MCS data sheets: metric tons, commodity-specific basis)"
HONG_KONG_NOTE = "Imports from Hong Kong are included with China"
NIR = "Net_Import_Reliance_pct_2023"
SOURCES_COLUMN = "Major_Import_Sources_2019_2022"
_ISO3 = {"str_matches": r"^[A-Z]{3}$"}


class NetImportRelianceSchema(Model):
    """One row per Fig. 2 commodity, in the file's order."""

    commodity: pl.String = pa.Field(unique=True)
    fig2_order: pl.Int64 = pa.Field(ge=1, unique=True)
    year: pl.Int64 = pa.Field(isin=[DATA_YEAR])
    net_import_reliance_pct: pl.Float64 = pa.Field(nullable=True, ge=0, le=100)
    nir_bound: pl.String = pa.Field(isin=list(NIR_BOUNDS))
    nir_text: pl.String
    major_import_sources: pl.String = pa.Field(nullable=True)
    notes: pl.String = pa.Field(nullable=True)
    source_id: pl.String = pa.Field(isin=[FIG2])

    @pa.dataframe_check
    def order_counts_the_rows(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("fig2_order") == pl.int_range(1, pl.len() + 1))


class ImportSourcesSchema(Model):
    """Fig. 2's 'major import sources' as a long table: one row per commodity and rank."""

    commodity: pl.String
    rank: pl.Int64 = pa.Field(ge=1, le=10)
    source_country: pl.String
    iso3: pl.String = pa.Field(**_ISO3)
    includes_hong_kong: pl.Boolean
    period_start: pl.Int64 = pa.Field(isin=[SOURCES_PERIOD[0]])
    period_end: pl.Int64 = pa.Field(isin=[SOURCES_PERIOD[1]])
    source_id: pl.String = pa.Field(isin=[FIG2])

    class Config:
        unique = ["commodity", "rank"]

    @pa.dataframe_check
    def country_once_per_commodity(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(~pl.struct("commodity", "iso3").is_duplicated())


class ImportSourceCountsSchema(Model):
    """Fig. 3: per country, the number of commodities it is a major import source for."""

    country: pl.String = pa.Field(unique=True)
    iso3: pl.String = pa.Field(unique=True, **_ISO3)
    commodity_count: pl.Int64 = pa.Field(ge=1)
    map_class: pl.String
    map_class_min: pl.Int64 = pa.Field(ge=1)
    map_class_max: pl.Int64 = pa.Field(ge=1)
    source_id: pl.String = pa.Field(isin=[FIG3])

    @pa.dataframe_check
    def count_inside_its_class(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(
            pl.col("commodity_count").is_between(pl.col("map_class_min"), pl.col("map_class_max")))


class EndUseSchema(Model):
    """Table 4: one row per critical mineral (2022 list)."""

    critical_mineral: pl.String = pa.Field(unique=True)
    primary_applications: pl.String
    net_import_reliance_pct: pl.Float64 = pa.Field(nullable=True, ge=0, le=100)
    nir_text: pl.String = pa.Field(nullable=True)
    source_id: pl.String = pa.Field(isin=[T4])


class SalientSchema(Model):
    """Table 5, long: one row per critical mineral and statistic."""

    critical_mineral: pl.String
    statistic: pl.String = pa.Field(isin=list(SALIENT_STATISTICS.values()))
    value: pl.Float64 = pa.Field(nullable=True, ge=0)
    unit: pl.String
    flag: pl.String = pa.Field(isin=list(SALIENT_FLAGS))
    value_text: pl.String
    top_import_source: pl.String
    top_import_source_iso3: pl.String = pa.Field(**_ISO3)
    year: pl.Int64 = pa.Field(isin=[DATA_YEAR])
    source_id: pl.String = pa.Field(isin=[T5])

    class Config:
        unique = ["critical_mineral", "statistic"]


def _read(source_id: str, path: Path | None, columns: list[str], key: str,
          **kw) -> tuple[Path, pl.DataFrame]:
    """The file's cells as stripped text, its header checked; ``key`` names a row."""
    path = workbook.raw_path(source_id, path)
    return path, csvfile.read(path, columns, where=WHERE, strip=True, source_id=source_id,
                              key=[key], rows=ROWS[source_id], **kw)


def parse_nir(text: str | None, *, file, column: str, row) -> tuple[float | None, str]:
    """'>95' -> (95.0, 'gt'); '100' -> (100.0, 'eq'); 'E' -> (None, 'exporter') ...; anything
    else is a DataError: a new USGS symbol needs a meaning here, never a silent drop."""
    token = (text or "").strip()
    if token.upper() in NIR_TOKENS:
        return None, NIR_TOKENS[token.upper()]
    if (match := _NIR_NUMBER.match(token)) is None:
        raise DataError(
            file, f"unrecognised net import reliance value {token!r}; expected a number, "
            f"optionally after '>' or '<', or one of {', '.join(map(repr, NIR_TOKENS))}",
            column=column, row=row,
            fix="check the cell in the USGS file; if USGS introduced a new symbol, look it up in "
                "the MCS 'Abbreviations and units of measure' appendix and add it to NIR_TOKENS "
                f"in {WHERE}.")
    if (value := float(match["num"])) > 100:
        raise DataError(file, f"net import reliance {token!r} is above 100 %; expected a "
                        "percentage", column=column, row=row,
                        fix="check the value (and the unit) in the USGS file.")
    return value, _OPS[match["op"]]


def parse_quantity(text: str | None, *, file, column: str, row) -> tuple[float | None, str]:
    """Table 5 cell: '1800000' -> reported; 'W' -> withheld (null); '<100,000' -> lt 100000."""
    token = (text or "").strip()
    if token.upper() in ("W", "NA"):
        return None, {"W": "withheld", "NA": "not_available"}[token.upper()]
    match = re.fullmatch(r"(?P<op><?)\s*(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)", token)
    if match is None:
        raise DataError(
            file, f"unrecognised value {token!r}; expected a number (commas allowed), "
            "'<number', 'W' (withheld) or 'NA'", column=column, row=row,
            fix=f"check the cell; if USGS introduced a new symbol, add it to parse_quantity in "
                f"{WHERE}.")
    return float(match["num"].replace(",", "")), ("lt" if match["op"] else "reported")


def _fig2(path: Path | None) -> tuple[Path, pl.DataFrame]:
    path, df = _read(FIG2, path, ["Source", "Import_Share_Order", "Commodity", NIR,
                                  SOURCES_COLUMN, "Notes"], "Commodity",
                     required={"Commodity": "check the row in the USGS file."},
                     types={"Import_Share_Order": pl.Int64})
    if (other := df.with_row_index("i").filter(pl.col("Source") != "MCS2024")).height:
        i, edition, name = other.select("i", "Source", "Commodity").row(0)
        raise DataError(path, f"edition {edition!r} is not MCS2024", column="Source",
                        row=csvfile.line(i, {"Commodity": name}),
                        fix="this loader reads the MCS 2024 release; register the new edition in "
                            "data/sources.yml first.")
    return path, df


def load_net_import_reliance(path: Path | None = None) -> pl.DataFrame:
    """U.S. net import reliance 2023, with the qualifier kept (Fig. 2)."""
    path, raw = _fig2(path)
    parsed = [parse_nir(text, file=path, column=NIR, row=csvfile.line(i, {"Commodity": name}))
              for i, (name, text) in enumerate(raw.select("Commodity", NIR).iter_rows())]
    df = raw.select(
        pl.col("Commodity").alias("commodity"),
        pl.col("Import_Share_Order").alias("fig2_order"),
        pl.lit(DATA_YEAR, pl.Int64).alias("year"),
        pl.Series("net_import_reliance_pct", [p[0] for p in parsed], pl.Float64),
        pl.Series("nir_bound", [p[1] for p in parsed], pl.String),
        pl.col(NIR).alias("nir_text"),
        pl.col(SOURCES_COLUMN).alias("major_import_sources"),
        pl.col("Notes").alias("notes"),
        pl.lit(FIG2).alias("source_id"),
    )
    return validated(df, NetImportRelianceSchema, path, key=["commodity"])


def load_import_sources(path: Path | None = None) -> pl.DataFrame:
    """Fig. 2's ranked import sources as (commodity, rank, country, iso3): rank is all USGS
    publishes of them. Where the Notes say so, China includes Hong Kong."""
    path, raw = _fig2(path)
    rows = []
    for i, (name, listed, notes) in enumerate(
            raw.select("Commodity", SOURCES_COLUMN, "Notes").iter_rows()):
        where = csvfile.line(i, {"Commodity": name})
        if not listed:
            raise DataError(path, "no import sources listed", column=SOURCES_COLUMN, row=where,
                            fix="check the row in the USGS file.")
        hong_kong = HONG_KONG_NOTE.lower() in (notes or "").lower()
        codes = []
        for rank, country in enumerate((c.strip() for c in listed.split(",")), start=1):
            if not country:
                raise DataError(path, f"empty country in {listed!r}", column=SOURCES_COLUMN,
                                row=where, fix="check for a doubled comma in the USGS file.")
            codes.append(code := iso3(country, file=path, column=SOURCES_COLUMN, row=where))
            rows.append((name, rank, country, code, hong_kong and code == "CHN",
                         *SOURCES_PERIOD, FIG2))
        if hong_kong and "CHN" not in codes:
            raise DataError(path, "Notes mention Hong Kong with China but China is not listed",
                            column="Notes", row=where, fix="check the row in the USGS file.")
    df = pl.DataFrame(rows, orient="row", schema=dtypes(ImportSourcesSchema))
    return validated(df, ImportSourcesSchema, path, key=["commodity", "rank"])


def load_import_source_counts(path: Path | None = None) -> pl.DataFrame:
    """Fig. 3: number of commodities for which each country is a major U.S. import source."""
    path, raw = _read(FIG3, path, ["Country", "Commodity_Count", "Map_Class"], "Country",
                      types={"Commodity_Count": pl.Int64})
    bounds = pl.col("Map_Class").str.extract_groups(r"^(\d+) to (\d+)$")
    df = raw.with_row_index("i").with_columns(bounds.struct.field("1").cast(pl.Int64).alias("lo"),
                                              bounds.struct.field("2").cast(pl.Int64).alias("hi"))
    if (odd := df.filter(pl.col("lo").is_null())).height:
        i, country, klass = odd.select("i", "Country", "Map_Class").row(0)
        raise DataError(path, f"map class {klass!r} is not 'N to M'", column="Map_Class",
                        row=csvfile.line(i, {"Country": country}),
                        fix="update load_import_source_counts for the new format.")
    codes = [iso3(c, file=path, column="Country", row=csvfile.line(i, {"Country": c}))
             for i, c in enumerate(df["Country"])]
    df = df.select(pl.col("Country").alias("country"), pl.Series("iso3", codes, pl.String),
                   pl.col("Commodity_Count").alias("commodity_count"),
                   pl.col("Map_Class").alias("map_class"), pl.col("lo").alias("map_class_min"),
                   pl.col("hi").alias("map_class_max"), pl.lit(FIG3).alias("source_id"))
    return validated(df, ImportSourceCountsSchema, path, key=["country"])


def load_critical_minerals_end_use(path: Path | None = None) -> pl.DataFrame:
    """Table 4: critical minerals, primary applications, NIR as printed there (no qualifiers)."""
    path, raw = _read(T4, path, ["Critical Mineral", "Primary Applications", NIR],
                      "Critical Mineral")
    values = [None if text in (None, "") else  # USGS leaves single rare-earth elements blank
              parse_nir(text, file=path, column=NIR,
                        row=csvfile.line(i, {"Critical Mineral": name}))[0]
              for i, (name, text) in enumerate(raw.select("Critical Mineral", NIR).iter_rows())]
    df = raw.select(
        pl.col("Critical Mineral").alias("critical_mineral"),
        pl.col("Primary Applications").alias("primary_applications"),
        pl.Series("net_import_reliance_pct", values, pl.Float64),
        pl.col(NIR).replace("", None).alias("nir_text"),
        pl.lit(T4).alias("source_id"),
    )
    return validated(df, EndUseSchema, path, key=["critical_mineral"])


_T5_FLAGS = {"eq": "reported", "lt": "lt", "withheld": "withheld",
             "not_available": "not_available"}


def load_critical_minerals_salient(path: Path | None = None) -> pl.DataFrame:
    """Table 5 as a long table; W (withheld) and NA become null with a flag, text kept.

    The file's last column, ``Alliance`` (Ally / Competitor / Neutral per import source), is not
    a USGS field: a third party added it to this copy. It is dropped unread, so no table of this
    project carries someone else's classification under USGS's name.
    """
    path, raw = _read(T5, path, ["Critical_mineral", *SALIENT_STATISTICS, "Source"],
                      "Critical_mineral", extra=("Alliance",),
                      required={"Source": "name the leading import source, as USGS does."})
    rows = []
    for i, record in enumerate(raw.iter_rows(named=True)):
        name, top = record["Critical_mineral"], record["Source"]
        where = csvfile.line(i, {"Critical_mineral": name})
        top_iso3 = iso3(top, file=path, column="Source", row=where)
        for column, statistic in SALIENT_STATISTICS.items():
            text, unit = record[column], QUANTITY_UNIT
            if statistic == "net_import_reliance":
                value, bound = parse_nir(text, file=path, column=column, row=where)
                if (flag := _T5_FLAGS.get(bound)) is None:
                    raise DataError(path, f"net import reliance {text!r} has no Table 5 meaning",
                                    column=column, row=where,
                                    fix="extend the flag vocabulary (_T5_FLAGS) in "
                                        f"load_critical_minerals_salient ({WHERE}).")
                unit = "pct"
            else:
                value, flag = parse_quantity(text, file=path, column=column, row=where)
            rows.append((name, statistic, value, unit, flag, text, top, top_iso3, DATA_YEAR, T5))
    df = validated(pl.DataFrame(rows, orient="row", schema=dtypes(SalientSchema)), SalientSchema,
                   path, key=["critical_mineral", "statistic"])
    units(df.pivot(on="statistic", index="critical_mineral", values="value"), SALIENT_UNITS, path,
          key=["critical_mineral"], where=f"SALIENT_UNITS in {WHERE}")
    return df


TABLES = {
    "usgs_net_import_reliance": load_net_import_reliance,
    "usgs_import_sources": load_import_sources,
    "usgs_import_source_counts": load_import_source_counts,
    "usgs_critical_minerals_end_use": load_critical_minerals_end_use,
    "usgs_critical_minerals_salient": load_critical_minerals_salient,
}
