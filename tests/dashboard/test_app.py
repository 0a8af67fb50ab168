"""The dashboard is served by the API's process and draws progress from the read model."""

from __future__ import annotations


def test_dashboard_page_and_layout_are_served(demo_client):
    page = demo_client.get("/dashboard/")
    assert page.status_code == 200 and "_dash-config" in page.text
    layout = demo_client.get("/dashboard/_dash-layout").json()
    assert "overview-area" in str(layout) and "Groningen (GM0014)" in str(layout)
    deep_link = demo_client.get("/dashboard/some/page")
    assert deep_link.status_code == 200 and "_dash-config" in deep_link.text


def test_progress_chart_shows_the_areas_indicators(demo_client):
    response = demo_client.post(
        "/dashboard/_dash-update-component",
        json={
            "output": "overview-progress.figure",
            "outputs": {"id": "overview-progress", "property": "figure"},
            "inputs": [{"id": "overview-area", "property": "value", "value": "GM0014"}],
            "changedPropIds": ["overview-area.value"],
            "state": [],
        },
    )
    assert response.status_code == 200, response.text
    traces = response.json()["response"]["overview-progress"]["figure"]["data"]
    bars = {label: x for trace in traces for label, x in zip(trace["y"], trace["x"], strict=True)}
    assert len(bars) >= 10
    assert all(0.0 <= share <= 1.0 for share in bars.values())
    assert any("Reading" in label for label in bars)
