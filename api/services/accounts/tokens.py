"""A user's own API tokens and password: list tokens, make a named one for a script, revoke one; change the password."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from api.errors import Forbidden, Invalid, NotFound
from api.models import ApiToken, User
from api.models.common import utcnow
from api.models.user import TokenCreate, TokenCreated, TokenPublic
from api.security import hash_password, password_problems, verify_password
from api.services.accounts.auth import Principal, issue_token, revoke_user_tokens
from api.services.audit import trail

# The names of the tokens that logging in makes (the dashboard shows them in words).
API_LOGIN = "api login"
DASHBOARD_LOGIN = "dashboard login"


def _public(row: ApiToken, principal: Principal) -> TokenPublic:
    now = utcnow()
    return TokenPublic(
        id=row.id,
        name=row.name,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        active=row.revoked_at is None and row.expires_at > now,
        current=row.id == principal.token_id,
    )


def list_tokens(*, session: Session, principal: Principal, include_inactive: bool = False) -> list[TokenPublic]:
    """The caller's tokens, newest first; only the usable ones unless ``include_inactive``."""
    query = select(ApiToken).where(ApiToken.user_id == principal.user_id)
    if not include_inactive:
        query = query.where(col(ApiToken.revoked_at).is_(None), ApiToken.expires_at > utcnow())
    rows = session.exec(query.order_by(col(ApiToken.created_at).desc(), col(ApiToken.id).desc()).limit(1000)).all()
    return [_public(row, principal) for row in rows]


def create_token(*, session: Session, principal: Principal, wanted: TokenCreate, secret: bytes) -> TokenCreated:
    """A named token for the caller, valid ``wanted.days`` days; the token itself is in the answer only."""
    user = session.get_one(User, principal.user_id)
    token, row = issue_token(
        session=session, user=user, secret=secret, ttl=timedelta(days=wanted.days), name=wanted.name
    )
    return TokenCreated(**_public(row, principal).model_dump(), access_token=token)


def revoke_own_token(*, session: Session, principal: Principal, token_id: int) -> None:
    """Revoke one of the caller's tokens at once; another user's token is 'not found', as if it did not exist."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != principal.user_id:
        raise NotFound(f"You have no token {token_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)


def change_password(*, session: Session, principal: Principal, current: str, new: str) -> int:
    """Set the caller's password (rules apply) after checking the current one; revoke their other tokens."""
    user = session.get_one(User, principal.user_id)
    if not verify_password(current, user.password_hash):
        raise Forbidden("The current password is wrong", code="wrong_password")
    if problems := password_problems(new, username=user.username):
        raise Invalid("The new password is not acceptable: " + "; ".join(problems), code="weak_password")
    trail.act_as(session, user_id=user.id, organisation_id=principal.organisation_id, channel=None)
    user.password_hash = hash_password(new)
    session.add(user)
    # whoever knew the old password may hold one of the others
    return revoke_user_tokens(session=session, user_id=user.id, keep=principal.token_id)
