from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import OptionalUser, ReadModelDep
from api.errors import error_responses
from api.services.analytics import equity as service

router = APIRouter(prefix="/equity", tags=["equity"])

Code = Annotated[str | None, Query(max_length=60)]


@router.get("", responses=error_responses(401, 404, 422))
def get_equity(
    read_model: ReadModelDep,
    principal: OptionalUser,
    indicator: Annotated[str, Query(max_length=60, description="indicator code")],
    area: Annotated[str, Query(max_length=60, description="area code")],
    dimension: Annotated[str | None, Query(max_length=40, description="default: ses, else the first")] = None,
    group: Annotated[str | None, Query(max_length=40, description="default: the first value, e.g. low")] = None,
    reference: Annotated[str | None, Query(max_length=40, description="default: the last value, e.g. high")] = None,
) -> service.Equity:
    """The equity gap between two groups (low against high SES by default) per period, and its trend."""
    return service.equity(
        read_model=read_model,
        principal=principal,
        indicator=indicator,
        area=area,
        dimension=dimension,
        group=group,
        reference=reference,
    )
