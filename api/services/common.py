"""Helpers shared by the services: lookups by code, paging, recording metadata changes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, TypeVarTuple, cast, overload

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select
from sqlmodel.sql.expression import Select, SelectOfScalar

from api.db import track_submission
from api.errors import NotFound
from api.models import Submission
from api.models.common import Channel, SubmissionKind, pk
from api.services.accounts.auth import Principal


class Coded(Protocol):
    """A table row that callers name by its code."""

    id: int | None
    code: str


M = TypeVar("M", bound=Coded)
T = TypeVar("T")
Ts = TypeVarTuple("Ts")


def get_by_code(session: Session, model: type[M], code: str, what: str) -> M:
    """The row of ``model`` with this code, else 404 naming what was looked for.

    Inside ``one_change`` (a whole set-up loaded) rows found are remembered: thousands of rows name
    the same few organisations, indicators and parent areas.
    """
    batch: _OneChange | None = session.info.get(_ONE_CHANGE)
    if batch is not None and (found := batch.found.get((model, code))) is not None:
        return cast(M, found)
    row = session.exec(select(model).where(col(model.code) == code)).first()
    if row is None:
        raise NotFound(f"No {what} with code '{code}'")
    if batch is not None:
        batch.found[(model, code)] = row
    return row


def ids_by_code(session: Session, model: type[Coded], codes: list[str], what: str) -> dict[str, int]:
    """Map codes to ids, 404 for the first unknown code."""
    rows = session.exec(select(col(model.code), pk(model.id)).where(col(model.code).in_(codes))).all()
    found = dict(rows)
    for code in codes:
        if code not in found:
            raise NotFound(f"No {what} with code '{code}'")
    return found


@overload
def page_of(session: Session, statement: SelectOfScalar[T], limit: int, offset: int) -> tuple[list[T], int]: ...


@overload
def page_of(session: Session, statement: Select[*Ts], limit: int, offset: int) -> tuple[list[tuple[*Ts]], int]: ...


def page_of(
    session: Session, statement: SelectOfScalar[Any] | Select[*tuple[Any, ...]], limit: int, offset: int
) -> tuple[list[Any], int]:
    """One page of the statement's rows, and how many rows there are in all."""
    total = session.exec(select(func.count()).select_from(statement.order_by(None).subquery())).one()
    return list(session.exec(statement.limit(limit).offset(offset)).all()), total


_ONE_CHANGE = "backbone.one_change"


def record_change(
    session: Session, actor: Principal | None, summary: str, *, channel: Channel = Channel.api
) -> Submission:
    """Record a metadata change as a submission, so the read models reload the metadata.

    Inside ``one_change`` every change of the transaction is that one submission.
    """
    batch: _OneChange | None = session.info.get(_ONE_CHANGE)
    if batch is not None:
        actor, summary, channel = batch.actor, batch.summary, batch.channel
        if batch.submission is not None:
            return batch.submission
    submission = Submission(
        kind=SubmissionKind.metadata,
        channel=channel,
        organisation_id=actor.organisation_id if actor else None,
        user_id=actor.user_id if actor else None,
        summary=summary[:500],
    )
    session.add(submission)
    track_submission(session, submission)
    if batch is not None:
        batch.submission = submission
    return submission


@dataclass
class _OneChange:
    actor: Principal | None
    summary: str
    channel: Channel
    submission: Submission | None = None
    found: dict[tuple[type, str], object] = field(default_factory=dict)  # rows looked up by code


@contextmanager
def one_change(session: Session, actor: Principal | None, summary: str, *, channel: Channel) -> Iterator[None]:
    """The metadata changes made in the block as one submission (made with the first change, if any)."""
    session.info[_ONE_CHANGE] = _OneChange(actor, summary, channel)
    try:
        yield
    finally:
        session.info.pop(_ONE_CHANGE, None)


def apply_changes(row: SQLModel, changes: dict[str, Any]) -> list[str]:
    """Set the given fields on ``row``; return the names of those that changed."""
    changed = []
    for name, value in changes.items():
        if _plain(getattr(row, name)) != _plain(value):
            setattr(row, name, value)
            changed.append(name)
    return changed


def _plain(value: Any) -> Any:
    # Translated texts arrive as models or dicts; compare them by their given languages.
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, dict):
        return {key: item for key, item in value.items() if item is not None}
    return value
