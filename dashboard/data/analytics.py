"""Progress, series and league tables, computed by the analytics services as the current user (suppression by role).

The result types are re-exported for the pages and the figures, which draw them.
"""

from __future__ import annotations

from api.models.common import AreaLevel
from api.services.analytics import league as league_service
from api.services.analytics import progress as progress_service
from api.services.analytics import series as series_service
from api.services.analytics.area_values import AreaChoice, AreaValue, AreaValues
from api.services.analytics.equity import Equity
from api.services.analytics.league import League, LeagueRow, LeagueTotal
from api.services.analytics.progress import GoalAreaProgress, GoalAreaSummary, GoalRef, IndicatorProgress, StatusCounts
from api.services.analytics.series import Series
from dashboard import context

__all__ = [
    "AreaChoice",
    "AreaValue",
    "AreaValues",
    "Equity",
    "GoalAreaProgress",
    "GoalAreaSummary",
    "GoalRef",
    "IndicatorProgress",
    "League",
    "LeagueRow",
    "LeagueTotal",
    "Series",
    "StatusCounts",
    "league",
    "progress",
    "series",
    "summaries",
]


def progress(
    limit: int,
    *,
    goal: str | None = None,
    area: str | None = None,
    until: int | None = None,
    level: AreaLevel | None = None,
) -> list[GoalAreaProgress]:
    """Per goal and area (the first ``limit``): each indicator's latest value, target, progress and status."""
    return progress_service.progress(
        read_model=context.backbone().read_model,
        principal=context.user(),
        limit=limit,
        offset=0,
        goal=goal,
        area=area,
        until=until,
        level=level,
    ).items


def summaries(*, until: int | None = None, level: AreaLevel | None = None) -> list[GoalAreaSummary]:
    """Per goal and area only the status counts: what the overview's cards and grid show."""
    return progress_service.summaries(
        read_model=context.backbone().read_model, principal=context.user(), until=until, level=level
    )


def series(indicator: str, area: str) -> Series:
    """One indicator's series for one area, with trajectory, trend and progress."""
    return series_service.series(
        read_model=context.backbone().read_model, principal=context.user(), indicator=indicator, area=area
    )


def league(indicator: str, period: str | None, region: str | None) -> League:
    """The municipalities (of a region, or all) on one indicator and period, and the totals above them."""
    return league_service.league(
        read_model=context.backbone().read_model,
        principal=context.user(),
        indicator=indicator,
        period=period,
        region=region,
    )
