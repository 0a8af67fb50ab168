"""The values of an indicator for an area: reported, rolled up from the areas below, or derived.

An area that reports an indicator has reported values. An area above reporting
areas (the Ennepe-Ruhr-Kreis above its towns) gets values rolled up from them by
the indicator's aggregation rule, flagged partial when some are missing. A
derived indicator (the segregation index) is computed from its source counts in
the areas below (the schools of a town, or of a whole region). Small cells are
hidden from callers who may not see them, with secondary suppression so that no
hidden cell can be recovered from the published ones. All figures are computed
once per read-model revision.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import duckdb

from api.errors import Invalid, NotFound
from api.models.common import UNIT_SCALE, Aggregation, Derivation, Role, Unit
from api.models.observation import parse_breakdown
from api.readmodel import ReadModel
from api.services.auth import Principal
from indicators import aggregate, segregation
from indicators.periods import position
from indicators.suppression import Constraint, needs_suppression, secondary_suppression

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


@dataclass(frozen=True)
class Cell:
    """One value of an indicator for one area, period and breakdown."""

    period: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    provisional: bool = False
    estimated: bool = False
    suppressed: bool = False  # at source
    organisation_id: int | None = None  # the reporter; None for rolled-up and derived cells
    source: str = "reported"  # reported, aggregated, derived
    complete: bool = True
    missing: tuple[str, ...] = ()


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


# ---------------------------------------------------------------- the area tree


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


# ------------------------------------------------------------- reported values


def reported(
    read_model: ReadModel, cur: duckdb.DuckDBPyConnection, indicator_id: int
) -> dict[tuple[int, str], dict[str, Cell]]:
    """Every reported cell of an indicator: {(area, breakdown): {period: cell}}."""

    def build() -> dict[tuple[int, str], dict[str, Cell]]:
        found: dict[tuple[int, str], dict[str, Cell]] = defaultdict(dict)
        for area, key, period, value, num, den, prov, est, supp, org in cur.execute(
            """SELECT area_id, breakdown, period, value, numerator, denominator, is_provisional, is_estimated,
                      is_suppressed, organisation_id FROM observation WHERE indicator_id = ?""",
            [indicator_id],
        ).fetchall():
            found[(area, key)][period] = Cell(period, value, num, den, prov, est, supp, org)
        return dict(found)

    return read_model.memo(("reported", indicator_id), build, indicators=(indicator_id,))


# ------------------------------------------------------------- rolled-up values


def aggregated(
    read_model: ReadModel, cur: duckdb.DuckDBPyConnection, indicator: IndicatorInfo
) -> dict[tuple[int, str], dict[str, Cell]]:
    """Cells of every area above reporting areas, rolled up from the reporting areas below it."""

    def build() -> dict[tuple[int, str], dict[str, Cell]]:
        if indicator.aggregation == Aggregation.none or indicator.derivation:
            return {}
        tree = area_tree(read_model, cur)
        cells = reported(read_model, cur, indicator.id)
        reporting = {area for (area, _) in cells} | {
            a
            for (a,) in cur.execute("SELECT area_id FROM assignment WHERE indicator_id = ?", [indicator.id]).fetchall()
        }
        below: dict[int, list[int]] = defaultdict(list)  # ancestor -> the reporting areas under it
        for area in reporting:
            for ancestor in tree.ancestors(area):
                if ancestor not in reporting:
                    below[ancestor].append(area)
        keys = {key for (_, key) in cells}
        periods = sorted(
            {p for series in cells.values() for p in series}, key=lambda p: position(p, indicator.period_type)
        )
        found: dict[tuple[int, str], dict[str, Cell]] = {}
        for ancestor, members in below.items():
            for key in keys:
                series = {}
                for period in periods:
                    parts = {tree.code[m]: _member(cells.get((m, key), {}).get(period)) for m in members}
                    if not any(parts.values()):
                        continue
                    rolled = aggregate.rollup(parts, indicator.aggregation, scale=indicator.scale)
                    series[period] = Cell(
                        period,
                        rolled.value,
                        rolled.numerator,
                        rolled.denominator,
                        source="aggregated",
                        complete=rolled.complete,
                        missing=rolled.missing,
                    )
                if series:
                    found[(ancestor, key)] = series
        return found

    return read_model.memo(("aggregated", indicator.id), build, indicators=(indicator.id,))


def _member(cell: Cell | None) -> aggregate.Member | None:
    if cell is None or cell.suppressed or cell.value is None:
        return None
    return aggregate.Member(value=cell.value, numerator=cell.numerator, denominator=cell.denominator)


# ---------------------------------------------------------------- derived values


def derived(
    read_model: ReadModel, cur: duckdb.DuckDBPyConnection, indicator: IndicatorInfo
) -> dict[tuple[int, str], dict[str, Cell]]:
    """A derived indicator for every area above its source's reporting areas (towns, regions)."""

    def build() -> dict[tuple[int, str], dict[str, Cell]]:
        if not indicator.derivation or indicator.derived_from_id is None:
            return {}
        tree = area_tree(read_model, cur)
        source = reported(read_model, cur, indicator.derived_from_id)
        dimension = (indicator.derivation_group or "").partition(":")[0]
        # counts[ancestor][period][unit] = {group value: count} over the reporting units below
        counts: dict[int, dict[str, dict[int, dict[str, float]]]] = defaultdict(lambda: defaultdict(dict))
        for (unit_area, key), series in source.items():
            parts = parse_breakdown(key)
            if key and set(parts) != {dimension}:
                continue
            group = parts.get(dimension, TOTAL)
            for period, cell in series.items():
                if cell.value is None:
                    continue
                for ancestor in tree.ancestors(unit_area):
                    counts[ancestor][period].setdefault(unit_area, {})[group] = cell.value
        found: dict[tuple[int, str], dict[str, Cell]] = {}
        for ancestor, by_period in counts.items():
            series = {}
            for period, units in by_period.items():
                value = _derive(indicator, units)
                if value is not None:
                    series[period] = Cell(period, value, source="derived")
            if series:
                found[(ancestor, TOTAL)] = series
        return found

    return read_model.memo(("derived", indicator.id), build, indicators=sources(indicator))


def _derive(indicator: IndicatorInfo, units: dict[int, dict[str, float]]) -> float | None:
    """The index over the units (schools); None when it cannot be computed (e.g. one group is absent)."""
    groups = sorted({g for counts in units.values() for g in counts if g != TOTAL})
    rows = []
    for counts in units.values():
        total = counts.get(TOTAL, sum(counts.get(g, 0.0) for g in groups))
        rows.append((total, counts))
    try:
        if indicator.derivation == Derivation.theil:
            return segregation.theil_h([[counts.get(g, 0.0) for g in groups] for _, counts in rows])
        group = (indicator.derivation_group or "").partition(":")[2]
        a = [counts.get(group, 0.0) for _, counts in rows]
        t = [total for total, _ in rows]
        others = [max(total - x, 0.0) for total, x in zip(t, a, strict=True)]
        if indicator.derivation == Derivation.dissimilarity:
            return segregation.dissimilarity(a, others)
        if indicator.derivation == Derivation.isolation:
            return segregation.isolation(a, t)
        return segregation.exposure(a, others, t)
    except segregation.SegregationError:
        return None


# ------------------------------------------------------------------- one series


def series_cells(
    read_model: ReadModel, cur: duckdb.DuckDBPyConnection, indicator: IndicatorInfo, area_id: int, key: str
) -> dict[str, Cell]:
    """The indicator's cells for an area and breakdown: reported, else derived, else rolled up."""
    for source in (reported(read_model, cur, indicator.id), derived(read_model, cur, indicator)):
        if (area_id, key) in source:
            return source[(area_id, key)]
    return aggregated(read_model, cur, indicator).get((area_id, key), {})


# ------------------------------------------------------------------ suppression


def may_see_raw(principal: Principal | None, organisation_id: int | None) -> bool:
    """Admins see every raw value, members the values their organisation reported; others see suppressed values."""
    if principal is None:
        return False
    return principal.role is Role.admin or (
        principal.role is Role.member and organisation_id is not None and principal.organisation_id == organisation_id
    )


def reader_of(principal: Principal | None) -> int | None:
    """The organisation whose own cells a caller sees raw (members), for suppression around them."""
    return principal.organisation_id if principal is not None and principal.role is Role.member else None


def audience(principal: Principal | None) -> Hashable:
    """What of a caller decides which values it sees: figures made for one audience serve all of it."""
    if principal is None:
        return "public"
    if principal.role is Role.admin:
        return "raw"
    return ("member", principal.organisation_id) if principal.role is Role.member else "viewer"


def hidden_cells(
    read_model: ReadModel,
    cur: duckdb.DuckDBPyConnection,
    indicator: IndicatorInfo,
    period: str,
    reader: int | None = None,
) -> frozenset[tuple[int, str]]:
    """(area, breakdown) cells of one period that a reader without raw access must not see.

    Primary suppression hides small counts (and rates over small denominators);
    secondary suppression hides more cells of the same tables, the breakdown of
    each area (total = sum of groups) and the roll-ups (region = sum of its
    reporting areas), until no hidden cell can be worked out from the others.
    ``reader`` is the organisation of a member: it sees the cells it reported, so
    those count as known, and other cells are hidden in their place.
    """

    def build() -> frozenset[tuple[int, str]]:
        if indicator.threshold <= 0 or indicator.derivation:
            return frozenset()
        is_rate = indicator.aggregation in (Aggregation.ratio, Aggregation.weighted_mean)
        table: dict[tuple[int, str], Cell] = {}
        for source in (reported(read_model, cur, indicator.id), aggregated(read_model, cur, indicator)):
            for cell_key, series in source.items():
                if period in series:
                    table[cell_key] = series[period]
        known = {k for k, c in table.items() if reader is not None and c.organisation_id == reader}
        primary = {
            cell_key
            for cell_key, cell in table.items()
            if cell.suppressed
            or needs_suppression(
                value=cell.value, denominator=cell.denominator, is_rate=is_rate, threshold=indicator.threshold
            )
        } - known
        if not primary:
            return frozenset()
        amount = {k: (c.denominator if is_rate else c.value) for k, c in table.items()}
        constraints = _breakdown_constraints(table) + _rollup_constraints(read_model, cur, indicator, table)
        return frozenset(secondary_suppression(amount, constraints, primary, known) - known)

    return read_model.memo(("hidden", indicator.id, period, reader), build, indicators=sources(indicator))


def _breakdown_constraints(table: dict[tuple[int, str], Cell]) -> list[Constraint]:
    groups: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    for area, key in table:
        parts = parse_breakdown(key)
        if len(parts) == 1:
            (dimension,) = parts
            groups[(area, dimension)].append((area, key))
    return [Constraint(total=(area, TOTAL), members=tuple(sorted(members))) for (area, _), members in groups.items()]


def _rollup_constraints(
    read_model: ReadModel, cur: duckdb.DuckDBPyConnection, indicator: IndicatorInfo, table: dict[tuple[int, str], Cell]
) -> list[Constraint]:
    tree = area_tree(read_model, cur)
    rolled = {cell_key for cell_key, cell in table.items() if cell.source == "aggregated"}
    # A roll-up is the sum of the reporting areas below it that have a value, and of no others.
    counted = {cell_key for cell_key, cell in table.items() if cell.source == "reported" and _member(cell)}
    below: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    for area, key in counted:
        for ancestor in tree.ancestors(area):
            below[(ancestor, key)].append((area, key))
    return [
        Constraint(total=cell_key, members=tuple(sorted(below[cell_key])))
        for cell_key in sorted(rolled)
        if below.get(cell_key)
    ]
