"""Reports per organisation and period: a member submits, backbone staff approve or return with a comment.

A report covers the organisation's assignments whose indicators use that period string
(``2024`` the yearly ones, ``2024/25`` the school-year ones ...). Nothing is stored for a
draft; the other states are rows of ``period_report``. Approved reports lock their period
for the organisation (``closed.py``); a submitted one is locked for its members.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from api.errors import Conflict, Forbidden, Invalid
from api.models import (
    Assignment,
    Indicator,
    Organisation,
    PeriodReport,
    PeriodReview,
    QualityFlag,
    RevisionCounter,
    User,
)
from api.models.approval import ReportPublic, ReportStatus, ReviewAction, ReviewPublic
from api.models.common import stored_id, utcnow
from api.models.quality import FlagStatus
from api.services.accounts.auth import Principal
from api.services.common import get_by_code
from api.services.periods.closed import locks_in_force
from api.services.periods.reviews import record_review
from indicators import periods

MAX_REASON = 400


def canonical_period(text: str) -> str:
    """The canonical spelling of a period of any type (``2023-24`` is the school year ``2023/24``); else 422."""
    raw = text.strip()
    candidates = {periods.normalize(raw, kind) for kind in periods.PeriodType if periods.is_valid(raw, kind)}
    if raw in candidates:
        return raw
    if len(candidates) == 1:
        return candidates.pop()
    examples = ", ".join(periods.EXAMPLES.values())
    if candidates:
        raise Invalid(
            f"'{raw}' could be {' or '.join(sorted(candidates))}: write it as one of them", code="invalid_period"
        )
    raise Invalid(f"'{raw}' is not a period like {examples}", code="invalid_period")


def override_reason(*, staff: bool, override: bool, reason: str | None) -> str | None:
    """The reason of an explicit override of period locks: staff only (else 403), with a reason (else 422)."""
    if not override:
        return None
    if not staff:
        raise Forbidden("Only backbone staff may override a locked period", code="override_not_allowed")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("An override needs a reason: send reason=...", code="override_reason_required")
    if len(reason) > MAX_REASON:
        raise Invalid(f"The reason is longer than {MAX_REASON} characters", code="override_reason_too_long")
    return reason


def period_types(period: str) -> list[str]:
    return [
        kind.value
        for kind in periods.PeriodType
        if periods.is_valid(period, kind) and periods.normalize(period, kind) == period
    ]


def hold_write_lock(session: Session) -> None:
    """Serialise with writers of observations, which check the locks under the same row lock."""
    session.exec(select(RevisionCounter.value).where(RevisionCounter.id == 1).with_for_update()).one()


def _covers(session: Session, organisation_id: int, period: str) -> bool:
    """Whether any of the organisation's reported assignments uses this period's type."""
    found = session.exec(
        select(Assignment.id)
        .join(Indicator, col(Indicator.id) == Assignment.indicator_id)
        .where(Assignment.organisation_id == organisation_id)
        .where(col(Indicator.derivation).is_(None))
        .where(col(Indicator.period_type).in_(period_types(period)))
        .limit(1)
    ).first()
    return found is not None


def _report(session: Session, organisation_id: int, period: str) -> PeriodReport | None:
    return session.exec(
        select(PeriodReport).where(PeriodReport.organisation_id == organisation_id, PeriodReport.period == period)
    ).first()


def _public(session: Session, report: PeriodReport | None, organisation: Organisation, period: str) -> ReportPublic:
    names = {}
    ids = [i for i in (report.submitted_by_id, report.reviewed_by_id) if i] if report else []
    if ids:
        names = dict(session.exec(select(User.id, User.username).where(col(User.id).in_(ids))).all())
    reviewer = aliased(User)
    history = [
        ReviewPublic(
            action=review.action,
            user=user,
            at=review.at,
            comment=review.comment,
            lock=review.lock_id,
            submission=review.submission_id,
        )
        for review, user in session.exec(
            select(PeriodReview, reviewer.username)
            .outerjoin(reviewer, col(PeriodReview.user_id) == reviewer.id)
            .where(PeriodReview.organisation_id == organisation.id, PeriodReview.period == period)
            .order_by(col(PeriodReview.id))
        ).all()
    ]
    open_warnings = session.exec(
        select(func.count())
        .select_from(QualityFlag)
        .where(
            QualityFlag.organisation_id == organisation.id,
            QualityFlag.period == period,
            QualityFlag.status == FlagStatus.open,
        )
    ).one()
    base = ReportPublic(
        organisation=organisation.code,
        organisation_name=organisation.name,
        period=period,
        status=ReportStatus.draft,
        history=history,
        open_warnings=open_warnings,
    )
    if report is None:
        return base
    return base.model_copy(
        update={
            "status": ReportStatus(report.status),
            "submitted_by": names.get(report.submitted_by_id),
            "submitted_at": report.submitted_at,
            "reviewed_by": names.get(report.reviewed_by_id),
            "reviewed_at": report.reviewed_at,
            "comment": report.comment,
        }
    )


def submit_report(*, session: Session, principal: Principal, period: str) -> ReportPublic:
    """Submit the caller's own organisation's report for a period to backbone staff."""
    period = canonical_period(period)
    organisation = session.get(Organisation, principal.organisation_id)
    assert organisation is not None
    organisation_id = stored_id(organisation)
    if not _covers(session, organisation_id, period):
        raise Invalid(
            f"None of {organisation.code}'s assignments is reported per period like '{period}'",
            code="nothing_to_report",
        )
    hold_write_lock(session)
    report = _report(session, organisation_id, period)
    status = ReportStatus(report.status) if report else ReportStatus.draft
    if status is ReportStatus.submitted:
        raise Conflict(f"The report for {period} is already submitted and waits for review", code="invalid_transition")
    if status is ReportStatus.approved:
        raise Conflict(
            f"The report for {period} is approved and locked; backbone staff must return it before it can change",
            code="invalid_transition",
        )
    report = report or PeriodReport(organisation_id=organisation_id, period=period, status=ReportStatus.submitted)
    report.status, report.submitted_by_id, report.submitted_at = ReportStatus.submitted, principal.user_id, utcnow()
    session.add(report)
    record_review(
        session, action=ReviewAction.submit, organisation_id=organisation_id, period=period, user_id=principal.user_id
    )
    session.flush()
    return _public(session, report, organisation, period)


def review_report(
    *, session: Session, principal: Principal, organisation: str, period: str, approve: bool, comment: str | None
) -> ReportPublic:
    """Approve a submitted report (it locks), or return a submitted or approved one with a comment (it opens)."""
    period = canonical_period(period)
    if not approve and not (comment or "").strip():
        raise Invalid("Say what to correct: returning a report needs a comment", code="comment_required")
    org = get_by_code(session, Organisation, organisation, "organisation")
    hold_write_lock(session)
    report = _report(session, stored_id(org), period)
    status = ReportStatus(report.status) if report else ReportStatus.draft
    if approve and status is not ReportStatus.submitted:
        why = "is already approved" if status is ReportStatus.approved else f"is {status.value}, not submitted"
        raise Conflict(f"The report of {org.code} for {period} {why}: nothing to approve", code="invalid_transition")
    if not approve and status not in (ReportStatus.submitted, ReportStatus.approved):
        raise Conflict(
            f"The report of {org.code} for {period} is {status.value}: "
            "only a submitted or approved report can be returned",
            code="invalid_transition",
        )
    assert report is not None
    report.status = ReportStatus.approved if approve else ReportStatus.returned
    report.reviewed_by_id, report.reviewed_at, report.comment = principal.user_id, utcnow(), comment
    session.add(report)
    action = ReviewAction.approve if approve else ReviewAction.return_
    record_review(
        session, action=action, organisation_id=org.id, period=period, user_id=principal.user_id, comment=comment
    )
    session.flush()
    return _public(session, report, org, period)


def get_report(*, session: Session, principal: Principal, organisation: str, period: str) -> ReportPublic:
    """One organisation's report for a period, with its history (members: their own organisation's only)."""
    period = canonical_period(period)
    org = get_by_code(session, Organisation, organisation, "organisation")
    if not principal.is_admin and org.id != principal.organisation_id:
        raise Forbidden("Members see their own organisation's reports only", code="not_your_organisation")
    return _public(session, _report(session, stored_id(org), period), org, period)


def list_reports(
    *,
    session: Session,
    principal: Principal,
    period: str | None = None,
    organisation: str | None = None,
    status: ReportStatus | None = None,
) -> list[ReportPublic]:
    """Reports that were ever submitted, newest period first; members see their own organisation's."""
    statement = select(PeriodReport, Organisation).join(
        Organisation, col(Organisation.id) == PeriodReport.organisation_id
    )
    if not principal.is_admin:
        statement = statement.where(PeriodReport.organisation_id == principal.organisation_id)
    if period is not None:
        statement = statement.where(PeriodReport.period == canonical_period(period))
    if organisation is not None:
        statement = statement.where(Organisation.code == organisation)
    if status is not None:
        statement = statement.where(PeriodReport.status == status.value)
    rows = session.exec(statement.order_by(col(PeriodReport.period).desc(), Organisation.name)).all()
    return [_public(session, report, org, report.period) for report, org in rows]


@dataclass(frozen=True)
class PeriodState:
    period: str
    status: ReportStatus
    locked: str | None  # why writes to it are refused for this writer now; None: open
    comment: str | None = None  # the staff's comment on returning or approving it


def period_states(*, session: Session, organisation_id: int, periods_: list[str], staff: bool) -> list[PeriodState]:
    """Each period's report status for an organisation, and whether (and why) it is locked for the writer."""
    locks = locks_in_force(session, now=utcnow(), staff=staff)
    found = {
        report.period: report
        for report in session.exec(
            select(PeriodReport)
            .where(PeriodReport.organisation_id == organisation_id)
            .where(col(PeriodReport.period).in_(periods_))
        ).all()
    }
    states = []
    for period in periods_:
        applying = [lock for lock in locks if lock.period == period and lock.organisation_id in (None, organisation_id)]
        reason = min(applying, key=lambda lock: lock.priority).message if applying else None
        report = found.get(period)
        status = ReportStatus(report.status) if report else ReportStatus.draft
        states.append(PeriodState(period, status, reason, report.comment if report else None))
    return states
