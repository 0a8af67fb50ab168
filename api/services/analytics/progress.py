"""Progress per goal and area, answered from the read model."""

from __future__ import annotations

import math
from collections import Counter
from functools import partial
from typing import Any

import duckdb
from pydantic import BaseModel, Field

from api.errors import NotFound
from api.models.common import AreaLevel, Direction, Page, PeriodType, Translated, Unit
from api.readmodel import ReadModel
from api.services.accounts.auth import Principal
from api.services.analytics import cells, hiding, reference
from api.services.analytics.series import AreaRef, Measure, PeriodValue, Targets, build, targets_for, visible_points
from indicators.equity import ShareImproving, improving_share, share_improving
from indicators.progress import Status

IMPROVEMENT_WINDOW = 3  # years, for the share of indicators improving
_CHUNK = 500  # goal-area pairs whose series are asked of DuckDB together (one query per indicator)


class IndicatorProgress(BaseModel):
    code: str
    name: Translated
    unit: Unit
    direction: Direction
    period_type: PeriodType
    source: str = Field(description="reported, aggregated (rolled up from the areas below), derived, or none")
    latest: PeriodValue | None = Field(description="the most recent total")
    suppressed: bool = Field(default=False, description="the latest value is hidden: too few people")
    complete: bool = Field(default=True, description="a roll-up with every area below it")
    baseline: PeriodValue | None
    target: PeriodValue | None
    expected: float | None = Field(description="where the trajectory from baseline to target is at the latest period")
    progress: float | None = Field(description="share of the gap from baseline to target closed, 0 to 1")
    status: Status = Field(description="the latest value against the trajectory")
    measure: Measure = Field(description="Statistics Canada's progress measure (as in Open SDG)")


class GoalRef(BaseModel):
    code: str
    title: Translated


class StatusCounts(BaseModel):
    on_track: int = 0
    off_track: int = 0
    no_data: int = 0
    share_on_track: float | None = Field(default=None, description="on track among those with data")
    improving: int = Field(default=0, description="indicators better now than three years before")
    assessed: int = Field(default=0, description="indicators with values three years apart to compare")
    share_improving: float | None = None
    proof_point: bool = Field(default=False, description="StriveTogether: at least 60% of the indicators improve")


class GoalAreaSummary(BaseModel):
    goal: GoalRef
    area: AreaRef
    summary: StatusCounts


class GoalAreaProgress(GoalAreaSummary):
    indicators: list[IndicatorProgress]


def progress(
    *,
    read_model: ReadModel,
    principal: Principal | None,
    limit: int,
    offset: int,
    goal: str | None = None,
    area: str | None = None,
    until: int | None = None,
    level: AreaLevel | None = None,
) -> Page[GoalAreaProgress]:
    """For each goal and area: every indicator's latest value, baseline, target, progress and status.

    ``until``: as it stood with the values of periods up to that year. ``level``: only areas of that level.
    """
    cur = read_model.cursor()
    try:
        until = _until(cur, until)
        goals, shown, areas = _scope(cur, principal, goal, area, level)
        pairs = [(g, a) for g in goals for a in areas if any(i.goal_id == g[0] for i in shown)]
        items = _items(read_model, cur, pairs[offset : offset + limit], shown, principal, until, remember=True)
    finally:
        cur.close()
    return Page(items=items, total=len(pairs), limit=limit, offset=offset)


def _items(
    read_model: ReadModel,
    cur: duckdb.DuckDBPyConnection,
    pairs: list[tuple[tuple[int, str, str], reference.AreaInfo]],
    shown: list[reference.IndicatorInfo],
    principal: Principal | None,
    until: int | None,
    *,
    remember: bool,
) -> list[GoalAreaProgress]:
    """Progress of each (goal, area) pair; with ``remember``, each remembered per audience until a
    submission touches one of the goal's indicators."""
    targets = targets_for(read_model, cur)
    items = []
    for start in range(0, len(pairs), _CHUNK):
        chunk = pairs[start : start + _CHUNK]
        series = _Series(read_model, cur, {place.id for _, place in chunk}, principal)
        for (goal_id, goal_code, goal_title), place in chunk:
            mine = [i for i in shown if i.goal_id == goal_id]
            compute = partial(
                _goal_area, read_model, cur, (goal_code, goal_title), place, mine, targets, principal, until, series
            )
            key = ("progress", hiding.audience(principal), goal_id, place.id, until)
            items.append(read_model.memo(key, compute, indicators=_depends(mine)) if remember else compute())
    return items


def summaries(
    *, read_model: ReadModel, principal: Principal | None, until: int | None = None, level: AreaLevel | None = None
) -> list[GoalAreaSummary]:
    """The status counts of every goal and area, without the indicators': what an overview of them all needs.

    Remembered per goal and audience, and kept in the read model's file, until a submission touches one
    of the goal's indicators: at national scale working them out takes many seconds, and a save
    leaves the other goals' counts as they are.
    """
    cur = read_model.cursor()
    try:
        until = _until(cur, until)
        goals, shown, areas = _scope(cur, principal, None, None, level)
        found: list[GoalAreaSummary] = []
        for goal in goals:
            mine = [i for i in shown if i.goal_id == goal[0]]
            if not mine:
                continue

            def compute(
                goal: tuple[int, str, str] = goal, mine: list[reference.IndicatorInfo] = mine
            ) -> list[GoalAreaSummary]:
                # Each indicator's counts remembered on their own: after a save only the saved indicator's are
                # worked out again, and the goal's added up from them.
                counted = [
                    _indicator_counts(read_model, cur, goal, info, areas, principal, until, level) for info in mine
                ]
                ref = GoalRef(code=goal[1], title=Translated.model_validate_json(goal[2]))
                return [
                    GoalAreaSummary(
                        goal=ref,
                        area=AreaRef(code=place.code, name=place.name, level=place.level),
                        summary=_added_up([counts[place.id] for counts in counted]),
                    )
                    for place in areas
                ]

            key = ("summaries", hiding.audience(principal), goal[0], until, level)
            part: list[GoalAreaSummary] = read_model.memo(
                key, compute, indicators=_depends(mine), keep=(_encode, _decode)
            )
            found.extend(part)
    finally:
        cur.close()
    return found


# One indicator's status counts of an area: on track, off track, no data, improving, assessed (each 0 or 1).
Counts = tuple[int, int, int, int, int]


def _indicator_counts(
    read_model: ReadModel,
    cur: duckdb.DuckDBPyConnection,
    goal: tuple[int, str, str],
    info: reference.IndicatorInfo,
    areas: list[reference.AreaInfo],
    principal: Principal | None,
    until: int | None,
    level: AreaLevel | None,
) -> dict[int, Counts]:
    """One indicator's counts for each area, remembered per audience (and kept in the read model's file) until
    a submission touches the indicator."""

    def compute() -> dict[int, Counts]:
        items = _items(read_model, cur, [(goal, a) for a in areas], [info], principal, until, remember=False)
        return {
            place.id: (s.on_track, s.off_track, s.no_data, s.improving, s.assessed)
            for place, s in zip(areas, (item.summary for item in items), strict=True)
        }

    key = ("indicator counts", hiding.audience(principal), info.id, until, level)
    keep = (lambda found: [[area, *counts] for area, counts in found.items()], _decode_counts)
    counted: dict[int, Counts] = read_model.memo(key, compute, indicators=_depends([info]), keep=keep)
    return counted


def _decode_counts(rows: list[list[int]]) -> dict[int, Counts]:
    return {area: (on, off, none, improving, assessed) for area, on, off, none, improving, assessed in rows}


def _added_up(parts: list[Counts]) -> StatusCounts:
    """The counts of a goal's indicators added up: the goal's counts, shares worked out from the sums."""
    on, off, none, improving, assessed = (sum(column) for column in zip(*parts, strict=True))
    return _summary(Counter(on_track=on, off_track=off, no_data=none), improving_share(improving, assessed))


def _until(cur: duckdb.DuckDBPyConnection, until: int | None) -> int | None:
    """``until`` as the figures see it: a year past every period is none at all, and every year before the
    first period the same one (so that each shares its memos instead of working out the same again)."""
    if until is None:
        return None
    first, last = cur.execute("SELECT min(position), max(position) FROM period").fetchone() or (None, None)
    if last is None:
        return until
    if until + 1 > last:  # every period begins before the end of that year
        return None
    return max(until, math.floor(float(first)) - 1)


def _encode(items: list[GoalAreaSummary]) -> list[dict[str, Any]]:
    return [item.model_dump(mode="json") for item in items]


def _decode(rows: list[dict[str, Any]]) -> list[GoalAreaSummary]:
    return [GoalAreaSummary.model_validate(row) for row in rows]


def _depends(shown: list[reference.IndicatorInfo]) -> set[int]:
    """The indicators whose observations the figures of ``shown`` read."""
    return {i.id for i in shown} | {i.derived_from_id for i in shown if i.derived_from_id}


def _scope(
    cur: duckdb.DuckDBPyConnection,
    principal: Principal | None,
    goal: str | None,
    area: str | None,
    level: AreaLevel | None,
) -> tuple[list[tuple[int, str, str]], list[reference.IndicatorInfo], list[reference.AreaInfo]]:
    """The goals asked for, the indicators shown to ``principal`` and the areas with progress."""
    goals = cur.execute("SELECT id, code, title FROM goal ORDER BY position, code").fetchall()
    if goal is not None:
        goals = [g for g in goals if g[1] == goal]
        if not goals:
            raise NotFound(f"No goal with code '{goal}'")
    everything = reference.indicators(cur)
    sources = {i.derived_from_id for i in everything.values() if i.derived_from_id}
    # Progress is about outcomes: the counts a derived indicator is computed from are left out.
    shown = sorted(
        (i for i in everything.values() if (i.published or principal is not None) and i.id not in sources),
        key=lambda i: (i.position, i.code),
    )
    if area is not None:
        return goals, shown, [reference.area_info(cur, area)]
    found = cur.execute(
        """SELECT id, code, name, level, parent_id FROM area WHERE id IN (
               SELECT area_id FROM assignment WHERE NOT list_contains($sources, indicator_id)
               UNION SELECT area_id FROM target) AND ($level IS NULL OR level = $level)
           ORDER BY code""",
        {"sources": sorted(sources) or [-1], "level": None if level is None else level.value},
    ).fetchall()
    return goals, shown, [reference.AreaInfo(*row) for row in found]


class _Series:
    """The totals' cells of a chunk of areas, asked of DuckDB once per indicator when a figure needs them, and
    the hidden cells of each indicator and period for one reader, asked of the read model's memos once."""

    def __init__(
        self, read_model: ReadModel, cur: duckdb.DuckDBPyConnection, areas: set[int], principal: Principal | None
    ) -> None:
        self.read_model, self.cur, self.areas = read_model, cur, areas
        self.reader = hiding.reader_of(principal)
        self.found: dict[int, dict[int, dict[str, cells.Cell]]] = {}
        self.withheld: dict[tuple[int, str], frozenset[tuple[int, str]]] = {}

    def of(self, info: reference.IndicatorInfo, area_id: int) -> dict[str, cells.Cell]:
        if info.id not in self.found:
            self.found[info.id] = cells.series_of(self.read_model, self.cur, info, self.areas, reference.TOTAL)
        return self.found[info.id].get(area_id, {})

    def hidden(self, info: reference.IndicatorInfo, period: str) -> frozenset[tuple[int, str]]:
        if (info.id, period) not in self.withheld:
            found = hiding.hidden_cells(self.read_model, self.cur, info, period, self.reader)
            self.withheld[(info.id, period)] = found
        return self.withheld[(info.id, period)]


def _goal_area(
    read_model: ReadModel,
    cur: duckdb.DuckDBPyConnection,
    goal: tuple[str, str],
    place: reference.AreaInfo,
    shown: list[reference.IndicatorInfo],
    targets: Targets,
    principal: Principal | None,
    until: int | None,
    series: _Series,
) -> GoalAreaProgress:
    """One goal's indicators for one area, with the status counts and the share improving."""
    entries, recent = [], {}
    for info in shown:
        source, points = visible_points(
            read_model,
            cur,
            info,
            place.id,
            reference.TOTAL,
            principal,
            window=IMPROVEMENT_WINDOW,
            until=until,
            found=series.of(info, place.id),
            hidden=partial(series.hidden, info),
        )
        rows = targets.get((info.id, place.id)) or targets.get((info.id, None))
        entries.append(_entry(info, build(info, source, points, rows)))
        recent[info.code] = (info.direction, [(p.period, p.value) for p in points], info.period_type)
    return GoalAreaProgress(
        goal=GoalRef(code=goal[0], title=Translated.model_validate_json(goal[1])),
        area=AreaRef(code=place.code, name=place.name, level=place.level),
        indicators=entries,
        summary=_summary(Counter(e.status.value for e in entries), share_improving(recent, IMPROVEMENT_WINDOW)),
    )


def _entry(info: reference.IndicatorInfo, figures: dict[str, Any]) -> IndicatorProgress:
    points = figures["points"]
    last = points[-1] if points else None
    latest_point = next((p for p in reversed(points) if p.value is not None), None)
    hidden = bool(last and last.suppressed and latest_point is not last)
    return IndicatorProgress(
        code=info.code,
        name=info.name,
        unit=info.unit,
        direction=info.direction,
        period_type=info.period_type,
        source=figures["source"],
        latest=PeriodValue(period=last.period, value=last.value) if hidden and last else figures["latest"],
        suppressed=hidden,
        complete=latest_point.complete if latest_point else True,
        baseline=figures["baseline"],
        target=figures["target"],
        expected=latest_point.expected if latest_point else None,
        progress=None if hidden else figures["progress"],
        status=Status.no_data if hidden else figures["status"],
        measure=figures["measure"],
    )


def _summary(counts: Counter[str], improving: ShareImproving) -> StatusCounts:
    """Status counts from how many indicators have each status, and how many improve."""
    judged = counts["on_track"] + counts["off_track"]
    return StatusCounts(
        on_track=counts["on_track"],
        off_track=counts["off_track"],
        no_data=counts["no_data"],
        share_on_track=counts["on_track"] / judged if judged else None,
        improving=improving.improving,
        assessed=improving.assessed,
        share_improving=improving.share,
        proof_point=improving.proof_point,
    )
