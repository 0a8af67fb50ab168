"""What the indicator page reads: the indicator with its goal, breakdowns and areas, its series, gaps, map, stories.

All as the current user (suppression by role); an indicator the user may not see is not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api.errors import Invalid, NotFound
from api.models.dimension import DimensionPublic
from api.models.goal import GoalPublic
from api.models.indicator import IndicatorPublic
from api.models.narrative import NarrativePublic
from api.services.analytics import area_values
from api.services.analytics import equity as equity_service
from api.services.analytics import series as series_service
from api.services.analytics.area_values import AreaChoice, AreaValues
from api.services.metadata import boundaries, dimensions, goals, organisations
from api.services.metadata import indicators as indicator_service
from api.services.stories import narratives
from dashboard import context

MAX_COMPARED = 4


@dataclass(frozen=True)
class Meta:
    indicator: IndicatorPublic
    goal: GoalPublic
    owner: str | None  # the owner organisation's name
    dimensions: dict[str, DimensionPublic]  # the indicator's breakdowns
    areas: list[AreaChoice]  # areas with values, from the top level down

    def area(self, code: str | None) -> str | None:
        """``code`` if the indicator has values there, else the first (top-most) area with values."""
        codes = [a.code for a in self.areas]
        return code if code in codes else (codes[0] if codes else None)


def meta(code: str | None) -> Meta | None:
    """The indicator with its goal, owner, breakdowns and areas; None when unknown or hidden from this user."""
    principal, backbone = context.user(), context.backbone()
    if not isinstance(code, str) or not code:
        return None
    with backbone.db.session() as session:
        try:
            indicator = indicator_service.get_indicator(session=session, code=code, published_only=principal is None)
        except NotFound:
            return None
        goal = goals.get_goal(session=session, code=indicator.goal)
        owner = organisations.get_organisation(session=session, code=indicator.owner).name if indicator.owner else None
        found = {c: dimensions.get_dimension(session=session, code=c) for c in indicator.dimensions}
    areas = area_values.areas_with_values(read_model=backbone.read_model, principal=principal, indicator=code)
    return Meta(indicator=indicator, goal=goal, owner=owner, dimensions=found, areas=areas)


def _codes(areas: object) -> list[str]:
    """Area codes from a callback's input, whatever a tampered request sends instead."""
    return [a for a in areas if isinstance(a, str)] if isinstance(areas, list) else []


def series(code: str, areas: list[str]) -> list[series_service.Series]:
    """The indicator's series for each area (the selected one first), as this user may see them."""
    principal, read_model = context.user(), context.backbone().read_model
    found = []
    for area in list(dict.fromkeys(_codes(areas)))[: MAX_COMPARED + 1]:
        try:
            found.append(series_service.series(read_model=read_model, principal=principal, indicator=code, area=area))
        except (NotFound, Invalid):
            continue
    return found


def equity(
    code: str, area: str | None, dimension: str | None, group: str | None, reference: str | None
) -> equity_service.Equity | None:
    """The gap between two groups of a breakdown for the area; None without a breakdown (or an unknown choice)."""
    if not isinstance(area, str) or not all(isinstance(x, str | None) for x in (dimension, group, reference)):
        return None
    try:
        return equity_service.equity(
            read_model=context.backbone().read_model,
            principal=context.user(),
            indicator=code,
            area=area,
            dimension=dimension,
            group=group,
            reference=reference,
        )
    except (NotFound, Invalid):
        return None


def stories(code: str, area: str | None) -> list[NarrativePublic]:
    """The story behind the curve: the area's own first, then the alliance-wide ones."""
    with context.backbone().db.session() as session:
        try:
            return narratives.list_narratives(
                session=session, indicator=code, area=area, published_only=context.user() is None
            )
        except NotFound:
            return []


def map_values(code: str, level: str | None, period: str | None) -> tuple[AreaValues, dict[str, Any]] | None:
    """One period's values of the areas at a level and the areas' uploaded boundaries; None if not to be seen."""
    backbone = context.backbone()
    level, period = (x if isinstance(x, str) else None for x in (level, period))
    try:
        values = area_values.area_values(
            read_model=backbone.read_model, principal=context.user(), indicator=code, level=level, period=period
        )
    except NotFound:
        return None
    with backbone.db.session() as session:
        shapes = boundaries.geometries(session=session, read_model=backbone.read_model)
    return values, {item.code: shapes[item.code] for item in values.items if item.code in shapes}
