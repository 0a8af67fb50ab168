"""What the analytics know of indicators and areas: their facts in the read model, and the area tree.

Read from the read model's copy of the metadata; the tree is remembered until the metadata changes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import duckdb

from api.errors import Invalid, NotFound
from api.models.common import UNIT_SCALE, Unit
from api.readmodel import ReadModel

TOTAL = ""


@dataclass(frozen=True)
class IndicatorInfo:
    id: int
    code: str
    name: dict[str, str]
    unit: str
    direction: str
    period_type: str
    aggregation: str
    threshold: int
    published: bool
    derivation: str | None
    derivation_group: str | None
    derived_from_id: int | None
    goal_id: int
    min_value: float | None
    max_value: float | None
    position: int

    @property
    def scale(self) -> float:
        return UNIT_SCALE.get(Unit(self.unit), 1.0)


@dataclass(frozen=True)
class AreaInfo:
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None


_INDICATOR_COLUMNS = (
    "id, code, name, unit, direction, period_type, aggregation, suppression_threshold, published, derivation, "
    "derivation_group, derived_from_id, goal_id, min_value, max_value, position"
)


def _indicator(row: tuple[Any, ...]) -> IndicatorInfo:
    values = list(row)
    values[2] = json.loads(values[2])
    return IndicatorInfo(*values)


def indicator_info(cur: duckdb.DuckDBPyConnection, code: str, *, published_only: bool = False) -> IndicatorInfo:
    rows = cur.execute(f"SELECT {_INDICATOR_COLUMNS} FROM indicator WHERE code = ?", [code]).fetchall()
    if not rows or (published_only and not rows[0][8]):
        raise NotFound(f"No indicator with code '{code}'")
    return _indicator(rows[0])


def indicators(cur: duckdb.DuckDBPyConnection) -> dict[int, IndicatorInfo]:
    return {row[0]: _indicator(row) for row in cur.execute(f"SELECT {_INDICATOR_COLUMNS} FROM indicator").fetchall()}


def area_info(cur: duckdb.DuckDBPyConnection, code: str) -> AreaInfo:
    rows = cur.execute("SELECT id, code, name, level, parent_id FROM area WHERE code = ?", [code]).fetchall()
    if not rows:
        raise NotFound(f"No area with code '{code}'")
    return AreaInfo(*rows[0])


def breakdown_key(text: str | None) -> str:
    """The canonical key of ``breakdown=`` (``total`` or empty, ``ses:low``, ``gender:girl,ses:low``)."""
    if not text or text.strip().lower() == "total":
        return TOTAL
    parts = {}
    for part in text.strip().lower().split(","):
        dimension, _, value = part.partition(":")
        if not dimension.strip() or not value.strip():
            raise Invalid(f"breakdown '{text}' must look like ses:low", code="invalid_breakdown")
        parts[dimension.strip()] = value.strip()
    return ",".join(f"{d}:{v}" for d, v in sorted(parts.items()))


@dataclass(frozen=True)
class AreaTree:
    parent: dict[int, int | None]
    code: dict[int, str]
    children: dict[int, list[int]] = field(default_factory=dict)

    def ancestors(self, area_id: int) -> list[int]:
        found, current = [], self.parent.get(area_id)
        while current is not None:
            found.append(current)
            current = self.parent.get(current)
        return found


def areas(read_model: ReadModel, cur: duckdb.DuckDBPyConnection) -> dict[int, AreaInfo]:
    """Every area by id, remembered until the metadata changes (a national alliance has 168,000)."""

    def build() -> dict[int, AreaInfo]:
        rows = cur.execute("SELECT id, code, name, level, parent_id FROM area").fetchall()
        return {row[0]: AreaInfo(*row) for row in rows}

    return read_model.memo("areas", build, indicators=())


def area_tree(read_model: ReadModel, cur: duckdb.DuckDBPyConnection) -> AreaTree:
    def build() -> AreaTree:
        rows = cur.execute("SELECT id, parent_id, code FROM area ORDER BY code").fetchall()
        children: dict[int, list[int]] = defaultdict(list)
        for area_id, parent, _ in rows:
            if parent is not None:
                children[parent].append(area_id)
        return AreaTree({r[0]: r[1] for r in rows}, {r[0]: r[2] for r in rows}, dict(children))

    return read_model.memo("area_tree", build, indicators=())


def sources(indicator: IndicatorInfo) -> tuple[int, ...]:
    """The indicators whose observations an indicator's figures are computed from."""
    return (indicator.id,) if indicator.derived_from_id is None else (indicator.id, indicator.derived_from_id)
