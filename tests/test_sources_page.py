"""The 'Sources and methods' page: what it lists comes from files, its links resolve in the
published site, and readers see names and words, never ids, codes or local paths."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from dibtrends import paths, sources
from dibtrends.chapters import sources_page as page
from dibtrends.prose import sources_page as words


def test_the_page_reads_files_and_declares_them():
    assert page.READS == () and page.SOURCES == ()
    assert page.Params.specs() == {}
    declared = set(page.READS_FILES)
    for s in sources.SOURCES:
        assert page.provenance_path(s) in declared, s.id
    for csv in paths.CURATED.glob("*.csv"):
        assert csv in declared, csv.name


def test_download_links_resolve_where_the_site_keeps_the_csvs():
    """The page is published at executed/<page>.html and the CSVs at generated/tables/."""
    site = yaml.safe_load((paths.REPORTS / "_quarto.yml").read_text())
    assert "executed/*.ipynb" in site["project"]["render"]
    assert f"{paths.GENERATED.name}/{paths.TABLES_SUBDIR}/*.csv" in site["project"]["resources"]
    page_dir = paths.EXECUTED
    target = (page_dir / page.TABLES_HREF / "x.csv").resolve()
    assert target == (paths.GENERATED / paths.TABLES_SUBDIR / "x.csv").resolve()
    assert page.TABLES_HREF == "../generated/tables/"


@pytest.fixture
def tables_dir(tmp_path) -> Path:
    out = tmp_path / "out"
    (out / paths.TABLES_SUBDIR).mkdir(parents=True)
    for name in ("05_us_reliance", "equipment_totals", "profile_ALB_categories",
                 "profile_TUR_long_run", "summary_claims", "mystery_table",
                 "guideline_20pct_heatmap"):
        (out / paths.TABLES_SUBDIR / f"{name}.csv").write_text("a\n1\n")
    return out


def test_downloads_name_pages_and_files_in_words(tables_dir):
    result = page.run(output_dir=tables_dir)
    d = result.downloads
    by_name = {r["name"]: r for r in d.iter_rows(named=True)}
    assert by_name["profile_ALB_categories"]["page"] == "Ally profile: Albania"
    assert by_name["profile_TUR_long_run"]["text"] == "Long run"
    assert by_name["05_us_reliance"]["text"] == "US reliance"
    assert by_name["05_us_reliance"]["page"] == words.chapter_titles()["05_critical_minerals"]
    assert by_name["mystery_table"]["page"] == "Other tables"
    assert by_name["guideline_20pct_heatmap"]["text"] == "Guideline 20 % heatmap"
    # the page's own tables are listed even before it has written them
    assert set(page.OWN_TABLES.values()) <= set(by_name)
    assert all(h.startswith(page.TABLES_HREF) and h.endswith(".csv") for h in d["href"])
    markdown = result.text["downloads"]
    shown = re.sub(r"\]\([^)]*\)", "]", markdown)  # link targets are not shown to readers
    assert "ALB" not in shown and "TUR" not in shown and "_" not in shown
    assert "(../generated/tables/profile_ALB_categories.csv)" in markdown
    # pages in reading order: chapters first, profiles after, unknown files last
    pages = list(dict.fromkeys(d["page"]))
    assert pages.index("Sources and methods") < pages.index("Ally profile: Albania")
    assert pages[-1] == "Other tables"


def test_registry_shows_every_source_with_edition_address_and_licence(tmp_path):
    result = page.run(output_dir=tmp_path)
    reg = result.tables["registry"].frame
    assert reg.height == len(sources.SOURCES)
    assert reg["edition"].to_list() == [s.edition for s in sources.SOURCES]
    assert reg["licence"].to_list() == [s.licence for s in sources.SOURCES]
    for s, address in zip(sources.SOURCES, reg["address"], strict=True):
        assert (s.url or s.landing_url) in address
    shown = " ".join(str(v) for col in reg.columns for v in reg[col].to_list())
    for s in sources.SOURCES:
        assert not re.search(rf"\b{re.escape(s.id)}\b", shown), s.id
    minerals_title = words.chapter_titles()["05_critical_minerals"]
    usgs = reg.filter(reg["title"].str.contains("Mineral Commodity Summaries"))
    assert (usgs["used_in"] == minerals_title).all()


def test_checksums_match_the_registry_and_show_no_local_paths(raw_dir, tmp_path):
    result = page.run(output_dir=tmp_path)
    frame = result.tables["checksums"].frame
    assert (frame["matches"] == "yes").all()
    assert frame["sha256"].to_list() == [s.sha256 for s in sources.SOURCES]
    shown = " ".join(str(v) for col in frame.columns for v in frame[col].to_list())
    assert "file:" not in shown and "/work" not in shown and str(paths.ROOT) not in shown
    assert result.text["checksums"].startswith(f"All {len(sources.SOURCES)} files were fetched")


def test_a_changed_or_missing_fetch_record_is_reported(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    first, second = sources.SOURCES[:2]
    page.provenance_path(first, raw).write_text(json.dumps(
        {"sha256": "0" * 64, "origin": first.url, "retrieved_at": "2026-01-01T00:00:00+00:00"}))
    page.provenance_path(second, raw).write_text(json.dumps(
        {"sha256": second.sha256, "origin": "file:///somewhere/x",
         "retrieved_at": "2026-01-02T03:04:05+00:00"}))
    frame = words.checksums_frame(page.fetch_records(raw))
    rows = frame.rows(named=True)
    assert rows[0]["matches"].startswith("no") and rows[0]["origin"] == "the publisher's address"
    assert rows[1]["matches"] == "yes" and rows[1]["retrieved_at"] == "2026-01-02 03:04"
    assert rows[1]["origin"] == "an offline copy of the publisher's file"
    assert all(r["matches"] == "not fetched" for r in rows[2:])


def test_curated_citations_cover_every_cited_table(tmp_path):
    result = page.run(output_dir=tmp_path)
    cited = result.tables["citations"].frame
    with_citation = {p.name for p in page.curated_files() if page.citation_columns(p)}
    assert set(cited["file"]) == with_citation
    assert cited["citation"].str.contains("http").all()
    assert "country_names.csv" in result.text["lookups"]
    assert all(t in words.CURATED_WORDS.values() for t in cited["table"]), \
        "a curated table has no words in CURATED_WORDS"


def test_a_curated_table_without_words_is_shown_by_its_name_in_words(tmp_path):
    curated = tmp_path / "curated"
    shutil.copytree(paths.CURATED, curated)
    (curated / "new_facts.csv").write_text("fact,citation\na,https://example.org\n")
    frame = words.citations_frame(page.curated_citations(curated))
    assert frame.filter(file="new_facts.csv")["table"].item() == "New facts"


def test_methods_and_static_text_carry_no_numbers():
    nb = nbformat.read(paths.NOTEBOOKS / f"{page.NOTEBOOK}.ipynb", as_version=4)
    text = [c.source for c in nb.cells if c.cell_type == "markdown"]
    methods_cell = next(t for t in text if t.startswith("## Methods and caveats"))
    for term in ("definition", "estimate", "edition", "constant prices", "joined"):
        assert term in methods_cell, term
    for t in text:
        assert not re.search(r"\d", t.split("{#")[0] + t.split("}", 1)[-1]), t[:60]


def test_page_of_reads_the_page_from_a_file_name():
    titles = words.chapter_titles()
    assert words.page_of("05_us_reliance", {}) == (
        (5, ""), titles["05_critical_minerals"], "us_reliance")
    assert words.page_of("equipment_totals", {})[1:] == (
        titles["02_equipment_spending"], "equipment_totals")
    assert words.page_of("profile_POL_categories", {"POL": "Poland"})[1:] == (
        "Ally profile: Poland", "categories")
    assert words.page_of("07_unknown", {})[1] == "Other tables"
