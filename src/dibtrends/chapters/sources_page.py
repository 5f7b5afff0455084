"""The 'Sources and methods' page: every registered file with its edition, licence, checksum
and fetch record; the curated tables' citations; a link to every chart's CSV. It reads files,
not processed tables: ``READS_FILES`` names them (with the chapter modules, for the sources each
declares) so the pipeline re-runs the page when one changes. Its words:
:mod:`dibtrends.prose.sources_page`."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from .. import chapters, paths, sources
from ..errors import DataError
from ..load.curated import load_nato_membership
from ..params import Parameters
from ..prose import sources_page as words
from . import ChapterResult

NOTEBOOK = chapters.SOURCES_PAGE
TITLE = "Sources and methods"
READS: tuple[str, ...] = ()
#: The page lists the registry and reads no source's data, so it claims none.
SOURCES: tuple[str, ...] = ()
#: From the page (``executed/``) to the CSVs in the site (``generated/tables/``, see
#: ``reports/_quarto.yml``), computed so the links cannot drift from the folders.
TABLES_HREF = Path(os.path.relpath(paths.GENERATED / paths.TABLES_SUBDIR,
                                   paths.EXECUTED)).as_posix() + "/"
#: The tables this page shows (and so writes as CSV): listed even on its first run.
OWN_TABLES = {"registry": "99_sources_registry", "checksums": "99_sources_checksums",
              "citations": "99_curated_citations"}
#: Curated columns that cite something besides any column named ``*_citation``.
CITING = ("citation", "corroborated_by")


def provenance_path(source: sources.Source, raw_dir: Path | None = None) -> Path:
    """The fetch record written beside a raw file when it was downloaded and verified."""
    return Path(raw_dir or paths.RAW) / f"{source.filename}.provenance.json"


def curated_files(curated_dir: Path | None = None) -> list[Path]:
    return sorted(Path(curated_dir or paths.CURATED).glob("*.csv"))


READS_FILES = (*(provenance_path(s) for s in sources.SOURCES), *curated_files(),
               *sorted(Path(__file__).resolve().parent.glob("*.py")))


@dataclass(frozen=True)
class Params(Parameters):
    """The page takes no parameters: it lists what the build read and wrote."""


@dataclass(frozen=True)
class Result(ChapterResult):
    params: Params
    registry: pl.DataFrame
    checksums: pl.DataFrame
    citations: pl.DataFrame
    downloads: pl.DataFrame  # name, page, text, href: one row per CSV, in reading order
    text: dict[str, str] = field(default_factory=dict)

    @property
    def tables(self):
        return words.tables(self, OWN_TABLES)

    def record(self):
        return super().record(text={k: v for k, v in self.text.items() if k != "downloads"})


def fetch_records(raw_dir: Path | None = None) -> pl.DataFrame:
    """Per registered file, the registry's sha256 and what the fetch recorded: ``origin``
    ``publisher`` (the registered address), ``mirror`` (a local copy: its path is not kept for
    readers) or ``other`` (a web mirror); ``matches`` null where the file was never fetched."""
    rows = []
    for s in sources.SOURCES:
        path, found = provenance_path(s, raw_dir), {}
        if path.exists():
            try:
                found = json.loads(path.read_text())
            except ValueError as exc:
                raise DataError(path, f"fetch record is not valid JSON ({exc})",
                                fix="delete it and run `make data` to fetch the file again."
                                ) from None
        origin = found.get("origin")
        rows.append({
            "source_id": s.id, "filename": s.filename, "sha256": s.sha256,
            "registered_on": s.retrieved, "retrieved_at": found.get("retrieved_at"),
            "origin": (None if origin is None else "publisher" if origin == s.url else
                       "mirror" if str(origin).startswith("file:") else "other"),
            "matches": None if not found else found.get("sha256") == s.sha256})
    return pl.DataFrame(rows, schema={
        "source_id": pl.String, "filename": pl.String, "sha256": pl.String,
        "registered_on": pl.String, "retrieved_at": pl.String, "origin": pl.String,
        "matches": pl.Boolean})


def citation_columns(csv: Path) -> list[str]:
    columns = pl.read_csv(csv, n_rows=1, infer_schema_length=0).columns
    return [c for c in columns if c in CITING or c.endswith("_citation")]


def curated_citations(curated_dir: Path | None = None) -> pl.DataFrame:
    """Every distinct citation of every curated table: ``file``, ``column``, ``rows``,
    ``citation``."""
    frames = [pl.read_csv(csv, infer_schema_length=0).filter(pl.col(column).is_not_null())
              .group_by(pl.col(column).alias("citation")).agg(pl.len().alias("rows"))
              .select(pl.lit(csv.name).alias("file"), pl.lit(column).alias("column"),
                      pl.col("rows").cast(pl.Int64), "citation").sort("citation")
              for csv in curated_files(curated_dir) for column in citation_columns(csv)]
    schema = {"file": pl.String, "column": pl.String, "rows": pl.Int64, "citation": pl.String}
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


def sources_used() -> dict[str, list[str]]:
    """Source id -> the notebooks whose chapter module declares it in ``SOURCES``."""
    used: dict[str, list[str]] = {}
    for nb in chapters.MODULES:
        for sid in getattr(chapters.module(nb), "SOURCES", ()):
            used.setdefault(sid, []).append(nb)
    return used


def run(params: Params | None = None, processed_dir=None, output_dir=None, raw_dir=None,
        curated_dir=None) -> Result:
    """List sources, checksums, citations and downloads (``output_dir``: where the chapters
    wrote their chart and table CSVs, as in the notebooks)."""
    curated = Path(curated_dir or paths.CURATED)
    countries = dict(load_nato_membership(curated / "nato_membership.csv")
                     .select("iso3", "country").iter_rows())
    tables_dir = paths.output_dir(output_dir) / paths.TABLES_SUBDIR
    names = {*(csv.stem for csv in tables_dir.glob("*.csv")), *OWN_TABLES.values()}
    downloads = words.downloads_frame(names, countries, TABLES_HREF)
    registry = words.registry_frame(sources_used())
    checksums = words.checksums_frame(fetch_records(raw_dir))
    uncited = [csv.name for csv in curated_files(curated) if not citation_columns(csv)]
    return Result(params=params or Params(), registry=registry, checksums=checksums,
                  citations=words.citations_frame(curated_citations(curated)),
                  downloads=downloads, text=words.texts(registry, checksums, uncited, downloads))
