"""Write notebooks/03_industry_consolidation.ipynb (no outputs, kernel python3).

Run from anywhere: `.venv/bin/python scripts/make_03_notebook.py`; edit the notebook here.
Then `.venv/bin/python -m dibtrends.nbtools bless notebooks/03_industry_consolidation.ipynb`
stores the headline baseline nbval compares; regenerating keeps an existing baseline for an
unchanged headline cell.
"""
from pathlib import Path

from dibtrends.nbtools import Cells, write_generated

cells = Cells()
md, code = cells.md, cells.code


md("""
# Defence-industry consolidation: from 51 primes to five, and who holds the Top 100

**Question.** How concentrated is the arms industry, and where are its largest companies
headquartered? Three claims are tested here:

1. The US Department of Defense (February 2022): "Since the 1990s, the defense sector has
   consolidated substantially, transitioning from 51 to 5 aerospace and defense prime
   contractors."
2. Concentration among the world's largest arms producers has kept rising since then.
3. "As of 2024, companies from NATO nations occupied seven spots out of the top 10."

Claim 1 is a count the DoD published; it is transcribed, with its citation, from the report. Claims
2 and 3 are checked against the SIPRI Top 100 arms-producing companies, 2002-2023 (December 2024
release). SIPRI adds Chinese companies from 2015 only, and its data end in 2023.
""")

code("""
start_year = 2002  # first year of the SIPRI Top 100 window (2002-2023)
end_year = None  # last year; None means the latest year in the data (2023)
top_k = 10  # size of the "top" group for CR_k and the NATO count (1-100)
exclude_china = False  # if True, drop Chinese firms (listed from 2015) before computing shares
output_dir = None  # where headline and chart-data CSVs are written
processed_dir = None  # processed Parquet tables (None: data/processed)
""", tags=["parameters"])

code("""
import polars as pl
from functools import partial

from dibtrends import data, industry, params, report
from dibtrends.charts import industry as charts, show
from dibtrends.errors import ParameterError

_ = report.set_output_dir(output_dir)
top100_all = data.table("sipri_top100", processed_dir)
start_year, end_year = params.check_year_range(start_year, end_year, top100_all["year"].to_list())
params.check_number("top_k", top_k, lo=1, hi=100)
if top_k != int(top_k):
    raise ParameterError(f"parameter top_k={top_k!r} must be a whole number from 1 to 100.")
top_k = int(top_k)
exclude_china = params.check_choice("exclude_china", exclude_china, [False, True])
""")

code("""
top100 = top100_all.filter(pl.col("year").is_between(start_year, end_year))
membership = data.table("nato_membership", processed_dir)
dod = data.table("dod_consolidation_2022", processed_dir)
mergers = data.table("merger_timeline", processed_dir)
series = industry.SERIES_EXCL_CHINA if exclude_china else industry.SERIES_PUBLISHED
# curated citations ("Outlet, title, URL; Outlet, URL") shown compactly as Markdown links
cited = (pl.col(r"^(citation|corroborated_by)$").str.split("; ").list.eval(
    pl.format("[{}]({})", pl.element().str.split(", ").list.first(),
              pl.element().str.extract(r"(https?://\\S+)"))).list.drop_nulls().list.join("; "))
""")

md("""
## Claim 1: the Department of Defense's count of prime contractors

The Department of Defense counts prime contractors and suppliers per weapon category; the
figures below are quoted from its 2022 report (page references could not be verified from the
PDF here; each row of the curated table names the outlets that quote the report).
@fig-dod-consolidation draws the counts and @fig-merger-timeline the mergers behind them.
""")

code("""
primes = dod.filter(pl.col("fact_id") == "primes").row(0, named=True)
report.show_table(
    dod.with_columns(cited).select("category", "count_before", "count_after", "quote",
                                   "corroborated_by"), "03_dod_counts",
    labels={"category": "Category", "count_before": primes["period_before"],
            "count_after": primes["period_after"], "quote": "The report's words",
            "corroborated_by": "Quoted by"},
    caption="US suppliers per category as counted by the DoD, "
            + dod.select(cited).item(0, "citation").replace(
                "U.S. Department of Defense", "'State of Competition within the Defense "
                "Industrial Base' (February 2022)")
            + "; transcribed, page not verified")
report.say(
    f"The DoD report counts **{primes['count_before']}** aerospace and defense prime contractors in "
    f"the {primes['period_before']} and **{primes['count_after']}** at the time of the report "
    f"({100 * (1 - primes['count_after'] / primes['count_before']):.0f} % fewer). In the other "
    f"categories transcribed here the number of suppliers fell too: "
    + "; ".join(f"{r['category']} {r['count_before']} to {r['count_after']}"
                for r in dod.filter(pl.col("fact_id") != "primes").iter_rows(named=True)) + "."
)
""")

code("""
#| label: fig-dod-consolidation
chart = charts.consolidation_chart(
    dod, title=f"{primes['count_before']} US aerospace and defense primes became {primes['count_after']}",
    subtitle="DoD (2022): 'Since the 1990s, the defense sector has consolidated substantially.'")
show(chart, name="industry_dod_consolidation",
     caption="DoD 2022 supplier counts, 1990s and 2022")
""")

code("""
#| label: fig-merger-timeline
chart = charts.merger_timeline_chart(
    mergers, title="The mergers behind today's primes",
    subtitle=("Mergers and acquisitions per company as dated in the curated timeline; the DoD's "
              "'51 to 5' describes the US side"))
show(chart, name="industry_merger_timeline", caption="Merger timeline of US and European primes")
""")

code("""
report.show_table(
    mergers.sort("region", "year", "company_after", descending=[True, False, False])
    .with_columns(cited).select("year", "region", "company_after", "event_type", "event",
                                "citation"),
    "03_merger_timeline",
    labels={"year": "Year", "region": "Region", "company_after": "Company after",
            "event_type": "Type", "event": "What happened", "citation": "Sources"},
    caption="The curated merger timeline behind @fig-merger-timeline (year of completion or of "
            "the named event); full citations in data/curated/merger_timeline.csv")
""")

md("""
## Claim 2: concentration within the SIPRI Top 100

CR5 and CR10 are the shares of the Top 100's combined arms revenue held by its five and ten
largest companies; the HHI is the sum of squared percentage shares (0-10,000 points). Both are
computed *within the Top 100*, not for an arms market as a whole. In @fig-concentration the
dashed lines remove Chinese companies before shares are computed, which makes 2015-2023
comparable with 2002-2014.
""")

code("""
measures = industry.headline_measures(top100, membership, k=top_k)
wide = (measures.pivot(on="measure", index=["year", "series"], values="value")
        .select("year", "series", *dict.fromkeys(["CR5", f"CR{top_k}"]), "HHI")
        .sort("year", "series"))
report.show_table(
    wide.filter(pl.col("year").is_in([start_year, 2014, 2015, end_year])),
    "03_concentration_selected_years", decimals={"HHI": 0},
    labels={"year": "Year", "series": "Series", "CR5": "CR5, % of Top-100 revenue",
            f"CR{top_k}": f"CR{top_k}, % of Top-100 revenue", "HHI": "HHI, points"},
    caption="Concentration within the SIPRI Top 100 in selected years (arms revenue, US$ at "
            "current prices; shares do not depend on the price basis)")
""")

code("""
m = partial(industry.value_at, measures, series=series)
last_pre = min(2014, end_year)
excl_from = max(industry.CHINA_FROM, start_year)
cr5_a, cr5_b = m("CR5", start_year), m("CR5", end_year)
report.say(
    f"In {start_year} the five largest companies held **{cr5_a:.1f} %** of Top-100 arms revenue; "
    f"in {end_year}, **{cr5_b:.1f} %** (series: {series}). CR{top_k} went from {m(f'CR{top_k}', start_year):.1f} % "
    f"to {m(f'CR{top_k}', end_year):.1f} % and the HHI from {m('HHI', start_year):,.0f} to "
    f"{m('HHI', end_year):,.0f} points."
    + (f" Within the comparable pre-break lists, CR5 fell from {cr5_a:.1f} % ({start_year}) to "
       f"{m('CR5', last_pre):.1f} % ({last_pre}): the rest of the Top 100 grew faster than its "
       f"leaders." if start_year < last_pre else "")
    + (f" Since {excl_from}, on the series without Chinese firms, CR5 moved from "
       f"{m('CR5', excl_from, series=industry.SERIES_EXCL_CHINA):.1f} % to "
       f"{m('CR5', end_year, series=industry.SERIES_EXCL_CHINA):.1f} %." if end_year > excl_from else "")
)
rising = cr5_b > cr5_a
waves = (mergers.filter((pl.col("event_type") == "merger") & (pl.col("year") < start_year))
         .group_by("region").agg(pl.col("year").min().alias("first"), pl.col("year").max().alias("last"))
         .sort("region", descending=True))
recent = (m("CR5", end_year, series=industry.SERIES_EXCL_CHINA)
          - m("CR5", excl_from, series=industry.SERIES_EXCL_CHINA) if end_year > excl_from else None)
report.say(
    f"**Verdict on claim 2:** {'supported' if rising else 'not supported'} for {start_year}-{end_year}: "
    f"CR5 {'rose' if rising else 'fell'} by {abs(cr5_b - cr5_a):.1f} percentage points. "
    + ("The mergers in the curated timeline that formed the primes came before the series starts ("
       + "; ".join(f"{r['region']} {r['first']}-{r['last']}" for r in waves.iter_rows(named=True))
       + "), so the SIPRI data cannot show that wave. " if waves.height else "")
    + (f"On the series without Chinese firms CR5 {'rose' if recent > 0 else 'fell'} by "
       f"{abs(recent):.1f} points from {excl_from} to {end_year}; the 2015 drop in the published "
       "series is the addition of Chinese firms, not a change in the industry." if recent is not None else "")
)
""")

code("""
#| label: fig-concentration
chart = charts.concentration_chart(
    measures, title=(f"The five largest arms companies' share {'rose' if rising else 'fell'} from "
                     f"{cr5_a:.0f} % to {cr5_b:.0f} %, {start_year}-{end_year}"),
    subtitle=f"Claim tested: concentration kept rising. Five largest firms' share: {cr5_a:.0f} % in "
             f"{start_year}, {cr5_b:.0f} % in {end_year} ({series}).")
show(chart, name="industry_concentration", caption="Concentration within the SIPRI Top 100",
     table=measures)
""")

md("""
## Where the Top 100 is headquartered

Regions follow SIPRI's country of ownership and control. European NATO includes Trans-European
companies (Airbus, MBDA, KNDS) and every European Ally from the year it joined; Other NATO is
Canada and Türkiye. Companies of European states that were not yet Allies (Sweden before 2024,
Finland before 2023) count in the rest of the world for those years. The table gives the first
and last year; @fig-regional-shares every year.
""")

code("""
regional = industry.regional_shares(top100, membership, exclude_china=exclude_china)
report.show_table(
    regional.filter(pl.col("year").is_in([start_year, end_year])).pivot(
        on="year", index="region", values="share_pct"),
    "03_regional_shares_first_last",
    labels={"region": "Headquarters region", str(start_year): f"{start_year}, %",
            str(end_year): f"{end_year}, %"},
    caption="Share of SIPRI Top-100 arms revenue by headquarters region (%)")
""")

code("""
#| label: fig-regional-shares
us = dict(regional.filter(pl.col("region") == "United States").select("year", "share_pct").iter_rows())
chart = charts.regional_shares_chart(
    regional, title=f"US companies earned {us[end_year]:.0f} % of the Top 100's arms revenue in {end_year}",
    subtitle=f"US share {us[start_year]:.0f} % in {start_year}, {us[end_year]:.0f} % in {end_year}; "
             "Chinese firms enter the list in 2015.")
show(chart, name="industry_regional_shares", caption="Top-100 arms revenue by region")
""")

md("""
## Claim 3: seven NATO companies in the top 10?

The table lists the largest companies in the last year analysed; @fig-top10-by-hq counts them
by headquarters in every year.
""")

code("""
top = industry.top_k_by_region(top100, membership, k=top_k, exclude_china=exclude_china)
nato = industry.top10_nato_count(top100, membership, k=top_k, exclude_china=exclude_china)
latest = nato.filter(pl.col("year") == end_year).row(0, named=True)
report.show_table(
    top.filter(pl.col("year") == end_year).select("position", "company", "hq_iso3", "region",
                                                  "nato", "share_pct"),
    "03_top_k_latest",
    labels={"position": "Rank", "company": "Company", "hq_iso3": "Headquarters (ISO code)",
            "region": "Region", "nato": "NATO", "share_pct": "Share of Top-100 revenue, %"},
    caption=f"The {top_k} largest arms companies in {end_year} (SIPRI Top 100, arms revenue)")
""")

code("""
data_end = top100_all["year"].max()
since = nato.filter(pl.col("year") >= industry.CHINA_FROM)
report.say(
    f"SIPRI's data end in **{data_end}**; the 2024 Top 100 is not in this edition, so the claim about "
    f"2024 cannot be checked directly. In {end_year}, **{latest['n_nato']} of the top {top_k}** were "
    f"headquartered in NATO countries ({', '.join(latest['nato_companies'])}); the others were "
    f"{', '.join(latest['other_companies']) or 'none'}."
    + (f" From {excl_from} to {end_year} the NATO count ranged from {since['n_nato'].min()} to "
       f"{since['n_nato'].max()}; it was 7 or more in "
       f"{', '.join(map(str, since.filter(pl.col('n_nato') >= 7)['year'].to_list())) or 'no year'}."
       if since.height else "")
)
verdict = ("consistent" if latest["n_nato"] == 7 else
           f"not matched by the latest year available: {latest['n_nato']} of {top_k} in {end_year}, not 7")
report.say(f"**Verdict on claim 3:** {verdict}. A 2024 figure of seven would mean one more NATO "
           "company entering the top 10 than in 2023; only SIPRI's 2024 release can confirm it.")
""")

code("""
#| label: fig-top10-by-hq
chart = charts.top10_by_hq_chart(
    top, title=f"NATO companies held {latest['n_nato']} of the top {top_k} in {end_year}",
    subtitle=f"Claim tested: 'seven of the top 10 in 2024'. SIPRI data end in {data_end}: "
             f"{latest['n_nato']} of {top_k} in {end_year}.")
show(chart, name="industry_top10_by_hq", caption="Top 10 arms companies by headquarters")
""")

md("## What the data say")

code("""
report.say(
    f"**Claim 1** rests on the Department of Defense's own count, {primes['count_before']} prime "
    f"contractors in the {primes['period_before']} and {primes['count_after']} in "
    f"{primes['period_after']}: it is transcribed with its citation, not recomputed. "
    f"**Claim 2** is {'supported' if rising else 'not supported'} within the SIPRI Top 100: the "
    f"five largest companies' share {'rose' if rising else 'fell'} from {cr5_a:.1f} % in "
    f"{start_year} to {cr5_b:.1f} % in {end_year} ({series}). "
    f"**Claim 3** cannot be checked for 2024, the year it names, because SIPRI's data end in "
    f"{data_end}; in {end_year}, {latest['n_nato']} of the top {top_k} were NATO companies. "
    f"US companies earned {us[end_year]:.0f} % of the Top 100's arms revenue in {end_year}, "
    f"against {us[start_year]:.0f} % in {start_year}."
)
""")

md("## Headline numbers")

code("""
# NBVAL_CHECK_OUTPUT
H = report.headline
rows = [
    H("industry_dod_primes_before", f"DoD: aerospace and defense primes, {primes['period_before']}",
      primes["count_before"], "companies", decimals=0, note="DoD OUSD(A&S), Feb 2022"),
    H("industry_dod_primes_after", f"DoD: aerospace and defense primes, {primes['period_after']}",
      primes["count_after"], "companies", decimals=0, note="DoD OUSD(A&S), Feb 2022"),
]
specs = {"CR5": ("% of Top-100 arms revenue", 1), f"CR{top_k}": ("% of Top-100 arms revenue", 1),
         "HHI": ("points (within Top 100)", 0)}  # a dict: CR5 once when top_k is 5
for measure, (unit, dec) in specs.items():
    key = measure.lower()
    rows += [H(f"industry_{key}_start", f"{measure} {start_year}", m(measure, start_year), unit,
               decimals=dec, note=series),
             H(f"industry_{key}_end", f"{measure} {end_year}", m(measure, end_year), unit,
               decimals=dec, note=series)]
    if start_year <= industry.CHINA_FROM <= end_year:
        rows += [H(f"industry_{key}_2015_published", f"{measure} 2015, published lists",
                   m(measure, 2015, series=industry.SERIES_PUBLISHED), unit, decimals=dec),
                 H(f"industry_{key}_2015_excl_china", f"{measure} 2015, without Chinese firms",
                   m(measure, 2015, series=industry.SERIES_EXCL_CHINA), unit, decimals=dec)]
rows += [
    H("industry_nato_in_top_k_end", f"NATO companies in the top {top_k}, {end_year}",
      latest["n_nato"], f"of {top_k}", decimals=0, note="; ".join(latest["nato_companies"])),
    H("industry_us_share_end", f"US share of Top-100 arms revenue, {end_year}", us[end_year],
      "% of Top-100 arms revenue", decimals=1, note=series),
    report.year_headline("industry_data_end_year", "Latest year in the SIPRI Top 100 edition",
                         data_end),
]
report.publish_headlines(report.headline_table(rows), "03_industry_consolidation", output_dir)
""")

path = Path(__file__).resolve().parents[1] / "notebooks" / "03_industry_consolidation.ipynb"
write_generated(cells, path, "nb03")
print("written", len(cells), "cells")
