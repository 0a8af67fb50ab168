"""Who is logged in on the dashboard, logging in and out: the session cookie's token and the accounts services.

These take the request itself: the login and logout routes and the cookie's check run
outside Dash's request context (``dashboard.context`` reads the user through them).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from fastapi import Request

from api.errors import NotFound, Unauthorized
from api.models.user import InvitationFor
from api.ratelimit import client_address
from api.services.accounts import auth, invitations
from api.services.accounts.auth import Principal
from api.services.accounts.tokens import API_LOGIN, DASHBOARD_LOGIN

if TYPE_CHECKING:
    from api.deps import Backbone

__all__ = [
    "API_LOGIN",
    "DASHBOARD_LOGIN",
    "InvitationFor",
    "Principal",
    "accept_invitation",
    "invitation_for",
    "log_in",
    "log_out",
    "principal_of",
]


def _backbone(request: Request) -> Backbone:
    return request.app.state.backbone


def principal_of(request: Request, token: str) -> Principal | None:
    """The user a session token belongs to; None when it is unknown, expired or revoked."""
    backbone = _backbone(request)
    with backbone.db.session() as session:
        try:
            return auth.principal_for_token(session=session, token=token, secret=backbone.settings.secret)
        except Unauthorized:
            return None


def log_in(request: Request, username: str, password: str) -> tuple[str, timedelta] | None:
    """A new session token and how long it lasts; None for an unknown user or a wrong password.

    Raises TooManyRequests after too many failed attempts from the request's client or for the user.
    """
    backbone = _backbone(request)
    attempt = {"client": client_address(request), "username": username}
    backbone.logins.check(**attempt)
    with backbone.db.transaction(write=True) as session:
        user = auth.authenticate(session=session, username=username, password=password)
        if user is None:
            backbone.logins.failed(**attempt)
            return None
        backbone.logins.succeeded(**attempt)
        ttl = timedelta(minutes=backbone.settings.token_ttl_minutes)
        token, _row = auth.issue_token(
            session=session, user=user, secret=backbone.settings.secret, ttl=ttl, name=DASHBOARD_LOGIN
        )
    return token, ttl


def log_out(request: Request, principal: Principal) -> None:
    """Revoke the token of the user's session: it stops working at once."""
    with _backbone(request).db.transaction(write=True) as session:
        auth.revoke_token(session=session, token_id=principal.token_id)


def invitation_for(request: Request, token: str) -> InvitationFor | None:
    """Whom a working invitation link is for; None for an unknown, used or expired one."""
    backbone = _backbone(request)
    with backbone.db.session() as session:
        try:
            return invitations.invitation_for(session=session, token=token, secret=backbone.settings.secret)
        except NotFound:
            return None


def accept_invitation(request: Request, token: str, password: str) -> tuple[str, timedelta]:
    """Set the password through an invitation link and log in: a new session token and how long it lasts.

    Raises NotFound for a link that does not work, Invalid for a password that is not acceptable.
    """
    backbone = _backbone(request)
    ttl = timedelta(minutes=backbone.settings.token_ttl_minutes)
    with backbone.db.transaction(write=True) as session:
        token_text, _row = invitations.accept(
            session=session,
            token=token,
            password=password,
            secret=backbone.settings.secret,
            ttl=ttl,
            token_name=DASHBOARD_LOGIN,
        )
    return token_text, ttl
