"""Chapter parameters: declared once per chapter, checked at once, described to readers.

Each chapter module declares a frozen dataclass of :class:`Parameters` whose fields carry their
default, the words a reader sees, the allowed values, and a few values the tests sweep through.
The same class checks a value from ``reports/params.yaml`` before any kernel starts, checks a
value an analyst typed in a notebook's parameters cell, and writes the "built with" line of the
chapter and the summary. Every check raises :class:`ParameterError` naming the parameter, the
value given and what is allowed: the message is the whole fix.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from .errors import ParameterError


def param(default: Any, label: str, *, choices: Collection | None = None,
          bounds: tuple[float, float] | None = None, whole: bool = False, none_means: str = "",
          value_words: dict | None = None, examples: tuple = (), invalid: tuple = (),
          shared: bool = False) -> Any:
    """A parameter field. ``label`` names it for readers; ``choices`` (the allowed values) or
    ``bounds`` (lo, hi; ``whole``: a whole number, kept as int) are checked for every value but
    None where None is the default; what else a value must satisfy, ``check`` and
    ``check_data`` check. ``none_means`` says what ``None`` stands for and ``value_words`` what
    coded values mean ('constant2015' -> 'constant 2015 US$'); ``examples`` are non-default
    allowed values and ``invalid`` values that must be refused (the parameter sweep test runs
    both); ``shared`` marks a parameter several notebooks take, set once under ``shared:``."""
    return dataclasses.field(default=default, metadata={
        "label": label, "choices": choices, "bounds": bounds, "whole": whole,
        "none_means": none_means, "value_words": dict(value_words or {}),
        "examples": tuple(examples), "invalid": tuple(invalid), "shared": shared})


@dataclasses.dataclass(frozen=True)
class Parameters:
    """Base class: subclasses add fields with :func:`param` and override :meth:`check`."""

    def __post_init__(self) -> None:
        for name, spec in self.specs().items():
            value, meta = getattr(self, name), spec.metadata
            if value is None and spec.default is None:
                continue
            if meta["choices"] is not None:
                check_choice(name, value, meta["choices"])
            elif meta["whole"]:
                object.__setattr__(self, name, check_int(name, value, *meta["bounds"]))
            elif meta["bounds"] is not None:
                check_number(name, value, *meta["bounds"])
        self.check()

    def check(self) -> None:
        """Checks that need no data (types, choices, ranges); raise ParameterError."""

    def check_data(self, processed_dir=None) -> None:
        """Checks against the data (a year inside the series); the pipeline runs them before
        any notebook starts, and ``run`` again."""

    # -- introspection
    @classmethod
    def specs(cls) -> dict[str, dataclasses.Field]:
        return {f.name: f for f in dataclasses.fields(cls)}

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        return {name: f.default for name, f in cls.specs().items()}

    @classmethod
    def shared_names(cls) -> set[str]:
        return {name for name, f in cls.specs().items() if f.metadata.get("shared")}

    def as_dict(self) -> dict[str, Any]:
        return {name: _plain(getattr(self, name)) for name in self.specs()}

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], where: str) -> Parameters:
        """Build from a parameters-file section; unknown names stop with the known ones."""
        if unknown := sorted(set(values) - set(cls.specs())):
            known = ", ".join(cls.specs()) or "(none)"
            raise ParameterError(
                f"{where}: no parameter named {', '.join(unknown)}; the parameters are: {known}.")
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})

    # -- words for readers
    def describe(self) -> str:
        """One sentence: which parameters built this chapter, and which differ from defaults."""
        return describe(type(self).specs(), self.as_dict(), self.defaults())


def describe(specs: Mapping[str, dataclasses.Field], values: Mapping[str, Any],
             defaults: Mapping[str, Any]) -> str:
    """'Built with the default parameters: base year 2014, ...' or '... base year 2016 (the
    default is 2014), ...': the parameters in words, changed ones flagged."""
    parts, n_changed = [], 0
    for name, value in values.items():
        meta = specs[name].metadata if name in specs else {}
        label = meta.get("label", name.replace("_", " "))
        shown, default = (word(v, meta.get("none_means", ""), meta.get("value_words"))
                          for v in (value, _plain(defaults.get(name))))
        changed = _plain(value) != _plain(defaults.get(name))
        n_changed += changed
        parts.append(f"{label}: **{shown}** (default: {default})" if changed else
                     f"{label}: {shown}")
    if not parts:
        return "This page takes no parameters."
    lead = ("Built with the default parameters" if n_changed == 0 else
            f"Built with {n_changed} parameter{'s' if n_changed > 1 else ''} changed from the "
            "default")
    return f"{lead}: {'; '.join(parts)}."


def word(value: Any, none_means: str = "", value_words: Mapping | None = None) -> str:
    """A parameter value in words: None, booleans, lists and coded values spelled out."""
    if isinstance(value, (str, int, float)) and value_words and value in value_words:
        return value_words[value]
    if value is None:
        return none_means or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(word(v, value_words=value_words) for v in value)
    if isinstance(value, float) and value.is_integer():
        return f"{value:g}"
    return str(value)


def _plain(value: Any) -> Any:
    """Tuples as lists, so values compare and serialise the same from YAML, JSON and Python."""
    return list(value) if isinstance(value, tuple) else value


# ---------------------------------------------------------------- checks
def check_choice(name: str, value, allowed: Collection):
    if isinstance(value, bool) != any(isinstance(a, bool) for a in allowed) or value not in allowed:
        raise ParameterError(
            f"parameter {name}={value!r} is not allowed; allowed values: "
            f"{', '.join(repr(a) for a in allowed)}."
        )
    return value


def check_iso3(name: str, values, allowed: Collection[str]):
    """One code or a list; each must be among ``allowed`` (e.g. the 32 Allies)."""
    items = [values] if isinstance(values, str) else list(values)
    if bad := [v for v in items if v not in allowed]:
        raise ParameterError(
            f"parameter {name} has unknown country code(s) {', '.join(map(repr, bad))}; "
            f"valid codes: {', '.join(sorted(allowed))}.")
    return values


def check_number(name: str, value, lo: float, hi: float, whole: bool = False):
    """A number in [lo, hi]; ``whole``: a whole one (YAML's ``10`` or ``10.0``, not ``10.5``)."""
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or (whole and value != int(value))):
        raise ParameterError(f"parameter {name}={value!r} must be a "
                             f"{'whole ' if whole else ''}number; allowed: {lo:g} to {hi:g}.")
    if not lo <= value <= hi:
        raise ParameterError(f"parameter {name}={value!r} is out of range; allowed: {lo:g} to "
                             f"{hi:g}.")
    return int(value) if whole else value


def check_int(name: str, value, lo: int, hi: int) -> int:
    return check_number(name, value, lo, hi, whole=True)


def check_year_range(start: int | None, end: int | None, available: Iterable[int],
                     names: tuple[str, str] = ("start_year", "end_year"),
                     min_span: int = 0) -> tuple[int, int]:
    """Resolve ``None`` to the data's first/last year and check the span is inside the data."""
    years = sorted(set(available))
    if not years:
        raise ParameterError("no years available in the data to choose a range from.")
    first, last = years[0], years[-1]
    start = first if start is None else start
    end = last if end is None else end
    for pname, value in zip(names, (start, end), strict=True):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParameterError(f"parameter {pname}={value!r} must be a whole year; allowed: "
                                 f"{first} to {last}.")
        if not first <= value <= last:
            raise ParameterError(
                f"parameter {pname}={value} is outside the data; allowed: {first} to {last}."
            )
    if end - start < min_span:
        raise ParameterError(
            f"parameters {names[0]}={start} and {names[1]}={end} span {end - start} years; "
            f"allowed: {names[1]} at least {min_span} year{'s' if min_span != 1 else ''} after "
            f"{names[0]}, both from {first} to {last}.")
    return start, end
