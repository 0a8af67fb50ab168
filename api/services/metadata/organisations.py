"""Organisations: list, read, create and update (admin)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from api.errors import Conflict
from api.models import Organisation, User
from api.models.common import Page
from api.models.organisation import OrganisationCreate, OrganisationPublic, OrganisationUpdate
from api.models.user import UserUpdate
from api.services.accounts import users
from api.services.accounts.auth import Principal
from api.services.common import apply_changes, get_by_code, page_of, record_change
from api.services.metadata.assignments import end_assignments


def list_organisations(*, session: Session, limit: int, offset: int) -> Page[OrganisationPublic]:
    """All organisations, by code."""
    rows, total = page_of(session, select(Organisation).order_by(Organisation.code), limit, offset)
    return Page(items=[OrganisationPublic.model_validate(r) for r in rows], total=total, limit=limit, offset=offset)


def get_organisation(*, session: Session, code: str) -> OrganisationPublic:
    """One organisation by code."""
    return OrganisationPublic.model_validate(get_by_code(session, Organisation, code, "organisation"))


def create_organisation(*, session: Session, actor: Principal | None, data: OrganisationCreate) -> OrganisationPublic:
    """Add an organisation; its code must be new."""
    if session.exec(select(Organisation).where(Organisation.code == data.code)).first():
        raise Conflict(f"An organisation with code '{data.code}' already exists", code="duplicate_code")
    row = Organisation.model_validate(data)
    session.add(row)
    record_change(session, actor, f"organisation {data.code} created")
    return OrganisationPublic.model_validate(row)


def update_organisation(
    *, session: Session, actor: Principal | None, code: str, data: OrganisationUpdate
) -> OrganisationPublic:
    """Change the name or type of an organisation, or retire it: its assignments end and its users are switched
    off (the last active admin cannot be: 409), while what it reported stays."""
    row = get_by_code(session, Organisation, code, "organisation")
    changed = apply_changes(row, data.model_dump(exclude_unset=True, exclude_none=True))
    if changed:
        session.add(row)
        record_change(session, actor, f"organisation {code} updated: {', '.join(changed)}")
    if "active" in changed and not row.active:
        for user in session.exec(select(User).where(User.organisation_id == row.id, col(User.is_active))).all():
            users.update_user(session=session, actor=actor, username=user.username, data=UserUpdate(active=False))
        end_assignments(session, actor, organisation_id=row.id)
    return OrganisationPublic.model_validate(row)
