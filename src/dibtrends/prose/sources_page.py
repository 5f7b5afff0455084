"""The 'Sources and methods' page's words: the registry, checksums, citations and downloads as a
reader sees them (names and words, never ids, codes or local paths), and the page's sentences."""

from __future__ import annotations

import re

import polars as pl

from .. import chapters, sources
from ..results import Table
from . import cap, join_words, plural, table, worded

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
#: What a citing column supports (any other ``*_citation`` column: its name in words).
SUPPORTS = {"citation": "each row", "corroborated_by": "corroboration"}
#: Words a file name spells in lower case that readers know in capitals.
CAPITALS = {"us": "US", "dod": "DoD", "hq": "HQ", "gdp": "GDP", "nato": "NATO", "usgs": "USGS",
            "sipri": "SIPRI", "headlines": "headline numbers"}
UNUSED = "not read by any chapter"


def words(name: str) -> str:
    """A file name in words: 'guideline_20pct_heatmap' -> 'Guideline 20 % heatmap',
    'us_reliance' -> 'US reliance'."""
    text = re.sub(r"(\d+)pct", r"\1 %", name)
    text = " ".join(CAPITALS.get(w, w) for w in text.split("_") if w)
    return cap(text)


def curated_words(filename: str) -> str:
    return CURATED_WORDS.get(filename) or words(filename.removesuffix(".csv"))


def chapter_titles() -> dict[str, str]:
    """Notebook stem -> page title, for every registered page."""
    return ({nb: chapters.module(nb).TITLE for nb in chapters.MODULES}
            | {chapters.PROFILE: "Ally profiles"})


def registry_frame(used: dict[str, list[str]]) -> pl.DataFrame:
    """Every registered file; ``used``: source id -> notebooks whose chapter declares it."""
    titles = chapter_titles()
    return pl.DataFrame([{
        "publisher": s.publisher, "title": s.title, "edition": s.edition,
        "address": (f"<{s.url}>" if s.url else
                    f"no direct download address; landing page <{s.landing_url}>"),
        "licence": s.licence,
        "used_in": "; ".join(titles[nb] for nb in used.get(s.id, [])) or UNUSED,
    } for s in sources.SOURCES])


def checksums_frame(records: pl.DataFrame) -> pl.DataFrame:
    """:func:`dibtrends.chapters.sources_page.fetch_records` in words."""
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


def citations_frame(cited: pl.DataFrame) -> pl.DataFrame:
    """:func:`dibtrends.chapters.sources_page.curated_citations` in words."""
    def supports(column: str) -> str:
        return SUPPORTS.get(column) or column.removesuffix("_citation").replace("_", " ")
    return cited.select(
        worded(curated_words, "file").alias("table"), "file",
        worded(supports, "column").alias("supports"), "rows", "citation")


#: A profile's CSV: 'profile_POL_long_run'.
PROFILE_CSV = re.compile(r"^profile_(?P<code>[A-Z]{3})_(?P<rest>.+)$")


def page_of(name: str, countries: dict[str, str]) -> tuple[tuple[int, str], str, str]:
    """Which page wrote a CSV, from its name: its place in reading order (chapters, then profiles
    by the Ally's name, then anything else), its title and the name without the page part. A
    chapter's CSV starts with its notebook's number or its module's name."""
    notebooks, titles = list(chapters.MODULES), chapter_titles()
    if found := PROFILE_CSV.match(name):
        country = countries.get(found["code"], "another country")
        return (len(notebooks), country), f"Ally profile: {country}", found["rest"]
    number, _, rest = name.partition("_")
    numbered = [nb for nb in notebooks if number.isdigit() and nb.startswith(f"{number}_")]
    if numbered:
        return (notebooks.index(numbered[0]), ""), titles[numbered[0]], rest
    for nb, module in sorted(chapters.MODULES.items(), key=lambda kv: -len(kv[1])):
        if name.startswith(f"{module}_"):
            return (notebooks.index(nb), ""), titles[nb], name
    return (len(notebooks) + 1, ""), "Other tables", name


def downloads_frame(names: set[str], countries: dict[str, str], href: str) -> pl.DataFrame:
    """One row per CSV in reading order: its page, its name in words and its link."""
    pages = {name: page_of(name, countries) for name in names}
    return pl.DataFrame(
        [(name, page, words(rest), f"{href}{name}.csv") for name, (_, page, rest) in sorted(
            pages.items(), key=lambda item: (item[1][0], item[0]))], orient="row",
        schema={c: pl.String for c in ("name", "page", "text", "href")})


def texts(registry: pl.DataFrame, checksums: pl.DataFrame, uncited: list[str],
          downloads: pl.DataFrame) -> dict[str, str]:
    unused = registry.filter(pl.col("used_in") == UNUSED).select("title", "edition").rows()
    listed = join_words([f"{title} – {edition}" for title, edition in unused], sep="; ")
    n_fetched = checksums.filter(pl.col("matches") != "not fetched").height
    n_match = checksums.filter(pl.col("matches") == "yes").height
    lookups = [f"{curated_words(f)} (data/curated/{f})" for f in uncited]
    links = [f"- **{page}**: " + " · ".join(f"[{r['text']}]({r['href']})"
                                            for r in group.iter_rows(named=True))
             for (page,), group in downloads.group_by("page", maintain_order=True)]
    return {
        "registry": (
            f"{plural(registry.height, 'file')} from "
            f"{plural(registry['publisher'].n_unique(), 'publisher')} are registered"
            + (". Every one is read by at least one chapter." if not unused else
               f"; {len(unused)} {'is' if len(unused) == 1 else 'are'} not read by any "
               f"chapter: {listed}.")),
        "checksums": (
            (f"All {n_fetched} files were" if n_fetched == checksums.height else
             f"{n_fetched} of the {checksums.height} files were")
            + " fetched for this build; "
            + ("every one matches" if n_match == n_fetched else
               f"{n_match} of them match") + " its registered checksum byte for byte."),
        "lookups": ("Lookup tables without a citation column: " + join_words(lookups) + "."
                    if lookups else "Every curated table carries a citation column."),
        "downloads_count": (
            f"{plural(downloads.height, 'file')} from "
            f"{plural(downloads['page'].n_unique(), 'page')}, each the data behind one chart "
            "or table, in comma-separated values (CSV)."),
        "downloads": ("\n".join(links) if links else
                      "_No chart or table data were written in this build._"),
    }


def tables(r, names: dict[str, str]) -> dict[str, Table]:
    """The page's three tables (``names``: their CSV names)."""
    cited = r.citations
    return {
        "registry": table(
            names["registry"], r.registry,
            f"The {plural(r.registry.height, 'source file')} the report is built from, "
            "with the edition used and the chapters that read them",
            {"publisher": "Publisher", "title": "Title", "edition": "Edition",
             "address": "Address", "licence": "Licence or terms", "used_in": "Used in"}),
        # The registry above names each file's source; the CSV keeps it beside the file.
        "checksums": table(
            names["checksums"], r.checksums,
            "Checksums (sha256) recorded in the registry and what the fetch found. Registered: "
            "when the checksum was recorded; matches: whether the file fetched for this build "
            "has that checksum",
            {"filename": "File", "sha256": "sha256", "registered_on": "Registered",
             "retrieved_at": "Retrieved (UTC)", "origin": "Retrieved from",
             "matches": "Matches"}, data=r.checksums),
        "citations": table(
            names["citations"], cited,
            f"Curated tables and their citations ({plural(cited.height, 'citation')} in "
            f"{plural(cited['file'].n_unique(), 'table')})",
            {"table": "Curated table", "file": "File (data/curated/)", "supports": "Supports",
             "rows": "Rows", "citation": "Citation"}, decimals=0),
    }
