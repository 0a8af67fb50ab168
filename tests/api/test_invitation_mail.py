"""Invitations by mail, against a real SMTP server (aiosmtpd) started by the test."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.conftest import app_client, login, make_settings
from tests.factories import PASSWORD, small_world

NEW = {"username": "carla", "display_name": "Carla Jansen", "role": "member", "organisation": "CITY-A"}


class Inbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.logins: list[str] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"mail-secret"
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    found = Inbox()
    port = _free_port()
    controller = Controller(
        found, hostname="127.0.0.1", port=port, authenticator=found.authenticate, auth_require_tls=False
    )
    controller.start()
    yield found, port
    controller.stop()


@pytest.fixture
def mailing(database_url, db, tmp_path, inbox):
    """The small world behind an app whose invitations go to the test's SMTP server, with a login."""
    small_world(db)
    found, port = inbox
    settings = make_settings(
        database_url,
        tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls=False,
        smtp_user="backbone",
        smtp_password="mail-secret",
        smtp_sender="Backbone Groningen <backbone@example.org>",
    )
    with app_client(settings) as client:
        yield client, found


@pytest.mark.parametrize(
    ("language", "subject", "greeting"),
    [
        ("nl", "Uw account voor Backbone", "Beste Carla Jansen"),
        ("de", "Ihr Konto für Backbone", "Guten Tag Carla Jansen"),
    ],
)
def test_the_link_is_mailed_in_the_users_language(mailing, language, subject, greeting):
    client, found = mailing
    admin = login(client, "admin", PASSWORD)
    answer = client.post(
        "/api/v1/users", json={**NEW, "email": "carla@city-a.example", "language": language}, headers=admin
    )
    assert answer.status_code == 201, answer.text
    link = answer.json()["invitation"]
    assert link["mailed_to"] == "carla@city-a.example"
    (message,) = found.messages
    assert message["To"] == "carla@city-a.example"
    assert message["From"] == "Backbone Groningen <backbone@example.org>"
    assert message["Subject"] == subject
    body = message.get_content()
    assert greeting in body and link["url"] in body and "carla (CITY-A)" in body
    assert found.logins == ["backbone"]


def test_a_new_link_is_mailed_too_and_the_old_one_stops(mailing):
    client, found = mailing
    admin = login(client, "admin", PASSWORD)
    client.patch("/api/v1/users/bob", json={"email": "bob@city-b.example"}, headers=admin)
    renewed = client.post("/api/v1/users/bob/invitation", headers=admin).json()
    assert renewed["mailed_to"] == "bob@city-b.example"
    (message,) = found.messages
    assert renewed["url"] in message.get_content()
    assert message["Subject"] == "Your Backbone account"  # bob's language: English, the default


def test_without_an_address_the_staff_hand_over_the_link(mailing):
    client, found = mailing
    no_address = client.post("/api/v1/users", json=NEW, headers=login(client, "admin", PASSWORD)).json()
    assert no_address["invitation"]["mailed_to"] is None and found.messages == []


def test_without_a_mail_server_the_staff_hand_over_the_link(world, as_user):
    answer = world.post("/api/v1/users", json={**NEW, "email": "carla@city-a.example"}, headers=as_user("admin"))
    assert answer.status_code == 201 and answer.json()["invitation"]["mailed_to"] is None


def test_a_mail_server_that_fails_loses_nothing(database_url, db, tmp_path):
    small_world(db)
    settings = make_settings(database_url, tmp_path, smtp_host="127.0.0.1", smtp_port=_free_port(), smtp_starttls=False)
    with app_client(settings) as client:
        answer = client.post(
            "/api/v1/users", json={**NEW, "email": "carla@city-a.example"}, headers=login(client, "admin", PASSWORD)
        )
        assert answer.status_code == 201
        link = answer.json()["invitation"]
        assert link["mailed_to"] is None  # not sent: the staff still have the link
        assert client.get(f"/api/v1/auth/invitations/{link['token']}").status_code == 200
