"""The entry page's reports (status, submitting, locked periods read only) and the completeness page's review tools."""

from __future__ import annotations

from tests.conftest import login
from tests.dashboard.callbacks import by_id, call, log_in
from tests.dashboard.test_callback_errors import page
from tests.dashboard.test_entry_upload_callbacks import GOOD, drop, entry_table, observations, save, text


def submit_report(client, period: str, scope: dict, data: list[dict]) -> dict:
    state = [
        ("entry-report-period", "value", period),
        ("entry-scope", "data", scope),
        ("entry-table", "virtualRowData", data),
    ]
    return call(client, [("entry-report-submit", "n_clicks", 1)], state)


def choose(client, year: str, organisation: str | None = None) -> dict:
    return call(client, [("entry-year", "value", year), ("entry-organisation", "value", organisation)])


def test_a_member_submits_and_the_period_becomes_read_only(demo_client):
    log_in(demo_client, "kidsfirst")
    found = choose(demo_client, "2026")
    data, original, scope = found["entry-table.rowData"], found["entry-original.data"], found["entry-scope.data"]
    periods = sorted({row["period"] for row in data})
    assert [o["value"] for o in found["entry-report-period.options"]] == periods
    assert "not submitted" in text(found["entry-reports.children"])
    assert any(column["editable"] for column in found["entry-table.columnDefs"])

    done = submit_report(demo_client, periods[0], scope, data)
    assert "Submitted" in text(done["entry-report-result.children"])
    assert "submitted, waiting for approval" in text(done["entry-reports.children"])
    assert periods[0] not in [o["value"] for o in done["entry-report-period.options"]]
    flags = {(row["period"], row["locked"]) for row in done["entry-table.rowData"]}
    assert flags == {(p, "yes" if p == periods[0] else "no") for p in periods}  # locked rows are greyed

    row = next(r for r in data if r["period"] == periods[0])
    row["value"] = "50"
    refused = save(demo_client, data, original, scope)
    assert "Nothing was saved" in text(refused["entry-result.children"])
    assert "locked" in text(refused["entry-problems.children"])
    # The grid stays as it was: read only when every period shown is locked.
    assert any(column["editable"] for column in refused["entry-table.columnDefs"]) == (len(periods) > 1)
    assert observations(demo_client, indicator=row["indicator"], area=row["area"], period=periods[0]) == []
    if len(periods) == 1:
        again = choose(demo_client, "2026")
        assert not any(column["editable"] for column in again["entry-table.columnDefs"])
        assert "locked" in text(again["entry-reports.children"])


def test_staff_approve_return_lock_and_unlock_on_the_completeness_page(demo_client):
    log_in(demo_client, "kidsfirst")
    data, _original, scope = entry_table(demo_client, "2026")
    period = sorted({row["period"] for row in data})[0]
    submit_report(demo_client, period, scope, data)

    log_in(demo_client, "admin")
    row = {"id": f"KIDSFIRST/{period}", "organisation": "KIDSFIRST", "organisation_name": "Kids First"}
    table = [{"id": "OTHER/2020", "organisation": "OTHER"}, {**row, "period": period, "review": ""}]
    review_state = [("completeness-table", "selectedRows", [table[1]]), ("completeness-table", "rowData", table)]
    inputs = [("completeness-approve", "n_clicks", 0), ("completeness-return", "n_clicks", 1)]
    nothing = [("completeness-table", "selectedRows", []), ("completeness-table", "rowData", table)]
    unselected = call(demo_client, inputs, [*nothing, ("completeness-comment", "value", "Check it")], changed=1)
    assert "Select a row" in text(unselected["completeness-review-result.children"])
    no_comment = call(demo_client, inputs, [*review_state, ("completeness-comment", "value", "")], changed=1)
    assert "Not done" in text(no_comment["completeness-review-result.children"])
    returned = call(demo_client, inputs, [*review_state, ("completeness-comment", "value", "Check it")], changed=1)
    assert "Returned" in text(returned["completeness-review-result.children"])
    assert [r.get("review") for r in returned["completeness-table.rowData"]] == [None, "returned for correction"]

    locked = call(
        demo_client,
        [("completeness-lock", "n_clicks", 1)],
        [
            ("completeness-lock-period", "value", period),
            ("completeness-lock-organisation", "value", None),
            ("completeness-lock-date", "value", None),
        ],
    )
    assert "Locked" in text(locked["completeness-lock-result.children"])
    (option,) = locked["completeness-unlock-id.options"]
    bad = call(
        demo_client,
        [("completeness-lock", "n_clicks", 2)],
        [
            ("completeness-lock-period", "value", "2024-13"),
            ("completeness-lock-organisation", "value", None),
            ("completeness-lock-date", "value", None),
        ],
    )
    assert "Not done" in text(bad["completeness-lock-result.children"])
    ended = call(
        demo_client, [("completeness-unlock", "n_clicks", 1)], [("completeness-unlock-id", "value", option["value"])]
    )
    assert "Unlocked" in text(ended["completeness-unlock-result.children"])
    assert ended["completeness-unlock-id.options"] == []

    log_in(demo_client, "kidsfirst")  # a member calling the staff's callback directly is refused
    refused = call(demo_client, inputs, [*review_state, ("completeness-comment", "value", "x")], changed=1)
    assert "log in again" in text(refused["completeness-review-result.children"])


def test_the_completeness_grid_puts_overdue_reports_first_and_keeps_numbers_sortable(demo_client):
    log_in(demo_client, "admin", language="nl")
    layout = page(demo_client, "/dashboard/completeness")["_pages_content.children"]
    grid = by_id(layout, "completeness-table")["props"]
    rows = grid["rowData"]
    overdue = [row["overdue"] for row in rows]
    assert overdue == sorted(overdue, key=lambda o: o != "yes")  # overdue first
    assert grid["dashGridOptions"]["rowSelection"]["mode"] == "singleRow" and grid["selectedRows"] == []
    assert "overdue" in grid["rowClassRules"]
    for row in rows:  # numbers stay numbers (they sort as such), shown in Dutch notation
        assert isinstance(row["share"], int) and row["share_text"] == f"{row['share']}%"
        assert row["deadline"][4] == "-" and row["deadline_text"] != row["deadline"]
    assert all(column.get("floatingFilter") for column in grid["columnDefs"])


def test_an_upload_into_a_locked_period_lists_its_rows_and_is_not_held(demo_client, tmp_path):
    log_in(demo_client, "kidsfirst")
    held = drop(demo_client, GOOD)["upload-token.data"]
    made = demo_client.post("/api/v1/locks", json={"period": "2026"}, headers=login(demo_client, "admin"))
    assert made.status_code == 201
    confirmed = call(demo_client, [("upload-confirm", "n_clicks", 1)], [("upload-token", "data", held)])
    assert "locked period" in text(confirmed["upload-result.children"])
    assert confirmed["upload-token.data"] is None  # not held for another try: it would be refused again
    found = drop(demo_client, GOOD)
    assert found["upload-token.data"] is None and "locked period" in text(found["upload-preview.children"])
    table = found["upload-preview.children"]["props"]["children"][1]["props"]
    assert [(r["row"], r["code"]) for r in table["rowData"]] == [(2, "period_locked")]
    assert observations(demo_client, area="GM0014", period="2026") == []
    assert not any(p.name.startswith(("held-", "claimed-")) for p in (tmp_path / "uploads").iterdir())


def open_flags(client, row: dict) -> object:
    return call(client, [("completeness-table", "selectedRows", [row])])["completeness-flags.children"]


def test_the_completeness_grid_counts_open_quality_warnings_and_a_chosen_report_lists_them(demo_client):
    log_in(demo_client, "admin", language="nl")
    layout = page(demo_client, "/dashboard/completeness")["_pages_content.children"]
    grid = by_id(layout, "completeness-table")["props"]
    (column,) = [c for c in grid["columnDefs"] if c["field"] == "open_warnings"]
    assert column["headerName"] == "Kwaliteit" and "unusual" in column["cellClassRules"]
    rows = {row["id"]: row for row in grid["rowData"]}
    essen = rows["STADT-ESSEN/2024/25"]
    flagged = demo_client.get(
        "/api/v1/quality",
        params={"organisation": "STADT-ESSEN", "period": "2024/25", "status": "open", "lang": "nl"},
        headers=login(demo_client, "admin"),
    ).json()["items"]
    assert (essen["open_warnings"], essen["open_warnings_text"]) == (len(flagged), f"⚠ {len(flagged)}") == (2, "⚠ 2")
    clean = next(row for row in rows.values() if row["open_warnings"] == 0)
    assert clean["open_warnings_text"] == "0"

    listed = open_flags(demo_client, essen)
    assert "Openstaande datakwaliteitswaarschuwingen: 2" in text(listed)
    items = by_id(listed, "completeness-flags-list")["props"]["children"]
    assert len(items) == 2
    for flag in flagged:  # the rule's message in the reviewer's language, indicator, area, period, the value
        assert flag["message"] in text(items) and flag["indicator"] in text(items) and flag["area"] in text(items)
    assert "2024/25" in text(items) and "waarde " in text(items)
    link = by_id(listed, "completeness-flags-link")["props"]["href"]
    assert link == "/dashboard/quality?organisation=STADT-ESSEN&period=2024%2F25"
    assert "Geen openstaande" in text(open_flags(demo_client, clean))

    log_in(demo_client, "witten")  # a member calling the staff's callback directly is refused
    assert "log in again" in text(open_flags(demo_client, essen))
