from fastapi import APIRouter

from api.deps import AdminUser, PageDep, SessionDep
from api.errors import error_responses
from api.models.common import Page
from api.models.organisation import OrganisationCreate, OrganisationPublic, OrganisationUpdate
from api.services.metadata import organisations as service

router = APIRouter(prefix="/organisations", tags=["organisations"])


@router.get("", responses=error_responses(422))
def list_organisations(session: SessionDep, page: PageDep) -> Page[OrganisationPublic]:
    """The alliance's organisations."""
    return service.list_organisations(session=session, limit=page.limit, offset=page.offset)


@router.get("/{code}", responses=error_responses(404))
def get_organisation(code: str, session: SessionDep) -> OrganisationPublic:
    """One organisation."""
    return service.get_organisation(session=session, code=code)


@router.post("", status_code=201, responses=error_responses(401, 403, 409, 422))
def create_organisation(data: OrganisationCreate, session: SessionDep, admin: AdminUser) -> OrganisationPublic:
    """Add an organisation (admin)."""
    return service.create_organisation(session=session, actor=admin, data=data)


@router.patch("/{code}", responses=error_responses(401, 403, 404, 422))
def update_organisation(
    code: str, data: OrganisationUpdate, session: SessionDep, admin: AdminUser
) -> OrganisationPublic:
    """Change an organisation (admin)."""
    return service.update_organisation(session=session, actor=admin, code=code, data=data)
