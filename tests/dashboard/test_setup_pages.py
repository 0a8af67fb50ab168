"""The staff's set-up pages: rows edited in a grid, checked and saved all or nothing, rows pasted or uploaded."""

from __future__ import annotations

import base64
import io
import json

import pytest
from openpyxl import Workbook

from dashboard.parts import pager
from tests.conftest import login
from tests.dashboard.callbacks import by_id, call, components, log_in
from tests.dashboard.test_callback_errors import page


@pytest.fixture(autouse=True)
def one_window(monkeypatch):
    """The demo's rows in one window (``test_a_long_list_is_found_and_paged_on_the_server`` pages them)."""
    monkeypatch.setattr(pager, "SIZE", 1000)


def text(tree) -> str:
    return " ".join(
        str(c["props"]["children"]) for c in components(tree) if isinstance(c["props"].get("children"), str)
    )


def grid_of(client) -> tuple[list[dict], dict]:
    layout = page(client, "/dashboard/admin/areas")["_pages_content.children"]
    return by_id(layout, "admin-areas-grid")["props"]["rowData"], by_id(layout, "admin-areas-original")["props"]["data"]


def save(client, data, original, *, check: bool = False) -> dict:
    clicks = [("admin-areas-check", "n_clicks", 1 if check else 0), ("admin-areas-save", "n_clicks", 0 if check else 1)]
    state = [("admin-areas-grid", "rowData", data), ("admin-areas-original", "data", original)]
    return call(client, clicks, [*state, ("admin-areas-loaded", "data", 0)], changed=0 if check else 1)


def window(client, trigger: str, *, kind="areas", find: str = "", offset: int = 0, data=(), original=None) -> dict:
    """The grid's rows after ``trigger`` ("loaded", "find", "previous" or "next")."""
    inputs = [
        (f"admin-{kind}-loaded", "data", 1),
        (f"admin-{kind}-rows-find", "value", find),
        (f"admin-{kind}-rows-previous", "n_clicks", 1),
        (f"admin-{kind}-rows-next", "n_clicks", 1),
    ]
    state = [
        (f"admin-{kind}-rows-offset", "data", offset),
        (f"admin-{kind}-grid", "rowData", list(data)),
        (f"admin-{kind}-original", "data", original or {}),
    ]
    changed = ["loaded", "find", "previous", "next"].index(trigger)
    return call(client, inputs, state, changed=changed)


def rows_action(client, *, load: bool, text_value: str | None = None, contents: str | None = None, held=None) -> dict:
    inputs = [
        ("admin-areas-check-rows", "n_clicks", 0 if load else 1),
        ("admin-areas-load-rows", "n_clicks", 1 if load else None),
    ]
    state = [
        ("admin-areas-paste", "value", text_value),
        ("admin-areas-file", "contents", contents),
        ("admin-areas-checked", "data", held),
        ("admin-areas-loaded", "data", 0),
    ]
    return call(client, inputs, state, changed=1 if load else 0)


def test_only_admins_open_the_set_up_pages(demo_client):
    for user, expected in ((None, "Please log in"), ("kidsfirst", "Not allowed"), ("steering", "Not allowed")):
        if user:
            log_in(demo_client, user)
        layout = page(demo_client, "/dashboard/admin/areas")["_pages_content.children"]
        assert expected in text(layout), user
        assert not [c for c in components(layout) if c["props"].get("id") == "admin-areas-grid"]
    log_in(demo_client, "admin")
    data, original = grid_of(demo_client)
    assert {"code": "GM0014", "name": "Groningen", "level": "municipality", "parent": "PV20"}.items() <= next(
        r for r in data if r["code"] == "GM0014"
    ).items()
    assert len(original) == len(data) > 500


def test_a_bad_cell_is_marked_and_nothing_is_saved_until_it_is_right(demo_client):
    log_in(demo_client, "admin")
    data, original = grid_of(demo_client)
    renamed = [dict(r, name="Groningen (gemeente)") if r["code"] == "GM0014" else r for r in data]
    new = {"id": "new-1", "_new": True, "code": "GM0014-W1", "name": "Wijk 1", "level": "quarter", "parent": "GM0014"}
    answer = save(demo_client, [*renamed, new], original)
    columns = {c["field"]: c for c in answer["admin-areas-grid.columnDefs"]}
    assert columns["level"]["cellClassRules"] == {"invalid": '["new-1"].includes(params.data.id)'}
    assert "cellClassRules" not in columns["name"]
    problems = text(answer["admin-areas-problems.children"])
    assert "Nothing was saved" in problems and "GM0014-W1 · Level" in problems
    assert demo_client.get("/api/v1/areas/GM0014").json()["name"] == "Groningen"
    assert demo_client.get("/api/v1/areas/GM0014-W1").status_code == 404

    fixed = dict(new, level="district")
    checked = save(demo_client, [*renamed, fixed], original, check=True)
    assert "1 new, 1 changed, 0 unchanged" in text(checked["admin-areas-result.children"])
    assert demo_client.get("/api/v1/areas/GM0014-W1").status_code == 404  # a check writes nothing
    saved = save(demo_client, [*renamed, fixed], original)
    assert "Saved: 1 new, 1 changed" in text(saved["admin-areas-result.children"])
    assert demo_client.get("/api/v1/areas/GM0014").json()["name"] == "Groningen (gemeente)"
    assert demo_client.get("/api/v1/areas/GM0014-W1").json()["parent"] == "GM0014"
    assert saved["admin-areas-loaded.data"] == 1  # the rows shown are read again on it
    assert "GM0014-W1" in window(demo_client, "loaded")["admin-areas-original.data"]  # what is stored now


def test_a_long_list_is_found_and_paged_on_the_server(demo_client, monkeypatch):
    monkeypatch.setattr(pager, "SIZE", 100)
    log_in(demo_client, "admin")
    layout = page(demo_client, "/dashboard/admin/areas")["_pages_content.children"]
    data = by_id(layout, "admin-areas-grid")["props"]["rowData"]
    total = len(demo_client.get("/api/v1/areas", params={"limit": 1000}).json()["items"])
    assert len(data) == 100 and total > 200
    assert by_id(layout, "admin-areas-rows-shown")["props"]["children"] == f"Rows 1 to 100 of {total}"
    assert by_id(layout, "admin-areas-rows-previous")["props"]["disabled"] is True

    following = window(demo_client, "next", offset=0, data=data, original={r["id"]: r for r in data})
    assert following["admin-areas-rows-shown.children"] == f"Rows 101 to 200 of {total}"
    assert following["admin-areas-rows-offset.data"] == 100 and following["admin-areas-rows-previous.disabled"] is False
    codes = [r["code"] for r in following["admin-areas-grid.rowData"]]
    assert codes == sorted(codes) and not set(codes) & {r["code"] for r in data}

    found = window(demo_client, "find", find="gm0014", offset=100)
    assert found["admin-areas-rows-offset.data"] == 0  # a new find starts at its first row
    assert "GM0014" in {r["code"] for r in found["admin-areas-grid.rowData"]}
    assert all("GM0014" in r["code"] + r["parent"] for r in found["admin-areas-grid.rowData"])
    assert found["admin-areas-rows-next.disabled"] is True
    nothing = window(demo_client, "find", find="no such area")
    assert nothing["admin-areas-grid.rowData"] == [] and nothing["admin-areas-rows-shown.children"] == "No rows found."

    typed = [dict(r, name="Renamed") if r["code"] == "GM0014" else r for r in found["admin-areas-grid.rowData"]]
    kept = window(demo_client, "next", data=typed, original=found["admin-areas-original.data"])
    assert "admin-areas-grid.rowData" not in kept and "Save the changes first" in text(
        kept["admin-areas-result.children"]
    )


def test_rows_pasted_from_a_spreadsheet_are_checked_then_loaded(demo_client):
    log_in(demo_client, "admin")
    pasted = "code\tname\tlevel\tparent\nGM0014-W1\tWijk 1\tdistrict\tGM0014\nGM0014-W2\tWijk 2\tdistrict\tGM0014\n"
    checked = rows_action(demo_client, load=False, text_value=pasted)
    assert "2 new, 0 changed, 0 unchanged" in text(checked["admin-areas-rows-result.children"])
    assert checked["admin-areas-load-rows.disabled"] is False
    assert demo_client.get("/api/v1/areas/GM0014-W1").status_code == 404
    loaded = rows_action(demo_client, load=True, text_value="ignored", held=checked["admin-areas-checked.data"])
    assert "Loaded: 2 new" in text(loaded["admin-areas-rows-result.children"])
    assert demo_client.get("/api/v1/areas/GM0014-W2").json()["name"] == "Wijk 2"
    assert loaded["admin-areas-loaded.data"] == 1  # the grid reloads on it
    reloaded = window(demo_client, "loaded")
    assert any(r["code"] == "GM0014-W2" for r in reloaded["admin-areas-grid.rowData"])

    bad = rows_action(demo_client, load=False, text_value="code;name;level;parent\nX1;Nowhere;district;NOPE\n")
    assert "row 2 · Parent area: No area with code 'NOPE'" in text(bad["admin-areas-rows-result.children"])
    assert bad["admin-areas-load-rows.disabled"] is True


def test_an_xlsx_file_is_read_like_a_csv_file(demo_client):
    log_in(demo_client, "admin")
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name", "level", "parent"])
    sheet.append(["GM0014-W3", "Wijk 3", "district", "GM0014"])
    buffer = io.BytesIO()
    book.save(buffer)
    contents = "data:application/octet-stream;base64," + base64.b64encode(buffer.getvalue()).decode()
    checked = rows_action(demo_client, load=False, contents=contents)
    assert "1 new" in text(checked["admin-areas-rows-result.children"])


def trajectory_inputs(indicator: str, saves: int = 0, find: str = "") -> list:
    return [
        ("admin-targets-indicator", "value", indicator),
        ("admin-targets-years-add", "n_clicks", 0),
        ("admin-targets-years-save", "n_clicks", saves),
        ("admin-targets-years-rows-find", "value", find),
        ("admin-targets-years-rows-previous", "n_clicks", 0),
        ("admin-targets-years-rows-next", "n_clicks", 0),
    ]


def years_state(rows: list, columns: list) -> list:
    return [
        ("admin-targets-years-rows-offset", "data", 0),
        ("admin-targets-years", "rowData", rows),
        ("admin-targets-years", "columnDefs", columns),
    ]


def test_a_trajectory_is_typed_year_by_year_and_a_bad_cell_is_marked(demo_client):
    log_in(demo_client, "admin")
    layout = page(demo_client, "/dashboard/admin/targets")["_pages_content.children"]
    years = by_id(layout, "admin-targets-years")["props"]
    assert by_id(layout, "admin-targets-indicator")["props"]["value"] == "academic-track-advice"
    chosen = call(demo_client, trajectory_inputs("ece-participation"), years_state([], []))
    data, columns = chosen["admin-targets-years.rowData"], chosen["admin-targets-years.columnDefs"]
    assert data[0]["area_name"] == "Whole alliance" and data[0]["2030"] == "92.4"
    assert [c["field"] for c in columns][:4] == ["area", "area_name", "baseline_period", "baseline_value"]
    assert {"2015", "2030", "2036"} <= {c["field"] for c in columns} and len(years["columnDefs"]) > 10

    groningen = next(r for r in data if r["area"] == "GM0014")
    typed = [dict(r, **{"2027": "86", "2028": "a lot"}) if r is groningen else r for r in data]

    def save(rows):
        return call(demo_client, trajectory_inputs("ece-participation", 1), years_state(rows, columns), changed=2)

    refused = save(typed)
    marked = {c["field"]: c.get("cellClassRules") for c in refused["admin-targets-years.columnDefs"]}
    assert marked["2028"] == {"invalid": '["GM0014"].includes(params.data.id)'} and marked["2027"] is None
    assert "GM0014 · 2028" in text(refused["admin-targets-years-problems.children"])
    listed = demo_client.get("/api/v1/targets", params={"indicator": "ece-participation", "area": "GM0014"}).json()
    assert "2027" not in {t["target_period"] for t in listed["items"]}

    saved = save([dict(r, **{"2027": "86"}) if r is groningen else r for r in data])
    assert "1 new" in text(saved["admin-targets-years-result.children"])
    listed = demo_client.get("/api/v1/targets", params={"indicator": "ece-participation", "area": "GM0014"}).json()
    assert {t["target_period"]: t["target_value"] for t in listed["items"]}["2027"] == 86
    assert saved["admin-targets-years-rows-shown.children"] == chosen["admin-targets-years-rows-shown.children"]

    found = call(demo_client, trajectory_inputs("ece-participation", find="gm00"), years_state([], []), changed=3)
    areas = [r["area"] for r in found["admin-targets-years.rowData"]]
    assert "GM0014" in areas and all(a.startswith("GM00") for a in areas)  # the whole alliance is not a match
    assert found["admin-targets-years-rows-shown.children"] == f"Rows 1 to {len(areas)} of {len(areas)}"


def test_the_assignment_matrix_hands_an_area_to_another_reporter(demo_client):
    log_in(demo_client, "admin")
    layout = page(demo_client, "/dashboard/admin/assignments")["_pages_content.children"]
    data = by_id(layout, "admin-assignments-matrix")["props"]["rowData"]
    original = by_id(layout, "admin-assignments-original")["props"]["data"]  # the list below the matrix
    assert original and by_id(layout, "admin-assignments-level")["props"]["value"] == "municipality"
    groningen = next(r for r in data if r["area"] == "GM0014")
    assert groningen["ece-participation"] == "KIDSFIRST"

    def matrix(rows, *, changed: int = 1, find: str = "", level: str = "municipality"):
        inputs = [
            ("admin-assignments-level", "value", level),
            ("admin-assignments-matrix-save", "n_clicks", 1),
            ("admin-assignments-matrix-rows-find", "value", find),
            ("admin-assignments-matrix-rows-previous", "n_clicks", 0),
            ("admin-assignments-matrix-rows-next", "n_clicks", 0),
        ]
        state = [
            ("admin-assignments-matrix-rows-offset", "data", 0),
            ("admin-assignments-matrix", "rowData", rows),
            ("admin-assignments-matrix-original", "data", data),
        ]
        return call(demo_client, inputs, state, changed=changed)

    def save(rows):
        return matrix(rows)

    refused = save([dict(r, **{"ece-participation": "NOBODY"}) if r is groningen else r for r in data])
    marked = {c["field"]: c.get("cellClassRules") for c in refused["admin-assignments-matrix.columnDefs"]}
    assert marked["ece-participation"] == {"invalid": '["GM0014"].includes(params.data.id)'}
    assert "GM0014 · ece-participation" in text(refused["admin-assignments-matrix-problems.children"])
    where = {"indicator": "ece-participation", "area": "GM0014"}
    token = login(demo_client, "admin", "demo-admin")
    assigned = demo_client.get("/api/v1/assignments", params=where, headers=token)
    assert [a["organisation"] for a in assigned.json()["items"]] == ["KIDSFIRST"]

    saved = save([dict(r, **{"ece-participation": "GM-GRONINGEN"}) if r is groningen else r for r in data])
    assert "1 assignments changed" in text(saved["admin-assignments-matrix-result.children"])
    assigned = demo_client.get("/api/v1/assignments", params=where, headers=token)
    assert [a["organisation"] for a in assigned.json()["items"]] == ["GM-GRONINGEN"]

    found = matrix(data, changed=2, find="witten")  # the areas with it in their name
    (witten,) = found["admin-assignments-matrix.rowData"]
    assert witten["name"] == "Witten" and found["admin-assignments-matrix-rows-shown.children"] == "Rows 1 to 1 of 1"
    assert witten["ece-participation"]  # its reporters, read for the areas shown
    typed = [dict(r, **{"ece-participation": ""}) if r is groningen else r for r in data]
    kept = matrix(typed, changed=0, level="province")
    assert "admin-assignments-matrix.rowData" not in kept
    assert "Save the changes first" in text(kept["admin-assignments-matrix-result.children"])
    nowhere = matrix(data, changed=0, level="planet")  # a tampered request: no level of that name
    assert nowhere["admin-assignments-matrix.rowData"] == []
    assert nowhere["admin-assignments-matrix-rows-shown.children"] == "No rows found."


def test_boundaries_are_replaced_by_a_geojson_file_checked_whole(demo_client):
    log_in(demo_client, "admin")
    layout = page(demo_client, "/dashboard/admin/boundaries")["_pages_content.children"]
    assert "No boundaries are stored" in text(layout)
    square = [[[6.5, 53.2], [6.6, 53.2], [6.6, 53.3], [6.5, 53.3], [6.5, 53.2]]]
    feature = {
        "type": "Feature",
        "properties": {"code": "GM0014"},
        "geometry": {"type": "Polygon", "coordinates": square},
    }

    def upload(document: dict) -> dict:
        contents = "data:application/geo+json;base64," + base64.b64encode(json.dumps(document).encode()).decode()
        inputs = [("admin-boundaries-file", "contents", contents)]
        return call(demo_client, inputs, [("admin-boundaries-file", "filename", "groningen.geojson")])

    bad = upload({"type": "FeatureCollection", "features": [feature, dict(feature, properties={"code": "NOWHERE"})]})
    assert "NOWHERE" in text(bad["admin-boundaries-problems.children"])
    assert demo_client.get("/api/v1/areas/boundaries").json()["features"] == []
    good = upload({"type": "FeatureCollection", "features": [feature]})
    assert "groningen.geojson: 1 boundaries stored" in text(good["admin-boundaries-result.children"])
    assert "1 areas have a boundary: GM0014" in text(good["admin-boundaries-current.children"])
    assert [f["properties"]["code"] for f in demo_client.get("/api/v1/areas/boundaries").json()["features"]] == [
        "GM0014"
    ]


def test_the_set_up_callbacks_give_nothing_to_others(demo_client):
    """Callbacks can be called without the page: the set-up's rows (unpublished indicators too) stay the staff's."""
    log_in(demo_client, "steering")
    for trigger in ("loaded", "find"):
        assert window(demo_client, trigger, kind="indicators")["admin-indicators-grid.rowData"] == []
    checked = save(demo_client, [], {}, check=True)
    assert "session has ended" in text(checked["admin-areas-result.children"])
