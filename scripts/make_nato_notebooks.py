"""Write notebooks 02 (equipment spending) and 04 (guidelines and the 2035 pledge).

The notebooks are generated so their structure stays the one docs/CONVENTIONS.md asks for:
question, parameters, validation, one function per cell, charts with Quarto labels, computed
prose, and a ``# NBVAL_CHECK_OUTPUT`` headline cell. Stored without outputs, kernel python3.
Run: ``.venv/bin/python scripts/make_nato_notebooks.py`` from the project root, then
``.venv/bin/python -m dibtrends.nbtools bless notebooks/02_equipment_spending.ipynb
notebooks/04_guidelines_and_pledge.ipynb`` to store the headline baseline nbval compares;
regenerating keeps an existing baseline for unchanged headline cells.
"""

from __future__ import annotations

from pathlib import Path

from dibtrends.nbtools import code_cell, markdown_cell, write_generated

ROOT = Path(__file__).resolve().parents[1]


md, code = markdown_cell, code_cell


NB02 = [
    md("""
# Equipment spending by NATO Allies, 2014–2024

**Claim tested:** "Allies spent more than twice as much on defence equipment in 2024 than they
did in 2014." Equipment here is NATO's category *major equipment, including related research and
development* (Table 8a of NATO's June 2024 tables), applied to each Ally's defence expenditure
(Table 2). Does the claim hold in current US dollars, in constant 2015 US dollars, and for the
same set of Allies in both years? And how many Allies meet the guideline of spending at least
20 % of their defence budget on major equipment?
"""),
    code("""
price_basis = "constant2015"  # "current" or "constant2015": price basis of the Ally-by-Ally chart
base_year = 2014  # first year compared (NATO tables cover 2014-2024)
end_year = 2024  # last year compared (2023 and 2024 are NATO estimates)
guideline_pct = 20  # NATO equipment guideline, % of defence expenditure (Wales 2014)
output_dir = None  # where headline and chart-data CSVs go
processed_dir = None  # None: data/processed
""", tags=["parameters"]),
    code("""
from dibtrends import data, equipment, params, report
from dibtrends.charts import equipment as equipment_charts, show

params.check_choice("price_basis", price_basis, list(equipment.PRICE_BASES))
params.check_number("guideline_pct", guideline_pct, 0, 100)
nato = data.table("nato_defexp", processed_dir)
membership = data.table("nato_membership", processed_dir)
base_year, end_year = params.check_year_range(base_year, end_year, nato["year"].to_list(),
                                              names=("base_year", "end_year"))
_ = report.set_output_dir(output_dir)
"""),
    md("""
## The Alliance total on both price bases

The table compares the two years on each price basis, for every Ally counted in each year and
for the Allies counted in both; @fig-equipment-totals shows the years in between.
"""),
    code("""
check = equipment.doubling_check(nato, membership, base_year, end_year)
report.show_table(
    check.select("price_basis_label", "equipment_usd_bn_base", "equipment_usd_bn_end", "ratio",
                 "claim_holds", "n_allies_fixed", "ratio_fixed_allies",
                 "claim_holds_fixed_allies"),
    "02_doubling_check", decimals={"equipment_usd_bn_base": 1, "equipment_usd_bn_end": 1,
                                   "ratio": 3, "ratio_fixed_allies": 3},
    labels={"price_basis_label": "Price basis",
            "equipment_usd_bn_base": f"{base_year}, US$ bn",
            "equipment_usd_bn_end": f"{end_year}, US$ bn", "ratio": f"{end_year} ÷ {base_year}",
            "claim_holds": "More than doubled", "n_allies_fixed": "Allies in both years",
            "ratio_fixed_allies": f"{end_year} ÷ {base_year}, Allies in both years",
            "claim_holds_fixed_allies": "More than doubled, Allies in both years"},
    caption=f"Allies' spending on major equipment, {base_year} and {end_year} "
            f"(NATO, June 2024; {end_year} a NATO estimate)")
"""),
    code("""
#| label: fig-equipment-totals
ratios = dict(zip(check["price_basis"], check["ratio"]))
show(equipment_charts.equipment_totals(equipment.equipment_both_bases(nato, membership), ratios,
                                       base_year, end_year),
     name="equipment_totals", caption="Equipment spending, Alliance total, both price bases")
"""),
    md("""
## Ally by Ally

@fig-equipment-ratio sets each Ally's end-year equipment spending against its base-year
spending, on the price basis chosen in the parameters, with the two Alliance aggregates among
them.
"""),
    code("""
spending = equipment.equipment_spending(nato, membership, price_basis)
ratios_by_ally = equipment.growth_ratio(spending, base_year, end_year)
fixed = equipment.alliance_growth_same_allies(spending, base_year, end_year)
"""),
    code("""
#| label: fig-equipment-ratio
show(equipment_charts.ratio_bars(ratios_by_ally, fixed["ratio"].item()),
     name="equipment_ratio_by_ally", caption="Equipment spending ratio by Ally")
"""),
    md("""
## The 20 % equipment guideline

How many Allies spend at least the guideline share of their defence expenditure on major
equipment, year by year (table and @fig-equipment-guideline).
"""),
    code("""
guideline = equipment.meets_equipment_guideline(spending, guideline_pct)
report.show_table(
    guideline.select("year", "estimate", "n_allies", "n_meeting"), "02_guideline_counts",
    labels={"year": "Year", "estimate": "NATO estimate", "n_allies": "Allies counted",
            "n_meeting": f"Allies at {guideline_pct:g} % or more"},
    caption=f"Allies spending at least {guideline_pct:g} % of defence expenditure on major "
            "equipment (NATO, June 2024)")
"""),
    code("""
#| label: fig-equipment-guideline
show(equipment_charts.guideline_counts_chart(guideline, guideline_pct),
     name="equipment_guideline_counts", caption="Allies meeting the equipment guideline")
"""),
    md("## What the data say"),
    code("""
cur = check.filter(check["price_basis"] == "current").row(0, named=True)
con = check.filter(check["price_basis"] == "constant2015").row(0, named=True)
g0 = guideline.filter(guideline["year"] == base_year).row(0, named=True)
g1 = guideline.filter(guideline["year"] == end_year).row(0, named=True)
report.say(
    f"In current US dollars, Allies' equipment spending rose from US$ "
    f"{report.fmt(cur['equipment_usd_bn_base'])} bn in {base_year} to US$ "
    f"{report.fmt(cur['equipment_usd_bn_end'])} bn in {end_year} (a NATO estimate), "
    f"{cur['ratio']:.2f} times as much: the claim "
    f"{'holds' if cur['claim_holds'] else 'does not hold'} on this basis. "
    f"At constant 2015 prices and exchange rates the ratio is {con['ratio']:.2f}, so the claim "
    f"{'holds' if con['claim_holds'] else 'does not hold'} once inflation and exchange-rate "
    f"movements are removed. Even in current dollars the doubling depends on the Allies that "
    f"joined after {base_year}: the {cur['n_allies_fixed']} Allies counted in both years "
    f"reach {cur['ratio_fixed_allies']:.3f} times.")
report.say(
    f"{g0['n_meeting']} of {g0['n_allies']} Allies spent at least {guideline_pct:g} % of their "
    f"defence expenditure on major equipment in {base_year}; {g1['n_meeting']} of "
    f"{g1['n_allies']} are estimated to do so in {end_year}.")
"""),
    md("## Headline numbers"),
    code("""
# NBVAL_CHECK_OUTPUT
report.publish_headlines(report.headline_table(equipment.headlines(check, guideline)),
                         "02_equipment_spending", output_dir)
"""),
]

NB04 = [
    md("""
# NATO's guidelines and the 2035 pledge

**Questions:** In 2014, when Allies agreed at Wales to move towards spending 2 % of GDP on
defence and 20 % of defence spending on major equipment, NATO counted only three Allies at
2 % of GDP: which were they, and how many meet the guideline now? In June 2025 at The Hague,
Allies committed to 5 % of GDP by 2035, of which at least 3.5 % on core defence. How far is each Ally from 3.5 %, what real
growth of defence spending would close the gap by 2035, and how many Allies get there if their
2014–2024 trend simply continues? Source: NATO's June 2024 tables (2023 and 2024 estimates).
"""),
    code("""
target_share_pct = 3.5  # core-defence target, % of GDP (The Hague, June 2025)
target_year = 2035  # year by which the target is to be met
gdp_growth_pct = None  # real GDP growth assumed, %/yr; None: each Ally's own 2014-2024 average
trend_window_start = 2014  # first year of the OLS trend window (ends at the latest year)
output_dir = None  # where headline and chart-data CSVs go
processed_dir = None  # None: data/processed
""", tags=["parameters"]),
    code("""
import polars as pl

from dibtrends import countries, data, params, pledge, report
from dibtrends.charts import guidelines as guideline_charts, show

nato = data.table("nato_defexp", processed_dir)
membership = data.table("nato_membership", processed_dir)
first_year, latest_year = int(nato["year"].min()), int(nato["year"].max())
params.check_number("target_share_pct", target_share_pct, 0.5, 10)
params.check_number("target_year", target_year, latest_year + 1, 2050)
if gdp_growth_pct is not None:
    params.check_number("gdp_growth_pct", gdp_growth_pct, -5, 10)
params.check_number("trend_window_start", trend_window_start, first_year, latest_year - 2)
_ = report.set_output_dir(output_dir)
"""),
    md("""
## The 2 % and 20 % guidelines, year by year

The table counts the Allies meeting each guideline; @fig-guideline-gdp and
@fig-guideline-equipment show every Ally in every year.
"""),
    code("""
status = pledge.guideline_status(nato, membership)
counts = pledge.guideline_counts(status)
report.show_table(
    counts, "04_guideline_counts",
    labels={"year": "Year", "estimate": "NATO estimate", "n_allies_with_data": "Allies with data",
            "n_meeting_gdp": "At 2 % of GDP or more",
            "n_meeting_equipment": "At 20 % on equipment or more",
            "n_meeting_both": "Meeting both"},
    caption="Allies meeting NATO's 2 % and 20 % guidelines (NATO, June 2024; Iceland, which has "
            "no armed forces, not counted)")
"""),
    code("""
#| label: fig-guideline-gdp
show(guideline_charts.guideline_heatmap(status, "gdp"), name="guideline_2pct_heatmap",
     caption="The 2 % guideline, Ally by Ally")
"""),
    code("""
#| label: fig-guideline-equipment
show(guideline_charts.guideline_heatmap(status, "equipment"),
     name="guideline_20pct_heatmap", caption="The 20 % equipment guideline, Ally by Ally")
"""),
    md("""
## Distance to the core-defence target and the growth it takes

For each Ally the table gives the latest share of GDP, the gap to the target, the real growth of
defence spending that closes it by the target year (against the growth the Ally achieved over
the past decade), and where a straight-line trend fitted to the recent years would put it.
@fig-pledge-gap draws the distance and the trend, @fig-pledge-growth the growth.
"""),
    code("""
gap = pledge.pledge_gap(nato, membership, target_share_pct=target_share_pct,
                        target_year=target_year, gdp_growth_pct=gdp_growth_pct)
projection = pledge.trend_projection(nato, membership, window_start=trend_window_start,
                                     target_year=target_year)
reach = pledge.trend_reach_counts(projection, target_share_pct)
report.show_table(
    gap.join(projection.select("entity", "slope_pp_per_year", "projected_share_pct",
                               "pi_lower_pct", "pi_upper_pct"), on="entity")
    .sort("share_gdp_pct_latest", descending=True)
    .select(pl.col("entity").map_elements(countries.name_of, return_dtype=pl.String),
            "share_gdp_pct_latest", "gap_pp", "gdp_growth_pct_assumed",
            "required_real_growth_pct", "milex_real_growth_pct_past", "series_break",
            "slope_pp_per_year", "projected_share_pct", "pi_lower_pct", "pi_upper_pct"),
    "04_pledge_gap_and_trend",
    decimals={"share_gdp_pct_latest": 2, "gap_pp": 2, "slope_pp_per_year": 3,
              "projected_share_pct": 2, "pi_lower_pct": 2, "pi_upper_pct": 2},
    labels={"entity": "Ally", "share_gdp_pct_latest": f"{latest_year}, % of GDP",
            "gap_pp": f"Gap to {target_share_pct:g} %, points",
            "gdp_growth_pct_assumed": "Real GDP growth assumed, %/yr",
            "required_real_growth_pct": f"Real growth needed to {target_year}, %/yr",
            "milex_real_growth_pct_past": f"Real growth {first_year}–{latest_year}, %/yr",
            "series_break": "Break in GDP series",
            "slope_pp_per_year": "Trend, points a year",
            "projected_share_pct": f"{target_year} on trend, % of GDP",
            "pi_lower_pct": "95 % PI, low", "pi_upper_pct": "95 % PI, high"},
    caption=f"Distance to {target_share_pct:g} % of GDP by {target_year}, growth needed and "
            f"trend {trend_window_start}–{latest_year} (NATO, June 2024; shares at 2015 prices; "
            f"{latest_year} a NATO estimate; trend: OLS, 95 % prediction interval)")
"""),
    code("""
#| label: fig-pledge-gap
show(guideline_charts.gap_chart(gap, projection, target_share_pct, target_year),
     name="pledge_gap", caption="Distance to the core-defence target")
"""),
    code("""
#| label: fig-pledge-growth
show(guideline_charts.required_growth_chart(gap, target_share_pct, target_year),
     name="pledge_required_growth", caption="Required real growth of defence spending")
"""),
    md("## What the data say"),
    code("""
c0 = counts.filter(counts["year"] == first_year).row(0, named=True)
c1 = counts.filter(counts["year"] == latest_year).row(0, named=True)
names0 = pledge.allies_meeting(status, first_year, "gdp")
below = gap.filter(gap["gap_pp"] > 0)
faster = gap.filter(gap["required_real_growth_pct"] > gap["milex_real_growth_pct_past"])
report.say(
    f"In {first_year}, {c0['n_meeting_gdp']} of {c0['n_allies_with_data']} Allies spent at "
    f"least 2 % of GDP on defence ({', '.join(names0)}); in {latest_year} NATO estimates "
    f"{c1['n_meeting_gdp']} of {c1['n_allies_with_data']}. Iceland, which has no armed "
    f"forces, is not counted.")
above = sorted(gap.filter(gap["gap_pp"] <= 0)["entity"].to_list())
report.say(
    f"{len(above)} {'Ally' if len(above) == 1 else 'Allies'} "
    f"({', '.join(above) or 'none'}) already spent {target_share_pct:g} % of GDP or more in "
    f"{latest_year}. For the other {below.height}, the median gap is "
    f"{below['gap_pp'].median():.2f} percentage points; reaching {target_share_pct:g} % by "
    f"{target_year} takes a median real growth of defence spending of "
    f"{below['required_real_growth_pct'].median():.1f} % a year, faster than the Ally's own "
    f"{first_year}–{latest_year} rate for {faster.height} of {gap.height} Allies.")
report.say(
    f"On a straight-line trend fitted to {trend_window_start}–{latest_year} (OLS, one line per "
    f"Ally, 2023 and 2024 being NATO estimates), {reach['point']} of {reach['n_allies']} "
    f"Allies reach {target_share_pct:g} % by {target_year} ({', '.join(reach['allies_point'])}); "
    f"at the lower end of the 95 % prediction interval {reach['lower_pi']} do, at the upper "
    f"end {reach['upper_pi']}. A trend line describes the years it was fitted to; it is not a "
    f"forecast, and it ignores budgets already announced.")
"""),
    md("## Headline numbers"),
    code("""
# NBVAL_CHECK_OUTPUT
report.publish_headlines(
    report.headline_table(pledge.headlines(status, gap, projection, target_share_pct)),
    "04_guidelines_and_pledge", output_dir)
"""),
]


def main() -> None:
    for name, cells in (("02_equipment_spending", NB02), ("04_guidelines_and_pledge", NB04)):
        path = write_generated(cells, ROOT / "notebooks" / f"{name}.ipynb", name[:2])
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
