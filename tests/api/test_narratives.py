"""The story behind the curve: per indicator, the area's own stories first, then the alliance-wide ones."""

from __future__ import annotations

from tests.conftest import login


def test_an_areas_stories_come_before_the_alliance_wide_ones(demo_client):
    stories = demo_client.get("/api/v1/narratives", params={"indicator": "reading-standard", "area": "05954036"})
    assert stories.status_code == 200
    found = stories.json()
    assert [s["area"] for s in found] == ["05954036", None]
    assert found[0]["organisation"] == "STADT-WITTEN" and "Witten" in found[0]["text"]["de"]
    assert set(found[0]["text"]) == {"nl", "de", "en"}


def test_other_areas_get_only_the_alliance_wide_story(demo_client):
    found = demo_client.get("/api/v1/narratives", params={"indicator": "reading-standard", "area": "GM0014"}).json()
    assert [s["area"] for s in found] == [None]
    everything = demo_client.get("/api/v1/narratives", params={"indicator": "reading-standard"}).json()
    assert len(everything) == 2


def test_unknown_or_unpublished_indicators_are_404_for_the_public(demo_client):
    assert demo_client.get("/api/v1/narratives", params={"indicator": "nope"}).status_code == 404
    assert demo_client.get("/api/v1/narratives", params={"indicator": "primary-pupils"}).status_code == 404
    member = login(demo_client, "kidsfirst")
    assert demo_client.get("/api/v1/narratives", params={"indicator": "primary-pupils"}, headers=member).json() == []
    missing_area = demo_client.get("/api/v1/narratives", params={"indicator": "reading-standard", "area": "XX"})
    assert missing_area.status_code == 404
