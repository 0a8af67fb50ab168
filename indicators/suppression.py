"""Small-cell suppression: counts and rates that could identify a few people are hidden.

Primary suppression hides a count between 1 and ``threshold - 1`` (zero is
published: it says no one, which is the information the steering group needs),
and a rate whose denominator is below ``threshold``.
"""

from __future__ import annotations


def is_small_count(count: float | None, threshold: int) -> bool:
    return threshold > 0 and count is not None and 0 < count < threshold


def needs_suppression(
    *,
    value: float | None,
    denominator: float | None,
    is_rate: bool,
    threshold: int,
) -> bool:
    """Primary suppression of one cell: a small count, or a rate over a small population."""
    if threshold <= 0:
        return False
    if is_rate:
        return denominator is not None and denominator < threshold
    return is_small_count(value, threshold)
