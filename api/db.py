"""Engine, sessions and the commit-ordered revision number.

This is the one place that knows which database is behind the URL: SQLite gets
WAL, foreign keys and ``BEGIN IMMEDIATE`` for writes (so two writers queue
instead of failing half-way); PostgreSQL needs nothing special.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session as SASession
from sqlmodel import Session

from api.models import RevisionCounter, Submission

_PENDING = "backbone.pending_submissions"


class Database:
    """The system of record: one engine, a read session and a write session factory."""

    def __init__(self, url: str, *, busy_timeout_ms: int = 15_000) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            self.engine = create_engine(
                url, connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000}
            )
            _configure_sqlite(self.engine, busy_timeout_ms)
            self._write_engine = self.engine.execution_options(sqlite_immediate=True)
        else:
            # A write waiting longer than the busy timeout for a lock fails (SQLSTATE 55P03),
            # which the API answers with a retryable 409, as on SQLite.
            self.engine = create_engine(
                url,
                pool_pre_ping=True,
                pool_size=10,
                max_overflow=20,
                connect_args={"options": f"-c lock_timeout={int(busy_timeout_ms)}"},
            )
            self._write_engine = self.engine

    def session(self, *, write: bool = False) -> Session:
        return Session(self._write_engine if write else self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """A session that commits when the block ends and rolls back if it raises."""
        with self.session(write=write) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        # Let SQLAlchemy's "begin" event below emit BEGIN, instead of pysqlite's own guess.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def track_submission(session: Session, submission: Submission) -> None:
    """Have ``submission`` numbered with the next revision when ``session`` commits."""
    session.info.setdefault(_PENDING, []).append(submission)


@event.listens_for(SASession, "before_commit")
def _number_submissions(session: SASession) -> None:
    # The counter row stays locked until commit, so the next writer gets the next
    # number only after this one is visible: revisions are in commit order, and a
    # reader that has seen revision N has seen every revision below N.
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    session.flush()
    for submission in pending:
        submission.revision = session.execute(
            update(RevisionCounter)
            .where(RevisionCounter.id == 1)
            .values(value=RevisionCounter.value + 1)
            .returning(RevisionCounter.value)
        ).scalar_one()
    session.flush()


@event.listens_for(SASession, "after_rollback")
def _forget_submissions(session: SASession) -> None:
    session.info.pop(_PENDING, None)


def bulk_insert(connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Load many rows fast: COPY on PostgreSQL, one executemany on SQLite."""
    if not rows:
        return
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()
        with cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        placeholders = ", ".join("?" for _ in columns)
        connection.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({placeholders})", list(rows))
