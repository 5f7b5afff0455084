"""Write notebooks/05_critical_minerals.ipynb (no outputs, kernel python3).

Run from anywhere: `.venv/bin/python scripts/make_05_notebook.py`; edit the notebook here.
Then `.venv/bin/python -m dibtrends.nbtools bless notebooks/05_critical_minerals.ipynb`
stores the headline baseline nbval compares; regenerating keeps an existing baseline for an
unchanged headline cell.
"""
from pathlib import Path

from dibtrends.nbtools import Cells, write_generated

cells = Cells()
md, code = cells.md, cells.code


md("""
# Critical minerals: U.S. import reliance for NATO's defence-critical raw materials

NATO's list of 12 defence-critical raw materials (December 2024) and its June 2025 project to
stockpile lithium, titanium and rare earths rest on a claim: Allies depend on imports for these
materials, often from China. This notebook tests that claim where official, machine-readable
data exist, for one Ally: how much of each material did the United States import, net, in 2023
(USGS Mineral Commodity Summaries 2024), and was China its first-ranked import source?

**Scope: one Ally, not the Alliance.** These are U.S. figures. They can show whether the claim
holds for the United States, and whether the first-ranked source of U.S. imports was China,
another Ally or a third country. They cannot show how reliant any other Ally is, nor the Alliance
as a whole: Allies also trade with each other, so a U.S. import from Canada is not an import into
the Alliance. Nor can they show how much China supplies, only where it ranks.
""")
code('''
minerals = "nato_defence_critical"  # "nato_defence_critical": NATO's 12 (Dec 2024); "brief_three": lithium, titanium, rare earths
min_reliance_pct = 50  # threshold for 'import-reliant', % of U.S. apparent consumption
output_dir = None  # headline and chart-data CSVs go here
processed_dir = None  # None: data/processed
''', tags=["parameters"])
code('''
import polars as pl

from dibtrends import data, minerals as mn, params, report
from dibtrends.charts import minerals as mineral_charts, show

params.check_choice('minerals', minerals, list(mn.SELECTIONS))
params.check_number('min_reliance_pct', min_reliance_pct, 0, 100)
_ = report.set_output_dir(output_dir)
''')
md("""
## The minerals and how they are matched to USGS names

A curated, cited table (`data/curated/defence_critical_minerals.csv`) matches each material to
the row of the USGS figure that measures it.
""")
code('''
chosen = mn.defence_minerals(data.table('defence_critical_minerals', processed_dir), minerals)
report.show_table(
    chosen.select('mineral', 'usgs_commodity', 'defence_use', 'match_note'), '05_minerals_matched',
    labels={'mineral': 'Mineral', 'usgs_commodity': 'USGS row (MCS 2024, Fig. 2)',
            'defence_use': 'Defence use (cited)', 'match_note': 'How it is matched'},
    caption="The selected minerals and the USGS rows that measure them (– : none recorded)")
''')
md("""
## U.S. net import reliance, with USGS's bounds kept

Net import reliance is imports minus exports, adjusted for stock changes, as a share of apparent
consumption. Where USGS prints only a bound (">95"), the bound is kept, not turned into a number.
A bound at or above the threshold counts as meeting it; one that straddles it (">25" against 50 %)
cannot be placed, and the table shows "–".
""")
code('''
reliance = mn.us_reliance(data.table('usgs_net_import_reliance', processed_dir), chosen)
report.show_table(
    mn.meets_threshold(reliance, min_reliance_pct).select(
        'mineral', 'nir_display', pl.col('nir_bound').replace(
            {'eq': 'a figure', 'gt': 'a lower bound', 'lt': 'an upper bound',
             'not_listed': 'nothing (not in Fig. 2)'}),
        'meets_threshold'),
    '05_us_reliance',
    labels={'mineral': 'Mineral',
            'nir_display': 'U.S. net import reliance 2023, % of apparent consumption',
            'nir_bound': 'USGS prints',
            'meets_threshold': f'At least {min_reliance_pct:g} %'},
    caption="U.S. net import reliance in 2023 (USGS, Mineral Commodity Summaries 2024, Fig. 2)")
''')
md("""
## Where China ranks among the import sources

USGS lists each commodity's major import sources for 2019-2022 in descending order of import
share but publishes no shares: rank is all that can be used.
""")
code('''
china = mn.first_source_is_ally(
    mn.china_share(data.table('usgs_import_sources', processed_dir), chosen),
    data.table('nato_membership', processed_dir))
report.show_table(
    china.select('mineral', 'top_source', 'n_major_sources', 'china_rank', 'china_is_top',
                 'top_source_is_ally'),
    '05_import_sources',
    labels={'mineral': 'Mineral', 'top_source': 'First-ranked source 2019-2022',
            'n_major_sources': 'Major sources listed', 'china_rank': "China's rank",
            'china_is_top': 'China first', 'top_source_is_ally': 'First source a NATO Ally'},
    caption="U.S. import sources 2019-2022 as ranked by USGS (– : China not among the listed "
            "sources, or the mineral not in Fig. 2)")
''')
md("""
## Which minerals are import-reliant, and from whom

@fig-minerals-reliance puts the two together: each mineral's net import reliance against the
threshold set in the parameters, coloured by whether China was the first-ranked source.
""")
code('''
table = mn.meets_threshold(mn.mineral_table(reliance, china), min_reliance_pct)
counts = mn.summary_counts(table)
backdrop = mn.all_commodities_summary(data.table('usgs_net_import_reliance', processed_dir),
                                      data.table('usgs_import_sources', processed_dir),
                                      min_reliance_pct)
_ = report.table_csv(table, '05_critical_minerals_table')
''')
code('''
#| label: fig-minerals-reliance
show(mineral_charts.reliance_bars(
         table, min_reliance_pct,
         title='U.S. net import reliance, 2023',
         subtitle=["Claim tested: Allies depend on imports for defence-critical materials, "
                   "often from China.",
                   f"{counts['n_meets_threshold'].item()} of {counts['n_minerals'].item()} "
                   f"selected minerals at or above {min_reliance_pct:g} %; China first-ranked "
                   f"source for {counts['n_china_top'].item()}."]),
     name='05_minerals_reliance', caption='U.S. net import reliance by mineral, 2023')
''')
code('''
b, c = backdrop.row(0, named=True), counts.row(0, named=True)
share_all = 100 * b["n_meets_threshold"] / b["n_minerals"]
share_selected = 100 * c["n_meets_threshold"] / c["n_minerals"]
report.say(f"For comparison, across all {b['n_minerals']} commodities in the USGS figure U.S. net "
           f"import reliance was at least {min_reliance_pct:g} % for {b['n_meets_threshold']} "
           f"({share_all:.0f} %, against {share_selected:.0f} % of the selection), and China was "
           f"the first-ranked import source for {b['n_china_top']}.")
''')
md("## What the data say")
code('''
report.say(mn.prose(table, counts, min_reliance_pct))
''')
md("## Headline numbers")
code('''
# NBVAL_CHECK_OUTPUT
report.publish_headlines(mn.headlines(table, counts, backdrop, min_reliance_pct, minerals),
                         '05_critical_minerals', output_dir)
''')

path = Path(__file__).resolve().parents[1] / "notebooks" / "05_critical_minerals.ipynb"
write_generated(cells, path, "nb05")
print("written", len(cells), "cells")
