"""The staff's users page: for admins only; a changed cell is saved at once, or put back with the reason naming the
user and the column; a new user gets an invitation link, and a new link ends the earlier one."""

from __future__ import annotations

from tests.conftest import login
from tests.dashboard.callbacks import by_id, call, components, log_in
from tests.dashboard.test_callback_errors import page
from tests.dashboard.test_setup_pages import text

GRID = "admin-users-grid"
NEW_USER = ("username", "name", "email", "role", "organisation", "language")


def ids(tree) -> set[str]:
    return {str(c["props"].get("id")) for c in components(tree)}


def rows_of(client) -> dict[str, dict]:
    layout = page(client, "/dashboard/admin/users")["_pages_content.children"]
    return {row["username"]: row for row in by_id(layout, GRID)["props"]["rowData"]}


def edit(client, row: dict, column: str, value) -> dict:
    """Change one cell, as the grid reports it (the row already holds the new value)."""
    change = {"rowIndex": 0, "rowId": row["username"], "colId": column, "oldValue": row[column], "value": value}
    return call(client, [(GRID, "cellValueChanged", [change | {"data": row | {column: value}}])])


def add(client, **values) -> dict:
    fields = {"role": "member", "language": "nl"} | values
    state = [(f"admin-users-new-{field}", "value", fields.get(field)) for field in NEW_USER]
    return call(client, [("admin-users-add", "n_clicks", 1)], state)


def invite(client, username: str) -> dict:
    return call(client, [("admin-users-invite", "n_clicks", 1)], [(GRID, "selectedRows", [{"username": username}])])


def token_of(answer: dict, output: str, field: str) -> str:
    url = by_id(answer[output], field)["props"]["value"]
    assert url.startswith("http://testserver/dashboard/invitation/")
    return url.rsplit("/", 1)[1]


def test_members_viewers_and_strangers_neither_open_the_page_nor_change_a_user(demo_client):
    for user, expected in ((None, "Please log in"), ("kidsfirst", "Not allowed"), ("steering", "Not allowed")):
        if user:
            log_in(demo_client, user)
        layout = page(demo_client, "/dashboard/admin/users")["_pages_content.children"]
        assert expected in text(layout), user
        assert not ids(layout) & {GRID, "admin-users-add"}
    refused = edit(demo_client, {"username": "witten", "display_name": "Demo Witten"}, "display_name", "Mallory")
    assert "log in again" in str(refused["admin-users-problem.children"])
    assert "admin-users-invite-link" not in str(invite(demo_client, "witten"))
    assert "log in again" in str(add(demo_client, username="mallory", organisation="BACKBONE", role="admin"))
    admin = login(demo_client, "admin")
    assert demo_client.get("/api/v1/users/witten", headers=admin).json()["display_name"] == "Demo Witten"
    assert demo_client.get("/api/v1/users/mallory", headers=admin).status_code == 404


def test_a_changed_cell_is_saved_and_switching_a_user_off_ends_their_tokens(demo_client):
    witten = login(demo_client, "witten")
    log_in(demo_client, "admin")
    rows = rows_of(demo_client)
    assert {"admin", "steering", "kidsfirst", "witten", "hattingen"} <= set(rows)
    assert {"role": "member", "organisation": "KIDSFIRST", "active": True}.items() <= rows["kidsfirst"].items()
    assert rows["admin"]["last_login_text"] != "never" and rows["hattingen"]["last_login_text"] == "never"

    saved = edit(demo_client, rows["witten"], "display_name", "Stadt Witten, Schulamt")
    assert saved[f"{GRID}.rowTransaction"]["update"][0]["display_name"] == "Stadt Witten, Schulamt"
    assert "Saved: Display name of witten" in text(saved["admin-users-status.children"])
    assert saved["admin-users-problem.children"] is None
    admin = login(demo_client, "admin")
    assert demo_client.get("/api/v1/users/witten", headers=admin).json()["display_name"] == "Stadt Witten, Schulamt"
    event = demo_client.get("/api/v1/audit", params={"key": "witten"}, headers=admin).json()["items"][0]
    assert event["after"] == {"full_name": "Stadt Witten, Schulamt"}
    assert event["channel"] == "form" and event["user"] == "admin"  # the audit says it was the dashboard

    off = edit(demo_client, rows["witten"], "active", False)
    assert "witten is switched off" in text(off["admin-users-status.children"])
    assert demo_client.get("/api/v1/auth/me", headers=witten).status_code == 401


def test_a_refused_change_is_put_back_and_named_by_user_and_column(demo_client):
    log_in(demo_client, "admin")
    rows = rows_of(demo_client)
    demoted = edit(demo_client, rows["admin"], "role", "viewer")
    assert demoted[f"{GRID}.rowTransaction"]["update"] == [rows["admin"]]  # the cell shows "admin" again
    said = text(demoted["admin-users-problem.children"])
    assert "admin · Role: not changed" in said and "last active admin" in said
    assert demoted["admin-users-status.children"] is None

    bad = edit(demo_client, rows["kidsfirst"], "email", "not an address")
    assert bad[f"{GRID}.rowTransaction"]["update"][0]["email"] == ""
    assert "kidsfirst · E-mail address: not changed, that is not an e-mail address" in text(
        bad["admin-users-problem.children"]
    )
    nowhere = edit(demo_client, rows["kidsfirst"], "organisation", "NOPE")
    assert "no organisation with that code" in text(nowhere["admin-users-problem.children"])
    gone = edit(demo_client, rows["kidsfirst"] | {"username": "nobody"}, "display_name", "X")
    assert "there is no user nobody" in text(gone["admin-users-problem.children"])
    admin = login(demo_client, "admin")
    assert demo_client.get("/api/v1/users/admin", headers=admin).json()["role"] == "admin"


def test_a_new_user_gets_a_working_link_and_a_new_link_ends_the_earlier_one(demo_client):
    log_in(demo_client, "admin")
    added = add(demo_client, username="Carla", name="Carla Jansen", organisation="KIDSFIRST")
    (row,) = added[f"{GRID}.rowTransaction"]["add"]
    assert (row["username"], row["organisation"], row["active"]) == ("carla", "KIDSFIRST", True)
    assert "carla was added" in text(added["admin-users-add-result.children"])
    assert "Not mailed" in text(added["admin-users-add-result.children"])  # no mail server in the tests
    assert added["admin-users-new-username.value"] == ""
    first = token_of(added, "admin-users-add-result.children", "admin-users-new-link")
    assert demo_client.get(f"/api/v1/auth/invitations/{first}").json()["username"] == "carla"

    again = add(demo_client, username="carla", organisation="KIDSFIRST")
    assert "a user carla already exists" in text(again["admin-users-add-problem.children"])
    spaced = add(demo_client, username="x y", organisation="KIDSFIRST")["admin-users-add-problem.children"]
    assert "x y was not added: a username is lower-case letters" in text(spaced)  # in words, not pydantic's
    assert "Choose the organisation" in text(add(demo_client, username="dirk")["admin-users-add-problem.children"])

    renewed = invite(demo_client, "carla")
    second = token_of(renewed, "admin-users-invite-result.children", "admin-users-invite-link")
    assert demo_client.get(f"/api/v1/auth/invitations/{second}").status_code == 200
    assert demo_client.get(f"/api/v1/auth/invitations/{first}").status_code == 404
    assert "Earlier links for carla no longer work" in text(renewed["admin-users-invite-result.children"])
    assert renewed["admin-users-add-result.children"] is None  # the ended link is no longer shown
    nobody = call(demo_client, [("admin-users-invite", "n_clicks", 1)], [(GRID, "selectedRows", [])])
    assert "Select a user" in text(nobody["admin-users-invite-problem.children"])


def test_users_pasted_as_rows_are_made_with_their_links(demo_client):
    log_in(demo_client, "admin")
    pasted = "username,full_name,role,organisation,email,language\nanna,Anna de Vries,member,KIDSFIRST,,nl\n"
    inputs = [("admin-users-check-rows", "n_clicks", 0), ("admin-users-load-rows", "n_clicks", 1)]
    checked_inputs = [("admin-users-check-rows", "n_clicks", 1), ("admin-users-load-rows", "n_clicks", None)]
    state = [
        ("admin-users-paste", "value", pasted),
        ("admin-users-file", "contents", None),
        ("admin-users-checked", "data", None),
        ("admin-users-loaded", "data", 0),
    ]
    checked = call(demo_client, checked_inputs, state)
    assert "1 new, 0 changed, 0 unchanged" in str(checked["admin-users-rows-result.children"])
    held = [*state[:2], ("admin-users-checked", "data", checked["admin-users-checked.data"]), state[3]]
    loaded = call(demo_client, inputs, held, changed=1)
    links = [
        c["props"]["value"] for c in components(loaded["admin-users-rows-result.children"]) if "value" in c["props"]
    ]
    (link,) = [v for v in links if "/dashboard/invitation/" in v]
    assert demo_client.get("/api/v1/auth/invitations/" + link.rsplit("/", 1)[1]).json()["username"] == "anna"
    reloaded = call(demo_client, [("admin-users-loaded", "data", loaded["admin-users-loaded.data"])])
    assert "anna" in [row["username"] for row in reloaded["admin-users-grid.rowData"]]
