from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import AdminUser, CurrentUser, PageDep, RowId, SessionDep
from api.errors import error_responses
from api.models.assignment import AssignmentCreate, AssignmentPublic
from api.models.common import Page
from api.services.metadata import assignments as service

router = APIRouter(prefix="/assignments", tags=["assignments"])

Code = Annotated[str | None, Query(max_length=60)]


@router.get("", responses=error_responses(401, 422))
def list_assignments(
    session: SessionDep,
    page: PageDep,
    _principal: CurrentUser,
    organisation: Code = None,
    indicator: Code = None,
    area: Code = None,
) -> Page[AssignmentPublic]:
    """Who reports which indicator for which area (logged-in users)."""
    return service.list_assignments(
        session=session,
        limit=page.limit,
        offset=page.offset,
        organisation=organisation,
        indicator=indicator,
        area=area,
    )


@router.post("", status_code=201, responses=error_responses(401, 403, 404, 409, 422))
def create_assignment(data: AssignmentCreate, session: SessionDep, admin: AdminUser) -> AssignmentPublic:
    """Assign an indicator and area to an organisation (admin)."""
    return service.create_assignment(session=session, actor=admin, data=data)


@router.delete("/{assignment_id}", status_code=204, responses=error_responses(401, 403, 404))
def delete_assignment(assignment_id: RowId, session: SessionDep, admin: AdminUser) -> Response:
    """Remove an assignment (admin); values already reported stay."""
    service.delete_assignment(session=session, actor=admin, assignment_id=assignment_id)
    return Response(status_code=204)
