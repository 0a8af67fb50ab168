"""A new alliance's first admin: `backbone serve` on a database where no admin can log in prints a one-time link."""

from __future__ import annotations

from sqlmodel import col, select

from api.models import Organisation, User
from api.services.accounts.users import first_admin
from tests.factories import setup, small_world

GOOD_PASSWORD = "lantern-harbour-meadow-41"


def _link(db, settings) -> str | None:
    with db.transaction() as session:
        link = first_admin(session=session, settings=settings, base_url="https://backbone.example.org/")
    return link.token if link else None


def test_an_empty_database_gets_a_backbone_organisation_and_a_link_for_its_admin(db, settings, client):
    token = _link(db, settings)
    assert token is not None
    whom = client.get(f"/api/v1/auth/invitations/{token}")
    assert whom.status_code == 200 and whom.json()["username"] == "admin"
    assert whom.json()["organisation"] == "BACKBONE"
    assert client.post("/api/v1/auth/token", data={"username": "admin", "password": GOOD_PASSWORD}).status_code == 401
    accepted = client.post(f"/api/v1/auth/invitations/{token}", json={"password": GOOD_PASSWORD})
    assert accepted.status_code == 200, accepted.text
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {accepted.json()['access_token']}"})
    assert (me.json()["role"], me.json()["organisation"]) == ("admin", "BACKBONE")
    assert client.get(f"/api/v1/auth/invitations/{token}").status_code == 404  # used up
    assert _link(db, settings) is None  # an admin can log in now: no more links
    with db.session() as session:
        assert session.exec(select(col(Organisation.type))).all() == ["backbone"]


def test_a_restart_before_the_link_is_used_replaces_it_for_the_same_pending_admin(db, settings, client):
    first = _link(db, settings)
    second = _link(db, settings)
    assert first != second
    assert client.get(f"/api/v1/auth/invitations/{first}").status_code == 404
    assert client.get(f"/api/v1/auth/invitations/{second}").status_code == 200
    with db.session() as session:
        assert session.exec(select(col(User.username))).all() == ["admin"]
        assert len(session.exec(select(Organisation)).all()) == 1


def test_a_database_with_an_admin_gets_no_link(db, settings):
    small_world(db)  # its admin has a password
    assert _link(db, settings) is None


def test_when_every_admin_is_switched_off_a_new_one_is_made_in_the_existing_backbone_organisation(db, settings):
    small_world(db)
    with setup(db) as session:
        for user in session.exec(select(User).where(User.role == "admin")).all():
            user.is_active = False
            session.add(user)
    assert _link(db, settings) is not None
    with db.session() as session:
        made = session.exec(select(User).where(col(User.username).startswith("admin"), User.is_active)).one()
        backbone = session.exec(select(Organisation).where(Organisation.id == made.organisation_id)).one()
        organisations = len(session.exec(select(Organisation)).all())
    assert (made.username, made.role, backbone.code, organisations) == ("admin2", "admin", "BACKBONE", 3)
