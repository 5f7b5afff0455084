"""Ally profiles: one appendix page per Ally (the pipeline sets ``country``; the target is shared
with chapter 4), worded in :mod:`dibtrends.prose.profile`. Where a source has nothing to draw
(Iceland), the chart's frame is None, never empty, and the page says why. No claims.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from .. import data, definitions, profile, sources
from ..errors import ParameterError
from ..params import Parameters, describe, param
from ..pledge import EQUIPMENT_GUIDELINE_PCT, GDP_GUIDELINE_PCT
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
        rows = self.status.filter(pl.col("share_gdp_pct").is_not_null()).with_columns(
            (pl.col("year").cast(pl.String)
             + pl.when(pl.col("estimate")).then(pl.lit("e")).otherwise(pl.lit("")))
            .alias("year_label"))
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
        p, nato = self.params, self.series.drop_nulls("share_gdp_pct")
        first, last = (nato.row(i, named=True) if nato.height else None for i in (0, -1))
        years = self.series["year"]
        first_year, last_year = ((first["year"], last["year"]) if last else
                                 (int(years.min()), int(years.max())))

        def h(key, label, row, column, unit, *, decimals=1, display=None, **fields):
            value = None if row is None else column(row) if callable(column) else row[column]
            return headline(f"profile.{key}", label, value, unit,
                            decimals=decimals, display=MISSING if row is None else display,
                            country=self.code, **fields)

        rows = [h("share_gdp", f"Defence spending, % of GDP, {year} (NATO)", row,
                  "share_gdp_pct", "% of GDP", decimals=2, year=year, which=which)
                for which, row, year in (("first", first, first_year), ("latest", last, last_year))]
        rows += [
            h("spending", f"Defence spending {last_year}, constant 2015 prices", last,
              "milex_usd_bn_const2015", "US$ bn, constant 2015 prices", year=last_year),
            h("real_change", f"Defence spending {last_year} ÷ {first_year}, constant 2015 "
              "prices", last, lambda r: r["milex_usd_bn_const2015"]
              / first["milex_usd_bn_const2015"], "times", decimals=2, base_year=first_year,
              end_year=last_year)]
        for key, column, pct, what in (("gdp", "meets_gdp_guideline", GDP_GUIDELINE_PCT,
                                        "of GDP"),
                                       ("equipment", "meets_equipment_guideline",
                                        EQUIPMENT_GUIDELINE_PCT, "on equipment")):
            n = profile.guideline_count(self.status, column)
            row = n if n["n_years"] > 0 else None
            rows.append(h(f"years_meeting_{key}_guideline", f"Years at or above {pct:g} % "
                          f"{what} as an Ally", row, "n_meeting", "years", decimals=0,
                          display=f"{n['n_meeting']} of {n['n_years']}", threshold_pct=float(pct),
                          first_year=row and n["first_year"], last_year=row and n["last_year"]))
        g = self.gap.row(0, named=True) if self.gap.height else None
        target = {"target_share_pct": float(p.target_share_pct), "target_year": p.target_year}
        rows += [
            h("gap_to_target", f"Gap to {p.target_share_pct:g} % of GDP by {p.target_year}", g,
              "gap_pp", "percentage points", decimals=2, **target),
            h("required_real_growth", f"Real growth of defence spending needed a year to reach "
              f"{p.target_share_pct:g} % by {p.target_year}", g, "required_real_growth_pct",
              "% a year", display=g and ("none: already there" if g["already_above"] else None),
              **target)]
        cmp = self.comparison.row(0, named=True) if self.comparison.height else None
        rows.append(h("nato_minus_sipri", "NATO's share of GDP minus SIPRI's, latest year both "
                      "publish", cmp, "difference_latest_pp", "percentage points", decimals=2,
                      year=cmp and cmp["latest_year"]))
        s = self.long_run.row(-1, named=True) if self.long_run.height else None
        rows.append(h("sipri_share_gdp", "Military expenditure, % of GDP"
                      + (f", {s['year']} (SIPRI)" if s else " (SIPRI)"), s, "share_gdp_pct",
                      "% of GDP", decimals=2, year=s and s["year"]))
        return rows


def run(params: Params | None = None, processed_dir=None) -> Result:
    """Compute one Ally's page from the processed NATO, membership and SIPRI tables."""
    p = params or Params()
    p.check_data(processed_dir)
    nato = data.table("nato_defexp", processed_dir)
    membership = data.table("nato_membership", processed_dir)
    ally = membership.filter(pl.col("iso3") == p.country)
    sipri = data.table(SIPRI_SOURCE, processed_dir)
    note = (definitions.SIPRI_FOOTNOTES.get(p.country)
            if definitions.SIPRI_FOOTNOTES_SOURCE == SIPRI_SOURCE else None)
    result = Result(
        params=p, name=ally["country"].item(),
        accession_year=ally["accession_date"].dt.year().item(),
        nato_edition=sources.get(nato["source_id"][0]).edition.split(" (")[0], sipri_note=note,
        long_run=profile.long_run_share(sipri, p.country),
        series=profile.nato_series(nato, p.country),
        categories=profile.category_split(nato, p.country),
        status=profile.guideline_years(nato, membership, p.country),
        gap=profile.pledge_row(nato, membership, p.country,
                               target_share_pct=p.target_share_pct, target_year=p.target_year),
        breaks=profile.gdp_breaks(nato, p.country),
        comparison=definitions.by_ally(definitions.nato_vs_sipri(nato, sipri)).filter(
            pl.col("iso3") == p.country), text={})
    return Result(**{**result.__dict__, "text": words.sentences(result)})
