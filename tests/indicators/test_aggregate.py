"""Roll-ups over areas and breakdown groups by the aggregation rule, worked by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.aggregate import Member, Rollup, rollup, weighted_mean


def test_ratio_is_recomputed_from_the_counts():
    # Town A: 30 of 60 pupils (50%); town B: 10 of 40 (25%).
    # Region: (30 + 10) / (60 + 40) = 40 / 100 = 40%, NOT the mean of 50% and 25% = 37.5%:
    # the mean of percentages would give the 40 pupils of B as much weight as the 60 of A.
    towns = {
        "A": Member(value=50.0, numerator=30, denominator=60),
        "B": Member(value=25.0, numerator=10, denominator=40),
    }
    region = rollup(towns, "ratio", scale=100)
    assert region == Rollup(value=40.0, numerator=40.0, denominator=100.0, members=2, missing=(), complete=True)
    assert region.value != (50.0 + 25.0) / 2


def test_ratio_per_1000():
    # 1 of 100 and 2 of 150 children: 3 / 250 * 1000 = 12 per 1000.
    towns = {"A": Member(numerator=1, denominator=100), "B": Member(numerator=2, denominator=150)}
    assert rollup(towns, "ratio", scale=1000).value == pytest.approx(12.0)


def test_ratio_without_scale_is_a_fraction():
    assert rollup({"A": Member(numerator=1, denominator=4)}, "ratio").value == 0.25


def test_sum_adds_counts():
    # 120 + 80 + 35 = 235 children on a waiting list.
    towns = {"A": Member(value=120), "B": Member(value=80), "C": Member(value=35)}
    assert rollup(towns, "sum") == Rollup(
        value=235.0, numerator=None, denominator=None, members=3, missing=(), complete=True
    )


def test_weighted_mean_weights_by_the_denominator():
    # Mean test score 530 over 100 pupils and 540 over 300 pupils:
    # (530 * 100 + 540 * 300) / (100 + 300) = (53000 + 162000) / 400 = 215000 / 400 = 537.5 (not 535).
    schools = {"A": Member(value=530, denominator=100), "B": Member(value=540, denominator=300)}
    region = rollup(schools, "weighted_mean")
    assert region.value == pytest.approx(537.5)
    assert (region.numerator, region.denominator, region.members, region.complete) == (None, 400.0, 2, True)


def test_weighted_mean_without_weight_is_missing():
    schools = {"A": Member(value=530, denominator=100), "B": Member(value=540)}
    region = rollup(schools, "weighted_mean")
    assert region.value == pytest.approx(530.0)
    assert (region.members, region.missing, region.complete) == (1, ("B",), False)


def test_percentage_alone_cannot_be_weighted():
    # B reported 25% but not its counts: the region is A's 30 / 60 alone, flagged as partial.
    towns = {"A": Member(value=50.0, numerator=30, denominator=60), "B": Member(value=25.0)}
    region = rollup(towns, "ratio", scale=100)
    assert region == Rollup(value=50.0, numerator=30.0, denominator=60.0, members=1, missing=("B",), complete=False)


def test_partial_sum_is_flagged_not_silently_smaller():
    towns = {"C": Member(value=35), "A": Member(value=120), "B": None, "D": Member()}
    region = rollup(towns, "sum")
    assert region.value == 155.0  # over the towns that reported
    assert region.missing == ("B", "D")  # sorted
    assert region.members == 2
    assert region.complete is False


def test_expected_members_that_are_absent_are_missing():
    towns = {"A": Member(value=120), "B": Member(value=80)}
    region = rollup(towns, "sum", expected=["C", "A", "B", "E"])
    assert region.value == 200.0
    assert region.missing == ("C", "E")
    assert region.complete is False


def test_only_expected_members_are_rolled_up():
    # The region is A and B; a neighbouring town passed along does not belong to it.
    towns = {"A": Member(value=120), "B": Member(value=80), "Z": Member(value=1000)}
    region = rollup(towns, "sum", expected=("A", "B"))
    assert (region.value, region.members, region.complete) == (200.0, 2, True)


def test_no_usable_member_has_no_value():
    assert rollup({}, "sum") == Rollup(
        value=None, numerator=None, denominator=None, members=0, missing=(), complete=True
    )
    empty = rollup({"A": None, "B": Member(value=3.0)}, "ratio", scale=100)
    assert (empty.value, empty.numerator, empty.denominator, empty.members) == (None, None, None, 0)
    assert empty.missing == ("A", "B")
    assert rollup({}, "sum", expected=["A"]).missing == ("A",)


def test_ratio_with_zero_total_denominator_has_no_value():
    region = rollup({"A": Member(numerator=0, denominator=0), "B": Member(numerator=0, denominator=0)}, "ratio")
    assert region.value is None
    assert (region.numerator, region.denominator, region.members, region.complete) == (0.0, 0.0, 2, True)


def test_zero_denominator_member_still_counts():
    # A town with no pupils in the cohort contributes nothing, and is not missing.
    region = rollup(
        {"A": Member(numerator=3, denominator=12), "B": Member(numerator=0, denominator=0)}, "ratio", scale=100
    )
    assert (region.value, region.complete) == (25.0, True)


def test_nan_is_missing():
    region = rollup({"A": Member(value=math.nan), "B": Member(value=4.0)}, "sum")
    assert (region.value, region.missing) == (4.0, ("A",))


def test_rule_none_cannot_be_aggregated():
    with pytest.raises(ValueError, match="cannot be aggregated"):
        rollup({"A": Member(value=0.3)}, "none")


def test_unknown_rule_is_an_error():
    with pytest.raises(ValueError, match="unknown aggregation rule"):
        rollup({"A": Member(value=0.3)}, "mean")


def test_weighted_mean_helper():
    # (10 * 1 + 20 * 3) / (1 + 3) = 70 / 4 = 17.5; the pair with no value is left out.
    assert weighted_mean([10, 20, None], [1, 3, 5]) == pytest.approx(17.5)
    assert weighted_mean([10, 20], [None, 2]) == pytest.approx(20.0)
    assert weighted_mean([10, 20], [0, 0]) is None
    assert weighted_mean([], []) is None
    with pytest.raises(ValueError, match="weights"):
        weighted_mean([1, 2], [1])
    with pytest.raises(ValueError, match="negative"):
        weighted_mean([1, 2], [1, -1])


def test_rollup_feeds_the_next_level():
    north = rollup({"A": Member(numerator=30, denominator=60)}, "ratio", scale=100)
    south = rollup({"B": Member(numerator=10, denominator=40)}, "ratio", scale=100)
    assert north.as_member() == Member(value=50.0, numerator=30.0, denominator=60.0)
    region = rollup({"north": north.as_member(), "south": south.as_member()}, "ratio", scale=100)
    assert region.value == 40.0


counts = st.integers(min_value=1, max_value=10_000).flatmap(
    lambda d: st.tuples(st.integers(min_value=0, max_value=d), st.just(d))
)


@given(st.lists(counts, min_size=1, max_size=20))
def test_rollup_of_rates_is_the_rate_of_the_summed_counts(pairs):
    members = {f"town{i}": Member(value=100 * n / d, numerator=n, denominator=d) for i, (n, d) in enumerate(pairs)}
    total_n, total_d = sum(n for n, _ in pairs), sum(d for _, d in pairs)
    region = rollup(members, "ratio", scale=100)
    assert region.value == pytest.approx(100 * total_n / total_d)
    assert (region.numerator, region.denominator) == (total_n, total_d)
    # Weighting each town's rate by its denominator gives the same number.
    weighted = rollup(members, "weighted_mean")
    assert weighted.value == pytest.approx(region.value)
    assert 0 <= region.value <= 100


@given(st.lists(counts, min_size=2, max_size=20), st.data())
def test_two_stage_rollup_equals_rolling_up_at_once(pairs, data):
    split = data.draw(st.integers(min_value=1, max_value=len(pairs) - 1))
    towns = {f"town{i}": Member(value=float(n), numerator=n, denominator=d) for i, (n, d) in enumerate(pairs)}
    names = list(towns)
    for rule, scale in (("sum", 1.0), ("ratio", 100.0)):
        at_once = rollup(towns, rule, scale=scale)
        north = rollup(towns, rule, expected=names[:split], scale=scale)
        south = rollup(towns, rule, expected=names[split:], scale=scale)
        staged = rollup({"north": north.as_member(), "south": south.as_member()}, rule, scale=scale)
        assert staged.value == pytest.approx(at_once.value)
        assert (staged.numerator, staged.denominator) == (at_once.numerator, at_once.denominator)
        assert staged.complete and at_once.complete
