"""Reports per organisation and period: submit, return with a comment, resubmit, approve; and what that locks."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from api.db import Database
from api.errors import Conflict
from api.models import Observation, ObservationHistory, Submission
from api.models.common import Channel
from api.models.observation import ObservationBatch
from api.readmodel import ReadModel
from api.services.imports.batches import submit_batch
from tests.api.test_entry import principal
from tests.api.test_error_shape import assert_error_shape
from tests.api.test_observations import put, value
from tests.test_cli import _import_env, run

RATE = value("rate", "A1", "2024", value=60.0, numerator=60, denominator=100)
CSV = b"indicator,area,period,value\ncount,A1,2023,7\ncount,A1,2024,9\n"


def snapshot(db: Database) -> list[tuple]:
    """Every observation and history row, to compare before and after a refused write."""
    with db.session() as s:
        current = [tuple(o.model_dump().values()) for o in s.exec(select(Observation).order_by(Observation.id))]
        history = [tuple(h.model_dump().values()) for h in s.exec(select(ObservationHistory))]
        submissions = len(s.exec(select(Submission.id)).all())
    return current + history + [("submissions", submissions)]


def submit(world, headers, period="2024"):
    return world.post(f"/api/v1/reports/{period}/submit", headers=headers)


def review(world, headers, action, organisation="CITY-A", period="2024", **body):
    return world.post(f"/api/v1/reports/{organisation}/{period}/{action}", headers=headers, json=body or None)


def conflict(response, code="period_locked") -> dict:
    assert response.status_code == 409, response.text
    assert_error_shape(response)
    body = response.json()
    assert body["code"] == code
    return body


def test_submit_return_resubmit_approve(world, as_user):
    alice, admin = as_user("alice"), as_user("admin")
    assert put(world, alice, RATE).status_code == 200
    first = submit(world, alice)
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "submitted" and first.json()["submitted_by"] == "alice"

    assert review(world, admin, "return").status_code == 422  # a comment is required
    returned = review(world, admin, "return", comment="The 2024 rate looks too high: check the denominator")
    assert returned.status_code == 200, returned.text
    assert returned.json()["status"] == "returned" and returned.json()["comment"].startswith("The 2024 rate")

    assert put(world, alice, {**RATE, "value": 55.0, "numerator": 55}).status_code == 200  # open again
    assert submit(world, alice).json()["status"] == "submitted"
    approved = review(world, admin, "approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["reviewed_by"] == "admin"
    history = [(h["action"], h["user"]) for h in approved.json()["history"]]
    assert history == [("submit", "alice"), ("return", "admin"), ("submit", "alice"), ("approve", "admin")]

    listed = world.get("/api/v1/reports", params={"status": "approved"}, headers=alice).json()
    assert [(r["organisation"], r["period"]) for r in listed] == [("CITY-A", "2024")]
    assert world.get("/api/v1/reports", headers=as_user("bob")).json() == []  # members see their own
    assert len(world.get("/api/v1/reports", params={"organisation": "CITY-A"}, headers=admin).json()) == 1
    one = world.get("/api/v1/reports/CITY-A/2024", headers=alice)
    assert one.status_code == 200 and one.json()["status"] == "approved"
    assert world.get("/api/v1/reports/CITY-A/2024", headers=as_user("bob")).status_code == 403
    completeness = world.get("/api/v1/completeness", headers=admin).json()
    review_of = {(r["organisation"], r["period"]): r["report_status"] for r in completeness}
    assert review_of[("CITY-A", "2024")] == "approved" and review_of[("CITY-B", "2024")] == "draft"


def test_invalid_transitions_get_409(world, as_user):
    alice, admin = as_user("alice"), as_user("admin")
    conflict(review(world, admin, "approve"), "invalid_transition")  # a draft
    conflict(review(world, admin, "return", comment="why"), "invalid_transition")
    assert submit(world, alice).status_code == 200
    conflict(submit(world, alice), "invalid_transition")  # twice
    assert review(world, admin, "approve").status_code == 200
    conflict(review(world, admin, "approve"), "invalid_transition")
    body = conflict(submit(world, alice), "invalid_transition")
    assert "approved" in body["message"]
    # Returning an approved report opens it again (DHIS2's "unapprove").
    assert review(world, admin, "return", comment="reopened").json()["status"] == "returned"


def test_periods_are_checked_and_the_organisation_comes_from_the_token(world, as_user):
    alice, admin = as_user("alice"), as_user("admin")
    for bad in ("2024-13", "next year", "20244"):
        response = submit(world, alice, bad)
        assert response.status_code == 422 and response.json()["code"] == "invalid_period", response.text
        assert_error_shape(response)
    nothing = submit(world, alice, "2024-Q1")  # a quarter, but A's indicators are yearly
    assert nothing.status_code == 422 and nothing.json()["code"] == "nothing_to_report"
    # The submit route takes no organisation: a member cannot submit another's report.
    assert world.post("/api/v1/reports/CITY-B/2024/submit", headers=alice).status_code == 422
    assert submit(world, alice).json()["organisation"] == "CITY-A"
    assert world.get("/api/v1/reports/CITY-B/2024", headers=admin).json()["status"] == "draft"
    # Approving and returning are for staff only.
    assert review(world, alice, "approve").status_code == 403
    assert review(world, as_user("bob"), "return", comment="x").status_code == 403
    assert world.post("/api/v1/reports/2024/submit", headers=as_user("viewer")).status_code == 403
    assert review(world, admin, "approve", organisation="NOPE").status_code == 404
    assert world.post("/api/v1/reports/2024/submit").status_code == 401


def test_after_approval_every_channel_gets_409_and_nothing_changes(world, as_user, db, database_url, tmp_path):
    alice, admin = as_user("alice"), as_user("admin")
    assert put(world, alice, RATE, value("count", "A1", "2023", value=5)).status_code == 200
    submit(world, alice)
    assert review(world, admin, "approve").status_code == 200
    before = snapshot(db)

    body = conflict(put(world, alice, {**RATE, "value": 70.0, "numerator": 70}))  # JSON
    assert body["errors"][0]["field"] == "body.observations.0.period"
    assert "approved by admin" in body["message"] and "2024" in body["message"]
    conflict(put(world, alice, {**RATE, "value": 70.0, "numerator": 70}, dry_run=True))  # the dry run says so too

    upload = world.post("/api/v1/imports", files={"file": ("a.csv", CSV, "text/csv")}, headers=alice)  # CSV
    body = conflict(upload)
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "period")]  # only the 2024 row

    csv = tmp_path / "a.csv"
    csv.write_bytes(CSV)
    cli = run("import", str(csv), "--as", "alice", env=_import_env(database_url, tmp_path))  # CLI
    assert cli.returncode == 1 and json.loads(cli.stdout)["code"] == "period_locked"
    cli = run("import", str(csv), env=_import_env(database_url, tmp_path))  # the operator, for everyone
    assert cli.returncode == 1 and json.loads(cli.stdout)["status"] == 409

    batch = ObservationBatch.model_validate({"observations": [value("count", "A1", "2024", value=3)]})
    for who in ("alice", "admin"):  # the form's service, for a member and for staff on their behalf
        with pytest.raises(Conflict, match="locked") as refused, db.transaction() as session:
            submit_batch(
                session=session,
                read_model=ReadModel(db),
                principal=principal(db, who),
                batch=batch,
                max_errors=10,
                channel=Channel.form,
                on_behalf_of=None if who == "alice" else principal(db, "alice").organisation_id,
            )
        assert refused.value.status_code == 409 and refused.value.code == "period_locked"
    assert snapshot(db) == before

    # Another period and another organisation are not locked.
    assert put(world, alice, value("count", "A1", "2023", value=6)).status_code == 200
    assert put(world, as_user("bob"), value("count", "B1", "2024", value=6)).status_code == 200


def test_a_submitted_report_is_locked_for_members_until_returned(world, as_user, db):
    alice, admin = as_user("alice"), as_user("admin")
    submit(world, alice)
    before = snapshot(db)
    body = conflict(put(world, alice, RATE))
    assert "submitted for approval" in body["message"]
    assert snapshot(db) == before
    # Staff may still correct it before approving (on behalf of the member, through the form's service).
    with db.transaction() as session:
        summary = submit_batch(
            session=session,
            read_model=ReadModel(db),
            principal=principal(db, "admin"),
            batch=ObservationBatch.model_validate({"observations": [RATE]}),
            max_errors=10,
            on_behalf_of=principal(db, "alice").organisation_id,
        )
    assert summary.inserted == 1
    review(world, admin, "return", comment="please add the count")
    assert put(world, alice, value("count", "A1", "2024", value=4)).status_code == 200


def test_admin_override_needs_a_reason_and_is_recorded(world, as_user, db):
    alice, admin = as_user("alice"), as_user("admin")
    assert put(world, alice, RATE).status_code == 200
    submit(world, alice)
    review(world, admin, "approve")
    changed = {**RATE, "value": 65.0, "numerator": 65}
    before = snapshot(db)

    member = world.put(
        "/api/v1/observations",
        params={"override": True, "reason": "mine"},
        json={"observations": [changed]},
        headers=alice,
    )
    assert member.status_code == 403 and member.json()["code"] == "override_not_allowed"
    assert_error_shape(member)
    no_reason = world.post(
        "/api/v1/imports", params={"override": True}, files={"file": ("a.csv", CSV, "text/csv")}, headers=admin
    )
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "override_reason_required"
    assert_error_shape(no_reason)
    assert snapshot(db) == before

    # Staff write for the member through the form's service: without override, 409 for them too.
    batch = ObservationBatch.model_validate({"observations": [changed]})
    kwargs = dict(read_model=ReadModel(db), principal=principal(db, "admin"), batch=batch, max_errors=10)
    city = principal(db, "alice").organisation_id
    with pytest.raises(Conflict) as refused, db.transaction() as session:
        submit_batch(session=session, on_behalf_of=city, **kwargs)
    assert refused.value.code == "period_locked"
    with db.transaction() as session:
        summary = submit_batch(
            session=session, on_behalf_of=city, override=True, reason="correction agreed with CITY-A", **kwargs
        )
    assert summary.updated == 1
    shown = world.get(f"/api/v1/submissions/{summary.submission}", headers=admin).json()
    assert shown["override"] is True and "correction agreed with CITY-A" in shown["summary"]
    assert shown["user"] == "admin"
    history = world.get("/api/v1/reports/CITY-A/2024", headers=admin).json()["history"]
    assert history[-1] == {
        "action": "override",
        "user": "admin",
        "at": history[-1]["at"],
        "comment": "correction agreed with CITY-A",
        "lock": None,
        "submission": summary.submission,
    }


def test_the_cli_overrides_only_with_a_reason(world, as_user, db, database_url, tmp_path):
    alice, admin = as_user("alice"), as_user("admin")
    submit(world, alice)
    review(world, admin, "approve")
    csv = tmp_path / "late.csv"
    csv.write_bytes(CSV)
    env = _import_env(database_url, tmp_path)
    without = run("import", str(csv), "--override", env=env)
    assert without.returncode == 1 and json.loads(without.stdout)["code"] == "override_reason_required"
    member = run("import", str(csv), "--as", "alice", "--override", "--reason", "mine", env=env)
    assert member.returncode == 1 and json.loads(member.stdout)["status"] == 403
    done = run("import", str(csv), "--override", "--reason", "late file from CITY-A", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    submission = json.loads(done.stdout)["submission"]
    shown = world.get(f"/api/v1/submissions/{submission}", headers=admin).json()
    assert shown["override"] is True and shown["channel"] == "cli" and "late file from CITY-A" in shown["summary"]
    actions = [h["action"] for h in world.get("/api/v1/reports/CITY-A/2024", headers=admin).json()["history"]]
    assert actions == ["submit", "approve", "override"]
