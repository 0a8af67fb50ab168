"""An indicator's series for one area: values, trajectory, target, trend and status per period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import partial
from typing import Any

import duckdb
from pydantic import BaseModel, Field

from api.models.common import UNIT_RANGE, Direction, PeriodType, Translated, Unit
from api.models.observation import parse_breakdown
from api.readmodel import ReadModel
from api.services.accounts.auth import Principal
from api.services.analytics import cells, hiding, reference
from indicators import periods
from indicators.progress import (
    Assessment,
    Status,
    progress_share,
    statcan_progress,
    trajectory_status,
    trajectory_value,
)
from indicators.trend import trend, turn_the_curve


class PeriodValue(BaseModel):
    period: str
    value: float | None


class SeriesPoint(BaseModel):
    period: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    suppressed: bool = Field(default=False, description="at source, or hidden because too few people are counted")
    provisional: bool = False
    estimated: bool = False
    complete: bool = Field(default=True, description="a roll-up with every area below it")
    missing: list[str] = Field(default_factory=list, description="areas a roll-up lacks")
    expected: float | None = Field(default=None, description="the trajectory from baseline to target here")
    status: Status = Status.no_data


class TrendOut(BaseModel):
    slope_per_year: float
    periods_used: int
    first: float
    last: float


class Forecast(BaseModel):
    period: str
    value: float | None
    reaches_target: bool | None


class Measure(BaseModel):
    assessment: Assessment
    value: float | None = Field(description="ratio R of observed to required growth, or the growth rate")


class IndicatorRef(BaseModel):
    code: str
    name: Translated
    unit: Unit
    direction: Direction
    period_type: PeriodType


class AreaRef(BaseModel):
    code: str
    name: str
    level: str


class Series(BaseModel):
    indicator: IndicatorRef
    area: AreaRef
    breakdown: dict[str, str]
    source: str = Field(description="reported, aggregated (rolled up from the areas below), derived, or none")
    points: list[SeriesPoint]
    latest: PeriodValue | None
    baseline: PeriodValue | None
    target: PeriodValue | None
    milestones: list[PeriodValue]
    progress: float | None = Field(description="share of the gap from baseline to target closed, 0 to 1")
    status: Status = Field(description="the latest value against the trajectory")
    measure: Measure = Field(description="Statistics Canada's progress measure (as in Open SDG)")
    trend: TrendOut | None
    forecast: Forecast | None = Field(description="where the trend of the last five periods leads by the target period")


TargetRow = tuple[str, float, str, float]  # baseline period and value, target period and value
Targets = dict[tuple[int, int | None], list[TargetRow]]  # by indicator and area (None: alliance-wide)


def targets_for(read_model: ReadModel, cur: duckdb.DuckDBPyConnection) -> Targets:
    """Every target row by (indicator, area or None for alliance-wide): baseline and target periods and values."""

    def build() -> Targets:
        found: Targets = defaultdict(list)
        for ind, area, bp, bv, tp, tv in cur.execute(
            "SELECT indicator_id, area_id, baseline_period, baseline_value, target_period, target_value FROM target"
        ).fetchall():
            found[(ind, area)].append((bp, bv, tp, tv))
        return dict(found)

    return read_model.memo("targets", build, indicators=())


def visible_points(
    read_model: ReadModel,
    cur: duckdb.DuckDBPyConnection,
    indicator: reference.IndicatorInfo,
    area_id: int,
    key: str,
    principal: Principal | None,
    *,
    window: float | None = None,
    until: int | None = None,
    found: dict[str, cells.Cell] | None = None,
    hidden: Callable[[str], frozenset[tuple[int, str]]] | None = None,
) -> tuple[str, list[SeriesPoint]]:
    """The series' points in period order, with hidden cells blanked for this caller.

    ``until``: only periods that begin in or before this year (the state as it was then).

    ``window``: only the first period and those within ``window`` years of the last: all a
    progress summary needs (and it saves working out the suppression of every period between).

    ``found``: the series' cells when the caller has them already (``cells.series_of`` for many areas);
    ``hidden``: the hidden cells of a period for this caller, when the caller keeps them at hand for many areas.
    """
    if found is None:
        found = cells.series_cells(read_model, cur, indicator, area_id, key)
    kind = indicator.period_type
    ordered = sorted(found.values(), key=lambda c: periods.position(c.period, kind))
    if until is not None:
        ordered = [c for c in ordered if periods.position(c.period, kind) < until + 1]
    if window is not None and ordered:
        recent = periods.position(ordered[-1].period, kind) - window
        ordered = ordered[:1] + [c for c in ordered[1:] if periods.position(c.period, kind) >= recent]
    if hidden is None:
        reader = hiding.reader_of(principal)
        hidden = partial(hiding.hidden_cells, read_model, cur, indicator, reader=reader)
    points = []
    for cell in ordered:
        withheld = cell.suppressed or (
            not hiding.may_see_raw(principal, cell.organisation_id) and (area_id, key) in hidden(cell.period)
        )
        points.append(
            SeriesPoint(
                period=cell.period,
                value=None if withheld else cell.value,
                numerator=None if withheld else cell.numerator,
                denominator=None if withheld else cell.denominator,
                suppressed=withheld,
                provisional=cell.provisional,
                estimated=cell.estimated,
                complete=cell.complete,
                missing=list(cell.missing),
            )
        )
    source = ordered[0].source if ordered else "none"
    return source, points


def natural_limit(indicator: reference.IndicatorInfo) -> float | None:
    """The bound progress runs into: the maximum when higher is better, the minimum when lower is."""
    low, high = UNIT_RANGE[Unit(indicator.unit)]
    if indicator.direction == Direction.higher:
        return indicator.max_value if indicator.max_value is not None else high
    return indicator.min_value if indicator.min_value is not None else low


def build(
    indicator: reference.IndicatorInfo,
    source: str,
    points: list[SeriesPoint],
    target_rows: list[TargetRow] | None,
) -> dict[str, Any]:
    """Trajectory, status, progress, trend and the progress measure of a series (the fields of ``Series``)."""
    kind, direction = indicator.period_type, indicator.direction
    known = [(p.period, p.value) for p in points if p.value is not None]
    latest = PeriodValue(period=known[-1][0], value=known[-1][1]) if known else None
    baseline = target = None
    milestones: list[PeriodValue] = []
    trajectory: list[tuple[float, float]] = []
    if target_rows:
        final = max(target_rows, key=lambda r: periods.position(r[2], kind))
        baseline = PeriodValue(period=final[0], value=final[1])
        target = PeriodValue(period=final[2], value=final[3])
        milestones = [
            PeriodValue(period=r[2], value=r[3])
            for r in sorted(target_rows, key=lambda r: periods.position(r[2], kind))
            if r is not final
        ]
        points_of = {periods.position(final[0], kind): final[1]}
        points_of |= {periods.position(r[2], kind): r[3] for r in target_rows}
        trajectory = sorted(points_of.items())
    for point in points:
        if trajectory:
            point.expected = trajectory_value(trajectory, periods.position(point.period, kind))
        point.status = trajectory_status(point.value, point.expected, direction)
    base = baseline or (PeriodValue(period=known[0][0], value=known[0][1]) if known else None)
    measure = statcan_progress(
        base_period=base.period if base else 0,
        base=base.value if base else None,
        current_period=latest.period if latest else 0,
        current=latest.value if latest else None,
        direction=direction,
        target=target.value if target else None,
        target_period=target.period if target else None,
        limit=None if target else natural_limit(indicator),
    )
    fitted = trend(known, kind)
    forecast = None
    if target and target.value is not None:  # a target's value is never empty
        outlook = turn_the_curve(known, kind, target.period, target.value, direction)
        forecast = Forecast(period=target.period, value=outlook.forecast, reaches_target=outlook.reaches_target)
    latest_point = next((p for p in reversed(points) if p.value is not None), None)
    return {
        "source": source,
        "points": points,
        "latest": latest,
        "baseline": baseline,
        "target": target,
        "milestones": milestones,
        "progress": progress_share(baseline.value, latest.value, target.value, direction)
        if baseline and latest and target
        else None,
        "status": latest_point.status if latest_point else Status.no_data,
        "measure": Measure(assessment=measure.assessment, value=measure.value),
        "trend": TrendOut(
            slope_per_year=fitted.slope, periods_used=fitted.periods, first=fitted.first, last=fitted.last
        )
        if fitted
        else None,
        "forecast": forecast,
    }


def series(
    *,
    read_model: ReadModel,
    principal: Principal | None,
    indicator: str,
    area: str,
    breakdown: str | None = None,
) -> Series:
    """One indicator for one area (and breakdown): values, trajectory, target, trend and status."""
    cur = read_model.cursor()
    try:
        info = reference.indicator_info(cur, indicator, published_only=principal is None)
        place = reference.area_info(cur, area)
        key = reference.breakdown_key(breakdown)
        source, points = visible_points(read_model, cur, info, place.id, key, principal)
        target_rows = None
        if key == reference.TOTAL:
            found = targets_for(read_model, cur)
            target_rows = found.get((info.id, place.id)) or found.get((info.id, None))
    finally:
        cur.close()
    return Series(
        indicator=IndicatorRef(
            code=info.code, name=info.name, unit=info.unit, direction=info.direction, period_type=info.period_type
        ),
        area=AreaRef(code=place.code, name=place.name, level=place.level),
        breakdown=parse_breakdown(key),
        **build(info, source, points, target_rows),
    )
