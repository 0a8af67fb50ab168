import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AdminUser, BackboneDep, ReadModelDep, SessionDep
from api.errors import error_responses
from api.services.periods import completeness as service

router = APIRouter(prefix="/completeness", tags=["completeness"])


@router.get("", responses=error_responses(401, 403, 404, 422))
def get_completeness(
    read_model: ReadModelDep,
    session: SessionDep,
    backbone: BackboneDep,
    admin: AdminUser,
    organisation: Annotated[str | None, Query(max_length=60, description="organisation code")] = None,
    years: Annotated[int, Query(ge=1, le=20, description="how many years back")] = 3,
) -> list[service.CompletenessRow]:
    """Per organisation and ended period: values expected and reported, overdue or not, review status (admin)."""
    return service.completeness(
        read_model=read_model,
        today=dt.date.today(),
        deadline_days=backbone.settings.reporting_deadline_days,
        years=years,
        organisation=organisation,
        session=session,
    )
