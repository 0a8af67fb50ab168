from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import OptionalUser, SessionDep
from api.errors import error_responses
from api.models.narrative import NarrativePublic
from api.services import narratives as service

router = APIRouter(prefix="/narratives", tags=["narratives"])


@router.get("", responses=error_responses(401, 404, 422))
def list_narratives(
    session: SessionDep,
    principal: OptionalUser,
    indicator: Annotated[str, Query(max_length=60, description="indicator code")],
    area: Annotated[
        str | None, Query(max_length=60, description="area code: its own stories and the alliance-wide ones")
    ] = None,
) -> list[NarrativePublic]:
    """The story behind the curve of an indicator: what works, what partners do, what is next."""
    return service.list_narratives(session=session, indicator=indicator, area=area, published_only=principal is None)
