"""The one reader of the publishers' files, on small in-memory sheets: what a layout accepts,
and that every difference names the sheet, the cell, what was expected and what was found."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from dibtrends import validate
from dibtrends.errors import DataError
from dibtrends.load import csvfile, workbook

LAYOUT = workbook.Layout(
    name="test_2024", fix="fix the layout", where="tests", lines=(("title", "Table 1 : Money"),),
    search=4, years=(2022, 2024), suffix="e", suffixed=(2024,), suffix_means="2024 as estimate",
    labels={"block": -2, "label": -1}, sections=("Current", "Constant"), stop=r"note",
    stray=frozenset({"#REF!"}), missing=frozenset({"..."}), markers={"xxx": "absent"})


def sheet(*rows) -> workbook.Sheet:
    return workbook.Sheet(Path("book.xlsx"), "T1", [tuple(r) for r in rows])


def test_a_table_reads_long_with_sections_markers_and_flags():
    df = workbook.read(sheet(
        (None, "Table 1 : Money"), (), (None, None, None, 2022, 2023, "2024e"), (None, "Current"),
        (None, None, "Albania", 1.0, 2, "..."), (None, None, None, "#REF!", "#REF!", None),
        (None, "Constant"), (None, None, "Albania", 3.0, "xxx", 5.5), (None, None, "Notes: x", 9)),
        LAYOUT)
    got = df.select("row", "col", "label", "section", "year", "flag", "value", "marker").rows()
    assert got == [
        (5, 4, "Albania", "Current", 2022, False, 1.0, None),
        (5, 5, "Albania", "Current", 2023, False, 2.0, None),
        (5, 6, "Albania", "Current", 2024, True, None, None),
        (8, 4, "Albania", "Constant", 2022, False, 3.0, None),
        (8, 5, "Albania", "Constant", 2023, False, None, "absent"),
        (8, 6, "Albania", "Constant", 2024, True, 5.5, None)]


CUR, CON, ALB = (None, "Current"), (None, "Constant"), (None, None, "Albania", 1, 2, 3)


@pytest.mark.parametrize(("header", "body", "where", "words"), [
    ((2022, 2024, "2025e"), (CUR, ALB, CON), ("T1!E", 3), "missing [2023], unexpected [2025]"),
    ((2022, 2023, 2024), (CUR, ALB, CON), ("T1!F", 3), "reads '2024', but test_2024 marks"),
    ((2022, 2023, "2024e"), (CUR, (None, None, "Albania", 1, "n/a", 3), CON), ("T1!E", 5),
     "for Albania 2023: 'n/a'"),
    ((2022, 2023, "2024e"), (CUR, (None, None, None, 1, 2, 3), CON), ("T1!C", 5),
     "holds numbers but no block or label"),
    ((2022, 2023, "2024e"), (CON, ALB), ("T1!B", 4), "heading reads 'Constant', expected"),
    ((2022, 2023, "2024e"), (CUR, ALB), ("T1!B", 3), "found headings ['Current'], expected"),
])
def test_each_difference_names_its_cell(header, body, where, words):
    with pytest.raises(DataError) as info:
        workbook.read(sheet((None, "Table 1 : Money"), (), (None, None, None, *header), *body),
                      LAYOUT)
    assert (info.value.column, info.value.row) == where
    assert words in str(info.value) and "sheet 'T1'" in str(info.value) and info.value.fix


def test_a_changed_line_above_the_table_is_refused():
    with pytest.raises(DataError, match="the title reads 'Table 1 : Billions', expected") as info:
        workbook.read(sheet((None, "Table 1 : Billions"), (None, None, None, 2022, 2023)), LAYOUT)
    assert (info.value.column, info.value.row) == ("T1!B", 1)


def test_named_columns_are_found_by_heading_and_required_cells_checked():
    lay = workbook.Layout(name="t", fix="map the heading", header=1, refs="heading",
                          columns={"name": "Company", "arms": "Arms (Y)"},
                          optional={"note": "Notes"}, text=frozenset({"name", "note"}),
                          missing=frozenset({". ."}))
    df = workbook.read(sheet(("Arms  (y)", "company"), (10, "A"), (". .", "B")), lay)
    assert df.select("name", "note", "key", "value").rows() == [("A", None, "arms", 10.0),
                                                                ("B", None, "arms", None)]
    with pytest.raises(DataError) as info:
        workbook.read(sheet(("Arms (Y)", "Company"), (None, "B")),
                      replace(lay, required=frozenset({"arms"})))
    assert info.value.column == "Arms (Y)" and "cell A2" in str(info.value)
    with pytest.raises(DataError, match="expected a column headed 'arms \\(y\\)'"):
        workbook.read(sheet(("Arms", "Company"),), lay)


def test_csv_cells_are_typed_one_by_one_and_named_by_line_and_key(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("\ufeffname,n,day,citation\nA,1,2024-01-02,x\nB,two,2024-01-03,x\n")
    with pytest.raises(DataError) as info:
        csvfile.read(path, ["name", "n", "day"], where="tests", extra=("citation",),
                     types={"n": pl.Int64}, key=["name"])
    assert (info.value.column, info.value.row) == ("n", "3 (name=B)")
    with pytest.raises(DataError, match="unexpected column 'citation'"):
        csvfile.read(path, ["name", "n", "day"], where="tests")
    path.write_text("name,day,citation\nA,2024-01-02,x\nB,2024-01-03,\n")
    with pytest.raises(DataError) as info:
        csvfile.curated(path, Cited, key=["name"])
    assert (info.value.column, info.value.row) == ("citation", "3 (name=B)")
    path.write_text("name,day,citation\nA,2024-01-02,x\n")
    assert csvfile.curated(path, Cited)["day"].dtype == pl.Date


class Cited(validate.Model):
    """A curated table's schema: its columns and types are what the reader checks."""

    name: str
    day: pl.Date
    citation: str
