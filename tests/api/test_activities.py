"""The register of activities: members register and change their own organisation's, staff any; the public reads."""

from __future__ import annotations

import pytest

from tests.conftest import login

ACTIVITY = {
    "goal": "g1",
    "title": {"en": "Reading club"},
    "description": {"en": "Twenty minutes a day", "nl": "Twintig minuten per dag"},
    "status": "active",
    "start_date": "2024-09-01",
    "indicators": ["rate", "hidden"],
    "areas": ["A1"],
}


def create(client, headers, **changes):
    return client.post("/api/v1/activities", json={**ACTIVITY, **changes}, headers=headers)


def everything(client, headers) -> list[dict]:
    return client.get("/api/v1/activities", headers=headers).json()["items"]


def fields(response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def test_a_member_registers_an_activity_for_their_own_organisation_whatever_the_body_says(world, as_user):
    made = create(world, as_user("alice"), organisation="CITY-B")
    assert made.status_code == 201, made.text
    found = made.json()
    assert (found["organisation"], found["goal"], found["status"]) == ("CITY-A", "g1", "active")
    assert (found["indicators"], found["areas"]) == (["hidden", "rate"], ["A1"])
    assert found["created_by"] == found["updated_by"] == "alice"
    assert world.get(f"/api/v1/activities/{found['id']}", headers=as_user("viewer")).json() == found


def test_the_public_sees_activities_without_usernames_or_unpublished_indicators(world, as_user):
    made = create(world, as_user("alice")).json()
    public = world.get(f"/api/v1/activities/{made['id']}").json()
    assert public["indicators"] == ["rate"]
    assert public["created_by"] is None and public["updated_by"] is None
    assert world.get("/api/v1/activities", params={"indicator": "hidden"}).status_code == 404
    staff = world.get("/api/v1/activities", params={"indicator": "hidden"}, headers=as_user("viewer"))
    assert [a["id"] for a in staff.json()["items"]] == [made["id"]]


def test_lists_filter_by_goal_organisation_status_indicator_and_area_and_page(world, as_user):
    alice, bob = as_user("alice"), as_user("bob")
    first = create(world, alice, status="planned", start_date=None).json()
    second = create(world, alice, status="completed", indicators=["count"], areas=[]).json()
    third = create(world, bob, areas=["B1"]).json()

    def ids(**query: str) -> list[int]:
        return [a["id"] for a in world.get("/api/v1/activities", params=query).json()["items"]]

    assert ids() == [first["id"], third["id"], second["id"]]  # planned, active, completed
    assert ids(organisation="CITY-A") == [first["id"], second["id"]]
    assert ids(status="completed") == [second["id"]]
    assert ids(indicator="count") == [second["id"]]
    assert ids(area="B1") == [third["id"]]
    assert ids(goal="g1", limit="1", offset="1") == [third["id"]]
    assert world.get("/api/v1/activities", params={"limit": 1}).json()["total"] == 3
    for query in ({"goal": "nope"}, {"organisation": "nope"}, {"area": "nope"}):
        assert world.get("/api/v1/activities", params=query).status_code == 404
    assert world.get("/api/v1/activities", params={"status": "sleeping"}).status_code == 422


def test_members_change_and_delete_their_own_activities(world, as_user):
    alice = as_user("alice")
    made = create(world, alice).json()
    changed = world.patch(
        f"/api/v1/activities/{made['id']}",
        json={"status": "completed", "end_date": "2025-06-30", "indicators": ["count"]},
        headers=alice,
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["status"], changed.json()["end_date"], changed.json()["indicators"]) == (
        "completed",
        "2025-06-30",
        ["count"],
    )
    assert changed.json()["areas"] == ["A1"]  # not named: left alone
    assert world.delete(f"/api/v1/activities/{made['id']}", headers=alice).status_code == 204
    assert world.get(f"/api/v1/activities/{made['id']}").status_code == 404


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_another_organisations_activity_is_403_and_unchanged(world, as_user, method):
    made = create(world, as_user("alice")).json()
    before = everything(world, as_user("admin"))
    kwargs = {"json": {"status": "stopped"}} if method == "patch" else {}
    response = world.request(method.upper(), f"/api/v1/activities/{made['id']}", headers=as_user("bob"), **kwargs)
    assert response.status_code == 403
    assert everything(world, as_user("admin")) == before


def test_staff_change_any_activity_and_keep_its_organisation(world, as_user):
    made = create(world, as_user("alice")).json()
    changed = world.patch(f"/api/v1/activities/{made['id']}", json={"status": "stopped"}, headers=as_user("admin"))
    assert (changed.json()["organisation"], changed.json()["updated_by"]) == ("CITY-A", "admin")
    assert world.delete(f"/api/v1/activities/{made['id']}", headers=as_user("admin")).status_code == 204


def test_viewers_and_strangers_cannot_write(world, as_user):
    made = create(world, as_user("alice")).json()
    before = everything(world, as_user("admin"))
    assert create(world, as_user("viewer")).status_code == 403
    assert create(world, {}).status_code == 401
    assert world.patch(f"/api/v1/activities/{made['id']}", json={"status": "stopped"}).status_code == 401
    assert world.delete(f"/api/v1/activities/{made['id']}", headers=as_user("viewer")).status_code == 403
    assert everything(world, as_user("admin")) == before


def test_bad_input_is_422_naming_the_field_and_nothing_is_written(world, as_user):
    alice = as_user("alice")
    cases = [
        ({"goal": "nope"}, "body.goal"),
        ({"indicators": ["rate", "nope"]}, "body.indicators.1"),
        ({"areas": ["nope"]}, "body.areas.0"),
        ({"status": "sleeping"}, "body.status"),
        ({"title": {"en": "x" * 201}}, "body.title"),
        ({"title": {"en": "   "}}, "body.title"),
        ({"title": {}}, "body.title"),
        ({"start_date": "2025-01-01", "end_date": "2024-01-01"}, "body"),
        ({"start_date": "someday"}, "body.start_date"),
    ]
    for changes, field in cases:
        response = create(world, alice, **changes)
        assert response.status_code == 422, (changes, response.text)
        assert field in fields(response), (changes, response.json())
    assert everything(world, as_user("admin")) == []


def test_members_name_only_areas_they_work_in(world, as_user):
    refused = create(world, as_user("alice"), areas=["A1", "B1"])
    assert refused.status_code == 403 and fields(refused) == ["body.areas.1"]
    assert create(world, as_user("alice"), areas=["NL"]).status_code == 201  # the country above A1
    assert create(world, as_user("admin"), areas=["B1"]).json()["organisation"] == "BACKBONE"


def test_an_update_that_breaks_the_rules_changes_nothing(world, as_user):
    alice = as_user("alice")
    made = create(world, alice).json()
    for body, field in (
        ({"end_date": "2020-01-01"}, "body.end_date"),
        ({"title": None}, "body.title"),
        ({"areas": ["B1"]}, "body.areas.0"),
        ({"goal": "nope"}, "body.goal"),
    ):
        response = world.patch(f"/api/v1/activities/{made['id']}", json=body, headers=alice)
        assert response.status_code in (403, 422) and fields(response) == [field], response.text
    assert world.get(f"/api/v1/activities/{made['id']}", headers=alice).json() == made
    assert world.patch("/api/v1/activities/999999", json={}, headers=alice).status_code == 404


def test_the_demo_has_activities_of_groningen_and_the_ruhr_in_three_languages(demo_client):
    found = demo_client.get("/api/v1/activities", params={"goal": "early-years"}).json()["items"]
    by_org = {a["organisation"]: a for a in found}
    assert {"KIDSFIRST", "STADT-WITTEN", "STADT-HATTINGEN"} <= set(by_org)
    assert all(set(a["title"]) == {"nl", "de", "en"} and a["title"]["en"] for a in found)
    assert by_org["STADT-WITTEN"]["areas"] == ["05954036"]
    statuses = {a["status"] for a in demo_client.get("/api/v1/activities").json()["items"]}
    assert statuses == {"planned", "active", "completed", "stopped"}
    reading = demo_client.get("/api/v1/activities", params={"indicator": "reading-standard", "area": "05954016"})
    assert [a["organisation"] for a in reading.json()["items"]] == ["STADT-HATTINGEN", "STADT-HATTINGEN"]


def test_a_demo_member_edits_their_own_activity_but_not_anothers(demo_client):
    witten, hattingen = login(demo_client, "witten"), login(demo_client, "hattingen")
    own = demo_client.get("/api/v1/activities", params={"organisation": "STADT-WITTEN"}).json()["items"][0]
    changed = demo_client.patch(f"/api/v1/activities/{own['id']}", json={"status": "completed"}, headers=witten)
    assert changed.status_code == 200 and changed.json()["status"] == "completed"
    refused = demo_client.patch(f"/api/v1/activities/{own['id']}", json={"status": "stopped"}, headers=hattingen)
    assert refused.status_code == 403
    assert demo_client.get(f"/api/v1/activities/{own['id']}").json()["status"] == "completed"


def test_ids_beyond_what_the_database_holds_are_422_not_a_server_error(world, as_user):
    for method in ("GET", "PATCH", "DELETE"):
        for path in ("/api/v1/activities/99999999999999999999", "/api/v1/narratives/99999999999999999999"):
            response = world.request(method, path, json={} if method == "PATCH" else None, headers=as_user("admin"))
            assert response.status_code == 422, (method, path, response.text)
