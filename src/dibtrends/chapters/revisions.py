"""Chapter 6: what the publishers changed between editions, for the same years.

SIPRI revises whole series with each release and warns against mixing editions; neither SIPRI
nor NATO shows what changed. This chapter puts two releases of SIPRI's military expenditure
database (April 2025 and April 2026, v1.2) and two editions of its Top 100 (December 2024 and
December 2025) side by side: the Allies' shares of GDP, the count of Allies at a threshold, and
each year's Top 100 total and company ranks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from .. import data, industry, revisions, sources
from . import record
from ..params import Parameters, check_int, check_number, param
from ..results import ChapterRecord, Headline, Table, headline
from ..prose import fmt, join_words, plural

NOTEBOOK = "06_revisions"
TITLE = "What the publishers revised between editions"
MILEX = ("sipri_milex_2024", "sipri_milex_2025")  # older, newer
TOP100 = ("sipri_top100_2023", "sipri_top100_2024")  # older, newer
#: SIPRI's own totals file for the older Top 100 edition: a check on the sum of its rows.
TOP100_TOTALS = "sipri_top100_totals"
READS = (*MILEX, *TOP100, TOP100_TOTALS, "nato_membership")
SOURCES = (*MILEX, *TOP100, TOP100_TOTALS)
N_LARGEST = 10
N_RANKS = 15


@dataclass(frozen=True)
class Params(Parameters):
    start_year: int = param(2014, "first year compared (SIPRI shares of GDP)",
                            "a year from 1949 to the last year both releases cover",
                            examples=(2000,), invalid=(1800,))
    threshold_pct: float = param(2.0, "share of GDP counted as 'at the line', %",
                                 "a number from 0.5 to 10", examples=(3.5,), invalid=(0,))
    top100_year: int | None = param(None, "Top 100 year whose company ranks are compared",
                                    "a year both Top 100 editions cover (2002 to 2023)",
                                    none_means="the latest year both editions cover",
                                    examples=(2020,), invalid=(2030,))

    def check(self) -> None:
        check_int("start_year", self.start_year, 1949, 2100)
        check_number("threshold_pct", self.threshold_pct, 0.5, 10)
        if self.top100_year is not None:
            check_int("top100_year", self.top100_year, 2002, 2100)

    def check_data(self, processed_dir=None) -> None:
        from ..errors import ParameterError

        last = last_common_year(*(data.table(t, processed_dir) for t in MILEX))
        check_int("start_year", self.start_year, 1949, last)
        if self.top100_year is not None:
            years = common_years(*(data.table(t, processed_dir) for t in TOP100))
            if self.top100_year not in years:
                raise ParameterError(f"parameter top100_year={self.top100_year} is not covered "
                                     f"by both Top 100 editions; allowed: {min(years)} to "
                                     f"{max(years)}.")


def common_years(older: pl.DataFrame, newer: pl.DataFrame) -> list[int]:
    return sorted(set(older["year"].to_list()) & set(newer["year"].to_list()))


def last_common_year(older: pl.DataFrame, newer: pl.DataFrame) -> int:
    """The last year both SIPRI releases publish shares for (the older one ends a year early)."""
    have = [set(df.drop_nulls("share_gdp_pct")["year"].to_list()) for df in (older, newer)]
    return max(have[0] & have[1])


MONTH_YEAR = re.compile(r"^(January|February|March|April|May|June|July|August|September|"
                        r"October|November|December) \d{4}$")


def edition_name(source_id: str) -> str:
    """How a table header names an edition: 'April 2026 release', from the registry's edition
    ('release v1.2 (April 2026)' or 'December 2024 release (data to 2023)')."""
    edition = sources.get(source_id).edition
    head, _, rest = edition.partition(" (")
    when = rest.rstrip(")")
    return f"{when} release" if MONTH_YEAR.match(when) else head


@dataclass(frozen=True)
class Result:
    params: Params
    years: tuple[int, int]
    shares: pl.DataFrame  # revisions.share_revisions
    largest: pl.DataFrame
    counts: pl.DataFrame  # revisions.threshold_counts
    per_year: pl.DataFrame  # revisions.revision_summary
    totals: pl.DataFrame  # industry.compare_totals
    ranks: pl.DataFrame  # industry.compare_ranks for top100_year
    top100_year: int
    text: dict[str, str]

    @property
    def tables(self) -> dict[str, Table]:
        old, new = (edition_name(s) for s in MILEX)
        t_old, t_new = (edition_name(s) for s in TOP100)
        y0, y1 = self.years
        p = self.params
        counts = self.counts.select(
            "year", "n_at_older", "n_at_newer",
            pl.col("crossed_up").list.join(", ").replace("", None),
            pl.col("crossed_down").list.join(", ").replace("", None))
        ranks = (self.ranks.filter((pl.col("rank_newer") <= N_RANKS)
                                   | (pl.col("rank_older") <= N_RANKS))
                 .sort(pl.coalesce("rank_newer", "rank_older"))
                 .select("company", "country", "rank_older", "rank_newer",
                         "arms_usd_m_older", "arms_usd_m_newer", "revision_usd_m"))
        return {
            "per_year": Table(
                "06_sipri_revisions_by_year", self.per_year,
                f"How much SIPRI revised the Allies' shares of GDP, {y0}–{y1}: {old} against "
                f"{new} (percentage points)",
                labels={"year": "Year", "n_figures": "Allies' figures",
                        "n_revised": "Revised by 0.005 points or more",
                        "mean_abs_revision_pp": "Mean revision, points (absolute)",
                        "max_abs_revision_pp": "Largest revision, points (absolute)"},
                decimals={"mean_abs_revision_pp": 3, "max_abs_revision_pp": 2}),
            "largest": Table(
                "06_sipri_largest_revisions",
                self.largest.select("country", "year", "share_older", "share_newer",
                                    "revision_pp"),
                f"The {len(self.largest)} largest revisions of an Ally's share of GDP ({old} "
                f"against {new})",
                labels={"country": "Ally", "year": "Year", "share_older": f"{old}, % of GDP",
                        "share_newer": f"{new}, % of GDP", "revision_pp": "Revision, points"},
                decimals=2),
            "counts": Table(
                "06_sipri_threshold_counts", counts,
                f"Allies at or above {p.threshold_pct:g} % of GDP in each SIPRI release, and "
                "the Allies a revision moved across the line",
                labels={"year": "Year", "n_at_older": old, "n_at_newer": new,
                        "crossed_up": "Moved above by the revision",
                        "crossed_down": "Moved below by the revision"}),
            "totals": Table(
                "06_top100_totals_by_edition",
                self.totals.select("year", "published_total_usd_bn", "total_usd_bn_older",
                                   "total_usd_bn_newer", "revision_usd_bn", "revision_pct",
                                   "n_companies_in_both"),
                f"SIPRI Top 100: each year's total arms revenue in two editions (sum of the 100 "
                f"companies, US$ bn at current prices; {t_old} against {t_new}), and the total "
                f"SIPRI published with the older edition (– : SIPRI's file gives that year's "
                f"total for a later year's list of companies)",
                labels={"year": "Year",
                        "published_total_usd_bn": f"Published total, {t_old}, US$ bn",
                        "total_usd_bn_older": f"{t_old}, US$ bn",
                        "total_usd_bn_newer": f"{t_new}, US$ bn",
                        "revision_usd_bn": "Revision, US$ bn", "revision_pct": "Revision, %",
                        "n_companies_in_both": "Companies listed in both"},
                decimals={"published_total_usd_bn": 1, "total_usd_bn_older": 1,
                          "total_usd_bn_newer": 1,
                          "revision_usd_bn": 1, "revision_pct": 2}),
            "ranks": Table(
                "06_top100_ranks_by_edition", ranks,
                f"The largest companies of {self.top100_year} in the two Top 100 editions "
                "(arms revenue, US$ million at current prices; – : not listed)",
                labels={"company": "Company", "country": "Country", "rank_older": f"Rank, {t_old}",
                        "rank_newer": f"Rank, {t_new}", "arms_usd_m_older": f"{t_old}, US$ m",
                        "arms_usd_m_newer": f"{t_new}, US$ m",
                        "revision_usd_m": "Revision, US$ m"},
                decimals=0),
        }

    def record(self) -> ChapterRecord:
        return record(NOTEBOOK, self)

    def headlines(self) -> list[Headline]:
        y0, y1 = self.years
        top = self.largest.row(0, named=True)
        last = self.counts.filter(pl.col("year") == y1).row(0, named=True)
        rows = [
            headline("revisions.largest_share_revision", f"Largest revision of an Ally's share "
                     f"of GDP, {y0}–{y1}", top["revision_pp"], "percentage points", decimals=2,
                     note=f"{top['country']}, {top['year']}", start_year=y0, end_year=y1),
            *(headline("revisions.allies_at_threshold", f"Allies at {self.params.threshold_pct:g}"
                       f" % of GDP or more in {y1}, {edition_name(src)}", last[col], "Allies",
                       decimals=0, edition=src, year=y1,
                       threshold_pct=float(self.params.threshold_pct))
              for src, col in zip(MILEX, ("n_at_older", "n_at_newer"), strict=True)),
        ]
        for r in self.totals.filter(pl.col("year") == self.totals["year"].max()).iter_rows(
                named=True):
            rows += [headline("revisions.top100_total", f"Top 100 total {r['year']}, "
                              f"{edition_name(src)}", r[col], "US$ bn, current prices",
                              edition=src, year=r["year"])
                     for src, col in zip(TOP100, ("total_usd_bn_older", "total_usd_bn_newer"),
                                         strict=True)]
            rows.append(headline("revisions.top100_total_revision", f"Revision of the Top 100 "
                                 f"total {r['year']}", r["revision_pct"], "%", decimals=2,
                                 year=r["year"]))
        return rows


def with_published_totals(totals: pl.DataFrame, published: pl.DataFrame) -> pl.DataFrame:
    """Add SIPRI's published total for each year where it covers that year's own list of
    companies (the file gives the last years' totals for a later list)."""
    own = (published.filter(pl.col("company_set_year") == pl.col("year"))
           .select("year", pl.col("arms_revenue_usd_bn_current").alias("published_total_usd_bn")))
    return totals.join(own, on="year", how="left").with_columns(
        (pl.col("published_total_usd_bn") - pl.col("total_usd_bn_older"))
        .alias("published_gap_usd_bn"))


def run(params: Params | None = None, processed_dir=None) -> Result:
    p = params or Params()
    p.check_data(processed_dir)
    older, newer = (data.table(t, processed_dir) for t in MILEX)
    membership = data.table("nato_membership", processed_dir)
    end = last_common_year(older, newer)
    shares = revisions.share_revisions(older, newer, membership, range(p.start_year, end + 1))
    top_old, top_new = (data.table(t, processed_dir) for t in TOP100)
    top_year = p.top100_year or max(common_years(top_old, top_new))
    ranks = industry.compare_ranks(top_old.filter(pl.col("year") == top_year),
                                   top_new.filter(pl.col("year") == top_year))
    result = Result(
        params=p, years=(p.start_year, end), shares=shares,
        largest=revisions.largest_revisions(shares, N_LARGEST),
        counts=revisions.threshold_counts(shares, p.threshold_pct),
        per_year=revisions.revision_summary(shares),
        totals=with_published_totals(industry.compare_totals(top_old, top_new),
                                     data.table(TOP100_TOTALS, processed_dir)),
        ranks=ranks, top100_year=top_year,
        text={})
    return Result(**{**result.__dict__, "text": sentences(result)})


def gap_words(gap: float | None) -> str:
    """'' when two totals agree to the cent of a billion, else how far apart they are."""
    return "" if gap is None or gap < 0.005 else f" to within US$ {gap:.2f} bn"


def sentences(r: Result) -> dict[str, str]:
    old, new = (edition_name(s) for s in MILEX)
    t_old, t_new = (edition_name(s) for s in TOP100)
    y0, y1 = r.years
    p = r.params
    top = r.largest.row(0, named=True)
    revised = r.per_year.select(pl.col("n_revised").sum()).item()
    figures = r.per_year.select(pl.col("n_figures").sum()).item()
    last = r.counts.filter(pl.col("year") == y1).row(0, named=True)
    moved = [f"{', '.join(last['crossed_down'])} fell below" if last["crossed_down"] else "",
             f"{', '.join(last['crossed_up'])} rose above" if last["crossed_up"] else ""]
    moved = [m for m in moved if m]
    crossings = r.counts.filter((pl.col("crossed_up").list.len() > 0)
                                | (pl.col("crossed_down").list.len() > 0))["year"].to_list()
    shares = (
        f"Between SIPRI's {old} and {new}, {revised} of the {figures} Ally-year figures of "
        f"military spending as a share of GDP for {y0}–{y1} changed by 0.005 points or more. "
        f"The largest revision is {top['country']}'s {top['year']} share: "
        f"{top['share_older']:.2f} % in the older release, {top['share_newer']:.2f} % in the "
        f"newer ({top['revision_pp']:+.2f} points). Revisions are largest for the latest years, "
        "which the older release gave from first estimates.")
    count = (
        f"The count of Allies at or above {p.threshold_pct:g} % of GDP in {y1} is "
        f"{last['n_at_older']} in the {old} and {last['n_at_newer']} in the {new}"
        + (f": {'; '.join(moved)} the line" if moved else ", the same Allies")
        + ". " + (f"Revisions moved an Ally across the line in {join_words(map(str, crossings))}."
                  if crossings else "No revision moved an Ally across the line in any year.")
        + " A headline count of Allies at a threshold is only as firm as the release it comes "
          "from.")
    latest = r.totals.filter(pl.col("year") == r.totals["year"].max()).row(0, named=True)
    changed = r.ranks.filter(pl.col("status") != industry.IN_BOTH)
    revised_cos = r.ranks.filter(pl.col("revision_usd_m").abs() > 0)
    biggest = revised_cos.sort(pl.col("revision_usd_m").abs(), descending=True).head(1)
    top100 = (
        f"SIPRI's Top 100 for {latest['year']} totals US$ {fmt(latest['total_usd_bn_older'])} bn "
        f"in the {t_old} and US$ {fmt(latest['total_usd_bn_newer'])} bn in the {t_new} "
        f"({latest['revision_pct']:+.2f} %); {latest['n_companies_in_both']} companies are "
        f"listed in both. SIPRI's own totals file for the older edition matches the sum of its "
        f"100 rows{gap_words(r.totals['published_gap_usd_bn'].abs().max())} in every year it "
        f"gives for that year's list of companies. For {r.top100_year}, "
        f"{plural(revised_cos.height, 'company', 'companies')} listed in both had "
        f"{'its' if revised_cos.height == 1 else 'their'} arms revenue revised and "
        f"{plural(changed.height, 'company', 'companies')} "
        f"{'appears' if changed.height == 1 else 'appear'} in only one edition"
        + (f"; the largest revision is {biggest['company'].item()}'s, "
           f"{'up' if biggest['revision_usd_m'].item() > 0 else 'down'} US$ "
           f"{abs(biggest['revision_usd_m'].item()):,.0f} m" if biggest.height else "")
        + ".")
    summary = (
        f"**Revisions.** SIPRI's {new} changed the Allies' shares of GDP for {y0}–{y1} by up to "
        f"{abs(top['revision_pp']):.2f} points ({top['country']}, {top['year']}); Allies at "
        f"{p.threshold_pct:g} % in {y1}: {last['n_at_older']} in the {old}, "
        f"{last['n_at_newer']} in the {new}. The Top 100 total for {latest['year']} moved "
        f"{latest['revision_pct']:+.2f} % between SIPRI's {t_old} and {t_new}.")
    return {"shares": shares, "count": count, "top100": top100, "summary": summary}
