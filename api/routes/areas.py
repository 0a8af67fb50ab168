from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AdminUser, PageDep, SessionDep
from api.errors import error_responses
from api.models.area import AreaCreate, AreaPublic, AreaUpdate
from api.models.common import AreaLevel, Page
from api.services import areas as service

router = APIRouter(prefix="/areas", tags=["areas"])


@router.get("", responses=error_responses(422))
def list_areas(
    session: SessionDep,
    page: PageDep,
    level: AreaLevel | None = None,
    parent: Annotated[str | None, Query(max_length=60, description="code of the parent area")] = None,
) -> Page[AreaPublic]:
    """Areas, optionally of one level or below one parent."""
    return service.list_areas(session=session, limit=page.limit, offset=page.offset, level=level, parent=parent)


@router.get("/{code}", responses=error_responses(404))
def get_area(code: str, session: SessionDep) -> AreaPublic:
    """One area."""
    return service.get_area(session=session, code=code)


@router.post("", status_code=201, responses=error_responses(401, 403, 404, 409, 422))
def create_area(data: AreaCreate, session: SessionDep, admin: AdminUser) -> AreaPublic:
    """Add an area (admin)."""
    return service.create_area(session=session, actor=admin, data=data)


@router.patch("/{code}", responses=error_responses(401, 403, 404, 422))
def update_area(code: str, data: AreaUpdate, session: SessionDep, admin: AdminUser) -> AreaPublic:
    """Change an area or move it in the hierarchy (admin)."""
    return service.update_area(session=session, actor=admin, code=code, data=data)
