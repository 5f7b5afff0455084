"""The report's chapters: one module per notebook, each computing everything its page says.

A chapter module declares

* ``NOTEBOOK`` (the notebook's file stem) and ``TITLE``;
* ``Params``: a :class:`dibtrends.params.Parameters` dataclass (defaults, allowed values);
* ``READS``: the processed tables it reads (what Make and the pipeline track for it);
* ``run(params, processed_dir=None) -> Result``: numbers, tables, verdicts and the sentences
  that carry numbers, as a frozen dataclass whose ``record()`` is what the summary reads.

The notebook an analyst opens calls ``run`` and shows the result; it holds no logic of its own.
The registry below maps notebook names to modules without importing them (imports are lazy, so
the pipeline can check parameters without loading statsmodels or Altair).
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: notebook stem -> chapter module, in reading order.
MODULES = {
    "00_executive_summary": "summary",
    "01_long_run_spending": "long_run",
    "02_equipment_spending": "equipment",
    "03_industry_consolidation": "industry",
    "04_guidelines_and_pledge": "pledge",
    "05_critical_minerals": "minerals",
    "06_revisions": "revisions",
    "98_explorer": "explorer",
    "99_sources_and_methods": "sources_page",
    "country_profile": "profile",
}
SUMMARY = "00_executive_summary"
SOURCES_PAGE = "99_sources_and_methods"
PROFILE = "country_profile"
EXPLORER = "98_explorer"
#: The analysis chapters: what the summary reads.
ANALYSES = tuple(n for n in MODULES if n not in (SUMMARY, SOURCES_PAGE, PROFILE, EXPLORER))


def module(notebook: str) -> ModuleType:
    """The chapter module behind a notebook (error names the notebooks that have one)."""
    try:
        name = MODULES[notebook]
    except KeyError:
        raise KeyError(f"no chapter module for notebook {notebook!r}; notebooks with one: "
                       f"{', '.join(MODULES)}") from None
    return importlib.import_module(f"{__name__}.{name}")


def record(notebook: str, result, *, claims=(), sources=None, chapter: str | None = None,
           title: str | None = None, text: dict | None = None):
    """A chapter's published :class:`~dibtrends.results.ChapterRecord`, built one way for every
    chapter from its module's constants and its result (``result.params``, ``.headlines()``,
    ``.text``); ``chapter``/``title`` name a page of a generic notebook (a profile)."""
    from ..results import ChapterRecord

    mod = module(notebook)
    headlines = result.headlines() if hasattr(result, "headlines") else ()
    return ChapterRecord(
        chapter=chapter or notebook, title=title or mod.TITLE, params=result.params.as_dict(),
        defaults=mod.Params.defaults(), sources=tuple(sources or mod.SOURCES),
        headlines=tuple(headlines), claims=tuple(claims),
        text=result.text if text is None else text)
