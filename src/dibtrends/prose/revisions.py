"""The words of chapter 6 (revisions between editions): sentences, tables and headline labels, put
together from what :mod:`dibtrends.chapters.revisions` computed."""

from __future__ import annotations

import re

import polars as pl

from .. import sources
from ..results import Headline, Table, headline
from ..revisions import IN_BOTH
from . import fmt, join_words, paragraph, plural, signed, table

MONTH_YEAR = re.compile(r"^(January|February|March|April|May|June|July|August|September|"
                        r"October|November|December) \d{4}$")
#: The ranks table shows the companies ranked this high in either edition.
N_RANKS = 15


def edition_name(source_id: str) -> str:
    """How a table header names an edition: 'April 2026 release', from the registry's edition
    ('release v1.2 (April 2026)' or 'December 2024 release (data to 2023)')."""
    head, _, rest = sources.get(source_id).edition.partition(" (")
    when = rest.rstrip(")")
    return f"{when} release" if MONTH_YEAR.match(when) else head


def short_name(source_id: str) -> str:
    """An edition as a narrow column header names it: 'Dec. 2024 release' (the caption names
    it in full)."""
    name = edition_name(source_id)
    month, _, rest = name.partition(" ")
    short = len(month) > 4 and MONTH_YEAR.match(name.removesuffix(" release"))
    return f"{month[:3]}. {rest}" if short else name


def names(r) -> tuple[tuple[str, str], tuple[str, str]]:
    """The SIPRI releases and the Top 100 editions compared, older first, in words."""
    return tuple(tuple(map(edition_name, ids)) for ids in r.editions)


def sentences(r) -> dict[str, str]:
    """The chapter's number-bearing prose, and its line for the summary."""
    (old, new), (t_old, t_new) = names(r)
    (y0, y1), t = r.years, r.params.threshold_pct
    top = r.largest.row(0, named=True)
    last = r.counts.filter(pl.col("year") == y1).row(0, named=True)
    moved = [f"{join_words(last[k])} {verb}" for k, verb in (("crossed_down", "fell below"),
                                                             ("crossed_up", "rose above"))
             if last[k]]
    crossings = r.counts.filter((pl.col("crossed_up").list.len() > 0)
                                | (pl.col("crossed_down").list.len() > 0))["year"].to_list()
    latest = r.totals.filter(pl.col("year") == r.totals["year"].max()).row(0, named=True)
    gap = r.totals["published_gap_usd_bn"].abs().max()
    changed = r.ranks.filter(pl.col("status") != IN_BOTH).height
    revised = r.ranks.filter(pl.col("revision_usd_m").abs() > 0)
    biggest = revised.sort(pl.col("revision_usd_m").abs(), descending=True).head(1).rows(
        named=True)
    # in US$ bn, the unit of the paragraph's totals (SIPRI's m / 1,000, to its US$ 10 m)
    biggest = "".join(f"""; the largest revision is {b['company']}'s, {'up' if b['revision_usd_m']
        > 0 else 'down'} US$ {abs(b['revision_usd_m']) / 1000:,.2f} bn""" for b in biggest)
    text = {
        "shares": f"""Between SIPRI's {old} and {new}, {r.per_year['n_revised'].sum()} of the
            {r.per_year['n_figures'].sum()} Ally-year figures of military spending as a share of
            GDP for {y0}–{y1} changed by 0.005 points or more. The largest revision is
            {top['country']}'s {top['year']} share: {top['share_older']:.2f} % in the older
            release, {top['share_newer']:.2f} % in the newer ({signed(top['revision_pp'], 2)}
            points).
            Revisions are largest for the latest years, which the older release gave from first
            estimates.""",
        "count": f"""The count of Allies at or above {t:g} % of GDP in {y1} is
            {last['n_at_older']} in the {old} and {last['n_at_newer']} in the
            {new}{f": {'; '.join(moved)} the line" if moved else ', the same Allies'}. """ + (
            f"Revisions moved an Ally across the line in {join_words(map(str, crossings))}."
            if crossings else "No revision moved an Ally across the line in any year.") + """ A
            headline count of Allies at a threshold is only as firm as the release it comes
            from.""",
        "top100": f"""SIPRI's Top 100 for {latest['year']} totals US$
            {fmt(latest['total_usd_bn_older'])} bn in the {t_old} and US$
            {fmt(latest['total_usd_bn_newer'])} bn in the {t_new}
            ({signed(latest['revision_pct'], 2)} %); {latest['n_companies_in_both']} companies
            are listed in both. SIPRI's own totals
            file for the older edition matches the sum of its 100
            rows{'' if gap is None or gap < 0.005 else f' to within US$ {gap:.2f} bn'} in every
            year it gives for that year's list of companies. For {r.top100_year},
            {plural(revised.height, 'company')} listed in both had
            {'its' if revised.height == 1 else 'their'} arms revenue revised and
            {plural(changed, 'company')} {'appears' if changed == 1 else 'appear'}
            in only one edition{biggest}.""",
        "summary": f"""**Revisions.** SIPRI's {new} changed the Allies' shares of GDP for
            {y0}–{y1} by up to {abs(top['revision_pp']):.2f} points ({top['country']},
            {top['year']}); Allies at {t:g} % in {y1}: {last['n_at_older']} in the {old},
            {last['n_at_newer']} in the {new}. The Top 100 total for {latest['year']} moved
            {signed(latest['revision_pct'], 2)} % between SIPRI's {t_old} and {t_new}.""",
    }
    return {key: paragraph(value) for key, value in text.items()}


def tables(r) -> dict[str, Table]:
    (old, new), (t_old, t_new) = names(r)
    (y0, y1), bn = r.years, "US$ bn"
    h_old, h_new = map(short_name, r.editions[1])
    totals = r.totals.select("year", "published_total_usd_bn", "total_usd_bn_older",
                             "total_usd_bn_newer", "revision_usd_bn", "revision_pct",
                             "n_companies_in_both")
    return {
        "per_year": table("06_sipri_revisions_by_year", r.per_year, f"""How much SIPRI revised
            the Allies' shares of GDP, {y0}–{y1}: {old} against {new} (percentage points)""",
            {"year": "Year", "n_figures": "Allies' figures",
             "n_revised": "Revised by 0.005 points or more",
             "mean_abs_revision_pp": "Mean revision, points (absolute)",
             "max_abs_revision_pp": "Largest revision, points (absolute)"},
            decimals={"mean_abs_revision_pp": 3, "max_abs_revision_pp": 2}),
        "largest": table("06_sipri_largest_revisions", r.largest, f"""The {len(r.largest)}
            largest revisions of an Ally's share of GDP ({old} against {new})""",
            {"country": "Ally", "year": "Year", "share_older": f"{old}, % of GDP",
             "share_newer": f"{new}, % of GDP", "revision_pp": "Revision, points"}, decimals=2),
        "counts": table("06_sipri_threshold_counts", r.counts.with_columns(
            pl.col("crossed_up", "crossed_down").list.join(", ").replace("", None)),
            f"""Allies at or above {r.params.threshold_pct:g} % of GDP in each SIPRI release, and
            the Allies a revision moved across the line""",
            {"year": "Year", "n_at_older": old, "n_at_newer": new,
             "crossed_up": "Moved above by the revision",
             "crossed_down": "Moved below by the revision"}),
        # SIPRI's published totals equal the older edition's sums (the text says so): the CSV
        # keeps them, the page does not repeat the column.
        "totals": table("06_top100_totals_by_edition", totals, f"""SIPRI Top 100: each year's
            total arms revenue in the {t_old} and the {t_new} (sum of the companies listed,
            US$ bn at current prices), and the revision""",
            {"year": "Year", "total_usd_bn_older": f"{h_old}, {bn}",
             "total_usd_bn_newer": f"{h_new}, {bn}", "revision_usd_bn": f"Revision, {bn}",
             "revision_pct": "Revision, %", "n_companies_in_both": "Companies in both"},
            decimals={"revision_pct": 2}, data=totals),
        "ranks": table("06_top100_ranks_by_edition", r.ranks.filter(
            (pl.col("rank_newer") <= N_RANKS) | (pl.col("rank_older") <= N_RANKS))
            .sort(pl.coalesce("rank_newer", "rank_older")), f"""The largest companies of
            {r.top100_year} in the {t_old} and the {t_new} of the Top 100: their rank in
            {r.top100_year} and their arms revenue that year (US$ m at current prices; – : not
            listed)""",
            {"company": "Company", "country": "Country",
             "rank_older": f"Rank {r.top100_year}, {h_old}",
             "rank_newer": f"Rank {r.top100_year}, {h_new}", "arms_usd_m_older": f"US$ m, {h_old}",
             "arms_usd_m_newer": f"US$ m, {h_new}", "revision_usd_m": "Revision, US$ m"},
            decimals=0),
    }


def headlines(r) -> list[Headline]:
    (milex, top100), (y0, y1), t = r.editions, r.years, float(r.params.threshold_pct)
    top = r.largest.row(0, named=True)
    last = r.counts.filter(pl.col("year") == y1).row(0, named=True)
    rows = [headline("revisions.largest_share_revision",
                     f"Largest revision of an Ally's share of GDP, {y0}–{y1}", top["revision_pp"],
                     "percentage points", decimals=2, note=f"{top['country']}, {top['year']}",
                     start_year=y0, end_year=y1)]
    rows += [headline("revisions.allies_at_threshold",
                      f"Allies at {t:g} % of GDP or more in {y1}, {edition_name(src)}", last[col],
                      "Allies", decimals=0, edition=src, year=y1, threshold_pct=t)
             for src, col in zip(milex, ("n_at_older", "n_at_newer"), strict=True)]
    for row in r.totals.filter(pl.col("year") == r.totals["year"].max()).iter_rows(named=True):
        year = row["year"]
        rows += [headline("revisions.top100_total", f"Top 100 total {year}, {edition_name(src)}",
                          row[col], "US$ bn, current prices", edition=src, year=year)
                 for src, col in zip(top100, ("total_usd_bn_older", "total_usd_bn_newer"),
                                     strict=True)]
        rows.append(headline("revisions.top100_total_revision",
                             f"Revision of the Top 100 total {year}", row["revision_pct"], "%",
                             decimals=2, year=year))
    return rows
