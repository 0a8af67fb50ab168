"""The one place where approval and locking leave their trail: the ``period_review`` rows and override marks.

Every action on a period's report or lock, and every admin write into a locked period,
is recorded here (who, when, what, why), so that a general audit log can hook in once.
"""

from __future__ import annotations

from sqlmodel import Session

from api.models import PeriodReview, Submission, User
from api.models.approval import ReviewAction
from api.services.audit import trail

MAX_SUMMARY = 500


def record_review(
    session: Session,
    *,
    action: ReviewAction,
    organisation_id: int | None,
    period: str,
    user_id: int | None,
    comment: str | None = None,
    lock_id: int | None = None,
    submission_id: int | None = None,
) -> PeriodReview:
    """Add one entry to a period's history; the audit names its user as who made this change."""
    if user_id is not None and submission_id is None:
        user = session.get(User, user_id)
        trail.act_as(session, user_id=user_id, organisation_id=user.organisation_id if user else None, channel=None)
    review = PeriodReview(
        organisation_id=organisation_id,
        period=period,
        action=action,
        user_id=user_id,
        comment=comment,
        lock_id=lock_id,
        submission_id=submission_id,
    )
    session.add(review)
    return review


def record_override(session: Session, *, submission: Submission, periods: list[str], reason: str) -> None:
    """Mark a submission that wrote into locked periods on purpose: the reason in it and in each period's history."""
    submission.override = True
    note = f"; override of locked period {', '.join(periods)}: {reason}"
    submission.summary = (submission.summary + note)[:MAX_SUMMARY]
    session.add(submission)
    for period in periods:
        record_review(
            session,
            action=ReviewAction.override,
            organisation_id=submission.organisation_id,
            period=period,
            user_id=submission.user_id,
            comment=reason,
            submission_id=submission.id,
        )
