"""Assignments: who reports which indicator for which area."""

from __future__ import annotations

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from api.errors import Conflict, NotFound
from api.models import Area, Assignment, Indicator, Organisation
from api.models.assignment import AssignmentCreate, AssignmentPublic
from api.models.common import Page, pk, stored_id
from api.services.accounts.auth import Principal
from api.services.common import get_by_code, page_of, record_change


def _select() -> Select[int, str, str, str]:
    return (
        select(pk(Assignment.id), Organisation.code, Indicator.code, Area.code)
        .join(Organisation, col(Organisation.id) == Assignment.organisation_id)
        .join(Indicator, col(Indicator.id) == Assignment.indicator_id)
        .join(Area, col(Area.id) == Assignment.area_id)
    )


def _public(row: tuple[int, str, str, str]) -> AssignmentPublic:
    return AssignmentPublic(id=row[0], organisation=row[1], indicator=row[2], area=row[3])


def list_assignments(
    *,
    session: Session,
    limit: int,
    offset: int,
    organisation: str | None = None,
    indicator: str | None = None,
    area: str | None = None,
) -> Page[AssignmentPublic]:
    """Assignments, filtered by organisation, indicator or area codes."""
    statement = _select().order_by(Organisation.code, Indicator.code, Area.code)
    if organisation:
        statement = statement.where(Organisation.code == organisation)
    if indicator:
        statement = statement.where(Indicator.code == indicator)
    if area:
        statement = statement.where(Area.code == area)
    rows, total = page_of(session, statement, limit, offset)
    return Page(items=[_public(r) for r in rows], total=total, limit=limit, offset=offset)


def create_assignment(*, session: Session, actor: Principal | None, data: AssignmentCreate) -> AssignmentPublic:
    """Make an organisation the reporter of an indicator for an area (one reporter per pair)."""
    organisation = get_by_code(session, Organisation, data.organisation, "organisation")
    indicator = get_by_code(session, Indicator, data.indicator, "indicator")
    area = get_by_code(session, Area, data.area, "area")
    named: tuple[tuple[str, Organisation | Indicator | Area], ...] = (
        ("organisation", organisation),
        ("indicator", indicator),
        ("area", area),
    )
    for what, retired in named:
        if not retired.active:
            raise Conflict(f"The {what} '{retired.code}' is retired: make it active again first", code="retired")
    existing = session.exec(
        select(Assignment, Organisation.code)
        .join(Organisation, col(Organisation.id) == Assignment.organisation_id)
        .where(Assignment.indicator_id == indicator.id, Assignment.area_id == area.id)
    ).first()
    if existing is not None:
        raise Conflict(
            f"'{existing[1]}' already reports '{data.indicator}' for '{data.area}'; remove that assignment first",
            code="already_assigned",
        )
    row = Assignment(
        organisation_id=stored_id(organisation), indicator_id=stored_id(indicator), area_id=stored_id(area)
    )
    session.add(row)
    session.flush()
    record_change(session, actor, f"assignment {data.organisation} / {data.indicator} / {data.area} created")
    return AssignmentPublic(id=row.id, **data.model_dump())


def delete_assignment(*, session: Session, actor: Principal | None, assignment_id: int) -> None:
    """Remove an assignment; values already reported stay."""
    row = session.get(Assignment, assignment_id)
    if row is None:
        raise NotFound(f"No assignment with id {assignment_id}")
    session.delete(row)
    record_change(session, actor, f"assignment {assignment_id} deleted")


def end_assignments(
    session: Session,
    actor: Principal | None,
    *,
    organisation_id: int | None = None,
    indicator_id: int | None = None,
    area_id: int | None = None,
) -> int:
    """End every assignment of an organisation, indicator or area being retired (values reported stay); how many."""
    statement = select(Assignment)
    for column, value in (
        (Assignment.organisation_id, organisation_id),
        (Assignment.indicator_id, indicator_id),
        (Assignment.area_id, area_id),
    ):
        if value is not None:
            statement = statement.where(column == value)
    ended = session.exec(statement).all()
    for row in ended:  # one by one: the audit sees each
        session.delete(row)
    if ended:
        record_change(session, actor, f"{len(ended)} assignments ended")
    return len(ended)
