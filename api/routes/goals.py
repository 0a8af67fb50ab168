from fastapi import APIRouter

from api.deps import AdminUser, PageDep, SessionDep
from api.errors import error_responses
from api.models.common import Page
from api.models.goal import GoalCreate, GoalPublic, GoalUpdate
from api.services.metadata import goals as service

router = APIRouter(prefix="/goals", tags=["goals"])


@router.get("", responses=error_responses(422))
def list_goals(session: SessionDep, page: PageDep) -> Page[GoalPublic]:
    """Goals of the agenda, in order."""
    return service.list_goals(session=session, limit=page.limit, offset=page.offset)


@router.get("/{code}", responses=error_responses(404))
def get_goal(code: str, session: SessionDep) -> GoalPublic:
    """One goal."""
    return service.get_goal(session=session, code=code)


@router.post("", status_code=201, responses=error_responses(401, 403, 409, 422))
def create_goal(data: GoalCreate, session: SessionDep, admin: AdminUser) -> GoalPublic:
    """Add a goal (admin)."""
    return service.create_goal(session=session, actor=admin, data=data)


@router.patch("/{code}", responses=error_responses(401, 403, 404, 422))
def update_goal(code: str, data: GoalUpdate, session: SessionDep, admin: AdminUser) -> GoalPublic:
    """Change a goal (admin)."""
    return service.update_goal(session=session, actor=admin, code=code, data=data)
