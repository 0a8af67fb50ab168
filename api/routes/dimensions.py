from fastapi import APIRouter

from api.deps import AdminUser, PageDep, SessionDep
from api.errors import error_responses
from api.models.common import Page
from api.models.dimension import DimensionCreate, DimensionPublic, DimensionUpdate
from api.services.metadata import dimensions as service

router = APIRouter(prefix="/dimensions", tags=["dimensions"])


@router.get("", responses=error_responses(422))
def list_dimensions(session: SessionDep, page: PageDep) -> Page[DimensionPublic]:
    """Breakdown dimensions and their values."""
    return service.list_dimensions(session=session, limit=page.limit, offset=page.offset)


@router.get("/{code}", responses=error_responses(404))
def get_dimension(code: str, session: SessionDep) -> DimensionPublic:
    """One dimension."""
    return service.get_dimension(session=session, code=code)


@router.post("", status_code=201, responses=error_responses(401, 403, 409, 422))
def create_dimension(data: DimensionCreate, session: SessionDep, admin: AdminUser) -> DimensionPublic:
    """Add a dimension with its values (admin)."""
    return service.create_dimension(session=session, actor=admin, data=data)


@router.patch("/{code}", responses=error_responses(401, 403, 404, 409, 422))
def update_dimension(code: str, data: DimensionUpdate, session: SessionDep, admin: AdminUser) -> DimensionPublic:
    """Rename a dimension or change its values (admin)."""
    return service.update_dimension(session=session, actor=admin, code=code, data=data)
