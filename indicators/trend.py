"""Least-squares trends of an indicator over time, and where today's trend leads ("turn the curve").

Each period is placed on a time axis in years (``periods.position``: ``2023/24`` at
2023, ``2023-Q2`` at 2023.25), so slopes are changes per year whatever the period
type. The line is ordinary least squares over the most recent ``last`` periods that
have a value:

    slope     = Sxy / Sxx,  Sxy = sum((x - mean x) * (y - mean y)),  Sxx = sum((x - mean x) ** 2)
    intercept = mean y - slope * mean x

Sums are centred on the means and taken with ``math.fsum``: positions are around
2000, and the textbook formula ``n * sum(x * y) - sum(x) * sum(y)`` would subtract
two numbers of order 1e7 that agree in most of their digits.

Result-Based Accountability's "turn the curve" asks where the baseline trend goes if
nothing changes: ``forecast`` extends the line to a target period and
``turn_the_curve`` says whether that forecast reaches the target.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from indicators.periods import PeriodType, normalize, position
from indicators.progress import Direction, is_better_or_equal


@dataclass(frozen=True)
class Trend:
    slope: float  # change per year (least squares)
    intercept: float  # value at position 0 (years axis)
    periods: int  # number of points used
    first: float  # position of the first point used
    last: float  # position of the last point used

    def at(self, position: float) -> float:
        """Value of the trend line at a position in years."""
        return self.intercept + self.slope * position


@dataclass(frozen=True)
class CurveOutlook:
    forecast: float | None  # the trend line's value at the target period; None without a trend
    target: float
    reaches_target: bool | None  # forecast at least as good as the target; None without a forecast
    periods_used: int  # periods with a value the forecast rests on


def linear_trend(points: Sequence[tuple[float, float]]) -> Trend | None:
    """Ordinary least-squares line through (position, value) points; None with fewer than two distinct positions."""
    if len(points) < 2:
        return None
    xs = [float(x) for x, _ in points]
    ys = [float(y) for _, y in points]
    if min(xs) == max(xs):
        return None  # a vertical cloud has no slope
    n = len(points)
    mean_x = math.fsum(xs) / n
    mean_y = math.fsum(ys) / n
    sxx = math.fsum((x - mean_x) ** 2 for x in xs)
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    return Trend(slope=slope, intercept=mean_y - slope * mean_x, periods=n, first=min(xs), last=max(xs))


def _recent_points(
    series: Sequence[tuple[str, float | None]], period_type: PeriodType | str, last: int
) -> list[tuple[float, float]]:
    """The last ``last`` (position, value) points with a value, in time order."""
    if last < 1:
        raise ValueError(f"last must be at least 1, not {last}")
    seen: set[str] = set()
    points: list[tuple[float, float]] = []
    for period, value in series:
        canonical = normalize(period, period_type)
        if canonical in seen:
            # Two values for one period would silently double its weight in the fit.
            raise ValueError(f"period '{canonical}' occurs more than once in the series")
        seen.add(canonical)
        if value is None or math.isnan(value):
            continue
        points.append((position(canonical, period_type), float(value)))
    points.sort()
    return points[-last:]


def trend(series: Sequence[tuple[str, float | None]], period_type: PeriodType | str, last: int = 5) -> Trend | None:
    """Least-squares trend of the last ``last`` periods with a value; None with fewer than two."""
    return linear_trend(_recent_points(series, period_type, last))


def forecast(
    series: Sequence[tuple[str, float | None]],
    period_type: PeriodType | str,
    target_period: str,
    last: int = 5,
) -> float | None:
    """Value the current trend reaches at ``target_period``; None without a trend."""
    line = trend(series, period_type, last)
    if line is None:
        return None
    return line.at(position(target_period, period_type))


def turn_the_curve(
    series: Sequence[tuple[str, float | None]],
    period_type: PeriodType | str,
    target_period: str,
    target: float,
    direction: Direction | str,
    last: int = 5,
) -> CurveOutlook:
    """Where the current trend leads by ``target_period``, and whether that reaches ``target``."""
    points = _recent_points(series, period_type, last)
    line = linear_trend(points)
    if line is None:
        return CurveOutlook(forecast=None, target=target, reaches_target=None, periods_used=len(points))
    value = line.at(position(target_period, period_type))
    # A series exactly on course to the target must not miss it by float noise in the fit.
    tolerance = 1e-9 * max(1.0, abs(target))
    nudged = value + tolerance if Direction(direction) is Direction.higher else value - tolerance
    return CurveOutlook(
        forecast=value,
        target=target,
        reaches_target=is_better_or_equal(nudged, target, direction),
        periods_used=line.periods,
    )
