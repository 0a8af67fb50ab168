"""The current user's API tokens: listed, made for a script, revoked."""

from __future__ import annotations

from api.models.user import TokenCreate, TokenCreated, TokenPublic
from api.services.accounts import tokens as token_service
from dashboard import context


def tokens() -> list[TokenPublic]:
    """The user's usable tokens, newest first."""
    with context.backbone().db.session() as session:
        return token_service.list_tokens(session=session, principal=context.user())


def revoke_token(token_id: int) -> None:
    """Revoke one of the user's own tokens; it stops working at once."""
    with context.backbone().db.transaction(write=True) as session:
        token_service.revoke_own_token(session=session, principal=context.user(), token_id=token_id)


def create_token(wanted: TokenCreate) -> TokenCreated:
    """A named token for a script, in the user's name (its text is in this answer only)."""
    backbone = context.backbone()
    with backbone.db.transaction(write=True) as session:
        return token_service.create_token(
            session=session, principal=context.user(), wanted=wanted, secret=backbone.settings.secret
        )
