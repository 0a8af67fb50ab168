"""Roll-ups of one indicator over areas (a region from its towns) or breakdown groups (a total from SES groups).

The indicator's aggregation rule says how members combine:

- ``sum``: counts add up.
- ``ratio``: rates are recomputed from their counts, ``scale * sum(numerators) / sum(denominators)``
  (scale 100 for a percentage, 1000 for a rate per 1000). Never the mean of the
  members' percentages: towns with 30 of 60 (50%) and 10 of 40 (25%) make 40 of
  100 = 40%, not 37.5%. A member that reported only its percentage cannot be
  weighted and counts as missing.
- ``weighted_mean``: ``sum(value * weight) / sum(weight)``, the weight being the
  member's denominator (e.g. pupils); a member without a weight counts as missing.
- ``none``: not aggregatable (indices); asking is an error.

A roll-up is partial, flagged, not silently smaller: the value is computed over
the members with usable data, and ``missing`` names the expected members that had
none, so a region total over four of five towns is never shown as the region's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

RULES = ("sum", "ratio", "weighted_mean", "none")


@dataclass(frozen=True)
class Member:
    value: float | None = None  # None: not reported or suppressed at source
    numerator: float | None = None
    denominator: float | None = None  # for 'weighted_mean' the denominator is the weight (e.g. pupils)


@dataclass(frozen=True)
class Rollup:
    value: float | None
    numerator: float | None  # sum of numerators ('ratio'); None for other rules
    denominator: float | None  # sum of denominators ('ratio') or of weights ('weighted_mean'); None for 'sum'
    members: int  # members that went into the value
    missing: tuple[str, ...]  # expected members without usable data (sorted)
    complete: bool  # no member missing

    def as_member(self) -> Member:
        """This roll-up as a member of a roll-up one level up (towns -> sub-region -> region)."""
        return Member(value=self.value, numerator=self.numerator, denominator=self.denominator)


def _number(x: float | None) -> float | None:
    # NaN is how a missing cell often arrives from a spreadsheet; it must not poison a sum.
    if x is None or math.isnan(x):
        return None
    return float(x)


def _usable(member: Member | None, rule: str) -> tuple[float, float] | None:
    """The (quantity, weight) the rule needs from a member, or None when it lacks them."""
    if member is None:
        return None
    value, numerator, denominator = _number(member.value), _number(member.numerator), _number(member.denominator)
    if rule == "sum":
        return None if value is None else (value, 1.0)
    if rule == "ratio":
        return None if numerator is None or denominator is None else (numerator, denominator)
    return None if value is None or denominator is None else (value, denominator)


def rollup(
    members: Mapping[str, Member | None],
    rule: str,
    *,
    expected: Iterable[str] | None = None,
    scale: float = 1.0,
) -> Rollup:
    """Aggregate members by the indicator's rule, flagging expected members without usable data."""
    rule = str(rule)
    if rule == "none":
        raise ValueError("an indicator with aggregation 'none' cannot be aggregated over areas or groups")
    if rule not in RULES:
        raise ValueError(f"unknown aggregation rule '{rule}'; expected one of {', '.join(RULES)}")
    # The expected members define the aggregate: others passed along are not part of it.
    keys = set(members) if expected is None else set(expected)
    usable: dict[str, tuple[float, float]] = {}
    for key in keys:
        found = _usable(members.get(key), rule)
        if found is not None:
            usable[key] = found
    missing = tuple(sorted(keys - usable.keys()))
    numerator = denominator = value = None
    if usable:
        if rule == "sum":
            value = math.fsum(quantity for quantity, _ in usable.values())
        elif rule == "ratio":
            numerator = math.fsum(n for n, _ in usable.values())
            denominator = math.fsum(d for _, d in usable.values())
            value = scale * numerator / denominator if denominator != 0 else None
        else:
            value = weighted_mean([v for v, _ in usable.values()], [w for _, w in usable.values()])
            denominator = math.fsum(w for _, w in usable.values())
    return Rollup(
        value=value,
        numerator=numerator,
        denominator=denominator,
        members=len(usable),
        missing=missing,
        complete=not missing,
    )


def weighted_mean(values: Sequence[float | None], weights: Sequence[float | None]) -> float | None:
    """Mean of the values weighted by the weights, over pairs with both; None when the weights sum to 0."""
    if len(values) != len(weights):
        raise ValueError(f"{len(values)} values but {len(weights)} weights")
    pairs: list[tuple[float, float]] = []
    for raw_value, raw_weight in zip(values, weights, strict=True):
        value, weight = _number(raw_value), _number(raw_weight)
        if value is not None and weight is not None:
            pairs.append((value, weight))
    if any(w < 0 for _, w in pairs):
        raise ValueError("weights cannot be negative")
    total = math.fsum(w for _, w in pairs)
    if total == 0:
        return None
    return math.fsum(v * w for v, w in pairs) / total
