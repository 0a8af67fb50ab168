"""The dashboard's figures are pure functions of service results."""

from __future__ import annotations

from api.services.analytics.progress import GoalAreaProgress, GoalRef, IndicatorProgress, StatusCounts
from api.services.analytics.series import AreaRef, Measure
from dashboard.figures import progress_figure
from indicators.progress import Status


def _indicator(code: str, status: Status, progress: float | None) -> IndicatorProgress:
    return IndicatorProgress(
        code=code,
        name={"en": code.title(), "nl": code},
        unit="percent",
        direction="higher",
        period_type="year",
        latest=None,
        baseline=None,
        target=None,
        expected=None,
        progress=progress,
        status=status,
        source="reported",
        measure=Measure(assessment="not_assessable", value=None),
    )


def test_progress_figure_has_one_bar_per_indicator_coloured_by_status():
    group = GoalAreaProgress(
        goal=GoalRef(code="g1", title={"en": "Start", "nl": "Begin"}),
        area=AreaRef(code="A1", name="A", level="municipality"),
        indicators=[
            _indicator("reading", Status.on_track, 0.8),
            _indicator("maths", Status.off_track, 0.2),
            _indicator("leavers", Status.no_data, None),
        ],
        summary=StatusCounts(),
    )
    figure = progress_figure([group], language="nl")
    bars = {trace.name: (list(trace.y), list(trace.x)) for trace in figure.data}
    assert bars["On track"] == (["Begin · reading"], [0.8])
    assert bars["Off track"] == (["Begin · maths"], [0.2])
    assert bars["No data"] == (["Begin · leavers"], [0.0])
    # Bars keep the agenda's order, whatever their status.
    assert list(figure.layout.yaxis.categoryarray) == ["Begin · reading", "Begin · maths", "Begin · leavers"]


def test_progress_figure_without_data_is_empty():
    assert all(len(trace.x) == 0 for trace in progress_figure([]).data)
