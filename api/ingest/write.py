"""Writing a clean batch into the system of record: bulk statements, one transaction.

The batch goes into a temporary table first; then one query counts inserts,
updates and unchanged rows, one ``UPDATE ... FROM`` and one ``INSERT ... SELECT``
apply it, and one ``INSERT ... SELECT`` appends the new versions to the history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    exists,
    func,
    insert,
    literal,
    not_,
    select,
    update,
)
from sqlmodel import Session

from api.db import bulk_insert, track_submission
from api.models import Observation, ObservationHistory, Submission
from api.models.common import Channel, SubmissionKind

COLUMNS = (
    "indicator_id",
    "area_id",
    "period",
    "breakdown",
    "value",
    "numerator",
    "denominator",
    "is_provisional",
    "is_estimated",
    "is_suppressed",
    "note",
)
VALUE_COLUMNS = COLUMNS[4:]

_incoming = Table(
    "incoming_observation",
    MetaData(),
    Column("indicator_id", Integer, nullable=False),
    Column("area_id", Integer, nullable=False),
    Column("period", String(16), nullable=False),
    Column("breakdown", String(200), nullable=False),
    Column("value", Float),
    Column("numerator", Float),
    Column("denominator", Float),
    Column("is_provisional", Boolean, nullable=False),
    Column("is_estimated", Boolean, nullable=False),
    Column("is_suppressed", Boolean, nullable=False),
    Column("note", String(1000)),
    prefixes=["TEMPORARY"],
)


@dataclass
class Counts:
    rows: int
    inserted: int
    updated: int
    unchanged: int

    @property
    def changes(self) -> int:
        return self.inserted + self.updated


@dataclass
class Origin:
    """Who sends the batch and how: becomes the submission."""

    organisation_id: int
    user_id: int | None
    channel: Channel
    file_name: str | None = None
    file_checksum: str | None = None


def write_batch(
    *, session: Session, rows: Sequence[Sequence[Any]], origin: Origin, dry_run: bool = False
) -> tuple[Counts, Submission | None]:
    """Apply ``rows`` (tuples in ``COLUMNS`` order); no submission when nothing changes or on a dry run."""
    obs = Observation.__table__
    inc = _incoming
    connection = session.connection()
    # A failed batch leaves no temporary table: the rollback takes its creation along.
    inc.drop(connection, checkfirst=True)
    inc.create(connection)
    bulk_insert(connection, inc, COLUMNS, rows)
    key = and_(
        obs.c.indicator_id == inc.c.indicator_id,
        obs.c.area_id == inc.c.area_id,
        obs.c.period == inc.c.period,
        obs.c.breakdown == inc.c.breakdown,
    )
    same = and_(
        obs.c.organisation_id == origin.organisation_id,
        *(obs.c[name].is_not_distinct_from(inc.c[name]) for name in VALUE_COLUMNS),
    )
    total, inserted, unchanged = connection.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((obs.c.id.is_(None), 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(obs.c.id.is_not(None), same), 1), else_=0)), 0),
        ).select_from(inc.outerjoin(obs, key))
    ).one()
    counts = Counts(rows=total, inserted=inserted, updated=total - inserted - unchanged, unchanged=unchanged)
    if dry_run or counts.changes == 0:
        inc.drop(connection)
        return counts, None

    submission = Submission(
        kind=SubmissionKind.observations,
        channel=origin.channel,
        organisation_id=origin.organisation_id,
        user_id=origin.user_id,
        file_name=origin.file_name,
        file_checksum=origin.file_checksum,
        rows=counts.rows,
        inserted=counts.inserted,
        updated=counts.updated,
        unchanged=counts.unchanged,
        summary=f"{counts.inserted} inserted, {counts.updated} updated, {counts.unchanged} unchanged",
    )
    session.add(submission)
    session.flush()
    stamp = {"organisation_id": origin.organisation_id, "submission_id": submission.id}
    if counts.updated:
        connection.execute(
            update(obs).where(key, not_(same)).values({**{name: inc.c[name] for name in VALUE_COLUMNS}, **stamp})
        )
    if counts.inserted:
        connection.execute(
            insert(obs).from_select(
                [*COLUMNS, *stamp],
                select(*(inc.c[name] for name in COLUMNS), *(literal(v) for v in stamp.values())).where(
                    ~exists().where(key)
                ),
            )
        )
    hist = ObservationHistory.__table__
    history_columns = ["observation_id", *VALUE_COLUMNS, *stamp]
    connection.execute(
        insert(hist).from_select(
            history_columns,
            select(obs.c.id, *(obs.c[name] for name in VALUE_COLUMNS), *(obs.c[name] for name in stamp)).where(
                obs.c.submission_id == submission.id
            ),
        )
    )
    track_submission(session, submission)
    inc.drop(connection)
    return counts, submission
