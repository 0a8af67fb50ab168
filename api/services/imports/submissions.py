"""Submissions: the batches of changes, for their senders and for backbone staff."""

from __future__ import annotations

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from api.errors import NotFound
from api.models import Organisation, Submission, User
from api.models.common import Page, Role
from api.models.submission import SubmissionPublic
from api.services.accounts.auth import Principal
from api.services.common import page_of


def _select(principal: Principal) -> Select[Submission, str | None, str | None]:
    statement = (
        select(Submission, Organisation.code, User.username)
        .outerjoin(Organisation, col(Organisation.id) == Submission.organisation_id)
        .outerjoin(User, col(User.id) == Submission.user_id)
        .where(col(Submission.revision).is_not(None))
    )
    if principal.role is not Role.admin:
        statement = statement.where(Submission.organisation_id == principal.organisation_id)
    return statement


def _public(row: tuple[Submission, str | None, str | None]) -> SubmissionPublic:
    submission, organisation, user = row
    fields = submission.model_dump(exclude={"organisation_id", "user_id", "file_checksum"})
    return SubmissionPublic(**fields, organisation=organisation, user=user)


def list_submissions(*, session: Session, principal: Principal, limit: int, offset: int) -> Page[SubmissionPublic]:
    """Newest first; members and viewers see their own organisation's."""
    rows, total = page_of(session, _select(principal).order_by(col(Submission.revision).desc()), limit, offset)
    return Page(items=[_public(r) for r in rows], total=total, limit=limit, offset=offset)


def get_submission(*, session: Session, principal: Principal, submission_id: int) -> SubmissionPublic:
    """One submission, if the caller may see it."""
    row = session.exec(_select(principal).where(Submission.id == submission_id)).first()
    if row is None:
        raise NotFound(f"No submission {submission_id} that you can see")
    return _public(row)
