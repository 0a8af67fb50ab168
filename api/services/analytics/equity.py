"""Equity gaps: one breakdown group against another (low against high SES) over time, for one area."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.errors import Invalid
from api.readmodel import ReadModel
from api.services.accounts.auth import Principal
from api.services.analytics.reference import area_info, indicator_info
from api.services.analytics.series import AreaRef, IndicatorRef, visible_points
from indicators.equity import gap, gap_trend
from indicators.periods import position


class GapOut(BaseModel):
    absolute: float = Field(description="group minus reference, in the indicator's unit")
    ratio: float | None = Field(description="group divided by reference")


class EquityPeriod(BaseModel):
    period: str
    values: dict[str, float | None] = Field(description="each group's value; none when not reported or hidden")
    suppressed: list[str] = Field(description="groups whose value is hidden (too few people) or suppressed at source")
    gap: GapOut | None


class GapTrendOut(BaseModel):
    slope_per_year: float = Field(description="change per year of the gap's size")
    periods_used: int
    closing: bool


class Equity(BaseModel):
    indicator: IndicatorRef
    area: AreaRef
    dimension: str
    group: str
    reference: str
    periods: list[EquityPeriod]
    latest_gap: GapOut | None
    gap_trend: GapTrendOut | None = Field(
        description="least-squares trend of the gap's size over the last five periods"
    )


def equity(
    *,
    read_model: ReadModel,
    principal: Principal | None,
    indicator: str,
    area: str,
    dimension: str | None = None,
    group: str | None = None,
    reference: str | None = None,
) -> Equity:
    """The gap between two groups of a breakdown (by default the first and the last, e.g. low and high SES)."""
    cur = read_model.cursor()
    try:
        info = indicator_info(cur, indicator, published_only=principal is None)
        place = area_info(cur, area)
        dimensions = {
            code: [
                value
                for (value,) in cur.execute(
                    "SELECT code FROM dimension_value WHERE dimension_id = ? ORDER BY position", [dim_id]
                ).fetchall()
            ]
            for dim_id, code in cur.execute(
                """SELECT d.id, d.code FROM indicator_dimension x JOIN dimension d ON d.id = x.dimension_id
                   WHERE x.indicator_id = ? ORDER BY d.code""",
                [info.id],
            ).fetchall()
        }
        if not dimensions:
            raise Invalid(f"Indicator '{info.code}' has no breakdown to compare groups in", code="no_breakdown")
        dimension = dimension or ("ses" if "ses" in dimensions else next(iter(dimensions)))
        if dimension not in dimensions:
            raise Invalid(
                f"Indicator '{info.code}' has no breakdown by '{dimension}' (it has {', '.join(dimensions)})",
                code="dimension_not_allowed",
            )
        values = dimensions[dimension]
        group, reference = group or values[0], reference or values[-1]
        for name, value in (("group", group), ("reference", reference)):
            if value not in values:
                raise Invalid(
                    f"{name} '{value}' is not a value of {dimension} ({', '.join(values)})", code="invalid_group"
                )
        series = {
            value: {
                p.period: p
                for p in visible_points(read_model, cur, info, place.id, f"{dimension}:{value}", principal)[1]
            }
            for value in values
        }
    finally:
        cur.close()
    all_periods = sorted(
        {period for points in series.values() for period in points}, key=lambda p: position(p, info.period_type)
    )
    rows = []
    gaps = []
    for period in all_periods:
        points = {value: series[value].get(period) for value in values}
        found = gap(*(point.value if (point := points[v]) else None for v in (group, reference)))
        if found:
            gaps.append((period, found))
        rows.append(
            EquityPeriod(
                period=period,
                values={value: point.value if point else None for value, point in points.items()},
                suppressed=[value for value, point in points.items() if point and point.suppressed],
                gap=GapOut(absolute=found.absolute, ratio=found.ratio) if found else None,
            )
        )
    fitted = gap_trend(gaps, info.period_type)
    return Equity(
        indicator=IndicatorRef(
            code=info.code, name=info.name, unit=info.unit, direction=info.direction, period_type=info.period_type
        ),
        area=AreaRef(code=place.code, name=place.name, level=place.level),
        dimension=dimension,
        group=group,
        reference=reference,
        periods=rows,
        latest_gap=next((row.gap for row in reversed(rows) if row.gap), None),
        gap_trend=GapTrendOut(
            slope_per_year=fitted.trend.slope, periods_used=fitted.trend.periods, closing=bool(fitted.closing)
        )
        if fitted.trend
        else None,
    )
