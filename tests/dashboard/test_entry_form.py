"""The data-entry form without a browser: numbers as typed per language, what is sent, errors back to cells."""

from __future__ import annotations

import re

import pytest

from api.errors import ErrorItem
from dashboard.pages.entry.form import (
    CellProblem,
    batch_of,
    changed_rows,
    locate,
    observation_of,
    parse_number,
    show_number,
)


@pytest.mark.parametrize(
    ("text", "language", "number"),
    [
        ("12,5", "nl", 12.5),
        ("12,5", "de", 12.5),
        ("1.234,5", "de", 1234.5),
        ("1.234", "nl", 1234.0),  # a Dutch thousands separator
        ("62.5", "nl", 62.5),  # a decimal point is still understood
        ("0.234", "de", 0.234),
        ("1 234,5", "nl", 1234.5),
        ("-3,2", "de", -3.2),
        ("12.5", "en", 12.5),
        ("1,234.5", "en", 1234.5),
        ("1,234", "en", 1234.0),
        ("62,5", "en", 62.5),
        ("1.234.567", "nl", 1234567.0),
    ],
)
def test_numbers_are_read_as_people_write_them_in_their_language(text, language, number):
    assert parse_number(text, language) == number


@pytest.mark.parametrize("text", ["abc", "12,,5", "1.2.3", "1,23,4.5", "1e5", "", "--1", "12%"])
def test_text_that_is_not_a_number_is_refused(text):
    with pytest.raises(ValueError, match=re.escape(text)):  # refused by the parser, naming the text
        parse_number(text, "nl")


def test_stored_numbers_are_shown_with_the_languages_decimal_mark():
    assert [show_number(t, "nl") for t in ("62.5", "6253", "x", None)] == ["62,5", "6253", "x", ""]
    assert show_number("62.5", "en") == "62.5"


def row(key: str = "rate|A1|2025|", **fields: str) -> dict[str, str]:
    indicator, area, period, breakdown = key.split("|")
    base = {"value": "", "numerator": "", "denominator": "", "status": "final", "note": ""}
    return {"id": key, "indicator": indicator, "area": area, "period": period, "breakdown": breakdown, **base, **fields}


def test_only_rows_that_differ_from_what_was_loaded_are_sent():
    loaded = [row("rate|A1|2025|", value="62,5"), row("rate|A1|2025|ses:low"), row("count|A1|2025|", value="12")]
    original = {r["id"]: dict(r) for r in loaded}
    edited = [
        row("rate|A1|2025|", value="62,50"),  # the same number, written differently: untouched
        row("rate|A1|2025|ses:low", value="40"),  # filled in
        row("count|A1|2025|", value="12", status="provisional"),  # flagged
    ]
    assert [r["id"] for r in changed_rows(edited, original, "nl")] == ["rate|A1|2025|ses:low", "count|A1|2025|"]
    assert changed_rows(loaded, original, "nl") == []
    emptied = [row("count|A1|2025|", value="")]
    assert [r["id"] for r in changed_rows(emptied, original, "nl")] == ["count|A1|2025|"]


def test_a_row_becomes_the_json_item_of_the_import():
    item, problems = observation_of(
        row("rate|A1|2025|ses:low", value="", numerator="1.250", denominator="2.000,0", status="provisional"), "de"
    )
    assert problems == []
    assert (item.numerator, item.denominator, item.value, item.breakdown) == (1250, 2000, None, {"ses": "low"})
    assert item.provisional and not item.estimated
    suppressed, _ = observation_of(row(value="<5", note="  small  "), "nl")
    assert suppressed.suppressed and suppressed.value is None and suppressed.note == "small"


def test_text_in_a_number_cell_is_a_problem_of_that_cell_and_the_row_is_not_sent():
    items, keys, problems = batch_of([row("rate|A1|2025|", value="veel"), row("count|A1|2025|", value="3")], "nl")
    assert keys == ["count|A1|2025|"] and len(items) == 1
    assert problems == [CellProblem("rate|A1|2025|", "value", "not_a_number", "'veel' is not a number")]
    _, bad_status = observation_of(row(status="maybe"), "en")
    assert [(p.column, p.code) for p in bad_status] == [("status", "invalid_status")]
    _, long_note = observation_of(row(value="1", note="x" * 1001), "en")
    assert [(p.column, p.code) for p in long_note] == [("note", "too_long")]


def test_the_pipelines_errors_come_back_to_their_row_and_column():
    keys = ["rate|A1|2025|", "count|A1|2025|"]
    errors = [
        ErrorItem(code="value_out_of_range", message="out", field="body.observations.0.value"),
        ErrorItem(code="incomplete_ratio", message="both", field="body.observations.0.denominator"),
        ErrorItem(code="invalid_status", message="flags", field="body.observations.1.provisional"),
        ErrorItem(code="not_assigned", message="not yours", field="body.observations.1.area"),
        ErrorItem(code="dimension_not_allowed", message="no ses", field="body.observations.1.breakdown.ses"),
        ErrorItem(code="busy", message="busy"),
    ]
    cells, general = locate(errors, keys)
    assert [(c.row, c.column, c.code) for c in cells] == [
        ("rate|A1|2025|", "value", "value_out_of_range"),
        ("rate|A1|2025|", "denominator", "incomplete_ratio"),
        ("count|A1|2025|", "status", "invalid_status"),
        ("count|A1|2025|", "indicator_name", "not_assigned"),
        ("count|A1|2025|", "indicator_name", "dimension_not_allowed"),
    ]
    assert [e.code for e in general] == ["busy"]
