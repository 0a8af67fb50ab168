"""The staff manage users over the API: list and filter them, change them, switch them off."""

from __future__ import annotations

from sqlmodel import col, select

from api.models import AuditEvent, User
from tests.api.test_error_shape import assert_error_shape
from tests.conftest import login
from tests.factories import PASSWORD


def test_only_admins_list_users(world, as_user):
    assert world.get("/api/v1/users").status_code == 401
    for username in ("alice", "viewer"):
        refused = world.get("/api/v1/users", headers=as_user(username))
        assert refused.status_code == 403
        assert_error_shape(refused)
    listed = world.get("/api/v1/users", headers=as_user("admin"))
    assert listed.status_code == 200
    body = listed.json()
    assert [u["username"] for u in body["items"]] == ["admin", "alice", "bob", "viewer"]
    assert body["total"] == 4
    alice = body["items"][1]
    assert alice["role"] == "member" and alice["organisation"] == "CITY-A" and alice["active"] is True
    assert not any(key in alice for key in ("password", "password_hash", "token"))


def test_users_are_filtered_and_paged_and_say_when_they_last_logged_in(world, as_user):
    admin = as_user("admin")
    login(world, "alice", PASSWORD)
    members = world.get("/api/v1/users", params={"role": "member"}, headers=admin).json()
    assert [u["username"] for u in members["items"]] == ["alice", "bob"]
    assert members["items"][0]["last_login"] is not None  # alice logged in
    assert members["items"][1]["last_login"] is None  # bob never did
    city_b = world.get("/api/v1/users", params={"organisation": "CITY-B"}, headers=admin).json()
    assert [u["username"] for u in city_b["items"]] == ["bob"]
    page = world.get("/api/v1/users", params={"limit": 2, "offset": 2}, headers=admin).json()
    assert [u["username"] for u in page["items"]] == ["bob", "viewer"] and page["total"] == 4
    assert world.get("/api/v1/users", params={"active": "false"}, headers=admin).json()["total"] == 0
    assert world.get("/api/v1/users", params={"role": "boss"}, headers=admin).status_code == 422


def test_admin_changes_a_users_name_email_role_and_organisation(world, as_user):
    admin = as_user("admin")
    changed = world.patch(
        "/api/v1/users/alice",
        json={"display_name": "Alice de Vries", "email": "alice@city-a.example", "organisation": "CITY-B"},
        headers=admin,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["display_name"] == "Alice de Vries"
    assert changed.json()["email"] == "alice@city-a.example"
    assert changed.json()["organisation"] == "CITY-B"
    assert world.get("/api/v1/users/alice", headers=admin).json()["organisation"] == "CITY-B"
    me = world.get("/api/v1/auth/me", headers=login(world, "alice", PASSWORD)).json()
    assert me["organisation"] == "CITY-B" and me["full_name"] == "Alice de Vries"
    removed = world.patch("/api/v1/users/alice", json={"email": ""}, headers=admin)
    assert removed.json()["email"] is None


def test_bad_changes_are_refused_with_where_and_nothing_changes(world, as_user):
    admin = as_user("admin")
    unknown_org = world.patch("/api/v1/users/alice", json={"organisation": "NOWHERE", "role": "viewer"}, headers=admin)
    assert unknown_org.status_code == 422
    assert_error_shape(unknown_org)
    assert unknown_org.json()["errors"][0]["field"] == "organisation"
    bad_email = world.patch("/api/v1/users/alice", json={"email": "not an address"}, headers=admin)
    assert bad_email.status_code == 422
    assert world.patch("/api/v1/users/nobody", json={"role": "viewer"}, headers=admin).status_code == 404
    assert world.patch("/api/v1/users/alice", json={"role": "viewer"}, headers=as_user("bob")).status_code == 403
    alice = world.get("/api/v1/users/alice", headers=admin).json()
    assert (alice["role"], alice["organisation"], alice["email"]) == ("member", "CITY-A", None)


def test_switching_a_user_off_ends_their_sessions_and_tokens_at_once(world, as_user):
    bob = login(world, "bob", PASSWORD)
    script = world.post("/api/v1/auth/tokens", json={"name": "nightly export"}, headers=bob).json()["access_token"]
    assert world.get("/api/v1/auth/me", headers=bob).status_code == 200
    off = world.patch("/api/v1/users/bob", json={"active": False}, headers=as_user("admin"))
    assert off.status_code == 200 and off.json()["active"] is False
    for headers in (bob, {"Authorization": f"Bearer {script}"}):
        assert world.get("/api/v1/auth/me", headers=headers).status_code == 401
    refused = world.post("/api/v1/auth/token", data={"username": "bob", "password": PASSWORD})
    assert refused.status_code == 401
    on = world.patch("/api/v1/users/bob", json={"active": True}, headers=as_user("admin"))
    assert on.json()["active"] is True
    assert world.get("/api/v1/auth/me", headers=login(world, "bob", PASSWORD)).status_code == 200
    assert world.get("/api/v1/auth/me", headers=bob).status_code == 401  # ended sessions stay ended


def test_the_last_active_admin_can_be_neither_switched_off_nor_demoted(world, as_user):
    admin = as_user("admin")
    for change in ({"active": False}, {"role": "member"}, {"role": "viewer", "active": True}):
        refused = world.patch("/api/v1/users/admin", json=change, headers=admin)
        assert refused.status_code == 409, change
        assert refused.json()["code"] == "last_admin"
        assert_error_shape(refused)
    assert world.get("/api/v1/users/admin", headers=admin).json()["role"] == "admin"
    assert world.patch("/api/v1/users/viewer", json={"role": "admin"}, headers=admin).status_code == 200
    stepped_down = world.patch("/api/v1/users/admin", json={"role": "member"}, headers=admin)
    assert stepped_down.status_code == 200 and stepped_down.json()["role"] == "member"


def test_every_change_to_a_user_is_in_the_audit_log_without_secrets(world, as_user, db):
    login(world, "bob", PASSWORD)
    changed = world.patch("/api/v1/users/bob", json={"active": False, "role": "viewer"}, headers=as_user("admin"))
    assert changed.status_code == 200
    with db.session() as session:
        admin_id = session.exec(select(User.id).where(User.username == "admin")).one()
        events = session.exec(select(AuditEvent).where(col(AuditEvent.entity).in_(["user", "token"]))).all()
    (update,) = [e for e in events if e.entity == "user" and e.action == "update"]
    assert update.entity_key and update.user_id == admin_id and update.channel == "api"
    assert update.after["role"] == "viewer" and update.after["is_active"] is False
    revoked = [e for e in events if e.entity == "token" and e.action == "update" and e.after.get("revoked_at")]
    assert revoked and all(e.user_id == admin_id for e in revoked)  # bob's session, ended by the admin
    text = repr([(e.before, e.after) for e in events])
    assert PASSWORD not in text and "$argon2" not in text
