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

from pathlib import Path

import pandera.polars as pa
import polars as pl

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
#: NIR qualifiers: the printed token -> ``nir_bound`` (numbers: :data:`_FORMS`).
NIR_TOKENS = {
    "E": "exporter",        # net exporter: NIR would be negative, USGS prints no number
    "W": "withheld",        # withheld to avoid disclosing company proprietary data
    "NA": "not_available",
    "XX": "not_applicable",
}
NIR_BOUNDS = ("eq", "gt", "lt", *NIR_TOKENS.values())
_OPS = {"": "eq", ">": "gt", "<": "lt"}
#: Salient-statistic flags (Table 5), and its statistics by USGS header.
SALIENT_FLAGS = ("reported", "withheld", "not_available", "lt")
SALIENT_STATISTICS = {
    "Primary_prod": "primary_production",
    "Secondary_prod": "secondary_production",
    "Apparent_Consuption": "apparent_consumption",  # sic: USGS's spelling of the header
    "Net_Import_Reliance": "net_import_reliance",
}
#: The largest value of each statistic (zinc's production, aluminium's consumption) lies here.
SALIENT_UNITS = {"primary_production": (1e4, 1e7, "metric tons"),
                 "secondary_production": (1e4, 1e7, "metric tons"),
                 "apparent_consumption": (1e5, 1e8, "metric tons"),
                 "net_import_reliance": (50, 100, "percent of apparent consumption")}
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


#: How a cell of each kind reads: its symbols (-> ``bound``), its number and what the number's
#: prefix means (-> ``bound``), what else it may hold, and where a new symbol goes. Numbers above
#: 100 % are the schemas' (Fig. 2, Table 4) and SALIENT_UNITS' (Table 5) to refuse.
_FORMS = {
    "nir": (NIR_TOKENS, r"(?P<op>[<>]?)\s*(?P<num>[0-9]+(?:\.[0-9]+)?)", _OPS,
            "a number, optionally after '>' or '<', or one of "
            f"{', '.join(map(repr, NIR_TOKENS))}",
            "look it up in the MCS 'Abbreviations and units of measure' appendix and add it to "
            f"NIR_TOKENS in {WHERE}."),
    "quantity": ({"W": "withheld", "NA": "not_available"},
                 r"(?P<op><?)\s*(?P<num>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:\.[0-9]+)?)",
                 {"": "reported", "<": "lt"},
                 "a number (commas allowed), '<number', 'W' (withheld) or 'NA'",
                 f"add it to the quantity symbols (_FORMS) in {WHERE}."),
}


def parse(df: pl.DataFrame, column: str, kind: str, *, file, key: str,
          blank: bool = False) -> pl.DataFrame:
    """``df`` with the number (``value``) and qualifier (``bound``) of each text in ``column``:
    '>95' -> (95.0, 'gt'), 'E' -> (None, 'exporter'), '<100,000' -> (100000.0, 'lt'). Any other
    text (an empty one unless ``blank``) is a DataError: a new USGS symbol needs a meaning here,
    never a silent drop."""
    symbols, pattern, ops, expected, fix = _FORMS[kind]
    token = pl.col(column).str.strip_chars()
    number = token.str.extract_groups(f"^{pattern}$")
    out = df.with_columns(
        number.struct.field("num").str.replace_all(",", "").cast(pl.Float64).alias("value"),
        token.str.to_uppercase().replace_strict(symbols, default=None)
        .fill_null(number.struct.field("op").replace_strict(ops, default=None)).alias("bound"))
    bad = pl.col("bound").is_null() & (token.fill_null("") != "" if blank else True)
    csvfile.stop_at(out, bad, file, column=column, key=key, problem=lambda r: "unrecognised "
                    f"value {r[column] or ''!r}; expected {expected}",
                    fix=f"check the cell in the USGS file; if USGS introduced a new symbol, {fix}")
    return out


def _fig2(path: Path | None) -> tuple[Path, pl.DataFrame]:
    path, df = _read(FIG2, path, ["Source", "Import_Share_Order", "Commodity", NIR,
                                  SOURCES_COLUMN, "Notes"], "Commodity",
                     required={"Commodity": "check the row in the USGS file."},
                     types={"Import_Share_Order": pl.Int64})
    csvfile.stop_at(df, pl.col("Source") != "MCS2024", path, column="Source", key="Commodity",
                    problem=lambda r: f"edition {r['Source']!r} is not MCS2024",
                    fix="this loader reads the MCS 2024 release; register the new edition in "
                        "data/sources.yml first.")
    return path, df


def load_net_import_reliance(path: Path | None = None) -> pl.DataFrame:
    """U.S. net import reliance 2023, with the qualifier kept (Fig. 2)."""
    path, raw = _fig2(path)
    df = parse(raw, NIR, "nir", file=path, key="Commodity").select(
        pl.col("Commodity").alias("commodity"),
        pl.col("Import_Share_Order").alias("fig2_order"),
        pl.lit(DATA_YEAR, pl.Int64).alias("year"),
        pl.col("value").alias("net_import_reliance_pct"),
        pl.col("bound").alias("nir_bound"),
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
    listed = pl.col(SOURCES_COLUMN)
    long = raw.with_row_index("i").select(
        "i", "Commodity", listed.alias("listed"), pl.col("Notes").str.to_lowercase()
        .str.contains(HONG_KONG_NOTE.lower(), literal=True).fill_null(False).alias("hong_kong"),
        listed.str.split(","),
    ).explode(SOURCES_COLUMN).with_columns(
        listed.str.strip_chars(), (pl.int_range(pl.len()).over("i") + 1).alias("rank"))
    csvfile.stop_at(long, listed.fill_null("") == "", path, column=SOURCES_COLUMN,
                    key="Commodity",
                    problem=lambda r: f"an empty country in the list {r['listed'] or ''!r}",
                    fix="list the major import sources as the USGS file does, separated by "
                        "single commas.")
    long = long.with_columns(csvfile.iso3(long, SOURCES_COLUMN, path, key="Commodity"))
    csvfile.stop_at(long, pl.col("hong_kong") & ~(pl.col("iso3") == "CHN").any().over("i"),
                    path, column="Notes", key="Commodity",
                    problem=lambda r: "Notes mention Hong Kong with China but China is not listed",
                    fix="check the row in the USGS file.")
    df = long.select(pl.col("Commodity").alias("commodity"), "rank",
                     listed.alias("source_country"), "iso3",
                     (pl.col("hong_kong") & (pl.col("iso3") == "CHN")).alias("includes_hong_kong"),
                     *[pl.lit(y, pl.Int64).alias(c) for c, y in
                       zip(("period_start", "period_end"), SOURCES_PERIOD, strict=True)],
                     pl.lit(FIG2).alias("source_id"))
    return validated(df.cast(dtypes(ImportSourcesSchema)), ImportSourcesSchema, path,
                     key=["commodity", "rank"])


def load_import_source_counts(path: Path | None = None) -> pl.DataFrame:
    """Fig. 3: number of commodities for which each country is a major U.S. import source."""
    path, raw = _read(FIG3, path, ["Country", "Commodity_Count", "Map_Class"], "Country",
                      types={"Commodity_Count": pl.Int64})
    bounds = pl.col("Map_Class").str.extract_groups(r"^(\d+) to (\d+)$")
    df = raw.with_columns(bounds.struct.field("1").cast(pl.Int64).alias("lo"),
                          bounds.struct.field("2").cast(pl.Int64).alias("hi"))
    csvfile.stop_at(df, pl.col("lo").is_null(), path, column="Map_Class", key="Country",
                    problem=lambda r: f"map class {r['Map_Class']!r} is not 'N to M'",
                    fix="update load_import_source_counts for the new format.")
    df = df.select(pl.col("Country").alias("country"),
                   csvfile.iso3(df, "Country", path, key="Country"),
                   pl.col("Commodity_Count").alias("commodity_count"),
                   pl.col("Map_Class").alias("map_class"), pl.col("lo").alias("map_class_min"),
                   pl.col("hi").alias("map_class_max"), pl.lit(FIG3).alias("source_id"))
    return validated(df, ImportSourceCountsSchema, path, key=["country"])


def load_critical_minerals_end_use(path: Path | None = None) -> pl.DataFrame:
    """Table 4: critical minerals, primary applications, NIR as printed there (no qualifiers);
    USGS leaves it blank for single rare-earth elements."""
    path, raw = _read(T4, path, ["Critical Mineral", "Primary Applications", NIR],
                      "Critical Mineral")
    df = parse(raw, NIR, "nir", file=path, key="Critical Mineral", blank=True).select(
        pl.col("Critical Mineral").alias("critical_mineral"),
        pl.col("Primary Applications").alias("primary_applications"),
        pl.col("value").alias("net_import_reliance_pct"),
        pl.col(NIR).replace("", None).alias("nir_text"),
        pl.lit(T4).alias("source_id"),
    )
    return validated(df, EndUseSchema, path, key=["critical_mineral"])


def load_critical_minerals_salient(path: Path | None = None) -> pl.DataFrame:
    """Table 5 as a long table; W (withheld) and NA become null with a flag, text kept.

    The file's last column, ``Alliance`` (Ally / Competitor / Neutral per import source), is not
    a USGS field: a third party added it to this copy. It is dropped unread, so no table of this
    project carries someone else's classification under USGS's name.
    """
    key = "Critical_mineral"
    path, raw = _read(T5, path, [key, *SALIENT_STATISTICS, "Source"], key, extra=("Alliance",),
                      required={"Source": "name the leading import source, as USGS does."})
    raw = raw.with_row_index("i").with_columns(
        csvfile.iso3(raw, "Source", path, key=key).alias("top_iso3"))
    parts = []
    for order, (column, statistic) in enumerate(SALIENT_STATISTICS.items()):
        nir = statistic == "net_import_reliance"  # Table 5 prints it without Fig. 2's symbols
        part = parse(raw, column, "quantity", file=path, key=key)
        parts.append(part.select(
            "i", pl.lit(order).alias("order"), pl.col(key).alias("critical_mineral"),
            pl.lit(statistic).alias("statistic"), "value",
            pl.lit("pct" if nir else QUANTITY_UNIT).alias("unit"), pl.col("bound").alias("flag"),
            pl.col(column).alias("value_text"), pl.col("Source").alias("top_import_source"),
            pl.col("top_iso3").alias("top_import_source_iso3"),
            pl.lit(DATA_YEAR, pl.Int64).alias("year"), pl.lit(T5).alias("source_id")))
    df = pl.concat(parts).sort("i", "order").drop("i", "order")
    df = validated(df, SalientSchema, path, key=["critical_mineral", "statistic"])
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
