from fastapi import APIRouter

from api.deps import CurrentUser, PageDep, RowId, SessionDep
from api.errors import error_responses
from api.models.common import Page
from api.models.submission import SubmissionPublic
from api.services.imports import submissions as service

router = APIRouter(prefix="/submissions", tags=["submissions"])


@router.get("", responses=error_responses(401, 422))
def list_submissions(session: SessionDep, principal: CurrentUser, page: PageDep) -> Page[SubmissionPublic]:
    """Batches of changes, newest first; members see their own organisation's."""
    return service.list_submissions(session=session, principal=principal, limit=page.limit, offset=page.offset)


@router.get("/{submission_id}", responses=error_responses(401, 404))
def get_submission(submission_id: RowId, session: SessionDep, principal: CurrentUser) -> SubmissionPublic:
    """One batch of changes."""
    return service.get_submission(session=session, principal=principal, submission_id=submission_id)
