"""Invitation links: how a person gets into Backbone without anyone else choosing or seeing their password.

The staff create a user (or ask for a new link, e.g. after a forgotten password); the link is
shown once and stored as a keyed hash, like API tokens. It works once, until it expires, and only
while it is the user's newest link and the user is active.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from api.errors import Invalid, NotFound
from api.models import ApiToken, Invitation, Organisation, User
from api.models.common import Channel, stored_id, utcnow
from api.models.user import InvitationFor
from api.security import hash_password, new_token, password_problems, token_digest
from api.services.accounts.auth import issue_token
from api.services.audit import trail

PATH = "/dashboard/invitation/"  # the page where the person sets their password, followed by the token
GONE = "This invitation link is unknown, used or expired: ask the backbone staff for a new one"


def invite(*, session: Session, user: User, invited_by: int | None, secret: bytes, days: int) -> tuple[str, Invitation]:
    """A new link for ``user``; their earlier links stop working."""
    end_open(session, user)
    token = new_token()
    row = Invitation(
        user_id=stored_id(user),
        token_hash=token_digest(token, secret),
        invited_by_id=invited_by,
        expires_at=utcnow() + timedelta(days=days),
    )
    session.add(row)
    session.flush()
    return token, row


def end_open(session: Session, user: User) -> None:
    """End the user's links that still work (a newer link, or the user was switched off)."""
    for row in session.exec(
        select(Invitation).where(Invitation.user_id == user.id, col(Invitation.ended_at).is_(None))
    ).all():
        row.ended_at = utcnow()
        session.add(row)


def _find(session: Session, token: str, secret: bytes) -> tuple[Invitation, User, Organisation]:
    found = session.exec(
        select(Invitation, User, Organisation)
        .join(User, col(User.id) == Invitation.user_id)
        .join(Organisation, col(Organisation.id) == User.organisation_id)
        .where(Invitation.token_hash == token_digest(token, secret))
    ).first()
    if found is None or found[0].ended_at is not None or found[0].expires_at <= utcnow() or not found[1].is_active:
        raise NotFound(GONE, code="invitation_gone")  # one answer for unknown, used and expired links
    return found


def invitation_for(*, session: Session, token: str, secret: bytes) -> InvitationFor:
    """Whom a working link is for; 404 otherwise."""
    row, user, organisation = _find(session, token, secret)
    return InvitationFor(
        username=user.username, display_name=user.full_name, organisation=organisation.code, expires_at=row.expires_at
    )


def accept(
    *, session: Session, token: str, password: str, secret: bytes, ttl: timedelta, token_name: str
) -> tuple[str, ApiToken]:
    """Set the user's password from a working link (the strength rules apply), use the link up, log them in."""
    row, user, _organisation = _find(session, token, secret)
    if problems := password_problems(password, username=user.username):
        raise Invalid("The password is not acceptable: " + "; ".join(problems), code="weak_password")
    trail.act_as(session, user_id=stored_id(user), organisation_id=user.organisation_id, channel=Channel.api)
    user.password_hash = hash_password(password)
    row.ended_at = utcnow()
    session.add_all([user, row])
    return issue_token(session=session, user=user, secret=secret, ttl=ttl, name=token_name)
