"""The audit: metadata changes with who, when, how and which submission; observation histories; immutability."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import delete, select

from api.db import Database
from api.models import AuditEvent, Observation, Submission, Target
from api.models.common import Channel, Role
from api.models.observation import ObservationBatch
from api.readmodel import ReadModel
from api.services.accounts.auth import create_user
from api.services.common import record_change
from api.services.imports.batches import submit_batch
from tests.api.test_entry import principal
from tests.api.test_observations import put, value
from tests.ingest.conftest import upload


def events(client, headers, **params) -> list[dict]:
    response = client.get("/api/v1/audit", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_metadata_changes_through_the_api_are_in_the_audit_with_who_and_how(world, as_user, db):
    admin = as_user("admin")
    goal = {"code": "g2", "title": {"en": "Goal two"}, "position": 2}
    assert world.post("/api/v1/goals", json=goal, headers=admin).status_code == 201
    assert world.patch("/api/v1/goals/g2", json={"title": {"en": "Second goal"}}, headers=admin).status_code == 200
    created = world.post(
        "/api/v1/targets",
        json={
            "indicator": "count",
            "area": "A1",
            "baseline_period": "2020",
            "baseline_value": 10,
            "target_period": "2030",
            "target_value": 20,
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    target_id = created.json()["id"]
    assert world.delete(f"/api/v1/targets/{target_id}", headers=admin).status_code == 204
    assert world.post("/api/v1/organisations", json={"code": "UNI", "name": "Uni", "type": "university"}, headers=admin)
    assert world.delete("/api/v1/assignments/1", headers=admin).status_code == 204

    goal_events = events(world, admin, entity="goal", key="g2")
    assert [e["action"] for e in goal_events] == ["update", "create"]  # newest first
    update, create = goal_events
    assert update["before"]["title"]["en"] == "Goal two"
    assert update["after"]["title"]["en"] == "Second goal"
    assert create["before"] is None and create["after"]["code"] == "g2"
    for event in goal_events:
        assert (event["user"], event["organisation"], event["channel"]) == ("admin", "BACKBONE", "api")
        assert event["submission"] is not None and event["revision"] is not None
    with db.session() as s:
        submission = s.get(Submission, update["submission"])
        assert submission.kind == "metadata" and "g2" in submission.summary

    target_events = events(world, admin, entity="target", key=str(target_id))
    assert [e["action"] for e in target_events] == ["delete", "create"]
    assert target_events[0]["before"]["target_value"] == 20 and target_events[0]["after"] is None
    assert events(world, admin, entity="organisation", key="UNI")[0]["action"] == "create"
    deleted = events(world, admin, entity="assignment", key="1")
    assert deleted[0]["action"] == "delete" and deleted[0]["before"]["organisation_id"] is not None

    assert events(world, admin, user="alice") == []
    assert len(events(world, admin, user="admin", entity="goal")) == 2
    assert events(world, admin, since="2999-01-01T00:00:00") == []
    assert len(events(world, admin, until="2999-01-01T00:00:00Z", entity="goal", key="g2")) == 2


def test_users_and_tokens_are_audited_without_their_hashes(world, as_user, db):
    with db.transaction() as session:
        create_user(
            session=session,
            username="carol",
            password="a sturdy passphrase 42",
            role=Role.member,
            organisation="CITY-A",
            check_password=False,
        )
    headers = as_user("admin")  # logging in makes a token
    found = events(world, headers, entity="user", key="carol")
    assert found and found[0]["after"]["password_hash"] == "[redacted]"
    tokens = events(world, headers, entity="token")
    assert tokens and all(t["after"]["token_hash"] == "[redacted]" for t in tokens if t["after"])
    assert tokens[0]["user"] == "admin"  # a login's token is the user's own doing
    with db.session() as session:
        stored = " ".join(repr((e.before, e.after)) for e in session.exec(select(AuditEvent)).all())
    assert "$argon2" not in stored and "[redacted]" in stored


def test_the_audit_is_for_staff_only(world, as_user):
    for username in ("alice", "viewer"):
        response = world.get("/api/v1/audit", headers=as_user(username))
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
    assert world.get("/api/v1/audit").status_code == 401


def _replayed(history: dict) -> dict:
    """Apply the versions in order, as a reader of the history would: the last one stands."""
    state: dict = {}
    for version in history["versions"]:
        state = {k: version[k] for k in ("value", "numerator", "denominator", "suppressed", "provisional", "note")}
    return state


def test_replaying_an_observations_history_rebuilds_its_current_value(world, as_user, db):
    alice = as_user("alice")
    assert put(world, alice, value("rate", "A1", "2024", value=40, numerator=40, denominator=100)).status_code == 200
    csv = b"indicator,area,period,value,numerator,denominator,status\nrate,A1,2024,45,45,100,provisional\n"
    assert upload(world, alice, "values.csv", csv).status_code == 200
    batch = ObservationBatch(observations=[value("rate", "A1", "2024", value=50, numerator=50, denominator=100)])
    with db.transaction() as session:
        submit_batch(
            session=session,
            read_model=ReadModel(db),
            principal=principal(db, "alice"),
            batch=batch,
            max_errors=10,
            channel=Channel.form,
        )
    assert put(world, alice, value("rate", "A1", "2024", suppressed=True, note="too few")).status_code == 200

    with db.session() as session:
        observation = session.exec(select(Observation).where(Observation.period == "2024")).one()
    response = world.get(f"/api/v1/observations/{observation.id}/history", headers=alice)
    assert response.status_code == 200, response.text
    history = response.json()
    versions = history["versions"]
    assert [v["channel"] for v in versions] == ["api", "csv", "form", "api"]
    assert [v["value"] for v in versions] == [40, 45, 50, None]
    assert [v["current"] for v in versions] == [False, False, False, True]
    assert all(v["user"] == "alice" and v["organisation"] == "CITY-A" for v in versions)
    revisions = [v["revision"] for v in versions]
    assert revisions == sorted(revisions) and len(set(revisions)) == 4
    assert versions[1]["provisional"] is True
    current = world.get("/api/v1/observations", params={"area": "A1", "period": "2024"}, headers=alice).json()
    (item,) = [o for o in current["items"] if o["id"] == observation.id]
    assert _replayed(history) == {
        "value": item["value"],
        "numerator": item["numerator"],
        "denominator": item["denominator"],
        "suppressed": item["suppressed"],
        "provisional": item["provisional"],
        "note": item["note"],
    }
    assert history["indicator"] == "rate" and history["area"] == "A1" and history["breakdown"] == {}


def test_history_is_for_staff_and_the_reporting_organisation(world, as_user, db):
    assert put(world, as_user("alice"), value("count", "A1", "2024", value=12)).status_code == 200
    with db.session() as session:
        observation_id = session.exec(select(Observation.id)).one()
    url = f"/api/v1/observations/{observation_id}/history"
    assert world.get(url, headers=as_user("admin")).status_code == 200
    assert world.get(url, headers=as_user("bob")).status_code == 403
    assert world.get(url, headers=as_user("viewer")).status_code == 403
    assert world.get(url).status_code == 401
    missing = world.get("/api/v1/observations/999999/history", headers=as_user("admin"))
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET action = 'nothing'",
        "DELETE FROM audit_event",
        "UPDATE observation_history SET value = 0",
        "DELETE FROM observation_history",
    ],
)
def test_the_audit_tables_refuse_changes_and_removals(world, as_user, db: Database, statement):
    alice = as_user("alice")
    assert put(world, alice, value("count", "A1", "2024", value=1)).status_code == 200
    assert put(world, alice, value("count", "A1", "2024", value=2)).status_code == 200
    table = statement.split()[1] if statement.startswith("UPDATE") else statement.split()[2]
    with db.session() as session:
        before = session.execute(text(f"SELECT * FROM {table} ORDER BY id")).all()
    assert before
    with pytest.raises(DBAPIError, match="append-only"), db.transaction() as session:
        session.execute(text(statement))
    with db.session() as session:
        assert session.execute(text(f"SELECT * FROM {table} ORDER BY id")).all() == before


def test_a_bulk_delete_through_the_session_is_audited_row_by_row(world, as_user, db):
    with db.transaction() as session:
        removed = session.exec(select(Target)).all()
        session.exec(delete(Target).where(Target.id.in_([t.id for t in removed])))
        record_change(session, principal(db, "admin"), "targets cleared")
    found = [e for e in events(world, as_user("admin"), entity="target") if e["action"] == "delete"]
    assert [e["entity_key"] for e in found] == [str(t.id) for t in removed]
    assert found[0]["before"]["target_value"] == 70 and found[0]["user"] == "admin"
