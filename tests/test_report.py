"""Tables, claims and prose as a reader sees them: numbers formatted, nothing truncated, no
dollar sign read as maths, column widths that fit a printed page."""

import polars as pl

from dibtrends import prose
from dibtrends import report, results


def test_markdown_table_formats_each_column_as_asked():
    df = pl.DataFrame({"year": [2014, 2015], "share": [2.345, None], "p": [0.0004, 0.0312],
                       "stat": [66.0, 2.8248e-13], "ok": [True, False]})
    text = report.markdown_table(df, {"share": 2, "p": "p", "stat": ".3g"},
                                 labels={"share": "% of GDP"})
    lines = text.splitlines()
    assert lines[0] == "| year | %\u00a0of\u00a0GDP | p | stat | ok |"
    assert lines[2] == "| 2014 | 2.35 | < 0.001 | 66 | yes |"
    assert lines[3] == "| 2015 | – | 0.031 | 2.82e-13 | no |"


def test_column_widths_follow_the_content_so_print_never_wraps_letter_by_letter():
    df = pl.DataFrame({"n": [1, 2], "text": ["a long sentence that needs room " * 2, "short"]})
    widths = [len(part.strip(":")) for part in report.markdown_table(df).splitlines()[1]
              .strip("|").split("|")]
    assert widths[1] > 4 * widths[0]
    assert min(widths) >= 3


def test_dollar_signs_are_literal_text_not_maths():
    assert report.escape_markdown("US$ 220 bn and US$ 449 bn") == r"US\$ 220 bn and US\$ 449 bn"
    assert report.escape_markdown(r"already \$ escaped") == r"already \$ escaped"
    df = pl.DataFrame({"a": ["US$ 1 bn"]})
    assert r"US\$" + "\u00a01\u00a0bn" in report.markdown_table(df, labels={"a": "US$ bn"})
    assert r"| US\$" + "\u00a0bn |" in report.markdown_table(df, labels={"a": "US$ bn"})


def test_one_number_style_in_prose_and_tables_never_in_the_csv(tmp_path):
    """A true minus for a negative number, units kept on the number's line, thousands
    separated; the CSV download keeps the plain number."""
    nb = "\u00a0"
    assert prose.typeset("Spain (-0.31) and -0.4 points") == "Spain (−0.31) and −0.4 points"
    assert prose.typeset("US$10 million; US$ 1,474.4 bn; 3.5 % of GDP; US$ m") == (
        f"US${nb}10{nb}million; US${nb}1,474.4{nb}bn; 3.5{nb}%{nb}of{nb}GDP; US${nb}m")
    untouched = "1949-2025, 2024-06-17, COVID-19, AR(1)-type, a-1.csv, |---:|, - 3 Allies"
    assert prose.typeset(untouched) == untouched
    assert prose.typeset(prose.typeset("x -1 US$ 2 bn")) == prose.typeset("x -1 US$ 2 bn")
    df = pl.DataFrame({"d": [-0.31, 0.2], "n": [12_345, 2024], "s": ["-1.5 %", "x"]})
    lines = report.markdown_table(df, {"d": 2}).splitlines()
    assert lines[2] == f"| −0.31 | 12,345 | −1.5{nb}% |" and lines[3] == "| 0.20 | 2024 | x |"
    report.use_output_dir(tmp_path)
    assert report.table_csv(df, "t").read_text().splitlines()[1] == "-0.31,12345,-1.5 %"


def test_p_values_at_the_bootstrap_floor_are_bounds_not_values():
    assert prose.fmt_p(0.002, n_draws=499) == "< 0.002"
    assert prose.fmt_p(0.0315, n_draws=499) == "0.032"
    assert prose.fmt_p(0.0004) == "< 0.001"


def test_claim_markdown_carries_every_computed_part():
    claim = results.Claim("c", "Allies doubled it", "NATO Review 2025", "2.04×",
                          results.CONDITIONAL, "only in current prices")
    text = report.claim_markdown(claim)
    for part in ("Allies doubled it", "NATO Review 2025", "2.04×", results.CONDITIONAL,
                 "only in current prices"):
        assert part in text


def test_headline_table_shows_labels_never_keys():
    h = results.headline("equipment.ratio", "All Allies: 2024 ÷ 2014", 2.0356, "times",
                         decimals=2, basis="current")
    frame = report.headline_frame([h])
    assert frame.row(0) == ("All Allies: 2024 ÷ 2014", "2.04", "times", "")
    assert "equipment.ratio" not in str(frame.to_dicts())


def test_an_unknown_verdict_word_is_refused():
    import pytest

    with pytest.raises(ValueError, match="verdict"):
        results.Claim("c", "x", "y", "z", "Mostly true", "w")


def test_bootstrap_p_values_in_tables_are_bounds_at_the_floor():
    df = pl.DataFrame({"p": [0.002, 0.068]})
    lines = report.markdown_table(df, {"p": "p:499"}).splitlines()
    assert lines[2] == "| < 0.002 |" and lines[3] == "| 0.068 |"


def test_chart_data_is_the_plotted_series_not_a_layered_band():
    import altair as alt

    from dibtrends.charts import chart_data

    series = pl.DataFrame({"year": list(range(1949, 2026)), "share": [1.0] * 77})
    bands = pl.DataFrame({"start": [1949, 1991], "end": [1990, 2025]})
    chart = alt.layer(alt.Chart(bands).mark_rect().encode(x="start:Q", x2="end:Q"),
                      alt.Chart(series).mark_line().encode(x="year:Q", y="share:Q"))
    assert chart_data(chart).equals(series)


def test_narrow_columns_keep_their_longest_word_beside_long_text():
    """A wide table must not squeeze a year or '1 of 3' below its width (the PDF would stack
    it letter by letter): long text gives up room first."""
    heads = ["Allies counted", "Trend break", "Error models under which the break passes",
             "Notes"]
    rows = [["Allies counted from the year they joined", "1998", "1 of 3",
             "a long note that would take all the room it could get " * 2]] * 4
    widths = report.column_weights(heads, rows)
    assert widths[1] >= len("break") + 1 and widths[2] >= len("1 of 3") + 1
    assert widths[2] >= len("models") + 1
    assert sum(widths) <= report.LINE_BUDGET + 3 * len(widths)


def test_bold_marks_take_no_width():
    """A profile's guideline grid marks values in bold: the marks are not printed, so they must
    not widen the year columns and squeeze the row labels (issue 22)."""
    plain = report.column_weights(["", "2014"], [["Equipment, % of defence spending", "30.0"]])
    bold = report.column_weights(["", "2014"], [["Equipment, % of defence spending", "**30.0**"]])
    assert plain == bold


def test_numbers_shown_as_text_are_right_aligned():
    df = pl.DataFrame({"measure": ["a", "b"], "2014": ["**2.23**", "–"], "2015": ["1.88", "2.0"]})
    align = report.markdown_table(df).splitlines()[1].strip("|").split("|")
    assert not align[0].endswith(":") and align[1].endswith(":") and align[2].endswith(":")


def test_a_table_turned_on_its_side_reads_the_same_and_keeps_its_csv_rows():
    rows = pl.DataFrame({"group": ["NATO total", "United States"], "year": [1952, 1952],
                         "share": [12.084, -0.5], "cover": ["9 of 14", "1 of 1"]})
    table = results.Table("t", rows, "Peaks", {"year": "Peak year", "share": "Peak, % of GDP",
                                               "cover": "Allies in it"}, {"share": 2},
                          note="Shares of GDP.")
    side = report.transposed(table, ["group"])
    assert side.frame.to_dicts() == [
        {"figure": "Peak year", "row0": "1952", "row1": "1952"},
        {"figure": "Peak, % of GDP", "row0": "12.08", "row1": "-0.50"},
        {"figure": "Allies in it", "row0": "9 of 14", "row1": "1 of 1"}]
    assert dict(side.labels) == {"figure": "", "row0": "NATO total", "row1": "United States"}
    assert side.data is rows and side.note == "Shares of GDP." and side.name == "t"
    lines = report.markdown_table(side.frame, side.decimals, dict(side.labels)).splitlines()
    assert lines[3] == "| Peak, %\u00a0of\u00a0GDP | 12.08 | −0.50 |"
    assert lines[1].endswith(":|")  # counts such as "9 of 14" are numbers: right-aligned


def test_a_header_gets_room_for_three_lines_where_the_line_has_room():
    head = "Lowest real growth that keeps it at the target, % a year"
    widths = report.column_weights(["Ally", head], [["Poland", "2.1"]])
    assert widths[1] >= len(head) / 3
