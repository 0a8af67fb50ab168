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
this exactly, and sparsely enough for a national roll-out (thousands of hidden
cells tied together by the country's totals): fraction-free elimination over the
integers to row echelon form, pivots chosen so that rows stay short (the shortest
row first); then one random vector of the solution space (free columns random,
the rest by back-substitution, modulo a large prime). A cell on which that vector
is nonzero can take other values; the few on which it is zero are derivable or,
by a chance of about 2**-61 each, unlucky: reducing their unit vector by the
echelon rows settles which, and gives the relations that determine the cell.

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

import heapq
import math
import random
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
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


# One equation: column index -> coefficient (zeros are not stored), and the combination of
# relations (index -> multiplier) it came from. Integers throughout the elimination
# (fraction-free, rows kept divided by their gcd): exact like fractions, several times faster.
_Row = dict[int, int]
# Arithmetic of the random null-space vector: modulo a prime far above any coefficient.
_PRIME = (1 << 61) - 1


def _terms(constraint: Constraint[K]) -> tuple[tuple[K, int], ...]:
    """Each cell of a relation once with its net coefficient (+1 the total, -1 each member), zeros left out."""
    members = set(constraint.members)
    if len(members) == len(constraint.members) and constraint.total not in members:
        return ((constraint.total, 1), *((m, -1) for m in constraint.members))
    net: dict[K, int] = {}
    for cell, sign in ((constraint.total, 1), *((m, -1) for m in constraint.members)):
        net[cell] = net.get(cell, 0) + sign
    return tuple((cell, v) for cell, v in net.items() if v)


def _determining(
    hidden: set[K], terms: Sequence[tuple[tuple[K, int], ...]], relations: Iterable[int] | None = None
) -> dict[K, _Row]:
    """Each derivable hidden cell with the combination of relations (index -> multiplier) that determines it.

    ``relations``: the indexes of the relations that hold a hidden cell, when known (the others add nothing).
    """
    index: dict[K, int] = {}
    rows: list[tuple[_Row, _Row]] = []
    for i in range(len(terms)) if relations is None else relations:
        # Published cells are constants: they move to the right-hand side, which
        # does not matter for whether a hidden value is determined.
        row = {index.setdefault(cell, len(index)): v for cell, v in terms[i] if cell in hidden}
        if row:
            rows.append((row, {i: 1}))
    columns = list(index)
    found: dict[K, _Row] = {}
    # Rows that share no hidden column never meet in the elimination: each connected group
    # on its own (a large alliance's tables fall apart into many small groups).
    for group in _connected(rows):
        echelon = _echelon(group)
        by_pivot = {pivot: (step, row, combo) for step, (pivot, row, combo) in enumerate(echelon)}
        for column in _candidates(echelon):
            combo = _combination(by_pivot, column)
            if combo is not None:
                found[columns[column]] = combo
    return found


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


def _echelon(rows: list[tuple[_Row, _Row]]) -> list[tuple[int, _Row, _Row]]:
    """Row echelon form: (pivot column, row, combination) in pivot order.

    Each row holds its pivot and columns pivoted later or never (the free columns).
    Pivots in the Markowitz manner, the shortest row first and in it the column in
    fewest other rows: the tables' rows stay sparse (a full reduction, or pivots in a
    fixed column order, fills them in and costs minutes at national scale).
    """
    pending = list(rows)
    holding: dict[int, set[int]] = {}
    for r, (row, _) in enumerate(pending):
        for j in row:
            holding.setdefault(j, set()).add(r)
    queue = [(len(row), r) for r, (row, _) in enumerate(pending)]
    heapq.heapify(queue)
    done = set()
    echelon: list[tuple[int, _Row, _Row]] = []
    while queue:
        length, r = heapq.heappop(queue)
        row, combo = pending[r]
        if r in done or length != len(row):
            continue  # taken already, or changed since it was queued
        done.add(r)
        if not row:
            continue  # a dependent relation: it tells nothing more
        for j in row:
            holding[j].discard(r)
        column = min(row, key=lambda j: (len(holding[j]), j))
        for other in sorted(holding[column]):
            _subtract(pending[other], other, row, combo, column, holding)
            heapq.heappush(queue, (len(pending[other][0]), other))
        echelon.append((column, row, combo))
    return echelon


def _subtract(
    target: tuple[_Row, _Row], r: int, row: _Row, combo: _Row, column: int, holding: dict[int, set[int]]
) -> None:
    """Clear ``column`` from row ``r`` (``target``) in place: target * a - row * b in integers; ``holding`` follows."""
    other, other_combo = target
    pivot, factor = row[column], other[column]
    if factor % pivot == 0:
        a, b = 1, factor // pivot
    else:
        common = math.gcd(pivot, factor)
        a, b = pivot // common, factor // common
        for entries in target:
            for k in entries:
                entries[k] *= a
    for j, v in row.items():
        updated = other.get(j, 0) - b * v
        if updated:
            if j not in other:
                holding[j].add(r)
            other[j] = updated
        else:
            del other[j]
            holding[j].discard(r)
    for k, v in combo.items():
        updated = other_combo.get(k, 0) - b * v
        if updated:
            other_combo[k] = updated
        else:
            del other_combo[k]
    if a != 1 and (divisor := math.gcd(*other.values(), *other_combo.values())) > 1:
        for entries in target:
            for k in entries:
                entries[k] //= divisor


def _candidates(echelon: list[tuple[int, _Row, _Row]]) -> list[int]:
    """The pivot columns where a random vector of the null space is zero: every derivable one, maybe a few more.

    Free columns take random values, pivot columns follow by back-substitution, modulo
    a large prime: the rational solution reduced, so a nonzero value is nonzero in
    truth, and that cell can take other values (it is not derivable). A value that is
    zero may be so by chance (about one in 2**61): ``_combination`` settles those.
    """
    if any(row[column] % _PRIME == 0 for column, row, _ in echelon):
        return [column for column, _, _ in echelon]  # no inverse of a pivot: let ``_combination`` settle each
    rng = random.Random(len(echelon))  # the same answer every time for the same tables
    vector: dict[int, int] = {}
    for column, row, _ in reversed(echelon):
        total = 0
        for j, v in row.items():
            if j != column:
                if j not in vector:
                    vector[j] = rng.randrange(1, 1 << 60)  # a free column
                total += v * vector[j]
        vector[column] = -total * pow(row[column], -1, _PRIME) % _PRIME
    return [column for column, _, _ in echelon if vector[column] == 0]


def _combination(echelon: dict[int, tuple[int, _Row, _Row]], column: int) -> _Row | None:
    """The relations (index -> multiplier) that sum to the column's cell alone; None when none do.

    ``echelon``: pivot column -> (step, row, combination). The unit vector is reduced by
    the rows in pivot order; what is left over (in free columns) means it is not in their span.
    """
    rest: dict[int, Fraction] = {column: Fraction(1)}
    result: dict[int, Fraction] = {}
    while pivots := [j for j in rest if j in echelon]:
        j = min(pivots, key=lambda k: echelon[k][0])
        _, row, combo = echelon[j]
        factor = rest[j] / row[j]
        for target, source, sign in ((rest, row, -1), (result, combo, 1)):
            for k, v in source.items():
                updated = target.get(k, 0) + sign * factor * v
                if updated:
                    target[k] = updated
                else:
                    target.pop(k, None)
    if rest:
        return None
    scale = math.lcm(*(v.denominator for v in result.values()))
    return {k: int(v * scale) for k, v in result.items()}


def derivable(hidden: Collection[K], constraints: Sequence[Constraint[K]]) -> set[K]:
    """The hidden cells whose value is determined by the published cells and the constraints."""
    return set(_determining(set(hidden), [_terms(c) for c in constraints]))


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
        self.terms = [_terms(c) for c in constraints]
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
            for cell, coefficient in self.terms[i]:
                net[cell] = net.get(cell, 0) + coefficient * multiplier
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
    while found := _determining(search.hidden, search.terms, [i for i, n in enumerate(search.count) if n]):
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
