"""Writing a checked batch into the system of record: only what changed, in bulk, one transaction.

The writer first takes the write lock (the revision counter's row; on SQLite the
database's write lock), so no other submission can commit meanwhile, and brings
the read model up to date. DuckDB then sorts the batch into inserts, updates and
unchanged rows against that exact copy, and only the changes travel to the
system of record: a bulk insert of the new rows, a bulk insert of the versions
that updates replace into ``observation_history``, and a bulk update by id.
An observation's versions are its history rows, oldest first, then the row itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
from sqlalchemy import select
from sqlmodel import Session, col

from api.db import insert_from_duckdb, track_submission, update_from_duckdb
from api.models import Observation, ObservationHistory, RevisionCounter, Submission
from api.models.common import Channel, SubmissionKind, stored_id, table_of
from api.readmodel import ReadModel

KEY = ("indicator_id", "area_id", "period", "breakdown")
VALUES = ("value", "numerator", "denominator", "is_provisional", "is_estimated", "is_suppressed", "note")

# Reports how far a long import is: (stage, done, total or None).
Progress = Callable[[str, int, int | None], None]


@dataclass
class Counts:
    rows: int
    inserted: int
    updated: int
    unchanged: int

    @property
    def changes(self) -> int:
        return self.inserted + self.updated

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.rows + other.rows,
            self.inserted + other.inserted,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )


@dataclass
class Origin:
    """Who sends the batch and how: becomes the submission."""

    organisation_id: int | None  # None: each row for the organisation assigned to it
    user_id: int | None
    channel: Channel
    file_name: str | None = None
    file_checksum: str | None = None
    override_reason: str | None = None  # set: write into locked periods on purpose (staff only), recorded


def _classify(cur: duckdb.DuckDBPyConnection) -> dict[int, Counts]:
    """Sort ``clean`` into insert / update / same against the read model's current observations."""
    same = " AND ".join(f"o.{c} IS NOT DISTINCT FROM c.{c}" for c in (*VALUES, "organisation_id"))
    key = " AND ".join(f"o.{c} = c.{c}" for c in KEY)
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE classified AS
        SELECT c.*, o.id AS existing_id,
               CASE WHEN o.id IS NULL THEN 'insert' WHEN {same} THEN 'same' ELSE 'update' END AS action
        FROM clean c LEFT JOIN observation o ON {key}
    """)
    counts: dict[int, Counts] = {}
    for organisation, action, number in cur.execute(
        "SELECT organisation_id, action, count(*) FROM classified GROUP BY ALL ORDER BY ALL"
    ).fetchall():
        found = counts.setdefault(organisation, Counts(0, 0, 0, 0))
        found.rows += number
        setattr(found, {"insert": "inserted", "update": "updated", "same": "unchanged"}[action], number)
    return counts


def write_checked(
    *,
    session: Session,
    cur: duckdb.DuckDBPyConnection,
    read_model: ReadModel,
    origin: Origin,
    dry_run: bool = False,
    progress: Progress | None = None,
    review: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> tuple[Counts, list[Submission]]:
    """Write the table ``clean`` of ``cur``: one submission per organisation that changes something.

    ``review`` runs once the write lock is held and the read model is exact, before anything is
    written (the quality rules: they compare with the values stored); it may refuse the batch. A batch
    that changes nothing is not reviewed: what it holds is stored, and checked, already.
    """
    # The lock: SELECT ... FOR UPDATE on PostgreSQL; on SQLite the write session's BEGIN IMMEDIATE.
    session.execute(select(col(RevisionCounter.value)).where(col(RevisionCounter.id) == 1).with_for_update()).one()
    read_model.sync()  # nothing can commit now, so the copy is exact
    per_organisation = _classify(cur)
    total = sum(per_organisation.values(), Counts(0, 0, 0, 0))
    if review and total.changes:  # a batch that changes nothing leaves the stored values and their flags as they are
        review(cur)
    if dry_run:
        return total, []
    submissions = []
    for organisation, counts in per_organisation.items():
        if counts.changes == 0:
            continue
        submission = Submission(
            kind=SubmissionKind.observations,
            channel=origin.channel,
            organisation_id=organisation,
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
        _apply(session, cur, organisation, stored_id(submission), progress)
        track_submission(session, submission)
        submissions.append(submission)
    return total, submissions


def _apply(
    session: Session, cur: duckdb.DuckDBPyConnection, organisation: int, submission_id: int, progress: Progress | None
) -> None:
    connection = session.connection()
    stamp = ("organisation_id", "submission_id")
    mine = f"c.organisation_id = {int(organisation)} AND c.action"
    new_stamp = f"c.organisation_id, {int(submission_id)}::BIGINT"
    insert_from_duckdb(
        connection,
        table_of(Observation),
        (*KEY, *VALUES, *stamp),
        cur,
        f"SELECT {_columns('c', *KEY, *VALUES)}, {new_stamp} FROM classified c WHERE {mine} = 'insert'",
        progress=progress,
    )
    # The history keeps each superseded version, with the submission that had made it.
    insert_from_duckdb(
        connection,
        table_of(ObservationHistory),
        ("observation_id", *VALUES, *stamp),
        cur,
        f"SELECT o.id, {_columns('o', *VALUES, *stamp)} FROM classified c "
        f"JOIN observation o ON o.id = c.existing_id WHERE {mine} = 'update'",
    )
    update_from_duckdb(
        connection,
        table_of(Observation),
        "id",
        (*VALUES, *stamp),
        cur,
        f"SELECT c.existing_id, {_columns('c', *VALUES)}, {new_stamp} FROM classified c WHERE {mine} = 'update'",
    )


def _columns(alias: str, *names: str) -> str:
    return ", ".join(f"{alias}.{name}" for name in names)
