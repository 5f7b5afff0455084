"""The report's chapters: one module per notebook, each computing everything its page says.

A chapter module declares

* ``NOTEBOOK`` (the notebook's file stem) and ``TITLE``;
* ``Params``: a :class:`dibtrends.params.Parameters` dataclass (defaults, allowed values);
* ``READS``: the processed tables it reads (what Make and the pipeline track for it), and
  ``SOURCES``: the registry ids it draws on;
* ``run(params, processed_dir=None) -> Result``: numbers, tables, verdicts and the sentences
  that carry numbers, as a frozen :class:`ChapterResult` whose ``record()`` is what the
  summary reads.

The notebook an analyst opens calls ``run`` and shows the result; it holds no logic of its own.
The registry below maps notebook names to modules without importing them (imports are lazy, so
the pipeline can check parameters without loading statsmodels or Altair).
"""

from __future__ import annotations

import importlib
import sys
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


class ChapterResult:
    """Base of every chapter's ``Result``: its published
    :class:`~dibtrends.results.ChapterRecord`, built one way from the module's constants and
    the result's ``params``, ``headlines()``, claims (``claims``, or the one ``claim``) and
    ``text``. ``record_sources`` names the editions the record cites (default: ``SOURCES``);
    ``chapter``/``title`` name a page of a generic notebook (a profile)."""

    def record_sources(self) -> tuple[str, ...]:
        return sys.modules[type(self).__module__].SOURCES

    def record(self, chapter: str | None = None, title: str | None = None,
               text: dict | None = None):
        from ..results import ChapterRecord, Claim

        mod = sys.modules[type(self).__module__]
        claim = getattr(self, "claim", None)
        claims = (claim,) if isinstance(claim, Claim) else getattr(self, "claims", ())
        return ChapterRecord(
            chapter=chapter or mod.NOTEBOOK, title=title or mod.TITLE,
            params=self.params.as_dict(), defaults=mod.Params.defaults(),
            sources=tuple(self.record_sources()),
            headlines=tuple(self.headlines() if hasattr(self, "headlines") else ()),
            claims=tuple(claims), text=self.text if text is None else text)
