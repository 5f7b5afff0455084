"""Write notebooks/05_critical_minerals.ipynb (no outputs, kernel python3). Run from anywhere."""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = [
    new_markdown_cell(
        "# Critical minerals: U.S. import reliance for NATO's defence-critical raw materials\n\n"
        "NATO's list of 12 defence-critical raw materials (December 2024) and its June 2025 "
        "project to stockpile lithium, titanium and rare earths rest on a claim: Allies depend "
        "on imports for these materials, often from China. This notebook tests that claim where "
        "official, machine-readable data exist, for one Ally: how much of each material did the "
        "United States import, net, in 2023 (USGS Mineral Commodity Summaries 2024), and was "
        "China its first-ranked import source?"),
    new_code_cell(
        'minerals = "nato_defence_critical"  # "nato_defence_critical": NATO\'s 12 (Dec 2024); '
        '"brief_three": lithium, titanium, rare earths\n'
        "min_reliance_pct = 50  # threshold for 'import-reliant', % of U.S. apparent consumption\n"
        'output_dir = "../reports/generated"  # headline and chart-data CSVs go here\n'
        "processed_dir = None  # None: data/processed",
        metadata={"tags": ["parameters"]}),
    new_code_cell(
        "from dibtrends import data, minerals as mn, params, report\n"
        "from dibtrends.charts import minerals as mineral_charts, show\n\n"
        "params.check_choice('minerals', minerals, list(mn.SELECTIONS))\n"
        "params.check_number('min_reliance_pct', min_reliance_pct, 0, 100)\n"
        "report.set_output_dir(output_dir)"),
    new_markdown_cell(
        "## The minerals and how they are matched to USGS names\n\n"
        "A curated, cited table (`data/curated/defence_critical_minerals.csv`) matches each "
        "material to the row of the USGS figure that measures it."),
    new_code_cell(
        "chosen = mn.defence_minerals(data.table('defence_critical_minerals', processed_dir), minerals)\n"
        "chosen.select('mineral', 'usgs_commodity', 'defence_use', 'match_note')"),
    new_markdown_cell("## U.S. net import reliance, with USGS's bounds kept"),
    new_code_cell(
        "reliance = mn.us_reliance(data.table('usgs_net_import_reliance', processed_dir), chosen)\n"
        "reliance.select('mineral', 'nir_display', 'nir_bound', 'net_import_reliance_pct')"),
    new_markdown_cell(
        "## Where China ranks among the import sources\n\n"
        "USGS lists each commodity's major import sources for 2019-2022 in descending order of "
        "import share but publishes no shares: rank is all that can be used."),
    new_code_cell(
        "china = mn.first_source_is_ally(\n"
        "    mn.china_share(data.table('usgs_import_sources', processed_dir), chosen),\n"
        "    data.table('nato_membership', processed_dir))\n"
        "china.select('mineral', 'top_source', 'china_rank', 'china_is_top', 'top_source_is_ally')"),
    new_code_cell(
        "table = mn.meets_threshold(mn.mineral_table(reliance, china), min_reliance_pct)\n"
        "counts = mn.summary_counts(table)\n"
        "backdrop = mn.all_commodities_summary(data.table('usgs_net_import_reliance', processed_dir),\n"
        "                                      data.table('usgs_import_sources', processed_dir),\n"
        "                                      min_reliance_pct)\n"
        "report.table_csv(table, '05_critical_minerals_table')\n"
        "counts"),
    new_code_cell(
        "#| label: fig-minerals-reliance\n"
        "#| fig-cap: \"U.S. net import reliance in 2023 for the selected defence-critical minerals, "
        "coloured by whether China was the first-ranked import source in 2019-2022 (USGS MCS 2024).\"\n"
        "show(mineral_charts.reliance_bars(\n"
        "         table, min_reliance_pct,\n"
        "         title='U.S. net import reliance, 2023',\n"
        "         subtitle=f\"{counts['n_meets_threshold'].item()} of {counts['n_minerals'].item()} \"\n"
        "                  f\"selected minerals at or above {min_reliance_pct:g} %; China first-ranked \"\n"
        "                  f\"source for {counts['n_china_top'].item()}\"),\n"
        "     name='05_minerals_reliance', caption='U.S. net import reliance by mineral, 2023')"),
    new_code_cell(
        "# NBVAL_CHECK_OUTPUT\n"
        "report.publish_headlines(mn.headlines(table, counts, backdrop, min_reliance_pct, minerals),\n"
        "                         '05_critical_minerals', output_dir)"),
    new_markdown_cell("## What the data say"),
    new_code_cell("report.say(mn.prose(table, counts, min_reliance_pct))"),
]

for i, cell in enumerate(cells):
    cell.id = f"nb05-{i:02d}"  # stable ids: regenerating gives the same file

nb = new_notebook(cells=cells, metadata={
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
})
nbformat.validate(nb)
nbformat.write(nb, Path(__file__).resolve().parents[1] / "notebooks" / "05_critical_minerals.ipynb")
