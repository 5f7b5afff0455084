"""Write notebooks/01_long_run_spending.ipynb (no outputs, kernel python3).

Run from anywhere: `.venv/bin/python scripts/make_01_notebook.py`; edit the notebook here.
Then `.venv/bin/python -m dibtrends.nbtools bless notebooks/01_long_run_spending.ipynb`
stores the headline baseline nbval compares; regenerating keeps an existing baseline for an
unchanged headline cell.
"""
from pathlib import Path

from dibtrends.nbtools import Cells, write_generated

cells = Cells()
md, code = cells.md, cells.code

md("""
# Sixty years of progressive decline? NATO military spending as a share of GDP

**The claim tested:** NATO Allies' military spending, as a share of their economies, declined
progressively for sixty years, from the early Cold War until Russia's annexation of Crimea.

**How:** SIPRI's Military Expenditure Database (1949-2025, release v1.2) gives each Ally's spending
and its share of GDP. We aggregate them two ways: the *GDP-weighted* share (the alliance's total
spending over its total GDP, dominated by the United States) and the *simple mean* of Allies'
shares (the typical Ally). We count Allies either from the year they joined or as the fixed 16
Allies of 1982-1990, then estimate where the long-run trend breaks and test those breaks.
SIPRI's definition of military spending differs from NATO's (pensions, paramilitary forces);
the numbers here are SIPRI's throughout.
""")
code('''
start_year = 1949  # first year shown; SIPRI starts in 1949
end_year = None  # last year shown; None: the latest year in the data (2025 in SIPRI v1.2)
membership_rule = "accession"  # "accession" (from the year an Ally joined) or "cold_war_16"
groups = ["NATO total", "NATO Europe and Canada", "United States"]  # groups on the charts
trend_start_year = None  # None: first year in which every counted Ally has SIPRI data (1960)
n_boot = 499  # bootstrap draws per break test (seeded: results are reproducible)
output_dir = None  # where headline and chart-data CSVs go
processed_dir = None  # None: data/processed
''', tags=["parameters"])
code('''
import polars as pl

from dibtrends import data, membership as mb, params, report, spending
from dibtrends.charts import long_run, show

milex = data.table("sipri_milex_2025", processed_dir)
members = data.table("nato_membership", processed_dir)
params.check_choice("membership_rule", membership_rule, mb.RULES)
start_year, end_year = params.check_year_range(start_year, end_year, milex["year"].to_list())
for group in groups:
    params.check_choice("groups", group, spending.GROUPS)
params.check_number("n_boot", n_boot, 99, 9999)
if trend_start_year is not None:
    params.check_number("trend_start_year", trend_start_year, start_year, end_year - 20)
_ = report.set_output_dir(output_dir)
''')
md("## Who is counted, and where SIPRI's data are incomplete")
code("""
by_rule = spending.shares_by_rule(milex.filter(pl.col("year").is_between(start_year, end_year)),
                                  members, range(start_year, end_year + 1))
shares = by_rule[membership_rule]
nato_total = shares.filter(pl.col("group") == "NATO total")
gaps = spending.coverage_gaps(shares)
report.show_table(
    gaps.with_columns(pl.col("allies_without_data").str.replace_all(",", ", ")),
    "01_coverage_gaps", decimals=0,
    labels={"year": "Year", "n_allies": "Allies counted", "n_missing": "Allies without data",
            "allies_without_data": "Which (ISO 3166 codes)",
            "n_estimated": "Allies with SIPRI estimates"},
    caption="Years in which some Allies have no SIPRI share of GDP (NATO total)")
""")
code("""
trend_start = trend_start_year or spending.first_complete_year(shares)
report.say(f"Allies without a SIPRI figure are left out of that year's aggregate (table above). "
           f"From {trend_start} every counted Ally has data; trends are fitted from "
           f"then. Iceland, which has no armed forces, enters the simple mean with 0 % and "
           f"cannot enter the GDP-weighted share (its GDP is not recoverable from a zero share).")
""")
md("""
## The long run

@fig-long-run-weighted shows the alliance as one economy: total military spending over total
GDP, which the United States dominates. @fig-long-run-mean shows the typical Ally: the simple
mean of Allies' shares. Shaded bands mark the eras named in the table of eras below.
""")
code("""
#| label: fig-long-run-weighted
show(long_run.long_run_chart(shares, spending.eras(), "weighted", membership_rule, groups),
     name="long_run_weighted", caption="Military spending as a share of GDP, GDP-weighted")
""")
code("""
#| label: fig-long-run-mean
show(long_run.long_run_chart(shares, spending.eras(), "mean", membership_rule, groups),
     name="long_run_mean", caption="Military spending as a share of GDP, simple mean of Allies")
""")
md("## Peaks, troughs and eras")
code("""
peaks = spending.peaks_and_troughs(shares, groups)
report.show_table(
    peaks.with_columns(pl.col("measure").replace({"weighted": "GDP-weighted",
                                                  "mean": "simple mean"})),
    "01_peaks_and_troughs", decimals=2,
    labels={"group": "Group", "measure": "Measure", "peak_year": "Peak year",
            "peak_value": "Peak, % of GDP", "trough_year": "Low after peak, year",
            "trough_value": "Low, % of GDP", "fall_pp": "Fall, points",
            "latest_year": "Latest year", "latest_value": "Latest, % of GDP",
            "change_since_trough_pp": "Since low, points"},
    caption="Highest share, lowest share after it, and latest share (SIPRI, % of GDP)")
""")
code("""
report.show_table(
    spending.trend_by_era(nato_total, spending.eras()), "01_trend_by_era",
    decimals={"mean_pct": 2, "change_pp": 2, "slope_pp_per_year": 3},
    labels={"period": "Period", "start_year": "From", "end_year": "To", "n_years": "Years",
            "mean_pct": "Mean, % of GDP", "change_pp": "Change first to last year, points",
            "slope_pp_per_year": "Slope, points a year"},
    caption="NATO total, GDP-weighted share of GDP by period (slope: OLS, descriptive; "
            "none for periods under three years)")
""")
code("""
report.show_table(
    spending.eras().select("era", "start_year", "end_year", "note"), "01_eras",
    labels={"era": "Era", "start_year": "From", "end_year": "To", "note": "Dates"},
    caption="Eras shaded on the charts: the project's own periodisation, conventional dating")
""")
md("""
## Where does the trend break?

A continuous piecewise-linear trend is fitted to the NATO total from the first year of complete
data; the break years are chosen by least squares (each segment at least six years long) and
tested with Bai and Perron's double-maximum (UDmax) and sequential tests. Because the break years
were searched for and the residuals are strongly autocorrelated, p-values come from a sieve
bootstrap with AR(1) errors; slopes carry Newey-West (HAC) confidence intervals. The tables give
the search, the selected segments and the residual diagnostics; @fig-long-run-breaks draws the
fitted trend.
""")
code("""
fit = spending.segmented_trend(nato_total.filter(pl.col("year") >= trend_start), n_boot=n_boot)
report.show_table(
    fit.selection.with_columns(
        pl.col("break_years").replace("", "none").str.replace_all(",", ", ")),
    "01_break_selection",
    decimals={"ssr": 2, "bic": 1, "f_vs_no_break": 1, "sup_f_vs_one_fewer": 1,
              "p_value_bootstrap": "p"},
    labels={"n_breaks": "Breaks", "break_years": "Break years", "ssr": "Sum of squared residuals",
            "bic": "BIC", "f_vs_no_break": "F against no break",
            "sup_f_vs_one_fewer": "sup-F against one break fewer",
            "p_value_bootstrap": "p (bootstrap)", "selected": "Selected"},
    caption="How many breaks: least-squares fits with 0 to 3 breaks (NATO total, GDP-weighted)")
""")
code("""
report.show_table(
    fit.segments, "01_break_segments",
    decimals={"slope_pp_per_year": 3, "se_hac": 3, "ci95_low": 3, "ci95_high": 3,
              "p_value_hac": "p"},
    labels={"segment": "Segment", "start_year": "From", "end_year": "To",
            "slope_pp_per_year": "Slope, points a year", "se_hac": "HAC s.e.",
            "ci95_low": "95 % CI, low", "ci95_high": "95 % CI, high", "p_value_hac": "p (HAC)"},
    caption="Slope of each segment of the selected trend, with Newey-West (HAC) 95 % intervals")
""")
code("""
report.show_table(
    fit.diagnostics, "01_break_diagnostics", decimals={"value": ".3g"},
    labels={"name": "Diagnostic", "value": "Value", "note": "Meaning"},
    caption="Residual diagnostics and test settings of the segmented trend")
""")
code("""
#| label: fig-long-run-breaks
show(long_run.trend_fit_chart(fit.fitted, fit.breaks, "GDP-weighted"),
     name="long_run_breaks", caption="Segmented trend of NATO's GDP-weighted share of GDP")
""")
md("## Does the claim hold under each measure and membership rule?")
code("""
checks = spending.decline_checks(by_rule, start_year=trend_start_year, n_boot=n_boot)
report.show_table(
    checks.select(
        pl.col("rule").replace({"accession": "from accession", "cold_war_16": "Cold War 16"}),
        pl.col("measure").replace({"weighted": "GDP-weighted", "mean": "simple mean"}),
        "start_year", "low_year", "low_value",
        pl.format("{} of {}", "n_falls_to_low", "n_changes_to_low").alias("falls"),
        "largest_rise", pl.col("break_years").replace("", "none").str.replace_all(",", ", "),
        "p_udmax", "slope_last",
        "latest_value"),
    "01_decline_checks", decimals={"low_value": 2, "p_udmax": "p", "slope_last": 3,
                                   "latest_value": 2},
    labels={"rule": "Allies counted", "measure": "Measure", "start_year": "From",
            "low_year": "Lowest, year", "low_value": "Lowest, % of GDP",
            "falls": "Annual falls to the low", "largest_rise": "Largest rise on the way down",
            "break_years": "Trend break", "p_udmax": "p (UDmax)",
            "slope_last": "Slope since break, points a year", "latest_value": "Latest, % of GDP"},
    caption="The evidence for and against steady decline, per measure and membership rule "
            "(NATO total)")
""")
code("""
report.say(spending.decline_verdict(checks))
""")
md("## What the data say")
code("""
peak = peaks.filter(group="NATO total", measure="weighted").row(0, named=True)
mean = peaks.filter(group="NATO total", measure="mean").row(0, named=True)
main = checks.filter(rule=membership_rule, measure="weighted").row(0, named=True)
typical = checks.filter(rule=membership_rule, measure="mean").row(0, named=True)
at_peak = nato_total.filter(year=peak["peak_year"]).row(0, named=True)
us_2024 = milex.filter(iso3="USA", year=2024).row(0, named=True)["share_gdp_pct"]
panel_2014 = mb.membership_panel(members, [2014], membership_rule)
at_2pct = spending.allies_at_or_above(milex, panel_2014, 2014).filter(pl.col("meets_threshold"))
peak_era = spending.era_of(spending.eras(), peak["peak_year"]) or "outside the era bands"
report.say(
    f"On SIPRI's figures the NATO total peaked at {peak['peak_value']:.1f} % of GDP in "
    f"{peak['peak_year']} ({peak_era}) and fell to {peak['trough_value']:.2f} % in "
    f"{peak['trough_year']}, {peak['fall_pp']:.1f} points lower; in {peak['latest_year']} it was "
    f"{peak['latest_value']:.2f} %. The typical Ally's share bottomed out at "
    f"{mean['trough_value']:.2f} % in {mean['trough_year']} and reached "
    f"{mean['latest_value']:.2f} % in {mean['latest_year']}. The United States spent "
    f"{us_2024:.1f} % of GDP in 2024. In 2014, "
    f"{at_2pct.height} Allies ({', '.join(at_2pct['iso3'].to_list())}) spent 2 % of GDP or more "
    f"by SIPRI's definition; NATO's own figures use a different definition and are analysed in "
    f"the pledge chapter."
)
""")
md("## Headline numbers")
code("""
# NBVAL_CHECK_OUTPUT
note = f"SIPRI v1.2; membership rule {membership_rule}"
boot = (f"sieve bootstrap, {n_boot} draws, seed 1949; "
        f"smallest attainable p {1 / (n_boot + 1):.3f}")
table = report.headline_table([
    report.headline("nato_share_latest", f"NATO total, GDP-weighted, {peak['latest_year']}",
                    peak["latest_value"], "% of GDP", decimals=2, note=note),
    report.year_headline("nato_share_peak_year", "Year of the highest GDP-weighted share",
                         peak["peak_year"], note=peak_era),
    report.headline("nato_share_peak", "Highest GDP-weighted share", peak["peak_value"],
                    "% of GDP", decimals=2,
                    note=f"{note}; {at_peak['n_mean']} of {at_peak['n_allies']} Allies with data"),
    report.year_headline("nato_share_trough_year", "Year of the lowest share after the peak",
                         peak["trough_year"]),
    report.headline("nato_share_trough", "Lowest GDP-weighted share after the peak",
                    peak["trough_value"], "% of GDP", decimals=2, note=note),
    report.headline("nato_share_fall", "Fall from peak to trough", peak["fall_pp"],
                    "percentage points", decimals=2),
    report.year_headline("nato_mean_trough_year", "Year of the lowest simple-mean share",
                         mean["trough_year"]),
    report.headline("nato_mean_trough", "Lowest simple mean of Allies' shares",
                    mean["trough_value"], "% of GDP", decimals=2, note=note),
    report.years_headline("break_weighted",
                          f"Trend break, GDP-weighted, fit from {main['start_year']}",
                          main["break_years"]),
    report.headline("break_weighted_p", "UDmax p-value, GDP-weighted", main["p_udmax"],
                    "p-value", decimals=3, note=boot),
    report.years_headline("break_mean",
                          f"Trend break, simple mean, fit from {typical['start_year']}",
                          typical["break_years"]),
    report.headline("break_mean_p", "UDmax p-value, simple mean", typical["p_udmax"],
                    "p-value", decimals=3, note=boot),
    report.headline("us_share_2024", "United States, share of GDP, 2024", us_2024, "% of GDP",
                    decimals=2, note="SIPRI v1.2; US fiscal year"),
    report.headline("allies_2pct_2014_sipri", "Allies at 2 % of GDP or more in 2014 (SIPRI)",
                    at_2pct.height, "Allies", decimals=0,
                    note=", ".join(at_2pct["iso3"].to_list()) + "; SIPRI's definition"),
])
report.publish_headlines(table, "01_long_run_spending", output_dir)
""")

path = Path(__file__).resolve().parents[1] / "notebooks" / "01_long_run_spending.ipynb"
write_generated(cells, path, "c01")
print("written", len(cells), "cells")
