"""Ally profiles: one appendix page per Ally (the pipeline sets ``country``; the target is shared
with chapter 4). Where a source has nothing to draw (Iceland), a chart's frame is None, never
empty, and the page says why (:mod:`dibtrends.prose.profile`). No claims."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import polars as pl

from .. import data, definitions, pledge, profile, sources
from ..errors import ParameterError
from ..params import Parameters, describe, param
from ..prose import profile as words
from ..prose.equipment import edition_words
from . import ChapterResult
from .pledge import check_target_year, check_targets_data, target_share_param, target_year_param

NOTEBOOK = "country_profile"
TITLE = "Ally profile"
NATO_SOURCE = sources.newest("nato_defexp").id  # the table holds the newest edition
SIPRI_SOURCE = "sipri_milex_2025"
READS = ("nato_defexp", "nato_membership", SIPRI_SOURCE)
SOURCES = (NATO_SOURCE, SIPRI_SOURCE)
#: Set by the pipeline for each Ally, refused in reports/params.yaml.
PIPELINE_SET = ("country",)


def page_title(name: str) -> str:
    """An Ally's page is titled by its name in the sidebar and the PDF appendix."""
    return name


@dataclass(frozen=True)
class Params(Parameters):
    country: str = param("USA", "Ally", examples=("POL", "ISL"), invalid=("XXX",))
    target_share_pct: float = target_share_param()
    target_year: int = target_year_param()

    def check(self) -> None:
        if not (isinstance(self.country, str) and len(self.country) == 3
                and self.country.isalpha() and self.country.isupper()):
            raise ParameterError(
                f"parameter country={self.country!r} is not allowed; allowed: the ISO 3166 "
                "alpha-3 code of an Ally, three capital letters such as 'POL'.")
        check_target_year(self.target_year)

    def check_data(self, processed_dir=None) -> None:
        membership = data.table("nato_membership", processed_dir)
        names = dict(zip(membership["iso3"], membership["country"], strict=True))
        if self.country not in names:
            valid = ", ".join(f"{c} ({names[c]})" for c in sorted(names))
            raise ParameterError(
                f"parameter country={self.country!r} is not the code of a NATO Ally; valid "
                f"codes: {valid}.")
        check_targets_data(self.target_year, processed_dir)

    def describe(self) -> str:
        """The shared parameters in words; the Ally is the page itself, not a setting."""
        def shared(d: dict) -> dict:
            return {k: v for k, v in d.items() if k not in PIPELINE_SET}
        return describe(shared(self.specs()), shared(self.as_dict()), shared(self.defaults()))


@dataclass(frozen=True)
class Result(ChapterResult):
    params: Params
    name: str
    accession_year: int
    nato_edition: str
    sipri_note: str | None  # SIPRI's footnote on the Ally in the edition read, if any
    long_run: pl.DataFrame  # SIPRI share of GDP, every year with a value (may be all zero)
    series: pl.DataFrame  # NATO's rows for the Ally, every year of the tables
    categories: pl.DataFrame  # category shares, long
    status: pl.DataFrame  # guidelines per year (pledge.guideline_status)
    gap: pl.DataFrame  # pledge.pledge_gap row, empty without NATO data
    breaks: pl.DataFrame  # GDP series breaks inside the tables' years (profile.gdp_breaks)
    comparison: pl.DataFrame  # NATO's share against SIPRI's (definitions.by_ally), 0 or 1 row

    text = cached_property(words.sentences)
    titles = cached_property(words.titles)  # chart -> title, subtitle and caption
    tables = cached_property(words.tables)
    headlines = words.headlines

    @property
    def code(self) -> str:
        return self.params.country

    @property
    def has_nato_data(self) -> bool:
        return profile.has_values(self.series, "milex_usd_bn_const2015")

    @cached_property
    def frames(self) -> dict[str, pl.DataFrame | None]:
        """The data behind each chart; None where the page shows a sentence instead."""
        frames = {"long_run": (self.long_run, "share_gdp_pct"),
                  "spending": (profile.spending(self.series), "milex_usd_bn_const2015"),
                  "categories": (self.categories, "share_pct")}
        return {k: f if profile.has_values(f, c) else None for k, (f, c) in frames.items()}

    @property
    def nato_data(self) -> pl.DataFrame:
        """What the NATO figure's CSV offers: per year with published spending, US$ billion at
        constant 2015 prices and the category shares."""
        return self.series.filter(pl.col("milex_usd_bn_const2015").is_not_null()).select(
            "year", "estimate", "milex_usd_bn_const2015", "share_gdp_pct", *profile.CATEGORIES)

    def record(self):
        return super().record(chapter=f"profile_{self.code}", title=f"{TITLE}: {self.name}")


def run(params: Params | None = None, processed_dir=None) -> Result:
    """Compute one Ally's page from the processed NATO, membership and SIPRI tables."""
    p = params or Params()
    p.check_data(processed_dir)
    nato, membership, sipri = (data.table(t, processed_dir) for t in READS)
    ally = membership.filter(pl.col("iso3") == p.country)
    # The Ally's own rows: the per-Ally measures below need no other Ally's.
    series, mine = profile.nato_series(nato, p.country), nato.filter(entity=p.country)
    return Result(
        params=p, name=ally["country"].item(),
        accession_year=ally["accession_date"].dt.year().item(),
        nato_edition=edition_words(nato["source_id"][0]),
        sipri_note=(definitions.SIPRI_FOOTNOTES.get(p.country)
                    if definitions.SIPRI_FOOTNOTES_SOURCE == SIPRI_SOURCE else None),
        long_run=profile.long_run_share(sipri, p.country), series=series,
        categories=profile.category_split(series),
        status=pledge.guideline_status(mine, membership),
        gap=pledge.pledge_gap(nato, membership, target_share_pct=p.target_share_pct,
                              target_year=p.target_year).filter(entity=p.country),
        breaks=profile.gdp_breaks(mine, p.country),
        comparison=definitions.by_ally(definitions.nato_vs_sipri(mine, sipri)))
