from fastapi import APIRouter

from api.deps import AdminUser, SessionDep
from api.errors import error_responses
from api.models.agenda import AgendaPublic, AgendaPut, AgendaUpdate
from api.services.metadata import agenda as service

router = APIRouter(prefix="/agenda", tags=["agenda"])


@router.get("", responses=error_responses(404))
def get_agenda(session: SessionDep) -> AgendaPublic:
    """The common agenda: name, vision, problem statement, signatories, start date."""
    return service.get_agenda(session=session)


@router.put("", responses=error_responses(401, 403, 404, 422))
def put_agenda(data: AgendaPut, session: SessionDep, admin: AdminUser) -> AgendaPublic:
    """Create or replace the agenda (admin)."""
    return service.put_agenda(session=session, actor=admin, data=data)


@router.patch("", responses=error_responses(401, 403, 404, 422))
def update_agenda(data: AgendaUpdate, session: SessionDep, admin: AdminUser) -> AgendaPublic:
    """Change some fields of the agenda (admin)."""
    return service.update_agenda(session=session, actor=admin, data=data)
