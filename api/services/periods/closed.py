"""Which (organisation, period) pairs are closed to writes right now, and why: the import pipeline's lock rule.

Evaluated against the clock at write time, so a lock with a deadline closes by itself
without a scheduler. Read from the system of record in the writer's own transaction:
the read model may be a moment behind, a lock must not be.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from api.models import Organisation, PeriodLock, PeriodReport, User
from api.models.approval import ReportStatus


class Lock(NamedTuple):
    organisation_id: int | None  # None: every organisation
    period: str
    priority: int  # when several apply, the lowest explains the row
    message: str


def stamp(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "?"


def locks_in_force(session: Session, *, now: datetime, staff: bool) -> list[Lock]:
    """Approved reports and admin locks whose moment has come; for members also reports waiting for review.

    A submitted report is closed to its members until staff return it (as DHIS2 asks
    to "unapprove" first); staff may still correct it before they approve.
    """
    statuses = [ReportStatus.approved] if staff else [ReportStatus.approved, ReportStatus.submitted]
    reviewer, submitter = aliased(User), aliased(User)
    found: list[Lock] = []
    for report, code, reviewed_by, submitted_by in session.exec(
        select(PeriodReport, Organisation.code, reviewer.username, submitter.username)
        .join(Organisation, col(Organisation.id) == PeriodReport.organisation_id)
        .outerjoin(reviewer, col(PeriodReport.reviewed_by_id) == reviewer.id)
        .outerjoin(submitter, col(PeriodReport.submitted_by_id) == submitter.id)
        .where(col(PeriodReport.status).in_(statuses))
        .order_by(col(PeriodReport.id))
    ).all():
        if report.status == ReportStatus.approved:
            message = (
                f"period {report.period} is locked for {code}: its report was approved by {reviewed_by or '?'} "
                f"on {stamp(report.reviewed_at)}"
            )
            found.append(Lock(report.organisation_id, report.period, 1, message))
        else:
            message = (
                f"period {report.period} of {code} was submitted for approval by {submitted_by or '?'} on "
                f"{stamp(report.submitted_at)}: it can be changed again once backbone staff return it"
            )
            found.append(Lock(report.organisation_id, report.period, 3, message))
    for lock, code, locked_by in session.exec(
        select(PeriodLock, Organisation.code, User.username)
        .outerjoin(Organisation, col(Organisation.id) == PeriodLock.organisation_id)
        .outerjoin(User, col(User.id) == PeriodLock.locked_by_id)
        .where(col(PeriodLock.unlocked_at).is_(None))
        .where(or_(col(PeriodLock.lock_after).is_(None), col(PeriodLock.lock_after) <= now))
        .order_by(col(PeriodLock.id))
    ).all():
        whom = f"for {code}" if code else "for every organisation"
        if lock.lock_after is None:
            message = (
                f"period {lock.period} is locked {whom} by backbone staff ({locked_by or '?'}) "
                f"since {stamp(lock.created_at)} (lock {lock.id})"
            )
        else:
            message = (
                f"period {lock.period} is locked {whom} since its deadline {stamp(lock.lock_after)} (lock {lock.id})"
            )
        found.append(Lock(lock.organisation_id, lock.period, 2, message))
    return found
