"""The read model: a DuckDB copy of the metadata and current observations.

Before answering, ``sync`` pulls the submissions committed since the last one it
has seen (revisions are numbered in commit order, see ``api.db``): metadata
changes reload the small metadata tables, observation submissions upsert just
the rows they touched. Each process keeps its own copy and stays correct.

The app keeps its copy in a DuckDB file in the data directory (``ReadModel.persisted``),
with the revision it holds: a restart opens the file and pulls only what was committed
while it was down, instead of loading every observation again, and DuckDB's buffer manager,
not Python, decides how much of it sits in memory. Each process holds a file of its own
(DuckDB lets one process write a file): the first ``readmodel-<n>.duckdb`` no other process
has open. Without a directory (commands, tests) the copy is in memory.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Callable, Collection, Hashable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pyarrow as pa
from sqlalchemy import Select, Text, cast, func, select
from sqlalchemy.sql import ColumnElement
from sqlmodel import col

from api.db import Database, bulk_objects
from api.models import (
    Area,
    Assignment,
    Dimension,
    DimensionValue,
    Goal,
    Indicator,
    IndicatorDimension,
    Observation,
    Organisation,
    Submission,
    Target,
)
from api.models.common import Aggregation, SubmissionKind
from indicators import periods

_SCHEMA = """
CREATE TABLE goal (id INTEGER, code VARCHAR, position INTEGER, title VARCHAR, description VARCHAR);
CREATE TABLE indicator (
    id INTEGER, code VARCHAR, goal_id INTEGER, position INTEGER, name VARCHAR, definition VARCHAR,
    unit VARCHAR, direction VARCHAR, period_type VARCHAR, aggregation VARCHAR,
    suppression_threshold INTEGER, min_value DOUBLE, max_value DOUBLE, source VARCHAR,
    owner_id INTEGER, published BOOLEAN, derivation VARCHAR, derivation_group VARCHAR, derived_from_id INTEGER);
CREATE TABLE indicator_dimension (indicator_id INTEGER, dimension_id INTEGER);
CREATE TABLE dimension (id INTEGER, code VARCHAR, name VARCHAR);
CREATE TABLE dimension_value (id INTEGER, dimension_id INTEGER, code VARCHAR, name VARCHAR, position INTEGER);
CREATE TABLE area (id INTEGER, code VARCHAR, name VARCHAR, level VARCHAR, parent_id INTEGER);
CREATE TABLE area_ancestor (area_id INTEGER, ancestor_id INTEGER);
CREATE TABLE organisation (id INTEGER, code VARCHAR, name VARCHAR, type VARCHAR);
CREATE TABLE assignment (id INTEGER, organisation_id INTEGER, indicator_id INTEGER, area_id INTEGER);
CREATE TABLE target (
    id INTEGER, indicator_id INTEGER, area_id INTEGER, baseline_period VARCHAR, baseline_value DOUBLE,
    target_period VARCHAR, target_value DOUBLE);
CREATE TABLE observation (
    id BIGINT, indicator_id INTEGER, area_id INTEGER, period VARCHAR, breakdown VARCHAR,
    value DOUBLE, numerator DOUBLE, denominator DOUBLE,
    is_provisional BOOLEAN, is_estimated BOOLEAN, is_suppressed BOOLEAN, note VARCHAR,
    organisation_id INTEGER, submission_id BIGINT);
CREATE TABLE period (period_type VARCHAR, period VARCHAR, position DOUBLE);
"""


_TABLES = {  # each table's definition in _SCHEMA, by name
    match.group(1): match.group(0) for match in re.finditer(r"CREATE TABLE (\w+) \(.*?\);", _SCHEMA, re.DOTALL)
}


def _text(column: Any) -> ColumnElement[Any]:
    # JSON columns travel as their text so both SQLite and PostgreSQL hand over a string.
    return cast(column, Text)


_METADATA: dict[str, Sequence[Any]] = {
    "goal": (Goal.id, Goal.code, Goal.position, _text(Goal.title), _text(Goal.description)),
    "indicator": (
        Indicator.id,
        Indicator.code,
        Indicator.goal_id,
        Indicator.position,
        _text(Indicator.name),
        _text(Indicator.definition),
        Indicator.unit,
        Indicator.direction,
        Indicator.period_type,
        Indicator.aggregation,
        Indicator.suppression_threshold,
        Indicator.min_value,
        Indicator.max_value,
        Indicator.source,
        Indicator.owner_id,
        Indicator.published,
        Indicator.derivation,
        Indicator.derivation_group,
        Indicator.derived_from_id,
    ),
    "indicator_dimension": (IndicatorDimension.indicator_id, IndicatorDimension.dimension_id),
    "dimension": (Dimension.id, Dimension.code, _text(Dimension.name)),
    "dimension_value": (
        DimensionValue.id,
        DimensionValue.dimension_id,
        DimensionValue.code,
        _text(DimensionValue.name),
        DimensionValue.position,
    ),
    "area": (Area.id, Area.code, Area.name, Area.level, Area.parent_id),
    "organisation": (Organisation.id, Organisation.code, Organisation.name, Organisation.type),
    "assignment": (Assignment.id, Assignment.organisation_id, Assignment.indicator_id, Assignment.area_id),
    "target": (
        Target.id,
        Target.indicator_id,
        Target.area_id,
        Target.baseline_period,
        Target.baseline_value,
        Target.target_period,
        Target.target_value,
    ),
}

_OBSERVATION = (
    col(Observation.id),
    col(Observation.indicator_id),
    col(Observation.area_id),
    col(Observation.period),
    col(Observation.breakdown),
    col(Observation.value),
    col(Observation.numerator),
    col(Observation.denominator),
    col(Observation.is_provisional),
    col(Observation.is_estimated),
    col(Observation.is_suppressed),
    col(Observation.note),
    col(Observation.organisation_id),
    col(Observation.submission_id),
)

_CHUNK = 500  # submission ids per IN list
_ROWS = 100_000  # observations per batch of a full load
_MAX_FILES = 64  # processes on one data directory
_MEMOS = 4096  # figures remembered per process; each is one answer's worth (a league, an area's progress)
_KEEP_SLOWER_THAN = 0.02  # seconds: a figure quicker to make than to write to the file (a few ms) is not kept
_VERSION = 3  # of what the file holds beyond _SCHEMA; bump to make every kept file load again
_STATE = """
CREATE TABLE IF NOT EXISTS readmodel_state (
    schema VARCHAR, source VARCHAR, revision BIGINT, stamp VARCHAR, metadata_revision BIGINT);
CREATE TABLE IF NOT EXISTS readmodel_change (indicator_id INTEGER, part VARCHAR, revision BIGINT);
CREATE TABLE IF NOT EXISTS kept_memo (name VARCHAR, stamp VARCHAR, value VARCHAR);
"""
# Stored rows of the indicators and areas of ``incoming`` (found by the zone maps of a table sorted by them).
_INCOMING = "indicator_id IN (SELECT column01 FROM incoming) AND area_id IN (SELECT column02 FROM incoming)"
_NEW_AREAS = (  # the indicators of ``incoming`` that reach an area they had no value for
    "SELECT DISTINCT column01 FROM (SELECT column01, column02 FROM incoming "
    f"EXCEPT SELECT indicator_id, area_id FROM observation WHERE {_INCOMING})"
)
_ANY, _SPREAD = "", "*"  # a change of any value of an indicator; of the areas it is reported for
_SIZES = "!"  # before a period: a change of what suppression reads of that period (``_SIZES_CHANGED``)
# The (indicator, period) pairs of ``incoming`` whose change suppression sees: a new cell, or one that
# changes its organisation, its suppression at source, whether it has a value (or numerator), its
# denominator, or, for a count (not a rate), its value. A rate's new value over the same
# denominator leaves every period's hidden cells as they were.
_SIZES_CHANGED = f"""
    SELECT DISTINCT n.column01, n.column03 FROM incoming n
    LEFT JOIN (SELECT * FROM observation WHERE {_INCOMING}) o ON o.id = n.column00
    LEFT JOIN indicator i ON i.id = n.column01
    WHERE o.id IS NULL OR o.organisation_id IS DISTINCT FROM n.column12 OR o.is_suppressed IS DISTINCT FROM n.column10
       OR (o.value IS NULL OR isnan(o.value)) IS DISTINCT FROM (n.column05 IS NULL OR isnan(n.column05))
       OR (o.numerator IS NULL OR isnan(o.numerator)) IS DISTINCT FROM (n.column06 IS NULL OR isnan(n.column06))
       OR o.denominator IS DISTINCT FROM n.column07
       OR (i.aggregation IS NULL OR i.aggregation NOT IN ('{Aggregation.ratio}', '{Aggregation.weighted_mean}'))
          AND o.value IS DISTINCT FROM n.column05
"""
T = TypeVar("T")

_claimed: set[Path] = set()  # files held by read models of this process
_claim_lock = threading.Lock()


class ReadModel:
    def __init__(self, db: Database, *, directory: Path | None = None, memory_limit: str | None = None) -> None:
        """A copy of ``db``: in memory, or in a file in ``directory`` (``persisted``), opened on first use."""
        self._db = db
        self._directory = directory
        self._config: dict[str, str | bool | int | float | list[str]] = (
            {"memory_limit": memory_limit, "preserve_insertion_order": False} if memory_limit else {}
        )
        self._con: duckdb.DuckDBPyConnection | None = None
        self.path: Path | None = None  # the file held, once opened
        self._lock = threading.Lock()
        self.revision: int | None = None  # None: nothing loaded yet
        # What a memo depends on changes at these revisions: the metadata, and each indicator's observations
        # (``_changed``: (indicator, _ANY), (indicator, _SPREAD), (indicator, period) and
        # (indicator, _SIZES + period) -> revision).
        self._metadata_revision = 0
        self._changed: dict[tuple[int, str], int] = {}
        self._memo: dict[Hashable, tuple[Hashable, Any]] = {}
        self._memo_lock = threading.Lock()

    @classmethod
    def persisted(cls, db: Database, directory: Path, *, memory_limit: str) -> ReadModel:
        """A copy kept in ``directory``, in the first file no other read model holds (see the module's text)."""
        return cls(db, directory=directory, memory_limit=memory_limit)

    def _connection(self) -> duckdb.DuckDBPyConnection:
        """The open copy (called with the lock held); opened, and its file claimed, on first use."""
        if self._con is None:
            if self._directory is None:
                self._con = duckdb.connect(":memory:")
            else:
                self._con, self.path = _claim(self._directory, self._config)
        return self._con

    def close(self) -> None:
        """Let go of the copy and of its file, which the next start takes up again; a later use opens it anew."""
        with self._lock:
            if self._con is not None:
                self._con.close()
            if self.path is not None:
                with _claim_lock:
                    _claimed.discard(self.path)
            self._con, self.path, self.revision = None, None, None
            self._changed.clear()
            self._memo.clear()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A fresh cursor on an up-to-date copy; use one per request or thread."""
        self.sync()
        with self._lock:
            return self._connection().cursor()

    def memo(
        self,
        key: Hashable,
        compute: Callable[[], T],
        *,
        indicators: Collection[int] | None = None,
        period: str | None = None,
        sizes: bool = False,
        keep: tuple[Callable[[T], Any], Callable[[Any], T]] | None = None,
    ) -> T:
        """``compute()`` once until what it reads changes: the metadata or these indicators' observations.

        ``indicators=None``: any submission changes it. A large alliance keeps the figures of
        every indicator a submission did not touch. ``period``: only that period's values of the
        indicators matter (and which areas report them at all): a save in another period keeps it.
        ``sizes`` (with ``period``): only what suppression reads of that period's cells matters (which
        there are, whose, with or without a value, their sizes): a rate's new value keeps it.
        ``keep`` (encode to JSON, decode): also kept in the read model's file when it took long to work
        out (``_KEEP_SLOWER_THAN``); a restart finds it there until what it reads changes.
        """
        if indicators is None:
            stamp: Hashable = self.revision
        elif period is None:
            stamp = (self._metadata_revision, *(self._changed.get((i, _ANY), 0) for i in sorted(indicators)))
        else:
            part = _SIZES + period if sizes else period
            stamp = (
                self._metadata_revision,
                *((self._changed.get((i, _SPREAD), 0), self._changed.get((i, part), 0)) for i in sorted(indicators)),
            )
        with self._memo_lock:
            found = self._memo.pop(key, None)
            if found is not None and found[0] == stamp:
                self._memo[key] = found  # the most recently used last
                cached: T = found[1]  # what compute() gave for this key
                return cached
        kept = keep is not None and self.path is not None and indicators is not None
        value = self._kept_memo(repr(key), repr(stamp), keep[1]) if kept and keep else None
        if value is None:
            started = time.perf_counter()
            value = compute()
            if kept and keep and time.perf_counter() - started >= _KEEP_SLOWER_THAN:
                self._keep_memo(repr(key), repr(stamp), keep[0](value))
        with self._memo_lock:
            self._memo[key] = (stamp, value)
            while len(self._memo) > _MEMOS:  # the least recently used go first
                self._memo.pop(next(iter(self._memo)))
        return value

    def _memo_cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:  # no sync: the stamp was read for the copy as it is
            return self._connection().cursor()

    def _kept_memo(self, name: str, stamp: str, decode: Callable[[Any], T]) -> T | None:
        cur = self._memo_cursor()
        try:
            found = cur.execute("SELECT value FROM kept_memo WHERE name = ? AND stamp = ?", [name, stamp]).fetchall()
        finally:
            cur.close()
        return decode(json.loads(found[0][0])) if found else None

    def _keep_memo(self, name: str, stamp: str, value: Any) -> None:
        cur = self._memo_cursor()
        try:
            cur.execute("BEGIN")
            cur.execute("DELETE FROM kept_memo WHERE name = ?", [name])
            cur.execute("INSERT INTO kept_memo VALUES (?, ?, ?)", [name, stamp, json.dumps(value)])
            cur.execute("COMMIT")
        except duckdb.TransactionException:  # another thread kept it meanwhile: theirs will do
            cur.execute("ROLLBACK")
        finally:
            cur.close()

    def sync(self) -> int:
        """Pull what was committed since the last sync; return the revision now held.

        Everything a sync changes, and the revision it brings the copy to, commit in one DuckDB
        transaction: a process killed half way leaves its file as it was.
        """
        with self._lock, self._db.session() as session:
            latest = session.execute(select(func.max(Submission.revision))).one()[0] or 0
            if self.revision is None:
                self.revision = self._kept(session, latest)
            if self.revision is not None and latest <= self.revision:
                return self.revision
            cur = self._connection().cursor()
            cur.execute("BEGIN")
            try:
                self._pull(cur, session, latest)
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")
            self.revision = latest
            return latest

    def _pull(self, cur: duckdb.DuckDBPyConnection, session: Any, latest: int) -> None:
        if self.revision is None:
            cur.execute(_SCHEMA.replace("CREATE TABLE", "CREATE OR REPLACE TABLE"))
            cur.execute(_STATE.replace("CREATE TABLE IF NOT EXISTS", "CREATE OR REPLACE TABLE"))
            self._changed.clear()
            self._load_metadata(cur, session)
            for rows in _batches(session, select(*_OBSERVATION)):
                self._add_observations(cur, rows, replace=False)
            # In the order the analytics read it (one indicator's areas): DuckDB skips the rest by its zone maps.
            cur.execute("CREATE OR REPLACE TABLE observation AS FROM observation ORDER BY indicator_id, area_id")
            self._metadata_revision = latest
        else:
            new = session.execute(
                select(col(Submission.id), col(Submission.kind)).where(
                    col(Submission.revision) > self.revision, col(Submission.revision) <= latest
                )
            ).all()
            if any(kind == SubmissionKind.metadata for _, kind in new):
                self._load_metadata(cur, session)
                self._metadata_revision = latest
            ids = [sid for sid, kind in new if kind == SubmissionKind.observations]
            changed: set[tuple[int, str]] = set()
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                for rows in _batches(session, select(*_OBSERVATION).where(col(Observation.submission_id).in_(chunk))):
                    changed |= self._add_observations(cur, rows, replace=True)
            self._changed.update(dict.fromkeys(changed, latest))
            if changed and self.path is not None:
                cur.executemany(
                    "DELETE FROM readmodel_change WHERE indicator_id = ? AND part = ?", [list(c) for c in changed]
                )
                cur.executemany("INSERT INTO readmodel_change VALUES (?, ?, ?)", [[*c, latest] for c in changed])
        if self.path is not None:
            cur.execute("DELETE FROM readmodel_state")
            cur.execute(
                "INSERT INTO readmodel_state VALUES (?, ?, ?, ?, ?)",
                [_schema_key(), self._source(), latest, _stamp(session, latest), self._metadata_revision],
            )

    def _kept(self, session: Any, latest: int) -> int | None:
        """The revision the file holds, if it is a copy of this database up to a revision it has committed."""
        con = self._connection()
        if self.path is None:
            return None
        try:
            found = con.execute(
                "SELECT schema, source, revision, stamp, metadata_revision FROM readmodel_state"
            ).fetchall()
        except duckdb.Error:  # none yet, or of an earlier layout
            return None
        if len(found) != 1:
            return None
        schema, source, revision, stamp, metadata_revision = found[0]
        if schema != _schema_key() or source != self._source() or revision > latest:
            return None
        if stamp != _stamp(session, revision):
            return None
        self._metadata_revision = int(metadata_revision)
        rows = con.execute("SELECT indicator_id, part, revision FROM readmodel_change").fetchall()
        self._changed = {(indicator, part): int(at) for indicator, part, at in rows}
        return int(revision)

    def _source(self) -> str:
        return self._db.url.render_as_string(hide_password=True)

    def _load_metadata(self, cur: duckdb.DuckDBPyConnection, session: Any) -> None:
        for table, columns in _METADATA.items():
            # A new empty table rather than DELETE, whose deleted rows stay behind: after a few reloads
            # every query joining the metadata got slower. Made from its own definition: in DuckDB 2.0,
            # a table made by `AS FROM t LIMIT 0` and filled with more than a row group (122,880 rows) in one
            # transaction reads empty (tests/test_readmodel.py holds this).
            cur.execute(_TABLES[table].replace("CREATE TABLE", "CREATE OR REPLACE TABLE", 1))
            _insert(cur, table, session.execute(select(*columns)).all(), len(columns))
        # Every area with each area above it: a roll-up's members are a join away.
        cur.execute("""
            CREATE OR REPLACE TABLE area_ancestor AS
            WITH RECURSIVE up(area_id, ancestor_id) AS (
                SELECT id, parent_id FROM area WHERE parent_id IS NOT NULL
                UNION ALL
                SELECT up.area_id, a.parent_id FROM up JOIN area a ON a.id = up.ancestor_id
                WHERE a.parent_id IS NOT NULL
            )
            SELECT * FROM up ORDER BY ancestor_id, area_id
        """)
        self._add_periods(
            cur,
            "SELECT DISTINCT i.period_type, t.baseline_period FROM target t JOIN indicator i "
            "ON i.id = t.indicator_id UNION SELECT DISTINCT i.period_type, t.target_period "
            "FROM target t JOIN indicator i ON i.id = t.indicator_id",
        )

    def _add_observations(
        self, cur: duckdb.DuckDBPyConnection, rows: Sequence[Any], *, replace: bool
    ) -> set[tuple[int, str]]:
        """Insert ``rows`` (replacing those with their ids); return what changed: (indicator, period),
        (indicator, _ANY), (indicator, _SPREAD) where an indicator now has values for an area it had none for,
        and (indicator, _SIZES + period) where suppression sees the change."""
        cur.register("incoming", _arrow(rows, len(_OBSERVATION)))
        try:
            spread: list[tuple[int]] = []
            sized: list[tuple[int, str]] = []
            if replace:  # what changes, against the stored rows; then those rows go, found by indicator and area
                spread = cur.execute(_NEW_AREAS).fetchall()
                sized = cur.execute(_SIZES_CHANGED).fetchall()
                cur.execute(f"DELETE FROM observation WHERE {_INCOMING} AND id IN (SELECT column00 FROM incoming)")
            cur.execute("INSERT INTO observation SELECT * FROM incoming")
            self._add_periods(
                cur,
                "SELECT DISTINCT i.period_type, o.column03 FROM incoming o JOIN indicator i ON i.id = o.column01",
            )
            if not replace:  # a full load: nothing is remembered from before it
                return set()
            pairs = cur.execute("SELECT DISTINCT column01, column03 FROM incoming").fetchall()
            return {
                *pairs,
                *((i, _ANY) for i, _ in pairs),
                *((i, _SPREAD) for (i,) in spread),
                *((i, _SIZES + period) for i, period in sized),
            }
        finally:
            cur.unregister("incoming")

    def _add_periods(self, cur: duckdb.DuckDBPyConnection, distinct_sql: str) -> None:
        new = cur.execute(
            f"SELECT * FROM ({distinct_sql}) d(period_type, period) "
            "WHERE NOT EXISTS (SELECT 1 FROM period p WHERE p.period_type = d.period_type AND p.period = d.period)"
        ).fetchall()
        rows = [(kind, period, _position(period, kind)) for kind, period in new]
        if rows:
            cur.executemany("INSERT INTO period VALUES (?, ?, ?)", rows)


def _claim(
    directory: Path, config: dict[str, str | bool | int | float | list[str]]
) -> tuple[duckdb.DuckDBPyConnection, Path]:
    """The first read model file in ``directory`` that no other read model holds, opened.

    A file DuckDB cannot read (a damaged one, or one from a newer DuckDB) is made again.
    """
    directory.mkdir(parents=True, exist_ok=True)
    with _claim_lock:
        for n in range(_MAX_FILES):
            path = (directory / f"readmodel-{n}.duckdb").resolve()
            if path in _claimed:
                continue
            try:
                con = duckdb.connect(str(path), config=config)
            except duckdb.IOException as exc:
                if "lock" in str(exc).lower():
                    continue  # another process holds it
                path.unlink(missing_ok=True)
                path.with_name(path.name + ".wal").unlink(missing_ok=True)
                con = duckdb.connect(str(path), config=config)
            _claimed.add(path)
            return con, path
    raise RuntimeError(f"All {_MAX_FILES} read model files in {directory} are held by other processes")


def _schema_key() -> str:
    return hashlib.sha256(f"{_VERSION}\n{_SCHEMA}".encode()).hexdigest()[:16]


def _stamp(session: Any, revision: int) -> str:
    """When the submission numbered ``revision`` was made: with its number, it tells this database's history apart."""
    made = session.execute(select(col(Submission.created_at)).where(col(Submission.revision) == revision)).first()
    return made[0].isoformat() if made else ""


def _batches(session: Any, statement: Select[*tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    """Rows straight from the driver, ``_ROWS`` at a time: no per-row ORM or Row objects, and a
    full load of ten million observations never holds more than one batch in Python."""
    sql = str(statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        cursor.execute(sql)
        while True:
            with bulk_objects():
                rows: list[tuple[Any, ...]] = cursor.fetchmany(_ROWS)
            if not rows:
                return
            yield rows
    finally:
        cursor.close()


def _position(period: str, period_type: str) -> float | None:
    try:
        return periods.position(period, period_type)
    except periods.PeriodError:
        return None


def _arrow(rows: Sequence[Sequence[Any]], width: int) -> pa.Table:
    with bulk_objects():
        columns = list(zip(*rows, strict=True)) if rows else [()] * width
        return pa.table({f"column{i:02d}": pa.array(col) for i, col in enumerate(columns)})


def _insert(cur: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Any], width: int) -> None:
    if not rows:
        return
    cur.register("incoming", _arrow(rows, width))
    cur.execute(f"INSERT INTO {table} SELECT * FROM incoming")
    cur.unregister("incoming")
