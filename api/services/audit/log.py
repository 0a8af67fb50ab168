"""Reading the audit: the trail of metadata changes (admin) and the versions of one observation."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from api.errors import Forbidden, NotFound
from api.models import Area, AuditEvent, Indicator, Observation, ObservationHistory, Organisation, Submission, User
from api.models.audit import AuditEventPublic, ObservationHistoryPublic, ObservationVersion
from api.models.common import Page
from api.models.observation import parse_breakdown
from api.services.accounts.auth import Principal
from api.services.common import page_of


def list_events(
    *,
    session: Session,
    limit: int,
    offset: int,
    entity: str | None = None,
    key: str | None = None,
    user: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Page[AuditEventPublic]:
    """Audit events, newest first, filtered by entity (and key), username and time."""
    statement = (
        select(AuditEvent, User.username, Organisation.code, Submission.revision)
        .outerjoin(User, col(User.id) == AuditEvent.user_id)
        .outerjoin(Organisation, col(Organisation.id) == AuditEvent.organisation_id)
        .outerjoin(Submission, col(Submission.id) == AuditEvent.submission_id)
        .order_by(col(AuditEvent.id).desc())
    )
    if entity:
        statement = statement.where(AuditEvent.entity == entity)
    if key:
        statement = statement.where(AuditEvent.entity_key == key)
    if user:
        statement = statement.where(User.username == user.strip().lower())
    if since is not None:
        statement = statement.where(AuditEvent.at >= _utc(since))
    if until is not None:
        statement = statement.where(AuditEvent.at < _utc(until))
    rows, total = page_of(session, statement, limit, offset)
    items = [
        AuditEventPublic(
            id=e.id,
            at=e.at,
            user=username,
            organisation=organisation,
            channel=e.channel,
            submission=e.submission_id,
            revision=revision,
            entity=e.entity,
            entity_key=e.entity_key,
            action=e.action,
            before=e.before,
            after=e.after,
        )
        for e, username, organisation, revision in rows
    ]
    return Page(items=items, total=total, limit=limit, offset=offset)


def _utc(moment: datetime) -> datetime:
    # A time without a zone is taken as UTC; SQLite compares the stored UTC text.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def entities(*, session: Session) -> list[str]:
    """The kinds of rows the audit holds events for."""
    return list(session.exec(select(AuditEvent.entity).distinct().order_by(AuditEvent.entity)).all())


def observation_history(*, session: Session, principal: Principal, observation_id: int) -> ObservationHistoryPublic:
    """Every version of one observation, oldest first, the current one last (admin, or its own organisation)."""
    found = session.exec(
        select(Observation, Indicator.code, Area.code)
        .join(Indicator, col(Indicator.id) == Observation.indicator_id)
        .join(Area, col(Area.id) == Observation.area_id)
        .where(Observation.id == observation_id)
    ).first()
    if found is None:
        raise NotFound(f"No observation with id {observation_id}")
    current, indicator, area = found
    if not principal.is_admin and principal.organisation_id != current.organisation_id:
        raise Forbidden("Only backbone staff and the reporting organisation may see the history of a value")
    reporter = aliased(Organisation)
    history = session.exec(
        select(ObservationHistory, Submission, User.username, reporter.code)
        .join(Submission, col(Submission.id) == ObservationHistory.submission_id)
        .outerjoin(User, col(User.id) == Submission.user_id)
        .join(reporter, col(ObservationHistory.organisation_id) == reporter.id)
        .where(ObservationHistory.observation_id == observation_id)
        .order_by(col(ObservationHistory.id))
    ).all()
    now = session.exec(
        select(Submission, User.username, reporter.code)
        .outerjoin(User, col(User.id) == Submission.user_id)
        .join(reporter, col(reporter.id) == current.organisation_id)
        .where(Submission.id == current.submission_id)
    ).one()
    versions = [_version(row, submission, user, code, current=False) for row, submission, user, code in history]
    versions.append(_version(current, *now, current=True))
    return ObservationHistoryPublic(
        id=current.id,
        indicator=indicator,
        area=area,
        period=current.period,
        breakdown=parse_breakdown(current.breakdown),
        versions=versions,
    )


def _version(
    row: Observation | ObservationHistory,
    submission: Submission,
    username: str | None,
    organisation: str,
    *,
    current: bool,
) -> ObservationVersion:
    return ObservationVersion(
        value=None if row.is_suppressed else row.value,
        numerator=None if row.is_suppressed else row.numerator,
        denominator=None if row.is_suppressed else row.denominator,
        provisional=row.is_provisional,
        estimated=row.is_estimated,
        suppressed=row.is_suppressed,
        note=row.note,
        organisation=organisation,
        submission=submission.id,
        revision=submission.revision,
        user=username,
        channel=submission.channel,
        at=submission.created_at,
        current=current,
    )
