"""Ally profiles: one appendix page per Ally (the pipeline sets ``country``; the target is shared
with chapter 4). Where a source has nothing to draw (Iceland), a chart's frame is None, never
empty, and the page says why (:mod:`dibtrends.prose.profile`). No claims."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from .. import data, definitions, pledge, profile, sources
from ..errors import ParameterError
from ..params import Parameters, describe, param
from ..prose import profile as words
from ..results import ChapterRecord, Headline, Table, headline
from . import record
from .pledge import check_targets, check_targets_data, target_share_param, target_year_param

NOTEBOOK = "country_profile"
TITLE = "Ally profile"
NATO_SOURCE = sources.newest("nato_defexp").id  # the table holds the newest edition
SIPRI_SOURCE = "sipri_milex_2025"
READS = ("nato_defexp", "nato_membership", SIPRI_SOURCE)
SOURCES = (NATO_SOURCE, SIPRI_SOURCE)
#: Set by the pipeline for each Ally, refused in reports/params.yaml.
PIPELINE_SET = ("country",)
MISSING = "not published"


def page_title(name: str) -> str:
    """An Ally's page is titled by its name in the sidebar and the PDF appendix."""
    return name


@dataclass(frozen=True)
class Params(Parameters):
    country: str = param("USA", "Ally", "the ISO 3166 alpha-3 code of one of the 32 Allies, "
                         "in capitals (e.g. 'POL')", examples=("POL", "ISL"), invalid=("XXX",))
    target_share_pct: float = target_share_param()
    target_year: int = target_year_param()

    def check(self) -> None:
        if not (isinstance(self.country, str) and len(self.country) == 3
                and self.country.isalpha() and self.country.isupper()):
            raise ParameterError(
                f"parameter country={self.country!r} is not allowed; allowed: the ISO 3166 "
                "alpha-3 code of an Ally, three capital letters such as 'POL'.")
        check_targets(self.target_share_pct, self.target_year)

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
class Result:
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
    text: dict[str, str]

    @property
    def code(self) -> str:
        return self.params.country

    @property
    def has_nato_data(self) -> bool:
        return profile.has_values(self.series, "milex_usd_bn_const2015")

    @property
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

    @property
    def chart_notes(self) -> dict[str, str]:
        return words.chart_notes(self)

    @property
    def tables(self) -> dict[str, Table]:
        """The guidelines grid (none for an Ally without NATO figures)."""
        if not self.has_nato_data:
            return {}
        rows = self.status.filter(pl.col("share_gdp_pct").is_not_null())
        return {"guidelines": Table(
            f"profile_{self.code}_guidelines", words.guideline_grid(rows),
            words.guidelines_caption(self, rows), labels={"measure": ""},
            data=rows.select("year", "estimate", "counted", "share_gdp_pct",
                             "meets_gdp_guideline", "equipment_share_pct",
                             "meets_equipment_guideline"))}

    def record(self) -> ChapterRecord:
        return record(NOTEBOOK, self, chapter=f"profile_{self.code}",
                      title=f"{TITLE}: {self.name}")

    def headlines(self) -> list[Headline]:
        """The same keys for every Ally ('not published' where NATO publishes nothing)."""
        p, nato, years = self.params, self.series.drop_nulls("share_gdp_pct"), self.series["year"]
        first, last = _row(nato, 0), _row(nato, -1)
        y0, y1 = (first["year"], last["year"]) if last else (int(years.min()), int(years.max()))
        g, cmp, s = _row(self.gap, 0), _row(self.comparison, 0), _row(self.long_run, -1)
        target = {"target_share_pct": float(p.target_share_pct), "target_year": p.target_year}

        def h(key, label, row, value, unit, decimals=1, display=None, **fields):
            return headline(f"profile.{key}", label, None if row is None else value(row), unit,
                            decimals=decimals, display=MISSING if row is None else display,
                            country=self.code, **fields)

        rows = [h("share_gdp", f"Defence spending, % of GDP, {y} (NATO)", row,
                  lambda r: r["share_gdp_pct"], "% of GDP", 2, year=y, which=which)
                for which, row, y in (("first", first, y0), ("latest", last, y1))]
        rows += [h("spending", f"Defence spending {y1}, constant 2015 prices", last,
                   lambda r: r["milex_usd_bn_const2015"], "US$ bn, constant 2015 prices",
                   year=y1),
                 h("real_change", f"Defence spending {y1} ÷ {y0}, constant 2015 prices", last,
                   lambda r: r["milex_usd_bn_const2015"] / first["milex_usd_bn_const2015"],
                   "times", 2, base_year=y0, end_year=y1)]
        for key, pct, what in (("gdp", pledge.GDP_GUIDELINE_PCT, "of GDP"),
                               ("equipment", pledge.EQUIPMENT_GUIDELINE_PCT, "on equipment")):
            n = profile.guideline_count(self.status, f"meets_{key}_guideline")
            row = n if n["n_years"] else None
            rows.append(h(f"years_meeting_{key}_guideline", f"Years at or above {pct:g} % {what}"
                          " as an Ally", row, lambda n: n["n_meeting"], "years", 0,
                          f"{n['n_meeting']} of {n['n_years']}", threshold_pct=float(pct),
                          first_year=row and n["first_year"], last_year=row and n["last_year"]))
        return rows + [
            h("gap_to_target", f"Gap to {p.target_share_pct:g} % of GDP by {p.target_year}", g,
              lambda g: g["gap_pp"], "percentage points", 2, **target),
            h("required_real_growth", "Real growth of defence spending needed a year to reach "
              f"{p.target_share_pct:g} % by {p.target_year}", g,
              lambda g: g["required_real_growth_pct"], "% a year",
              display=g and ("none: already there" if g["already_above"] else None), **target),
            h("nato_minus_sipri", "NATO's share of GDP minus SIPRI's, latest year both publish",
              cmp, lambda c: c["difference_latest_pp"], "percentage points", 2,
              year=cmp and cmp["latest_year"]),
            h("sipri_share_gdp", "Military expenditure, % of GDP"
              + (f", {s['year']} (SIPRI)" if s else " (SIPRI)"), s, lambda s: s["share_gdp_pct"],
              "% of GDP", 2, year=s and s["year"])]


def _row(frame: pl.DataFrame, i: int) -> dict | None:
    return frame.row(i, named=True) if frame.height else None


def run(params: Params | None = None, processed_dir=None) -> Result:
    """Compute one Ally's page from the processed NATO, membership and SIPRI tables."""
    p = params or Params()
    p.check_data(processed_dir)
    nato, sipri = data.table("nato_defexp", processed_dir), data.table(SIPRI_SOURCE, processed_dir)
    membership = data.table("nato_membership", processed_dir)
    ally = membership.filter(pl.col("iso3") == p.country)
    series, mine = profile.nato_series(nato, p.country), pl.col("entity") == p.country
    result = Result(
        params=p, name=ally["country"].item(),
        accession_year=ally["accession_date"].dt.year().item(),
        nato_edition=sources.get(nato["source_id"][0]).edition.split(" (")[0],
        sipri_note=(definitions.SIPRI_FOOTNOTES.get(p.country)
                    if definitions.SIPRI_FOOTNOTES_SOURCE == SIPRI_SOURCE else None),
        long_run=profile.long_run_share(sipri, p.country), series=series,
        categories=profile.category_split(series),
        status=pledge.guideline_status(nato, membership).filter(mine),
        gap=pledge.pledge_gap(nato, membership, target_share_pct=p.target_share_pct,
                              target_year=p.target_year).filter(mine),
        breaks=profile.gdp_breaks(nato, p.country),
        comparison=definitions.by_ally(definitions.nato_vs_sipri(nato, sipri)).filter(
            pl.col("iso3") == p.country), text={})
    return Result(**{**result.__dict__, "text": words.sentences(result)})
