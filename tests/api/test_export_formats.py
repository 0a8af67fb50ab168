"""The writers of exports: formulas neutralised in text cells, numbers left numbers, in each format."""

from __future__ import annotations

import csv
import io

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from api.services.exports.formats import WITHHELD, Column, safe_text, write

COLUMNS = [Column("note"), Column("value", "number"), Column("count", "integer"), Column("flag", "boolean")]
ROWS = [
    ['=HYPERLINK("http://x")', -2.5, -3, True],
    ["-5 pupils", 1234567.25, 0, False],
    ["plain", WITHHELD, None, None],
]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_text_starting_like_a_formula_gets_an_apostrophe(start):
    assert safe_text(start + "1+1") == "'" + start + "1+1"


@pytest.mark.parametrize("text", ["", "plain", "a=b", "Mülheim an der Ruhr", "'already quoted", " =spaced"])
def test_other_texts_are_left_alone(text):
    assert safe_text(text) == text


def written(fmt: str, **kw: str) -> bytes:
    out = io.BytesIO()
    assert write(fmt, out, COLUMNS, iter(ROWS), **kw) == len(ROWS)
    return out.getvalue()


def test_csv_quotes_formulas_and_leaves_negative_numbers_bare():
    data = written("csv")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, so Excel reads accents
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[1] == '"\'=HYPERLINK(""http://x"")",-2.5,-3,true'
    assert lines[2] == "'-5 pupils,1234567.25,0,false"
    assert lines[3] == "plain,x,,"


def test_csv_with_semicolons_writes_decimal_commas():
    rows = list(csv.reader(io.StringIO(written("csv", delimiter=";").decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1:3] == ["-2,5", "-3"]
    assert rows[2][1] == "1234567,25"


def test_xlsx_has_text_cells_for_formulas_and_numeric_cells_for_numbers():
    sheet = load_workbook(io.BytesIO(written("xlsx"))).active
    note, value, count, flag = sheet[2]
    assert note.data_type == "s" and note.value == '\'=HYPERLINK("http://x")'
    assert value.data_type == "n" and value.value == -2.5
    assert count.data_type == "n" and count.value == -3
    assert flag.value is True
    assert sheet["A3"].value == "'-5 pupils"
    assert sheet["B4"].value == "x"


def test_xlsx_drops_control_characters_a_sheet_cannot_hold():
    out = io.BytesIO()
    write("xlsx", out, [Column("note")], [["bell\x07 and \x1b escape"]])
    assert load_workbook(out).active["A2"].value == "bell and  escape"


def test_parquet_keeps_types_and_texts_and_nulls_withheld_values():
    table = pq.read_table(io.BytesIO(written("parquet")))
    assert [str(t) for t in table.schema.types] == ["string", "double", "int64", "bool"]
    assert table.column("note").to_pylist()[0] == '=HYPERLINK("http://x")'  # not a spreadsheet: left as it is
    assert table.column("value").to_pylist() == [-2.5, 1234567.25, None]


def test_an_empty_export_still_has_its_columns():
    for fmt in ("csv", "xlsx", "parquet"):
        out = io.BytesIO()
        assert write(fmt, out, COLUMNS, []) == 0
    assert pq.read_table(io.BytesIO(out.getvalue())).column_names == [c.name for c in COLUMNS]
