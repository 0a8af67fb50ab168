"""The indicator page's callbacks over HTTP: what a tampered request gets (never a 500, never hidden values)."""

from __future__ import annotations

import csv
import io

URL = "/dashboard/_dash-update-component"


def call(client, outputs: list[tuple[str, str]], inputs: list[tuple[str, str, object]], state=()):
    """Run one callback as the browser would (Dash's JSON request), returning the response."""
    many = len(outputs) > 1
    targets = [{"id": i, "property": p} for i, p in outputs]
    body = {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in outputs) + ".." if many else "{}.{}".format(*outputs[0]),
        "outputs": targets if many else targets[0],
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
        "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"],
    }
    return client.post(URL, json=body)


def show_map(client, code: object, area: object, level: object, period: object, colour: object):
    outputs = [("indicator-map", "figure"), ("indicator-map-keys", "data")]
    outputs += [("indicator-map-note", "children"), ("indicator-map-key", "children")]
    inputs = [("indicator-area", "value", area), ("indicator-level", "value", level)]
    inputs += [("indicator-period", "value", period), ("indicator-colour", "value", colour)]
    return call(client, outputs, inputs, [("indicator-code", "data", code)])


def sent_nothing(response) -> bool:
    """The callback updated nothing (Dash answers 204, or 200 without any output)."""
    return response.status_code == 204 or (response.status_code == 200 and response.json()["response"] == {})


CSV_STATE = [
    ("indicator-code", "data"),
    ("indicator-area", "value"),
    ("indicator-compare", "value"),
    ("indicator-dimension", "value"),
    ("indicator-group", "value"),
    ("indicator-reference", "value"),
]


def download(client, *values: object):
    state = [(i, p, v) for (i, p), v in zip(CSV_STATE, values, strict=True)]
    return call(client, [("indicator-download", "data")], [("indicator-csv", "n_clicks", 1)], state)


def test_csv_callback_gives_the_public_suppressed_values_as_flags(demo_client):
    response = download(demo_client, "first-generation-students", "05954036", ["05916000"], "gender", "girl", "other")
    assert response.status_code == 200, response.text
    sent = response.json()["response"]["indicator-download"]["data"]
    assert sent["filename"] == "first-generation-students-05954036.csv"
    rows = list(csv.DictReader(io.StringIO(sent["content"].lstrip("\ufeff"))))
    hidden = [r for r in rows if r["suppressed"] == "true"]
    assert hidden and all(r["value"] == "" for r in hidden)
    assert {r["area"] for r in rows} == {"05954036", "05916000"}


def test_tampered_callbacks_give_nothing_rather_than_an_error_or_a_hidden_indicator(demo_client):
    # An unpublished indicator asked for by an anonymous visitor: nothing is sent.
    assert sent_nothing(download(demo_client, "primary-pupils", "GM0014", [], "ses", "low", "high"))
    assert sent_nothing(download(demo_client, {"x": 1}, ["GM0014"], "nope", [1], None, 3))
    garbage = [None, 1, [1, 2], {"a": 1}, "nope"]
    for value in garbage:
        response = show_map(demo_client, "reading-standard", value, value, value, value)
        assert response.status_code in (200, 204), (value, response.text)
        clicked = call(
            demo_client,
            [("indicator-area", "value")],
            [("indicator-map", "clickData", value)],
            [("indicator-map-keys", "data", value)],
        )
        assert sent_nothing(clicked), (value, clicked.text)
        code = [("indicator-code", "data", "reading-standard")]
        area = call(
            demo_client,
            [("indicator-series", "figure"), ("indicator-status", "children"), ("indicator-stories", "children")],
            [("indicator-area", "value", "GM0014"), ("indicator-compare", "value", value)],
            code,
        )
        assert area.status_code == 200, (value, area.text)
        groups = [("indicator-area", "value", value), ("indicator-dimension", "value", value)]
        groups += [("indicator-group", "value", value), ("indicator-reference", "value", value)]
        gap = call(
            demo_client, [("indicator-equity", "figure"), ("indicator-equity-summary", "children")], groups, code
        )
        assert gap.status_code in (200, 204), (value, gap.text)
    hidden_map = show_map(demo_client, "primary-pupils", "GM0014", "school", None, "value")
    assert sent_nothing(hidden_map)
