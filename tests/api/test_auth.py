"""Logging in, tokens that expire and can be revoked, and what each role may do."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from api.models import ApiToken, User
from api.models.common import utcnow
from api.security import token_digest
from tests.factories import PASSWORD


def test_login_returns_a_bearer_token_stored_only_as_a_hash(world, db):
    response = world.post("/api/v1/auth/token", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["access_token"].startswith("bb_")
    with db.session() as s:
        stored = s.exec(select(ApiToken.token_hash)).all()
    assert body["access_token"] not in stored
    assert token_digest(body["access_token"], world.app.state.backbone.settings.secret) in stored


def test_me_tells_who_the_token_belongs_to(world, as_user):
    me = world.get("/api/v1/auth/me", headers=as_user("alice")).json()
    assert me == {"username": "alice", "full_name": "User alice", "role": "member", "organisation": "CITY-A"}


def test_wrong_password_and_unknown_user_get_the_same_answer(world):
    wrong = world.post("/api/v1/auth/token", data={"username": "alice", "password": "not-the-password"})
    unknown = world.post("/api/v1/auth/token", data={"username": "mallory", "password": "whatever-it-is"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.headers["www-authenticate"] == "Bearer"


def test_username_is_case_insensitive(world):
    assert world.post("/api/v1/auth/token", data={"username": " Alice ", "password": PASSWORD}).status_code == 200


def test_revoked_token_no_longer_works(world, as_user):
    headers = as_user("alice")
    assert world.delete("/api/v1/auth/token", headers=headers).status_code == 204
    response = world.get("/api/v1/auth/me", headers=headers)
    assert response.status_code == 401 and "revoked" in response.json()["message"]


def test_expired_token_no_longer_works(world, as_user, db):
    headers = as_user("alice")
    with db.transaction() as s:
        for token in s.exec(select(ApiToken)).all():
            token.expires_at = utcnow() - timedelta(seconds=1)
            s.add(token)
    response = world.get("/api/v1/auth/me", headers=headers)
    assert response.status_code == 401 and "expired" in response.json()["message"]


def test_token_lifetime_comes_from_settings(world):
    body = world.post("/api/v1/auth/token", data={"username": "alice", "password": PASSWORD}).json()
    from datetime import datetime

    lifetime = datetime.fromisoformat(body["expires_at"]) - utcnow()
    minutes = world.app.state.backbone.settings.token_ttl_minutes
    assert timedelta(minutes=minutes - 1) < lifetime <= timedelta(minutes=minutes)


def test_disabled_user_cannot_log_in_or_use_old_tokens(world, as_user, db):
    headers = as_user("alice")
    with db.transaction() as s:
        user = s.exec(select(User).where(User.username == "alice")).one()
        user.is_active = False
        s.add(user)
    assert world.get("/api/v1/auth/me", headers=headers).status_code == 401
    assert world.post("/api/v1/auth/token", data={"username": "alice", "password": PASSWORD}).status_code == 401


def test_garbage_token_is_rejected_not_treated_as_anonymous(world):
    response = world.get("/api/v1/indicators", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401


def test_role_matrix_for_admin_writes(world, as_user):
    goal = {"code": "g9", "title": {"en": "Goal nine"}}
    assert world.post("/api/v1/goals", json=goal).status_code == 401
    for who in ("viewer", "alice"):
        assert world.post("/api/v1/goals", json=goal, headers=as_user(who)).status_code == 403
    assert world.post("/api/v1/goals", json=goal, headers=as_user("admin")).status_code == 201
    codes = [g["code"] for g in world.get("/api/v1/goals").json()["items"]]
    assert codes.count("g9") == 1
