"""Chapter runs shared by the tests: each (chapter, parameters) is computed once per session.

Why: the parameter sweep runs every chapter at several values, and the summary needs every
chapter's record; computing each once keeps `make test` fast.
"""

from __future__ import annotations

import functools
import importlib.util

from dibtrends import chapters

PROFILE_COUNTRY = "USA"


def _compute(name: str, items: tuple) -> object:
    mod = chapters.module(name)
    values = dict(items)
    if name == chapters.PROFILE:
        values.setdefault("country", PROFILE_COUNTRY)
    return mod.run(mod.Params.from_mapping(values, f"test {name}")).record()


_record = functools.lru_cache(maxsize=None)(_compute)


def chapter_record(name: str, fresh: bool = False, **values):
    """The record of chapter ``name`` run with ``values`` (defaults otherwise)."""
    items = tuple(sorted(values.items()))
    return _compute(name, items) if fresh else _record(name, items)


def existing(names) -> list[str]:
    """The registered chapters whose module exists (test_chapters fails for a missing one)."""
    return [n for n in names
            if importlib.util.find_spec(f"dibtrends.chapters.{chapters.MODULES[n]}") is not None]


def default_records() -> dict:
    return {name: chapter_record(name) for name in existing(chapters.ANALYSES)}


def _cases(kind: str) -> list[tuple]:
    return [(n, p, v) for n in existing(chapters.MODULES)
            for p, spec in chapters.module(n).Params.specs().items()
            for v in spec.metadata[kind]]


def example_cases() -> list[tuple]:
    return _cases("examples")


def invalid_cases() -> list[tuple]:
    return _cases("invalid")
