"""Errors a user can act on: each one names the file, the column and the fix."""

from __future__ import annotations


class DibtrendsError(Exception):
    """Base class: the message is a paragraph meant for a person, not a traceback."""

    def __reduce__(self):
        # Whole across processes (the data build loads tables in worker processes): the
        # message and every attribute, whatever the subclass's constructor takes.
        return (_restore, (type(self), self.args, self.__dict__))


def _restore(cls, args, state):
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class FetchError(DibtrendsError):
    """A source file could not be obtained or verified."""


class DataError(DibtrendsError):
    """A source or curated file does not have the shape, units or values we rely on."""

    def __init__(self, file, problem: str, *, column: str | None = None,
                 row: object | None = None, fix: str | None = None) -> None:
        self.file, self.column, self.row, self.fix = str(file), column, row, fix
        where = [f"file {self.file}"]
        if column is not None:
            where.append(f"column {column!r}")
        if row is not None:
            where.append(f"row {row}")
        msg = f"{problem} ({', '.join(where)})."
        if fix:
            msg += f" Fix: {fix}"
        super().__init__(msg)


class ParameterError(DibtrendsError, ValueError):
    """A notebook parameter is out of its allowed values."""
