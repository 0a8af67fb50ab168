"""Engine, sessions, bulk loading and the commit-ordered revision number.

This is the one place that knows which database is behind the URL: SQLite gets
WAL, foreign keys and ``BEGIN IMMEDIATE`` for writes (so two writers queue
instead of failing half-way); PostgreSQL needs nothing special.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from itertools import chain
from pathlib import Path

import duckdb
from sqlalchemy import Connection, Engine, Table, create_engine, event, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session as SASession
from sqlmodel import Session, col

from api.models import RevisionCounter, Submission

# Tables whose rows are never changed nor removed once written: database triggers refuse it.
APPEND_ONLY = ("audit_event", "observation_history")

_TRACKED = "backbone.submissions"


class Database:
    """The system of record: one engine, a read session and a write session factory."""

    def __init__(self, url: str, *, busy_timeout_ms: int = 15_000, pool_size: int = 10) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            self.engine = create_engine(
                url, connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000}
            )
            _configure_sqlite(self.engine, busy_timeout_ms)
            self._write_engine: Engine = self.engine.execution_options(sqlite_immediate=True)
        else:
            # A write waiting longer than the busy timeout for a lock fails (SQLSTATE 55P03),
            # which the API answers with a retryable 409, as on SQLite.
            self.engine = create_engine(
                url,
                pool_pre_ping=True,
                pool_size=pool_size,
                max_overflow=2 * pool_size,
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
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN, instead of pysqlite's own guess.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Bulk imports rewrite index pages; a 64 MB page cache keeps them in memory (the default is 2 MB).
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def track_submission(session: Session, submission: Submission) -> None:
    """Have ``submission`` numbered with the next revision when ``session`` commits."""
    session.info.setdefault(_TRACKED, []).append(submission)


def tracked_submissions(session: SASession) -> list[Submission]:
    """The submissions this transaction makes, in the order they were tracked (until it commits or rolls back)."""
    return list(session.info.get(_TRACKED, ()))


@event.listens_for(SASession, "before_commit")
def _number_submissions(session: SASession) -> None:
    # The counter row stays locked until commit, so the next writer gets the next
    # number only after this one is visible: revisions are in commit order, and a
    # reader that has seen revision N has seen every revision below N.
    pending = [s for s in session.info.get(_TRACKED, ()) if s.revision is None]
    if not pending:
        return
    session.flush()
    for submission in pending:
        submission.revision = session.execute(
            update(RevisionCounter)
            .where(col(RevisionCounter.id) == 1)
            .values(value=col(RevisionCounter.value) + 1)
            .returning(col(RevisionCounter.value))
        ).scalar_one()
    session.flush()


@event.listens_for(SASession, "after_commit")
@event.listens_for(SASession, "after_rollback")
def _forget_submissions(session: SASession) -> None:
    session.info.pop(_TRACKED, None)


def insert_from_duckdb(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    cur: duckdb.DuckDBPyConnection,
    query: str,
    *,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> None:
    """Insert the rows of a DuckDB query (columns in ``columns`` order) into ``table``.

    PostgreSQL: DuckDB writes them as CSV and COPY reads that, so no row becomes a
    Python object. SQLite: the rows come over as tuples and go in with INSERTs of
    many rows each (half the time of one statement per row in pysqlite).
    """
    if connection.dialect.name == "postgresql":
        with _references_held(connection, table, columns, cur, query) as written:
            _copy_from_duckdb(connection, table.name, columns, cur, written, progress)
        return
    with bulk_objects():
        rows = cur.execute(query).fetchall()
        if not rows:
            return
        names = ", ".join(columns)
        per_statement = max(1, _sqlite_max_variables() // len(columns))
        one = "(" + ", ".join("?" for _ in columns) + ")"
        many = f"INSERT INTO {table.name} ({names}) VALUES " + ", ".join([one] * per_statement)
        chunk = per_statement * 40
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            full = len(part) - len(part) % per_statement
            if full:
                connection.exec_driver_sql(
                    many,
                    [tuple(chain.from_iterable(part[i : i + per_statement])) for i in range(0, full, per_statement)],
                )
            if full < len(part):
                connection.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES {one}", part[full:])
            if progress:
                progress("writing", start + len(part), len(rows))


def update_from_duckdb(
    connection: Connection,
    table: Table,
    key: str,
    columns: Sequence[str],
    cur: duckdb.DuckDBPyConnection,
    query: str,
) -> None:
    """Update rows of ``table`` by ``key`` from a DuckDB query giving (key, *columns)."""
    if connection.dialect.name == "postgresql":
        names = ", ".join((key, *columns))
        connection.exec_driver_sql(
            f"CREATE TEMP TABLE bulk_update ON COMMIT DROP AS SELECT {names} FROM {table.name} WITH NO DATA"
        )
        with _references_held(connection, table, (key, *columns), cur, query) as written:
            _copy_from_duckdb(connection, "bulk_update", (key, *columns), cur, written, None)
            assignments = ", ".join(f"{c} = u.{c}" for c in columns)
            connection.exec_driver_sql(
                f"UPDATE {table.name} t SET {assignments} FROM bulk_update u WHERE t.{key} = u.{key}"
            )
        connection.exec_driver_sql("DROP TABLE bulk_update")
        return
    with bulk_objects():
        rows = cur.execute(query).fetchall()
        if rows:
            assignments = ", ".join(f"{c} = ?" for c in columns)
            connection.exec_driver_sql(
                f"UPDATE {table.name} SET {assignments} WHERE {key} = ?", [(*row[1:], row[0]) for row in rows]
            )


# From this many rows on, a write to PostgreSQL checks its references once per referenced row, not per row.
MANY_ROWS = 10_000


@contextlib.contextmanager
def _references_held(
    connection: Connection, table: Table, columns: Sequence[str], cur: duckdb.DuckDBPyConnection, query: str
) -> Iterator[str]:
    """Yield the DuckDB query of the rows to write into ``table``; many rows, with PostgreSQL's per-row checks off.

    PostgreSQL checks every foreign key of every written row with a trigger: a lookup and a lock
    per row and key, ten seconds of a million-row import's fourteen. Where the connection may
    switch triggers off (``session_replication_role``, as ``pg_restore`` does), a large batch's
    distinct references are locked instead, once each, with the lock those triggers take
    (``FOR KEY SHARE``: the referenced row cannot go until this transaction ends), and counted.
    If every one is there, the rows are written with the triggers off, for this transaction only;
    if one is missing, with them on, so that PostgreSQL refuses the batch as it always would.
    """
    keys = [(k.parent.name, k.column.table.name, k.column.name) for k in table.foreign_keys if k.parent.name in columns]
    few = not keys or cur.execute(f"SELECT count(*) FROM ({query})").fetchall()[0][0] < MANY_ROWS
    if few or not _may_switch_triggers_off(connection):
        yield query
        return
    cur.execute(f"CREATE OR REPLACE TEMP TABLE outgoing AS SELECT * FROM ({query}) AS q({', '.join(columns)})")
    try:
        if not all(_held(connection, cur, *key) for key in keys):
            yield "SELECT * FROM outgoing"
            return
        role = connection.exec_driver_sql("SELECT current_setting('session_replication_role')").scalar_one()
        connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        yield "SELECT * FROM outgoing"
        # Only reached when the write succeeded: a failed one ends the transaction, and the setting with it.
        connection.exec_driver_sql(f"SET LOCAL session_replication_role = {role}")
    finally:
        cur.execute("DROP TABLE IF EXISTS outgoing")


def _may_switch_triggers_off(connection: Connection) -> bool:
    if connection.exec_driver_sql("SELECT current_setting('is_superuser')").scalar_one() == "on":
        return True
    version = connection.dialect.server_version_info or (0,)
    return version >= (15,) and bool(  # since PostgreSQL 15: GRANT SET ON PARAMETER session_replication_role
        connection.exec_driver_sql("SELECT has_parameter_privilege('session_replication_role', 'SET')").scalar_one()
    )


def _held(connection: Connection, cur: duckdb.DuckDBPyConnection, column: str, table: str, key: str) -> bool:
    """Lock the rows of ``table`` that ``outgoing`` refers to by ``column``; whether every one exists."""
    wanted = [
        row[0] for row in cur.execute(f"SELECT DISTINCT {column} FROM outgoing WHERE {column} IS NOT NULL").fetchall()
    ]
    found = connection.exec_driver_sql(
        f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {key} = ANY(%(wanted)s) FOR KEY SHARE) AS held",
        {"wanted": wanted},
    ).scalar_one()
    return bool(found == len(wanted))


def _copy_from_duckdb(
    connection: Connection,
    table_name: str,
    columns: Sequence[str],
    cur: duckdb.DuckDBPyConnection,
    query: str,
    progress: Callable[[str, int, int | None], None] | None,
) -> None:
    handle, name = tempfile.mkstemp(suffix=".csv")
    os.close(handle)
    path = Path(name)
    try:
        # DuckDB quotes empty strings ("") and leaves NULLs empty, as COPY's CSV format expects.
        cur.execute(f"COPY ({query}) TO '{path}' (FORMAT csv, HEADER false)")
        copy_file(connection, f"COPY {table_name} ({', '.join(columns)}) FROM STDIN (FORMAT csv)", path, progress)
    finally:
        path.unlink(missing_ok=True)


def copy_file(
    connection: Connection,
    statement: str,
    path: Path,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> None:
    """Send the file at ``path`` to PostgreSQL through ``statement`` (a ``COPY ... FROM STDIN``), a block at a time."""
    total = path.stat().st_size
    driver = connection.connection.driver_connection
    assert driver is not None  # a pooled connection that is in use has its driver's connection
    cursor = driver.cursor()
    with cursor, cursor.copy(statement) as copy, path.open("rb") as source:
        while block := source.read(1 << 20):
            copy.write(block)
            if progress:
                progress("writing", source.tell(), total)


def _sqlite_max_variables() -> int:
    # SQLite allows 32766 bound parameters per statement since 3.32, 999 before.
    return 32766 if sqlite3.sqlite_version_info >= (3, 32) else 999


def guard_append_only(connection: Connection, tables: Sequence[str] = APPEND_ONLY) -> None:
    """Create the triggers that refuse UPDATE and DELETE (and TRUNCATE) on the append-only tables."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION backbone_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION USING ERRCODE = 'restrict_violation', "
            "MESSAGE = TG_TABLE_NAME || ' is append-only: ' || TG_OP || ' refused'; END $$"
        )
        for table in tables:
            connection.exec_driver_sql(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION backbone_append_only()"
            )
            connection.exec_driver_sql(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION backbone_append_only()"
            )
        return
    for table in tables:
        for operation in ("UPDATE", "DELETE"):
            connection.exec_driver_sql(
                f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {operation} refused'); END"
            )


def unguard_append_only(connection: Connection, tables: Sequence[str] = APPEND_ONLY) -> None:
    """Drop those triggers (the migration's downgrade, and benchmarks emptying a scratch database)."""
    if connection.dialect.name == "postgresql":
        for table in tables:
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS backbone_append_only()")
        return
    for table in tables:
        for operation in ("update", "delete"):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")


@contextlib.contextmanager
def bulk_objects() -> Iterator[None]:
    """Pause the cyclic garbage collector while a million row tuples are made and dropped.

    They hold no cycles, yet every few thousand allocations would make the collector
    walk all of them: three times the work for nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
