"""Tables and headlines as a reader sees them: numbers formatted, nothing truncated."""

import polars as pl

from dibtrends import report


def test_markdown_table_formats_each_column_as_asked():
    df = pl.DataFrame({"year": [2014, 2015], "share": [2.345, None], "p": [0.0004, 0.0312],
                       "stat": [66.0, 2.8248e-13], "ok": [True, False]})
    text = report.markdown_table(df, {"share": 2, "p": "p", "stat": ".3g"},
                                 labels={"share": "% of GDP"})
    lines = text.splitlines()
    assert lines[0] == "| year | % of GDP | p | stat | ok |"
    assert lines[2] == "| 2014 | 2.35 | < 0.001 | 66 | yes |"
    assert lines[3] == "| 2015 | – | 0.031 | 2.82e-13 | no |"


def test_year_headlines_show_years_without_separators():
    assert report.year_headline("k", "label", 2014)["display"] == "2014"
    row = report.years_headline("k", "label", "1974,2000")
    assert (row["value"], row["display"]) == (1974.0, "1974,2000")
    assert report.years_headline("k", "label", "")["display"] == "none"
