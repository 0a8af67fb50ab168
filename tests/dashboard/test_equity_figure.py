"""The breakdown view and the comparison of areas: gaps as group minus reference, suppressed values never zero."""

from __future__ import annotations

import pytest

from api.services.analytics.equity import Equity, EquityPeriod, GapOut, GapTrendOut
from api.services.analytics.series import AreaRef, IndicatorRef, PeriodValue, SeriesPoint
from dashboard.figures.compare import AREA_COLOURS, compare_figure
from dashboard.figures.equity import equity_figure, gap_trend_line
from tests.dashboard.test_series_figure import a_series

INDICATOR = IndicatorRef(code="reading", name={"en": "Reading"}, unit="percent", direction="higher", period_type="year")


def period(year: str, low: float | None, high: float | None, hidden: tuple[str, ...] = ()) -> EquityPeriod:
    gap = GapOut(absolute=low - high, ratio=low / high) if low is not None and high is not None else None
    return EquityPeriod(
        period=year, values={"low": low, "middle": None, "high": high}, suppressed=list(hidden), gap=gap
    )


def an_equity(rows: list[EquityPeriod], trend: GapTrendOut | None = None) -> Equity:
    return Equity(
        indicator=INDICATOR,
        area=AreaRef(code="A1", name="Alpha", level="municipality"),
        dimension="ses",
        group="low",
        reference="high",
        periods=rows,
        latest_gap=None,
        gap_trend=trend,
    )


def traces(figure):
    return {trace.name: trace for trace in figure.data}


def test_gap_is_group_minus_reference_and_a_suppressed_group_leaves_a_gap_with_a_mark():
    equity = an_equity(
        [period("2019", 55.0, 86.0), period("2020", None, 87.0, hidden=("low",)), period("2022", 66.0, 87.0)],
        GapTrendOut(slope_per_year=-5.0, periods_used=2, closing=True),
    )
    found = traces(equity_figure(equity, "en", {"low": "Low", "high": "High", "middle": "Middle"}))
    gap = found["Gap: Low minus High"]
    assert list(gap.x) == ["2019", "2020", "2021", "2022"]  # a gapless time axis
    assert list(gap.y) == [pytest.approx(-31.0), None, None, pytest.approx(-21.0)]
    assert list(found["Low"].y) == [55.0, None, None, 66.0] and found["Low"].connectgaps is False
    marks = found["Low: Suppressed (too few people)"]
    assert list(marks.x) == ["2020"] and marks.yaxis == "y3"  # on an axis of its own, not a value of 0
    assert "High: Suppressed (too few people)" not in found
    assert found["Trend of the gap"].line.color == "#1b7f3b"  # closing


def test_gap_trend_line_runs_through_the_gaps_the_trend_used():
    equity = an_equity(
        [
            period("2018", 50.0, 90.0),
            period("2019", 55.0, 86.0),
            period("2020", 60.0, 86.0),
            period("2021", 66.0, 87.0),
        ],
        GapTrendOut(slope_per_year=-5.0, periods_used=3, closing=True),
    )
    ends, line = gap_trend_line(equity)
    assert ends == ["2019", "2021"]
    assert line == [pytest.approx(-31.0), pytest.approx(-21.0)]  # gaps -31, -26, -21: exactly on the line
    assert gap_trend_line(an_equity([period("2019", 55.0, 86.0)])) == ([], [])


def test_breakdown_labels_and_numbers_follow_the_language():
    figure = equity_figure(an_equity([period("2019", 55.5, 86.0)]), "de", {"low": "Niedrig", "high": "Hoch"})
    found = traces(figure)
    assert figure.layout.separators == ",." and "Lücke: Niedrig minus Hoch" in found
    assert "55,5" in found["Niedrig"].hovertext[0]


def test_areas_compared_each_get_a_line_and_their_own_suppression_marks():
    first = a_series(
        [SeriesPoint(period="2021/22", value=60.0), SeriesPoint(period="2022/23", value=None, suppressed=True)],
        baseline=PeriodValue(period="2020/21", value=58.0),
        target=PeriodValue(period="2024/25", value=70.0),
    )
    second = a_series([SeriesPoint(period="2021/22", value=50.0), SeriesPoint(period="2022/23", value=52.0)])
    second.area = AreaRef(code="B1", name="Beta", level="municipality")
    found = traces(compare_figure([first, second], "en"))
    assert list(found["Alpha"].x) == ["2020/21", "2021/22", "2022/23", "2023/24", "2024/25"]
    assert list(found["Alpha"].y) == [None, 60.0, None, None, None]
    assert list(found["Beta"].y) == [None, 50.0, 52.0, None, None]
    marks = found["Alpha: Suppressed (too few people)"]
    assert list(marks.x) == ["2022/23"] and marks.marker.color == AREA_COLOURS[0] and marks.yaxis == "y2"
    assert list(found["Trajectory to target (Alpha)"].y) == [58.0, 70.0]
