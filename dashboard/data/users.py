"""The staff's user management: the users, a change to one, a new user, a new invitation link, as the current admin.

Changes are recorded in the audit trail with the dashboard's channel (``form``), like the set-up pages'.
"""

from __future__ import annotations

from api.models.common import Channel
from api.models.user import InvitationLink, UserAccount, UserCreate, UserInvited, UserUpdate
from api.services.accounts import users as user_service
from api.services.metadata import organisations as organisation_service
from dashboard import context

__all__ = [
    "InvitationLink",
    "UserAccount",
    "UserCreate",
    "UserInvited",
    "UserUpdate",
    "create_user",
    "new_invitation",
    "organisations",
    "update_user",
    "users",
]

MANY = 100_000  # every user and organisation of an alliance: hundreds at most


def users() -> list[UserAccount]:
    """Every user, by username, with their last login."""
    with context.backbone().db.session() as session:
        return user_service.list_users(session=session, limit=MANY, offset=0).items


def organisations() -> list[tuple[str, str]]:
    """Every organisation a user can belong to: (code, name), by code."""
    with context.backbone().db.session() as session:
        found = organisation_service.list_organisations(session=session, limit=MANY, offset=0).items
    return [(o.code, o.name) for o in found]


def update_user(username: str, data: UserUpdate) -> UserAccount:
    """Change a user as the current admin; switching them off ends their sessions, tokens and links."""
    with context.backbone().db.transaction(write=True) as session:
        return user_service.update_user(
            session=session, actor=context.user(), username=username, data=data, channel=Channel.form
        )


def create_user(data: UserCreate) -> UserInvited:
    """A new user and the invitation link with which they set their password (mailed when mail is set up)."""
    backbone = context.backbone()
    with backbone.db.transaction(write=True) as session:
        return user_service.create_user(
            session=session,
            actor=context.user(),
            data=data,
            settings=backbone.settings,
            base_url=str(context.request().base_url),
            channel=Channel.form,
        )


def new_invitation(username: str) -> InvitationLink:
    """A new invitation link for a user; their earlier links stop working."""
    backbone = context.backbone()
    principal = context.user()
    assert principal is not None  # the page's callbacks check first
    with backbone.db.transaction(write=True) as session:
        return user_service.new_invitation(
            session=session,
            actor=principal,
            username=username,
            settings=backbone.settings,
            base_url=str(context.request().base_url),
            channel=Channel.form,
        )
