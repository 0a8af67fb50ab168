from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import BackboneDep, CurrentUser, SessionDep
from api.errors import Unauthorized, error_responses
from api.models.user import TokenResponse, UserPublic
from api.services import auth as service

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", responses=error_responses(401, 422))
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep, backbone: BackboneDep
) -> TokenResponse:
    """Exchange username and password for a bearer token."""
    user = service.authenticate(session=session, username=form.username, password=form.password)
    if user is None:
        raise Unauthorized("Unknown username or wrong password", code="invalid_credentials")
    ttl = timedelta(minutes=backbone.settings.token_ttl_minutes)
    token, row = service.issue_token(session=session, user=user, secret=backbone.settings.secret, ttl=ttl)
    return TokenResponse(access_token=token, expires_at=row.expires_at)


@router.delete("/token", status_code=204, responses=error_responses(401))
def logout(principal: CurrentUser, session: SessionDep) -> Response:
    """Revoke the token this request was sent with."""
    service.revoke_token(session=session, token_id=principal.token_id)
    return Response(status_code=204)


@router.get("/me", responses=error_responses(401))
def me(principal: CurrentUser) -> UserPublic:
    """Who the token belongs to: username, role and organisation."""
    return principal.public()
