"""New users and forgotten passwords: the staff hand out single-use links; nobody else ever sees a password."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, select

from api.models import AuditEvent, Invitation, User
from api.models.common import utcnow
from tests.api.test_error_shape import assert_error_shape
from tests.conftest import login

NEW = {
    "username": "carla",
    "display_name": "Carla Jansen",
    "email": "carla@city-a.example",
    "role": "member",
    "organisation": "CITY-A",
}
GOOD_PASSWORD = "lantern-harbour-meadow-41"


def _invite(world, admin, **overrides) -> dict:
    created = world.post("/api/v1/users", json={**NEW, **overrides}, headers=admin)
    assert created.status_code == 201, created.text
    return created.json()


def test_staff_add_a_user_and_get_a_link_to_hand_over(world, as_user):
    assert world.post("/api/v1/users", json=NEW).status_code == 401
    assert world.post("/api/v1/users", json=NEW, headers=as_user("alice")).status_code == 403
    body = _invite(world, as_user("admin"))
    assert (body["username"], body["role"], body["organisation"], body["active"]) == ("carla", "member", "CITY-A", True)
    link = body["invitation"]
    assert link["url"] == "http://testserver/dashboard/invitation/" + link["token"]
    lasts = datetime.fromisoformat(link["expires_at"]) - utcnow()
    assert timedelta(days=6, hours=23) < lasts <= timedelta(days=7)  # BACKBONE_INVITATION_DAYS, 7 by default
    assert "password" not in body
    listed = world.get("/api/v1/users", params={"organisation": "CITY-A"}, headers=as_user("admin")).json()
    assert "carla" in [u["username"] for u in listed["items"]]


def test_bad_new_users_are_refused_and_nothing_is_added(world, as_user):
    admin = as_user("admin")
    assert world.post("/api/v1/users", json={**NEW, "username": "alice"}, headers=admin).status_code == 409
    unknown = world.post("/api/v1/users", json={**NEW, "organisation": "NOWHERE"}, headers=admin)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "organisation"
    assert_error_shape(unknown)
    for bad in ({"username": "has space"}, {"role": "boss"}, {"email": "nope"}):
        assert world.post("/api/v1/users", json={**NEW, **bad}, headers=admin).status_code == 422, bad
    assert world.get("/api/v1/users/carla", headers=admin).status_code == 404


def test_the_person_opens_the_link_sets_a_password_and_is_logged_in_once(world, as_user):
    token = _invite(world, as_user("admin"))["invitation"]["token"]
    refused = world.post("/api/v1/auth/token", data={"username": "carla", "password": GOOD_PASSWORD})
    assert refused.status_code == 401  # no password yet: nobody can log in as carla
    whom = world.get(f"/api/v1/auth/invitations/{token}")
    assert whom.status_code == 200
    assert whom.json()["username"] == "carla" and whom.json()["display_name"] == "Carla Jansen"
    assert whom.json()["organisation"] == "CITY-A"
    weak = world.post(f"/api/v1/auth/invitations/{token}", json={"password": "password123"})
    assert weak.status_code == 422 and weak.json()["code"] == "weak_password"
    assert_error_shape(weak)
    accepted = world.post(f"/api/v1/auth/invitations/{token}", json={"password": GOOD_PASSWORD})
    assert accepted.status_code == 200, accepted.text
    me = world.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {accepted.json()['access_token']}"})
    assert me.json()["username"] == "carla"
    assert world.get("/api/v1/auth/me", headers=login(world, "carla", GOOD_PASSWORD)).status_code == 200
    for used in (
        world.get(f"/api/v1/auth/invitations/{token}"),
        world.post(f"/api/v1/auth/invitations/{token}", json={"password": "another-" + GOOD_PASSWORD}),
    ):
        assert used.status_code == 404
        assert_error_shape(used)
    assert world.get("/api/v1/auth/me", headers=login(world, "carla", GOOD_PASSWORD)).status_code == 200


def test_unknown_used_and_expired_links_get_one_answer(world, as_user, db):
    token = _invite(world, as_user("admin"))["invitation"]["token"]
    with db.transaction() as session:
        row = session.exec(select(Invitation)).one()
        row.expires_at = utcnow() - timedelta(minutes=1)
        session.add(row)
    expired = world.get(f"/api/v1/auth/invitations/{token}")
    unknown = world.get("/api/v1/auth/invitations/not-a-token")
    assert expired.status_code == unknown.status_code == 404
    assert expired.json() == unknown.json()
    assert world.post(f"/api/v1/auth/invitations/{token}", json={"password": GOOD_PASSWORD}).status_code == 404


def test_a_new_link_replaces_the_old_one(world, as_user):
    admin = as_user("admin")
    old = _invite(world, admin)["invitation"]["token"]
    renewed = world.post("/api/v1/users/carla/invitation", headers=admin)
    assert renewed.status_code == 201
    new = renewed.json()["token"]
    assert world.get(f"/api/v1/auth/invitations/{old}").status_code == 404
    assert world.get(f"/api/v1/auth/invitations/{new}").status_code == 200
    assert world.post("/api/v1/users/carla/invitation", headers=as_user("bob")).status_code == 403
    assert world.post("/api/v1/users/nobody/invitation", headers=admin).status_code == 404


def test_a_forgotten_password_is_replaced_through_a_new_link(world, as_user):
    link = world.post("/api/v1/users/bob/invitation", headers=as_user("admin")).json()
    assert world.post(f"/api/v1/auth/invitations/{link['token']}", json={"password": GOOD_PASSWORD}).status_code == 200
    assert world.get("/api/v1/auth/me", headers=login(world, "bob", GOOD_PASSWORD)).status_code == 200


def test_switching_a_user_off_ends_their_links_and_no_new_one_is_given(world, as_user):
    admin = as_user("admin")
    token = _invite(world, admin)["invitation"]["token"]
    assert world.patch("/api/v1/users/carla", json={"active": False}, headers=admin).status_code == 200
    assert world.get(f"/api/v1/auth/invitations/{token}").status_code == 404
    refused = world.post("/api/v1/users/carla/invitation", headers=admin)
    assert refused.status_code == 409 and refused.json()["code"] == "user_inactive"
    assert world.patch("/api/v1/users/carla", json={"active": True}, headers=admin).status_code == 200
    assert world.get(f"/api/v1/auth/invitations/{token}").status_code == 404  # ended links stay ended


def test_links_are_stored_hashed_and_never_in_the_audit_log(world, as_user, db):
    admin = as_user("admin")  # logged in first: the login's own token is in the log too
    with db.session() as session:
        before = len(session.exec(select(AuditEvent)).all())
    token = _invite(world, admin)["invitation"]["token"]
    with db.session() as session:
        stored = session.exec(select(Invitation)).one()
        admin_id = session.exec(select(User.id).where(User.username == "admin")).one()
        events = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()[before:]
    assert stored.token_hash != token and token not in stored.token_hash
    assert {(e.entity, e.action) for e in events} == {("user", "create"), ("invitation", "create")}
    assert token not in repr([(e.before, e.after) for e in events])
    assert {e.user_id for e in events} == {admin_id}  # made in the admin's name
