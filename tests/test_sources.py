"""The source registry: editions of one family, and a cheap import."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dibtrends import sources


@pytest.mark.parametrize(("family", "newest"), [
    ("nato_defexp", "nato_defexp_2024"),
    ("sipri_milex", "sipri_milex_2025"),
    ("sipri_top100", "sipri_top100_2024"),  # sipri_top100_totals is not an edition
])
def test_newest_edition_of_a_family(family, newest):
    assert sources.newest(family) == sources.get(newest)


def test_newest_follows_the_registry(monkeypatch):
    """A record registered later (here only in this test) becomes the newest edition."""
    old = sources.get("nato_defexp_2024")
    fake = sources.Source(**{**old.__dict__, "id": "nato_defexp_2099", "sha256": "0" * 64})
    monkeypatch.setattr(sources, "SOURCES", (fake, *sources.SOURCES))
    assert sources.newest("nato_defexp") is fake


@pytest.mark.parametrize("family", ["nato", "usgs_mcs2024", "nato_defexp_2024"])
def test_family_without_editions_names_the_known_ids(family):
    with pytest.raises(KeyError) as info:
        sources.newest(family)
    assert "no registered edition" in str(info.value)
    assert "nato_defexp_2024" in str(info.value) and "sipri_milex_2025" in str(info.value)


def test_import_does_not_load_polars():
    """`make data`'s up-to-date check imports the registry; polars would cost 0.2 s there."""
    code = "import sys, dibtrends.sources; print('polars' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_every_registered_source_is_read_by_a_chapter():
    """No dead data: each registry id is one a chapter declares it draws on (and the chapter
    tests check each chapter reads only the tables it declares)."""
    from dibtrends import chapters

    declared = set()
    for name in chapters.MODULES:
        declared |= set(getattr(chapters.module(name), "SOURCES", ()))
    unused = sorted({s.id for s in sources.SOURCES} - declared)
    assert not unused, f"registered but read by no chapter: {unused}"
