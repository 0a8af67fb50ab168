from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import AdminUser, PageDep, RowId, SessionDep
from api.errors import error_responses
from api.models.common import Page
from api.models.target import TargetCreate, TargetPublic, TargetUpdate
from api.services.metadata import targets as service

router = APIRouter(prefix="/targets", tags=["targets"])


@router.get("", responses=error_responses(422))
def list_targets(
    session: SessionDep,
    page: PageDep,
    indicator: Annotated[str | None, Query(max_length=60)] = None,
    area: Annotated[str | None, Query(max_length=60, description="area code; empty for alliance-wide targets")] = None,
) -> Page[TargetPublic]:
    """Baselines and targets."""
    return service.list_targets(session=session, limit=page.limit, offset=page.offset, indicator=indicator, area=area)


@router.post("", status_code=201, responses=error_responses(401, 403, 404, 409, 422))
def create_target(data: TargetCreate, session: SessionDep, admin: AdminUser) -> TargetPublic:
    """Set a baseline and target (admin)."""
    return service.create_target(session=session, actor=admin, data=data)


@router.patch("/{target_id}", responses=error_responses(401, 403, 404, 409, 422))
def update_target(target_id: RowId, data: TargetUpdate, session: SessionDep, admin: AdminUser) -> TargetPublic:
    """Change a baseline or target (admin)."""
    return service.update_target(session=session, actor=admin, target_id=target_id, data=data)


@router.delete("/{target_id}", status_code=204, responses=error_responses(401, 403, 404))
def delete_target(target_id: RowId, session: SessionDep, admin: AdminUser) -> Response:
    """Remove a target (admin)."""
    service.delete_target(session=session, actor=admin, target_id=target_id)
    return Response(status_code=204)
