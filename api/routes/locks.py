from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AdminUser, CurrentUser, RowId, SessionDep
from api.errors import error_responses
from api.models.approval import LockCreate, LockPublic
from api.services.periods import locks as service

router = APIRouter(prefix="/locks", tags=["locks"])


@router.get("", responses=error_responses(401, 422))
def list_locks(
    session: SessionDep,
    principal: CurrentUser,
    period: Annotated[str | None, Query(max_length=16)] = None,
    organisation: Annotated[str | None, Query(max_length=60, description="its locks and those for everyone")] = None,
    active: Annotated[bool | None, Query(description="only locks in force now (true) or not (false)")] = None,
) -> list[LockPublic]:
    """Period locks, newest first, with who set and ended them."""
    return service.list_locks(session=session, period=period, organisation=organisation, active=active)


@router.post("", status_code=201, responses=error_responses(401, 403, 409, 422))
def create_lock(lock: LockCreate, session: SessionDep, admin: AdminUser) -> LockPublic:
    """Lock a period for one organisation or everyone, at once or from ``lock_after`` on (admin)."""
    return service.create_lock(session=session, principal=admin, lock=lock)


@router.delete("/{lock_id}", responses=error_responses(401, 403, 404, 409, 422))
def unlock(lock_id: RowId, session: SessionDep, admin: AdminUser) -> LockPublic:
    """Unlock: the lock ends now and stays listed with who ended it (admin)."""
    return service.unlock(session=session, principal=admin, lock_id=lock_id)
