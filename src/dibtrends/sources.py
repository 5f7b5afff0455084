"""The source registry (``data/sources.yml``): one record per upstream file the project reads,
with publisher, title, edition, file name, address, sha256, licence and retrieval date.

Every number in the report walks back to one of these records. The sha256 pins the exact
edition the analysis was built on: if a publisher silently changes a file, the fetch stops
rather than quietly changing the numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from . import paths
from .errors import DataError


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    edition: str
    filename: str
    sha256: str
    licence: str
    #: Direct download address, or None where the publisher offers only a landing page.
    url: str | None
    #: Human landing page / DOI to cite.
    landing_url: str
    retrieved: str = ""
    notes: str = ""


def _read_registry() -> tuple[dict, tuple[Source, ...]]:
    """The registry file, every record checked for the fields a source must have."""
    where = paths.relative(paths.SOURCES_FILE)
    try:
        registry = yaml.safe_load(paths.SOURCES_FILE.read_text(encoding="utf-8"))
        licences = registry.get("licences") or {}
        records = []
        for n, record in enumerate(registry["sources"], 1):
            record = {"retrieved": registry["registered_on"], **record}
            record["licence"] = licences.get(record.get("licence"), record.get("licence"))
            try:
                records.append(Source(**record))
            except TypeError as exc:
                raise DataError(where, f"source record {n} ({record.get('id', 'no id')}) does "
                                f"not have the fields of a source: {exc}",
                                fix=f"compare it with the other records in {where}.") from None
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise DataError(where, f"the source registry cannot be read ({exc})",
                        fix=f"restore it with `git checkout {where}`.") from None
    return registry, tuple(records)


_REGISTRY, SOURCES = _read_registry()
#: Editions known to exist that the project cannot read yet (not in any mirror it can verify),
#: per registry id they supersede, with where they were announced. The front page names them.
KNOWN_NEWER_EDITIONS: dict[str, tuple[str, ...]] = {
    k: tuple(v) for k, v in (_REGISTRY.get("known_newer_editions") or {}).items()}
#: The USGS MCS 2024 files, by what they hold (the registry ids the loader and chapter use).
USGS_FIG2, USGS_FIG3, USGS_T4, USGS_T5 = (f"usgs_mcs2024_{k}" for k in ("fig2", "fig3", "t4", "t5"))

_BY_ID = {s.id: s for s in SOURCES}


def newer_editions(source_id: str) -> tuple[str, ...]:
    """Newer editions of ``source_id`` that exist but are not registered here (a registered
    newer edition replaces the entry: the report then reads it)."""
    family = source_id.rsplit("_", 1)[0]
    try:
        if newest(family).id != source_id:
            return ()
    except KeyError:
        pass
    return KNOWN_NEWER_EDITIONS.get(source_id, ())


def get(source_id: str) -> Source:
    """Look a source up by id, failing with the list of known ids."""
    try:
        return _BY_ID[source_id]
    except KeyError:
        raise KeyError(
            f"unknown source id {source_id!r}; known ids: {', '.join(sorted(_BY_ID))}"
        ) from None


def newest(family: str) -> Source:
    """The newest registered edition of a source family.

    Editions of one family have ids ``<family>_<last data year>`` (``nato_defexp_2024``,
    ``sipri_milex_2025``); other ids sharing the prefix (``sipri_top100_totals``) are not
    editions. Fails with the known ids when the family has no edition.
    """
    edition = re.compile(rf"{re.escape(family)}_(\d{{4}})")
    found = [(int(m.group(1)), s) for s in SOURCES if (m := edition.fullmatch(s.id))]
    if not found:
        raise KeyError(
            f"no registered edition of {family!r} (ids '{family}_<last data year>'); known ids: "
            f"{', '.join(sorted(s.id for s in SOURCES))}"
        )
    return max(found, key=lambda pair: pair[0])[1]
