"""The 'Sources and methods' page, generated: registry, fetch records and curated citations.

Nothing here is typed in for the reader: the page lists what ``sources.SOURCES`` records, what the
fetch actually retrieved (``data/raw/*.provenance.json``), and the citation column of every
curated table, so the page changes when the data do.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from . import paths
from .sources import SOURCES


def source_table(raw_dir: Path | None = None) -> pl.DataFrame:
    """One row per registered file, with the fetch record where the file has been fetched."""
    raw_dir = Path(raw_dir or paths.RAW)
    rows = []
    for s in SOURCES:
        side = raw_dir / f"{s.filename}.provenance.json"
        record = json.loads(side.read_text()) if side.exists() else {}
        rows.append({
            "id": s.id, "publisher": s.publisher, "title": s.title, "edition": s.edition,
            "url": s.url or f"(no direct download) {s.landing_url}",
            "licence": s.licence, "sha256": s.sha256, "registered": s.retrieved,
            "retrieved_at": record.get("retrieved_at", "not fetched"),
            "retrieved_from": "mirror" if record.get("origin") not in (None, s.url) else
                              ("publisher" if record else "n/a"),
        })
    return pl.DataFrame(rows)


def curated_citations(curated_dir: Path | None = None) -> pl.DataFrame:
    """Every distinct citation in every curated table, with the number of rows it supports."""
    curated_dir = Path(curated_dir or paths.CURATED)
    frames = []
    for csv in sorted(curated_dir.glob("*.csv")):
        df = pl.read_csv(csv, infer_schema_length=0)
        if "citation" not in df.columns:
            continue
        frames.append(
            df.group_by("citation").agg(pl.len().alias("rows"))
            .with_columns(pl.lit(csv.name).alias("table"))
            .select("table", "rows", "citation").sort("citation")
        )
    return pl.concat(frames) if frames else pl.DataFrame(
        schema={"table": pl.String, "rows": pl.UInt32, "citation": pl.String})


def curated_tables_without_citation(curated_dir: Path | None = None) -> list[str]:
    """Curated CSVs lacking a citation column (country spellings are a lookup, noted as such)."""
    curated_dir = Path(curated_dir or paths.CURATED)
    return [csv.name for csv in sorted(curated_dir.glob("*.csv"))
            if "citation" not in pl.read_csv(csv, n_rows=1, infer_schema_length=0).columns]


def download_links(tables_dir: Path, href_prefix: str) -> str:
    """Markdown list of the CSV behind every chart and table, linked for download."""
    files = sorted(Path(tables_dir).glob("*.csv"))
    if not files:
        return "_No chart tables were generated._"
    return "\n".join(f"- [{f.name}]({href_prefix}{f.name})" for f in files)
