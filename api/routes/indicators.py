from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AdminUser, OptionalUser, PageDep, ReadModelDep, SessionDep
from api.errors import error_responses
from api.models.common import Page
from api.models.indicator import IndicatorCreate, IndicatorPublic, IndicatorUpdate
from api.services.analytics import league as league_service
from api.services.analytics import series as series_service
from api.services.metadata import indicators as service

router = APIRouter(prefix="/indicators", tags=["indicators"])


@router.get("", responses=error_responses(401, 422))
def list_indicators(
    session: SessionDep,
    page: PageDep,
    principal: OptionalUser,
    goal: Annotated[str | None, Query(max_length=60, description="goal code")] = None,
) -> Page[IndicatorPublic]:
    """Indicators, optionally of one goal; anonymous callers see published indicators only."""
    return service.list_indicators(
        session=session, limit=page.limit, offset=page.offset, goal=goal, published_only=principal is None
    )


@router.get("/{code}", responses=error_responses(401, 404))
def get_indicator(code: str, session: SessionDep, principal: OptionalUser) -> IndicatorPublic:
    """One indicator with its definition, unit, direction and breakdowns."""
    return service.get_indicator(session=session, code=code, published_only=principal is None)


@router.post("", status_code=201, responses=error_responses(401, 403, 404, 409, 422))
def create_indicator(data: IndicatorCreate, session: SessionDep, admin: AdminUser) -> IndicatorPublic:
    """Add an indicator (admin)."""
    return service.create_indicator(session=session, actor=admin, data=data)


@router.patch("/{code}", responses=error_responses(401, 403, 404, 422))
def update_indicator(code: str, data: IndicatorUpdate, session: SessionDep, admin: AdminUser) -> IndicatorPublic:
    """Change an indicator (admin)."""
    return service.update_indicator(session=session, actor=admin, code=code, data=data)


@router.get("/{code}/series", responses=error_responses(401, 404, 422))
def get_series(
    code: str,
    read_model: ReadModelDep,
    principal: OptionalUser,
    area: Annotated[str, Query(max_length=60, description="area code")],
    breakdown: Annotated[
        str | None, Query(max_length=200, description="'total' (default) or values, e.g. ses:low")
    ] = None,
) -> series_service.Series:
    """One indicator for one area: values per period with trajectory, target, trend, status and progress measure."""
    return series_service.series(
        read_model=read_model, principal=principal, indicator=code, area=area, breakdown=breakdown
    )


@router.get("/{code}/league", responses=error_responses(401, 404, 422))
def get_league(
    code: str,
    read_model: ReadModelDep,
    principal: OptionalUser,
    period: Annotated[str | None, Query(max_length=20, description="default: the latest period reported")] = None,
    region: Annotated[str | None, Query(max_length=60, description="area code: only the municipalities in it")] = None,
) -> league_service.League:
    """One indicator for every municipality in a period, ranked, with region totals by the aggregation rule."""
    return league_service.league(
        read_model=read_model, principal=principal, indicator=code, period=period, region=region
    )
