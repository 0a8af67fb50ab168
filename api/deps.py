"""Dependencies of the routes, as ``Annotated`` aliases: the session, the caller, paging.

Those that only pick from what they are given are ``async def``: FastAPI runs them on the event
loop, where a plain ``def`` would cost a trip through the thread pool on every request.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from api.config import Settings
from api.db import Database
from api.errors import Forbidden, Unauthorized
from api.models.common import Role
from api.openapi import OPTIONAL_TOKEN
from api.ratelimit import LoginThrottle
from api.readmodel import ReadModel
from api.services.accounts import auth


@dataclass
class Backbone:
    """What one running app holds: its settings, the system of record, the read model, the login throttle."""

    settings: Settings
    db: Database
    read_model: ReadModel
    logins: LoginThrottle


async def get_backbone(request: Request) -> Backbone:
    backbone: Backbone = request.app.state.backbone
    return backbone


BackboneDep = Annotated[Backbone, Depends(get_backbone)]


def get_session(request: Request, backbone: BackboneDep) -> Iterator[Session]:
    """The request's session: commits when the route returns, rolls back when it raises."""
    write = request.method not in ("GET", "HEAD", "OPTIONS")
    with backbone.db.transaction(write=write) as session:
        yield session


# scope="function": commit before the response is sent, so a failed commit is the
# client's error response and never a 200 for something that was not stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


async def get_read_model(backbone: BackboneDep) -> ReadModel:
    return backbone.read_model


ReadModelDep = Annotated[ReadModel, Depends(get_read_model)]

# Two names for the same bearer token, so that the OpenAPI document can tell the operations that
# need a token from those that only use one when it is sent (see api/openapi.py).
_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
_optional_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False, scheme_name=OPTIONAL_TOKEN)


def _principal(backbone: Backbone, token: str | None) -> auth.Principal | None:
    if token is None:
        return None
    with backbone.db.session() as session:
        return auth.principal_for_token(session=session, token=token, secret=backbone.settings.secret)


def get_optional_principal(
    backbone: BackboneDep, token: Annotated[str | None, Depends(_optional_bearer)]
) -> auth.Principal | None:
    """The caller, or None for anonymous; a token that is sent must be valid."""
    return _principal(backbone, token)


OptionalUser = Annotated[auth.Principal | None, Depends(get_optional_principal)]


def get_current_principal(backbone: BackboneDep, token: Annotated[str | None, Depends(_bearer)]) -> auth.Principal:
    principal = _principal(backbone, token)
    if principal is None:
        raise Unauthorized()
    return principal


CurrentUser = Annotated[auth.Principal, Depends(get_current_principal)]


async def get_admin(principal: CurrentUser) -> auth.Principal:
    if principal.role is not Role.admin:
        raise Forbidden("Only backbone staff (admin) may do this")
    return principal


AdminUser = Annotated[auth.Principal, Depends(get_admin)]


async def get_reporter(principal: CurrentUser) -> auth.Principal:
    if principal.role is Role.viewer:
        raise Forbidden("Viewers can read but not report values")
    return principal


ReporterUser = Annotated[auth.Principal, Depends(get_reporter)]


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


async def get_page(
    limit: Annotated[int, Query(ge=1, le=1000, description="items per page")] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000, description="items to skip")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(get_page)]


# A row id in a path: beyond a 32-bit integer the databases cannot look it up (SQLite raises, PostgreSQL errs).
RowId = Annotated[int, Path(ge=1, le=2_147_483_647, description="the row's id")]
