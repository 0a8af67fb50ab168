"""The staff's user management: who may use Backbone, in which role, for which organisation."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from api.deps import AdminUser, BackboneDep, PageDep, SessionDep
from api.errors import error_responses
from api.models.common import Page, Role
from api.models.user import InvitationLink, UserAccount, UserCreate, UserInvited, UserUpdate
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


@router.post("", status_code=201, responses=error_responses(401, 403, 409, 422))
def create_user(
    data: UserCreate, request: Request, session: SessionDep, admin: AdminUser, backbone: BackboneDep
) -> UserInvited:
    """Add a user (admin). Nobody chooses a password for them: the answer holds a single-use
    invitation link (`BACKBONE_INVITATION_DAYS`, 7 by default) with which they set their own; with a
    mail server set up (`BACKBONE_SMTP_HOST`) it is also mailed to their address, in their language."""
    return service.create_user(
        session=session,
        actor=admin,
        data=data,
        settings=backbone.settings,
        base_url=str(request.base_url),
    )


@router.post("/{username}/invitation", status_code=201, responses=error_responses(401, 403, 404, 409))
def new_invitation(
    username: str, request: Request, session: SessionDep, admin: AdminUser, backbone: BackboneDep
) -> InvitationLink:
    """A new invitation link for a user (admin), e.g. after a forgotten password; earlier links stop working."""
    return service.new_invitation(
        session=session,
        actor=admin,
        username=username,
        settings=backbone.settings,
        base_url=str(request.base_url),
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
