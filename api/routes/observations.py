from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import BackboneDep, CurrentUser, OptionalUser, PageDep, ReadModelDep, ReporterUser, SessionDep
from api.errors import Invalid, error_responses
from api.models.audit import ObservationHistoryPublic
from api.models.common import Page
from api.models.observation import ObservationBatch, ObservationPublic, WriteSummary
from api.services.analytics import observations
from api.services.audit import log as audit_log
from api.services.imports import batches

router = APIRouter(prefix="/observations", tags=["observations"])

# The filters of the observations, shared with their exports (routes/exports.py).
Code = Annotated[str | None, Query(max_length=60)]
PeriodQuery = Annotated[str | None, Query(max_length=16, examples=["2023", "2023/24"])]
BreakdownQuery = Annotated[
    str | None, Query(max_length=200, description="'total', a dimension ('ses') or values ('ses:low')")
]
Override = Annotated[bool, Query(description="admin only: write into locked periods too (needs reason)")]
Reason = Annotated[str | None, Query(max_length=400, description="why locked periods are overridden")]


@router.get("", responses=error_responses(401, 422))
def list_observations(
    read_model: ReadModelDep,
    principal: OptionalUser,
    page: PageDep,
    indicator: Code = None,
    area: Code = None,
    period: PeriodQuery = None,
    breakdown: BreakdownQuery = None,
) -> Page[ObservationPublic]:
    """Current values; small counts are suppressed unless the caller reported them or is admin."""
    return observations.list_observations(
        read_model=read_model,
        principal=principal,
        limit=page.limit,
        offset=page.offset,
        indicator=indicator,
        area=area,
        period=period,
        breakdown=breakdown,
    )


@router.put("", responses=error_responses(401, 403, 409, 422))
def put_observations(
    batch: ObservationBatch,
    session: SessionDep,
    read_model: ReadModelDep,
    principal: ReporterUser,
    backbone: BackboneDep,
    dry_run: bool = False,
    override: Override = False,
    reason: Reason = None,
) -> WriteSummary:
    """Write a batch of values for the caller's organisation: all of them, or none with every error listed.

    Values in a locked period are refused with 409; backbone staff may write them with ``override=true``
    and a ``reason``, which the submission records.
    """
    if len(batch.observations) > backbone.settings.max_batch_rows:
        raise Invalid(
            f"At most {backbone.settings.max_batch_rows} values per batch; upload a CSV file for more",
            code="batch_too_large",
        )
    return batches.submit_batch(
        session=session,
        read_model=read_model,
        principal=principal,
        batch=batch,
        max_errors=backbone.settings.max_error_count,
        dry_run=dry_run,
        override=override,
        reason=reason,
    )


@router.get("/{observation_id}/history", responses=error_responses(401, 403, 404, 422))
def observation_history(
    observation_id: Annotated[int, Path(ge=1, le=2**62)], session: SessionDep, principal: CurrentUser
) -> ObservationHistoryPublic:
    """Every version of a value, oldest first with who, when, how and which submission; the current one last.

    Backbone staff see any value's history, members their own organisation's; others get 403.
    """
    return audit_log.observation_history(session=session, principal=principal, observation_id=observation_id)
