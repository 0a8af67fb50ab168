"""Primary suppression of small counts and of rates over small populations."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import suppression
from indicators.suppression import Constraint, derivable, holds, needs_suppression, secondary_suppression


def test_counts_below_the_threshold_are_suppressed_but_zero_is_not():
    assert needs_suppression(value=4, denominator=None, is_rate=False, threshold=5)
    assert not needs_suppression(value=5, denominator=None, is_rate=False, threshold=5)
    assert not needs_suppression(value=0, denominator=None, is_rate=False, threshold=5)


def test_rates_over_a_small_denominator_are_suppressed():
    assert needs_suppression(value=50.0, denominator=8, is_rate=True, threshold=10)
    assert not needs_suppression(value=50.0, denominator=10, is_rate=True, threshold=10)
    assert not needs_suppression(value=50.0, denominator=None, is_rate=True, threshold=10)


def test_threshold_zero_suppresses_nothing():
    assert not needs_suppression(value=1, denominator=None, is_rate=False, threshold=0)


# --- secondary suppression --------------------------------------------------------------------------------------------

SES = ("low", "mid", "high")


def _ses_row(total, low, mid, high):
    values = {"total": total, "low": low, "mid": mid, "high": high}
    return values, [Constraint("total", SES)]


def _grid():
    """Three areas by three SES groups, with area totals, group totals over the region and a grand total.

    area   low  mid  high | total
    A        2    7     9 |    18
    B        8    6    12 |    26
    C       10   15     5 |    30
    all     20   28    26 |    74
    """
    rows = {"A": (2, 7, 9), "B": (8, 6, 12), "C": (10, 15, 5)}
    values = {(area, group): n for area, counts in rows.items() for group, n in zip(SES, counts, strict=True)}
    for area in rows:
        values[(area, "total")] = sum(values[(area, g)] for g in SES)
    for group in (*SES, "total"):
        values[("all", group)] = sum(values[(area, group)] for area in rows)
    constraints = [Constraint((area, "total"), tuple((area, g) for g in SES)) for area in (*rows, "all")]
    constraints += [Constraint(("all", g), tuple((area, g) for area in rows)) for g in (*SES, "total")]
    return values, constraints


def test_one_hidden_member_is_recovered_by_subtraction():
    # total 10 = low + 4 + 3, so low = 10 - 4 - 3 = 3 whatever we hide it behind
    _, constraints = _ses_row(10, 3, 4, 3)
    assert derivable({"low"}, constraints) == {"low"}
    # two hidden members: low + high = 10 - 4 = 6 has many solutions
    assert derivable({"low", "high"}, constraints) == set()


def test_secondary_suppression_hides_the_smallest_other_member():
    # low is primary-suppressed; the published members are mid = 4 and high = 3, so high (the smaller) goes too,
    # leaving low + high = 6 undetermined; the total stays published
    values, constraints = _ses_row(10, 3, 4, 3)
    hidden = secondary_suppression(values, constraints, {"low"})
    assert hidden == {"low", "high"}
    assert derivable(hidden, constraints) == set()


def test_equal_values_are_broken_by_repr():
    # mid and high are both 4: repr("high") < repr("mid"), so high is hidden
    values, constraints = _ses_row(10, 2, 4, 4)
    assert secondary_suppression(values, constraints, ["low"]) == {"low", "high"}


def test_the_total_is_hidden_only_when_every_member_is():
    # a single-member relation: region = town; hiding town leaves only the total to hide
    constraints = [Constraint("region", ("town",))]
    assert secondary_suppression({"region": 3, "town": 3}, constraints, {"town"}) == {"region", "town"}


def test_a_hidden_cell_in_a_two_way_table_needs_a_rectangle():
    # (A, low) is hidden. Row A and column low each have one hidden cell, a tie won by the first relation, row A:
    # its cheapest published member is (A, mid) = 7. Now column low and column mid each have one hidden cell; column
    # low comes first: hide (B, low) = 8 (less than (C, low) = 10). Now (B, low) is alone in row B: hide (B, mid) = 6
    # (less than 12). The four corners A/B x low/mid give four equations of rank three in four unknowns: adding any
    # amount to (A, low) and (B, mid) and taking it from (A, mid) and (B, low) keeps every total, so none is known.
    values, constraints = _grid()
    hidden = secondary_suppression(values, constraints, {("A", "low")})
    assert hidden == {("A", "low"), ("A", "mid"), ("B", "low"), ("B", "mid")}
    assert derivable(hidden, constraints) == set()
    areas = {area for area, _ in hidden}
    groups = {group for _, group in hidden}
    assert {(a, g) for a in areas for g in groups} == hidden  # a rectangle


def test_a_chain_of_subtractions_is_found_even_when_no_relation_has_a_single_hidden_cell():
    # Hidden: (A, low), (A, mid), (B, low). (B, low) is alone in row B, so it is known; then (A, low) = all low -
    # (B, low) - (C, low), then (A, mid) from row A. Yet row A and column low each hold two hidden cells.
    _, constraints = _grid()
    hidden = {("A", "low"), ("A", "mid"), ("B", "low")}
    assert derivable(hidden, constraints) == hidden


def test_a_cell_in_no_relation_stays_as_it_is():
    # nothing adds up to or from "rate", so hiding it reveals nothing and it needs no company
    values, constraints = _ses_row(10, 5, 4, 1)
    values["rate"] = 2.0
    assert derivable({"rate"}, constraints) == set()
    assert secondary_suppression(values, constraints, {"rate"}) == {"rate"}


def test_values_suppressed_at_source_start_hidden():
    # low is None (suppressed by the supplier): low = 10 - 4 - 6 would give it away, so mid (4 < 6) is hidden too
    values, constraints = _ses_row(10, None, 4, 6)
    assert secondary_suppression(values, constraints, set()) == {"low", "mid"}


def test_a_cell_of_a_relation_without_a_value_is_not_published():
    # the total was never computed, so low + mid + high is unknown and the hidden low is safe on its own
    constraints = [Constraint("total", SES)]
    assert secondary_suppression({"low": 3, "mid": 4, "high": 3}, constraints, {"low"}) == {"low", "total"}


def test_nothing_hidden_means_nothing_to_do():
    values, constraints = _grid()
    assert secondary_suppression(values, constraints, set()) == set()


def test_a_cell_determined_only_through_other_relations_is_protected_there():
    # t = x + y holds x, but every cell of it is hidden. Still, with p5 = 5, p3 = 3, p2 = 2 published:
    # x = t - y = (z + p5) - (w + p3) = (w + p2 + p5) - (w + p3) = 2 + 5 - 3 = 4.
    # The relations used are t = z + p5, y = w + p3, z = w + p2, and p5, p3 and p2 all enter that combination;
    # hiding the one of least value, p2, leaves x undetermined.
    constraints = [
        Constraint("t", ("x", "y")),
        Constraint("t", ("z", "p5")),
        Constraint("y", ("w", "p3")),
        Constraint("z", ("w", "p2")),
    ]
    values = {"t": 11, "x": 4, "y": 7, "z": 6, "w": 4, "p5": 5, "p3": 3, "p2": 2}
    primary = {"t", "x", "y", "z", "w"}
    assert derivable(primary, constraints) == {"x"}
    hidden = secondary_suppression(values, constraints, primary)
    assert hidden == primary | {"p2"}
    assert derivable(hidden, constraints) == set()


def test_a_cell_forced_to_zero_by_the_relations_alone_cannot_be_protected():
    # t = a + b and t = a force b = 0 whatever the data: even with everything hidden b is known, so
    # secondary suppression hides all it can and stops instead of looping
    constraints = [Constraint("t", ("a", "b")), Constraint("t", ("a",))]
    hidden = secondary_suppression({"t": 5, "a": 5, "b": 0}, constraints, {"b"})
    assert hidden == {"t", "a", "b"}
    assert derivable(hidden, constraints) == {"b"}


def test_the_result_does_not_depend_on_the_order_of_the_hidden_cells():
    values, constraints = _grid()
    primary = [("C", "high"), ("A", "low"), ("B", "mid")]
    assert secondary_suppression(values, constraints, primary) == secondary_suppression(
        values, constraints, list(reversed(primary))
    )
    assert secondary_suppression(values, constraints, primary) == secondary_suppression(
        dict(reversed(values.items())), constraints, primary
    )


# --- property tests against an independent solver --------------------------------------------------------------------


def _another_solution(truth, constraints, hidden, cell):
    """Hidden values that satisfy every constraint with the published cells fixed and differ at ``cell``, or None.

    Independent of the module: a direction z with z[cell] = 1 and A z = 0 (A the constraint matrix on the hidden
    columns) is found by dense Gauss-Jordan on [A without cell | -A[cell]], free variables set to 0.
    """
    others = [h for h in hidden if h != cell]
    matrix = []
    for c in constraints:
        coefficient = {h: Fraction(0) for h in hidden}
        if c.total in coefficient:
            coefficient[c.total] += 1
        for m in c.members:
            if m in coefficient:
                coefficient[m] -= 1
        if cell in coefficient:
            matrix.append([coefficient[h] for h in others] + [-coefficient[cell]])
    pivots = []
    r = 0
    for col in range(len(others)):
        pivot = next((i for i in range(r, len(matrix)) if matrix[i][col] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        matrix[r] = [v / matrix[r][col] for v in matrix[r]]
        for i in range(len(matrix)):
            if i != r and matrix[i][col] != 0:
                f = matrix[i][col]
                matrix[i] = [a - f * b for a, b in zip(matrix[i], matrix[r], strict=True)]
        pivots.append(col)
        r += 1
    if any(row[-1] != 0 for row in matrix[r:]):
        return None  # inconsistent: every solution has the same value at cell
    direction = {h: Fraction(0) for h in others}
    for i, col in enumerate(pivots):
        direction[others[col]] = matrix[i][-1]
    direction[cell] = Fraction(1)
    return {h: Fraction(truth[h]) + direction.get(h, 0) for h in hidden}


def _satisfied(truth, constraints, replaced):
    value = {**{k: Fraction(v) for k, v in truth.items()}, **replaced}
    return all(value[c.total] == sum(value[m] for m in c.members) for c in constraints)


@st.composite
def _tables(draw):
    """A one-way (total = groups) or two-way (areas x groups with margins) table of non-negative counts."""
    if draw(st.booleans()):
        groups = [f"g{i}" for i in range(draw(st.integers(1, 6)))]
        truth = {g: draw(st.integers(0, 20)) for g in groups}
        truth["total"] = sum(truth.values())
        constraints = [Constraint("total", tuple(groups))]
    else:
        n_rows, n_cols = draw(st.integers(1, 4)), draw(st.integers(1, 4))
        truth = {(r, c): draw(st.integers(0, 20)) for r in range(n_rows) for c in range(n_cols)}
        for r in range(n_rows):
            truth[(r, "total")] = sum(truth[(r, c)] for c in range(n_cols))
        for c in (*range(n_cols), "total"):
            truth[("all", c)] = sum(truth[(r, c)] for r in range(n_rows))
        constraints = [Constraint((r, "total"), tuple((r, c) for c in range(n_cols))) for r in (*range(n_rows), "all")]
        constraints += [Constraint(("all", c), tuple((r, c) for r in range(n_rows))) for c in (*range(n_cols), "total")]
    cells = sorted(truth, key=repr)
    hidden = draw(st.sets(st.sampled_from(cells)))
    at_source = draw(st.sets(st.sampled_from(cells), max_size=2))
    values = {k: (None if k in at_source else v) for k, v in truth.items()}
    return truth, values, constraints, hidden, at_source


@settings(max_examples=100, deadline=None)
@given(_tables())
def test_derivable_agrees_with_an_independent_solver(table):
    truth, _, constraints, hidden, _ = table
    found = derivable(hidden, constraints)
    for cell in hidden:
        other = _another_solution(truth, constraints, hidden, cell)
        if cell in found:
            assert other is None
        else:
            assert other is not None
            assert other[cell] != truth[cell]
            assert _satisfied(truth, constraints, other)


@settings(max_examples=100, deadline=None)
@given(_tables())
def test_after_secondary_suppression_no_hidden_cell_can_be_recovered(table):
    truth, values, constraints, primary, at_source = table
    hidden = secondary_suppression(values, constraints, primary)
    assert hidden >= primary | at_source
    assert derivable(hidden, constraints) == set()
    for cell in hidden:
        # two different solutions agree on every published cell: the hidden value cannot be pinned down
        other = _another_solution(truth, constraints, hidden, cell)
        assert other is not None
        assert other[cell] != truth[cell]
        assert _satisfied(truth, constraints, other)


def test_cells_the_reader_knows_are_never_the_ones_hidden():
    # total 10 = low 3 (hidden) + mid 1 + high 6. The cheapest protection is mid (1), but a
    # reader who reported mid knows it: high must go instead.
    values = {"total": 10, "low": 3, "mid": 1, "high": 6}
    row = [Constraint("total", ("low", "mid", "high"))]
    assert secondary_suppression(values, row, {"low"}) == {"low", "mid"}
    assert secondary_suppression(values, row, {"low"}, known={"mid"}) == {"low", "high"}
    assert derivable({"low", "high"}, row) == set()


def test_a_relation_the_data_breaks_is_left_out_and_a_roll_up_total_closes_the_pattern():
    # Town a's low group is suppressed at source (None), so the region's low roll-up leaves it out and the
    # region's own breakdown no longer adds up: 58 != 22 + 32. That relation gives nothing away; kept, it would
    # force a value no hiding can protect. a's low = a's total - a's high, so a's high (4, less than 8) is hidden;
    # then the region's high total, which sits in no other relation, is the cheapest company for it.
    towns = {"a": (8, None, 4), "b": (20, 10, 10), "c": (30, 12, 18)}
    values = {(t, g): v for t, row in towns.items() for g, v in zip(("T", "L", "H"), row, strict=True)}
    values |= {("R", "T"): 58, ("R", "L"): 22, ("R", "H"): 32}
    constraints = [Constraint((t, "T"), ((t, "L"), (t, "H"))) for t in (*towns, "R")]
    constraints += [Constraint(("R", g), tuple((t, g) for t in towns if values[(t, g)] is not None)) for g in "TLH"]
    assert not holds(constraints[3], values)
    hidden = secondary_suppression(values, constraints, set())
    assert hidden == {("a", "L"), ("a", "H"), ("R", "H")}
    assert derivable(hidden, [c for c in constraints if holds(c, values)]) == set()


@settings(max_examples=50, deadline=None)
@given(_tables())
def test_the_exact_check_of_every_pivot_finds_what_the_random_vector_finds(table):
    # When a pivot has no inverse modulo the prime, every pivot column is settled by exact reduction.
    _, _, constraints, hidden, _ = table
    found = derivable(hidden, constraints)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(suppression, "_PRIME", 1)  # every pivot is divisible by 1
        assert derivable(hidden, constraints) == found
