"""Admin locks of a period: at once or from a deadline on, for one organisation or everyone; unlocking."""

from __future__ import annotations

import datetime as dt

from api.models.observation import ObservationBatch
from api.readmodel import ReadModel
from api.services.imports.batches import submit_batch
from tests.api.test_approval import CSV, conflict, snapshot
from tests.api.test_entry import principal
from tests.api.test_error_shape import assert_error_shape
from tests.api.test_observations import put, value

COUNT = value("count", "A1", "2024", value=9)


def lock(world, headers, **body):
    return world.post("/api/v1/locks", json=body, headers=headers)


def moment(**delta: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(**delta)).isoformat()


def test_a_lock_for_everyone_refuses_every_channel_and_unlocking_opens_it(world, as_user, db):
    alice, bob, admin = as_user("alice"), as_user("bob"), as_user("admin")
    created = lock(world, admin, period="2024")
    assert created.status_code == 201, created.text
    made = created.json()
    assert made["active"] and made["organisation"] is None and made["locked_by"] == "admin"
    before = snapshot(db)
    body = conflict(put(world, alice, COUNT))
    assert f"lock {made['id']}" in body["message"] and "every organisation" in body["message"]
    conflict(put(world, bob, value("count", "B1", "2024", value=1)))
    upload = world.post("/api/v1/imports", files={"file": ("a.csv", CSV, "text/csv")}, headers=alice)
    assert [e["row"] for e in conflict(upload)["errors"]] == [3]
    dry = world.post(
        "/api/v1/imports", params={"dry_run": True}, files={"file": ("a.csv", CSV, "text/csv")}, headers=alice
    )
    conflict(dry)
    assert snapshot(db) == before
    assert put(world, alice, value("count", "A1", "2023", value=1)).status_code == 200  # another period

    conflict(lock(world, admin, period="2024"), "already_locked")
    ended = world.delete(f"/api/v1/locks/{made['id']}", headers=admin)
    assert ended.status_code == 200 and not ended.json()["active"] and ended.json()["unlocked_by"] == "admin"
    conflict(world.delete(f"/api/v1/locks/{made['id']}", headers=admin), "already_unlocked")
    assert put(world, alice, COUNT).status_code == 200
    listed = world.get("/api/v1/locks", params={"period": "2024"}, headers=alice).json()
    assert [(x["id"], x["active"], x["unlocked_by"]) for x in listed] == [(made["id"], False, "admin")]


def test_a_deadline_in_the_past_locks_one_in_the_future_does_not(world, as_user, db):
    alice, bob, admin = as_user("alice"), as_user("bob"), as_user("admin")
    past = lock(world, admin, period="2024", organisation="CITY-A", lock_after=moment(minutes=-1))
    future = lock(world, admin, period="2024", organisation="CITY-B", lock_after=moment(days=30))
    assert past.status_code == future.status_code == 201
    assert past.json()["active"] and not future.json()["active"]
    body = conflict(put(world, alice, COUNT))
    assert "since its deadline" in body["message"] and "for CITY-A" in body["message"]
    assert put(world, bob, value("count", "B1", "2024", value=2)).status_code == 200
    active = world.get("/api/v1/locks", params={"active": True}, headers=admin).json()
    assert [x["organisation"] for x in active] == ["CITY-A"]
    assert [
        x["organisation"] for x in world.get("/api/v1/locks", params={"organisation": "CITY-B"}, headers=admin).json()
    ] == ["CITY-B"]


def test_locks_are_for_staff_and_checked(world, as_user):
    alice, admin = as_user("alice"), as_user("admin")
    for response in (
        lock(world, alice, period="2024"),
        world.delete("/api/v1/locks/1", headers=alice),
        lock(world, admin, period="2024-13"),
        lock(world, admin, period="2024", organisation="NOPE"),
        lock(world, admin, period="2024", lock_after="2030-01-01T00:00:00"),  # no time zone
        world.delete("/api/v1/locks/999", headers=admin),
        world.post("/api/v1/locks", json={"period": "2024"}),
    ):
        assert_error_shape(response)
    statuses = [
        r.status_code
        for r in (
            lock(world, alice, period="2024"),
            lock(world, admin, period="2024-13"),
            lock(world, admin, period="2024", organisation="NOPE"),
            lock(world, admin, period="2024", lock_after="2030-01-01T00:00:00"),
            world.delete("/api/v1/locks/999", headers=admin),
            world.post("/api/v1/locks", json={"period": "2024"}),
        )
    ]
    assert statuses == [403, 422, 422, 422, 404, 401]
    school_year = lock(world, admin, period="2024-25")  # spelt with a dash: the school year 2024/25
    assert school_year.status_code == 201 and school_year.json()["period"] == "2024/25"


def test_an_override_by_staff_passes_a_lock_and_is_in_the_history(world, as_user, db):
    alice, admin = as_user("alice"), as_user("admin")
    made = lock(world, admin, period="2024", organisation="CITY-A").json()
    with db.transaction() as session:
        summary = submit_batch(
            session=session,
            read_model=ReadModel(db),
            principal=principal(db, "admin"),
            batch=ObservationBatch.model_validate({"observations": [COUNT]}),
            max_errors=10,
            on_behalf_of=principal(db, "alice").organisation_id,
            override=True,
            reason="figures from the annual report",
        )
    assert summary.inserted == 1
    report = world.get("/api/v1/reports/CITY-A/2024", headers=admin).json()
    assert report["status"] == "draft"
    assert [(h["action"], h["comment"], h["submission"]) for h in report["history"]] == [
        ("lock", "locked at once", None),
        ("override", "figures from the annual report", summary.submission),
    ]
    assert report["history"][0]["lock"] == made["id"]
    assert world.get(f"/api/v1/submissions/{summary.submission}", headers=alice).json()["override"] is True
    # ... and in the audit, with who did it, through which submission, and why.
    events = world.get("/api/v1/audit", params={"entity": "period_review"}, headers=admin).json()["items"]
    (override,) = [e for e in events if e["after"]["action"] == "override"]
    assert (override["user"], override["submission"], override["after"]["comment"]) == (
        "admin",
        summary.submission,
        "figures from the annual report",
    )


def test_a_lock_that_comes_while_a_batch_is_checked_refuses_it_only_when_it_is_the_batchs_period(
    world, as_user, db, monkeypatch
):
    """The locks read before checking are read again once the write lock is held. A lock of the batch's
    period that came meanwhile refuses it (nothing written, send again); another member's report approved
    meanwhile for another period changes nothing for it."""
    from api.services.imports import batches
    from api.services.periods.closed import Lock

    alice = as_user("alice")
    city_b = principal(db, "bob").organisation_id
    for period, refused in (("2024", True), ("2019", False)):
        calls = []

        def locks_in_force(session, *, now, staff, period=period, calls=calls):
            calls.append(period)
            return [] if len(calls) == 1 else [Lock(city_b, period, 1, f"period {period} approved meanwhile")]

        monkeypatch.setattr(batches, "locks_in_force", locks_in_force)
        before = snapshot(db)
        answer = put(world, alice, COUNT)
        assert len(calls) == 2
        if refused:
            assert "locked while this was being checked" in conflict(answer, code="conflict")["message"]
            assert snapshot(db) == before
        else:
            assert answer.status_code == 200, answer.text
            assert world.get("/api/v1/observations", params={"indicator": "count"}, headers=alice).json()["total"] == 1
