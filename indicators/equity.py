"""Equity gaps between breakdown groups, and StriveTogether's share of indicators improving.

A gap compares group ``a`` with group ``b`` of one indicator in one period (e.g.
pupils from low-SES homes against high-SES homes): the absolute gap ``a - b`` in
the indicator's unit and the ratio ``a / b``. Whether a gap closes is read from
the least-squares trend of its size ``|a - b|`` over the recent periods, so a
single noisy year does not decide it.

StriveTogether's proof point asks that at least 60% of a partnership's indicators
improve. An indicator improves when its latest value is strictly better, in the
indicator's direction, than the earliest value reported within ``window`` years
before it; an indicator without two values in that window is not assessed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from indicators.periods import PeriodType, normalize, position
from indicators.progress import Direction
from indicators.trend import Trend, linear_trend

PROOF_POINT_SHARE = 0.6

# Positions of months are twelfths of a year and not exact in binary: 2048-02 lies
# 3.0000000000000004 years after 2045-02, which a window of 3 years must still reach.
_POSITION_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Gap:
    absolute: float  # a - b (e.g. low minus high)
    ratio: float | None  # a / b; None when b == 0


@dataclass(frozen=True)
class GapTrend:
    trend: Trend | None  # least-squares trend of the absolute gap size |a - b|
    closing: bool | None  # the gap's size shrinks (slope < 0); None without a trend


@dataclass(frozen=True)
class ShareImproving:
    improving: int
    assessed: int  # indicators with enough data
    share: float | None  # improving / assessed
    proof_point: bool  # StriveTogether: at least 60% of the indicators improve (share >= 0.6)


def _number(x: float | None) -> float | None:
    if x is None or math.isnan(x):
        return None
    return float(x)


def gap(a: float | None, b: float | None) -> Gap | None:
    """Gap of group ``a`` against group ``b``; None when either value is missing."""
    a, b = _number(a), _number(b)
    if a is None or b is None:
        return None
    return _gap(a, b)


def _gap(a: float, b: float) -> Gap:
    return Gap(absolute=a - b, ratio=a / b if b != 0 else None)


def _by_period(
    values: Mapping[str, float | None] | Sequence[tuple[str, float | None]], period_type: PeriodType | str
) -> dict[str, float]:
    """Values with a number, keyed by the canonical period spelling."""
    pairs = values.items() if isinstance(values, Mapping) else values
    seen: set[str] = set()
    out: dict[str, float] = {}
    for period, value in pairs:
        canonical = normalize(period, period_type)
        if canonical in seen:
            # "2023/24" and "2023-24" are one period; two values for it would be ambiguous.
            raise ValueError(f"period '{canonical}' occurs more than once")
        seen.add(canonical)
        number = _number(value)
        if number is not None:
            out[canonical] = number
    return out


def gap_series(
    a: Mapping[str, float | None], b: Mapping[str, float | None], period_type: PeriodType | str
) -> list[tuple[str, Gap]]:
    """Gaps in the periods where both groups have a value, in period order (canonical period spelling)."""
    left, right = _by_period(a, period_type), _by_period(b, period_type)
    common = sorted(left.keys() & right.keys(), key=lambda period: position(period, period_type))
    return [(period, _gap(left[period], right[period])) for period in common]


def gap_trend(gaps: Sequence[tuple[str, Gap]], period_type: PeriodType | str, last: int = 5) -> GapTrend:
    """Least-squares trend of the gap's size over the last ``last`` periods, and whether it is closing."""
    if last < 1:
        raise ValueError(f"last must be at least 1, not {last}")
    sizes = _by_period([(period, abs(g.absolute)) for period, g in gaps], period_type)
    points = sorted((position(period, period_type), size) for period, size in sizes.items())[-last:]
    line = linear_trend(points)
    if line is None:
        return GapTrend(trend=None, closing=None)
    # A gap that holds steady must not read as closing because of rounding in the fit.
    tolerance = 1e-9 * max(1.0, max(size for _, size in points))
    return GapTrend(trend=line, closing=line.slope < -tolerance)


def is_improving(
    series: Sequence[tuple[str, float | None]],
    period_type: PeriodType | str,
    direction: Direction | str,
    window: int = 3,
) -> bool | None:
    """Latest value strictly better than the earliest one within ``window`` years before it; None with one value."""
    if window < 0:
        raise ValueError(f"window cannot be negative, not {window}")
    points = sorted((position(period, period_type), value) for period, value in _by_period(series, period_type).items())
    if not points:
        return None
    latest_position, latest = points[-1]
    within = [(x, y) for x, y in points if latest_position - x <= window + _POSITION_TOLERANCE]
    if len(within) < 2:
        return None
    earliest = within[0][1]
    if Direction(direction) is Direction.higher:
        return latest > earliest
    return latest < earliest


def share_improving(
    indicators: Mapping[str, tuple[Direction | str, Sequence[tuple[str, float | None]], PeriodType | str]],
    window: int = 3,
) -> ShareImproving:
    """Share of the assessable indicators that improve, and whether it meets StriveTogether's 60% proof point."""
    outcomes = [
        is_improving(series, period_type, direction, window) for direction, series, period_type in indicators.values()
    ]
    return improving_share(
        sum(outcome is True for outcome in outcomes), sum(outcome is not None for outcome in outcomes)
    )


def improving_share(improving: int, assessed: int) -> ShareImproving:
    """The share of ``assessed`` indicators that improve, and whether it meets the proof point."""
    share = improving / assessed if assessed else None
    return ShareImproving(
        improving=improving,
        assessed=assessed,
        share=share,
        proof_point=share is not None and share >= PROOF_POINT_SHARE,
    )
