"""Files as spreadsheets save them (issue 15): Dutch and German Excel's CSV, with empty columns
at the end of every line, blank lines of any width and values padded with spaces, import as they
are; a value in a column without a name is an error at its row and column; rows keep the numbers
a spreadsheet shows, blank lines counted."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from tests.ingest.conftest import snapshot, upload

NOTE = "Überschrift – 5 €"  # cp1252 has these
# indicator, area, period, value, numerator, denominator, status, note, ses; two unnamed columns at the end
HEADER = "Indicator;Area;Period;Value;Numerator;Denominator;Status;Note;SES;;"
LINES = [
    HEADER,
    " rate ; A1 ; 2024 ; 62,5 ; 125 ; 200 ; provisional ;" + NOTE + "; ;;",  # row 2
    ";;;;;;;;;;",  # row 3: blank, the header's width
    "rate;A1;2023; 61,25 ;245;400;;;;;",  # row 4
    ";;;;",  # row 5: blank, narrower
    "",  # row 6: empty
    "count;  A1;2022 ; 1234 ;;; p ;;;;",  # row 7
    "rate; A1 ; 2024 ;50;40;80;;; Low ;;",  # row 8
    ";;;;;;;;;;;;;;",  # row 9: blank, wider
    ";;",  # row 10
]
EXPECTED = [
    ("count", "A1", "2022", (), 1234.0, None, None, True, None),
    ("rate", "A1", "2023", (), 61.25, 245.0, 400.0, False, None),
    ("rate", "A1", "2024", (), 62.5, 125.0, 200.0, True, NOTE),
    ("rate", "A1", "2024", (("ses", "low"),), 50.0, 40.0, 80.0, False, None),
]


def excel_csv(lines: list[str]) -> bytes:
    return "\r\n".join(lines).encode("cp1252") + b"\r\n"


def stored(client, headers):
    items = client.get("/api/v1/observations", params={"limit": 100}, headers=headers).json()["items"]
    return sorted(
        (
            i["indicator"],
            i["area"],
            i["period"],
            tuple(i["breakdown"].items()),
            i["value"],
            i["numerator"],
            i["denominator"],
            i["provisional"],
            i["note"],
        )
        for i in items
    )


def rejected(client, headers, db, name: str, content: bytes) -> list[tuple[int, str | None, str]]:
    """The errors of a file that must be refused, as (row, column, code); nothing may be written."""
    before = snapshot(db)
    response = upload(client, headers, name, content)
    assert response.status_code == 422, response.text
    assert snapshot(db) == before
    assert response.json()["error_count"] == len(response.json()["errors"])
    return [(e["row"], e["column"], e["code"]) for e in response.json()["errors"]]


def test_a_dutch_excel_export_imports_as_it_is(world, alice):
    response = upload(world, alice, "export.csv", excel_csv(LINES))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["rows"], body["inserted"], body["skipped"]) == (4, 4, 0)
    assert stored(world, alice) == EXPECTED
    again = upload(world, alice, "export.csv", excel_csv(LINES)).json()
    assert (again["inserted"], again["unchanged"]) == (0, 4)


def test_a_header_with_only_blank_lines_below_has_no_rows(world, alice, db):
    assert rejected(world, alice, db, "blank.csv", excel_csv([HEADER, ";;;;;;;;;;", ";;", ""])) == [
        (None, None, "no_rows")
    ]


def test_a_value_under_a_column_without_a_name_is_an_error_at_its_row_and_column(world, alice, db):
    lines = list(LINES)
    lines[7] = "rate; A1 ; 2024 ;50;40;80;;; Low ;;abc"  # row 8, column 11
    errors = rejected(world, alice, db, "stray.csv", excel_csv(lines))
    assert errors == [(8, "column 11", "value_in_unnamed_column")]
    message = upload(world, alice, "stray.csv", excel_csv(lines)).json()["errors"][0]["message"]
    assert message == "column 11 (K) has no name but row 8 has a value in it: 'abc'"


def test_a_column_without_a_name_may_stand_between_named_ones(world, alice, db):
    content = b"indicator,area,,period,value\nrate,A1,,2024,50\n,,,,\ncount,A1,x,2024,7\n"
    assert rejected(world, alice, db, "inner.csv", content) == [(4, "column 3", "value_in_unnamed_column")]
    response = upload(world, alice, "inner.csv", content.replace(b",x,", b", ,"))
    assert response.status_code == 200, response.text
    assert response.json()["inserted"] == 2


@pytest.mark.parametrize(
    ("line", "code"),
    [("rate;A1;2021;50;;", "missing_columns"), ("rate;A1;2021;50;;;;;;;;;;;x", "too_many_columns")],
)
def test_a_row_with_values_and_another_width_is_still_an_error_counted_past_blank_lines(world, alice, db, line, code):
    lines = list(LINES)
    lines.insert(9, line)  # row 10: after blank lines of every kind
    assert rejected(world, alice, db, "width.csv", excel_csv(lines)) == [(10, None, code)]


def test_row_numbers_count_blank_lines_and_a_note_over_several_lines_as_one_row(world, alice, db):
    lines = list(LINES)
    lines[1] = lines[1].replace(NOTE, '"first line\r\n\r\nthird line"')  # still row 2, as in a spreadsheet
    lines[7] = "rate; A1 ; 2024 ;fifty;;;;; Low ;;"  # row 8
    assert rejected(world, alice, db, "numbers.csv", excel_csv(lines)) == [(8, "value", "not_a_number")]


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(number, column, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SHEET: list[list[object]] = [
    ["indicator", "area", None, "period", "value", "numerator", "denominator", "status", "note", "ses", None, " "],
    [" rate ", " A1", None, 2024, 62.5, 125, 200, "provisional", NOTE, None],
    [],  # row 3: blank
    [None, None, None, "  ", None],  # row 4: blank but for spaces
    ["rate", "A1", None, " 2023 ", " 61,25 ", 245, 400],
    ["count", "A1 ", None, 2022, 1234, None, None, " p "],
    ["rate", "A1", None, 2024, 50, 40, 80, None, None, "low"],
]


def test_a_workbook_with_unnamed_columns_and_blank_rows_imports(world, alice):
    response = upload(world, alice, "export.xlsx", workbook(SHEET))
    assert response.status_code == 200, response.text
    assert (response.json()["inserted"], response.json()["skipped"]) == (4, 0)
    assert stored(world, alice) == EXPECTED


@pytest.mark.parametrize(("column", "name"), [(3, "column 3"), (13, "column 13")])
def test_a_value_in_an_unnamed_column_of_a_workbook_is_an_error(world, alice, db, column, name):
    rows = [list(row) for row in SHEET]
    rows[5] = rows[5] + [None] * (13 - len(rows[5]))
    rows[5][column - 1] = "abc"  # row 6
    assert rejected(world, alice, db, "stray.xlsx", workbook(rows)) == [(6, name, "value_in_unnamed_column")]
