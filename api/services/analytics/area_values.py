"""An indicator across areas: the areas that have values, and one period's value of every area at one level."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.models.common import AreaLevel
from api.readmodel import ReadModel
from api.services.accounts.auth import Principal
from api.services.analytics import cells, hiding, reference
from api.services.analytics.series import IndicatorRef, SeriesPoint, build, targets_for
from indicators.periods import position
from indicators.progress import Status

LEVELS = [level.value for level in AreaLevel]
MAP_AREAS = 120  # a map of more areas is hard to read (and slow to draw): it starts a level up


class AreaChoice(BaseModel):
    code: str
    name: str
    level: str
    parent: str | None = Field(description="code of the parent area")


class AreaValue(AreaChoice):
    parent_name: str | None
    value: float | None
    suppressed: bool = Field(description="hidden from this caller (too few people) or suppressed at source")
    provisional: bool = False
    estimated: bool = False
    complete: bool = True
    status: Status = Status.no_data


class AreaValues(BaseModel):
    indicator: IndicatorRef
    level: str | None
    levels: list[str] = Field(description="levels with values, from the top down")
    period: str | None
    periods: list[str] = Field(description="periods with a value at this level, oldest first")
    items: list[AreaValue] = Field(description="every area of the level with a value in some period")


def _order(area: reference.AreaInfo) -> tuple[int, str, str]:
    return (LEVELS.index(area.level) if area.level in LEVELS else len(LEVELS), area.name, area.code)


def areas_with_values(*, read_model: ReadModel, principal: Principal | None, indicator: str) -> list[AreaChoice]:
    """The areas with a value of the indicator (reported, rolled up or derived), from the top level down."""
    cur = read_model.cursor()
    try:
        info = reference.indicator_info(cur, indicator, published_only=principal is None)

        def build() -> list[AreaChoice]:
            areas = reference.areas(read_model, cur)
            found = sorted((areas[a] for a in cells.with_totals(read_model, cur, info)), key=_order)
            return [
                AreaChoice(
                    code=a.code,
                    name=a.name,
                    level=a.level,
                    parent=areas[a.parent_id].code if a.parent_id is not None else None,
                )
                for a in found
            ]

        # The same for every caller who may see the indicator at all.
        choices: list[AreaChoice] = read_model.memo(
            ("areas with values", info.id), build, indicators=reference.sources(info)
        )
    finally:
        cur.close()
    return choices


def _default_level(levels: list[str], present: list[reference.AreaInfo]) -> str | None:
    """Municipalities, unless there are too many to read on one map: then the most detailed level that fits."""
    counts = {lv: sum(a.level == lv for a in present) for lv in levels}
    fitting = [lv for lv in levels if counts[lv] <= MAP_AREAS]
    if "municipality" in fitting:
        return "municipality"
    if fitting:
        return fitting[-1]
    return min(levels, key=lambda lv: counts[lv], default=None)


def area_values(
    *,
    read_model: ReadModel,
    principal: Principal | None,
    indicator: str,
    level: str | None = None,
    period: str | None = None,
) -> AreaValues:
    """One period's value of each area at a level (default: municipalities, latest period) as the caller may see it."""
    cur = read_model.cursor()
    try:
        info = reference.indicator_info(cur, indicator, published_only=principal is None)
        areas = reference.areas(read_model, cur)
        present = [areas[a] for a in cells.with_totals(read_model, cur, info)]
        levels = sorted({a.level for a in present}, key=lambda lv: LEVELS.index(lv) if lv in LEVELS else len(LEVELS))
        if level not in levels:
            level = _default_level(levels, present)
        chosen = sorted((a for a in present if a.level == level), key=_order)
        series = cells.series_of(read_model, cur, info, [a.id for a in chosen], reference.TOTAL)
        periods = sorted({p for s in series.values() for p in s}, key=lambda p: position(p, info.period_type))
        if period not in periods:
            period = periods[-1] if periods else None
        targets = targets_for(read_model, cur)
        reader = hiding.reader_of(principal)
        hidden = hiding.hidden_cells(read_model, cur, info, period, reader) if period else frozenset()
        items = []
        for area in chosen:
            cell = series.get(area.id, {}).get(period) if period else None
            secret = cell is not None and (
                cell.suppressed
                or (not hiding.may_see_raw(principal, cell.organisation_id) and (area.id, reference.TOTAL) in hidden)
            )
            point = SeriesPoint(period=period or "", value=None if cell is None or secret else cell.value)
            rows = targets.get((info.id, area.id)) or targets.get((info.id, None))
            if cell is not None and not secret:
                build(info, cell.source, [point], rows)  # sets the point's status against the trajectory
            parent = areas.get(area.parent_id) if area.parent_id is not None else None
            items.append(
                AreaValue(
                    code=area.code,
                    name=area.name,
                    level=area.level,
                    parent=parent.code if parent else None,
                    parent_name=parent.name if parent else None,
                    value=point.value,
                    suppressed=secret,
                    provisional=bool(cell and cell.provisional),
                    estimated=bool(cell and cell.estimated),
                    complete=cell.complete if cell else True,
                    status=point.status,
                )
            )
    finally:
        cur.close()
    return AreaValues(
        indicator=IndicatorRef(
            code=info.code, name=info.name, unit=info.unit, direction=info.direction, period_type=info.period_type
        ),
        level=level,
        levels=levels,
        period=period,
        periods=periods,
        items=items,
    )
