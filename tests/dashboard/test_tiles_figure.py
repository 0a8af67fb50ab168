"""The map of the areas: a tile grid (or the uploaded boundaries), suppressed areas marked, clicks finding the area."""

from __future__ import annotations

from plotly.colors import unlabel_rgb

from api.services.analytics.area_values import AreaValue, AreaValues
from api.services.analytics.series import IndicatorRef
from dashboard.figures.series import SUPPRESSED_COLOUR
from dashboard.figures.tiles import boundaries_figure, clicked_area, fill_colour, tile_grid, tiles_figure
from indicators.progress import Status

SQUARE = [[[6.0, 53.0], [6.1, 53.0], [6.1, 53.1], [6.0, 53.1], [6.0, 53.0]]]


def area(code: str, value: float | None, parent: str = "Kreis", **extra: object) -> AreaValue:
    fields = {"code": code, "name": f"Town {code}", "level": "municipality", "parent": "K", "parent_name": parent}
    return AreaValue(**(fields | {"value": value, "suppressed": False} | extra))


def values(*items: AreaValue, direction: str = "higher") -> AreaValues:
    indicator = IndicatorRef(
        code="reading", name={"en": "Reading"}, unit="percent", direction=direction, period_type="year"
    )
    return AreaValues(
        indicator=indicator,
        level="municipality",
        levels=["municipality"],
        period="2024",
        periods=["2024"],
        items=list(items),
    )


def traces(figure):
    return {trace.name: trace for trace in figure.data}


def darkness(colour: str) -> float:
    return -sum(unlabel_rgb(colour))


def test_suppressed_tile_is_marked_and_not_coloured_as_a_value():
    shown = values(area("A", 60.0), area("B", None, suppressed=True), area("C", None), area("D", 40.0))
    figure = tiles_figure(shown, "en")
    positions, _ = tile_grid(shown.items)
    found = traces(figure)
    (ac, ar), (bc, br), (cc, cr) = positions["A"], positions["B"], positions["C"]
    assert found["value"].z[ar][ac] == 60.0
    assert found["value"].z[br][bc] is None  # not 0: the value layer leaves the tile out
    assert found["suppressed"].z[br][bc] == 1.0 and found["suppressed"].colorscale[0][1] == SUPPRESSED_COLOUR
    assert "suppressed" in found["suppressed"].text[br][bc]
    assert "no data" in found["none"].text[cr][cc] and found["value"].z[cr][cc] is None
    assert fill_colour(shown.items[1], shown, "value") == SUPPRESSED_COLOUR
    assert found["value"].hoverongaps is False


def test_better_values_are_darker_whichever_way_is_better():
    higher = values(area("A", 60.0), area("B", 40.0))
    assert darkness(fill_colour(higher.items[0], higher, "value")) > darkness(
        fill_colour(higher.items[1], higher, "value")
    )
    lower = values(area("A", 60.0), area("B", 40.0), direction="lower")
    assert darkness(fill_colour(lower.items[1], lower, "value")) > darkness(fill_colour(lower.items[0], lower, "value"))


def test_tiles_are_grouped_by_parent_area_and_a_click_finds_its_area():
    shown = values(*(area(f"K{i}", 50.0 + i) for i in range(10)), area("G", 55.0, parent="Groningen"))
    positions, labels = tile_grid(shown.items, columns=8)
    assert labels == [(0, "Groningen"), (1, "Kreis")]
    assert positions["G"] == (0, 0) and positions["K0"] == (0, 1) and positions["K9"] == (1, 2)
    figure = tiles_figure(shown, "en", selected="K9")
    meta = figure.layout.meta
    assert clicked_area({"points": [{"x": 1, "y": 2, "z": 59.0}]}, meta) == "K9"
    assert clicked_area({"points": [{"x": 7, "y": 2}]}, meta) is None  # an empty place in the grid
    assert clicked_area(None, meta) is None and clicked_area({"points": []}, meta) is None
    (outline,) = figure.layout.shapes
    assert (outline.x0, outline.y0) == (0.5, 1.5)


def test_coloured_by_status_each_status_has_its_layer():
    shown = values(area("A", 60.0, status=Status.on_track), area("B", 40.0, status=Status.off_track), area("C", 50.0))
    found = traces(tiles_figure(shown, "en", colour_by="status"))
    assert set(found) == {"on_track", "off_track", "no_data"}
    assert "On track" in found["on_track"].hovertext[0][0]


def test_boundaries_are_polygons_and_a_click_on_one_finds_its_area():
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE, SQUARE]}
    shown = values(area("A", 60.0), area("B", None, suppressed=True), area("C", 50.0))
    geometries = {"A": {"type": "Polygon", "coordinates": SQUARE}, "B": multi}
    figure = boundaries_figure(shown, geometries, "nl", selected="A")
    assert [trace.name for trace in figure.data] == ["B", "A"]  # C has no boundary; the selected one on top
    suppressed, selected = figure.data
    assert suppressed.fillcolor == SUPPRESSED_COLOUR and suppressed.fillpattern.shape == "/"
    assert list(suppressed.x).count(None) == 2  # two rings, each closed off
    assert selected.fill == "toself" and selected.hoveron == "fills" and selected.line.width == 3
    assert clicked_area({"points": [{"curveNumber": 1}]}, figure.layout.meta) == "A"
    assert clicked_area({"points": [{"curveNumber": 5}]}, figure.layout.meta) is None


def test_an_indicator_without_values_gives_an_empty_map_not_an_error():
    assert tiles_figure(values(), "en").data == ()
    assert clicked_area({"points": [{"x": 0, "y": 0}]}, tiles_figure(values(), "en").layout.meta) is None
    assert boundaries_figure(values(), {}, "en").layout.meta == {"curves": []}
