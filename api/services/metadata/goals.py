"""Goals of the agenda: list, read, create and update (admin)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from api.errors import Conflict
from api.models import Agenda, Goal
from api.models.common import Page
from api.models.goal import GoalCreate, GoalPublic, GoalUpdate
from api.services.accounts.auth import Principal
from api.services.common import apply_changes, get_by_code, page_of, record_change


def list_goals(*, session: Session, limit: int, offset: int) -> Page[GoalPublic]:
    """Goals in their agenda order."""
    rows, total = page_of(session, select(Goal).order_by(col(Goal.position), Goal.code), limit, offset)
    return Page(items=[GoalPublic.model_validate(r) for r in rows], total=total, limit=limit, offset=offset)


def get_goal(*, session: Session, code: str) -> GoalPublic:
    """One goal by code."""
    return GoalPublic.model_validate(get_by_code(session, Goal, code, "goal"))


def create_goal(*, session: Session, actor: Principal | None, data: GoalCreate) -> GoalPublic:
    """Add a goal to the agenda."""
    if session.exec(select(Goal).where(Goal.code == data.code)).first():
        raise Conflict(f"A goal with code '{data.code}' already exists", code="duplicate_code")
    agenda = session.exec(select(Agenda)).first()
    goal = Goal.model_validate(data, update={"agenda_id": agenda.id if agenda else None})
    session.add(goal)
    record_change(session, actor, f"goal {data.code} created")
    return GoalPublic.model_validate(goal)


def update_goal(*, session: Session, actor: Principal | None, code: str, data: GoalUpdate) -> GoalPublic:
    """Change the title, description or order of a goal."""
    goal = get_by_code(session, Goal, code, "goal")
    changed = apply_changes(goal, data.model_dump(exclude_unset=True, exclude_none=True))
    if changed:
        session.add(goal)
        record_change(session, actor, f"goal {code} updated: {', '.join(changed)}")
    return GoalPublic.model_validate(goal)
