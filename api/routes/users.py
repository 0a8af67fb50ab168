"""The staff's user management: who may use Backbone, in which role, for which organisation."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AdminUser, PageDep, SessionDep
from api.errors import error_responses
from api.models.common import Page, Role
from api.models.user import UserAccount, UserUpdate
from api.services.accounts import users as service

router = APIRouter(prefix="/users", tags=["users"])


@router.get("", responses=error_responses(401, 403, 422))
def list_users(
    session: SessionDep,
    admin: AdminUser,
    page: PageDep,
    organisation: Annotated[str | None, Query(max_length=50, description="an organisation's code")] = None,
    role: Role | None = None,
    active: bool | None = None,
) -> Page[UserAccount]:
    """The users, by username (admin): role, organisation, whether active, last login."""
    return service.list_users(
        session=session, limit=page.limit, offset=page.offset, organisation=organisation, role=role, active=active
    )


@router.get("/{username}", responses=error_responses(401, 403, 404))
def get_user(username: str, session: SessionDep, admin: AdminUser) -> UserAccount:
    """One user (admin)."""
    return service.get_user(session=session, username=username)


@router.patch("/{username}", responses=error_responses(401, 403, 404, 409, 422))
def update_user(username: str, data: UserUpdate, session: SessionDep, admin: AdminUser) -> UserAccount:
    """Change a user (admin). `active: false` ends their sessions and tokens at once; the last active
    admin can be neither switched off nor given another role (409)."""
    return service.update_user(session=session, actor=admin, username=username, data=data)
