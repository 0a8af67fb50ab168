"""The entry and upload pages' callbacks, called as the browser calls them (POST /dashboard/_dash-update-component)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import login
from tests.dashboard.callbacks import by_id, call, log_in
from tests.dashboard.test_callback_errors import page


def entry_table(client: TestClient, year: str) -> tuple[list[dict], dict, dict]:
    found = call(client, [("entry-year", "value", year), ("entry-organisation", "value", None)])
    return found["entry-table.rowData"], found["entry-original.data"], found["entry-scope.data"]


def save(client: TestClient, data: list[dict], original: dict, scope: dict) -> dict:
    """Save what the grid holds (its ``virtualRowData``: the rows with what was typed)."""
    state = [
        ("entry-table", "virtualRowData", data),
        ("entry-original", "data", original),
        ("entry-scope", "data", scope),
    ]
    return call(client, [("entry-save", "n_clicks", 1)], state)


def marked(columns: list[dict], kind: str = "invalid") -> set[tuple[str, str]]:
    """The cells the grid's columns mark: (row id, column) from each column's class rule, red for ``invalid``
    (a problem), amber for ``unusual`` (a quality warning)."""
    cells = set()
    for column in columns:
        rule = column.get("cellClassRules", {}).get(kind)
        if rule:
            rows, _sep, test = rule.partition(".includes(")
            assert test == "params.data.id)"
            cells |= {(row, column["field"]) for row in json.loads(rows)}
    return cells


def observations(client: TestClient, **query: str) -> list[dict]:
    return client.get("/api/v1/observations", params=query).json()["items"]


def submission(client: TestClient, number: int) -> dict:
    """A submission as backbone staff see it through the API."""
    return client.get(f"/api/v1/submissions/{number}", headers=login(client, "admin")).json()


def text(component: object) -> str:
    """All the text in a serialised Dash component tree."""
    if isinstance(component, dict):
        return text(component.get("props", {}).get("children"))
    if isinstance(component, list):
        return " ".join(text(c) for c in component)
    return "" if component is None else str(component)


def test_saving_sends_only_the_changed_rows_for_the_members_own_organisation(demo_client):
    log_in(demo_client, "kidsfirst", language="nl")
    data, original, scope = entry_table(demo_client, "2026")
    assert len(data) == 10 and all(row["value"] == "" for row in data)
    data[0]["value"] = "62,5"  # a Dutch decimal comma
    forged = {**scope, "organisation": 1}  # the form never decides the organisation
    found = save(demo_client, data, original, forged)
    assert "1 toegevoegd" in text(found["entry-result.children"])
    stored = observations(demo_client, indicator="ece-participation", area="GM0014", period="2026")
    assert [(o["value"], o["organisation"], o["breakdown"]) for o in stored] == [(62.5, "KIDSFIRST", {})]
    made = submission(demo_client, stored[0]["submission"])
    assert (made["channel"], made["rows"], made["user"], made["organisation"]) == ("form", 1, "kidsfirst", "KIDSFIRST")
    assert found["entry-table.rowData"][0]["value"] == "62,5"  # reloaded from what was stored
    assert marked(found["entry-table.columnDefs"]) == set()


def test_invalid_values_are_marked_in_their_cells_and_nothing_is_written(demo_client):
    log_in(demo_client, "kidsfirst")
    data, original, scope = entry_table(demo_client, "2026")
    data[0]["value"], data[1]["value"], data[4]["numerator"] = "150", "abc", "10"
    found = save(demo_client, data, original, scope)
    assert marked(found["entry-table.columnDefs"]) == {(data[1]["id"], "value")}  # text is caught before the pipeline
    data[1]["value"] = "40"
    found = save(demo_client, data, original, scope)
    assert marked(found["entry-table.columnDefs"]) == {(data[0]["id"], "value"), (data[4]["id"], "denominator")}
    value = next(c for c in found["entry-table.columnDefs"] if c["field"] == "value")
    assert "✗" in value["valueFormatter"]["function"]  # marked in its text, not by colour alone
    said = json.loads(value["tooltipValueGetter"]["function"].split(")[params")[0].lstrip("("))
    assert list(said) == [data[0]["id"]] and said[data[0]["id"]]  # the cell's title says what is wrong
    assert any(column["editable"] for column in found["entry-table.columnDefs"])
    assert "Nothing was saved" in text(found["entry-result.children"])
    assert "entry-table.rowData" not in found  # what was typed stays
    assert observations(demo_client, area="GM0014", period="2026") == []


def test_checking_while_typing_writes_nothing_and_says_what_saving_would_do(demo_client):
    log_in(demo_client, "kidsfirst")
    data, original, scope = entry_table(demo_client, "2026")
    data[0]["value"] = "61.5"
    edit = [{"rowId": data[0]["id"], "colId": "value", "oldValue": "", "value": "61.5", "data": data[0]}]
    state = [
        ("entry-table", "virtualRowData", data),
        ("entry-original", "data", original),
        ("entry-scope", "data", scope),
    ]
    found = call(demo_client, [("entry-table", "cellValueChanged", edit)], state)
    assert found["entry-pending.children"] == "Ready to save: 1 new, 0 changed, 0 unchanged."
    assert marked(found["entry-table.columnDefs"]) == set()
    data[1]["value"] = "abc"
    found = call(demo_client, [("entry-table", "cellValueChanged", edit)], state)
    assert found["entry-pending.children"] == "Problems to correct before saving: 1"
    assert marked(found["entry-table.columnDefs"]) == {(data[1]["id"], "value")}
    assert observations(demo_client, area="GM0014", period="2026") == []


def test_saving_nothing_changed_makes_no_submission(demo_client):
    log_in(demo_client, "kidsfirst")
    data, original, scope = entry_table(demo_client, "2025")
    before = demo_client.get("/api/v1/health").json()["revision"]
    assert "Nothing to save" in text(save(demo_client, data, original, scope)["entry-result.children"])
    stale = {**original, data[0]["id"]: {**original[data[0]["id"]], "value": "1"}}  # shown before another change
    assert "Nothing changed" in text(save(demo_client, data, stale, scope)["entry-result.children"])
    assert demo_client.get("/api/v1/health").json()["revision"] == before


def test_a_viewer_calling_the_save_callback_directly_is_refused(demo_client):
    log_in(demo_client, "kidsfirst")
    data, original, scope = entry_table(demo_client, "2026")
    demo_client.cookies.clear()
    log_in(demo_client, "steering")
    data[0]["value"] = "50"
    found = save(demo_client, data, original, scope)
    assert "log in again" in text(found["entry-result.children"])
    assert observations(demo_client, area="GM0014", period="2026") == []


def data_url(content: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(content).decode()


def drop(
    client: TestClient, content: bytes, token: str | None = None, mapping: str = "_backbone", name: str = "values.csv"
) -> dict:
    state = [("upload-file", "filename", name), ("upload-organisation", "value", None)]
    return call(
        client,
        [("upload-file", "contents", data_url(content))],
        [*state, ("upload-token", "data", token), ("upload-mapping", "value", mapping)],
    )


GOOD = (
    b"indicator;area;period;value;ses\r\nece-participation;GM0014;2026;61,5;\r\nece-participation;GM0014;2026;;low\r\n"
)


def test_an_upload_is_checked_held_and_imported_only_on_confirmation(demo_client, tmp_path):
    log_in(demo_client, "kidsfirst")
    found = drop(demo_client, GOOD)
    token = found["upload-token.data"]
    assert "To add 1" in text(found["upload-preview.children"]) and "Empty rows skipped 1" in text(
        found["upload-preview.children"]
    )
    assert observations(demo_client, area="GM0014", period="2026") == []
    uploads = tmp_path / "uploads"
    assert len(list(uploads.glob("held-*.json"))) == 1
    done = call(demo_client, [("upload-confirm", "n_clicks", 1)], [("upload-token", "data", token)])
    assert "Imported as submission" in text(done["upload-result.children"])
    stored = observations(demo_client, area="GM0014", period="2026")
    assert [(o["value"], o["organisation"]) for o in stored] == [(61.5, "KIDSFIRST")]
    made = submission(demo_client, stored[0]["submission"])
    assert (made["channel"], made["file_name"], made["user"]) == ("csv", "values.csv", "kidsfirst")
    assert not any(p.name.startswith(("held-", "claimed-", "upload-")) for p in uploads.iterdir())


def test_a_broken_upload_lists_its_errors_and_holds_nothing(demo_client, tmp_path):
    log_in(demo_client, "kidsfirst")
    found = drop(demo_client, b"indicator,area,period,value\nece-participation,GM0014,2026,150\nnope,GM0014,2026,1\n")
    assert found["upload-token.data"] is None
    table = found["upload-preview.children"]["props"]["children"][1]["props"]
    assert table["id"] == "upload-errors"
    assert [(r["row"], r["row_text"], r["column"], r["code"]) for r in table["rowData"]] == [
        (2, "2", "value", "value_out_of_range"),
        (3, "3", "indicator", "unknown_indicator"),
    ]
    assert [c["field"] for c in table["columnDefs"]] == ["row", "column", "problem", "detail"]
    assert list((tmp_path / "uploads").iterdir()) == []


def test_another_user_cannot_confirm_someone_elses_upload(demo_client):
    log_in(demo_client, "kidsfirst")
    token = drop(demo_client, GOOD)["upload-token.data"]
    demo_client.cookies.clear()
    log_in(demo_client, "witten")
    done = call(demo_client, [("upload-confirm", "n_clicks", 1)], [("upload-token", "data", token)])
    assert "no longer available" in text(done["upload-result.children"])
    assert observations(demo_client, area="GM0014", period="2026") == []


def test_the_template_downloads_for_the_members_organisation_with_decimal_commas(demo_client):
    log_in(demo_client, "kidsfirst")
    state = [
        ("upload-template-year", "value", 2025),
        ("upload-template-format", "value", "csv-semicolon"),
        ("upload-organisation", "value", "STADT-WITTEN"),  # ignored for a member
    ]
    found = call(demo_client, [("upload-template-button", "n_clicks", 1)], state)
    download = found["upload-template-file.data"]
    content = base64.b64decode(download["content"]).decode("utf-8-sig")
    assert download["filename"] == "backbone-KIDSFIRST-2025.csv"
    assert content.startswith("indicator;area;period;") and ";GM0014;2025;" in content and "05954036" not in content
    assert ";2024;87,4" in content  # last period's value, with a decimal comma


def test_staff_choose_the_organisation_and_the_submission_records_them(demo_client):
    log_in(demo_client, "admin")
    nothing = call(demo_client, [("entry-year", "value", "2026"), ("entry-organisation", "value", None)])
    assert nothing["entry-table.rowData"] == [] and "Choose the organisation" in text(nothing["entry-notice.children"])
    found = call(demo_client, [("entry-year", "value", "2026"), ("entry-organisation", "value", "KIDSFIRST")])
    data, original, scope = found["entry-table.rowData"], found["entry-original.data"], found["entry-scope.data"]
    data[0]["value"] = "70"
    assert "1 added" in text(save(demo_client, data, original, scope)["entry-result.children"])
    (value,) = observations(demo_client, indicator="ece-participation", area="GM0014", period="2026")
    made = submission(demo_client, value["submission"])
    assert (value["organisation"], made["organisation"], made["user"], made["channel"]) == (
        "KIDSFIRST",
        "KIDSFIRST",
        "admin",
        "form",
    )


def test_the_xlsx_template_uploaded_back_unchanged_would_change_nothing(demo_client, tmp_path):
    log_in(demo_client, "kidsfirst")
    state = [
        ("upload-template-year", "value", 2025),
        ("upload-template-format", "value", "xlsx"),
        ("upload-organisation", "value", None),
    ]
    download = call(demo_client, [("upload-template-button", "n_clicks", 1)], state)["upload-template-file.data"]
    assert download["filename"] == "backbone-KIDSFIRST-2025.xlsx" and download["base64"]
    xlsx = "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64," + download["content"]
    state = [("upload-file", "filename", "back.xlsx"), ("upload-organisation", "value", None)]
    state += [("upload-token", "data", None), ("upload-mapping", "value", "_backbone")]
    found = call(demo_client, [("upload-file", "contents", xlsx)], state)
    assert "Nothing would change" in text(found["upload-preview.children"])
    assert found["upload-token.data"] is None and list((tmp_path / "uploads").iterdir()) == []


def test_a_file_with_more_errors_than_listed_says_how_many_more(demo_client):
    log_in(demo_client, "kidsfirst")
    years = range(1900, 2101)  # every valid year: 804 + 201 different keys, each with one error
    rows = [f"ece-participation,GM0014,{y},abc,{s}" for y in years for s in ("", "low", "middle", "high")]
    rows += [f"ece-reach-indicated,GM0014,{y},abc," for y in years]
    found = drop(demo_client, ("indicator,area,period,value,ses\n" + "\n".join(rows)).encode())
    preview = text(found["upload-preview.children"])
    assert "Problems found: 1,005." in preview and "…and 5 more problems not listed." in preview
    table = found["upload-preview.children"]["props"]["children"][1]["props"]
    assert len(table["rowData"]) == 1000 and table["rowData"][0] == {
        "row": 2,
        "row_text": "2",
        "column": "value",
        "code": "not_a_number",
        "problem": "Not a number (or a suppression marker such as x or <5).",
        "detail": "'abc' is not a number (or a suppression marker such as x or <5)",
    }


SOURCES = Path(__file__).parents[1] / "data" / "sources"
DUO = (SOURCES / "duo-vo-examenkandidaten-geslaagden.csv").read_bytes()


def test_a_publishers_file_is_read_through_the_chosen_mapping_previewed_and_imported_with_it(demo_client, tmp_path):
    log_in(demo_client, "groningen")
    layout = page(demo_client, "/dashboard/upload")["_pages_content.children"]
    options = {o["value"]: o["label"] for o in by_id(layout, "upload-mapping")["props"]["options"]}
    assert options["_backbone"] == "Backbone's own format" and "duo-vo-exams" in options
    about = call(demo_client, [("upload-mapping", "value", "duo-vo-exams")], [("upload-token", "data", None)])
    assert "Pass rate per school" in text(about["upload-mapping-about.children"])
    assert "https://duo.nl/open_onderwijsdata/" in text(about["upload-mapping-about.children"])

    found = drop(demo_client, DUO, mapping="duo-vo-exams", name="duo.csv")
    token = found["upload-token.data"]
    assert "To add 30" in text(found["upload-preview.children"])
    grid = by_id(found["upload-preview.children"], "upload-mapped")["props"]
    assert [c["field"] for c in grid["columnDefs"]] == [
        "line", "indicator", "area", "period", "value", "numerator", "denominator", "breakdown"
    ]  # fmt: skip
    first = grid["rowData"][0]
    assert (first["line"], first["indicator"], first["area"]) == (2, "exam-pass-rate", "VO-01UH00")
    assert any(r["breakdown"] == "gender: girl" for r in grid["rowData"])
    assert observations(demo_client, indicator="exam-pass-rate") == []  # nothing before the confirmation

    done = call(demo_client, [("upload-confirm", "n_clicks", 1)], [("upload-token", "data", token)])
    assert "Imported as submission" in text(done["upload-result.children"])
    assert "Added 30" in text(done["upload-result.children"])
    assert len(observations(demo_client, indicator="exam-pass-rate", limit="100")) == 30


def test_a_file_that_does_not_fit_the_mapping_lists_line_column_and_rule(demo_client, tmp_path):
    log_in(demo_client, "groningen")
    broken = DUO.replace(b'"100";"7";"7"', b'"100";"seven";"7"', 1)  # line 2: candidates, 2019-2020, all
    found = drop(demo_client, broken, mapping="duo-vo-exams", name="duo.csv")
    assert found["upload-token.data"] is None
    assert "Nothing was written" in text(found["upload-preview.children"])
    table = by_id(found["upload-preview.children"], "upload-errors")["props"]
    assert [c["field"] for c in table["columnDefs"]] == ["row", "column", "rule", "problem", "detail"]
    assert table["columnDefs"][0]["headerName"] == "Line"
    (error,) = table["rowData"]
    assert (error["row"], error["column"], error["rule"], error["code"]) == (
        2,
        "EXAMENKANDIDATEN SCHOOLJAAR 2019-2020 - TOTAAL",
        "measures.0",
        "not_a_number",
    )
    assert list((tmp_path / "uploads").iterdir()) == []


def test_the_held_file_keeps_its_mapping_and_a_changed_mapping_stops_the_import(demo_client):
    log_in(demo_client, "groningen")
    token = drop(demo_client, DUO, mapping="duo-vo-exams", name="duo.csv")["upload-token.data"]
    admin = login(demo_client, "admin")
    document = demo_client.get("/api/v1/mappings/duo-vo-exams", headers=admin).json()
    changed = demo_client.put("/api/v1/mappings/duo-vo-exams", json=document | {"name": "DUO, changed"}, headers=admin)
    assert changed.status_code == 200, changed.text
    done = call(demo_client, [("upload-confirm", "n_clicks", 1)], [("upload-token", "data", token)])
    assert "mapping was changed or removed" in text(done["upload-result.children"])
    assert observations(demo_client, indicator="exam-pass-rate") == []
