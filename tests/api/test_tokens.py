"""A user's own API tokens: listed without secrets, named ones for scripts, revoked at once; others' stay hidden."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from api.models import ApiToken
from api.models.common import utcnow
from tests.api.test_error_shape import assert_error_shape
from tests.conftest import login
from tests.factories import PASSWORD


def test_tokens_are_listed_without_the_token_or_its_hash(world, as_user):
    headers = as_user("alice")
    listed = world.get("/api/v1/auth/tokens", headers=headers)
    assert listed.status_code == 200
    (token,) = listed.json()
    assert set(token) == {"id", "name", "created_at", "expires_at", "revoked_at", "active", "current"}
    assert token["current"] is True and token["active"] is True and token["name"] == "api login"
    assert headers["Authorization"].split()[1] not in listed.text


def test_only_the_callers_own_tokens_are_listed(world, as_user):
    as_user("bob")
    mine = world.get("/api/v1/auth/tokens", headers=as_user("alice")).json()
    assert len(mine) == 1


def test_a_named_token_is_shown_once_and_works(world, as_user, db):
    made = world.post("/api/v1/auth/tokens", json={"name": "  nightly export ", "days": 30}, headers=as_user("alice"))
    assert made.status_code == 201
    body = made.json()
    assert body["name"] == "nightly export" and body["access_token"].startswith("bb_") and body["current"] is False
    script = {"Authorization": f"Bearer {body['access_token']}"}
    assert world.get("/api/v1/auth/me", headers=script).json()["username"] == "alice"
    listed = world.get("/api/v1/auth/tokens", headers=as_user("alice")).json()
    assert body["id"] in [t["id"] for t in listed] and body["access_token"] not in str(listed)
    with db.session() as s:
        row = s.get(ApiToken, body["id"])
    assert timedelta(days=29, hours=23) < row.expires_at - utcnow() <= timedelta(days=30)


def test_bad_token_requests_get_422_in_the_error_shape(world, as_user):
    for bad in (
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 101},
        {"name": "ok", "days": 0},
        {"name": "ok", "days": 366},
    ):
        response = world.post("/api/v1/auth/tokens", json=bad, headers=as_user("alice"))
        assert response.status_code == 422, bad
        assert_error_shape(response)


def test_a_revoked_token_stops_working_at_once(world, as_user):
    made = world.post("/api/v1/auth/tokens", json={"name": "script"}, headers=as_user("alice")).json()
    script = {"Authorization": f"Bearer {made['access_token']}"}
    assert world.get("/api/v1/auth/me", headers=script).status_code == 200
    assert world.delete(f"/api/v1/auth/tokens/{made['id']}", headers=as_user("alice")).status_code == 204
    refused = world.get("/api/v1/auth/me", headers=script)
    assert refused.status_code == 401 and "revoked" in refused.json()["message"]
    assert made["id"] not in [t["id"] for t in world.get("/api/v1/auth/tokens", headers=as_user("alice")).json()]
    everything = world.get("/api/v1/auth/tokens?include_inactive=true", headers=as_user("alice")).json()
    (revoked,) = [t for t in everything if t["id"] == made["id"]]
    assert revoked["revoked_at"] is not None and revoked["active"] is False
    # Revoking again changes nothing and is no error.
    assert world.delete(f"/api/v1/auth/tokens/{made['id']}", headers=as_user("alice")).status_code == 204


def test_another_users_token_cannot_be_revoked_and_is_not_revealed(world, as_user, db):
    bob = as_user("bob")
    (bobs,) = world.get("/api/v1/auth/tokens", headers=bob).json()
    response = world.delete(f"/api/v1/auth/tokens/{bobs['id']}", headers=as_user("alice"))
    assert response.status_code == 404
    assert_error_shape(response)
    missing = world.delete("/api/v1/auth/tokens/999999", headers=as_user("alice"))
    assert missing.json()["message"].replace("999999", str(bobs["id"])) == response.json()["message"]
    assert world.get("/api/v1/auth/me", headers=bob).status_code == 200
    with db.session() as s:
        assert s.get(ApiToken, bobs["id"]).revoked_at is None


def test_expired_tokens_are_listed_only_when_asked(world, as_user, db):
    headers = as_user("alice")
    old = login(world, "alice", PASSWORD)
    with db.transaction() as s:
        row = s.exec(select(ApiToken).order_by(ApiToken.id.desc())).first()
        row.expires_at = utcnow() - timedelta(minutes=1)
        s.add(row)
    assert world.get("/api/v1/auth/me", headers=old).status_code == 401
    assert len(world.get("/api/v1/auth/tokens", headers=headers).json()) == 1
    assert len(world.get("/api/v1/auth/tokens", params={"include_inactive": True}, headers=headers).json()) == 2


def test_token_routes_need_a_login(world):
    for method, path in (
        ("GET", "/api/v1/auth/tokens"),
        ("POST", "/api/v1/auth/tokens"),
        ("DELETE", "/api/v1/auth/tokens/1"),
    ):
        response = world.request(method, path, json={"name": "x"} if method == "POST" else None)
        assert response.status_code == 401, path
        assert_error_shape(response)


def test_an_out_of_range_token_id_is_a_422_not_a_500(world, as_user):
    for value in ("0", "99999999999999999999", "abc"):
        response = world.delete(f"/api/v1/auth/tokens/{value}", headers=as_user("alice"))
        assert response.status_code == 422, value
