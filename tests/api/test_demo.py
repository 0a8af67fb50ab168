"""The demo data: both alliances, the contract's demo users, progress with statuses."""

from __future__ import annotations

from tests.conftest import login


def codes(client, path, **params):
    return {item["code"] for item in client.get(path, params={"limit": 1000, **params}).json()["items"]}


def test_both_alliances_are_there(demo_client):
    areas = codes(demo_client, "/api/v1/areas")
    assert {"GM0014", "05954", "05954036", "05954016", "05112000", "05916000"} <= areas
    assert {"05954004", "05954008", "05954012", "05954020", "05954024", "05954028", "05954032"} <= areas
    organisations = codes(demo_client, "/api/v1/organisations")
    assert {"KIDSFIRST", "GM-GRONINGEN", "STADT-WITTEN", "STADT-HATTINGEN", "RVR", "MERCATOR"} <= organisations
    assert 4 <= len(codes(demo_client, "/api/v1/goals")) <= 6
    indicators = demo_client.get(
        "/api/v1/indicators", params={"limit": 100}, headers=login(demo_client, "admin")
    ).json()
    assert 10 <= indicators["total"] <= 17
    assert all(i["name"]["nl"] and i["name"]["de"] and i["name"]["en"] for i in indicators["items"])
    assert any("ses" in i["dimensions"] for i in indicators["items"])
    agenda = demo_client.get("/api/v1/agenda").json()
    assert agenda["name"]["nl"] and agenda["name"]["de"] and agenda["name"]["en"]


def test_progress_for_groningen_lists_indicators_with_statuses(demo_client):
    body = demo_client.get("/api/v1/progress", params={"area": "GM0014"}).json()
    statuses = [i["status"] for group in body["items"] for i in group["indicators"]]
    assert len(statuses) >= 10
    assert {"on_track", "off_track"} <= set(statuses)


def test_demo_users_of_the_contract_can_log_in(demo_client):
    expected = {
        "admin": ("admin", "BACKBONE"),
        "steering": ("viewer", "BACKBONE"),
        "kidsfirst": ("member", "KIDSFIRST"),
        "witten": ("member", "STADT-WITTEN"),
        "hattingen": ("member", "STADT-HATTINGEN"),
        "groningen": ("member", "GM-GRONINGEN"),
    }
    for username, (role, organisation) in expected.items():
        me = demo_client.get("/api/v1/auth/me", headers=login(demo_client, username)).json()
        assert (me["role"], me["organisation"]) == (role, organisation)


def test_witten_writes_its_own_values_and_not_hattingens(demo_client):
    headers = login(demo_client, "witten")
    own = {
        "indicator": "reading-standard",
        "area": "05954036",
        "period": "2025/26",
        "value": 71.3,
        "numerator": 713,
        "denominator": 1000,
    }
    assert demo_client.put("/api/v1/observations", json={"observations": [own]}, headers=headers).status_code == 200
    foreign = {**own, "area": "05954016"}
    response = demo_client.put("/api/v1/observations", json={"observations": [foreign]}, headers=headers)
    assert response.status_code == 403
    witten = demo_client.get("/api/v1/progress", params={"area": "05954036", "goal": "learning"}).json()["items"][0][
        "indicators"
    ]
    assert next(i for i in witten if i["code"] == "reading-standard")["latest"] == {"period": "2025/26", "value": 71.3}


def test_observation_values_say_they_are_synthetic(demo_client):
    items = demo_client.get("/api/v1/observations", params={"limit": 50}).json()["items"]
    assert items and all(i["note"] == "synthetic demo value" for i in items)
