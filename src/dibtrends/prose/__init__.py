"""The words readers see. This package holds them: one module per chapter
(``prose.long_run``, ``prose.pledge``, ...) with its sentences, captions and column labels, and
here the few helpers every chapter's words share (numbers, p-values, lists and names in prose).
Nothing here computes a result; it only puts numbers the chapters computed into words.

The number style: thousands separated by commas ('1,474.4'; years bare), a space between a
number and its unit ('3.5 %', 'US$ 1.2 bn'), a true minus for a negative number ('−0.4').
The words are written with plain spaces and hyphens, as records and CSV downloads keep them;
:func:`typeset` gives them the reader's typography wherever the report shows text
(``report.say``, tables, claims and captions).
"""

from __future__ import annotations

import re

import polars as pl

from ..countries import name_of

#: Country names that take "the" inside a sentence.
WITH_ARTICLE = frozenset({"United States", "United Kingdom", "Netherlands"})
#: Small counts in words ('no break', 'two breaks', 'the five largest').
NUMBER_WORDS = dict(enumerate(
    ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")))


NBSP, MINUS = "\u00a0", "\u2212"
#: What :func:`typeset` changes, in order: the unit words a number keeps on its line, the
#: parts of "US$ bn" and "% of GDP", and a hyphen before a digit that is a minus sign (not one
#: inside a word, a range such as 1949-2025, a date or an address).
_TYPOGRAPHY = (
    (re.compile(r"US\$ ?(?=\d|(?:bn|m|million|billion)\b)"), "US$" + NBSP),
    (re.compile(r"(?<=\d) (?=(?:bn|m|million|billion)\b|%)"), NBSP),
    (re.compile(r"% of GDP"), f"%{NBSP}of{NBSP}GDP"),
    (re.compile(r"(?<![\w)\]}/.,-])-(?=\d)"), MINUS),
)


def typeset(text: str) -> str:
    """Text as the reader sees it: a non-breaking space between a number and its unit and
    inside a unit ('US$ 1.2 bn', '3.5 % of GDP', 'US$ m' never break across lines), and '−'
    for a minus sign ('(-0.38)' becomes '(−0.38)'). Applying it twice changes nothing."""
    for pattern, replacement in _TYPOGRAPHY:
        text = pattern.sub(replacement, text)
    return text


def fmt(value: float | int | None, decimals: int = 1) -> str:
    """A number for prose: thousands separators, fixed decimals, 'n/a' for missing (its minus
    is a hyphen until :func:`typeset` shows it)."""
    if value is None:
        return "n/a"
    return f"{value:,.{decimals}f}"


def fmt_p(p: float | None, n_draws: int | None = None) -> str:
    """A p-value for a reader: '< 0.001', or '< 1/(n+1)' at a bootstrap's smallest value."""
    if p is None:
        return "n/a"
    if n_draws is not None and p <= 1 / (n_draws + 1) + 1e-12:
        return f"< {1 / (n_draws + 1):.3f}"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def join_words(items, conjunction: str = "and", sep: str = ", ") -> str:
    """'A', 'A and B', 'A, B and C' ('A; B and C' for items that hold commas): lists in prose."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{sep.join(items[:-1])} {conjunction} {items[-1]}"


def plural(n: int, one: str, many: str | None = None) -> str:
    """'1 Ally', '3 Allies', '2 files'."""
    return f"{n} {one if n == 1 else many or (one[:-1] + 'ies' if one[-1] == 'y' else one + 's')}"


def the(name: str) -> str:
    """'the United Kingdom', 'Greece': a country's name inside a sentence."""
    return f"the {name}" if name in WITH_ARTICLE else name


def country(code: str) -> str:
    """A country's name, from its ISO code, as it reads inside a sentence ('the Netherlands')."""
    return the(name_of(code))


def names(codes, alphabetical: bool = False) -> str:
    """Country names in prose from ISO codes (a list or SIPRI's comma-joined string), in the
    codes' order or alphabetical."""
    if isinstance(codes, str):
        codes = [c for c in codes.split(",") if c]
    found = [name_of(c) for c in codes]
    return join_words([the(n) for n in (sorted(found) if alphabetical else found)])


def possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def cap(text: str) -> str:
    """The first letter in upper case (a sentence that starts with a name or a number)."""
    return text[:1].upper() + text[1:]


def signed(value: float, decimals: int = 3) -> str:
    """'+0.012', '−0.034': with a sign, and a true minus."""
    return f"{value:+.{decimals}f}".replace("-", "−")


def pct(share: float, decimals: int = 0) -> str:
    """0.95 -> '95 %'."""
    return f"{share:.{decimals}%}".replace("%", " %")


def yes_no(condition, missing: str | None = None):
    """A boolean expression or column as 'yes'/'no'; with ``missing``, a column (its name)
    whose nulls read ``missing``."""
    yes = pl.when(condition).then(pl.lit("yes")).otherwise(pl.lit("no"))
    return yes if missing is None else pl.when(pl.col(condition).is_null()).then(
        pl.lit(missing)).otherwise(yes)


def paragraph(text: str) -> str:
    """A paragraph written across source lines (a triple-quoted f-string), as one line."""
    return " ".join(text.split())


def worded(fn, *fields: str) -> pl.Expr:
    """A column of words: ``fn`` of one field's value, or of a row's ``fields`` (a dict)."""
    source = pl.col(fields[0]) if len(fields) == 1 else pl.struct(*fields)
    return source.map_elements(fn, return_dtype=pl.String)


def count_of(key: str, label: str, n: int, of: int, unit: str, **kw):
    """A :func:`~dibtrends.results.headline` counting out of a total, shown as '3 of 27'."""
    from ..results import headline

    return headline(key, label, n, unit, decimals=0, display=f"{n} of {of}", **kw)


def in_words(frame: pl.DataFrame, columns, words: dict[str, pl.Expr] | None = None
             ) -> pl.DataFrame:
    """``columns`` of ``frame``, each one ``words`` has an expression for computed by it (codes
    as names, flags as 'yes'/'no')."""
    return frame.select([(words or {}).get(c, pl.col(c)).alias(c) for c in columns])


def table(name: str, frame, caption: str, labels: dict[str, str], words=None, **kw):
    """A :class:`~dibtrends.results.Table` of the ``labels``' columns, in that order (those
    ``words`` computes: :func:`in_words`)."""
    from ..results import Table  # imported here: results imports this package for fmt

    return Table(name, in_words(frame, labels, words), paragraph(caption), labels, **kw)
