"""The read model: an in-process DuckDB copy of the metadata and current observations.

Before answering, ``sync`` pulls the submissions committed since the last one it
has seen (revisions are numbered in commit order, see ``api.db``): metadata
changes reload the small metadata tables, observation submissions upsert just
the rows they touched. Each process keeps its own copy and stays correct.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Hashable, Sequence
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
from api.models.common import SubmissionKind
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
T = TypeVar("T")


class ReadModel:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._con = duckdb.connect(":memory:")
        self._con.execute(_SCHEMA)
        self._lock = threading.Lock()
        self.revision: int | None = None  # None: nothing loaded yet
        # What a memo depends on changes at these revisions: the metadata, and each indicator's observations.
        self._metadata_revision = 0
        self._changed: dict[int, int] = {}
        self._memo: dict[Hashable, tuple[Hashable, Any]] = {}

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A fresh cursor on an up-to-date copy; use one per request or thread."""
        self.sync()
        return self._con.cursor()

    def memo(self, key: Hashable, compute: Callable[[], T], *, indicators: Collection[int] | None = None) -> T:
        """``compute()`` once until what it reads changes: the metadata or these indicators' observations.

        ``indicators=None``: any submission changes it. A large alliance keeps the figures of
        every indicator a submission did not touch.
        """
        if indicators is None:
            stamp: Hashable = self.revision
        else:
            stamp = (self._metadata_revision, *(self._changed.get(i, 0) for i in sorted(indicators)))
        found = self._memo.get(key)
        if found is not None and found[0] == stamp:
            cached: T = found[1]  # what compute() gave for this key
            return cached
        value = compute()
        self._memo[key] = (stamp, value)
        return value

    def sync(self) -> int:
        """Pull what was committed since the last sync; return the revision now held."""
        with self._lock, self._db.session() as session:
            latest = session.execute(select(func.max(Submission.revision))).one()[0] or 0
            if self.revision is not None and latest <= self.revision:
                return self.revision
            if self.revision is None:
                self._load_metadata(session)
                self._metadata_revision = latest
                self._replace_observations(_fetch(session, select(*_OBSERVATION)), everything=True)
            else:
                new = session.execute(
                    select(col(Submission.id), col(Submission.kind)).where(
                        col(Submission.revision) > self.revision, col(Submission.revision) <= latest
                    )
                ).all()
                if any(kind == SubmissionKind.metadata for _, kind in new):
                    self._load_metadata(session)
                    self._metadata_revision = latest
                ids = [sid for sid, kind in new if kind == SubmissionKind.observations]
                for start in range(0, len(ids), _CHUNK):
                    chunk = ids[start : start + _CHUNK]
                    statement = select(*_OBSERVATION).where(col(Observation.submission_id).in_(chunk))
                    rows = _fetch(session, statement)
                    self._replace_observations(rows)
                    self._changed.update(dict.fromkeys({row[1] for row in rows}, latest))
            self.revision = latest
            return latest

    def _load_metadata(self, session: Any) -> None:
        cur = self._con.cursor()
        cur.execute("BEGIN")
        for table, columns in _METADATA.items():
            # A new empty table rather than DELETE, whose deleted rows stay behind: after a few reloads
            # every query joining the metadata got slower.
            cur.execute(f"CREATE OR REPLACE TABLE {table} AS FROM {table} LIMIT 0")
            _insert(cur, table, len(columns), session.execute(select(*columns)).all())
        cur.execute("COMMIT")
        self._add_periods(
            cur,
            "SELECT DISTINCT i.period_type, t.baseline_period FROM target t JOIN indicator i "
            "ON i.id = t.indicator_id UNION SELECT DISTINCT i.period_type, t.target_period "
            "FROM target t JOIN indicator i ON i.id = t.indicator_id",
        )

    def _replace_observations(self, rows: Sequence[Any], *, everything: bool = False) -> None:
        cur = self._con.cursor()
        cur.execute("BEGIN")
        if everything:
            cur.execute("DELETE FROM observation")
        if rows:
            batch = _arrow(rows, len(_OBSERVATION))
            cur.register("incoming", batch)
            if not everything:
                cur.execute("DELETE FROM observation WHERE id IN (SELECT column00 FROM incoming)")
            cur.execute("INSERT INTO observation SELECT * FROM incoming")
            cur.unregister("incoming")
        cur.execute("COMMIT")
        self._add_periods(
            cur, "SELECT DISTINCT i.period_type, o.period FROM observation o JOIN indicator i ON i.id = o.indicator_id"
        )

    def _add_periods(self, cur: duckdb.DuckDBPyConnection, distinct_sql: str) -> None:
        new = cur.execute(
            f"SELECT * FROM ({distinct_sql}) d(period_type, period) "
            "WHERE NOT EXISTS (SELECT 1 FROM period p WHERE p.period_type = d.period_type AND p.period = d.period)"
        ).fetchall()
        rows = [(kind, period, _position(period, kind)) for kind, period in new]
        if rows:
            cur.executemany("INSERT INTO period VALUES (?, ?, ?)", rows)


def _fetch(session: Any, statement: Select[*tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows straight from the driver: a million observations without per-row ORM or Row objects."""
    sql = str(statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        with bulk_objects():
            cursor.execute(sql)
            rows: list[tuple[Any, ...]] = cursor.fetchall()
            return rows
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


def _insert(cur: duckdb.DuckDBPyConnection, table: str, width: int, rows: Sequence[Any]) -> None:
    if not rows:
        return
    batch = _arrow(rows, width)
    cur.register("incoming", batch)
    cur.execute(f"INSERT INTO {table} SELECT * FROM incoming")
    cur.unregister("incoming")
