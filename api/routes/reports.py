from typing import Annotated

from fastapi import APIRouter, Body, Query

from api.deps import AdminUser, CurrentUser, ReporterUser, SessionDep
from api.errors import error_responses
from api.models.approval import ApproveIn, ReportPublic, ReportStatus, ReturnIn
from api.services.periods import reports as service

router = APIRouter(prefix="/reports", tags=["reports"])

Period = Annotated[str | None, Query(max_length=16, examples=["2024", "2024/25"])]


@router.get("", responses=error_responses(401, 422))
def list_reports(
    session: SessionDep,
    principal: CurrentUser,
    period: Period = None,
    organisation: Annotated[str | None, Query(max_length=60, description="organisation code")] = None,
    status: ReportStatus | None = None,
) -> list[ReportPublic]:
    """Reports per organisation and period that were ever submitted; members and viewers see their own."""
    return service.list_reports(
        session=session, principal=principal, period=period, organisation=organisation, status=status
    )


@router.post("/{period:path}/submit", responses=error_responses(401, 403, 409, 422))
def submit_report(period: str, session: SessionDep, principal: ReporterUser) -> ReportPublic:
    """Submit the caller's organisation's values for a period for approval; they lock for members until returned."""
    return service.submit_report(session=session, principal=principal, period=period)


@router.post("/{organisation}/{period:path}/approve", responses=error_responses(401, 403, 404, 409, 422))
def approve_report(
    organisation: str,
    period: str,
    session: SessionDep,
    admin: AdminUser,
    body: Annotated[ApproveIn | None, Body()] = None,
) -> ReportPublic:
    """Approve a submitted report (admin): its values are final and the period locks for the organisation."""
    return service.review_report(
        session=session,
        principal=admin,
        organisation=organisation,
        period=period,
        approve=True,
        comment=body.comment if body else None,
    )


@router.post("/{organisation}/{period:path}/return", responses=error_responses(401, 403, 404, 409, 422))
def return_report(
    organisation: str, period: str, body: ReturnIn, session: SessionDep, admin: AdminUser
) -> ReportPublic:
    """Return a submitted or approved report with a comment (admin): the period opens again for the organisation."""
    return service.review_report(
        session=session, principal=admin, organisation=organisation, period=period, approve=False, comment=body.comment
    )


@router.get("/{organisation}/{period:path}", responses=error_responses(401, 403, 404, 422))
def get_report(organisation: str, period: str, session: SessionDep, principal: CurrentUser) -> ReportPublic:
    """One organisation's report for a period, with its history (draft if never submitted)."""
    return service.get_report(session=session, principal=principal, organisation=organisation, period=period)
