"""Chapter results with stable names, as the summary, the tests and the regression baseline read
them (never from notebook text). A headline's ``key`` names *what* it is (``equipment.ratio``);
what it refers to (years, price basis, grouping) is in its ``fields``, so a parameter changes
the fields, never the key. A claim's verdict is computed once, in the chapter's module, and the
summary shows that same object: chapter and summary cannot disagree. A chapter publishes a
:class:`ChapterRecord` as JSON (``<output>/results/<chapter>.json``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl

from . import paths
from .errors import DibtrendsError
from .prose import fmt

#: Verdict words, in the order a reader meets them in the claims table.
REPRODUCED = "Reproduced"
CONDITIONAL = "Holds only under a condition"
NOT_SUPPORTED = "Not supported by the data"
NOT_CHECKABLE = "Cannot be checked with the data at hand"
CONTEXT = "Context, not a claim"
VERDICTS = (REPRODUCED, CONDITIONAL, NOT_SUPPORTED, NOT_CHECKABLE, CONTEXT)

Scalar = str | int | float | bool | None


class MissingResult(DibtrendsError):
    """A chapter's results (or one headline of them) are not where the summary looks."""


# ---------------------------------------------------------------- records
@dataclass(frozen=True)
class Headline:
    """One number a reader sees, named for what it is, with what it refers to as fields."""

    key: str
    label: str
    value: float | None
    unit: str
    display: str
    fields: Mapping[str, Scalar] = field(default_factory=dict)
    note: str = ""


def headline(key: str, label: str, value: float | int | None, unit: str, *, decimals: int = 1,
             display: str | None = None, note: str = "", **fields: Scalar) -> Headline:
    """A :class:`Headline`; ``display`` overrides the formatted value (e.g. '>95', '3 of 27')."""
    return Headline(key=key, label=label, value=None if value is None else float(value),
                    unit=unit, display=display if display is not None else fmt(value, decimals),
                    fields=dict(fields), note=note)


@dataclass(frozen=True)
class Claim:
    """A published claim and the chapter's verdict on it, every word after ``claim`` computed."""

    id: str
    claim: str  # the document's words (quoted)
    source: str  # which document says it
    finding: str  # what the data give, with numbers
    verdict: str  # one of VERDICTS
    condition: str  # the condition under which it holds, or why not
    chapter: str = ""  # notebook name, set by the record
    section: str = ""  # Quarto section id in the chapter, e.g. "sec-equipment-claim"
    #: The condition in a sentence or two, for the summary (at most three printed lines with
    #: the verdict): the chapter keeps the method and the full ``condition``.
    short: str = ""

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"claim {self.id}: verdict {self.verdict!r} is not one of {VERDICTS}")


@dataclass(frozen=True)
class Table:
    """A table a chapter shows: the frame, its column labels and caption, its CSV name."""

    name: str
    frame: pl.DataFrame
    caption: str
    labels: Mapping[str, str] = field(default_factory=dict)
    decimals: Mapping[str, int | str] | int = 1
    #: What the CSV download holds when the shown frame is a layout of it (e.g. years as
    #: columns, values in bold): the tidy rows. None: the shown frame.
    data: pl.DataFrame | None = None
    #: What the columns mean (units, bases, what a dash stands for), shown under the table, so
    #: that its headers stay short.
    note: str = ""


@dataclass(frozen=True)
class ChapterRecord:
    """What a chapter publishes for the summary, the tests and the regression baseline."""

    chapter: str
    title: str
    params: Mapping[str, Scalar | list]
    defaults: Mapping[str, Scalar | list]
    sources: tuple[str, ...]  # source ids (editions) the chapter read
    headlines: tuple[Headline, ...] = ()
    claims: tuple[Claim, ...] = ()
    text: Mapping[str, str] = field(default_factory=dict)  # number-bearing sentences by name

    def __post_init__(self) -> None:
        seen: set[tuple] = set()
        for h in self.headlines:
            ident = (h.key, tuple(sorted(h.fields.items())))
            if ident in seen:
                raise ValueError(f"{self.chapter}: headline {h.key} {dict(h.fields)} twice")
            seen.add(ident)

    # -- lookups the summary uses
    def headline(self, key: str, **fields: Scalar) -> Headline:
        """The one headline with this key and these field values (error if none or several)."""
        found = [h for h in self.headlines
                 if h.key == key and all(h.fields.get(k) == v for k, v in fields.items())]
        if len(found) != 1:
            have = sorted({h.key for h in self.headlines})
            raise MissingResult(
                f"chapter {self.chapter}: {len(found)} headlines match {key} {fields or ''} "
                f"(expected one); its headline keys are {', '.join(have)}. Fix: run `make report` "
                f"so the chapter publishes its results again, or check {key} in "
                f"src/dibtrends/chapters.")
        return found[0]

    def claim(self, claim_id: str) -> Claim:
        for c in self.claims:
            if c.id == claim_id:
                return c
        raise MissingResult(f"chapter {self.chapter} publishes no claim {claim_id!r}.")

    def changed_params(self) -> dict[str, tuple]:
        """Parameters whose value differs from the default: name -> (value, default)."""
        return {k: (v, self.defaults.get(k)) for k, v in self.params.items()
                if self.defaults.get(k) != v}

    # -- storage
    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, ensure_ascii=False, default=str) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ChapterRecord:
        d = json.loads(text)
        return cls(**d | {"sources": tuple(d["sources"]),
                          "headlines": tuple(Headline(**h) for h in d["headlines"]),
                          "claims": tuple(Claim(**c) for c in d["claims"])})


def record_path(chapter: str, output_dir: str | Path | None = None) -> Path:
    return paths.output_dir(output_dir) / paths.RESULTS_SUBDIR / f"{chapter}.json"


def publish(record: ChapterRecord, output_dir: str | Path | None = None) -> None:
    """Write the record atomically (a failed run never leaves half a file). Returns nothing,
    so a notebook's last line shows no path to the reader."""
    paths.write_atomic(record_path(record.chapter, output_dir), record.to_json())


def read(chapter: str, output_dir: str | Path | None = None) -> ChapterRecord:
    path = record_path(chapter, output_dir)
    if not path.exists():
        raise MissingResult(
            f"the results of chapter {chapter} are missing ({paths.relative(path)}). Fix: run "
            f"`make report`, which runs {chapter} before the summary; in JupyterLab, run "
            f"notebooks/{chapter}.ipynb first.")
    return ChapterRecord.from_json(path.read_text())


def baseline(record: ChapterRecord) -> list[dict]:
    """The regression baseline of a record: every headline's key, fields, value and display."""
    return [{"key": h.key, "fields": dict(h.fields), "value": h.value, "display": h.display}
            for h in record.headlines]
