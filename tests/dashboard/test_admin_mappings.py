"""The staff's mappings page: for admins only; a mapping edited as YAML, checked on a sample file (the observations it
makes, or every problem with where it is), saved as a new mapping or a new version, deleted."""

from __future__ import annotations

import base64
from pathlib import Path

from tests.conftest import login
from tests.dashboard.callbacks import by_id, call, log_in
from tests.dashboard.test_admin_users import ids
from tests.dashboard.test_callback_errors import page
from tests.dashboard.test_entry_upload_callbacks import text

DUO = Path(__file__).parents[1] / "data" / "sources" / "duo-vo-examenkandidaten-geslaagden.csv"
WIDE = b"Area code;Value 2024;Value 2025\nGM0014;61,5;62\nGM0034;x;58\n"


def sample(content: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(content).decode()


def choose(client, code: str, editing: str | None = None) -> dict:
    return call(client, [("admin-mappings-choose", "value", code)], [("admin-mappings-editing", "data", editing)])


def check(client, document: str, content: bytes | None = None, name: str = "sample.csv") -> dict:
    inputs = [
        ("admin-mappings-check", "n_clicks", 1),
        ("admin-mappings-sample", "contents", sample(content) if content else None),
    ]
    state = [("admin-mappings-document", "value", document), ("admin-mappings-sample", "filename", name)]
    return call(client, inputs, state)


def save(client, document: str, editing: str | None) -> dict:
    state = [("admin-mappings-document", "value", document), ("admin-mappings-editing", "data", editing)]
    return call(client, [("admin-mappings-save", "n_clicks", 1)], state)


def delete(client, editing: str | None) -> dict:
    return call(
        client, [("admin-mappings-delete", "submit_n_clicks", 1)], [("admin-mappings-editing", "data", editing)]
    )


def test_members_viewers_and_strangers_neither_open_the_page_nor_use_its_callbacks(demo_client):
    for user, expected in ((None, "Please log in"), ("groningen", "Not allowed"), ("steering", "Not allowed")):
        if user:
            log_in(demo_client, user)
        layout = page(demo_client, "/dashboard/admin/mappings")["_pages_content.children"]
        assert expected in text(layout), user
        assert not ids(layout) & {"admin-mappings-list", "admin-mappings-document"}
        assert "log in again" in text(choose(demo_client, "duo-vo-exams")["admin-mappings-problems.children"])
        assert "log in again" in text(check(demo_client, "code: x", WIDE)["admin-mappings-problems.children"])
        assert "log in again" in text(
            save(demo_client, "code: mallory\nname: M", None)["admin-mappings-problems.children"]
        )
        assert "log in again" in text(delete(demo_client, "duo-vo-exams")["admin-mappings-problems.children"])
    admin = login(demo_client, "admin")
    assert demo_client.get("/api/v1/mappings/duo-vo-exams", headers=admin).status_code == 200
    assert demo_client.get("/api/v1/mappings/mallory", headers=admin).status_code == 404


def test_a_shipped_mapping_is_shown_as_yaml_and_previewed_on_the_real_file(demo_client):
    log_in(demo_client, "admin")
    layout = page(demo_client, "/dashboard/admin/mappings")["_pages_content.children"]
    listed = {row["code"] for row in by_id(layout, "admin-mappings-list")["props"]["rowData"]}
    assert {"duo-vo-exams", "cbs-83450ned-bijstand", "genesis-21111-02-06-4"} <= listed
    chosen = choose(demo_client, "duo-vo-exams")
    document = chosen["admin-mappings-document.value"]
    assert document.startswith("code: duo-vo-exams\n") and "combine: sum" in document
    assert chosen["admin-mappings-editing.data"] == "duo-vo-exams"
    assert chosen["admin-mappings-delete-button.disabled"] is False

    sound = check(demo_client, document)
    assert "sound in itself" in text(sound["admin-mappings-preview.children"])
    found = check(demo_client, document, DUO.read_bytes(), "duo.csv")
    assert found["admin-mappings-problems.children"] is None
    assert found["admin-mappings-sample-name.children"] == "Sample file: duo.csv"
    preview = found["admin-mappings-preview.children"]
    assert "The first 20 of 30 observations" in text(preview)
    rows = by_id(preview, "admin-mappings-observations")["props"]["rowData"]
    assert (rows[0]["line"], rows[0]["area"], rows[0]["period"]) == (
        2,
        "VO-01UH00",
        "2019-2020",
    )  # as mapped, before the checks


def test_problems_are_listed_with_their_path_line_column_and_rule(demo_client):
    log_in(demo_client, "admin")
    bad = check(
        demo_client, "code: x\nname: X\nindicator: a\narea: {column: A, value: B}\nperiod: '2024'\nmeasures: []"
    )
    said = text(bad["admin-mappings-problems.children"])
    assert "nothing was checked on the file" in said and "rule area:" in said and "rule measures:" in said
    unreadable = check(demo_client, "code: [x")
    assert "The mapping has problems" in text(unreadable["admin-mappings-problems.children"])

    document = choose(demo_client, "duo-vo-exams")["admin-mappings-document.value"]
    broken = DUO.read_bytes().replace(b'"100";"7";"7"', b'"100";"seven";"7"', 1)
    found = check(demo_client, document, broken, "duo.csv")
    said = text(found["admin-mappings-problems.children"])
    assert "does not fit the mapping" in said
    assert "line 2 · column EXAMENKANDIDATEN SCHOOLJAAR 2019-2020 - TOTAAL · rule measures.0: Not a number" in said
    assert found["admin-mappings-preview.children"] is None


def test_a_new_mapping_is_saved_changed_refused_in_words_and_deleted(demo_client):
    log_in(demo_client, "admin")
    template = choose(demo_client, "_new")
    assert template["admin-mappings-editing.data"] is None and template["admin-mappings-delete-button.disabled"]
    document = template["admin-mappings-document.value"]
    found = check(demo_client, document, WIDE)
    rows = by_id(found["admin-mappings-preview.children"], "admin-mappings-observations")["props"]["rowData"]
    assert [(r["area"], r["period"], r["value"]) for r in rows][:2] == [
        ("GM0014", "2024", "61,5"),
        ("GM0014", "2025", "62"),
    ]

    document = document.replace("code: new-mapping", "code: wide-values").replace("name: New mapping", "name: Wide")
    saved = save(demo_client, document, None)
    assert "Saved: Wide (wide-values)." in text(saved["admin-mappings-result.children"])
    assert saved["admin-mappings-editing.data"] == saved["admin-mappings-choose.value"] == "wide-values"
    assert "wide-values" in {row["code"] for row in saved["admin-mappings-list.rowData"]}
    assert "admin-mappings-document.value" not in choose(demo_client, "wide-values", editing="wide-values")  # kept
    admin = login(demo_client, "admin")
    assert demo_client.get("/api/v1/mappings/wide-values", headers=admin).json()["name"] == "Wide"
    event = demo_client.get("/api/v1/audit", params={"entity": "source_mapping"}, headers=admin).json()["items"][0]
    assert event["channel"] == "form" and event["user"] == "admin"

    again = save(demo_client, document, None)
    assert "already exists" in text(again["admin-mappings-problems.children"])
    renamed = save(demo_client, document.replace("code: wide-values", "code: other"), "wide-values")
    assert "rule code: the document's code must be 'wide-values'" in text(renamed["admin-mappings-problems.children"])
    changed = save(demo_client, document.replace("name: Wide", "name: Wide, changed"), "wide-values")
    assert "Saved: Wide, changed" in text(changed["admin-mappings-result.children"])
    unknown = save(demo_client, document + "breakdown:\n  nope: {value: x}\n", "wide-values")
    assert "rule breakdown.nope: Unknown breakdown dimension. (no dimension 'nope')" in text(
        unknown["admin-mappings-problems.children"]
    )

    assert "Choose a saved mapping first" in text(delete(demo_client, None)["admin-mappings-problems.children"])
    deleted = delete(demo_client, "wide-values")
    assert "Deleted: wide-values." in text(deleted["admin-mappings-result.children"])
    assert deleted["admin-mappings-editing.data"] is None and deleted["admin-mappings-document.value"] == ""
    assert "wide-values" not in {o["value"] for o in deleted["admin-mappings-choose.options"]}
    assert demo_client.get("/api/v1/mappings/wide-values", headers=admin).status_code == 404
