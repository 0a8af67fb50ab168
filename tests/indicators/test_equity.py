"""Equity gaps, whether they close, and StriveTogether's share of indicators improving, worked by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.equity import (
    PROOF_POINT_SHARE,
    Gap,
    GapTrend,
    ShareImproving,
    gap,
    gap_series,
    gap_trend,
    is_improving,
    share_improving,
)
from indicators.progress import Direction


def test_gap_by_hand():
    # Low SES 55.0% against high SES 86.0%: 55 - 86 = -31 points; 55 / 86 = 0.6395...
    found = gap(55.0, 86.0)
    assert found is not None
    assert found.absolute == -31.0
    assert found.ratio == pytest.approx(0.6395348837)


def test_gap_with_zero_reference_has_no_ratio():
    assert gap(5.0, 0.0) == Gap(absolute=5.0, ratio=None)
    assert gap(0.0, 0.0) == Gap(absolute=0.0, ratio=None)
    assert gap(0.0, 4.0) == Gap(absolute=-4.0, ratio=0.0)


def test_gap_with_a_missing_value_is_none():
    assert gap(None, 86.0) is None
    assert gap(55.0, None) is None
    assert gap(None, None) is None
    assert gap(math.nan, 86.0) is None


def test_gap_series_in_school_year_order():
    low = {"2022/23": 60.0, "2020/21": 55.0, "2021/22": 57.0, "2019/20": None}
    high = {"2021/22": 86.0, "2020-21": 86.0, "2022/23": 85.0, "2019/20": 84.0, "2023/24": 88.0}
    # 2019/20 has no low value and 2023/24 no low period: both left out; 2020-21 is 2020/21.
    assert gap_series(low, high, "school_year") == [
        ("2020/21", Gap(absolute=-31.0, ratio=pytest.approx(55 / 86))),
        ("2021/22", Gap(absolute=-29.0, ratio=pytest.approx(57 / 86))),
        ("2022/23", Gap(absolute=-25.0, ratio=pytest.approx(60 / 85))),
    ]


def test_gap_series_quarters_and_nothing_in_common():
    low = {"2024-Q1": 3.0, "2023-Q4": 2.0}
    high = {"2023-Q4": 1.0, "2024-Q1": 1.0}
    assert [period for period, _ in gap_series(low, high, "quarter")] == ["2023-Q4", "2024-Q1"]
    assert gap_series({"2023": 1.0}, {"2024": 1.0}, "year") == []


def test_gap_series_rejects_one_period_twice():
    with pytest.raises(ValueError, match="more than once"):
        gap_series({"2020/21": 1.0, "2020-21": 2.0}, {"2020/21": 1.0}, "school_year")


def test_gap_trend_closing():
    # Sizes 31, 29, 25 in 2020-2022: mean x 2021, mean y 85 / 3;
    # x - mean x = -1, 0, 1, so Sxy = -1 * 31 + 0 * 29 + 1 * 25 = -6 (the mean of y cancels), Sxx = 2,
    # slope -3 points a year: closing.
    gaps = [("2022/23", gap(60.0, 85.0)), ("2020/21", gap(55.0, 86.0)), ("2021/22", gap(57.0, 86.0))]
    result = gap_trend(gaps, "school_year")
    assert result.trend is not None
    assert result.trend.slope == pytest.approx(-3.0)
    assert result.closing is True


def test_gap_trend_widening():
    # Sizes 20, 22, 27: Sxy = -20 + 27 = 7, Sxx = 2, slope 3.5 a year: widening.
    gaps = [("2020", Gap(-20.0, 0.7)), ("2021", Gap(-22.0, 0.68)), ("2022", Gap(-27.0, 0.6))]
    result = gap_trend(gaps, "year")
    assert result.trend is not None
    assert result.trend.slope == pytest.approx(3.5)
    assert result.closing is False


def test_gap_trend_follows_the_size_not_the_sign():
    # -10, -6, -2: low catches up with high, so the gap closes although a - b rises.
    closing = [("2020", Gap(-10.0, None)), ("2021", Gap(-6.0, None)), ("2022", Gap(-2.0, None))]
    assert gap_trend(closing, "year").closing is True
    # -2 to +6: low overtook high and the gap opened the other way.
    reopened = [("2020", Gap(-2.0, None)), ("2021", Gap(2.0, None)), ("2022", Gap(6.0, None))]
    assert gap_trend(reopened, "year").closing is False


def test_gap_trend_steady_gap_is_not_closing():
    steady = [(f"2023-Q{q}", Gap(0.1, None)) for q in (1, 2, 3, 4)] + [("2024-Q1", Gap(-0.1, None))]
    result = gap_trend(steady, "quarter")
    assert result.trend is not None
    assert result.trend.slope == pytest.approx(0.0, abs=1e-12)
    assert result.closing is False


def test_gap_trend_uses_the_last_periods():
    # 2016-2018 widened; the last three years close by 2 a year.
    sizes = {"2016": 5.0, "2017": 10.0, "2018": 15.0, "2019": 14.0, "2020": 12.0, "2021": 10.0}
    gaps = [(year, Gap(size, None)) for year, size in sizes.items()]
    result = gap_trend(gaps, "year", last=3)
    assert result.trend is not None
    assert result.trend.slope == pytest.approx(-2.0)
    assert (result.trend.periods, result.trend.first) == (3, 2019.0)
    assert result.closing is True


def test_gap_trend_without_enough_periods():
    assert gap_trend([("2022", Gap(-3.0, 0.9))], "year") == GapTrend(trend=None, closing=None)
    assert gap_trend([], "year") == GapTrend(trend=None, closing=None)


def test_is_improving_higher_is_better():
    series = [("2019", 55.0), ("2020", 50.0), ("2021", 52.0), ("2022", 53.0)]
    # Window 3 reaches back to 2019: 53 against 55 is worse.
    assert is_improving(series, "year", Direction.higher) is False
    # Window 2 reaches back to 2020: 53 against 50 is better.
    assert is_improving(series, "year", "higher", window=2) is True


def test_is_improving_lower_is_better():
    assert is_improving([("2020", 8.0), ("2022", 6.0)], "year", "lower") is True
    assert is_improving([("2020", 6.0), ("2022", 6.0)], "year", "lower") is False  # equal is not improving
    assert is_improving([("2020", 6.0), ("2022", 7.0)], "year", "lower") is False
    assert is_improving([("2020", 6.0), ("2022", 6.0)], "year", "higher") is False


def test_is_improving_orders_school_years():
    series = [("2022/23", 70.0), ("2020/21", 60.0), ("2021/22", 75.0)]
    assert is_improving(series, "school_year", "higher") is True  # 70 (2022/23) against 60 (2020/21)


def test_is_improving_window_edges():
    # Exactly `window` years back counts, also for months whose positions are not exact in binary.
    assert is_improving([("2020-11", 5.0), ("2023-11", 6.0)], "month", "higher") is True
    assert is_improving([("2045-02", 5.0), ("2048-02", 6.0)], "month", "higher") is True  # 3.0000000000000004 apart
    assert is_improving([("2020-Q1", 5.0), ("2023-Q1", 6.0)], "quarter", "higher") is True
    # One step further back falls outside the window.
    assert is_improving([("2020-10", 5.0), ("2023-11", 6.0)], "month", "higher") is None


def test_is_improving_needs_two_values_in_the_window():
    assert is_improving([("2015", 10.0), ("2022", 12.0)], "year", "higher") is None  # 2015 is too old
    assert is_improving([("2021", None), ("2022", 12.0)], "year", "higher") is None
    assert is_improving([("2022", 12.0)], "year", "higher") is None
    assert is_improving([], "year", "higher") is None
    # None values are skipped: the earliest value in the window is 2020's.
    assert is_improving([("2019", None), ("2020", 10.0), ("2021", None), ("2022", 11.0)], "year", "higher") is True


def test_is_improving_rejects_a_negative_window():
    with pytest.raises(ValueError, match="window"):
        is_improving([("2021", 1.0), ("2022", 2.0)], "year", "higher", window=-1)


UP = [("2020", 50.0), ("2023", 55.0)]
DOWN = [("2020", 55.0), ("2023", 50.0)]


def test_share_improving_meets_the_proof_point():
    # 3 of 5 improve: 3 / 5 = 0.6, exactly the 60% StriveTogether asks.
    indicators = {
        "kindergarten_readiness": ("higher", UP, "year"),
        "reading_grade_3": ("higher", UP, "year"),
        "early_school_leavers": ("lower", DOWN, "year"),  # falling is improving
        "math_grade_8": ("higher", DOWN, "year"),
        "youth_unemployment": ("lower", UP, "year"),
        "not_assessable": ("higher", [("2023", 1.0)], "year"),  # one value: not counted
    }
    assert share_improving(indicators) == ShareImproving(improving=3, assessed=5, share=0.6, proof_point=True)


def test_share_improving_below_the_proof_point():
    # 2 of 5 improve: 0.4.
    indicators = {
        "a": ("higher", UP, "year"),
        "b": ("lower", DOWN, "year"),
        "c": ("higher", DOWN, "year"),
        "d": ("lower", UP, "year"),
        "e": ("higher", [("2020/21", 50.0), ("2023/24", 50.0)], "school_year"),  # level: not improving
    }
    assert share_improving(indicators) == ShareImproving(improving=2, assessed=5, share=0.4, proof_point=False)


def test_share_improving_with_nothing_assessable():
    assert share_improving({}) == ShareImproving(improving=0, assessed=0, share=None, proof_point=False)
    only_one_value = {"a": ("higher", [("2023", 1.0)], "year")}
    assert share_improving(only_one_value).share is None


def test_share_improving_passes_the_window_on():
    indicators = {"a": ("higher", [("2019", 55.0), ("2020", 50.0), ("2022", 53.0)], "year")}
    assert share_improving(indicators).improving == 0
    assert share_improving(indicators, window=2).improving == 1


series_strategy = st.lists(
    st.tuples(st.integers(min_value=2015, max_value=2024).map(str), st.none() | st.floats(0, 100)),
    max_size=6,
    unique_by=lambda point: point[0],
)
indicator_strategy = st.tuples(st.sampled_from(["higher", "lower"]), series_strategy, st.just("year"))


@given(st.dictionaries(st.text(min_size=1, max_size=8), indicator_strategy, max_size=12), st.integers(0, 6))
def test_share_is_a_share_and_the_proof_point_follows_it(indicators, window):
    result = share_improving(indicators, window=window)
    assert 0 <= result.improving <= result.assessed <= len(indicators)
    if result.assessed == 0:
        assert result.share is None
        assert result.proof_point is False
    else:
        assert 0.0 <= result.share <= 1.0
        assert result.share == result.improving / result.assessed
        assert result.proof_point is (result.share >= PROOF_POINT_SHARE)
