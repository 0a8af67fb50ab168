"""Password rules (12+ characters, not a common one) wherever a password is set; unknown users cost the same Argon2."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlmodel import select

from api import security
from api.db import Database
from api.errors import Invalid
from api.models import User
from api.models.common import Role
from api.services.accounts.auth import create_user
from tests.conftest import login
from tests.factories import PASSWORD, organisation, setup


def test_the_bundled_list_holds_thousands_of_common_passwords():
    common = security.common_passwords()
    assert len(common) > 10_000
    assert {"password", "qwerty", "iloveyou", "wachtwoord", "passwort"} <= common


@pytest.mark.parametrize(
    "password",
    [
        "password1234",  # on the list
        "qwerty123456",
        "Summer2024!!!!",  # a listed word padded with digits and punctuation
        "Wachtwoord2024!",
        "monkeymonkeymonkey",  # a listed word repeated
        "abcabcabcabc",  # a short pattern repeated
        "123456789012",  # a run
        "zyxwvutsrqpo",
        "aaaaaaaaaaaaaa",
        "Backbone2026!!",  # the service's own name
    ],
)
def test_common_and_simple_passwords_are_refused(password):
    assert "this password is too common or too simple" in security.password_problems(password)


@pytest.mark.parametrize("password", [PASSWORD, "a-long-enough-passphrase", "Tr0ub4dor&3xyz", "135792468024"])
def test_long_uncommon_passwords_pass(password):
    assert security.password_problems(password, username="carol") == []


def test_short_passwords_and_ones_containing_the_username_are_refused():
    assert security.password_problems("Xy7#kq2!") == ["use at least 12 characters"]
    assert "the password must not contain the username" in security.password_problems(
        "carol-is-great-42", username="carol"
    )


def test_create_user_refuses_a_weak_password_with_a_clear_error(db):
    with setup(db) as s:
        organisation(s, "CITY-A")
    with db.transaction() as s, pytest.raises(Invalid) as refused:
        create_user(session=s, username="carol", password="Summer2024!!!!", role=Role.member, organisation="CITY-A")
    assert refused.value.code == "weak_password" and refused.value.status_code == 422
    assert "too common" in refused.value.message
    with db.session() as s:
        assert s.exec(select(User).where(User.username == "carol")).first() is None


def test_demo_passwords_stay_as_the_contract_says(demo_client):
    # demo-admin is shorter than the rules allow: the demo seed is the one place that skips them.
    assert security.password_problems("demo-admin")
    for username in ("admin", "steering", "kidsfirst", "witten", "hattingen"):
        response = demo_client.post("/api/v1/auth/token", data={"username": username, "password": f"demo-{username}"})
        assert response.status_code == 200, username


def test_an_unknown_user_costs_one_argon2_verification_like_a_known_one(world, monkeypatch):
    calls: list[str] = []
    original = security.verify_password

    def counting(password: str, password_hash: str) -> bool:
        calls.append(password_hash)
        return original(password, password_hash)

    monkeypatch.setattr(security, "verify_password", counting)
    monkeypatch.setattr("api.services.accounts.auth.verify_password", counting)
    assert (
        world.post("/api/v1/auth/token", data={"username": "mallory", "password": "whatever-it-is"}).status_code == 401
    )
    assert len(calls) == 1 and calls[0] == security.dummy_hash()
    calls.clear()
    assert world.post("/api/v1/auth/token", data={"username": "alice", "password": "whatever-it-is"}).status_code == 401
    assert len(calls) == 1 and calls[0] != security.dummy_hash()


def test_the_dummy_hash_costs_what_a_real_hash_costs():
    # Same algorithm and parameters (memory, iterations, lanes): the same time to verify.
    def parameters(hashed: str) -> str:
        return "$".join(hashed.split("$")[:4])

    assert parameters(security.dummy_hash()) == parameters(security.hash_password(PASSWORD))
    assert parameters(security.dummy_hash()).startswith("$argon2id$")


def test_cli_create_user_says_why_a_common_password_is_refused(database_url):
    from tests.test_cli import run

    db = Database(database_url)
    with setup(db) as s:
        organisation(s, "CITY-A")
    db.dispose()
    env = {"BACKBONE_MODE": "development", "BACKBONE_DATABASE_URL": database_url}
    args = ("create-user", "carol", "--role", "member", "--organisation", "CITY-A", "--password-stdin")
    refused = run(*args, env=env, stdin="Password2024!!\n")
    assert refused.returncode != 0 and "too common" in refused.stderr and "Traceback" not in refused.stderr


def test_changing_the_password_applies_the_rules_and_revokes_the_other_tokens(world, as_user):
    headers = as_user("alice")
    elsewhere = login(world, "alice", PASSWORD)
    change = "/api/v1/auth/password"
    weak = world.post(change, json={"current_password": PASSWORD, "new_password": "Password2024!"}, headers=headers)
    assert weak.status_code == 422 and weak.json()["code"] == "weak_password" and "too common" in weak.text
    wrong = world.post(
        change, json={"current_password": "nope", "new_password": "a-long-enough-passphrase"}, headers=headers
    )
    assert wrong.status_code == 403 and wrong.json()["code"] == "wrong_password"
    assert world.get("/api/v1/auth/me", headers=elsewhere).status_code == 200  # nothing changed yet
    done = world.post(
        change, json={"current_password": PASSWORD, "new_password": "a-long-enough-passphrase"}, headers=headers
    )
    assert done.status_code == 204
    assert world.get("/api/v1/auth/me", headers=headers).status_code == 200  # this session goes on
    assert world.get("/api/v1/auth/me", headers=elsewhere).status_code == 401
    assert world.post("/api/v1/auth/token", data={"username": "alice", "password": PASSWORD}).status_code == 401
    assert login(world, "alice", "a-long-enough-passphrase")


def test_guessing_the_current_password_is_throttled(database_url, db, tmp_path):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from tests.conftest import make_settings
    from tests.factories import small_world

    small_world(db)
    with TestClient(create_app(make_settings(database_url, tmp_path, login_rate_limit="2/minute"))) as client:
        headers = login(client, "alice", PASSWORD)
        guess = {"current_password": "guess-number-one", "new_password": "a-long-enough-passphrase"}
        statuses = [client.post("/api/v1/auth/password", json=guess, headers=headers).status_code for _ in range(3)]
        assert statuses == [403, 403, 429]


def test_the_app_hashes_at_full_argon2id_cost():
    # The suite hashes at the lowest cost (tests/conftest.py); the app, in a process of its own, does not.
    program = "from api.security import hash_password; print(hash_password('correct-horse-battery'))"
    hashed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
