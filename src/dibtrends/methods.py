"""What the 'Sources and methods' page lists, read from files so the page changes when they do:
the fetch records beside the raw files, the curated tables' citations, the CSVs behind every
chart and table. (Its words: :mod:`dibtrends.prose.sources_page`.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl

from . import paths
from .errors import DataError
from .sources import SOURCES, Source

#: Curated columns that cite something besides any column named ``*_citation``.
CITING = ("citation", "corroborated_by")


def provenance_path(source: Source, raw_dir: Path | None = None) -> Path:
    """The fetch record written beside a raw file when it was downloaded and verified."""
    return Path(raw_dir or paths.RAW) / f"{source.filename}.provenance.json"


def fetch_records(raw_dir: Path | None = None) -> pl.DataFrame:
    """Per registered file, the registry's sha256 and what the fetch recorded: ``origin``
    ``publisher`` (the registered address), ``mirror`` (a local copy: its path is not kept for
    readers) or ``other`` (a web mirror); ``matches`` null where the file was never fetched."""
    rows = []
    for s in SOURCES:
        path, record = provenance_path(s, raw_dir), {}
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
            "registered_on": s.retrieved, "retrieved_at": record.get("retrieved_at"),
            "origin": (None if origin is None else "publisher" if origin == s.url else
                       "mirror" if str(origin).startswith("file:") else "other"),
            "matches": None if not record else record.get("sha256") == s.sha256})
    return pl.DataFrame(rows, schema={
        "source_id": pl.String, "filename": pl.String, "sha256": pl.String,
        "registered_on": pl.String, "retrieved_at": pl.String, "origin": pl.String,
        "matches": pl.Boolean})


def curated_files(curated_dir: Path | None = None) -> list[Path]:
    return sorted(Path(curated_dir or paths.CURATED).glob("*.csv"))


def citation_columns(columns: list[str]) -> list[str]:
    return [c for c in columns if c in CITING or c.endswith("_citation")]


def curated_citations(curated_dir: Path | None = None) -> pl.DataFrame:
    """Every distinct citation of every curated table: ``file``, ``column``, ``rows``,
    ``citation``."""
    frames = []
    for csv in curated_files(curated_dir):
        df = pl.read_csv(csv, infer_schema_length=0)
        frames += [df.filter(pl.col(column).is_not_null())
                   .group_by(pl.col(column).alias("citation")).agg(pl.len().alias("rows"))
                   .select(pl.lit(csv.name).alias("file"), pl.lit(column).alias("column"),
                           pl.col("rows").cast(pl.Int64), "citation").sort("citation")
                   for column in citation_columns(df.columns)]
    schema = {"file": pl.String, "column": pl.String, "rows": pl.Int64, "citation": pl.String}
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


def curated_tables_without_citation(curated_dir: Path | None = None) -> list[str]:
    """Curated CSVs with no citing column (country spellings are a lookup, noted as such)."""
    return [csv.name for csv in curated_files(curated_dir)
            if not citation_columns(pl.read_csv(csv, n_rows=1, infer_schema_length=0).columns)]


_PROFILE = re.compile(r"^profile_(?P<code>[A-Z]{3})_(?P<rest>.+)$")
_NUMBERED = re.compile(r"^(?P<number>\d\d)_(?P<rest>.+)$")


def page_of(name: str, modules: dict[str, str]) -> tuple[str, str, str]:
    """Which page wrote a CSV, from its name: ``(kind, key, rest)``, kind ``"profile"`` (key:
    the Ally's code), ``"notebook"`` (key: the notebook of ``modules``, notebook -> chapter
    module, whose number or module starts the name) or ``"other"``; ``rest``: the name
    without the page part."""
    found = _PROFILE.match(name)
    if found:
        return "profile", found["code"], found["rest"]
    found = _NUMBERED.match(name)
    if found:
        for nb in modules:
            if nb.startswith(f"{found['number']}_"):
                return "notebook", nb, found["rest"]
    for nb, module in sorted(modules.items(), key=lambda kv: -len(kv[1])):
        if name.startswith(f"{module}_"):
            return "notebook", nb, name
    return "other", "", name
