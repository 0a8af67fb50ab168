"""The goal and indicator pages at national scale (here with the limits made small): a long league's rows asked a
page at a time and sorted on the server, the top regions' totals only, long lists of areas searched on the server."""

from __future__ import annotations

from dashboard.parts import choices, league
from tests.dashboard.callbacks import by_id, call, components, log_in
from tests.dashboard.test_callback_errors import page

GOAL = "/dashboard/goal/learning"


def league_of(client) -> dict:
    layout = page(client, GOAL)["_pages_content.children"]
    return {
        "table": by_id(layout, "goal-league-table")["props"],
        "indicator": by_id(layout, "goal-league-indicator")["props"]["value"],
        "period": by_id(layout, "goal-league-period")["props"]["value"],
        "region": by_id(layout, "goal-league-region")["props"]["value"],
        "layout": layout,
    }


def rows_asked(client, shown: dict, start: int, end: int, sort: list[dict] | None = None) -> dict:
    request = {"startRow": start, "endRow": end, "sortModel": sort or [], "filterModel": {}}
    state = [
        ("goal-league-indicator", "value", shown["indicator"]),
        ("goal-league-period", "value", shown["period"]),
        ("goal-league-region", "value", shown["region"]),
    ]
    return call(client, [("goal-league-table", "getRowsRequest", request)], state)["goal-league-table.getRowsResponse"]


def test_a_long_league_is_asked_a_page_at_a_time_and_sorted_on_the_server(demo_client, monkeypatch):
    log_in(demo_client, "steering")
    short = league_of(demo_client)
    every = short["table"]["rowData"]
    assert len(every) > 4 and "rowModelType" not in short["table"]

    monkeypatch.setattr(league, "LONG", 3)
    long = league_of(demo_client)
    assert long["table"]["rowModelType"] == "infinite" and "rowData" not in long["table"]
    first = rows_asked(demo_client, long, 0, 3)
    assert first["rowCount"] == len(every) and first["rowData"] == every[:3]  # the same rows, in rank order
    assert rows_asked(demo_client, long, 3, 1000)["rowData"] == every[3:]

    ascending = rows_asked(demo_client, long, 0, 1000, [{"colId": "value", "sort": "asc"}])["rowData"]
    values = [r["value"] for r in ascending]
    known = [v for v in values if v is not None]
    assert known == sorted(known) and values == known + [None] * (len(values) - len(known))  # none last
    assert {r["id"] for r in ascending} == {r["id"] for r in every}
    hidden = [r for r in every if r["hidden"]]
    assert all(r["value"] is None and r["numerator"] is None for r in hidden)  # sorting shows nothing withheld
    by_name = rows_asked(demo_client, long, 0, 1000, [{"colId": "area", "sort": "desc"}])["rowData"]
    names = [r["area"].partition("]")[0].casefold() for r in by_name]
    assert names == sorted(names, reverse=True)


def test_the_totals_of_many_regions_stop_at_the_top_ones(demo_client, monkeypatch):
    log_in(demo_client, "steering")
    before = league_of(demo_client)["layout"]
    rows = [c for c in components(by_id(before, "goal-league-totals")) if c["type"] == "Tr"]
    monkeypatch.setattr(league, "TOTALS", 1)
    after = league_of(demo_client)["layout"]
    kept = [c for c in components(by_id(after, "goal-league-totals")) if c["type"] == "Tr"]
    assert len(rows) > 3 and len(kept) < len(rows)
    texts = [c["props"].get("children") for c in components(after)]
    said = [t for t in texts if isinstance(t, str) and "more regions" in t]
    assert said == [f"And {len(rows) - len(kept)} more regions: choose one above for its total."]


def test_a_long_list_of_areas_is_searched_on_the_server(demo_client, monkeypatch):
    log_in(demo_client, "steering")
    every = by_id(page(demo_client, GOAL)["_pages_content.children"], "goal-area")["props"]["options"]
    monkeypatch.setattr(choices, "MANY", 3)
    chosen = by_id(page(demo_client, GOAL)["_pages_content.children"], "goal-area")["props"]
    offered = {o["value"] for o in chosen["options"]}
    assert chosen["value"] in offered and len(offered) < len(every)
    assert not any("(municipality)" in o["label"] for o in chosen["options"] if o["value"] != chosen["value"])

    found = call(demo_client, [("goal-area", "search_value", "gron")], [("goal-area", "value", chosen["value"])])
    options = found["goal-area.options"]
    assert "Groningen (municipality)" in [o["label"] for o in options]
    assert all("gron" in o["label"].casefold() for o in options if o["value"] != chosen["value"])  # and the chosen


def test_the_indicator_page_s_long_lists_of_areas_are_searched_and_keep_what_is_chosen(demo_client, monkeypatch):
    log_in(demo_client, "steering")
    path = "/dashboard/indicator/reading-standard"
    every = by_id(page(demo_client, path)["_pages_content.children"], "indicator-area")["props"]["options"]
    monkeypatch.setattr(choices, "MANY", 3)
    layout = page(demo_client, path)["_pages_content.children"]
    area, compare = by_id(layout, "indicator-area")["props"], by_id(layout, "indicator-compare")["props"]
    assert len(area["options"]) < len(every) and area["value"] in {o["value"] for o in area["options"]}
    assert not any("municipality" in o["label"] for o in compare["options"])  # nothing chosen yet: the top levels
    state = [("indicator-code", "data", "reading-standard")]

    def offered(dropdown: str, search: str | None, value) -> list[dict]:
        inputs = [(dropdown, "search_value", search), (dropdown, "value", value)]
        return call(demo_client, inputs, state)[f"{dropdown}.options"]

    found = offered("indicator-compare", "witt", [])
    assert [o["value"] for o in found] == ["05954036"] and "Witten" in found[0]["label"]
    clicked = offered("indicator-area", None, "05954036")  # chosen on the map: offered though not typed
    assert "05954036" in {o["value"] for o in clicked} and len(clicked) < len(every)
    assert {o["value"] for o in offered("indicator-compare", None, ["05954036", "GM0014"])} >= {"05954036", "GM0014"}


def test_a_tampered_request_for_rows_gets_the_first_rows(demo_client, monkeypatch):
    log_in(demo_client, "steering")
    monkeypatch.setattr(league, "LONG", 3)
    shown = league_of(demo_client)
    request = {"startRow": "everything", "endRow": None, "sortModel": [{"colId": "nonsense", "sort": "sideways"}]}
    state = [
        ("goal-league-indicator", "value", shown["indicator"]),
        ("goal-league-period", "value", shown["period"]),
        ("goal-league-region", "value", shown["region"]),
    ]
    answer = call(demo_client, [("goal-league-table", "getRowsRequest", request)], state)
    asked = answer["goal-league-table.getRowsResponse"]
    assert len(asked["rowData"]) == min(league.PAGE_SIZE, asked["rowCount"]) and asked["rowCount"] > 3
    assert asked["rowData"][0]["rank"] == 1
