"""Least-squares trends, forecasts and "turn the curve", worked by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.periods import PeriodError
from indicators.progress import Direction
from indicators.trend import CurveOutlook, Trend, forecast, linear_trend, trend, turn_the_curve

# Four years, by hand:
#   x = 2019, 2020, 2021, 2022    mean x = 8082 / 4 = 2020.5
#   y =   10,   12,   13,   15    mean y =   50 / 4 = 12.5
#   x - mean x = -1.5, -0.5, 0.5, 1.5
#   y - mean y = -2.5, -0.5, 0.5, 2.5
#   Sxy = 3.75 + 0.25 + 0.25 + 3.75 = 8
#   Sxx = 2.25 + 0.25 + 0.25 + 2.25 = 5
#   slope = 8 / 5 = 1.6 a year;  intercept = 12.5 - 1.6 * 2020.5 = 12.5 - 3232.8 = -3220.3
#   in 2025: 12.5 + 1.6 * (2025 - 2020.5) = 12.5 + 7.2 = 19.7
POINTS = [(2019, 10.0), (2020, 12.0), (2021, 13.0), (2022, 15.0)]
YEARS = [("2019", 10.0), ("2020", 12.0), ("2021", 13.0), ("2022", 15.0)]


def test_least_squares_by_hand():
    line = linear_trend(POINTS)
    assert line is not None
    assert line.slope == pytest.approx(1.6)
    assert line.intercept == pytest.approx(-3220.3)
    assert (line.periods, line.first, line.last) == (4, 2019.0, 2022.0)
    assert line.at(2020.5) == pytest.approx(12.5)  # the line runs through the means
    assert line.at(2025) == pytest.approx(19.7)


def test_least_squares_on_years():
    line = trend(YEARS, "year")
    assert line is not None
    assert line.slope == pytest.approx(1.6)
    assert line.intercept == pytest.approx(-3220.3)


def test_two_points_give_the_line_through_them():
    line = linear_trend([(2020, 5.0), (2022, 9.0)])
    assert line is not None
    assert line.slope == pytest.approx(2.0)
    assert line.at(2021) == pytest.approx(7.0)


def test_too_few_points_or_one_position_has_no_trend():
    assert linear_trend([]) is None
    assert linear_trend([(2020, 5.0)]) is None
    assert linear_trend([(2020, 5.0), (2020, 7.0)]) is None  # all positions equal
    assert trend([("2020", 5.0)], "year") is None
    assert trend([("2020", 5.0), ("2021", None)], "year") is None  # one value left
    assert trend([], "year") is None


def test_school_years_given_out_of_order():
    # The same numbers as YEARS; 2019/20 sits at 2019, so slope and intercept are the same.
    series = [("2021/22", 13.0), ("2019/20", 10.0), ("2022/23", 15.0), ("2020-21", 12.0)]
    line = trend(series, "school_year")
    assert line is not None
    assert line.slope == pytest.approx(1.6)
    assert line.intercept == pytest.approx(-3220.3)
    assert (line.first, line.last) == (2019.0, 2022.0)


def test_quarters_given_out_of_order():
    # One point a quarter is four a year; 2023-Q1 sits at 2023.0 and 2023-Q4 at 2023.75.
    series = [("2023-Q3", 12.0), ("2023-Q1", 10.0), ("2024-Q1", 14.0), ("2023-Q4", 13.0), ("2023-Q2", 11.0)]
    line = trend(series, "quarter")
    assert line is not None
    assert line.slope == pytest.approx(4.0)
    assert line.at(2023.0) == pytest.approx(10.0)
    assert (line.periods, line.first, line.last) == (5, 2023.0, 2024.0)


def test_months_use_twelfths_of_a_year():
    line = trend([("2023-01", 1.0), ("2023-02", 2.0), ("2023-03", 3.0)], "month")
    assert line is not None
    assert line.slope == pytest.approx(12.0)


def test_none_values_are_skipped():
    # 2019: 10, 2021: 14 -> slope (14 - 10) / 2 = 2; 2020 did not report.
    line = trend([("2019", 10.0), ("2020", None), ("2021", 14.0)], "year")
    assert line is not None
    assert line.slope == pytest.approx(2.0)
    assert line.periods == 2
    assert (line.first, line.last) == (2019.0, 2021.0)


def test_last_cuts_the_series_to_the_most_recent_periods():
    # 2015-2018 ran flat at 30; from 2019 the indicator climbs 2 a year.
    series = [("2015", 30.0), ("2016", 30.0), ("2017", 30.0), ("2018", 30.0)]
    series += [("2019", 10.0), ("2020", 12.0), ("2021", 14.0), ("2022", 16.0)]
    line = trend(series, "year", last=4)
    assert line is not None
    assert line.slope == pytest.approx(2.0)
    assert (line.periods, line.first) == (4, 2019.0)
    everything = trend(series, "year", last=8)
    assert everything is not None and everything.slope < 0  # the old plateau pulls the line down


def test_last_counts_periods_with_a_value():
    # last=3 takes 2019, 2021 and 2022 (2020 has no value), not 2020-2022; 2018 is left out.
    series = [("2018", 100.0), ("2019", 10.0), ("2020", None), ("2021", 14.0), ("2022", 16.0)]
    line = trend(series, "year", last=3)
    assert line is not None
    assert line.slope == pytest.approx(2.0)
    assert (line.periods, line.first, line.last) == (3, 2019.0, 2022.0)


def test_invalid_arguments():
    with pytest.raises(ValueError, match="last"):
        trend(YEARS, "year", last=0)
    with pytest.raises(ValueError, match="more than once"):
        trend([("2019/20", 1.0), ("2019-20", 2.0)], "school_year")
    with pytest.raises(PeriodError):
        trend([("2019-Q1", 1.0)], "year")


def test_forecast_extends_the_line():
    assert forecast(YEARS, "year", "2025") == pytest.approx(19.7)
    assert forecast(YEARS, "year", "2022") == pytest.approx(12.5 + 1.6 * 1.5)  # 14.9, the fitted value
    assert forecast([("2022", 15.0)], "year", "2025") is None


def test_forecast_in_school_years():
    series = [("2021/22", 13.0), ("2019/20", 10.0), ("2022/23", 15.0), ("2020/21", 12.0)]
    assert forecast(series, "school_year", "2025/26") == pytest.approx(19.7)


def test_turn_the_curve_higher_is_better():
    # The trend reaches 19.7 in 2025: short of 20, beyond 19.
    assert turn_the_curve(YEARS, "year", "2025", 20.0, Direction.higher) == CurveOutlook(
        forecast=pytest.approx(19.7), target=20.0, reaches_target=False, periods_used=4
    )
    outlook = turn_the_curve(YEARS, "year", "2025", 19.0, "higher")
    assert outlook.reaches_target is True
    assert outlook.forecast == pytest.approx(19.7)


def test_turn_the_curve_lower_is_better():
    # Early school leavers 8, 7, 7, 6 (2019-2022): mean y 7, y - mean y = 1, 0, 0, -1,
    # Sxy = -1.5 + 0 + 0 - 1.5 = -3, Sxx = 5, slope -0.6; 2025: 7 - 0.6 * 4.5 = 4.3.
    series = [("2019", 8.0), ("2020", 7.0), ("2021", 7.0), ("2022", 6.0)]
    reached = turn_the_curve(series, "year", "2025", 4.5, "lower")
    assert reached.forecast == pytest.approx(4.3)
    assert reached.reaches_target is True
    missed = turn_the_curve(series, "year", "2025", 4.0, "lower")
    assert missed.reaches_target is False


def test_turn_the_curve_exactly_on_course_reaches_the_target():
    # 50 in 2015 rising 2 a year is 70 in 2025: float noise in the fit must not make that a miss.
    series = [(str(year), 50.0 + 2 * (year - 2015)) for year in range(2015, 2021)]
    for direction in ("higher", "lower"):
        assert turn_the_curve(series, "year", "2025", 70.0, direction, last=6).reaches_target is True


def test_turn_the_curve_without_a_trend():
    outlook = turn_the_curve([("2022", 15.0), ("2023", None)], "year", "2025", 20.0, "higher")
    assert outlook == CurveOutlook(forecast=None, target=20.0, reaches_target=None, periods_used=1)
    assert turn_the_curve([], "year", "2025", 20.0, "higher").periods_used == 0


def test_periods_used_is_capped_by_last():
    series = [(str(year), float(year - 2000)) for year in range(2010, 2023)]
    assert turn_the_curve(series, "year", "2025", 0.0, "higher", last=5).periods_used == 5


def test_trend_is_a_frozen_value():
    line = Trend(slope=1.0, intercept=-2000.0, periods=2, first=2020.0, last=2021.0)
    assert line.at(2021.0) == 21.0
    with pytest.raises(AttributeError):
        line.slope = 2.0  # type: ignore[misc]


positions = st.lists(st.integers(min_value=1990, max_value=2040), min_size=2, max_size=12, unique=True)
coefficients = st.floats(min_value=-100, max_value=100, allow_nan=False, allow_infinity=False)


@given(xs=positions, a=coefficients, b=coefficients)
def test_points_on_a_line_recover_its_slope(xs, a, b):
    line = linear_trend([(x, a + b * x) for x in xs])
    assert line is not None
    assert line.slope == pytest.approx(b, abs=1e-6)
    assert line.intercept == pytest.approx(a, abs=1e-3)
    assert line.periods == len(xs)
    assert (line.first, line.last) == (min(xs), max(xs))


@given(
    points=st.lists(
        st.tuples(st.integers(min_value=1990, max_value=2040), coefficients),
        min_size=2,
        max_size=12,
        unique_by=lambda p: p[0],
    ),
    shift=coefficients,
)
def test_adding_a_constant_shifts_the_intercept_only(points, shift):
    line = linear_trend(points)
    shifted = linear_trend([(x, y + shift) for x, y in points])
    assert line is not None and shifted is not None
    assert shifted.slope == pytest.approx(line.slope, abs=1e-9)
    assert shifted.intercept == pytest.approx(line.intercept + shift, rel=1e-9, abs=1e-6)
    assert (shifted.periods, shifted.first, shifted.last) == (line.periods, line.first, line.last)
