"""The template lists what the caller must report, with what is already known, and imports back."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests.api.test_observations import put, value
from tests.ingest.conftest import upload


def rows_of(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_template_lists_assignments_times_breakdowns_for_the_year(world, alice):
    response = world.get("/api/v1/imports/template.csv", params={"year": 2025}, headers=alice)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = rows_of(response)
    keys = [(r["indicator"], r["area"], r["period"], r["ses"]) for r in rows]
    # rate: total + 3 SES groups; count and hidden: totals only; all for A1, Alice's area only.
    assert keys == [
        ("rate", "A1", "2025", ""),
        ("rate", "A1", "2025", "low"),
        ("rate", "A1", "2025", "middle"),
        ("rate", "A1", "2025", "high"),
        ("count", "A1", "2025", ""),
        ("hidden", "A1", "2025", ""),
    ]
    assert all(r["value"] == "" for r in rows)


def test_template_carries_current_and_previous_values(world, alice):
    put(
        world,
        alice,
        value("rate", "A1", "2024", value=60.0, numerator=120, denominator=200),
        value("rate", "A1", "2025", value=62.5, numerator=125, denominator=200, provisional=True),
    )
    rows = {
        (r["indicator"], r["ses"]): r
        for r in rows_of(world.get("/api/v1/imports/template.csv", params={"period": "2025"}, headers=alice))
    }
    total = rows[("rate", "")]
    assert (total["value"], total["numerator"], total["denominator"], total["status"]) == (
        "62.5",
        "125",
        "200",
        "provisional",
    )
    assert (total["previous_period"], total["previous_value"]) == ("2024", "60")


def test_an_untouched_template_imports_as_unchanged_and_a_filled_one_inserts(world, alice):
    put(world, alice, value("rate", "A1", "2025", value=62.5, numerator=125, denominator=200))
    template = world.get("/api/v1/imports/template.csv", params={"year": 2025}, headers=alice).content
    untouched = upload(world, alice, "template.csv", template).json()
    assert (untouched["unchanged"], untouched["inserted"], untouched["skipped"]) == (1, 0, 5)
    filled = template.decode("utf-8-sig").replace("count,A1,2025,,,", "count,A1,2025,,42,")
    body = upload(world, alice, "template.csv", filled.encode()).json()
    assert (body["inserted"], body["unchanged"]) == (1, 1), body


def test_semicolon_template_uses_decimal_commas_and_imports_back(world, alice):
    put(world, alice, value("rate", "A1", "2025", value=62.5, numerator=125, denominator=200))
    template = world.get("/api/v1/imports/template.csv", params={"year": 2025, "delimiter": ";"}, headers=alice)
    assert ";62,5;125;200;" in template.text
    assert upload(world, alice, "template.csv", template.content).json()["unchanged"] == 1


def test_xlsx_template_round_trips(world, alice):
    put(world, alice, value("count", "A1", "2025", value=12))
    response = world.get("/api/v1/imports/template.xlsx", params={"year": 2025}, headers=alice)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "observations"
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["indicator", "area", "period"]
    count_row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "count")
    assert count_row[header.index("value")] == 12
    assert upload(world, alice, "template.xlsx", response.content).json()["unchanged"] == 1


def test_template_for_a_period_leaves_out_indicators_of_other_types(world, alice):
    rows = rows_of(world.get("/api/v1/imports/template.csv", params={"period": "2025/26"}, headers=alice))
    assert rows == []  # the small world has yearly indicators only


def test_viewers_get_no_template(world):
    from tests.conftest import login
    from tests.factories import PASSWORD

    viewer = login(world, "viewer", PASSWORD)
    assert world.get("/api/v1/imports/template.csv", headers=viewer).status_code == 403
