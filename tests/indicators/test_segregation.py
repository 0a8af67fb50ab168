"""Segregation indices worked by hand, their properties, and agreement with PySAL's ``segregation`` package."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from indicators.segregation import SegregationError, dissimilarity, exposure, isolation, theil_h

# Importing PySAL's segregation switches numpy's divide/invalid warnings off for the whole process
# (np.seterr at import time); put them back so other test modules keep numpy's defaults.
_NUMPY_ERRORS = np.geterr()
from segregation.multigroup import MultiInfoTheory  # noqa: E402
from segregation.singlegroup import Dissim, Interaction, Isolation  # noqa: E402

np.seterr(**_NUMPY_ERRORS)

# The example used throughout: four schools, group a and group b, t = a + b.
A = [10, 20, 30, 5]
B = [40, 10, 5, 25]
T = [50, 30, 35, 30]

# --- hand-worked examples -------------------------------------------------------------------------------------------


def test_dissimilarity_by_hand():
    # A = 65, B = 80; |a_i/A - b_i/B| = |a_i*80 - b_i*65| / (65*80):
    # |800 - 2600| + |1600 - 650| + |2400 - 325| + |400 - 1625| = 1800 + 950 + 2075 + 1225 = 6050
    # D = 1/2 * 6050 / 5200 = 6050 / 10400 = 121/208 = 0.58173...
    assert dissimilarity(A, B) == pytest.approx(float(Fraction(121, 208)), abs=1e-15)


def test_isolation_by_hand():
    # A = 65; xPx = (1/65) * (10*10/50 + 20*20/30 + 30*30/35 + 5*5/30) = (1/65) * (2 + 40/3 + 180/7 + 5/6)
    # = (1/65) * (84 + 560 + 1080 + 35)/42 = 1759 / 2730 = 0.64432...
    assert isolation(A, T) == pytest.approx(float(Fraction(1759, 2730)), abs=1e-15)


def test_exposure_by_hand():
    # A = 65; xPy = (1/65) * (10*40/50 + 20*10/30 + 30*5/35 + 5*25/30) = (1/65) * (8 + 20/3 + 30/7 + 25/6)
    # = (1/65) * (336 + 280 + 180 + 175)/42 = 971 / 2730 = 0.35567...; with isolation 1759 + 971 = 2730
    assert exposure(A, B, T) == pytest.approx(float(Fraction(971, 2730)), abs=1e-15)


def test_exposure_with_a_third_group_and_an_empty_school():
    # t holds a third group too; school 4 is empty and drops out. A = 15:
    # xPy = (10/15)*(10/40) + (0/15)*(20/20) + (5/15)*(5/20) = 1/6 + 0 + 1/12 = 1/4
    assert exposure([10, 0, 5, 0], [10, 20, 5, 0], [40, 20, 20, 0]) == pytest.approx(0.25, abs=1e-15)


def test_theil_h_two_groups_by_hand():
    # T = 8, overall shares 1/2, 1/2: E = ln 2. Each school 3:1, E_i = -(3/4 ln 3/4 + 1/4 ln 1/4) = 2 ln 2 - 3/4 ln 3
    # H = sum_i t_i (E - E_i) / (T E) = 1 - E_i / E = 1 - 2 + 3/4 ln 3 / ln 2 = 3/4 log2(3) - 1 = 0.18872...
    assert theil_h([[3, 1], [1, 3]]) == pytest.approx(0.75 * math.log2(3) - 1, abs=1e-15)


def test_theil_h_three_groups_by_hand():
    # group totals 8, 4, 12, T = 24: p = 1/3, 1/6, 1/2, E = 1/3 ln 3 + 1/6 ln 6 + 1/2 ln 2 = 1/2 ln 3 + 2/3 ln 2
    # school 1 (8 pupils, 3/4 1/4 0):   E_1 = 2 ln 2 - 3/4 ln 3
    # school 2 (8 pupils, 1/4 1/4 1/2): E_2 = 3/2 ln 2
    # school 3 (8 pupils, one group):   E_3 = 0
    # H = 1 - sum_i t_i E_i / (T E) = 1 - (E_1 + E_2) / (3 E)
    #   = 1 - (7/2 ln 2 - 3/4 ln 3) / (2 ln 2 + 3/2 ln 3) = 0.47200...
    ln2, ln3 = math.log(2), math.log(3)
    expected = 1 - (3.5 * ln2 - 0.75 * ln3) / (2 * ln2 + 1.5 * ln3)
    assert theil_h([[6, 2, 0], [2, 2, 4], [0, 0, 8]]) == pytest.approx(expected, abs=1e-15)
    assert expected == pytest.approx(0.47200, abs=1e-5)


# --- edge cases -----------------------------------------------------------------------------------------------------


def test_complete_segregation():
    # no school holds both groups
    assert dissimilarity([10, 0, 7, 0], [0, 25, 0, 3]) == 1.0
    assert isolation([10, 0, 7, 0], [10, 25, 7, 3]) == 1.0
    assert exposure([10, 0, 7, 0], [0, 25, 0, 3], [10, 25, 7, 3]) == 0.0
    assert theil_h([[10, 0, 0], [0, 25, 0], [7, 0, 0], [0, 0, 3]]) == 1.0


def test_identical_mix_in_every_school():
    # every school one part a to three parts b: D = 0, H = 0, and xPx is the overall share A/T = 1/4
    a, b = [5, 20, 1], [15, 60, 3]
    t = [x + y for x, y in zip(a, b, strict=True)]
    assert dissimilarity(a, b) == 0.0
    assert theil_h(list(zip(a, b, strict=True))) == 0.0
    assert isolation(a, t) == pytest.approx(0.25, abs=1e-15)
    assert exposure(a, b, t) == pytest.approx(0.75, abs=1e-15)


def test_a_school_with_no_pupils_changes_nothing():
    assert dissimilarity([*A, 0], [*B, 0]) == dissimilarity(A, B)
    assert isolation([*A, 0], [*T, 0]) == isolation(A, T)
    assert exposure([*A, 0], [*B, 0], [*T, 0]) == exposure(A, B, T)
    rows = [[6, 2, 0], [2, 2, 4], [0, 0, 8]]
    assert theil_h([*rows, [0, 0, 0]]) == theil_h(rows)


def test_a_group_absent_everywhere_adds_nothing_to_theil_h():
    # p_m = 0 contributes 0 to E and E_i (PySAL returns nan here, see test_pysal_cannot_take_an_absent_group)
    rows = [[6, 2, 0], [2, 2, 4], [0, 0, 8]]
    assert theil_h([[*row, 0] for row in rows]) == theil_h(rows)


def test_a_single_school_is_not_segregated():
    assert dissimilarity([3], [7]) == 0.0
    assert theil_h([[3, 7, 1]]) == 0.0
    assert isolation([3], [10]) == pytest.approx(0.3)


def test_numpy_arrays_are_accepted():
    assert dissimilarity(np.array(A), np.array(B, dtype=np.float32)) == dissimilarity(A, B)
    assert isolation(np.array(A, dtype=np.int64), np.array(T)) == isolation(A, T)
    assert exposure(np.array(A), np.array(B), np.array(T)) == exposure(A, B, T)
    rows = [[6, 2, 0], [2, 2, 4], [0, 0, 8]]
    assert theil_h(np.array(rows)) == theil_h(rows)
    assert isinstance(theil_h(np.array(rows)), float)
    with pytest.raises(SegregationError, match=r"a\[1\] is nan"):
        dissimilarity(np.array([1.0, np.nan]), np.array([1.0, 2.0]))


def test_other_iterables_are_accepted():
    assert dissimilarity(tuple(A), iter(B)) == dissimilarity(A, B)
    assert theil_h(([6, 2], (2, 2))) == theil_h([[6, 2], [2, 2]])


# --- validation -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: dissimilarity([1, 2], [1]), r"one length per unit, but a has 2, b has 1"),
        (lambda: isolation([1, 2], [3]), r"a has 2, t has 1"),
        (lambda: exposure([1], [1], [2, 2]), r"a has 1, b has 1, t has 2"),
        (lambda: dissimilarity([], []), r"no units"),
        (lambda: isolation([], []), r"no units"),
        (lambda: exposure([], [], []), r"no units"),
        (lambda: theil_h([]), r"no units"),
        (lambda: dissimilarity([1, -2], [1, 2]), r"a\[1\] is negative \(-2\)"),
        (lambda: isolation([1, 2], [3, -1]), r"t\[1\] is negative"),
        (lambda: theil_h([[1, 2], [3, -4]]), r"counts\[1\]\[1\] is negative"),
        (lambda: dissimilarity([1, math.nan], [1, 2]), r"a\[1\] is nan"),
        (lambda: exposure([1], [math.inf], [5]), r"b\[0\] is inf"),
        (lambda: theil_h([[1, -math.inf]]), r"counts\[0\]\[1\] is -inf"),
        (lambda: dissimilarity(["ten"], [1]), r"a must be a sequence of numbers"),
        (lambda: dissimilarity(5, [1]), r"a must be a sequence of numbers"),
        (lambda: dissimilarity([0, 0], [1, 2]), r"group a is empty"),
        (lambda: dissimilarity([1, 2], [0, 0]), r"group b is empty"),
        (lambda: isolation([0, 0], [1, 2]), r"group a is empty"),
        (lambda: exposure([0, 0], [1, 2], [1, 2]), r"group a is empty"),
        (lambda: isolation([5, 1], [3, 1]), r"t\[0\] = 3 is below a\[0\] = 5"),
        (lambda: exposure([1, 5], [1, 1], [2, 4]), r"t\[1\] = 4 is below a\[1\] = 5"),
        (lambda: exposure([1, 1], [1, 5], [2, 4]), r"t\[1\] = 4 is below b\[1\] = 5"),
        (lambda: theil_h([[1, 2], [3]]), r"counts\[1\] has 1 groups but counts\[0\] has 2"),
        (lambda: theil_h([[1], [2]]), r"1 group\(s\); segregation needs at least 2 groups"),
        (lambda: theil_h([[], []]), r"0 group\(s\)"),
        (lambda: theil_h([[0, 0], [0, 0]]), r"all counts are 0"),
        (lambda: theil_h([[0, 4], [0, 1]]), r"only one group is present"),
    ],
)
def test_invalid_input_is_refused(call, message):
    with pytest.raises(SegregationError, match=message):
        call()


def test_segregation_error_is_a_value_error():
    with pytest.raises(ValueError):  # noqa: PT011 - what counts is the class, whatever the message
        dissimilarity([], [])


# --- properties -----------------------------------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None)
counts = st.integers(min_value=0, max_value=500)
pairs = st.lists(st.tuples(counts, counts), min_size=1, max_size=40)
factors = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False, allow_infinity=False)


def _split(units):
    a = [x for x, _ in units]
    b = [y for _, y in units]
    return a, b, [x + y for x, y in units]


@st.composite
def tables(draw, min_groups=2, max_groups=5):
    width = draw(st.integers(min_value=min_groups, max_value=max_groups))
    rows = draw(st.lists(st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=40))
    assume(sum(1 for column in zip(*rows, strict=True) if sum(column) > 0) >= 2)
    return rows


@PROPERTY_SETTINGS
@given(pairs)
def test_dissimilarity_is_between_0_and_1_and_symmetric(units):
    a, b, _ = _split(units)
    assume(sum(a) > 0 and sum(b) > 0)
    d = dissimilarity(a, b)
    assert 0.0 <= d <= 1.0
    assert dissimilarity(b, a) == d


@PROPERTY_SETTINGS
@given(st.lists(counts, min_size=1, max_size=40), st.integers(min_value=1, max_value=50))
def test_dissimilarity_is_0_when_every_school_has_the_same_mix(a, k):
    assume(sum(a) > 0)
    assert dissimilarity(a, [k * x for x in a]) == 0.0
    assert dissimilarity(a, [k / 7 * x for x in a]) == pytest.approx(0.0, abs=1e-12)


@PROPERTY_SETTINGS
@given(pairs)
def test_two_groups_isolation_plus_exposure_is_1(units):
    a, b, t = _split(units)
    assume(sum(a) > 0)
    assert isolation(a, t) + exposure(a, b, t) == pytest.approx(1.0, abs=1e-12)


@PROPERTY_SETTINGS
@given(pairs)
def test_isolation_is_at_least_the_overall_share(units):
    a, _, t = _split(units)
    assume(sum(a) > 0)
    xpx = isolation(a, t)
    assert sum(a) / sum(t) - 1e-12 <= xpx <= 1.0 + 1e-12


@PROPERTY_SETTINGS
@given(tables())
def test_theil_h_is_between_0_and_1(rows):
    assert 0.0 <= theil_h(rows) <= 1.0


@PROPERTY_SETTINGS
@given(
    st.lists(st.integers(min_value=0, max_value=100), min_size=2, max_size=5),
    st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=40),
)
def test_theil_h_is_0_for_proportional_rows(mix, sizes):
    assume(sum(1 for share in mix if share > 0) >= 2 and sum(sizes) > 0)
    assert theil_h([[size * share for share in mix] for size in sizes]) == 0.0


@PROPERTY_SETTINGS
@given(pairs, tables(), factors)
def test_scaling_all_counts_changes_nothing(units, rows, factor):
    a, b, t = _split(units)
    assume(sum(a) > 0 and sum(b) > 0)

    def scaled(values):
        return [factor * value for value in values]

    assert dissimilarity(scaled(a), scaled(b)) == pytest.approx(dissimilarity(a, b), abs=1e-12)
    assert isolation(scaled(a), scaled(t)) == pytest.approx(isolation(a, t), abs=1e-12)
    assert exposure(scaled(a), scaled(b), scaled(t)) == pytest.approx(exposure(a, b, t), abs=1e-12)
    assert theil_h([scaled(row) for row in rows]) == pytest.approx(theil_h(rows), abs=1e-12)


# --- agreement with PySAL -------------------------------------------------------------------------------------------


def _pysal(a, t, groups):
    """PySAL's D, xPx, xPy for group a within t, and H for the columns of groups."""
    single = pd.DataFrame({"a": a, "t": t})
    multi = pd.DataFrame({f"g{m + 1}": column for m, column in enumerate(zip(*groups, strict=True))})
    # PySAL divides 0/0 for empty schools and relies on numpy staying quiet about it
    with np.errstate(divide="ignore", invalid="ignore"):
        return (
            Dissim(single, group_pop_var="a", total_pop_var="t").statistic,
            Isolation(single, group_pop_var="a", total_pop_var="t").statistic,
            Interaction(single, group_pop_var="a", total_pop_var="t").statistic,
            MultiInfoTheory(multi, groups=list(multi.columns)).statistic,
        )


def _ours(a, t, groups):
    b = [y - x for x, y in zip(a, t, strict=True)]
    return dissimilarity(a, b), isolation(a, t), exposure(a, b, t), theil_h(groups)


def _random_schools(rng: random.Random) -> list[list[int]]:
    """Pupils per school in three groups, from well mixed to strongly segregated, some schools empty."""
    while True:
        rows = []
        for _ in range(rng.randint(2, 40)):
            if rng.random() < 0.1:
                rows.append([0, 0, 0])
                continue
            # a random mix per school, sharpened by a random power: large powers give near one-group schools
            power = rng.choice([0.5, 1, 3, 8])
            weights = [rng.random() ** power for _ in range(3)]
            size = rng.randint(0, 500)
            rows.append([round(size * weight / sum(weights)) for weight in weights])
        # PySAL returns nan when a group is absent from the whole population; D also needs someone outside group 1
        if all(sum(column) > 0 for column in zip(*rows, strict=True)):
            return rows


@pytest.mark.parametrize("seed", range(50))
def test_agrees_with_pysal_on_random_schools(seed):
    rows = _random_schools(random.Random(seed))
    a = [row[0] for row in rows]
    t = [sum(row) for row in rows]
    for ours, theirs in zip(_ours(a, t, rows), _pysal(a, t, rows), strict=True):
        assert abs(ours - theirs) <= 1e-9


# Twenty primary schools in one municipality: pupils without, with a European and with a non-European migration
# background (made-up but realistic: a few "black" and "white" schools, most mixed).
TWENTY_SCHOOLS = [
    [212, 18, 9],
    [187, 25, 31],
    [45, 22, 198],
    [301, 12, 4],
    [98, 40, 87],
    [156, 19, 23],
    [23, 11, 176],
    [264, 30, 15],
    [130, 28, 64],
    [77, 35, 141],
    [189, 14, 12],
    [0, 0, 0],  # closed this year
    [142, 21, 38],
    [58, 19, 120],
    [233, 27, 20],
    [111, 33, 52],
    [36, 9, 154],
    [175, 16, 29],
    [204, 22, 17],
    [69, 31, 96],
]


def test_agrees_with_pysal_on_twenty_schools():
    a = [row[0] for row in TWENTY_SCHOOLS]
    t = [sum(row) for row in TWENTY_SCHOOLS]
    ours, theirs = _ours(a, t, TWENTY_SCHOOLS), _pysal(a, t, TWENTY_SCHOOLS)
    for mine, pysal in zip(ours, theirs, strict=True):
        assert abs(mine - pysal) <= 1e-9
    d, xpx, xpy, h = ours
    # sanity on the magnitudes: moderately segregated, typical of Dutch primary schools
    assert 0.3 < d < 0.6
    assert xpx + xpy == pytest.approx(1.0)
    assert 0.05 < h < 0.4


def test_pysal_cannot_take_an_absent_group():
    # the one documented difference: a group with no pupils anywhere makes PySAL's H nan, ours ignores the group
    rows = [[*row, 0] for row in TWENTY_SCHOOLS]
    a = [row[0] for row in rows]
    t = [sum(row) for row in rows]
    assert math.isnan(_pysal(a, t, rows)[3])
    assert theil_h(rows) == theil_h(TWENTY_SCHOOLS)
