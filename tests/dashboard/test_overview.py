"""The overview's grid pages through a long list of municipalities; a new region starts at its first page."""

from __future__ import annotations

from dashboard.pages import overview
from tests.dashboard.callbacks import by_id, call, components, log_in


def grid_rows(content: object) -> list[str]:
    """The municipality names of the grid's rows, in order."""
    body = next(c for c in components(by_id(content, "overview-grid")) if c["type"] == "Tbody")
    return [row["props"]["children"][0]["props"]["children"]["props"]["children"] for row in body["props"]["children"]]


def view(client, region: str, page: int, changed: int) -> dict:
    inputs = [
        ("overview-region", "value", region),
        ("overview-period", "value", "latest"),
        ("overview-page", "value", page),
    ]
    return call(client, inputs, changed=changed)


def test_a_long_grid_is_shown_a_page_at_a_time_and_a_new_region_starts_at_the_first(demo_client, monkeypatch):
    monkeypatch.setattr(overview, "PAGE_SIZE", 8)
    log_in(demo_client, "steering")
    second = view(demo_client, "all", 1, changed=2)
    rows = grid_rows(second["overview-content.children"])
    assert len(rows) == 8 and second["overview-page.value"] == 1
    assert [o["label"] for o in second["overview-page.options"]] == ["1–8", "9–16", "17–21"]
    assert second["overview-page-label.children"] == "Municipalities 9–16 of 21"
    assert second["overview-pager.style"] is None
    last = grid_rows(view(demo_client, "all", 2, changed=2)["overview-content.children"])
    assert len(last) == 5 and not set(last) & set(rows)
    # A new region starts at its first page, whatever page was chosen before.
    kreis = view(demo_client, "05954", 2, changed=0)
    assert grid_rows(kreis["overview-content.children"])[0] == "Breckerfeld" and kreis["overview-page.value"] == 0
    assert kreis["overview-page-label.children"] == "Municipalities 1–8 of 9"
    # A region that fits one page has no pager.
    groningen = view(demo_client, "PV20", 1, changed=0)
    assert grid_rows(groningen["overview-content.children"]) == ["Groningen"]
    assert groningen["overview-pager.style"] == {"display": "none"}
