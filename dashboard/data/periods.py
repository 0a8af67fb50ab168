"""Reports and locks per organisation and period: their state, submitting and reviewing, locking; completeness."""

from __future__ import annotations

import datetime as dt

from api.models.approval import LockCreate, LockPublic, ReportPublic
from api.services.periods import completeness as completeness_service
from api.services.periods import locks as lock_service
from api.services.periods import reports as report_service
from api.services.periods.completeness import CompletenessRow
from api.services.periods.reports import PeriodState
from dashboard import context

__all__ = [
    "CompletenessRow",
    "PeriodState",
    "completeness",
    "create_lock",
    "deadline_days",
    "open_locks",
    "period_states",
    "review_report",
    "submit_report",
    "unlock",
]


def period_states(organisation_id: int, periods: list[str]) -> list[PeriodState]:
    """The review status and lock of each of an organisation's periods, as the user sees them."""
    with context.backbone().db.session() as session:
        return report_service.period_states(
            session=session, organisation_id=organisation_id, periods_=periods, staff=context.user().is_admin
        )


def submit_report(period: str) -> ReportPublic:
    """Submit the member's own organisation's report for a period, in one transaction."""
    with context.backbone().db.transaction() as session:
        return report_service.submit_report(session=session, principal=context.user(), period=period)


def review_report(organisation: str, period: str, *, approve: bool, comment: str | None) -> ReportPublic:
    """Approve or return one report, in one transaction."""
    with context.backbone().db.transaction() as session:
        return report_service.review_report(
            session=session,
            principal=context.user(),
            organisation=organisation,
            period=period,
            approve=approve,
            comment=comment,
        )


def create_lock(lock: LockCreate) -> LockPublic:
    """Lock a period for one organisation or everyone, at once or from a moment on."""
    with context.backbone().db.transaction() as session:
        return lock_service.create_lock(session=session, principal=context.user(), lock=lock)


def unlock(lock_id: int) -> LockPublic:
    """End a lock; the period opens again."""
    with context.backbone().db.transaction() as session:
        return lock_service.unlock(session=session, principal=context.user(), lock_id=lock_id)


def open_locks() -> list[LockPublic]:
    """The locks not yet ended."""
    with context.backbone().db.session() as session:
        return [x for x in lock_service.list_locks(session=session) if x.unlocked_at is None]


def deadline_days() -> int:
    """How many days after a period's end its report is overdue."""
    return context.backbone().settings.reporting_deadline_days


def completeness() -> list[CompletenessRow]:
    """Per organisation and period: the values expected and reported, and whether the report is overdue."""
    backbone = context.backbone()
    with backbone.db.session() as session:
        return completeness_service.completeness(
            read_model=backbone.read_model,
            today=dt.date.today(),
            deadline_days=backbone.settings.reporting_deadline_days,
            session=session,
        )
