"""Validate notebook parameters at once, so a bad Papermill ``-p`` fails before any work.

Every check raises :class:`ParameterError` naming the parameter, the value given and what is
allowed: the message is the whole fix.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from .errors import ParameterError


def check_choice(name: str, value, allowed: Collection):
    if value not in allowed:
        raise ParameterError(
            f"parameter {name}={value!r} is not allowed; allowed values: "
            f"{', '.join(repr(a) for a in allowed)}."
        )
    return value


def check_number(name: str, value, lo: float | None = None, hi: float | None = None):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ParameterError(f"parameter {name}={value!r} must be a number.")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ParameterError(
            f"parameter {name}={value!r} is out of range; allowed: {lo} to {hi}."
        )
    return value


def check_year_range(start: int | None, end: int | None, available: Iterable[int],
                     names: tuple[str, str] = ("start_year", "end_year")) -> tuple[int, int]:
    """Resolve ``None`` to the data's first/last year and check the span is inside the data."""
    years = sorted(set(available))
    if not years:
        raise ParameterError("no years available in the data to choose a range from.")
    first, last = years[0], years[-1]
    start = first if start is None else start
    end = last if end is None else end
    for pname, value in zip(names, (start, end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParameterError(f"parameter {pname}={value!r} must be a whole year.")
        if not first <= value <= last:
            raise ParameterError(
                f"parameter {pname}={value} is outside the data; allowed: {first} to {last}."
            )
    if end < start:
        raise ParameterError(
            f"parameter {names[1]}={end} is before {names[0]}={start}; "
            f"choose {names[1]} >= {names[0]} (data cover {first} to {last})."
        )
    return start, end


def check_iso3(name: str, values, allowed: Collection[str]):
    """One code or a list; each must be among ``allowed`` (e.g. the 32 Allies)."""
    items = [values] if isinstance(values, str) else list(values)
    bad = [v for v in items if v not in allowed]
    if bad:
        raise ParameterError(
            f"parameter {name} has unknown country code(s) {', '.join(map(repr, bad))}; "
            f"valid codes: {', '.join(sorted(allowed))}."
        )
    return values
