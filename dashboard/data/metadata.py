"""The agenda, its goals and indicators, and the areas: what the pages name and link."""

from __future__ import annotations

from collections.abc import Collection

from api.errors import NotFound
from api.models.agenda import AgendaPublic
from api.models.area import AreaPublic
from api.models.common import AreaLevel
from api.models.goal import GoalPublic
from api.models.indicator import IndicatorPublic
from api.services.metadata import agenda as agenda_service
from api.services.metadata import areas as area_service
from api.services.metadata import goals as goal_service
from api.services.metadata import indicators as indicator_service
from dashboard import context

Hierarchy = dict[str, tuple[str, str | None, str]]  # code -> (name, parent code, level)


def agenda() -> AgendaPublic:
    """The alliance's agenda: its name and vision."""
    with context.backbone().db.session() as session:
        return agenda_service.get_agenda(session=session)


def goal(code: str | None) -> GoalPublic | None:
    """A goal by code; None when there is none."""
    with context.backbone().db.session() as session:
        try:
            return goal_service.get_goal(session=session, code=code or "")
        except NotFound:
            return None


def goals_and_indicators() -> tuple[list[GoalPublic], list[IndicatorPublic]]:
    """Every goal, and every indicator the user may see (anonymous visitors: the published ones)."""
    with context.backbone().db.session() as session:
        goals = goal_service.list_goals(session=session, limit=1000, offset=0).items
        found = indicator_service.list_indicators(
            session=session, limit=1000, offset=0, published_only=context.user() is None
        ).items
    return goals, found


def area(code: str | None) -> AreaPublic | None:
    """An area by code, or None when there is no such area."""
    if not code:
        return None
    with context.backbone().db.session() as session:
        try:
            return area_service.get_area(session=session, code=code)
        except NotFound:
            return None


def hierarchy(levels: Collection[AreaLevel]) -> Hierarchy:
    """The areas of these levels: code -> (name, parent code, level)."""
    return area_service.hierarchy(read_model=context.backbone().read_model, levels=levels)
