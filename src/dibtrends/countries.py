"""Country names as publishers spell them -> ISO 3166-1 alpha-3 codes.

pycountry supplies the standard; ``data/curated/country_names.csv`` records each publisher
spelling that the standard does not match (``Korea, South``, ``Türkiye`` ...). An unknown name
stops the load: silently dropping a country would change every aggregate.
"""

from __future__ import annotations

import csv
import unicodedata
from functools import lru_cache
from pathlib import Path

import pycountry

from . import paths
from .errors import DataError

OVERRIDES_FILE = paths.CURATED / "country_names.csv"

#: Codes outside ISO 3166-1 used by publishers for states that no longer exist or are disputed.
EXTRA_CODES = {
    "XKX": "Kosovo",
    "DDR": "German Democratic Republic",
    "YUG": "Yugoslavia",
    "SUN": "Soviet Union",
    "CSK": "Czechoslovakia",
    "YMD": "South Yemen",
    "YAR": "North Yemen",
}


def _norm(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(text.replace("\u00a0", " ").lower().split())


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    """Normalised name -> ISO3: pycountry's names, then the publishers' spellings on record."""
    codes = {_norm(v): c.alpha_3 for c in pycountry.countries
             for v in (getattr(c, a, None) for a in ("name", "common_name", "official_name")) if v}
    if OVERRIDES_FILE.exists():
        with open(OVERRIDES_FILE, newline="", encoding="utf-8") as fh:
            codes |= {_norm(row["publisher_name"]): row["iso3"] for row in csv.DictReader(fh)}
    return codes


def iso3(name: str, *, file: str | Path, column: str, row=None) -> str:
    """The ISO3 code for ``name``, or a DataError telling the user where to add it."""
    code = _codes().get(_norm(name))
    if code is None:
        raise DataError(
            file, f"unknown country name {name.strip()!r}", column=column, row=row,
            fix=(f"if it is a country, add a line '{name.strip()},<ISO3>,<note>' to "
                 f"{OVERRIDES_FILE.relative_to(paths.ROOT)}; if it is a region or total row, "
                 "make the loader skip it."),
        )
    return code


def name_of(code: str) -> str:
    country = pycountry.countries.get(alpha_3=code)
    if country is not None:
        return getattr(country, "common_name", None) or country.name
    return EXTRA_CODES[code]


def all_codes() -> list[str]:
    """Every code a dataset may carry: ISO 3166-1 plus the few historical extras."""
    return sorted({c.alpha_3 for c in pycountry.countries} | set(EXTRA_CODES))
