from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import OptionalUser, ReporterUser, RowId, SessionDep
from api.errors import error_responses
from api.models.narrative import NarrativeCreate, NarrativePublic, NarrativeUpdate
from api.services.stories import narratives as service

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


@router.get("/{narrative_id}", responses=error_responses(401, 404, 422))
def get_narrative(narrative_id: RowId, session: SessionDep, principal: OptionalUser) -> NarrativePublic:
    """One narrative."""
    return service.get_narrative(session=session, narrative_id=narrative_id, published_only=principal is None)


@router.post("", status_code=201, responses=error_responses(401, 403, 409, 422))
def create_narrative(data: NarrativeCreate, session: SessionDep, reporter: ReporterUser) -> NarrativePublic:
    """Tell the story behind a curve for your organisation (members: indicators and areas they report)."""
    return service.create_narrative(session=session, actor=reporter, data=data)


@router.patch("/{narrative_id}", responses=error_responses(401, 403, 404, 409, 422))
def update_narrative(
    narrative_id: RowId, data: NarrativeUpdate, session: SessionDep, reporter: ReporterUser
) -> NarrativePublic:
    """Change a narrative of your organisation (staff: any)."""
    return service.update_narrative(session=session, actor=reporter, narrative_id=narrative_id, data=data)


@router.delete("/{narrative_id}", status_code=204, responses=error_responses(401, 403, 404, 409, 422))
def delete_narrative(narrative_id: RowId, session: SessionDep, reporter: ReporterUser) -> Response:
    """Remove a narrative of your organisation (staff: any)."""
    service.delete_narrative(session=session, actor=reporter, narrative_id=narrative_id)
    return Response(status_code=204)
