"""Progress towards a target: share of the gap closed and status against the trajectory.

The trajectory is the straight line from the baseline to the target (through
any intermediate milestones, one straight piece between each pair); a value is
on track when it is at least as good as the trajectory expects for its period.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum


class Direction(StrEnum):
    higher = "higher"  # higher values are better
    lower = "lower"


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
    baseline_position: float,
    baseline: float,
    target_position: float,
    target: float,
    position: float,
) -> float:
    """Value on the straight line from (baseline_position, baseline) to the target.

    Before the baseline the baseline is expected, after the target period the target.
    """
    return trajectory_value([(baseline_position, baseline), (target_position, target)], position)


def trajectory_value(points: Sequence[tuple[float, float]], position: float) -> float:
    """Piecewise-linear trajectory through (position, value) points, flat outside them."""
    if not points:
        raise ValueError("a trajectory needs at least one point")
    ordered = sorted(points)
    if position <= ordered[0][0]:
        return ordered[0][1]
    for (x0, y0), (x1, y1) in zip(ordered, ordered[1:], strict=False):
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
