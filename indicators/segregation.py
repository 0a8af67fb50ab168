"""Segregation of pupil groups across schools: how unevenly a group is spread, and whom its pupils meet.

The units are schools (or any areas); each index reads counts of pupils per unit.

Dissimilarity (Duncan & Duncan 1955), evenness of two groups a and b::

    D = 1/2 * sum_i | a_i / A - b_i / B |        A = sum_i a_i, B = sum_i b_i

D is the share of either group that would have to change school for both to be
spread alike: 0 when every school has the same mix, 1 when no school holds both.

Isolation and exposure (Bell 1954; Massey & Denton 1988), with t_i the unit total::

    xPx = sum_i (a_i / A) * (a_i / t_i)
    xPy = sum_i (a_i / A) * (b_i / t_i)

xPx is the share of group a among the schoolmates of the average pupil of group
a (from A / T under an even spread up to 1); xPy is the share of group b among
them. With only two groups (t = a + b) they add up to 1.

Multigroup information theory index H (Theil 1972; Reardon & Firebaugh 2002)
over M groups, with entropy E = -sum_m p_m ln p_m of the overall group shares
p_m (a term with p_m = 0 counts as 0), E_i the same within unit i, t_i the unit
total and T the grand total::

    H = sum_i t_i (E - E_i) / (T * E)

H is the share of the overall diversity that is lost inside the average school:
0 when every school mirrors the whole population, 1 when each school holds one
group only.

Units with t_i = 0 hold no one and drop out of xPx, xPy and H.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence


class SegregationError(ValueError):
    """Input that an index cannot be computed from."""


def _counts(values: Iterable[float], name: str) -> list[float]:
    """The values as floats, checked to be finite and non-negative."""
    try:
        counts = [float(value) for value in values]
    except (TypeError, ValueError) as error:
        raise SegregationError(f"{name} must be a sequence of numbers ({error})") from None
    for i, count in enumerate(counts):
        if not math.isfinite(count):
            raise SegregationError(f"{name}[{i}] is {count}; counts must be finite numbers")
        if count < 0:
            raise SegregationError(f"{name}[{i}] is negative ({count:g}); counts cannot be below 0")
    return counts


def _columns(**named: Iterable[float]) -> list[list[float]]:
    """The named sequences as checked counts of one length, at least one unit long."""
    columns = [_counts(values, name) for name, values in named.items()]
    lengths = {name: len(column) for name, column in zip(named, columns, strict=True)}
    if len(set(lengths.values())) > 1:
        spelled = ", ".join(f"{name} has {length}" for name, length in lengths.items())
        raise SegregationError(f"the sequences must have one length per unit, but {spelled}")
    if not columns[0]:
        raise SegregationError("there are no units to compute the index over")
    return columns


def _group_total(counts: list[float], name: str) -> float:
    total = math.fsum(counts)
    if total == 0:
        raise SegregationError(f"group {name} is empty (all counts are 0); the index needs at least one member")
    return total


def _check_within(part: list[float], part_name: str, total: list[float], total_name: str) -> None:
    for i, (count, unit_total) in enumerate(zip(part, total, strict=True)):
        if unit_total < count:
            raise SegregationError(
                f"{total_name}[{i}] = {unit_total:g} is below {part_name}[{i}] = {count:g}; "
                "a unit total must include every group"
            )


def _entropy(counts: Sequence[float], total: float) -> float:
    # p ln p -> 0 as p -> 0, so an absent group adds nothing
    return -math.fsum(count / total * math.log(count / total) for count in counts if count > 0)


def dissimilarity(a: Iterable[float], b: Iterable[float]) -> float:
    """Duncan's dissimilarity index D of groups a and b over the units, in [0, 1]."""
    a_counts, b_counts = _columns(a=a, b=b)
    a_total, b_total = _group_total(a_counts, "a"), _group_total(b_counts, "b")
    # Cross-multiplied (|a_i B - b_i A| / 2AB) so whole counts give an exact sum: complete segregation is exactly 1
    gap = math.fsum(abs(x * b_total - y * a_total) for x, y in zip(a_counts, b_counts, strict=True))
    # fractional counts can round a hair past 1; D itself never exceeds it
    return min(1.0, gap / (2 * a_total * b_total))


def isolation(a: Iterable[float], t: Iterable[float]) -> float:
    """Isolation index xPx: the share of group a among the unit-mates of the average member of a."""
    a_counts, totals = _columns(a=a, t=t)
    _check_within(a_counts, "a", totals, "t")
    a_total = _group_total(a_counts, "a")
    return math.fsum(x / a_total * (x / total) for x, total in zip(a_counts, totals, strict=True) if total > 0)


def exposure(a: Iterable[float], b: Iterable[float], t: Iterable[float]) -> float:
    """Exposure index xPy: the share of group b among the unit-mates of the average member of a."""
    a_counts, b_counts, totals = _columns(a=a, b=b, t=t)
    _check_within(a_counts, "a", totals, "t")
    _check_within(b_counts, "b", totals, "t")
    a_total = _group_total(a_counts, "a")
    return math.fsum(
        x / a_total * (y / total) for x, y, total in zip(a_counts, b_counts, totals, strict=True) if total > 0
    )


def theil_h(counts: Iterable[Iterable[float]]) -> float:
    """Multigroup information theory index H of a units x groups table of counts, in [0, 1]."""
    rows = [_counts(row, f"counts[{i}]") for i, row in enumerate(counts)]
    if not rows:
        raise SegregationError("there are no units to compute the index over")
    width = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != width:
            raise SegregationError(f"counts[{i}] has {len(row)} groups but counts[0] has {width}; rows must match")
    if width < 2:
        raise SegregationError(f"counts has {width} group(s); segregation needs at least 2 groups")
    group_totals = [math.fsum(column) for column in zip(*rows, strict=True)]
    grand_total = math.fsum(group_totals)
    if grand_total == 0:
        raise SegregationError("all counts are 0; there is no one to compute the index over")
    entropy = _entropy(group_totals, grand_total)
    if entropy == 0:
        raise SegregationError("only one group is present in the whole population; H is undefined")
    # Written as t_i (1 - E_i / E) so a one-group unit weighs exactly t_i and a unit with the overall mix exactly 0
    lost = math.fsum(
        unit_total * (1 - _entropy(row, unit_total) / entropy) for row in rows if (unit_total := math.fsum(row)) > 0
    )
    # rounding can leave H a hair outside [0, 1] (units more diverse than the whole offset the rest); H never is
    return min(1.0, max(0.0, lost / grand_total))
