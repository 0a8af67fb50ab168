"""Share of the gap closed, the linear trajectory and the on-track status, worked by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.progress import Status, expected_value, progress_share, trajectory_status, trajectory_value


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
