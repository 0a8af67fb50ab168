"""The league dot plot: best first, coloured by status, suppressed places marked (never zero), the total a line."""

from __future__ import annotations

from api.services.league import League, LeagueRow, LeagueTotal
from api.services.series import AreaRef, IndicatorRef
from dashboard.figures.league import league_figure
from dashboard.pages.goal import default_area
from indicators.progress import Status


def row(code: str, value: float | None, status: Status = Status.no_data, **extra: object) -> LeagueRow:
    fields = {"reported": value is not None, "rank": None, "parent": None, "status": status}
    return LeagueRow(area=AreaRef(code=code, name=f"Town {code}", level="municipality"), value=value, **fields | extra)


def a_league(rows: list[LeagueRow], totals: list[LeagueTotal] | None = None) -> League:
    return League(
        indicator=IndicatorRef(
            code="reading", name={"en": "Reading"}, unit="percent", direction="higher", period_type="year"
        ),
        aggregation="ratio",
        period="2024",
        periods=["2024"],
        region=None,
        rows=rows,
        totals=totals or [],
    )


def test_places_in_rank_order_coloured_by_status_and_a_suppressed_one_marked_not_zero():
    league = a_league(
        [
            row("A", 80.0, Status.on_track, rank=1),
            row("B", 61.5, Status.off_track, rank=2),
            row("C", None, suppressed=True, reported=True),
            row("D", None),  # not reported: left out of the plot
        ]
    )
    figure = league_figure(league, "en")
    assert list(figure.layout.xaxis.categoryarray) == ["A", "B", "C"]
    assert list(figure.layout.xaxis.ticktext) == ["Town A", "Town B", "Town C"]
    dots = {trace.name: trace for trace in figure.data}
    assert list(dots["on_track"].x) == ["A"] and list(dots["on_track"].y) == [80.0]
    assert list(dots["off_track"].x) == ["B"] and dots["off_track"].marker.color == "#c0392b"
    hidden = dots["Suppressed (too few people)"]
    assert list(hidden.x) == ["C"] and hidden.yaxis == "y2"  # a mark on an axis of its own, not a value
    assert all("C" not in list(trace.x) for trace in figure.data if trace.yaxis != "y2")


def test_total_and_trajectory_are_lines_labelled_in_the_language():
    total = LeagueTotal(
        area=None, scope="selection", source="pooled", covers=2, value=70.26, expected=72.0, reported=True
    )
    region = LeagueTotal(
        area=AreaRef(code="R", name="Region", level="region"),
        scope="area",
        source="aggregated",
        covers=1,
        value=50.0,
        reported=True,
    )
    figure = league_figure(a_league([row("A", 80.0, rank=1), row("B", 60.5, rank=2)], [region, total]), "de")
    lines = [shape.y0 for shape in figure.layout.shapes]
    assert lines == [70.26, 72.0]  # the whole selection's total, not the region's
    labels = [annotation.text for annotation in figure.layout.annotations]
    assert labels == ["Insgesamt: 70,3\xa0%", "Pfad zum Ziel: 72,0\xa0%"]
    assert figure.layout.separators == ",."


def test_default_area_is_the_top_area_over_the_most_municipalities():
    places = {
        "NL": ("Nederland", None, "country"),
        "GM1": ("Groningen", "NL", "municipality"),
        "DE": ("Deutschland", None, "country"),
        "RVR": ("Ruhr", "DE", "region"),
        "D1": ("Witten", "RVR", "municipality"),
        "D2": ("Hattingen", "RVR", "municipality"),
    }
    assert default_area(places) == "DE"
    assert default_area({}) is None
