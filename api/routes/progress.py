from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import OptionalUser, PageDep, ReadModelDep
from api.errors import error_responses
from api.models.common import AreaLevel, Page
from api.services.analytics import progress as service

router = APIRouter(prefix="/progress", tags=["progress"])


@router.get("", responses=error_responses(401, 404, 422))
def get_progress(
    read_model: ReadModelDep,
    principal: OptionalUser,
    page: PageDep,
    goal: Annotated[str | None, Query(max_length=60, description="goal code")] = None,
    area: Annotated[str | None, Query(max_length=60, description="area code")] = None,
    until: Annotated[
        int | None, Query(ge=1900, le=2200, description="as it stood with the values of periods up to this year")
    ] = None,
) -> Page[service.GoalAreaProgress]:
    """Per goal and area: each indicator's latest value, baseline, target, progress and status."""
    return service.progress(
        read_model=read_model,
        principal=principal,
        limit=page.limit,
        offset=page.offset,
        goal=goal,
        area=area,
        until=until,
    )


@router.get("/summary", responses=error_responses(401, 422))
def get_progress_summary(
    read_model: ReadModelDep,
    principal: OptionalUser,
    page: PageDep,
    level: Annotated[AreaLevel | None, Query(description="only areas of this level, e.g. municipality")] = None,
    until: Annotated[
        int | None, Query(ge=1900, le=2200, description="as it stood with the values of periods up to this year")
    ] = None,
) -> Page[service.GoalAreaSummary]:
    """Per goal and area only the status counts and the share improving, not each indicator: the overview's grid."""
    found = service.summaries(read_model=read_model, principal=principal, until=until, level=level)
    return Page(
        items=found[page.offset : page.offset + page.limit], total=len(found), limit=page.limit, offset=page.offset
    )
