"""The staff's view of the users: listing them, changing them, switching them off.

Every change is in the audit trail (``app_user`` and ``api_token`` are audited tables, secrets
redacted), made in the name of the admin who asked for it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from api.config import Settings
from api.errors import Conflict, ErrorItem, Invalid, NotFound
from api.models import ApiToken, Organisation, User
from api.models.common import Channel, OrganisationType, Page, Role, stored_id
from api.models.user import InvitationLink, UserAccount, UserCreate, UserInvited, UserUpdate
from api.services.accounts import invitations, mail
from api.services.accounts.auth import NO_PASSWORD, Principal, revoke_user_tokens
from api.services.accounts.tokens import API_LOGIN, DASHBOARD_LOGIN
from api.services.audit import trail
from api.services.common import page_of

_LOGINS = (API_LOGIN, DASHBOARD_LOGIN)


def _last_logins(session: Session, user_ids: list[int]) -> dict[int, datetime]:
    """When each user last logged in: every login (API or dashboard) issues a token."""
    if not user_ids:
        return {}
    rows = session.exec(
        select(col(ApiToken.user_id), func.max(ApiToken.created_at))
        .where(col(ApiToken.user_id).in_(user_ids), col(ApiToken.name).in_(_LOGINS))
        .group_by(col(ApiToken.user_id))
    ).all()
    return {user_id: when for user_id, when in rows if when is not None}


def _account(user: User, organisation: str, last_login: datetime | None) -> UserAccount:
    return UserAccount(
        username=user.username,
        display_name=user.full_name,
        email=user.email,
        language=user.language,
        role=Role(user.role),
        organisation=organisation,
        active=user.is_active,
        last_login=last_login,
        created=user.created_at,
    )


def list_users(
    *,
    session: Session,
    limit: int,
    offset: int,
    organisation: str | None = None,
    role: Role | None = None,
    active: bool | None = None,
) -> Page[UserAccount]:
    """The users, by username, filtered by organisation code, role and whether they are active."""
    statement = select(User, col(Organisation.code)).join(Organisation, col(Organisation.id) == User.organisation_id)
    if organisation is not None:
        statement = statement.where(col(Organisation.code) == organisation)
    if role is not None:
        statement = statement.where(col(User.role) == role)
    if active is not None:
        statement = statement.where(col(User.is_active) == active)
    rows, total = page_of(session, statement.order_by(col(User.username)), limit, offset)
    logins = _last_logins(session, [stored_id(user) for user, _ in rows])
    items = [_account(user, code, logins.get(stored_id(user))) for user, code in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


def _user(session: Session, username: str) -> tuple[User, Organisation]:
    found = session.exec(
        select(User, Organisation)
        .join(Organisation, col(Organisation.id) == User.organisation_id)
        .where(col(User.username) == username.strip().lower())
    ).first()
    if found is None:
        raise NotFound(f"No user '{username}'")
    return found


def _organisation(session: Session, code: str) -> Organisation:
    """The organisation a user is to belong to; 422 naming the field when there is none with this code."""
    found = session.exec(select(Organisation).where(Organisation.code == code)).first()
    if found is None:
        message = f"No organisation with code '{code}'"
        item = ErrorItem(code="unknown_organisation", message=message, field="organisation")
        raise Invalid(message, code="unknown_organisation", errors=[item])
    return found


def _current(session: Session, user: User, organisation: str) -> UserAccount:
    return _account(user, organisation, _last_logins(session, [stored_id(user)]).get(stored_id(user)))


def get_user(*, session: Session, username: str) -> UserAccount:
    user, organisation = _user(session, username)
    return _current(session, user, organisation.code)


def _other_active_admins(session: Session, user: User) -> int:
    return session.exec(
        select(func.count())
        .select_from(User)
        .where(col(User.role) == Role.admin, col(User.is_active).is_(True), col(User.id) != user.id)
    ).one()


def update_user(
    *, session: Session, actor: Principal | None, username: str, data: UserUpdate, channel: Channel = Channel.api
) -> UserAccount:
    """Change a user's name, email, role, organisation or whether they are active.

    Switching a user off ends their sessions and tokens at once. The last active admin can be
    neither switched off nor given another role (409, nothing changed): someone must be able to
    run the alliance.
    """
    user, organisation = _user(session, username)
    wanted = data.model_dump(exclude_unset=True)
    loses_admin = (
        user.role == Role.admin
        and user.is_active
        and (wanted.get("active") is False or wanted.get("role") not in (None, Role.admin))
    )
    if loses_admin and _other_active_admins(session, user) == 0:
        raise Conflict(f"'{user.username}' is the last active admin: make another user admin first", code="last_admin")
    if wanted.get("organisation") is not None and wanted["organisation"] != organisation.code:
        organisation = _organisation(session, wanted["organisation"])
        user.organisation_id = stored_id(organisation)
    _act_as(session, actor, channel)
    if wanted.get("display_name") is not None:
        user.full_name = wanted["display_name"]
    if "email" in wanted:
        user.email = wanted["email"] or None
    if wanted.get("language") is not None:
        user.language = wanted["language"]
    if wanted.get("role") is not None:
        user.role = wanted["role"]
    if wanted.get("active") is not None and wanted["active"] != user.is_active:
        user.is_active = wanted["active"]
        if not user.is_active:
            revoke_user_tokens(session=session, user_id=user.id)
            invitations.end_open(session, user)
    session.add(user)
    session.flush()
    return _current(session, user, organisation.code)


def _act_as(session: Session, actor: Principal | None, channel: Channel = Channel.api) -> None:
    """Changes are the admin's (through the API or dashboard), or the operator's (the command line)."""
    if actor is None:
        trail.act_as(session, user_id=None, organisation_id=None, channel=Channel.cli)
    else:
        trail.act_as(session, user_id=actor.user_id, organisation_id=actor.organisation_id, channel=channel)


def _invite(
    session: Session, invited_by: int | None, user: User, organisation: str, settings: Settings, base_url: str
) -> InvitationLink:
    """A new link for ``user``, also mailed to them when they have an address and mail is set up."""
    token, row = invitations.invite(
        session=session, user=user, invited_by=invited_by, secret=settings.secret, days=settings.invitation_days
    )
    link = InvitationLink(url=base_url.rstrip("/") + invitations.PATH + token, token=token, expires_at=row.expires_at)
    if user.email and settings.smtp_host:
        message = mail.invitation_message(
            settings,
            to=user.email,
            name=user.full_name,
            username=user.username,
            organisation=organisation,
            url=link.url,
            expires_at=link.expires_at,
            language=user.language,
        )
        if mail.send(settings, message):
            link.mailed_to = user.email
    return link


def create_user(
    *,
    session: Session,
    actor: Principal | None,
    data: UserCreate,
    settings: Settings,
    base_url: str,
    channel: Channel = Channel.api,
) -> UserInvited:
    """A new user without a password, and the invitation link with which they set one."""
    organisation = _organisation(session, data.organisation)
    if session.exec(select(User).where(User.username == data.username)).first() is not None:
        raise Conflict(f"A user '{data.username}' already exists", code="user_exists")
    _act_as(session, actor, channel)
    user = User(
        username=data.username,
        full_name=data.display_name,
        email=data.email or None,
        language=data.language,
        role=data.role,
        organisation_id=stored_id(organisation),
        password_hash=NO_PASSWORD,
    )
    session.add(user)
    session.flush()
    link = _invite(session, actor.user_id if actor else None, user, organisation.code, settings, base_url)
    return UserInvited(**_account(user, organisation.code, None).model_dump(), invitation=link)


def new_invitation(
    *,
    session: Session,
    actor: Principal,
    username: str,
    settings: Settings,
    base_url: str,
    channel: Channel = Channel.api,
) -> InvitationLink:
    """A new link for an active user (e.g. after a forgotten password); their earlier links stop working."""
    user, organisation = _user(session, username)
    if not user.is_active:
        raise Conflict(f"'{user.username}' is switched off: switch them on first", code="user_inactive")
    _act_as(session, actor, channel)
    return _invite(session, actor.user_id, user, organisation.code, settings, base_url)


FIRST_ADMIN = "admin"  # the username of the first admin made by `backbone serve` (free names get a number)
BACKBONE = ("BACKBONE", "Backbone office")  # the backbone organisation of a new alliance (code, name), renamed later


def first_admin(*, session: Session, settings: Settings, base_url: str) -> InvitationLink | None:
    """A one-time link that makes the first admin, when no active admin can log in; else None.

    On an empty database this also makes the backbone organisation, which the new admin renames in
    the console. Asked again before the link is used (a restart), the same pending admin gets a new
    link and the earlier one stops working.
    """
    admins = select(User).where(col(User.role) == Role.admin, col(User.is_active).is_(True))
    if session.exec(admins.where(col(User.password_hash) != NO_PASSWORD)).first() is not None:
        return None
    _act_as(session, None)
    pending = session.exec(admins.order_by(col(User.id))).first()
    if pending is None:
        organisation = session.exec(
            select(Organisation)
            .where(col(Organisation.type) == OrganisationType.backbone)
            .order_by(col(Organisation.id))
        ).first()
        if organisation is None:
            code, name = BACKBONE
            organisation = Organisation(code=code, name=name, type=OrganisationType.backbone)
            session.add(organisation)
            session.flush()
        taken = set(session.exec(select(col(User.username)).where(col(User.username).startswith(FIRST_ADMIN))).all())
        username, number = FIRST_ADMIN, 1
        while username in taken:
            number += 1
            username = f"{FIRST_ADMIN}{number}"
        pending = User(
            username=username,
            full_name="",
            role=Role.admin,
            organisation_id=stored_id(organisation),
            password_hash=NO_PASSWORD,
        )
        session.add(pending)
        session.flush()
    code = session.exec(select(col(Organisation.code)).where(col(Organisation.id) == pending.organisation_id)).one()
    return _invite(session, None, pending, code, settings, base_url)
