"""A corpus of broken files: every kind of error, in the first, a middle and the last row,
is rejected with the right code, row and column, and the database stays byte-for-byte the same."""

from __future__ import annotations

import pytest

from tests.databases import BACKENDS
from tests.ingest.conftest import snapshot, upload

HEADER = "indicator,area,period,value,numerator,denominator,status,note,ses"
GOOD = [  # data rows 2..10 of a good file (the small world of tests.factories)
    f"rate,A1,{year},50,{n},{2 * n},,," for year, n in zip(range(2016, 2022), range(20, 80, 10), strict=True)
] + ["count,A1,2016,12,,,,,", "count,A1,2017,13,,,,,", "count,A1,2018,14,,,,,"]

# kind: (bad row, code, column)
BROKEN = {
    "unknown indicator": ("reading,A1,2030,50,,,,,", "unknown_indicator", "indicator"),
    "unknown area": ("rate,ZZ9,2030,50,,,,,", "unknown_area", "area"),
    "unknown dimension value": ("rate,A1,2030,50,,,,,rich", "unknown_dimension_value", "ses"),
    "dimension not allowed": ("count,A1,2030,5,,,,,low", "dimension_not_allowed", "ses"),
    "period of another type": ("rate,A1,2030/31,50,,,,,", "invalid_period", "period"),
    "period not a period": ("rate,A1,soon,50,,,,,", "invalid_period", "period"),
    "value not a number": ("rate,A1,2030,fifty,,,,,", "not_a_number", "value"),
    "decimal comma in a comma file": ('rate,A1,2030,"50,5",,,,,', "not_a_number", "value"),
    "percent above 100": ("rate,A1,2030,140,,,,,", "value_out_of_range", "value"),
    "negative count": ("count,A1,2030,-3,,,,,", "value_out_of_range", "value"),
    "fractional count": ("count,A1,2030,2.5,,,,,", "not_an_integer", "value"),
    "value does not match the ratio": ("rate,A1,2030,50,10,40,,,", "inconsistent_ratio", "value"),
    "numerator without denominator": ("rate,A1,2030,50,10,,,,", "incomplete_ratio", "denominator"),
    "zero denominator": ("rate,A1,2030,,0,0,,,", "invalid_denominator", "denominator"),
    "numerator for a count": ("count,A1,2030,5,5,,,,", "ratio_not_allowed", "numerator"),
    "denominator for a count": ("count,A1,2030,5,,10,,,", "ratio_not_allowed", "denominator"),
    "unknown status": ("rate,A1,2030,50,,,final,,", "invalid_status", "status"),
    "too many columns": ("rate,A1,2030,50,,,,,,extra", "too_many_columns", "*"),
    "too few columns": ("rate,A1,2030,50", "missing_columns", "*"),
}
POSITIONS = {"first": 0, "middle": 4, "last": len(GOOD)}
# Where an error sits is the parser's business, the same on either database; that a rejected file writes
# nothing is the database's: on PostgreSQL each kind of error is tried last in the file, after every good row.
PLACES = [(where, backend) for where in POSITIONS for backend in BACKENDS if backend == "sqlite" or where == "last"]


def _file(bad: str, position: int) -> tuple[str, int]:
    rows = list(GOOD)
    rows.insert(position, bad)
    return "\n".join([HEADER, *rows]) + "\n", position + 2  # the header is row 1


@pytest.mark.parametrize(("where", "backend"), PLACES)
@pytest.mark.parametrize("kind", BROKEN)
def test_each_error_is_found_where_it_is_and_nothing_is_written(world, alice, db, kind, where):
    bad, code, column = BROKEN[kind]
    content, row = _file(bad, POSITIONS[where])
    before = snapshot(db)
    response = upload(world, alice, "broken.csv", content.encode())
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [(e["row"], e["code"]) for e in errors] == [(row, code)], errors
    if column != "*":
        assert errors[0]["column"] == column
    assert snapshot(db) == before


@pytest.mark.parametrize("where", POSITIONS)
def test_a_key_repeated_in_the_file_points_at_the_first(world, alice, db, where):
    rows = list(GOOD)
    position = max(1, POSITIONS[where])
    rows.insert(position, rows[position - 1])
    before = snapshot(db)
    response = upload(world, alice, "dup.csv", ("\n".join([HEADER, *rows]) + "\n").encode())
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["code"], error["row"]) == ("duplicate_key", position + 2)
    assert f"row {position + 1}" in error["message"]
    assert snapshot(db) == before


@pytest.mark.parametrize("where", POSITIONS)
def test_rows_outside_the_assignments_forbid_the_file(world, alice, db, where):
    content, row = _file("rate,B1,2030,50,,,,,", POSITIONS[where])  # Bob's area
    before = snapshot(db)
    response = upload(world, alice, "foreign.csv", content.encode())
    assert response.status_code == 403
    assert [(e["row"], e["code"]) for e in response.json()["errors"]] == [(row, "not_assigned")]
    assert snapshot(db) == before


def test_all_errors_come_at_once_and_the_list_is_capped_with_the_total(world, alice, db, settings):
    rows = [f"nope,A1,{1900 + n},1,,,,," for n in range(1500)]
    response = upload(world, alice, "many.csv", ("\n".join([HEADER, *rows]) + "\n").encode())
    body = response.json()
    assert response.status_code == 422
    assert body["error_count"] == 1500 and len(body["errors"]) == settings.max_error_count == 1000
    assert body["errors"][0]["row"] == 2 and body["errors"][-1]["row"] == 1001


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        (b"\xef\xbb\xbf  \r\n", "empty_file"),
        (HEADER.encode() + b"\n", "no_rows"),
        (b"indicator,area,period\nrate,A1,2024\n", "missing_column"),
        (b"indicator,area,period,value,colour\nrate,A1,2024,5,red\n", "unknown_column"),
        (b"indicator,area,period,value,value\nrate,A1,2024,5,5\n", "duplicate_column"),
        (b'indicator,area,period,value\n"rate,A1,2024,5\n', "unquoted_value"),
        (b"PK\x03\x04 not really a workbook", "unreadable_file"),
        (b"\r\x00\r\n", "unreadable_file"),  # found by schemathesis: a lone CR in the header line
    ],
)
def test_files_that_are_not_observations_are_rejected_clearly(world, alice, db, content, code):
    before = snapshot(db)
    response = upload(world, alice, "file.csv", content)
    assert response.status_code == 422, response.text
    assert code in {response.json()["code"], *(e["code"] for e in response.json()["errors"])}
    assert snapshot(db) == before


def test_blank_rows_of_a_filled_in_template_are_skipped(world, alice):
    content = HEADER + "\nrate,A1,2024,50,,,,,\nrate,A1,2025,,,,,,\ncount,A1,2025,,,,,,\n"
    body = upload(world, alice, "template.csv", content.encode()).json()
    assert (body["inserted"], body["skipped"]) == (1, 2)
