"""Progress towards a target: share of the gap closed and status against the trajectory.

The trajectory is the straight line from the baseline to the target (through
any intermediate milestones, one straight piece between each pair); a value is
on track when it is at least as good as the trajectory expects for its period.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from indicators.periods import as_position


class Direction(StrEnum):
    higher = "higher"  # higher values are better
    lower = "lower"  # type: ignore[assignment]  # shadows str.lower: the name is the contract's value


class Status(StrEnum):
    on_track = "on_track"
    off_track = "off_track"
    no_data = "no_data"


STATUS_LABELS: dict[Status, dict[str, str]] = {
    Status.on_track: {"en": "On track", "nl": "Op koers", "de": "Auf Kurs"},
    Status.off_track: {"en": "Off track", "nl": "Niet op koers", "de": "Nicht auf Kurs"},
    Status.no_data: {"en": "No data", "nl": "Geen gegevens", "de": "Keine Daten"},
}


def is_better_or_equal(value: float, reference: float, direction: Direction | str) -> bool:
    if Direction(direction) is Direction.higher:
        return value >= reference
    return value <= reference


def progress_share(
    baseline: float | None,
    current: float | None,
    target: float | None,
    direction: Direction | str,
) -> float | None:
    """Share of the gap between baseline and target that has been closed, in [0, 1].

    None when any value is missing. When baseline equals target there is no gap:
    1 if the current value is at least as good as the target, else 0.
    """
    if baseline is None or current is None or target is None:
        return None
    if target == baseline:
        return 1.0 if is_better_or_equal(current, target, direction) else 0.0
    share = (current - baseline) / (target - baseline)
    return min(1.0, max(0.0, share))


def expected_value(
    baseline_period: str | float,
    baseline: float,
    target_period: str | float,
    target: float,
    period: str | float,
) -> float:
    """Value on the straight line from the baseline to the target, at ``period``.

    Periods are spelled as reported (``2023``, ``2023/24``, ``2023-Q1``) or given as
    positions in years. Before the baseline the baseline is expected, after the
    target period the target.
    """
    points = [(as_position(baseline_period), baseline), (as_position(target_period), target)]
    return trajectory_value(points, as_position(period))


def trajectory_value(points: Sequence[tuple[float, float]], position: float) -> float:
    """Piecewise-linear trajectory through (position, value) points, flat outside them."""
    if not points:
        raise ValueError("a trajectory needs at least one point")
    ordered = sorted(points)
    if position <= ordered[0][0]:
        return ordered[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(ordered):
        if position <= x1:
            if x1 == x0:
                return y1
            return y0 + (y1 - y0) * (position - x0) / (x1 - x0)
    return ordered[-1][1]


def trajectory_status(current: float | None, expected: float | None, direction: Direction | str) -> Status:
    """On track when the current value is at least as good as the trajectory expects."""
    if current is None or expected is None:
        return Status.no_data
    # Values are reported with a few decimals; do not call a value off track over float noise.
    tolerance = 1e-9 * max(1.0, abs(expected))
    if Direction(direction) is Direction.higher:
        return Status.on_track if current >= expected - tolerance else Status.off_track
    return Status.on_track if current <= expected + tolerance else Status.off_track


# Statistics Canada's progress measure, as Open SDG uses it
# ---------------------------------------------------------
# Observed compound annual growth from the base to the latest value, compared with
# the growth needed to reach the target on time (ratio R), or, without a target,
# with fixed growth rates. Exponential growth needs non-zero values of one sign:
# a base or target of 0 is replaced by 0.001, as the method prescribes.


class Assessment(StrEnum):
    target_achieved = "target_achieved"
    substantial_progress = "substantial_progress"
    moderate_progress = "moderate_progress"
    limited_progress = "limited_progress"
    deterioration = "deterioration"
    not_assessable = "not_assessable"


ASSESSMENT_LABELS: dict[Assessment, dict[str, str]] = {
    Assessment.target_achieved: {"en": "Target achieved", "nl": "Doel bereikt", "de": "Ziel erreicht"},
    Assessment.substantial_progress: {
        "en": "Substantial progress",
        "nl": "Flinke vooruitgang",
        "de": "Deutlicher Fortschritt",
    },
    Assessment.moderate_progress: {
        "en": "Moderate progress, acceleration needed",
        "nl": "Matige vooruitgang, versnelling nodig",
        "de": "Mäßiger Fortschritt, Beschleunigung nötig",
    },
    Assessment.limited_progress: {"en": "Limited progress", "nl": "Beperkte vooruitgang", "de": "Geringer Fortschritt"},
    Assessment.deterioration: {"en": "Deterioration", "nl": "Achteruitgang", "de": "Verschlechterung"},
    Assessment.not_assessable: {"en": "Cannot be assessed", "nl": "Niet te beoordelen", "de": "Nicht bewertbar"},
}

ZERO_REPLACEMENT = 0.001
# Lower bounds of substantial, moderate and limited progress.
TARGET_THRESHOLDS = (0.95, 0.6, 0.0)  # on the ratio R of observed to required growth
TREND_THRESHOLDS = (0.015, 0.005, 0.0)  # on the observed growth rate, when there is no target
LIMIT_EXPONENT = 4.44


@dataclass(frozen=True)
class ProgressMeasure:
    assessment: Assessment
    value: float | None  # R with a target; the direction-adjusted growth rate without
    observed_growth: float | None  # compound annual growth rate from base to latest
    required_growth: float | None  # the rate that reaches the target on time


def compound_growth(current: float, base: float, current_position: float, base_position: float) -> float:
    """Compound annual growth rate: (current / base) ** (1 / years) - 1."""
    # typeshed types float ** float as Any: a negative ratio has a complex root, which is what
    # comes back for a target on the other side of zero from the base (no caller reads it).
    growth: float = (current / base) ** (1 / (current_position - base_position))
    return growth - 1


def limit_coefficient(base: float, limit: float) -> float:
    """Scaling factor C of the no-target thresholds near a natural limit (1 far away, 0 at the limit)."""
    base, limit = abs(base), abs(limit)
    if base >= 2 * limit:  # first, so that a limit of 0 scales nothing
        return 1.0
    # Both ratios lie in [0, 1] here, so the powers are real.
    if base <= limit:
        return 1 - float((base / limit) ** LIMIT_EXPONENT)
    return 1 - float(((2 * limit - base) / limit) ** LIMIT_EXPONENT)


def _level(value: float, thresholds: tuple[float, float, float]) -> Assessment:
    high, medium, low = thresholds
    if value >= high:
        return Assessment.substantial_progress
    if value >= medium:
        return Assessment.moderate_progress
    if value >= low:
        return Assessment.limited_progress
    return Assessment.deterioration


def statcan_progress(
    *,
    base_period: str | float,
    base: float | None,
    current_period: str | float,
    current: float | None,
    direction: Direction | str,
    target: float | None = None,
    target_period: str | float | None = None,
    limit: float | None = None,
) -> ProgressMeasure:
    """Statistics Canada's five-level progress measure (with the target, or from the trend alone).

    ``limit`` is a natural limit in the desired direction (100 for a percentage that
    should rise); it scales the no-target thresholds down near the limit.
    """
    unknown = ProgressMeasure(Assessment.not_assessable, None, None, None)
    if base is None or current is None:
        return unknown
    t0, t1 = as_position(base_period), as_position(current_period)
    if t1 <= t0:
        return unknown  # needs two points in time
    base = base or ZERO_REPLACEMENT
    if (base > 0 > current) or (base < 0 < current):
        return unknown  # exponential growth cannot cross zero
    sign = -1 if base < 0 else 1
    d = 1 if Direction(direction) is Direction.higher else -1
    observed = compound_growth(current, base, t1, t0)

    if target is not None:
        if target_period is None:
            raise ValueError("a target needs its target period")
        achieved = is_better_or_equal(current, target, direction)
        required = compound_growth(target or ZERO_REPLACEMENT, base, as_position(target_period), t0)
        if required == 0:  # the base already equals the target
            level = Assessment.target_achieved if achieved else Assessment.deterioration
            return ProgressMeasure(level, None, observed, required)
        ratio = sign * d * observed / abs(required)
        level = Assessment.target_achieved if achieved else _level(ratio, TARGET_THRESHOLDS)
        return ProgressMeasure(level, ratio, observed, required)

    value = sign * d * observed
    coefficient = 1.0 if limit is None else limit_coefficient(base, limit)
    if coefficient == 0 and value >= 0:
        return ProgressMeasure(Assessment.substantial_progress, value, observed, None)  # held at the limit
    high, medium, low = (t * coefficient for t in TREND_THRESHOLDS)
    return ProgressMeasure(_level(value, (high, medium, low)), value, observed, None)
