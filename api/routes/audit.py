from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AdminUser, PageDep, SessionDep
from api.errors import error_responses
from api.models.audit import AuditEventPublic
from api.models.common import Page
from api.services.audit import log as service

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", responses=error_responses(401, 403, 422))
def list_audit_events(
    session: SessionDep,
    admin: AdminUser,
    page: PageDep,
    entity: Annotated[str | None, Query(max_length=40, description="goal, indicator, user, token ...")] = None,
    key: Annotated[str | None, Query(max_length=200, description="the entity's code, username or id")] = None,
    user: Annotated[str | None, Query(max_length=80, description="username of who made the change")] = None,
    since: Annotated[datetime | None, Query(description="from this moment on")] = None,
    until: Annotated[datetime | None, Query(description="before this moment")] = None,
) -> Page[AuditEventPublic]:
    """Changes of the metadata, newest first, with who, when, the channel and the submission (admin)."""
    return service.list_events(
        session=session,
        limit=page.limit,
        offset=page.offset,
        entity=entity,
        key=key,
        user=user,
        since=since,
        until=until,
    )
