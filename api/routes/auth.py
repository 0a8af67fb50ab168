from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import BackboneDep, CurrentUser, RowId, SessionDep
from api.errors import Forbidden, Unauthorized, error_responses
from api.models.user import (
    InvitationAccept,
    InvitationFor,
    PasswordChange,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    TokenResponse,
    UserPublic,
)
from api.ratelimit import client_address
from api.services.accounts import auth as service
from api.services.accounts import invitations, tokens

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", responses=error_responses(401, 422, 429))
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request, session: SessionDep, backbone: BackboneDep
) -> TokenResponse:
    """Exchange username and password for a bearer token (429 after too many failures)."""
    attempt = {"client": client_address(request), "username": form.username}
    backbone.logins.check(**attempt)
    user = service.authenticate(session=session, username=form.username, password=form.password)
    if user is None:
        backbone.logins.failed(**attempt)
        raise Unauthorized("Unknown username or wrong password", code="invalid_credentials")
    backbone.logins.succeeded(**attempt)
    ttl = timedelta(minutes=backbone.settings.token_ttl_minutes)
    token, row = service.issue_token(
        session=session, user=user, secret=backbone.settings.secret, ttl=ttl, name=tokens.API_LOGIN
    )
    return TokenResponse(access_token=token, expires_at=row.expires_at)


@router.delete("/token", status_code=204, responses=error_responses(401))
def logout(principal: CurrentUser, session: SessionDep) -> Response:
    """Revoke the token this request was sent with."""
    if principal.token_id is not None:  # a bearer token's caller always has one
        service.revoke_token(session=session, token_id=principal.token_id)
    return Response(status_code=204)


@router.get("/me", responses=error_responses(401))
def me(principal: CurrentUser) -> UserPublic:
    """Who the token belongs to: username, role and organisation."""
    return principal.public()


@router.get("/tokens", responses=error_responses(401, 422))
def list_tokens(
    principal: CurrentUser,
    session: SessionDep,
    include_inactive: Annotated[bool, Query(description="also revoked and expired tokens")] = False,
) -> list[TokenPublic]:
    """The caller's own tokens (never the tokens themselves), newest first."""
    return tokens.list_tokens(session=session, principal=principal, include_inactive=include_inactive)


@router.post("/tokens", status_code=201, responses=error_responses(401, 422, 429))
def create_token(
    wanted: TokenCreate, request: Request, principal: CurrentUser, session: SessionDep, backbone: BackboneDep
) -> TokenCreated:
    """A named token for a script, valid for some days; the token is shown in this answer only."""
    backbone.logins.check(client=client_address(request), username=principal.username)
    return tokens.create_token(session=session, principal=principal, wanted=wanted, secret=backbone.settings.secret)


@router.delete("/tokens/{token_id}", status_code=204, responses=error_responses(401, 404, 422))
def revoke_token(token_id: RowId, principal: CurrentUser, session: SessionDep) -> Response:
    """Revoke one of the caller's tokens; it stops working at once (another user's token: 404)."""
    tokens.revoke_own_token(session=session, principal=principal, token_id=token_id)
    return Response(status_code=204)


@router.post("/password", status_code=204, responses=error_responses(401, 403, 422, 429))
def change_password(
    change: PasswordChange, request: Request, principal: CurrentUser, session: SessionDep, backbone: BackboneDep
) -> Response:
    """Change the caller's password; every other token of theirs is revoked (403 if the current one is wrong)."""
    attempt = {"client": client_address(request), "username": principal.username}
    backbone.logins.check(**attempt)
    try:
        tokens.change_password(
            session=session, principal=principal, current=change.current_password, new=change.new_password
        )
    except Forbidden:
        backbone.logins.failed(**attempt)
        raise
    return Response(status_code=204)


InvitationToken = Annotated[str, Path(max_length=200, description="the token at the end of the invitation link")]


@router.get("/invitations/{token}", responses=error_responses(404))
def invitation(token: InvitationToken, session: SessionDep, backbone: BackboneDep) -> InvitationFor:
    """Whom an invitation link is for; 404 for a link that is unknown, used or expired (one answer for all)."""
    return invitations.invitation_for(session=session, token=token, secret=backbone.settings.secret)


@router.post("/invitations/{token}", responses=error_responses(404, 422))
def accept_invitation(
    token: InvitationToken, data: InvitationAccept, session: SessionDep, backbone: BackboneDep
) -> TokenResponse:
    """Set your password with your invitation link (the strength rules apply) and be logged in; the link is used up."""
    ttl = timedelta(minutes=backbone.settings.token_ttl_minutes)
    access, row = invitations.accept(
        session=session,
        token=token,
        password=data.password,
        secret=backbone.settings.secret,
        ttl=ttl,
        token_name=tokens.API_LOGIN,
    )
    return TokenResponse(access_token=access, expires_at=row.expires_at)
