from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import OptionalUser, PageDep, ReporterUser, RowId, SessionDep
from api.errors import error_responses
from api.models.activity import ActivityCreate, ActivityPublic, ActivityStatus, ActivityUpdate
from api.models.common import Page
from api.services.stories import activities as service

router = APIRouter(prefix="/activities", tags=["activities"])


@router.get("", responses=error_responses(401, 404, 422))
def list_activities(
    session: SessionDep,
    principal: OptionalUser,
    page: PageDep,
    goal: Annotated[str | None, Query(max_length=60, description="goal code")] = None,
    organisation: Annotated[str | None, Query(max_length=60, description="organisation code")] = None,
    status: Annotated[ActivityStatus | None, Query()] = None,
    indicator: Annotated[str | None, Query(max_length=60, description="indicator code it contributes to")] = None,
    area: Annotated[str | None, Query(max_length=60, description="area code it takes place in")] = None,
) -> Page[ActivityPublic]:
    """Mutually reinforcing activities: which organisation does what towards which goal."""
    return service.list_activities(
        session=session,
        limit=page.limit,
        offset=page.offset,
        public=principal is None,
        goal=goal,
        organisation=organisation,
        status=status,
        indicator=indicator,
        area=area,
    )


@router.get("/{activity_id}", responses=error_responses(401, 404, 422))
def get_activity(activity_id: RowId, session: SessionDep, principal: OptionalUser) -> ActivityPublic:
    """One activity."""
    return service.get_activity(session=session, activity_id=activity_id, public=principal is None)


@router.post("", status_code=201, responses=error_responses(401, 403, 409, 422))
def create_activity(data: ActivityCreate, session: SessionDep, reporter: ReporterUser) -> ActivityPublic:
    """Register an activity of your organisation."""
    return service.create_activity(session=session, actor=reporter, data=data)


@router.patch("/{activity_id}", responses=error_responses(401, 403, 404, 409, 422))
def update_activity(
    activity_id: RowId, data: ActivityUpdate, session: SessionDep, reporter: ReporterUser
) -> ActivityPublic:
    """Change an activity of your organisation (staff: any)."""
    return service.update_activity(session=session, actor=reporter, activity_id=activity_id, data=data)


@router.delete("/{activity_id}", status_code=204, responses=error_responses(401, 403, 404, 409, 422))
def delete_activity(activity_id: RowId, session: SessionDep, reporter: ReporterUser) -> Response:
    """Remove an activity of your organisation (staff: any)."""
    service.delete_activity(session=session, actor=reporter, activity_id=activity_id)
    return Response(status_code=204)
