"""Logging in, tokens and users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, select

from api.errors import Conflict, Invalid, NotFound, Unauthorized
from api.models import ApiToken, Organisation, User
from api.models.common import Role, stored_id, utcnow
from api.models.user import UserPublic
from api.security import (
    hash_password,
    new_token,
    password_problems,
    token_digest,
    verify_password,
    waste_time_like_verify,
)

NO_PASSWORD = ""  # the password hash of a user who has not yet set a password through their invitation


@dataclass(frozen=True)
class Principal:
    """The authenticated caller, detached from any session."""

    user_id: int
    username: str
    full_name: str
    role: Role
    organisation_id: int
    organisation: str
    token_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.admin

    def public(self) -> UserPublic:
        return UserPublic(
            username=self.username, full_name=self.full_name, role=self.role, organisation=self.organisation
        )


def _principal(user: User, organisation: Organisation, token_id: int | None = None) -> Principal:
    return Principal(
        user_id=stored_id(user),
        username=user.username,
        full_name=user.full_name,
        role=Role(user.role),
        organisation_id=stored_id(organisation),
        organisation=organisation.code,
        token_id=token_id,
    )


def authenticate(*, session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, else None (in constant-ish time)."""
    user = session.exec(select(User).where(User.username == username.strip().lower())).first()
    if user is None or user.password_hash == NO_PASSWORD:
        waste_time_like_verify(password)
        return None
    if not verify_password(password, user.password_hash) or not user.is_active:
        return None
    return user


def issue_token(*, session: Session, user: User, secret: bytes, ttl: timedelta, name: str = "") -> tuple[str, ApiToken]:
    """A new bearer token for ``user``; only its keyed hash is stored."""
    token = new_token()
    row = ApiToken(
        user_id=stored_id(user), token_hash=token_digest(token, secret), expires_at=utcnow() + ttl, name=name
    )
    session.add(row)
    session.flush()
    return token, row


def principal_for_token(*, session: Session, token: str, secret: bytes) -> Principal:
    """The caller a bearer token belongs to; 401 when unknown, expired or revoked."""
    found = session.exec(
        select(ApiToken, User, Organisation)
        .join(User, col(User.id) == ApiToken.user_id)
        .join(Organisation, col(Organisation.id) == User.organisation_id)
        .where(ApiToken.token_hash == token_digest(token, secret))
    ).first()
    if found is None:
        raise Unauthorized("The token is not valid; log in again")
    row, user, organisation = found
    if row.revoked_at is not None:
        raise Unauthorized("The token was revoked; log in again")
    if row.expires_at <= utcnow():
        raise Unauthorized("The token has expired; log in again")
    if not user.is_active:
        raise Unauthorized("The account is disabled")
    return _principal(user, organisation, row.id)


def revoke_token(*, session: Session, token_id: int) -> None:
    row = session.get(ApiToken, token_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)


def revoke_user_tokens(*, session: Session, user_id: int | None, keep: int | None = None) -> int:
    """End every live session and API token of a user at once (but ``keep``); how many there were."""
    statement = select(ApiToken).where(ApiToken.user_id == user_id, col(ApiToken.revoked_at).is_(None))
    if keep is not None:
        statement = statement.where(col(ApiToken.id) != keep)
    live = session.exec(statement).all()
    now = utcnow()
    for row in live:
        row.revoked_at = now
        session.add(row)
    return len(live)


def create_user(
    *,
    session: Session,
    username: str,
    password: str,
    role: Role,
    organisation: str,
    full_name: str = "",
    check_password: bool = True,
) -> User:
    """Create a user; the password must pass the strength rules unless seeding the demo."""
    username = username.strip().lower()
    if check_password and (problems := password_problems(password, username=username)):
        raise Invalid("The password is not acceptable: " + "; ".join(problems), code="weak_password")
    org = session.exec(select(Organisation).where(Organisation.code == organisation)).first()
    if org is None:
        raise NotFound(f"No organisation with code '{organisation}'")
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise Conflict(f"A user '{username}' already exists", code="user_exists")
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        organisation_id=stored_id(org),
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    return user
