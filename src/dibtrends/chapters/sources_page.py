"""The 'Sources and methods' page: every registered file with its edition, address, licence,
checksum and fetch record; the curated tables and their citations; the CSV behind every chart
and table, linked for download.

The page reads files, not processed tables (``READS`` is empty): the fetch records beside the
raw files, the curated CSVs, the chapter modules (which chapter uses which source) and the
folder of chart and table CSVs. ``READS_FILES`` names the first three so the pipeline re-runs
the page when one changes. The download links point where the published site keeps the CSVs
(``generated/tables/`` beside ``executed/``, see ``reports/_quarto.yml``): ``TABLES_HREF`` is
computed from :mod:`dibtrends.paths`, so it cannot drift from the folders.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from .. import chapters, methods, paths, sources
from . import record
from ..membership import load_nato_membership
from ..params import Parameters
from ..results import ChapterRecord, Table
from ..prose import join_words, plural

NOTEBOOK = chapters.SOURCES_PAGE
TITLE = "Sources and methods"
READS: tuple[str, ...] = ()
#: The page lists the registry; it reads no source's data, so it claims none (a source only
#: "earns its place" when an analysis chapter reads it).
SOURCES: tuple[str, ...] = ()
CHAPTERS_DIR = Path(__file__).resolve().parent
PROVENANCE_FILES = tuple(methods.provenance_path(s) for s in sources.SOURCES)
CURATED_FILES = tuple(methods.curated_files())
CHAPTER_FILES = tuple(sorted(CHAPTERS_DIR.glob("*.py")))
#: What the pipeline hashes to decide whether to run the page again.
READS_FILES = (*PROVENANCE_FILES, *CURATED_FILES, *CHAPTER_FILES)
#: From the page (``executed/99_sources_and_methods.html``) to the CSVs in the published site.
TABLES_HREF = Path(os.path.relpath(paths.GENERATED / paths.TABLES_SUBDIR,
                                   paths.EXECUTED)).as_posix() + "/"
#: The tables this page shows (and so writes as CSV): listed even on its first run.
OWN_TABLES = {"registry": "99_sources_registry", "checksums": "99_sources_checksums",
              "citations": "99_curated_citations"}
#: Curated tables in words; a new file is shown by its name in words until it is added here.
CURATED_WORDS = {
    "country_names.csv": "Publisher spellings of country names",
    "defence_critical_minerals.csv": "NATO's defence-critical raw materials, matched to USGS rows",
    "dod_consolidation_2022.csv": "US Department of Defense figures on industry consolidation",
    "merger_timeline.csv": "Mergers and acquisitions of defence companies",
    "nato_membership.csv": "NATO members and their accession dates",
}
ORIGIN_WORDS = {"publisher": "the publisher's address",
                "mirror": "an offline copy of the publisher's file",
                "other": "a copy elsewhere on the web"}


@dataclass(frozen=True)
class Params(Parameters):
    """The page takes no parameters: it lists what the build read and wrote."""


@dataclass(frozen=True)
class Result:
    params: Params
    registry: pl.DataFrame
    checksums: pl.DataFrame
    citations: pl.DataFrame
    downloads: pl.DataFrame  # page, page_order, name, text, href
    text: dict[str, str] = field(default_factory=dict)

    @property
    def tables(self) -> dict[str, Table]:
        return {
            "registry": Table(
                OWN_TABLES["registry"], self.registry,
                f"The {plural(self.registry.height, 'source file')} the report is built from, "
                "with the edition used and the chapters that read them",
                labels={"publisher": "Publisher", "title": "Title", "edition": "Edition",
                        "address": "Address", "licence": "Licence or terms",
                        "used_in": "Used in"}),
            "checksums": Table(
                OWN_TABLES["checksums"], self.checksums,
                "Checksums (sha256) recorded in the registry and what the fetch found",
                labels={"source": "Source", "filename": "File", "sha256": "sha256",
                        "registered_on": "Checksum recorded on",
                        "retrieved_at": "Retrieved (UTC)", "origin": "Retrieved from",
                        "matches": "File matches the checksum"}),
            "citations": Table(
                OWN_TABLES["citations"], self.citations,
                f"Curated tables and their citations ({plural(self.citations.height, 'citation')}"
                f" in {plural(self.citations['file'].n_unique(), 'table')})",
                labels={"table": "Curated table", "file": "File (data/curated/)",
                        "supports": "Supports", "rows": "Rows", "citation": "Citation"},
                decimals=0),
        }

    def record(self) -> ChapterRecord:
        return record(NOTEBOOK, self,
                      text={k: v for k, v in self.text.items() if k != "downloads"})


# ---------------------------------------------------------------- pieces
def chapter_titles() -> dict[str, str]:
    """Notebook stem -> page title, for every registered page whose module exists."""
    titles = {}
    for nb, name in chapters.MODULES.items():
        if importlib.util.find_spec(f"{chapters.__name__}.{name}") is None:
            continue  # a chapter not yet built on a module: named from its notebook below
        titles[nb] = getattr(chapters.module(nb), "TITLE", None) or stem_words(nb)
    titles[chapters.PROFILE] = "Ally profiles"
    return titles


def list_titles(items: list[tuple[str, str]]) -> str:
    """Titles with editions, separated by semicolons (titles hold commas)."""
    shown = [f"{title} – {edition}" for title, edition in items]
    return shown[0] if len(shown) == 1 else "; ".join(shown[:-1]) + " and " + shown[-1]


def stem_words(notebook: str) -> str:
    """'04_guidelines_and_pledge' -> 'Guidelines and pledge'."""
    return methods.words(notebook.split("_", 1)[-1])


def sources_used() -> dict[str, list[str]]:
    """Source id -> titles of the pages whose chapter module declares it in ``SOURCES``."""
    used: dict[str, list[str]] = {}
    titles = chapter_titles()
    for nb, name in chapters.MODULES.items():
        if nb == NOTEBOOK or importlib.util.find_spec(f"{chapters.__name__}.{name}") is None:
            continue
        for sid in getattr(chapters.module(nb), "SOURCES", ()):
            used.setdefault(sid, []).append(titles[nb])
    return used


def registry_frame() -> pl.DataFrame:
    used = sources_used()
    return pl.DataFrame([{
        "publisher": s.publisher, "title": s.title, "edition": s.edition,
        "address": (f"<{s.url}>" if s.url else
                    f"no direct download address; landing page <{s.landing_url}>"),
        "licence": s.licence,
        "used_in": "; ".join(used.get(s.id, [])) or "not read by any chapter",
    } for s in sources.SOURCES])


def checksums_frame(raw_dir: Path | None = None) -> pl.DataFrame:
    records = methods.fetch_records(raw_dir)
    names = {s.id: f"{s.title} – {s.edition}" for s in sources.SOURCES}
    return records.select(
        pl.col("source_id").replace_strict(names).alias("source"),
        "filename", "sha256", "registered_on",
        pl.col("retrieved_at").str.slice(0, 16).str.replace("T", " ").fill_null("not fetched"),
        pl.col("origin").replace_strict(ORIGIN_WORDS, default="–"),
        pl.when(pl.col("matches").is_null()).then(pl.lit("not fetched"))
        .when(pl.col("matches")).then(pl.lit("yes"))
        .otherwise(pl.lit("no: the file differs from the registered edition"))
        .alias("matches"))


def citations_frame(curated_dir: Path | None = None) -> pl.DataFrame:
    cited = methods.curated_citations(curated_dir)
    return cited.select(
        pl.col("file").map_elements(curated_words, return_dtype=pl.String).alias("table"),
        "file", "supports", "rows", "citation")


def curated_words(filename: str) -> str:
    return CURATED_WORDS.get(filename) or methods.words(filename.removesuffix(".csv"))


def downloads_frame(names: list[str], country_names: dict[str, str]) -> pl.DataFrame:
    """One row per CSV: the page that wrote it (in words), its name in words, its link."""
    order = {nb: i for i, nb in enumerate(chapters.MODULES)}
    titles = chapter_titles()
    rows = []
    for name in sorted(set(names)):
        kind, key, rest = methods.page_of(name, list(chapters.MODULES), chapters.MODULES)
        if kind == "profile":
            country = country_names.get(key, "another country")
            page, rank = f"Ally profile: {country}", (len(order), country)
        elif kind == "notebook":
            page, rank = titles.get(key) or stem_words(key), (order[key], "")
        else:
            page, rank = "Other tables", (len(order) + 1, "")
        rows.append({"page": page, "rank_a": rank[0], "rank_b": rank[1], "name": name,
                     "text": methods.words(rest), "href": f"{TABLES_HREF}{name}.csv"})
    schema = {"page": pl.String, "rank_a": pl.Int64, "rank_b": pl.String, "name": pl.String,
              "text": pl.String, "href": pl.String}
    return pl.DataFrame(rows, schema=schema).sort("rank_a", "rank_b", "name")


def downloads_markdown(downloads: pl.DataFrame) -> str:
    """A list of pages, each with links to its CSV files."""
    if downloads.is_empty():
        return "_No chart or table data were written in this build._"
    lines = []
    for (page,), group in downloads.group_by("page", maintain_order=True):
        links = " · ".join(f"[{r['text']}]({r['href']})" for r in group.iter_rows(named=True))
        lines.append(f"- **{page}**: {links}")
    return "\n".join(lines)


def run(params: Params | None = None, processed_dir=None, output_dir=None, raw_dir=None,
        curated_dir=None) -> Result:
    """List sources, checksums, citations and downloads (``output_dir``: where the chapters
    wrote their chart and table CSVs, as in the notebooks)."""
    p = params or Params()
    tables_dir = paths.output_dir(output_dir) / paths.TABLES_SUBDIR
    curated = Path(curated_dir or paths.CURATED)
    countries = dict(load_nato_membership(curated / "nato_membership.csv")
                     .select("iso3", "country").iter_rows())
    downloads = downloads_frame([*methods.download_files(tables_dir), *OWN_TABLES.values()],
                                countries)
    registry = registry_frame()
    checksums = checksums_frame(raw_dir)
    lookups = [f"{curated_words(f)} (data/curated/{f})"
               for f in methods.curated_tables_without_citation(curated)]
    unused = registry.filter(pl.col("used_in") == "not read by any chapter")
    n_fetched = checksums.filter(pl.col("matches") != "not fetched").height
    n_match = checksums.filter(pl.col("matches") == "yes").height
    text = {
        "registry": (
            f"{plural(registry.height, 'file')} from "
            f"{plural(registry['publisher'].n_unique(), 'publisher')} are registered"
            + (". Every one is read by at least one chapter." if unused.is_empty() else
               f"; {unused.height} {'is' if unused.height == 1 else 'are'} not read by any "
               f"chapter: {list_titles(unused.select('title', 'edition').rows())}.")),
        "checksums": (
            (f"All {n_fetched} files were" if n_fetched == checksums.height else
             f"{n_fetched} of the {checksums.height} files were")
            + " fetched for this build; "
            + ("every one matches" if n_match == n_fetched else
               f"{n_match} of them match") + " its registered checksum byte for byte."),
        "lookups": (
            "Lookup tables without a citation column: " + join_words(lookups) + "."
            if lookups else "Every curated table carries a citation column."),
        "downloads_count": (
            f"{plural(downloads.height, 'file')} from "
            f"{plural(downloads['page'].n_unique(), 'page')}, each the data behind one chart "
            "or table, in comma-separated values (CSV)."),
        "downloads": downloads_markdown(downloads),
    }
    return Result(params=p, registry=registry, checksums=checksums,
                  citations=citations_frame(curated), downloads=downloads, text=text)
