"""The audit trail of metadata: every created, changed or deleted row of an audited table, with who and how.

One hook for all writes, so that no service (nor one added later) can forget it:
after each flush the session's new, changed and deleted rows of the audited tables
are noted (the changed fields' old and new values); just before commit they are
written to ``audit_event`` with the user, organisation and channel of the
submission the transaction tracks (``db.track_submission``), or of ``act_as``.
Bulk ``delete`` statements through the session are caught before they run (the
rows they remove are noted); other statements that bypass the unit of work (bulk
``insert``, raw SQL) call ``record`` themselves. Observations are not audited here: their versions are
``observation_history`` plus the submissions, written in bulk by the import.

The listeners are registered when this module is imported, which importing any
service does (``api/services/__init__.py``): nothing that writes can run without them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import Delete, Table, event, insert, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as SASession

from api.db import tracked_submissions
from api.models import AuditEvent, Submission
from api.models.common import SubmissionKind, table_of, utcnow

_EVENTS = "backbone.audit_events"
_ACTOR = "backbone.audit_actor"

# Observations have their own history; the rest are bookkeeping or the trail itself.
# Boundaries are huge GeoJSON documents: their service records one event per upload.
NOT_AUDITED = frozenset(
    {
        "observation",
        "observation_history",
        "submission",
        "revision_counter",
        "audit_event",
        "area_boundary",
        "login_event",
    }
)
ENTITY_NAMES = {"app_user": "user", "api_token": "token"}
SECRET = re.compile(r"password|hash|secret", re.IGNORECASE)
REDACTED = "[redacted]"


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    organisation_id: int | None
    channel: str | None


def act_as(session: SASession, *, user_id: int | None, organisation_id: int | None, channel: str | None) -> None:
    """Name who makes this transaction's changes when no submission does (a login, the CLI)."""
    session.info[_ACTOR] = Actor(user_id, organisation_id, str(channel) if channel else None)


def record(
    session: SASession,
    *,
    entity: str,
    entity_key: str,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add an event to the trail, written when the transaction commits (for changes the hook cannot see)."""
    _note(session, entity=entity, entity_key=entity_key, action=action, before=before, after=after, owner=None)


def _note(
    session: SASession,
    *,
    entity: str,
    entity_key: str,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    owner: int | None,
) -> None:
    # owner: the user a row belongs to (a token's), who acted when nothing else says so.
    session.info.setdefault(_EVENTS, []).append(
        {
            "at": utcnow(),
            "entity": entity,
            "entity_key": str(entity_key)[:200],
            "action": action,
            "before": _clean(before),
            "after": _clean(after),
            "owner": owner,
        }
    )


def _clean(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {
        name: (REDACTED if SECRET.search(name) and value is not None else to_jsonable_python(value, fallback=str))
        for name, value in values.items()
    }


def _key(mapper: Any, state: Any, values: dict[str, Any]) -> str:
    for name in ("code", "username"):
        if values.get(name) is not None:
            return str(values[name])
    identity = mapper.primary_key_from_instance(state.obj())
    return "/".join(str(part) for part in identity)


def _capture(session: SASession, obj: Any, action: str) -> None:
    table = getattr(obj, "__table__", None)
    if table is None or table.name in NOT_AUDITED:
        return
    state = sa_inspect(obj)
    mapper = state.mapper
    # state.dict and history never load anything: no SQL in the middle of a flush.
    current = {attr.columns[0].name: state.dict.get(attr.key) for attr in mapper.column_attrs}
    before = after = None
    if action == "create":
        after = current
    elif action == "delete":
        before = current
    else:
        before, after = {}, {}
        for attr in mapper.column_attrs:
            history = state.attrs[attr.key].history
            if not history.has_changes():
                continue
            name = attr.columns[0].name
            before[name] = history.deleted[0] if history.deleted else None
            after[name] = history.added[0] if history.added else None
        if before == after:
            return
    _note(
        session,
        entity=ENTITY_NAMES.get(table.name, table.name),
        entity_key=_key(mapper, state, current),
        action=action,
        before=before,
        after=after,
        owner=current.get("user_id"),
    )


@event.listens_for(SASession, "after_flush")
def _after_flush(session: SASession, _context: Any) -> None:
    for obj in session.new:
        _capture(session, obj, "create")
    for obj in session.dirty:
        _capture(session, obj, "update")
    for obj in session.deleted:
        _capture(session, obj, "delete")


@event.listens_for(SASession, "do_orm_execute")
def _before_bulk_delete(state: ORMExecuteState) -> None:
    # ``session.exec(delete(Model).where(...))`` skips the unit of work: note the rows it will remove.
    statement = state.statement
    if not state.is_delete or not isinstance(statement, Delete):
        return
    table = state.bind_mapper.local_table if state.bind_mapper is not None else statement.table
    assert isinstance(table, Table)  # every model maps one plain table
    if table.name in NOT_AUDITED:
        return
    found = select(*table.columns)  # the columns, not the ORM entity the table stands for
    if statement.whereclause is not None:
        found = found.where(statement.whereclause)
    for row in state.session.execute(found).mappings():
        values = dict(row)
        key = next((values[n] for n in ("code", "username") if values.get(n) is not None), None)
        _note(
            state.session,
            entity=ENTITY_NAMES.get(table.name, table.name),
            entity_key=key or "/".join(str(values[c.name]) for c in table.primary_key.columns),
            action="delete",
            before=values,
            after=None,
            owner=values.get("user_id"),
        )


def _who(session: SASession) -> tuple[Submission | None, Actor | None]:
    submissions = tracked_submissions(session)
    actor = session.info.pop(_ACTOR, None)
    metadata = [s for s in submissions if s.kind == SubmissionKind.metadata]
    chosen = metadata[-1] if metadata else submissions[-1] if submissions else None
    return chosen, actor


@event.listens_for(SASession, "before_commit")
def _write(session: SASession) -> None:
    session.flush()  # the last changes are noted too
    events = session.info.pop(_EVENTS, None)
    submission, actor = _who(session)
    if not events:
        return
    rows = []
    for found in events:
        owner = found.pop("owner")
        if submission is not None:
            who = Actor(submission.user_id, submission.organisation_id, str(submission.channel))
        else:
            who = actor or Actor(owner, None, None)
        rows.append(
            found
            | {
                "user_id": who.user_id,
                "organisation_id": who.organisation_id,
                "channel": who.channel,
                "submission_id": submission.id if submission is not None else None,
            }
        )
    session.execute(insert(table_of(AuditEvent)), rows)


@event.listens_for(SASession, "after_commit")
@event.listens_for(SASession, "after_rollback")
def _forget(session: SASession) -> None:
    for key in (_EVENTS, _ACTOR):
        session.info.pop(key, None)
