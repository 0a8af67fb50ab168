"""Share of the gap closed, the linear trajectory and the on-track status, worked by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.progress import (
    ASSESSMENT_LABELS,
    STATUS_LABELS,
    Assessment,
    Status,
    compound_growth,
    expected_value,
    limit_coefficient,
    progress_share,
    statcan_progress,
    trajectory_status,
    trajectory_value,
)


def test_share_of_the_gap_closed_higher_is_better():
    # baseline 50, target 70, now 61: (61 - 50) / (70 - 50) = 11 / 20 = 0.55
    assert progress_share(50, 61, 70, "higher") == pytest.approx(0.55)


def test_share_of_the_gap_closed_lower_is_better():
    # early school leavers 10% -> 5%, now 7%: (7 - 10) / (5 - 10) = -3 / -5 = 0.6
    assert progress_share(10, 7, 5, "lower") == pytest.approx(0.6)


def test_share_is_clipped_to_zero_and_one():
    assert progress_share(50, 45, 70, "higher") == 0.0  # went backwards
    assert progress_share(50, 80, 70, "higher") == 1.0  # beyond the target


def test_share_when_baseline_equals_target():
    assert progress_share(5, 5, 5, "lower") == 1.0  # holding the line is success
    assert progress_share(5, 6, 5, "lower") == 0.0
    assert progress_share(5, 6, 5, "higher") == 1.0


def test_share_with_missing_values_is_none():
    assert progress_share(None, 5, 10, "higher") is None
    assert progress_share(1, None, 10, "higher") is None
    assert progress_share(1, 5, None, "higher") is None


def test_expected_value_on_the_line():
    # 50 in 2015 to 70 in 2025: 2 a year, so 2020 expects 60 and 2018 expects 56.
    assert expected_value(2015, 50, 2025, 70, 2020) == 60
    assert expected_value("2015/16", 50, "2025/26", 70, "2020/21") == 60  # periods as reported
    assert expected_value("2015-Q1", 50, "2025-Q1", 70, "2020-Q3") == pytest.approx(61)  # 2020.5: 50 + 2 * 5.5
    assert expected_value(2015, 50, 2025, 70, 2018) == pytest.approx(56)
    assert expected_value(2015, 50, 2025, 70, 2010) == 50  # before the baseline
    assert expected_value(2015, 50, 2025, 70, 2030) == 70  # after the target


def test_trajectory_through_a_milestone():
    # 50 (2015) -> 60 (2020) -> 90 (2030): 2025 expects 75 (half-way from 60 to 90).
    assert trajectory_value([(2015, 50), (2030, 90), (2020, 60)], 2025) == 75


@pytest.mark.parametrize(
    ("current", "expected", "direction", "status"),
    [
        (61, 60, "higher", Status.on_track),
        (60, 60, "higher", Status.on_track),
        (59, 60, "higher", Status.off_track),
        (7, 8, "lower", Status.on_track),
        (9, 8, "lower", Status.off_track),
        (None, 8, "lower", Status.no_data),
        (5, None, "lower", Status.no_data),
    ],
)
def test_status_against_the_trajectory(current, expected, direction, status):
    assert trajectory_status(current, expected, direction) is status


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.sampled_from(["higher", "lower"]))
def test_share_is_always_between_zero_and_one(baseline, current, target, direction):
    share = progress_share(baseline, current, target, direction)
    assert 0.0 <= share <= 1.0


# Statistics Canada's measure, as in Open SDG


def test_growth_is_compound_and_annual():
    # 50 -> 60 in five years: (60 / 50) ** (1 / 5) - 1 = 1.2 ** 0.2 - 1 = 0.037137...
    assert compound_growth(60, 50, 2020, 2015) == pytest.approx(1.2**0.2 - 1)


def test_ratio_of_observed_to_required_growth_with_a_target():
    # Observed 1.2 ** 0.2 - 1 = 0.037137; required to reach 70 by 2030: 1.4 ** (1 / 15) - 1 = 0.022685;
    # R = 0.037137 / 0.022685 = 1.637 >= 0.95: substantial progress.
    measure = statcan_progress(
        base_period="2015",
        base=50,
        current_period="2020",
        current=60,
        direction="higher",
        target=70,
        target_period="2030",
    )
    assert measure.value == pytest.approx((1.2**0.2 - 1) / (1.4 ** (1 / 15) - 1))
    assert measure.assessment is Assessment.substantial_progress


# Base 50 in 2015, target 70 in 2030: the required growth is G = 1.4 ** (1 / 15) - 1 = 2.27% a year.
G = 1.4 ** (1 / 15) - 1


@pytest.mark.parametrize(
    ("current", "level"),
    [
        (50 * (1 + 0.8 * G) ** 5, Assessment.moderate_progress),  # growing at 0.8 G for 5 years: R = 0.8
        (50 * (1 + 0.3 * G) ** 5, Assessment.limited_progress),  # R = 0.3
        (50.0, Assessment.limited_progress),  # R = 0: standing still is "limited", not "deterioration"
        (49.0, Assessment.deterioration),  # R < 0
        (70.0, Assessment.target_achieved),
        (75.0, Assessment.target_achieved),
    ],
)
def test_five_levels_with_a_target(current, level):
    measure = statcan_progress(
        base_period=2015,
        base=50,
        current_period=2020,
        current=current,
        direction="higher",
        target=70,
        target_period=2030,
    )
    assert measure.assessment is level


def test_lower_is_better_flips_the_sign():
    # Early school leavers 10% -> 8% over 4 years, target 5% in 2030: observed 0.8 ** 0.25 - 1 = -0.0543,
    # required 0.5 ** (1 / 15) - 1 = -0.0452; R = -1 * -0.0543 / 0.0452 = 1.20: substantial.
    measure = statcan_progress(
        base_period=2016, base=10, current_period=2020, current=8, direction="lower", target=5, target_period=2031
    )
    assert measure.value == pytest.approx(-(0.8**0.25 - 1) / abs(0.5 ** (1 / 15) - 1))
    assert measure.assessment is Assessment.substantial_progress


def test_without_a_target_the_growth_rate_itself_is_judged():
    # 100 -> 102 in two years: 1.02 ** 0.5 - 1 = 0.00995: between 0.5% and 1.5% is moderate.
    moderate = statcan_progress(base_period=2018, base=100, current_period=2020, current=102, direction="higher")
    assert moderate.value == pytest.approx(1.02**0.5 - 1)
    assert moderate.assessment is Assessment.moderate_progress
    assert (
        statcan_progress(base_period=2018, base=100, current_period=2020, current=110, direction="higher").assessment
        is Assessment.substantial_progress
    )
    assert (
        statcan_progress(base_period=2018, base=100, current_period=2020, current=99, direction="higher").assessment
        is Assessment.deterioration
    )


def test_near_a_natural_limit_the_thresholds_shrink():
    # Base 99% with a limit of 100%: C = 1 - 0.99 ** 4.44 = 0.0436, so "substantial" needs 1.5% * 0.0436 = 0.065%.
    assert limit_coefficient(99, 100) == pytest.approx(1 - 0.99**4.44)
    measure = statcan_progress(
        base_period=2015, base=99, current_period=2020, current=99.5, direction="higher", limit=100
    )
    assert measure.assessment is Assessment.substantial_progress  # (99.5/99) ** 0.2 - 1 = 0.1% > 0.065%
    at_limit = statcan_progress(
        base_period=2015, base=100, current_period=2020, current=100, direction="higher", limit=100
    )
    assert at_limit.assessment is Assessment.substantial_progress  # C = 0 and held: on track


def test_zero_base_or_target_is_replaced_by_one_thousandth():
    # base 0 -> 0.001; 0.001 -> 2 over 2 years: sqrt(2000) - 1 = 43.7, way above any threshold.
    measure = statcan_progress(base_period=2018, base=0, current_period=2020, current=2, direction="higher")
    assert measure.observed_growth == pytest.approx(2000**0.5 - 1)
    to_zero = statcan_progress(
        base_period=2015, base=10, current_period=2020, current=5, direction="lower", target=0, target_period=2030
    )
    assert to_zero.required_growth == pytest.approx((0.001 / 10) ** (1 / 15) - 1)


@pytest.mark.parametrize(
    "arguments",
    [
        {"base": None, "current": 5},  # no base value
        {"base": 5, "current": None},
        {"base": 5, "current": -5},  # the sign changes: no exponential growth
        {"base": 5, "current": 6, "current_period": 2015},  # a single point in time
    ],
)
def test_not_assessable(arguments):
    measure = statcan_progress(**{"base_period": 2015, "current_period": 2020, "direction": "higher", **arguments})
    assert measure.assessment is Assessment.not_assessable and measure.value is None


def test_school_years_count_from_their_first_year():
    by_year = statcan_progress(base_period=2015, base=50, current_period=2020, current=60, direction="higher")
    by_school_year = statcan_progress(
        base_period="2015/16", base=50, current_period="2020/21", current=60, direction="higher"
    )
    assert by_school_year == by_year


def test_every_status_has_labels_in_three_languages():
    for labels in (*ASSESSMENT_LABELS.values(), *STATUS_LABELS.values()):
        assert set(labels) == {"nl", "de", "en"} and all(labels.values())
    assert set(ASSESSMENT_LABELS) == set(Assessment)
