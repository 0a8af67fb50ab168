"""The league dot plot (SVG): best first, coloured by status, suppressed places marked (never zero), a total line."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from api.services.analytics.league import League, LeagueRow, LeagueTotal
from api.services.analytics.series import AreaRef, IndicatorRef
from dashboard.figures.league import describe, league_svg
from dashboard.pages.goal.callbacks import default_area
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


def parsed(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def of_class(svg: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in svg.iter() if name in (e.get("class") or "").split()]


def test_places_in_rank_order_coloured_by_status_and_a_suppressed_one_marked_not_zero():
    league = a_league(
        [
            row("A", 80.0, Status.on_track, rank=1),
            row("B", 61.5, Status.off_track, rank=2),
            row("C", None, suppressed=True, reported=True),
            row("D", None),  # not reported: left out of the plot
        ]
    )
    svg = parsed(league_svg(league, "en"))
    assert [e.text for e in of_class(svg, "name")] == ["Town A", "Town B", "Town C"]
    dots = of_class(svg, "dot")
    assert [d.get("data-code") for d in dots] == ["A", "B"]
    assert [d.get("fill") for d in dots] == ["#1b7f3b", "#c0392b"]
    assert float(dots[0].get("cy")) < float(dots[1].get("cy"))  # 80 sits above 61.5
    (hidden,) = of_class(svg, "suppressed")  # a mark at the foot of C's place, not a dot
    assert float(hidden.get("x")) > float(dots[1].get("cx"))
    assert "Town A: 80.0%" in describe(league, "en") and "Town B: 61.5%" in describe(league, "en")


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
    svg = parsed(league_svg(a_league([row("A", 80.0, rank=1), row("B", 60.5, rank=2)], [region, total]), "de"))
    (line,) = of_class(svg, "total")  # the whole selection's total, not the region's
    (path,) = of_class(svg, "trajectory")
    assert float(path.get("y1")) < float(line.get("y1"))  # 72 above 70.26
    labels = [e.text for e in of_class(svg, "total-label") + of_class(svg, "trajectory-label")]
    assert labels == ["Insgesamt: 70,3\xa0%", "Pfad zum Ziel: 72,0\xa0%"]


def test_many_places_are_dots_without_names():
    league = a_league([row(f"T{n}", 50.0 + n, Status.on_track, rank=n) for n in range(60)])
    svg = parsed(league_svg(league, "en"))
    assert len(of_class(svg, "dot")) == 60 and of_class(svg, "name") == []


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


def test_thousands_of_places_are_one_path_of_dots_per_status_and_the_picture_s_address_keeps_its_markup(monkeypatch):
    from urllib.parse import unquote

    from dashboard.figures import league as figure
    from dashboard.figures.svg import data_uri

    monkeypatch.setattr(figure, "DOTS", 2)
    league = a_league(
        [
            row("A", 80.0, Status.on_track, rank=1),
            row("B", 70.0, Status.on_track, rank=2),
            row("C", 61.5, Status.off_track, rank=3),
            row("D", None, suppressed=True, reported=True),
            row("E", None),  # not reported: left out
        ]
    )
    markup = league_svg(league, "en")
    svg = parsed(markup)
    assert not of_class(svg, "dot")
    paths = {e.get("class"): e for e in of_class(svg, "dots")}
    assert set(paths) == {"dots on_track", "dots off_track", "dots suppressed"}
    moves = {kind: path.get("d").count("M") for kind, path in paths.items()}
    assert moves == {"dots on_track": 2, "dots off_track": 1, "dots suppressed": 1}
    assert paths["dots on_track"].get("stroke") == "#1b7f3b" and paths["dots off_track"].get("stroke") == "#c0392b"
    uri = data_uri(markup)
    assert "#" not in uri and unquote(uri.partition(",")[2]) == markup
