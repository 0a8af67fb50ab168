"""Small-cell suppression: counts and rates that could identify a few people are hidden.

Primary suppression hides a count between 1 and ``threshold - 1`` (zero is
published: it says no one, which is the information the steering group needs),
and a rate whose denominator is below ``threshold``.

Secondary suppression protects the cells that primary suppression hid. Published
tables are additive: a total is the sum of its members (total = low + middle +
high; region = town1 + ... + town9), and one cell may sit in several relations
(the rows and the columns of a two-way table). When exactly one cell of a
relation is hidden, subtraction recovers it; with several relations, a chain of
subtractions may. So each relation is a linear equation ``total - sum(members) = 0``
in which the published cells are known constants and the hidden cells are the
unknowns. A hidden cell is *derivable* when it has the same value in every
solution of that system, which is exactly when its unit vector lies in the row
space of the equations restricted to the hidden columns. ``derivable`` decides
this exactly: fraction-free Gauss-Jordan elimination over the integers to reduced
row echelon form; a cell is derivable when some reduced row has its only nonzero
entry in the cell's column.

``secondary_suppression`` then hides more cells, in rounds that protect every
derivable cell at once, until no hidden cell is derivable. For a derivable cell
it takes, among the relations holding it, the one
with the fewest hidden cells (the one closest to giving a cell away) and hides
its published member of least value (the least information lost), or its total
when every member is hidden already. This greedy choice is safe but not always
minimal: an optimal pattern is an integer programme, not worth it at this size.

Limitation: relations that force a cell regardless of the data (``t = a`` and
``t = a + b`` together force ``b = 0``) leave that cell derivable even when every
cell is hidden; secondary suppression stops there rather than loop, and the
forced value is always zero, which primary suppression publishes anyway. The
method protects against exact recovery only, not against narrow bounds (a
hidden count known to lie between 0 and 2, say, because counts are non-negative).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


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


@dataclass(frozen=True)
class Constraint:
    """total = sum(members): the cells of one additive relation."""

    total: Hashable
    members: tuple[Hashable, ...]


def _cells(constraint: Constraint) -> tuple[Hashable, ...]:
    """The total and the members of a constraint, each once, in that order."""
    return tuple(dict.fromkeys((constraint.total, *constraint.members)))


# One reduced equation: column index -> coefficient (zeros are not stored), and,
# when asked for, the combination of constraints (index -> multiplier) it came from.
# Integers throughout (fraction-free elimination, rows kept divided by their gcd):
# exact like fractions, several times faster.
_Row = dict[int, int]


def _normalised(row: _Row, combo: _Row) -> tuple[_Row, _Row]:
    divisor = math.gcd(*row.values(), *combo.values())
    if divisor > 1:
        row = {k: v // divisor for k, v in row.items()}
        combo = {k: v // divisor for k, v in combo.items()}
    return row, combo


def _reduce(
    hidden: set[Hashable], constraints: Sequence[Constraint], *, track: bool = False
) -> tuple[list[Hashable], list[tuple[_Row, _Row]]]:
    """The hidden columns and the reduced row echelon form (up to row scaling) restricted to them."""
    # Sorted by repr so the elimination, and with it every later choice, is deterministic.
    columns = sorted({cell for c in constraints for cell in _cells(c) if cell in hidden}, key=repr)
    index = {cell: j for j, cell in enumerate(columns)}
    rows: list[tuple[_Row, _Row]] = []
    for i, constraint in enumerate(constraints):
        row: _Row = {}
        # Published cells are constants: they move to the right-hand side, which
        # does not matter for whether a hidden value is determined.
        for cell, sign in ((constraint.total, 1), *((m, -1) for m in constraint.members)):
            j = index.get(cell)
            if j is not None:
                row[j] = row.get(j, 0) + sign
        row = {j: v for j, v in row.items() if v}
        if row:
            rows.append((row, {i: 1} if track else {}))

    reduced: list[tuple[_Row, _Row]] = []
    pending = rows
    for j in range(len(columns)):
        pick = next((k for k, (row, _) in enumerate(pending) if j in row), None)
        if pick is None:
            continue  # a free column: no pivot here
        row, combo = pending.pop(pick)
        pivot = row[j]
        # Clear column j from every other row, above and below, so the form is fully reduced:
        # other := pivot * other - factor * row, which keeps every entry an integer.
        for position, (other, other_combo) in enumerate(reduced):
            if j in other:
                reduced[position] = _eliminate(other, other_combo, row, combo, j, pivot)
        for position, (other, other_combo) in enumerate(pending):
            if j in other:
                pending[position] = _eliminate(other, other_combo, row, combo, j, pivot)
        reduced.append(_normalised(row, combo))
    return columns, reduced


def _eliminate(other: _Row, other_combo: _Row, row: _Row, combo: _Row, j: int, pivot: int) -> tuple[_Row, _Row]:
    factor = other[j]
    result = []
    for target, source in ((other, row), (other_combo, combo)):
        merged = {k: v * pivot for k, v in target.items()}
        for k, v in source.items():
            updated = merged.get(k, 0) - factor * v
            if updated:
                merged[k] = updated
            else:
                merged.pop(k, None)
        result.append(merged)
    return _normalised(result[0], result[1])


def derivable(hidden: Collection[K], constraints: Sequence[Constraint]) -> set[K]:
    """The hidden cells whose value is determined by the published cells and the constraints."""
    columns, reduced = _reduce(set(hidden), constraints)
    return {columns[next(iter(row))] for row, _ in reduced if len(row) == 1}


def _cheapest(
    constraint: Constraint, unavailable: set[Hashable], values: Mapping[K, float | None]
) -> Hashable | None:
    """The published cell of a constraint whose hiding loses least: a member of least value, else the total."""
    members = [m for m in constraint.members if m not in unavailable and m != constraint.total]
    if members:
        return min(members, key=lambda m: (values.get(m) or 0, repr(m)))
    return None if constraint.total in unavailable else constraint.total


def _next_to_hide(
    found: set[Hashable],
    hidden: set[Hashable],
    values: Mapping[K, float | None],
    constraints: Sequence[Constraint],
    known: frozenset[Hashable] = frozenset(),
) -> Hashable | None:
    """One more cell to hide so that some derivable cell may stop being derivable; None when none helps."""

    def weakest(options: Iterable[int]) -> Hashable | None:
        # The relation with the fewest hidden cells is the one closest to giving a cell away
        # (with one hidden cell, plain subtraction); ties go to the relation given first.
        ranked = sorted((sum(c in hidden for c in _cells(constraints[i])), i) for i in set(options))
        for _, i in ranked:
            cell = _cheapest(constraints[i], hidden | known, values)
            if cell is not None:
                return cell
        return None

    # Weakest over the relations of all derivable cells at once, not of one cell only: a cell
    # that is known only through a chain of subtractions is best protected at the chain's
    # start, where some relation has a single hidden cell.
    choice = weakest(i for i, c in enumerate(constraints) if not found.isdisjoint(_cells(c)))
    if choice is not None:
        return choice
    # Every relation containing a derivable cell is fully hidden, yet the cell is
    # determined through other relations: follow the combination of relations
    # that determines it and open one of those.
    columns, reduced = _reduce(hidden, constraints, track=True)
    pivots = {columns[next(iter(row))]: combo for row, combo in reduced if len(row) == 1}
    # None when only relations with nothing published determine them: forced zeros.
    return weakest(i for cell in found for i in pivots.get(cell, ()))  # absent: no longer derivable


def secondary_suppression(
    values: Mapping[K, float | None],
    constraints: Sequence[Constraint],
    hidden: Collection[K],
    known: Collection[K] = (),
) -> set[K]:
    """Hide more cells until no hidden cell is derivable; returns all hidden cells (a superset of ``hidden``).

    ``known`` cells are never hidden: the reader knows them anyway (a member sees the
    values it reported), so other cells are hidden instead.
    """
    keep = frozenset(known)
    result: set[Hashable] = set(hidden)
    # None is suppressed at source, and a cell of a relation with no value at all is not published either.
    result.update(k for k, v in values.items() if v is None)
    result.update(cell for c in constraints for cell in _cells(c) if cell not in values)
    # Each round protects every derivable cell at once (an elimination per round is the cost
    # that matters); a round hides at least one more cell, so the loop ends.
    while found := derivable(result, constraints):
        added: set[Hashable] = set()
        for cell in sorted(found, key=repr):
            choice = _next_to_hide({cell}, result | added, values, constraints, keep)
            if choice is not None:
                added.add(choice)
        if not added:
            break
        result |= added
    return result  # type: ignore[return-value]
