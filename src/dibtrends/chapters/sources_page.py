"""The 'Sources and methods' page: every registered file with its edition, licence, checksum
and fetch record; the curated tables' citations; a link to every chart's CSV. It reads files,
not processed tables: ``READS_FILES`` names them (with the chapter modules, for the sources each
declares) so the pipeline re-runs the page when one changes."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from .. import chapters, methods, paths, sources
from ..membership import load_nato_membership
from ..params import Parameters
from ..prose import sources_page as words
from ..results import ChapterRecord, Table
from . import record

NOTEBOOK = chapters.SOURCES_PAGE
TITLE = "Sources and methods"
READS: tuple[str, ...] = ()
#: The page lists the registry and reads no source's data, so it claims none.
SOURCES: tuple[str, ...] = ()
READS_FILES = (*(methods.provenance_path(s) for s in sources.SOURCES), *methods.curated_files(),
               *sorted(Path(__file__).resolve().parent.glob("*.py")))
#: From the page (``executed/``) to the CSVs in the site (``generated/tables/``, see
#: ``reports/_quarto.yml``), computed so the links cannot drift from the folders.
TABLES_HREF = Path(os.path.relpath(paths.GENERATED / paths.TABLES_SUBDIR,
                                   paths.EXECUTED)).as_posix() + "/"
#: The tables this page shows (and so writes as CSV): listed even on its first run.
OWN_TABLES = {"registry": "99_sources_registry", "checksums": "99_sources_checksums",
              "citations": "99_curated_citations"}


@dataclass(frozen=True)
class Params(Parameters):
    """The page takes no parameters: it lists what the build read and wrote."""


@dataclass(frozen=True)
class Result:
    params: Params
    registry: pl.DataFrame
    checksums: pl.DataFrame
    citations: pl.DataFrame
    downloads: pl.DataFrame  # name, page, text, href: one row per CSV, in reading order
    text: dict[str, str] = field(default_factory=dict)

    @property
    def tables(self) -> dict[str, Table]:
        return words.tables(self, OWN_TABLES)

    def record(self) -> ChapterRecord:
        return record(NOTEBOOK, self,
                      text={k: v for k, v in self.text.items() if k != "downloads"})


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
    downloads = words.downloads_frame({n: methods.page_of(n, chapters.MODULES) for n in names},
                                      countries, TABLES_HREF)
    registry = words.registry_frame(sources_used())
    checksums = words.checksums_frame(methods.fetch_records(raw_dir))
    return Result(params=params or Params(), registry=registry, checksums=checksums,
                  citations=words.citations_frame(methods.curated_citations(curated)),
                  downloads=downloads,
                  text=words.texts(registry, checksums,
                                   methods.curated_tables_without_citation(curated), downloads))
