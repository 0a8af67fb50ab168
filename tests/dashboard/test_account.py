"""The account page's callbacks over HTTP: a user revokes only their own tokens; strangers revoke nothing."""

from __future__ import annotations

from sqlmodel import select

from api.models import ApiToken, User
from tests.conftest import login
from tests.dashboard.callbacks import call, log_in

REVOKE_OUTPUT = "..account-tokens.children...account-result.children.."


def revoke(client, token_id: int) -> dict:
    """Press the revoke button of ``token_id``, as the browser does (a pattern-matching input)."""
    button = {"type": "account-revoke", "index": token_id}
    body = {
        "output": REVOKE_OUTPUT,
        "outputs": [
            {"id": "account-tokens", "property": "children"},
            {"id": "account-result", "property": "children"},
        ],
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "state": [],
        "changedPropIds": [f'{{"index":{token_id},"type":"account-revoke"}}.n_clicks'],
    }
    response = client.post("/dashboard/_dash-update-component", json=body)
    assert response.status_code in (200, 204), response.text
    if response.status_code == 204:
        return {}
    answer = response.json().get("response", {}) | response.json().get("sideUpdate", {})
    return {f"{c}.{p}": v for c, props in answer.items() for p, v in props.items()}


def tokens_of(db, username: str) -> list[ApiToken]:
    with db.session() as s:
        user = s.exec(select(User).where(User.username == username)).one()
        return list(s.exec(select(ApiToken).where(ApiToken.user_id == user.id)).all())


def demo_db(client):
    return client.app.state.backbone.db


def test_a_member_revokes_their_own_token(demo_client):
    api = login(demo_client, "witten")
    log_in(demo_client, "witten")
    db = demo_db(demo_client)
    (api_token,) = [t for t in tokens_of(db, "witten") if t.name == "api login"]
    answer = revoke(demo_client, api_token.id)
    assert "revoked" in str(answer["account-result.children"])
    assert demo_client.get("/api/v1/auth/me", headers=api).status_code == 401


def test_another_users_token_is_not_revoked_and_the_page_says_not_found(demo_client):
    stranger = login(demo_client, "hattingen")
    log_in(demo_client, "witten")
    db = demo_db(demo_client)
    (theirs,) = tokens_of(db, "hattingen")
    answer = revoke(demo_client, theirs.id)
    assert answer["shell-alert.hidden"] is False and "no token" in answer["shell-alert.children"]
    assert demo_client.get("/api/v1/auth/me", headers=stranger).status_code == 200


def test_without_a_session_nothing_is_revoked(demo_client):
    api = login(demo_client, "witten")
    db = demo_db(demo_client)
    (token,) = tokens_of(db, "witten")
    answer = revoke(demo_client, token.id)
    assert "log in again" in str(answer["account-result.children"])
    assert demo_client.get("/api/v1/auth/me", headers=api).status_code == 200


def test_a_named_token_is_made_and_shown_once(demo_client):
    log_in(demo_client, "steering")
    answer = call(
        demo_client,
        [("account-create", "n_clicks", 1)],
        state=[("account-token-name", "value", "report script"), ("account-token-days", "value", 30)],
    )
    token = next(
        c for c in _components(answer["account-created.children"]) if c["props"].get("id") == "account-new-token"
    )
    secret = token["props"]["children"]
    assert answer["account-token-name.value"] == ""  # ready for the next one
    assert demo_client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert "report script" in str(answer["account-tokens.children"]) and secret not in str(
        answer["account-tokens.children"]
    )
    nameless = call(
        demo_client,
        [("account-create", "n_clicks", 2)],
        state=[("account-token-name", "value", " "), ("account-token-days", "value", 30)],
    )
    assert "name" in str(nameless["account-created.children"])


def _components(tree):
    from tests.dashboard.callbacks import components

    return list(components(tree))
