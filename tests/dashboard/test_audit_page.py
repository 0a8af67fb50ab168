"""The audit page: staff see the changes newest first, filtered and paged, and the versions of a value."""

from __future__ import annotations

from dashboard.pages.audit import PAGE_SIZE, describe
from tests.conftest import login
from tests.dashboard.callbacks import by_id, call, components, log_in
from tests.dashboard.test_callback_errors import page

FILTERS = ("audit-entity", "audit-user", "audit-since", "audit-until")


def events(client, entity=None, user=None, since=None, until=None, page=0, move: str | None = None) -> dict:
    """The events for the filters; ``move`` ("previous" or "next") turns the page, else a filter changed."""
    inputs = [(name, "value", v) for name, v in zip(FILTERS, (entity, user, since, until), strict=True)]
    buttons = [("audit-previous", "n_clicks", 0), ("audit-next", "n_clicks", 0)]
    changed = {None: 0, "previous": 4, "next": 5}[move]
    return call(client, [*inputs, *buttons], [("audit-page", "data", page)], changed=changed)


def test_changes_read_as_before_and_after():
    assert describe({"title": {"en": "Old", "nl": None}}, {"title": {"en": "New", "nl": "Nieuw"}}) == (
        "title: en: Old → en: New, nl: Nieuw"
    )
    assert describe(None, {"code": "g9", "note": None, "position": 2}) == "code = g9; position = 2"
    assert describe({"code": "g9"}, None) == "code = g9"


def test_staff_see_metadata_changes_with_who_and_how(demo_client):
    admin = login(demo_client, "admin")
    goal = demo_client.get("/api/v1/goals", headers=admin).json()["items"][0]["code"]
    changed = demo_client.patch(f"/api/v1/goals/{goal}", json={"title": {"en": "Renamed goal"}}, headers=admin)
    assert changed.status_code == 200
    log_in(demo_client, "admin")
    layout = page(demo_client, "/dashboard/audit")["_pages_content.children"]
    assert by_id(layout, "audit-table")
    assert "goal" in [o["value"] for o in by_id(layout, "audit-entity")["props"]["options"]]

    answer = events(demo_client, entity="goal", user="admin")  # the seed's goals were made by nobody
    (row,) = answer["audit-table.rowData"]
    assert (row["user"], row["channel"], row["action"], row["key"]) == ("admin", "api", "update", goal)
    assert "→ en: Renamed goal" in row["changes"]
    assert answer["audit-count.children"] == "Changes: 1"
    assert answer["audit-page-label.children"] == "Page 1 of 1"
    assert (answer["audit-previous.disabled"], answer["audit-next.disabled"]) == (True, True)
    assert events(demo_client, user="nobody")["audit-table.rowData"] == []
    assert events(demo_client, entity="goal", since="2999-01-01")["audit-table.rowData"] == []
    everything = events(demo_client)
    entities = [r["entity"] for r in everything["audit-table.rowData"]]
    assert next(e for e in entities if e != "token") == "goal"  # newest first (logging in makes tokens)
    assert "seed" in entities


def test_staff_page_through_the_changes_on_the_server(demo_client):
    admin = login(demo_client, "admin")
    goal = demo_client.get("/api/v1/goals", headers=admin).json()["items"][0]["code"]
    for n in range(PAGE_SIZE + 5):  # more changes than one page holds
        title = {"title": {"en": f"Goal, take {n}"}}
        assert demo_client.patch(f"/api/v1/goals/{goal}", json=title, headers=admin).status_code == 200
    log_in(demo_client, "admin")
    first = events(demo_client)
    total = int(first["audit-count.children"].removeprefix("Changes: "))
    pages = -(-total // PAGE_SIZE)
    assert pages > 1 and len(first["audit-table.rowData"]) == PAGE_SIZE
    assert first["audit-page-label.children"] == f"Page 1 of {pages}"
    assert (first["audit-previous.disabled"], first["audit-next.disabled"]) == (True, False)

    second = events(demo_client, page=0, move="next")
    assert second["audit-page.data"] == 1 and second["audit-page-label.children"] == f"Page 2 of {pages}"
    assert second["audit-previous.disabled"] is False
    ids = {r["id"] for r in first["audit-table.rowData"]}
    assert ids.isdisjoint(r["id"] for r in second["audit-table.rowData"])
    assert max(r["id"] for r in second["audit-table.rowData"]) < min(ids)  # older ones

    back = events(demo_client, page=1, move="previous")
    assert back["audit-page.data"] == 0 and back["audit-table.rowData"] == first["audit-table.rowData"]
    last = events(demo_client, page=pages - 2, move="next")
    assert last["audit-next.disabled"] is True and len(last["audit-table.rowData"]) == total - (pages - 1) * PAGE_SIZE
    beyond = events(demo_client, page=pages + 5, move="next")  # a stale page: the last one there is
    assert beyond["audit-page.data"] == pages - 1
    assert events(demo_client, entity="seed", page=3)["audit-page.data"] == 0  # a filter starts again at page 1


def test_staff_see_the_versions_of_a_value(demo_client):
    admin = login(demo_client, "admin")
    observation = demo_client.get("/api/v1/observations", params={"limit": 1}, headers=admin).json()["items"][0]
    log_in(demo_client, "admin")
    answer = call(demo_client, [("audit-observation", "value", observation["id"])])
    history = answer["audit-history.children"]
    table = by_id(history, "audit-history-table")
    assert table["props"]["rowData"][-1]["current"] == "current"
    assert observation["indicator"] in by_id(history, "audit-history-title")["props"]["children"]
    missing = call(demo_client, [("audit-observation", "value", 99_999_999)])["audit-history.children"]
    assert "No observation" in missing["props"]["children"]


def test_members_neither_see_the_page_nor_get_its_data(demo_client):
    log_in(demo_client, "kidsfirst")
    layout = page(demo_client, "/dashboard/audit")["_pages_content.children"]
    assert not [c for c in components(layout) if c["props"].get("id") == "audit-table"]
    assert events(demo_client)["audit-table.rowData"] == []
    assert call(demo_client, [("audit-observation", "value", 1)])["audit-history.children"] is None
    shell = demo_client.get("/dashboard/").text
    assert "nav-audit" not in shell
