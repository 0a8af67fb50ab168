"""Admin create and update of agenda, goals, indicators, dimensions, areas, organisations,
assignments and targets; everyone reads them."""

from __future__ import annotations

import pytest


@pytest.fixture
def admin(as_user):
    return as_user("admin")


def test_agenda_is_created_replaced_and_patched(world, admin):
    assert world.get("/api/v1/agenda").status_code == 404
    agenda = {
        "code": "pact",
        "name": {"nl": "Gelijke kansen", "de": "Gleiche Chancen", "en": "Equal chances"},
        "start_date": "2020-10-07",
        "signatories": [{"organisation": "CITY-A", "signed_on": "2020-10-07"}, {"organisation": "CITY-B"}],
    }
    assert world.put("/api/v1/agenda", json=agenda, headers=admin).status_code == 200
    body = world.get("/api/v1/agenda").json()
    assert body["name"]["de"] == "Gleiche Chancen"
    assert [s["organisation"] for s in body["signatories"]] == ["CITY-A", "CITY-B"]
    patched = world.patch("/api/v1/agenda", json={"vision": {"en": "Every child"}}, headers=admin).json()
    assert patched["vision"]["en"] == "Every child" and patched["name"]["en"] == "Equal chances"
    assert world.patch("/api/v1/agenda", json={"name": None}, headers=admin).status_code == 422
    cleared = world.patch("/api/v1/agenda", json={"vision": None}, headers=admin).json()
    assert cleared["vision"] is None
    unknown = world.put("/api/v1/agenda", json={**agenda, "signatories": [{"organisation": "NOPE"}]}, headers=admin)
    assert unknown.status_code == 404


def test_goal_create_update_and_conflict(world, admin):
    created = world.post("/api/v1/goals", json={"code": "g2", "title": {"en": "Two"}, "position": 2}, headers=admin)
    assert created.status_code == 201 and created.json()["title"] == {"nl": None, "de": None, "en": "Two"}
    again = world.post("/api/v1/goals", json={"code": "g2", "title": {"en": "Again"}}, headers=admin)
    assert again.status_code == 409 and again.json()["code"] == "duplicate_code"
    patched = world.patch("/api/v1/goals/g2", json={"title": {"en": "Two", "nl": "Twee"}}, headers=admin).json()
    assert patched["title"]["nl"] == "Twee"
    assert world.get("/api/v1/goals/g2").json()["title"]["nl"] == "Twee"
    assert world.get("/api/v1/goals/nope").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"code": "bad code", "title": {"en": "x"}},
        {"code": "g3", "title": {}},
        {"code": "g3", "title": {"fr": "x"}},
        {"code": "g3"},
    ],
)
def test_goal_with_bad_input_is_rejected_with_the_field(world, admin, body):
    response = world.post("/api/v1/goals", json=body, headers=admin)
    assert response.status_code == 422
    assert all(e["field"].startswith("body") for e in response.json()["errors"])


def test_indicator_create_with_dimensions_and_update(world, admin):
    indicator = {
        "code": "reading",
        "goal": "g1",
        "name": {"en": "Reading", "nl": "Lezen", "de": "Lesen"},
        "unit": "percent",
        "direction": "higher",
        "period_type": "school_year",
        "aggregation": "ratio",
        "dimensions": ["ses"],
        "suppression_threshold": 10,
        "owner": "CITY-A",
    }
    created = world.post("/api/v1/indicators", json=indicator, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["dimensions"] == ["ses"] and created.json()["owner"] == "CITY-A"
    updated = world.patch(
        "/api/v1/indicators/reading", json={"dimensions": [], "published": False}, headers=admin
    ).json()
    assert updated["dimensions"] == [] and updated["published"] is False
    assert world.get("/api/v1/indicators/reading").status_code == 404  # unpublished: hidden from anonymous
    assert world.get("/api/v1/indicators/reading", headers=admin).status_code == 200


def test_indicator_rules_keep_rates_and_counts_apart(world, admin):
    base = {"goal": "g1", "name": {"en": "x"}, "direction": "higher", "period_type": "year"}
    mean_of_percent = world.post(
        "/api/v1/indicators", json={**base, "code": "p", "unit": "percent", "aggregation": "sum"}, headers=admin
    )
    assert mean_of_percent.status_code == 422
    unknown_goal = world.post(
        "/api/v1/indicators",
        json={**base, "code": "p", "unit": "count", "aggregation": "sum", "goal": "nope"},
        headers=admin,
    )
    assert unknown_goal.status_code == 404
    changed = world.patch("/api/v1/indicators/count", json={"unit": "percent"}, headers=admin)
    assert changed.status_code == 422 and changed.json()["code"] == "inconsistent_indicator"


def test_indicators_listed_per_goal_and_published_only_for_anonymous(world, as_user):
    anonymous = [i["code"] for i in world.get("/api/v1/indicators", params={"goal": "g1"}).json()["items"]]
    viewer = [i["code"] for i in world.get("/api/v1/indicators", headers=as_user("viewer")).json()["items"]]
    assert anonymous == ["rate", "count"] and viewer == ["rate", "count", "hidden"]


def test_dimension_values_in_use_cannot_be_removed(world, admin, as_user):
    created = world.post(
        "/api/v1/dimensions",
        json={"code": "gender", "name": {"en": "Gender"}, "values": [{"code": "girl", "name": {"en": "Girl"}}]},
        headers=admin,
    )
    assert created.status_code == 201
    world.put(
        "/api/v1/observations",
        json={
            "observations": [
                {"indicator": "rate", "area": "A1", "period": "2024", "breakdown": {"ses": "low"}, "value": 10.0}
            ]
        },
        headers=as_user("alice"),
    )
    shrink = world.patch(
        "/api/v1/dimensions/ses", json={"values": [{"code": "high", "name": {"en": "High"}}]}, headers=admin
    )
    assert shrink.status_code == 409 and shrink.json()["code"] == "in_use"
    grow = world.patch(
        "/api/v1/dimensions/ses",
        json={"values": [{"code": v, "name": {"en": v}} for v in ("low", "middle", "high", "unknown")]},
        headers=admin,
    )
    assert [v["code"] for v in grow.json()["values"]] == ["low", "middle", "high", "unknown"]


def test_areas_hierarchy_and_cycles(world, admin):
    created = world.post(
        "/api/v1/areas", json={"code": "A1-N", "name": "North", "level": "district", "parent": "A1"}, headers=admin
    )
    assert created.status_code == 201 and created.json()["parent"] == "A1"
    children = world.get("/api/v1/areas", params={"parent": "A1"}).json()["items"]
    assert [a["code"] for a in children] == ["A1-N"]
    cycle = world.patch("/api/v1/areas/A1", json={"parent": "A1-N"}, headers=admin)
    assert cycle.status_code == 422 and cycle.json()["code"] == "area_cycle"
    districts = world.get("/api/v1/areas", params={"level": "district"}).json()
    assert districts["total"] == 1


def test_the_remembered_hierarchy_follows_a_new_area(world, admin):
    from api.models.common import AreaLevel
    from api.services.metadata.areas import hierarchy

    read_model = world.app.state.backbone.read_model
    before = hierarchy(read_model=read_model, levels=[AreaLevel.country, AreaLevel.municipality])
    assert before["A1"] == ("Area A1", "NL", "municipality") and before["NL"][1] is None
    world.post(
        "/api/v1/areas", json={"code": "A3", "name": "Third", "level": "municipality", "parent": "NL"}, headers=admin
    )
    after = hierarchy(read_model=read_model, levels=[AreaLevel.country, AreaLevel.municipality])
    assert after["A3"] == ("Third", "NL", "municipality")
    assert "A1-N" not in hierarchy(read_model=read_model, levels=[AreaLevel.country])


def test_organisations_create_and_update(world, admin):
    created = world.post(
        "/api/v1/organisations", json={"code": "KIDS", "name": "Kids", "type": "childcare"}, headers=admin
    )
    assert created.status_code == 201
    assert (
        world.patch("/api/v1/organisations/KIDS", json={"name": "Kids First"}, headers=admin).json()["name"]
        == "Kids First"
    )
    bad_type = world.post("/api/v1/organisations", json={"code": "X", "name": "X", "type": "pub"}, headers=admin)
    assert bad_type.status_code == 422


def test_assignments_one_reporter_per_indicator_and_area(world, admin, as_user):
    clash = world.post(
        "/api/v1/assignments", json={"organisation": "CITY-B", "indicator": "rate", "area": "A1"}, headers=admin
    )
    assert clash.status_code == 409 and "CITY-A" in clash.json()["message"]
    mine = world.get("/api/v1/assignments", params={"organisation": "CITY-A"}, headers=as_user("alice")).json()
    assert mine["total"] == 3
    rate_a1 = next(a for a in mine["items"] if a["indicator"] == "rate")
    assert world.delete(f"/api/v1/assignments/{rate_a1['id']}", headers=admin).status_code == 204
    moved = world.post(
        "/api/v1/assignments", json={"organisation": "CITY-B", "indicator": "rate", "area": "A1"}, headers=admin
    )
    assert moved.status_code == 201
    # The new reporter may now write A1, the old one may not.
    batch = {"observations": [{"indicator": "rate", "area": "A1", "period": "2024", "value": 20.0}]}
    assert world.put("/api/v1/observations", json=batch, headers=as_user("bob")).status_code == 200
    assert world.put("/api/v1/observations", json=batch, headers=as_user("alice")).status_code == 403
    assert world.get("/api/v1/assignments").status_code == 401


def test_targets_periods_are_checked_and_normalised(world, admin):
    target = {
        "indicator": "rate",
        "area": "A1",
        "baseline_period": "2016",
        "baseline_value": 40,
        "target_period": "2030",
        "target_value": 60,
    }
    created = world.post("/api/v1/targets", json=target, headers=admin)
    assert created.status_code == 201
    duplicate = world.post("/api/v1/targets", json=target, headers=admin)
    assert duplicate.status_code == 409
    backwards = world.post("/api/v1/targets", json={**target, "target_period": "2010"}, headers=admin)
    assert backwards.status_code == 422 and backwards.json()["code"] == "invalid_period"
    wrong_type = world.post("/api/v1/targets", json={**target, "target_period": "2030-Q1"}, headers=admin)
    assert wrong_type.status_code == 422
    target_id = created.json()["id"]
    patched = world.patch(f"/api/v1/targets/{target_id}", json={"target_value": 65}, headers=admin).json()
    assert patched["target_value"] == 65
    alliance_wide = world.get("/api/v1/targets", params={"area": ""}).json()["items"]
    assert [t["area"] for t in alliance_wide] == [None]
    assert world.delete(f"/api/v1/targets/{target_id}", headers=admin).status_code == 204
    assert world.delete(f"/api/v1/targets/{target_id}", headers=admin).status_code == 404


def test_metadata_change_reaches_the_read_model(world, admin):
    world.post("/api/v1/goals", json={"code": "g2", "title": {"en": "Two"}, "position": 2}, headers=admin)
    world.post(
        "/api/v1/indicators",
        json={
            "code": "new",
            "goal": "g2",
            "name": {"en": "New"},
            "unit": "count",
            "direction": "higher",
            "period_type": "year",
            "aggregation": "sum",
        },
        headers=admin,
    )
    progress = world.get("/api/v1/progress", params={"goal": "g2", "area": "A1"}).json()
    assert [i["code"] for i in progress["items"][0]["indicators"]] == ["new"]


def test_list_endpoints_page(world, admin):
    for n in range(5):
        world.post(
            "/api/v1/organisations", json={"code": f"ORG{n}", "name": f"Org {n}", "type": "foundation"}, headers=admin
        )
    page = world.get("/api/v1/organisations", params={"limit": 3, "offset": 3}).json()
    assert page["total"] == 8 and page["limit"] == 3 and page["offset"] == 3 and len(page["items"]) == 3
    assert world.get("/api/v1/organisations", params={"limit": 0}).status_code == 422
    assert world.get("/api/v1/organisations", params={"limit": 5000}).status_code == 422
