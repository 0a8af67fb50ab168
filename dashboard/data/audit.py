"""The audit for backbone staff: the metadata's changes, and every version of one value."""

from __future__ import annotations

from datetime import datetime

from api.models.audit import AuditEventPublic, ObservationHistoryPublic
from api.models.common import Page
from api.services.audit import log as audit_log
from dashboard import context


def entities() -> list[str]:
    """The kinds of rows the audit holds events for."""
    with context.backbone().db.session() as session:
        return audit_log.entities(session=session)


def events(
    limit: int,
    offset: int,
    *,
    entity: str | None,
    user: str | None,
    since: datetime | None,
    until: datetime | None,
) -> Page[AuditEventPublic]:
    """One page of audit events, newest first, filtered by entity, username and time."""
    with context.backbone().db.session() as session:
        return audit_log.list_events(
            session=session, limit=limit, offset=offset, entity=entity, user=user, since=since, until=until
        )


def observation_history(observation_id: int) -> ObservationHistoryPublic:
    """Every version of one value, oldest first (staff, or the reporting organisation)."""
    with context.backbone().db.session() as session:
        return audit_log.observation_history(session=session, principal=context.user(), observation_id=observation_id)
