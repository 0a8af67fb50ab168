"""The values of an indicator for an area: reported, rolled up from the areas below, or derived.

An area that reports an indicator has reported values. An area above reporting
areas (the Ennepe-Ruhr-Kreis above its towns) gets values rolled up from them by
the indicator's aggregation rule, flagged partial when some are missing. A
derived indicator (the segregation index) is computed from its source counts in
the areas below (the schools of a town, or of a whole region). All figures are
computed once per read-model revision (``ReadModel.memo``); which of them a caller
may see is ``hiding``'s business.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import duckdb

from api.models.common import Aggregation, Derivation
from api.models.observation import parse_breakdown
from api.readmodel import ReadModel
from api.services.analytics.reference import TOTAL, IndicatorInfo, area_tree, sources
from indicators import aggregate, segregation
from indicators.periods import position


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
                    parts = {tree.code[m]: is_member(cells.get((m, key), {}).get(period)) for m in members}
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


def is_member(cell: Cell | None) -> aggregate.Member | None:
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
