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
it takes, among the relations holding it, the one with the fewest hidden cells
(the one closest to giving a cell away) and hides the published cell that exposes
itself in the fewest other relations (where it would be the only hidden cell),
then the one of least value (the least information lost): so the pattern closes
on itself (a rectangle of a two-way table, a region's total) instead of running
from town to town. This greedy choice is safe but not always minimal: an optimal
pattern is an integer programme, not worth it at this size.

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
from typing import Generic, TypeVar

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
class Constraint(Generic[K]):
    """total = sum(members): the cells of one additive relation."""

    total: K
    members: tuple[K, ...]


def holds(constraint: Constraint[K], values: Mapping[K, float | None]) -> bool:
    """Whether the relation is true of the data, as far as the data is known.

    A total that is not the sum of its members (a region's total over more towns than
    its group roll-ups, a reporter's groups that leave some people out) gives nothing
    away, and kept as an equation it would force a value (the difference, as zero)
    that no hiding can protect, so the search would hide cell after cell in vain.
    """
    cells = (constraint.total, *constraint.members)
    amounts = [amount for cell in cells if (amount := values.get(cell)) is not None]
    if len(amounts) < len(cells):
        return True  # a value unknown to us: assume the relation, the safe side
    return math.isclose(amounts[0], sum(amounts[1:]), rel_tol=1e-9, abs_tol=1e-6)


def _cells(constraint: Constraint[K]) -> tuple[K, ...]:
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
    hidden: set[K], constraints: Sequence[Constraint[K]], *, track: bool = False
) -> tuple[list[K], list[tuple[_Row, _Row]]]:
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

    # Rows that share no hidden column never meet in the elimination: reduce each connected
    # group on its own (the same pivots and steps as one big pass, without scanning every row
    # for every column; a large alliance's tables fall apart into many small groups).
    reduced: list[tuple[_Row, _Row]] = []
    for group in _connected(rows):
        reduced += _gauss_jordan(group)
    return columns, reduced


def _connected(rows: list[tuple[_Row, _Row]]) -> list[list[tuple[_Row, _Row]]]:
    """The rows in groups that share hidden columns, each group in the rows' order."""
    parent: dict[int, int] = {}

    def root(j: int) -> int:
        while parent.setdefault(j, j) != j:
            parent[j] = parent[parent[j]]
            j = parent[j]
        return j

    for row, _ in rows:
        first, *others = row
        for j in others:
            parent[root(j)] = root(first)
    groups: dict[int, list[tuple[_Row, _Row]]] = {}
    for entry in rows:
        groups.setdefault(root(next(iter(entry[0]))), []).append(entry)
    return list(groups.values())


def _gauss_jordan(pending: list[tuple[_Row, _Row]]) -> list[tuple[_Row, _Row]]:
    """Fully reduced row echelon form of some rows (up to row scaling), pivots taken in column order."""
    reduced: list[tuple[_Row, _Row]] = []
    for j in sorted({j for row, _ in pending for j in row}):
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
    return reduced


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


def derivable(hidden: Collection[K], constraints: Sequence[Constraint[K]]) -> set[K]:
    """The hidden cells whose value is determined by the published cells and the constraints."""
    return set(_determining(set(hidden), constraints))


def _determining(hidden: set[K], constraints: Sequence[Constraint[K]]) -> dict[K, _Row]:
    """Each derivable hidden cell with the combination of relations (index -> multiplier) that determines it."""
    columns, reduced = _reduce(hidden, constraints, track=True)
    return {columns[next(iter(row))]: combo for row, combo in reduced if len(row) == 1}


class _Search(Generic[K]):
    """The state of secondary suppression: the hidden cells, and how many each relation holds."""

    def __init__(
        self,
        values: Mapping[K, float | None],
        constraints: Sequence[Constraint[K]],
        hidden: Iterable[K],
        known: frozenset[K],
    ) -> None:
        self.values, self.constraints, self.known = values, constraints, known
        self.holding: dict[K, list[int]] = {}
        for i, constraint in enumerate(constraints):
            for cell in _cells(constraint):
                self.holding.setdefault(cell, []).append(i)
        self.hidden: set[K] = set()
        self.count = [0] * len(constraints)
        for cell in hidden:
            self.hide(cell)

    def hide(self, cell: K) -> None:
        if cell not in self.hidden:
            self.hidden.add(cell)
            for i in self.holding.get(cell, ()):
                self.count[i] += 1

    def _cost(self, cell: K) -> tuple[int, float, str]:
        # Hiding a cell exposes it in every relation where it would be the only hidden cell
        # (plain subtraction gives it back): fewest such relations first, then the least
        # value (the least information lost).
        alone = sum(1 for i in self.holding[cell] if self.count[i] == 0)
        return alone, self.values.get(cell) or 0, repr(cell)

    def exposed(self, cell: K) -> bool:
        """Whether a relation holds the cell as its only hidden cell (plain subtraction gives it)."""
        return any(self.count[i] == 1 for i in self.holding.get(cell, ()))

    def entering(self, combo: _Row) -> set[K]:
        """The cells whose terms in a combination of relations do not cancel: those it depends on."""
        net: dict[K, int] = {}
        for i, multiplier in combo.items():
            constraint = self.constraints[i]
            for cell, sign in ((constraint.total, 1), *((m, -1) for m in constraint.members)):
                net[cell] = net.get(cell, 0) + sign * multiplier
        return {cell for cell, coefficient in net.items() if coefficient}

    def next_to_hide(self, cell: K, combo: _Row) -> K | None:
        """One more cell to hide so that a derivable cell stops being derivable this way; None when none helps.

        ``combo`` is the combination of relations that determines the cell. Hiding a cell of
        it helps only when its terms do not cancel (a town's count that enters both its own
        breakdown and its region's roll-up may cancel out).
        """
        # First the relations holding the cell, the one with the fewest hidden cells first:
        # the one closest to giving the cell away.
        for _, i in sorted((self.count[i], i) for i in set(self.holding.get(cell, ()))):
            options = [c for c in _cells(self.constraints[i]) if c not in self.hidden and c not in self.known]
            if options:
                return min(options, key=self._cost)
        # Every relation holding the cell is fully hidden, yet the cell is determined through
        # others: the cheapest cell that enters the combination. None when nothing published
        # enters it: a forced zero.
        useful = [c for c in self.entering(combo) if c not in self.hidden and c not in self.known]
        return min(useful, key=self._cost) if useful else None


def secondary_suppression(
    values: Mapping[K, float | None],
    constraints: Sequence[Constraint[K]],
    hidden: Collection[K],
    known: Collection[K] = (),
) -> set[K]:
    """Hide more cells until no hidden cell is derivable; returns all hidden cells (a superset of ``hidden``).

    ``known`` cells are never hidden: the reader knows them anyway (a member sees the
    values it reported), so other cells are hidden instead.
    """
    constraints = [c for c in constraints if holds(c, values)]
    # None is suppressed at source, and a cell of a relation with no value at all is not published either.
    unpublished = [k for k, v in values.items() if v is None]
    unpublished += [cell for c in constraints for cell in _cells(c) if cell not in values]
    search = _Search(values, constraints, [*hidden, *unpublished], frozenset(known))
    # Each round protects every derivable cell at once with one elimination (the cost that
    # matters); a round hides at least one more cell, so the loop ends.
    while found := _determining(search.hidden, constraints):
        added: set[K] = set()
        for cell in sorted(found, key=repr):
            if not search.exposed(cell) and not added.isdisjoint(search.entering(found[cell])):
                continue  # this round's hiding broke the way it was determined: look again next round
            choice = search.next_to_hide(cell, found[cell])
            if choice is not None:
                search.hide(choice)
                added.add(choice)
        if not added:
            break
    return search.hidden
