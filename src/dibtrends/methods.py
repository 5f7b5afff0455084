"""What the 'Sources and methods' page lists, read from files: the registry, the fetch records,
the curated tables' citations, and the CSV files behind every chart and table.

Nothing here is typed in for the reader: the page lists what ``sources.SOURCES`` records, what the
fetch actually retrieved and verified (``data/raw/*.provenance.json``), and the citation columns
of every curated table, so the page changes when the data do. The words and links the page shows
are built in :mod:`dibtrends.chapters.sources_page`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl

from . import paths
from .errors import DataError
from .sources import SOURCES, Source

#: Curated columns that cite something, and what they support in words. Any other column whose
#: name ends in ``_citation`` is shown too (its name in words).
CITATION_COLUMNS = {"citation": "each row", "corroborated_by": "corroboration"}


def provenance_path(source: Source, raw_dir: Path | None = None) -> Path:
    """The fetch record written beside a raw file when it was downloaded and verified."""
    return Path(raw_dir or paths.RAW) / f"{source.filename}.provenance.json"


def fetch_records(raw_dir: Path | None = None) -> pl.DataFrame:
    """One row per registered file: the registry's sha256 and what the fetch recorded.

    ``origin`` is where the bytes came from: ``publisher`` (the registered address), ``mirror``
    (a local copy of the publisher's file: no local path is kept for readers) or ``other`` (a
    web mirror); ``matches`` is whether the recorded sha256 equals the registry's (null: the
    file was never fetched here).
    """
    rows = []
    for s in SOURCES:
        path = provenance_path(s, raw_dir)
        record: dict = {}
        if path.exists():
            try:
                record = json.loads(path.read_text())
            except ValueError as exc:
                raise DataError(path, f"fetch record is not valid JSON ({exc})",
                                fix="delete it and run `make data` to fetch the file again."
                                ) from None
        origin = record.get("origin")
        rows.append({
            "source_id": s.id, "filename": s.filename, "sha256": s.sha256,
            "registered_on": s.retrieved,
            "retrieved_at": record.get("retrieved_at"),
            "origin": (None if origin is None else "publisher" if origin == s.url else
                       "mirror" if str(origin).startswith("file:") else "other"),
            "matches": None if not record else record.get("sha256") == s.sha256,
        })
    return pl.DataFrame(rows, schema={
        "source_id": pl.String, "filename": pl.String, "sha256": pl.String,
        "registered_on": pl.String, "retrieved_at": pl.String, "origin": pl.String,
        "matches": pl.Boolean})


def curated_files(curated_dir: Path | None = None) -> list[Path]:
    return sorted(Path(curated_dir or paths.CURATED).glob("*.csv"))


def citation_columns(columns: list[str]) -> dict[str, str]:
    """The citing columns of a curated table -> what they support, in words."""
    out = {}
    for c in columns:
        if c in CITATION_COLUMNS:
            out[c] = CITATION_COLUMNS[c]
        elif c.endswith("_citation"):
            out[c] = c.removesuffix("_citation").replace("_", " ")
    return out


def curated_citations(curated_dir: Path | None = None) -> pl.DataFrame:
    """Every distinct citation in every curated table, with what it supports and how many rows.

    Columns: ``file`` (the CSV's name), ``supports`` (words), ``rows``, ``citation``.
    """
    frames = []
    for csv in curated_files(curated_dir):
        df = pl.read_csv(csv, infer_schema_length=0)
        for column, supports in citation_columns(df.columns).items():
            frames.append(
                df.filter(pl.col(column).is_not_null())
                .group_by(pl.col(column).alias("citation")).agg(pl.len().alias("rows"))
                .select(pl.lit(csv.name).alias("file"), pl.lit(supports).alias("supports"),
                        pl.col("rows").cast(pl.Int64), "citation")
                .sort("citation"))
    schema = {"file": pl.String, "supports": pl.String, "rows": pl.Int64, "citation": pl.String}
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


def curated_tables_without_citation(curated_dir: Path | None = None) -> list[str]:
    """Curated CSVs with no citing column (country spellings are a lookup, noted as such)."""
    return [csv.name for csv in curated_files(curated_dir)
            if not citation_columns(pl.read_csv(csv, n_rows=1, infer_schema_length=0).columns)]


def download_files(tables_dir: Path) -> list[str]:
    """The names (without ``.csv``) of the CSV files behind charts and tables."""
    return sorted(p.stem for p in Path(tables_dir).glob("*.csv"))


_PROFILE = re.compile(r"^profile_(?P<code>[A-Z]{3})_(?P<rest>.+)$")
_NUMBERED = re.compile(r"^(?P<number>\d\d)_(?P<rest>.+)$")


def page_of(name: str, notebooks: list[str], modules: dict[str, str]) -> tuple[str, str, str]:
    """Which page wrote a CSV, from its name: ``(kind, key, rest)``.

    ``kind`` is ``"profile"`` (key: the Ally's ISO code), ``"notebook"`` (key: the notebook
    stem; names start with its number, ``05_...``, or its chapter module, ``equipment_...``) or
    ``"other"``; ``rest`` is the name without the page part.
    """
    found = _PROFILE.match(name)
    if found:
        return "profile", found["code"], found["rest"]
    found = _NUMBERED.match(name)
    if found:
        for nb in notebooks:
            if nb.startswith(f"{found['number']}_"):
                return "notebook", nb, found["rest"]
    for nb, module in sorted(modules.items(), key=lambda kv: -len(kv[1])):
        if name.startswith(f"{module}_"):
            return "notebook", nb, name
    return "other", "", name


#: Words a file name spells in lower case that readers know in capitals.
CAPITALS = {"us": "US", "dod": "DoD", "hq": "HQ", "gdp": "GDP", "nato": "NATO", "usgs": "USGS",
            "sipri": "SIPRI", "headlines": "headline numbers"}


def words(name: str) -> str:
    """A file name as words: 'guideline_20pct_heatmap' -> 'Guideline 20 % heatmap',
    '05_us_reliance' (after the page part) 'us_reliance' -> 'US reliance'."""
    text = re.sub(r"(\d+)pct", r"\1 %", name)
    text = " ".join(CAPITALS.get(w, w) for w in text.split("_") if w)
    return text[:1].upper() + text[1:]
