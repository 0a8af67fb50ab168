"""Progress per goal and area, answered from the read model."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from pydantic import BaseModel, Field

from api.errors import NotFound
from api.models.common import Aggregation, Direction, Page, PeriodType, Translated, Unit
from api.readmodel import ReadModel
from api.services.auth import Principal
from api.services.observations import may_see_raw
from indicators import periods
from indicators.progress import Status, progress_share, trajectory_status, trajectory_value
from indicators.suppression import needs_suppression


class PeriodValue(BaseModel):
    period: str
    value: float | None


class IndicatorProgress(BaseModel):
    code: str
    name: Translated
    unit: Unit
    direction: Direction
    period_type: PeriodType
    latest: PeriodValue | None = Field(description="the most recent reported total")
    suppressed: bool = Field(default=False, description="the latest value is hidden: too few people")
    baseline: PeriodValue | None
    target: PeriodValue | None
    expected: float | None = Field(description="where the trajectory from baseline to target is at the latest period")
    progress: float | None = Field(description="share of the gap from baseline to target closed, 0 to 1")
    status: Status


class GoalRef(BaseModel):
    code: str
    title: Translated


class AreaRef(BaseModel):
    code: str
    name: str
    level: str


class StatusCounts(BaseModel):
    on_track: int = 0
    off_track: int = 0
    no_data: int = 0
    share_on_track: float | None = Field(default=None, description="on track among those with data")


class GoalAreaProgress(BaseModel):
    goal: GoalRef
    area: AreaRef
    indicators: list[IndicatorProgress]
    summary: StatusCounts


def _trajectory(rows: list[tuple[str, float, str, float]], period_type: str) -> tuple[PeriodValue, PeriodValue, list]:
    """Baseline, final target and the trajectory points from a set of target rows."""
    final = max(rows, key=lambda r: periods.position(r[2], period_type))
    baseline = PeriodValue(period=final[0], value=final[1])
    points = {periods.position(final[0], period_type): final[1]}
    for _, _, target_period, target_value in rows:
        points[periods.position(target_period, period_type)] = target_value
    return baseline, PeriodValue(period=final[2], value=final[3]), sorted(points.items())


def progress(
    *,
    read_model: ReadModel,
    principal: Principal | None,
    limit: int,
    offset: int,
    goal: str | None = None,
    area: str | None = None,
) -> Page[GoalAreaProgress]:
    """For each goal and area: every indicator's latest value, baseline, target, progress and status."""
    cur = read_model.cursor()
    try:
        filters, params = "", []
        if goal is not None:
            if not cur.execute("SELECT 1 FROM goal WHERE code = ?", [goal]).fetchall():
                raise NotFound(f"No goal with code '{goal}'")
            filters, params = " AND g.code = ?", [goal]
        if principal is None:
            filters += " AND i.published"
        indicators = cur.execute(
            f"""SELECT i.id, i.code, i.name, i.unit, i.direction, i.period_type, i.aggregation,
                       i.suppression_threshold, g.id, g.code, g.title
                FROM indicator i JOIN goal g ON g.id = i.goal_id WHERE true {filters}
                ORDER BY g.position, g.code, i.position, i.code""",
            params,
        ).fetchall()
        ids = [row[0] for row in indicators] or [-1]
        if area is not None:
            areas = cur.execute("SELECT id, code, name, level FROM area WHERE code = ?", [area]).fetchall()
            if not areas:
                raise NotFound(f"No area with code '{area}'")
        else:
            areas = cur.execute(
                """SELECT id, code, name, level FROM area WHERE id IN (
                       SELECT area_id FROM assignment WHERE list_contains($ids, indicator_id)
                       UNION SELECT area_id FROM observation WHERE list_contains($ids, indicator_id))
                   ORDER BY code""",
                {"ids": ids},
            ).fetchall()
        goals = list(dict.fromkeys((row[8], row[9], row[10]) for row in indicators))
        pairs = [(g, a) for g in goals for a in areas]
        page = pairs[offset : offset + limit]
        area_ids = sorted({a[0] for _, a in page}) or [-1]
        latest = {
            (ind, ar): (per, val, den, org)
            for ind, ar, per, val, den, org in cur.execute(
                """SELECT o.indicator_id, o.area_id, arg_max(o.period, p.position), arg_max(o.value, p.position),
                          arg_max(o.denominator, p.position), arg_max(o.organisation_id, p.position)
                   FROM observation o JOIN indicator i ON i.id = o.indicator_id
                   JOIN period p ON p.period_type = i.period_type AND p.period = o.period
                   WHERE o.breakdown = '' AND o.value IS NOT NULL
                     AND list_contains($ids, o.indicator_id) AND list_contains($areas, o.area_id)
                   GROUP BY ALL""",
                {"ids": ids, "areas": area_ids},
            ).fetchall()
        }
        targets: dict[tuple[int, int | None], list[tuple[str, float, str, float]]] = defaultdict(list)
        for ind, ar, bp, bv, tp, tv in cur.execute(
            """SELECT indicator_id, area_id, baseline_period, baseline_value, target_period, target_value
               FROM target WHERE list_contains($ids, indicator_id)""",
            {"ids": ids},
        ).fetchall():
            targets[(ind, ar)].append((bp, bv, tp, tv))
    finally:
        cur.close()

    items = []
    for (goal_id, goal_code, goal_title), (area_id, area_code, area_name, level) in page:
        rows = [r for r in indicators if r[8] == goal_id]
        entries = [_indicator_progress(r, area_id, latest, targets, principal) for r in rows]
        counts = defaultdict(int)
        for entry in entries:
            counts[entry.status.value] += 1
        judged = counts["on_track"] + counts["off_track"]
        items.append(
            GoalAreaProgress(
                goal=GoalRef(code=goal_code, title=json.loads(goal_title)),
                area=AreaRef(code=area_code, name=area_name, level=level),
                indicators=entries,
                summary=StatusCounts(**counts, share_on_track=counts["on_track"] / judged if judged else None),
            )
        )
    return Page(items=items, total=len(pairs), limit=limit, offset=offset)


def _indicator_progress(
    row: tuple[Any, ...],
    area_id: int,
    latest: dict[tuple[int, int], tuple[str, float, float | None, int]],
    targets: dict[tuple[int, int | None], list[tuple[str, float, str, float]]],
    principal: Principal | None,
) -> IndicatorProgress:
    ind_id, code, name, unit, direction, period_type, aggregation, threshold = row[:8]
    found = latest.get((ind_id, area_id))
    suppressed = bool(
        found
        and not may_see_raw(principal, found[3])
        and needs_suppression(
            value=found[1], denominator=found[2], is_rate=aggregation == Aggregation.ratio, threshold=threshold
        )
    )
    current = None if found is None or suppressed else found[1]
    target_rows = targets.get((ind_id, area_id)) or targets.get((ind_id, None))
    baseline = target = expected = None
    if target_rows:
        baseline, target, points = _trajectory(target_rows, period_type)
        if found is not None:
            expected = trajectory_value(points, periods.position(found[0], period_type))
    return IndicatorProgress(
        code=code,
        name=json.loads(name),
        unit=unit,
        direction=direction,
        period_type=period_type,
        latest=None if found is None else PeriodValue(period=found[0], value=current),
        suppressed=suppressed,
        baseline=baseline,
        target=target,
        expected=None if suppressed else expected,
        progress=progress_share(baseline.value, current, target.value, direction) if baseline else None,
        status=trajectory_status(current, expected, direction),
    )
