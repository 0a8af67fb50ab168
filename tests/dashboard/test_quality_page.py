"""The quality page: a member sees its own organisation's flags and confirms one; strangers are refused."""

from __future__ import annotations

from tests.dashboard.callbacks import by_id, call, components, log_in
from tests.dashboard.test_callback_errors import page


def text(tree) -> str:
    return " ".join(
        str(c["props"]["children"]) for c in components(tree) if isinstance(c["props"].get("children"), str)
    )


def flags(client, status: str | None = "open", organisation: str | None = None, period: str | None = None) -> dict:
    inputs = [
        ("quality-status", "value", status),
        ("quality-indicator", "value", None),
        ("quality-area", "value", None),
        ("quality-organisation", "value", organisation),
        ("quality-period", "value", period),
        ("quality-refresh", "data", 0),
    ]
    return call(client, inputs)


def detail(client, flag_id: int) -> dict:
    return call(client, [("quality-table", "selectedRows", [{"id": flag_id}])])


def confirm(client, flag_id: object, comment: str) -> dict:
    state = [("quality-flag", "data", flag_id), ("quality-comment", "value", comment), ("quality-refresh", "data", 0)]
    return call(client, [("quality-confirm", "n_clicks", 1)], state)


def test_a_member_sees_only_its_flags_and_confirms_one(demo_client):
    log_in(demo_client, "witten")
    layout = page(demo_client, "/dashboard/quality")["_pages_content.children"]
    assert by_id(layout, "quality-status")["props"]["value"] == "open"
    assert by_id(layout, "quality-organisation")  # there, but hidden: the service keeps members to their own
    rows = flags(demo_client, organisation="STADT-ESSEN")["quality-table.rowData"]
    assert rows and {r["organisation"] for r in rows} == {"STADT-WITTEN"}
    assert {r["status"] for r in rows} == {"open"}
    assert all(r["rule"] and "_" not in r["rule"] for r in rows)  # in words, not the code

    chosen = rows[0]["id"]
    shown = detail(demo_client, chosen)
    assert shown["quality-flag.data"] == chosen
    assert shown["quality-confirm-form.style"] is None  # the reporting member may confirm
    assert by_id(shown["quality-detail.children"], "quality-chart")
    assert text(shown["quality-detail.children"])

    assert "Say why" in str(confirm(demo_client, chosen, "  ")["quality-confirm-result.children"])
    done = confirm(demo_client, chosen, "The school merged; the value is right.")
    assert "Confirmed" in str(done["quality-confirm-result.children"])
    assert done["quality-refresh.data"] == 1 and done["quality-comment.value"] == ""
    assert chosen not in {r["id"] for r in flags(demo_client)["quality-table.rowData"]}
    confirmed = flags(demo_client, status="confirmed")["quality-table.rowData"]
    assert [r["id"] for r in confirmed] == [chosen]


def test_a_member_cannot_confirm_or_see_another_organisations_flag(demo_client):
    log_in(demo_client, "admin")
    everyone = flags(demo_client, status="all")["quality-table.rowData"]
    assert len({r["organisation"] for r in everyone}) > 2
    essen = next(r["id"] for r in everyone if r["organisation"] == "STADT-ESSEN")
    assert detail(demo_client, essen)["quality-confirm-form.style"] is None  # staff confirm any
    log_in(demo_client, "witten")
    assert detail(demo_client, essen)["quality-flag.data"] is None
    refused = confirm(demo_client, essen, "Looks fine to me.")
    assert "Not done" in str(refused["quality-confirm-result.children"])
    log_in(demo_client, "steering")  # the steering group sees every flag, and confirms none
    shown = detail(demo_client, essen)
    assert shown["quality-flag.data"] == essen and shown["quality-confirm-form.style"] == {"display": "none"}


def test_the_address_filters_by_organisation_and_period_as_the_completeness_page_links_it(demo_client):
    log_in(demo_client, "admin")
    search = "?organisation=STADT-ESSEN&period=2015/16"
    layout = page(demo_client, "/dashboard/quality", search)["_pages_content.children"]
    chosen = {name: by_id(layout, f"quality-{name}")["props"] for name in ("organisation", "period")}
    assert [chosen[n]["value"] for n in ("organisation", "period")] == ["STADT-ESSEN", "2015/16"]
    assert {"label": "2015/16", "value": "2015/16"} in chosen["period"]["options"]
    rows = flags(demo_client, organisation="STADT-ESSEN", period="2015/16")["quality-table.rowData"]
    assert len(rows) == 6 and {(r["organisation"], r["period"]) for r in rows} == {("STADT-ESSEN", "2015/16")}
    assert len(flags(demo_client, period="2015/16")["quality-table.rowData"]) > len(rows)  # every organisation's
    log_in(demo_client, "witten")  # a member's own organisation's flags, whatever the address says
    layout = page(demo_client, "/dashboard/quality", search)["_pages_content.children"]
    assert by_id(layout, "quality-organisation")["props"]["value"] is None
    rows = flags(demo_client, organisation="STADT-ESSEN", period="2015/16")["quality-table.rowData"]
    assert {(r["organisation"], r["period"]) for r in rows} == {("STADT-WITTEN", "2015/16")}


def test_strangers_are_refused(demo_client):
    layout = page(demo_client, "/dashboard/quality")["_pages_content.children"]
    assert "Please log in" in text(layout)
    answer = flags(demo_client, status="all")
    assert answer["quality-table.rowData"] == []
    assert "log in again" in str(detail(demo_client, 1)["quality-detail.children"])
    refused = confirm(demo_client, 1, "Anyone may?")
    assert "log in again" in str(refused["quality-confirm-result.children"])


def test_an_unusual_value_is_saved_with_a_warning_and_flagged(demo_client):
    from tests.dashboard.test_entry_upload_callbacks import entry_table, save
    from tests.dashboard.test_entry_upload_callbacks import text as all_text

    log_in(demo_client, "witten")
    data, original, scope = entry_table(demo_client, "2026")
    row = next(r for r in data if r["id"] == "language-support-need|05954036|2026/27|")
    row["value"] = "99"  # its history lies around 21
    found = save(demo_client, data, original, scope)
    result = all_text(found["entry-result.children"])
    assert "1 added" in result
    assert "Far from its own history" in result and "language-support-need" in result
    rows = flags(demo_client)["quality-table.rowData"]
    assert any(r["indicator"] == "language-support-need" and r["period"] == "2026/27" for r in rows)


def test_an_unusual_value_is_marked_at_its_cell_as_it_is_typed_and_can_still_be_saved(demo_client):
    from tests.dashboard.test_entry_upload_callbacks import entry_table, marked, observations, save
    from tests.dashboard.test_entry_upload_callbacks import text as all_text

    log_in(demo_client, "witten", language="nl")
    data, original, scope = entry_table(demo_client, "2026")
    key = "language-support-need|05954036|2026/27|"
    row = next(r for r in data if r["id"] == key)
    row["value"] = "99"  # its history lies around 21
    edit = [{"rowId": key, "colId": "value", "oldValue": "", "value": "99", "data": row}]
    state = [
        ("entry-table", "virtualRowData", data),
        ("entry-original", "data", original),
        ("entry-scope", "data", scope),
    ]
    found = call(demo_client, [("entry-table", "cellValueChanged", edit)], state)
    columns = found["entry-table.columnDefs"]
    assert marked(columns, "unusual") == {(key, "value")} and marked(columns) == set()  # a warning, not an error
    (value,) = [c for c in columns if c["field"] == "value"]
    assert "⚠" in value["valueFormatter"]["function"]  # marked in its text, not by colour alone
    assert "Ver van de eigen reeks: 99" in value["tooltipValueGetter"]["function"]  # the cell's title says why
    listed = all_text(found["entry-unusual.children"])
    assert "Ongewone waarden: 1" in listed and "Ver van de eigen reeks" in listed  # in the user's language
    assert "Waarde" in listed and "2026/27" in listed and "99" in listed  # its row, its column and what was found
    assert by_id(found["entry-unusual.children"], "entry-warning-list")
    assert found["entry-problems.children"] is None and "1 nieuw" in found["entry-pending.children"]
    assert observations(demo_client, indicator="language-support-need", area="05954036", period="2026/27") == []

    saved = save(demo_client, data, original, scope)  # saving is still allowed; the saved notice takes over
    assert saved["entry-unusual.children"] is None and "1 toegevoegd" in all_text(saved["entry-result.children"])
    assert "Ver van de eigen reeks" in all_text(saved["entry-result.children"])
    assert marked(saved["entry-table.columnDefs"], "unusual") == set()
    (stored,) = observations(demo_client, indicator="language-support-need", area="05954036", period="2026/27")
    assert stored["value"] == 99
