"""A callback that fails (a tampered request, a code that does not exist) answers with a message, not a 500."""

from __future__ import annotations

from tests.dashboard.callbacks import call, log_in


def page(client, path: str, search: str = "") -> dict:
    """What Dash's page router answers for an address, as the browser asks it."""
    return call(client, [("_pages_location", "pathname", path), ("_pages_location", "search", search)])


def test_a_period_that_is_no_period_says_so_on_the_page(demo_client):
    log_in(demo_client, "steering")
    answer = page(demo_client, "/dashboard/goal/learning", "?indicator=reading-standard&period=not-a-year")
    assert answer["shell-alert.hidden"] is False
    assert "could not be shown" in answer["shell-alert.children"] and "not-a-year" in answer["shell-alert.children"]


def test_a_tampered_league_callback_gets_a_message_in_the_language(demo_client):
    log_in(demo_client, "steering", language="de")
    inputs = [
        ("goal-league-indicator", "value", "no-such-indicator"),
        ("goal-league-period", "value", None),
        ("goal-league-region", "value", "all"),
        ("goal-area", "value", "05954"),
    ]
    answer = call(demo_client, inputs)
    assert set(answer) == {"shell-alert.children", "shell-alert.hidden"}  # nothing else changed
    assert answer["shell-alert.children"].startswith("Das konnte nicht angezeigt werden")


def test_an_unexpected_error_is_logged_and_the_page_says_so_in_general(demo_client, caplog):
    log_in(demo_client, "steering")
    answer = call(demo_client, [("goal-area", "value", "05954")], state=[("goal-code", "data", "not a dict")])
    assert "has been logged" in answer["shell-alert.children"]
    assert any("dashboard callback failed" in r.message and r.exc_info for r in caplog.records)
