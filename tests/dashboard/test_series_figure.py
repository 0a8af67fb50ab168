"""The series figure: values, gaps for suppressed values, the trajectory and the trend, in the locale."""

from __future__ import annotations

from api.services.analytics.series import AreaRef, Forecast, IndicatorRef, Measure, PeriodValue, Series, SeriesPoint
from dashboard.figures.series import axis_periods, series_figure
from indicators.progress import Status


def a_series(points: list[SeriesPoint], **extra: object) -> Series:
    fields = {
        "indicator": IndicatorRef(
            code="reading", name={"en": "Reading"}, unit="percent", direction="higher", period_type="school_year"
        ),
        "area": AreaRef(code="A1", name="Alpha", level="municipality"),
        "breakdown": {},
        "source": "reported",
        "points": points,
        "latest": None,
        "baseline": None,
        "target": None,
        "milestones": [],
        "progress": None,
        "status": Status.no_data,
        "measure": Measure(assessment="not_assessable", value=None),
        "trend": None,
        "forecast": None,
    }
    return Series(**(fields | extra))


def traces(figure):
    return {trace.name: trace for trace in figure.data}


def test_suppressed_value_is_a_gap_and_a_mark_never_zero():
    points = [
        SeriesPoint(period="2021/22", value=60.0, status=Status.on_track),
        SeriesPoint(period="2022/23", value=None, suppressed=True),
        SeriesPoint(period="2023/24", value=64.5, status=Status.off_track, provisional=True),
    ]
    figure = series_figure(a_series(points), "en")
    values = traces(figure)["Value"]
    assert list(values.x) == ["2021/22", "2022/23", "2023/24"]
    assert list(values.y) == [60.0, None, 64.5] and values.connectgaps is False
    assert list(values.marker.color) == ["#1b7f3b", "#9e9e9e", "#c0392b"]
    assert values.marker.symbol[2] == "circle-open"  # provisional
    assert "provisional" in values.hovertext[2]
    hidden = traces(figure)["Suppressed (too few people)"]
    assert list(hidden.x) == ["2022/23"] and hidden.yaxis == "y2"


def test_trajectory_runs_from_baseline_through_milestones_to_target_beyond_the_data():
    points = [SeriesPoint(period="2023/24", value=70.0, expected=69.0, status=Status.on_track)]
    series = a_series(
        points,
        latest=PeriodValue(period="2023/24", value=70.0),
        baseline=PeriodValue(period="2021/22", value=66.0),
        target=PeriodValue(period="2026/27", value=80.0),
        milestones=[PeriodValue(period="2024/25", value=72.0)],
        forecast=Forecast(period="2026/27", value=75.0, reaches_target=False),
    )
    assert axis_periods(series) == ["2021/22", "2022/23", "2023/24", "2024/25", "2025/26", "2026/27"]
    found = traces(series_figure(series, "en"))
    assert list(found["Trajectory to target"].x) == ["2021/22", "2024/25", "2026/27"]
    assert list(found["Trajectory to target"].y) == [66.0, 72.0, 80.0]
    assert list(found["Target"].y) == [80.0] and list(found["Baseline"].y) == [66.0]
    assert list(found["Trend"].y) == [70.0, 75.0]
    assert found["Trend"].line.color == "#c0392b"  # the trend misses the target


def test_labels_and_numbers_follow_the_language():
    points = [SeriesPoint(period="2023/24", value=61.5, expected=60.26, status=Status.on_track)]
    figure = series_figure(a_series(points), "de")
    assert figure.layout.separators == ",."
    assert "Wert" in traces(figure)
    assert "61,5" in traces(figure)["Wert"].hovertext[0] and "60,3" in traces(figure)["Wert"].hovertext[0]


def test_empty_series_gives_an_empty_axis():
    figure = series_figure(a_series([]), "nl")
    assert list(figure.data[0].x) == []
