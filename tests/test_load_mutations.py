"""Hundreds of bad publisher files, each a clear error or the same numbers, never another number.

Every loader of a publisher's file is run on seeded mutations of the real file (tests/mutations.py:
a dropped or renamed column, a renamed, missing or extra sheet, the header moved up or down, text,
an empty cell or a footnote marker in a number, a duplicated row, a misspelt country, a table
scaled by 1,000, the file cut off, and the file merely saved again by another program). For each
copy exactly one holds: the loader reads exactly the frame it reads from the real file, or it
raises a DataError naming the file, where in it (sheet, column or row), what it expected and found,
and the fix. The test id names the loader, the mutation and the seed, so a failure reproduces.

An empty cell is put only where the publisher never leaves one (USGS Table 4 leaves net import
reliance empty for single rare-earth elements; the December 2025 Top 100 leaves last year's revenue
of a newcomer empty): there an empty cell *is* the publisher's "no value".
"""

from __future__ import annotations

import functools
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from dibtrends.errors import DataError
from dibtrends.load import context, nato, sipri_milex, sipri_top100, usgs
from dibtrends.sources import get

from . import mutations as m


def _newcomer_revenue(sheet: m.Sheet, col: int) -> bool:
    """The previous year's arms revenue: empty for a company new to the list (Dec 2025)."""
    head = str(sheet.rows[3][col - 1] or "") if len(sheet.rows) > 3 else ""
    found = re.match(r"\s*Arms revenues\s+\((\d{4})\)", head)
    return bool(found) and found[1] != sheet.name.strip()


_MILEX = m.Spec(sheets=("Share of GDP", "Current US$", "Constant (2024) US$",
                        "Constant (2023) US$"), header=6, fonts=True,
                blank_rows=tuple(r for rows in sipri_milex.BLANK_ROWS.values() for r in rows))
_TOP100 = m.Spec(header=4, label="Country")
#: loader case -> (registry id, the loaders of that file, where its data are, seeds per kind)
CASES = {
    "nato_defexp": ("nato_defexp_2024", (nato.load_nato_defexp,), m.Spec(
        sheets=tuple(f"TABLE{t}" for t in (*"1234567", "8a", "8b")), label=3), 1),
    "sipri_milex_2025": ("sipri_milex_2025", (sipri_milex.TABLES["sipri_milex_2025"],), _MILEX, 1),
    "sipri_milex_2024": ("sipri_milex_2024", (sipri_milex.TABLES["sipri_milex_2024"],), _MILEX, 1),
    "sipri_top100_2023": ("sipri_top100_2023", (functools.partial(
        sipri_top100.load_top100, source_id="sipri_top100_2023"),), _TOP100, 1),
    "sipri_top100_2024": ("sipri_top100_2024", (functools.partial(
        sipri_top100.load_top100, source_id="sipri_top100_2024"),),
        m.Spec(header=4, label="Country", blank_col=_newcomer_revenue), 1),
    "sipri_top100_totals": ("sipri_top100_totals", (sipri_top100.load_totals,),
                            m.Spec(header=3, blank_rows=("% change",)), 4),
    "usgs_fig2": (usgs.FIG2, (usgs.load_net_import_reliance, usgs.load_import_sources),
                  m.Spec(numeric=("Import_Share_Order", usgs.NIR),
                         countries=(usgs.SOURCES_COLUMN,)), 2),
    "usgs_fig3": (usgs.FIG3, (usgs.load_import_source_counts,),
                  m.Spec(numeric=("Commodity_Count",), countries=("Country",)), 2),
    "usgs_t4": (usgs.T4, (usgs.load_critical_minerals_end_use,),
                m.Spec(numeric=(usgs.NIR,), blank_ok=(usgs.NIR,)), 2),
    "usgs_t5": (usgs.T5, (usgs.load_critical_minerals_salient,),
                m.Spec(numeric=tuple(usgs.SALIENT_STATISTICS), countries=("Source",)), 2),
    "cow_nmc6": (context.NMC, (context.load_nmc,),
                 m.Spec(numeric=("ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop",
                                 "cinc"), countries=("stateabb",)), 1),
    "owid_gmsd": (context.GMSD, (context.load_gmsd,),
                  m.Spec(numeric=("Year", "Military expenditure (% of GDP)"),
                         countries=("Entity",)), 2),
}
#: Kinds that do not apply: no country column in Table 4, and no cell there but empty-able ones.
NOT_APPLICABLE = {("usgs_t4", "rename_country"), ("usgs_t4", "empty_number")}


def _kinds(case: str) -> list[str]:
    workbook = get(CASES[case][0]).filename.endswith(".xlsx")
    kinds = [*(m.WORKBOOK if workbook else m.CSV), "truncate"]
    return [k for k in kinds if (case, k) not in NOT_APPLICABLE]


PARAMS = [pytest.param(case, kind, seed, id=f"{case}-{kind}-seed{seed}")
          for case, (*_, seeds) in CASES.items() for kind in _kinds(case)
          for seed in range(seeds)]
OUTCOMES: list[tuple[str, str, str]] = []


@functools.cache
def _original(case: str, raw: Path):
    """The real file, its content as the mutations see it, and what each loader reads from it."""
    source_id, loaders, spec, _ = CASES[case]
    path = raw / get(source_id).filename
    content = m.read_xlsx(path, spec) if path.suffix == ".xlsx" else m.read_csv(path)
    return path, content, [load(path) for load in loaders]


def _mutated(case: str, kind: str, seed: int, raw: Path, folder: Path) -> Path:
    path, content, _ = _original(case, raw)
    rng = random.Random(f"{case}-{kind}-{seed}")
    target = folder / path.name  # the published name: NATO's loader finds its edition by it
    if kind == "truncate":
        return m.truncate(path, target, rng)
    spec = CASES[case][2]
    if path.suffix == ".xlsx":
        return m.write_xlsx(m.WORKBOOK[kind](content, rng, spec), target)
    return m.write_csv(m.CSV[kind](content, rng, spec), target)


def _assert_clear(error: Exception, path: Path, workbook: bool) -> None:
    """A DataError naming the file, the place (sheet, column or row), what it expected and
    found, and the fix."""
    assert type(error) is DataError, f"{type(error).__name__}: {error}"
    message = str(error)
    assert error.file == str(path) and error.fix, message
    if "cannot be read as an Excel workbook" in message:  # the whole file: no place to name
        return
    assert error.column is not None or error.row is not None, message
    if workbook:
        assert "sheet" in message.lower(), message
    said = message.split(" (file ")[0].lower()
    assert re.search(r"expected|should|not |no |unknown|found|only|twice|missing|than", said), (
        message)


@pytest.mark.parametrize(("case", "kind", "seed"), PARAMS)
def test_a_mutated_file_reads_the_same_or_stops_clearly(case, kind, seed, raw_dir, tmp_path):
    path, _, expected = _original(case, raw_dir)
    mutated = _mutated(case, kind, seed, raw_dir, tmp_path)
    try:
        got = [load(mutated) for load in CASES[case][1]]
    except Exception as error:  # noqa: BLE001 - the test is that it is a clear DataError
        OUTCOMES.append((case, kind, "other"))
        _assert_clear(error, mutated, path.suffix == ".xlsx")
        OUTCOMES[-1] = (case, kind, "error")
        return
    same = all(g.equals(f) and g.schema == f.schema for g, f in zip(got, expected, strict=True))
    OUTCOMES.append((case, kind, "same" if same else "other"))
    assert same, f"{case}: the {kind} copy reads different numbers"


def test_the_mutations_cover_every_loader_and_kind():
    """At least 200 files, every kind of mutation tried on every loader it applies to."""
    assert len(PARAMS) >= 200
    assert {k for _, k, _ in (p.values for p in PARAMS)} == set(m.KINDS)
    assert {c for c, _, _ in (p.values for p in PARAMS)} == set(CASES)


def summary() -> str:
    """The table of outcomes by kind (printed by ``pytest -s``)."""
    counts = Counter((k, o) for _, k, o in OUTCOMES)
    lines = [f"{'mutation':16} tried  same  error  other"]
    for kind in m.KINDS:
        n = [counts[kind, o] for o in ("same", "error", "other")]
        lines.append(f"{kind:16} {sum(n):5} {n[0]:5} {n[1]:6} {n[2]:6}")
    return "\n".join(lines)


def test_zz_summary():
    print("\n" + summary())
    assert not [o for o in OUTCOMES if o[2] == "other"]
