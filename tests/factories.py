"""Plain factory functions that put rows straight into the system of record."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache

from sqlmodel import Session, select

from api.db import Database
from api.models import (
    Area,
    Assignment,
    Dimension,
    DimensionValue,
    Goal,
    Indicator,
    IndicatorDimension,
    Organisation,
    Target,
    User,
)
from api.security import hash_password
from api.services.common import record_change

PASSWORD = "correct-horse-battery"


@lru_cache(maxsize=8)
def _hash(password: str) -> str:
    # Argon2 is slow on purpose; tests share one hash per password.
    return hash_password(password)


@contextmanager
def setup(db: Database) -> Iterator[Session]:
    """A transaction for test data, recorded as a metadata change so read models reload."""
    with db.transaction() as session:
        yield session
        record_change(session, None, "test data")


def _add(session: Session, row):
    session.add(row)
    session.flush()
    return row


def id_of(session: Session, model: type, code: str) -> int:
    """The id of the row of ``model`` with this code."""
    return session.exec(select(model.id).where(model.code == code)).one()


def organisation(session: Session, code: str, kind: str = "municipality") -> Organisation:
    return _add(session, Organisation(code=code, name=f"Organisation {code}", type=kind))


def area(session: Session, code: str, level: str = "municipality", parent: str | None = None) -> Area:
    parent_id = id_of(session, Area, parent) if parent else None
    return _add(session, Area(code=code, name=f"Area {code}", level=level, parent_id=parent_id))


def goal(session: Session, code: str, position: int = 1) -> Goal:
    return _add(session, Goal(code=code, title={"en": f"Goal {code}", "nl": f"Doel {code}"}, position=position))


def dimension(session: Session, code: str, values: Sequence[str]) -> Dimension:
    dim = _add(session, Dimension(code=code, name={"en": code}))
    for position, value in enumerate(values, start=1):
        _add(session, DimensionValue(dimension_id=dim.id, code=value, name={"en": value}, position=position))
    return dim


def indicator(
    session: Session,
    code: str,
    goal: str,
    *,
    unit: str = "percent",
    aggregation: str = "ratio",
    direction: str = "higher",
    period_type: str = "year",
    dimensions: Sequence[str] = (),
    threshold: int = 10,
    published: bool = True,
    position: int = 1,
) -> Indicator:
    row = _add(
        session,
        Indicator(
            code=code,
            goal_id=id_of(session, Goal, goal),
            name={"en": f"Indicator {code}"},
            unit=unit,
            direction=direction,
            period_type=period_type,
            aggregation=aggregation,
            suppression_threshold=threshold,
            published=published,
            position=position,
        ),
    )
    for dim in dimensions:
        _add(session, IndicatorDimension(indicator_id=row.id, dimension_id=id_of(session, Dimension, dim)))
    return row


def assignment(session: Session, organisation: str, indicator: str, area: str) -> Assignment:
    return _add(
        session,
        Assignment(
            organisation_id=id_of(session, Organisation, organisation),
            indicator_id=id_of(session, Indicator, indicator),
            area_id=id_of(session, Area, area),
        ),
    )


def target(
    session: Session, indicator: str, area: str | None, baseline: tuple[str, float], target: tuple[str, float]
) -> Target:
    return _add(
        session,
        Target(
            indicator_id=id_of(session, Indicator, indicator),
            area_id=id_of(session, Area, area) if area else None,
            baseline_period=baseline[0],
            baseline_value=baseline[1],
            target_period=target[0],
            target_value=target[1],
        ),
    )


def user(session: Session, username: str, role: str, organisation: str, password: str = PASSWORD) -> User:
    return _add(
        session,
        User(
            username=username,
            full_name=f"User {username}",
            role=role,
            organisation_id=id_of(session, Organisation, organisation),
            password_hash=_hash(password),
        ),
    )


def small_world(db: Database) -> None:
    """Two cities that each report two indicators for their own area, plus staff and a viewer.

    - rate: percent, ratio, breakdown by ses, threshold 10, target 50 -> 70 from 2015 to 2025
    - count: count, sum, threshold 5
    - hidden: unpublished percent
    """
    with setup(db) as s:
        for code in ("BACKBONE", "CITY-A", "CITY-B"):
            organisation(s, code, "backbone" if code == "BACKBONE" else "municipality")
        area(s, "NL", "country")
        area(s, "A1", parent="NL")
        area(s, "B1", parent="NL")
        goal(s, "g1")
        dimension(s, "ses", ["low", "middle", "high"])
        indicator(s, "rate", "g1", dimensions=["ses"])
        indicator(s, "count", "g1", unit="count", aggregation="sum", threshold=5, position=2)
        indicator(s, "hidden", "g1", published=False, position=3)
        for ind in ("rate", "count", "hidden"):
            assignment(s, "CITY-A", ind, "A1")
            assignment(s, "CITY-B", ind, "B1")
        target(s, "rate", None, ("2015", 50.0), ("2025", 70.0))
        user(s, "admin", "admin", "BACKBONE")
        user(s, "viewer", "viewer", "BACKBONE")
        user(s, "alice", "member", "CITY-A")
        user(s, "bob", "member", "CITY-B")


def schools_world(db: Database) -> None:
    """The small world plus three schools in A1 and a segregation index derived from their pupil counts."""
    small_world(db)
    with setup(db) as s:
        for n in (1, 2, 3):
            area(s, f"A1-S{n}", "school", parent="A1")
        indicator(
            s, "pupils", "g1", unit="count", aggregation="sum", period_type="year", dimensions=["ses"], threshold=0
        )
        for n in (1, 2, 3):
            assignment(s, "CITY-A", "pupils", f"A1-S{n}")
        seg = indicator(s, "seg", "g1", unit="index", aggregation="none", direction="lower", threshold=0, position=4)
        seg.derivation, seg.derivation_group = "dissimilarity", "ses:low"
        seg.derived_from_id = id_of(s, Indicator, "pupils")
        s.add(seg)
