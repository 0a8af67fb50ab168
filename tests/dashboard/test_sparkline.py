"""The small multiples' pictures: values, gaps for suppressed values, the trajectory and target, in the locale."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import unquote

from api.services.analytics.series import Forecast, PeriodValue, SeriesPoint
from dashboard.figures.sparkline import HEIGHT, TOP, describe, sparkline_svg
from dashboard.figures.svg import data_uri
from indicators.progress import Status
from tests.dashboard.test_series_figure import a_series

SVG = "{http://www.w3.org/2000/svg}"


def parsed(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def of_class(svg: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in svg.iter() if e.get("class") == name]


def test_a_suppressed_value_breaks_the_line_and_is_marked_not_drawn_at_zero():
    points = [
        SeriesPoint(period="2020/21", value=60.0, status=Status.on_track),
        SeriesPoint(period="2021/22", value=62.0, status=Status.on_track),
        SeriesPoint(period="2022/23", value=None, suppressed=True),
        SeriesPoint(period="2023/24", value=63.0, status=Status.off_track),
        SeriesPoint(period="2024/25", value=64.0, status=Status.off_track, provisional=True),
    ]
    svg = parsed(sparkline_svg(a_series(points, latest=PeriodValue(period="2024/25", value=64.0)), "en"))
    lines = of_class(svg, "values")
    assert [len(line.get("points").split()) for line in lines] == [2, 2]  # a gap where the value is hidden
    circles = of_class(svg, "value")
    assert len(circles) == 4 and all(TOP <= float(c.get("cy")) < HEIGHT for c in circles)
    assert [c.get("stroke") for c in circles] == ["#1b7f3b", "#1b7f3b", "#c0392b", "#c0392b"]
    assert circles[-1].get("fill") == "#ffffff"  # provisional: hollow
    assert len(of_class(svg, "suppressed")) == 1
    # Higher values sit higher: 64 above 60.
    assert float(circles[-1].get("cy")) < float(circles[0].get("cy"))


def test_trajectory_target_and_baseline_are_drawn_and_the_latest_value_written_in_the_locale():
    series = a_series(
        [SeriesPoint(period="2023/24", value=70.26, status=Status.on_track)],
        latest=PeriodValue(period="2023/24", value=70.26),
        baseline=PeriodValue(period="2021/22", value=66.0),
        target=PeriodValue(period="2026/27", value=80.0),
        milestones=[PeriodValue(period="2024/25", value=72.0)],
        forecast=Forecast(period="2026/27", value=75.0, reaches_target=False),
    )
    svg = parsed(sparkline_svg(series, "de"))
    (trajectory,) = of_class(svg, "trajectory")
    assert len(trajectory.get("points").split()) == 3  # baseline, milestone, target
    assert of_class(svg, "target") and of_class(svg, "baseline")
    (latest,) = of_class(svg, "latest")
    assert latest.text == "70,3\xa0%"
    assert [t.text for t in svg.iter(f"{SVG}text") if t.get("class") is None] == ["2021/22", "2026/27"]
    assert "Ziel 2026/27: 80,0\xa0%" in describe(series, "de")


def test_a_series_without_values_is_a_dash_and_the_picture_is_an_image_address():
    markup = sparkline_svg(a_series([]), "nl")
    assert parsed(markup).find(f"{SVG}text").text == "–"
    address = data_uri(markup)
    assert address.startswith("data:image/svg+xml") and unquote(address.split(",", 1)[1]) == markup
