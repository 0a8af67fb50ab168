"""Retiring an area, indicator or organisation: kept for the data that names it, no longer assigned or reported."""

from __future__ import annotations

VALUE = {"observations": [{"indicator": "count", "area": "A1", "period": "2024", "value": 7}]}


def _assigned(world, admin, **where) -> list[tuple[str, str, str]]:
    items = world.get("/api/v1/assignments", params=where, headers=admin).json()["items"]
    return [(a["organisation"], a["indicator"], a["area"]) for a in items]


def test_a_retired_area_keeps_its_values_but_its_assignments_end(world, as_user):
    admin, alice = as_user("admin"), as_user("alice")
    assert world.put("/api/v1/observations", json=VALUE, headers=alice).status_code == 200
    retired = world.patch("/api/v1/areas/A1", json={"active": False}, headers=admin)
    assert retired.status_code == 200 and retired.json()["active"] is False
    assert _assigned(world, admin, area="A1") == []
    assert _assigned(world, admin, area="B1") != []  # others keep theirs
    stored = world.get("/api/v1/observations", params={"indicator": "count", "area": "A1"}, headers=admin).json()
    assert [o["value"] for o in stored["items"]] == [7]
    again = dict(VALUE, observations=[dict(VALUE["observations"][0], value=8)])
    assert world.put("/api/v1/observations", json=again, headers=alice).status_code == 403  # no longer assigned
    assignment = {"organisation": "CITY-A", "indicator": "count", "area": "A1"}
    refused = world.post("/api/v1/assignments", json=assignment, headers=admin)
    assert refused.status_code == 409 and refused.json()["code"] == "retired"
    assert world.patch("/api/v1/areas/A1", json={"active": True}, headers=admin).json()["active"] is True
    assert world.post("/api/v1/assignments", json=assignment, headers=admin).status_code == 201


def test_a_retired_organisation_ends_its_assignments_and_switches_its_users_off(world, as_user):
    admin, alice = as_user("admin"), as_user("alice")
    retired = world.patch("/api/v1/organisations/CITY-A", json={"active": False}, headers=admin)
    assert retired.status_code == 200 and retired.json()["active"] is False
    assert _assigned(world, admin, organisation="CITY-A") == []
    assert world.get("/api/v1/auth/me", headers=alice).status_code == 401
    assert world.get("/api/v1/users/alice", headers=admin).json()["active"] is False


def test_the_organisation_of_the_last_admin_cannot_be_retired(world, as_user):
    admin = as_user("admin")
    refused = world.patch("/api/v1/organisations/BACKBONE", json={"active": False}, headers=admin)
    assert refused.status_code == 409 and refused.json()["code"] == "last_admin"
    assert world.get("/api/v1/organisations/BACKBONE").json()["active"] is True


def test_a_retired_indicator_is_no_longer_assigned(world, as_user):
    admin = as_user("admin")
    retired = world.patch("/api/v1/indicators/count", json={"active": False}, headers=admin)
    assert retired.status_code == 200 and retired.json()["active"] is False
    assert _assigned(world, admin, indicator="count") == []
    assert _assigned(world, admin, indicator="rate") != []
    refused = world.patch("/api/v1/indicators/count", json={"active": None}, headers=admin)
    assert refused.status_code == 422
