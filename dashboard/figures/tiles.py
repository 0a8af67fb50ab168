"""The areas of one level on a map for one period: a tile grid, or the uploaded boundaries when there are some.

Offline by design: no map tiles and no topojson. The grid is a heatmap (one tile per area,
grouped by parent area); boundaries are filled SVG polygons. Suppressed areas are purple and
labelled, never coloured as a low value. ``layout.meta`` tells a click which area it hit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from dashboard import i18n
from dashboard.data.analytics import AreaValue, AreaValues
from dashboard.figures import STATUS_COLOURS, SUPPRESSED_COLOUR
from dashboard.figures.series import LABELS
from dashboard.i18n import N_

NO_VALUE_COLOUR = "#e3e5e8"
SCALE = "Blues"
LIGHTEST = 0.15  # the scale's palest end is left out: the worst value must not look like "no data"
TEXT = {"suppressed": N_("suppressed"), "none": N_("no data"), "on_track": N_("On track"), "off_track": N_("Off track")}
TILE_PX = 54
LABELLED_TILES = 120
SELECTED = {"color": "#1a1a1a", "width": 3}


def columns_for(count: int) -> int:
    """Tiles per row: 8 for an alliance of a few dozen areas, up to 20 for hundreds."""
    return max(8, min(20, math.ceil(math.sqrt(count * 1.5))))


def tile_grid(items: Sequence[AreaValue], columns: int | None = None) -> tuple[dict[str, tuple[int, int]], list]:
    """Each area's (column, row), grouped by parent area (rows of ``columns``), and each group's first row."""
    columns = columns or columns_for(len(items))
    groups: dict[str, list[AreaValue]] = {}
    for item in sorted(items, key=lambda i: (i.parent_name or "", i.name, i.code)):
        groups.setdefault(item.parent_name or "", []).append(item)
    positions, labels, row = {}, [], 0
    for name, members in groups.items():
        labels.append((row, name))
        for index, item in enumerate(members):
            positions[item.code] = (index % columns, row + index // columns)
        row += math.ceil(len(members) / columns)
    return positions, labels


def _short(name: str, limit: int = 13) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _texts(item: AreaValue, unit: str, language: str) -> tuple[str, str]:
    """The tile's label and its hover text."""
    if item.suppressed or item.value is None:
        key = "suppressed" if item.suppressed else "none"
        shown = i18n.gettext(TEXT[key], language)
    else:
        shown = i18n.value(item.value, unit, language)
    hover = f"<b>{item.name}</b> ({item.code})<br>{shown}"
    if item.value is not None and item.status.value != "no_data":
        hover += f"<br>{i18n.gettext(TEXT[item.status.value], language)}"
    flags = [LABELS[f] for f in ("provisional", "estimated") if getattr(item, f)]
    if not item.complete:
        flags.append(LABELS["incomplete"])
    if flags:
        hover += "<br>" + ", ".join(i18n.gettext(f, language) for f in flags)
    return f"{_short(item.name)}<br>{shown}", hover


def layer_of(item: AreaValue, colour_by: str) -> str:
    """Which layer an area is drawn in: suppressed, none (no value), a status, or value."""
    if item.suppressed:
        return "suppressed"
    if item.value is None:
        return "none"
    if colour_by == "status":
        return item.status.value
    return "value"


def colour_range(values: AreaValues) -> tuple[float, float]:
    shown = [i.value for i in values.items if i.value is not None and not i.suppressed]
    low, high = (min(shown), max(shown)) if shown else (0.0, 1.0)
    return (low, high) if high > low else (low - 1, high + 1)


def fill_colour(item: AreaValue, values: AreaValues, colour_by: str) -> str:
    """The colour of an area's tile or polygon: its value on the scale (better is darker) or its status."""
    layer = layer_of(item, colour_by)
    if layer == "suppressed":
        return SUPPRESSED_COLOUR
    if layer == "none":
        return NO_VALUE_COLOUR
    if layer != "value":
        return STATUS_COLOURS[layer]
    low, high = colour_range(values)
    return shade((item.value - low) / (high - low), values.indicator.direction)


def shade(share: float, direction: str) -> str:
    """The colour of a value ``share`` of the way from the lowest to the highest shown: better is darker."""
    share = 1 - share if direction == "lower" else share
    return sample_colorscale(SCALE, [LIGHTEST + (1 - LIGHTEST) * min(max(share, 0.0), 1.0)])[0]


def _layout(figure: go.Figure, language: str, height: int, meta: dict[str, Any]) -> go.Figure:
    figure.update_layout(
        separators=i18n.separators(language),
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        dragmode=False,
        hovermode="closest",
        showlegend=False,
        meta=meta,
    )
    return figure


def tiles_figure(
    values: AreaValues, language: str = "en", *, selected: str | None = None, colour_by: str = "value"
) -> go.Figure:
    """A tile per area, grouped by parent area, coloured by value (better is darker) or status; click to select."""
    unit = values.indicator.unit.value
    positions, labels = tile_grid(values.items)
    columns = max((c for c, _ in positions.values()), default=0) + 1
    rows = max((r for _, r in positions.values()), default=0) + 1
    grid: list[list[str | None]] = [[None] * columns for _ in range(rows)]
    layers: dict[str, list[AreaValue]] = {}
    for item in values.items:
        column, row = positions[item.code]
        grid[row][column] = item.code
        layers.setdefault(layer_of(item, colour_by), []).append(item)
    low, high = colour_range(values)
    figure = go.Figure()
    for layer, members in layers.items():
        z: list[list[float | None]] = [[None] * columns for _ in range(rows)]
        text: list[list[str]] = [[""] * columns for _ in range(rows)]
        hover: list[list[str]] = [[""] * columns for _ in range(rows)]
        for item in members:
            column, row = positions[item.code]
            z[row][column] = item.value if layer == "value" else 1.0
            text[row][column], hover[row][column] = _texts(item, unit, language)
        if layer == "value":
            steps = [i / 10 for i in range(11)]
            colours = {
                "colorscale": [[t, shade(t, values.indicator.direction)] for t in steps],
                "zmin": low,
                "zmax": high,
                "colorbar": {"thickness": 12, "len": 0.9},
            }
        else:
            colour = {"suppressed": SUPPRESSED_COLOUR, "none": NO_VALUE_COLOUR}.get(layer, STATUS_COLOURS.get(layer))
            colours = {"colorscale": [[0, colour], [1, colour]], "showscale": False}
        figure.add_trace(
            go.Heatmap(
                z=z,
                x=list(range(columns)),
                y=list(range(rows)),
                name=layer,
                text=text,
                # Hundreds of labelled tiles take the browser seconds to draw: then the labels are in the hover.
                texttemplate="%{text}" if len(values.items) <= LABELLED_TILES else None,
                textfont={"size": 11},
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
                hoverongaps=False,
                xgap=4,
                ygap=4,
                **colours,
            )
        )
    if selected in positions:
        column, row = positions[selected]
        figure.add_shape(
            type="rect", x0=column - 0.5, x1=column + 0.5, y0=row - 0.5, y1=row + 0.5, line=SELECTED, layer="above"
        )
    figure.update_xaxes(visible=False, range=[-0.5, columns - 0.5], fixedrange=True)
    figure.update_yaxes(
        range=[rows - 0.5, -0.5],
        fixedrange=True,
        showgrid=False,
        zeroline=False,
        tickvals=[row for row, _ in labels],
        ticktext=[name for _, name in labels],
        ticks="",
        automargin=True,
    )
    return _layout(figure, language, rows * TILE_PX + 30, {"tiles": grid})


def _rings(geometry: Mapping[str, Any]) -> tuple[list[float | None], list[float | None]]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    xs: list[float | None] = []
    ys: list[float | None] = []
    for polygon in polygons:
        for ring in polygon:
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
    return xs, ys


def boundaries_figure(
    values: AreaValues,
    geometries: Mapping[str, Mapping[str, Any]],
    language: str = "en",
    *,
    selected: str | None = None,
    colour_by: str = "value",
) -> go.Figure:
    """The uploaded boundaries as filled polygons (longitude, latitude), coloured as the tiles; click to select."""
    unit = values.indicator.unit.value
    drawn = [item for item in values.items if item.code in geometries]
    figure = go.Figure()
    latitudes: list[float] = []
    for item in sorted(drawn, key=lambda i: i.code == selected):  # the selected outline on top
        xs, ys = _rings(geometries[item.code])
        latitudes += [y for y in ys if y is not None]
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=fill_colour(item, values, colour_by),
                fillpattern={"shape": "/", "fgcolor": "#ffffff"} if item.suppressed else None,
                line=SELECTED if item.code == selected else {"color": "#ffffff", "width": 1},
                hoveron="fills",
                text=_texts(item, unit, language)[1],
                hoverinfo="text",
                name=item.code,
            )
        )
    middle = (min(latitudes) + max(latitudes)) / 2 if latitudes else 0.0
    figure.update_xaxes(visible=False, fixedrange=True)
    # Longitude and latitude at their true proportions around the middle of the map.
    figure.update_yaxes(
        visible=False, fixedrange=True, scaleanchor="x", scaleratio=1 / max(math.cos(math.radians(middle)), 0.1)
    )
    curves = [trace.name for trace in figure.data]
    return _layout(figure, language, 520, {"curves": curves})


def clicked_area(click: Mapping[str, Any] | None, meta: Mapping[str, Any] | None) -> str | None:
    """The code of the area a click on the map landed on, or None."""
    points = click.get("points") if isinstance(click, Mapping) else None
    if (
        not isinstance(meta, Mapping)
        or not isinstance(points, list)
        or not points
        or not isinstance(points[0], Mapping)
    ):
        return None
    point = points[0]
    if "tiles" in meta:
        try:
            row, column = int(point["y"]), int(point["x"])
            found = meta["tiles"][row][column] if row >= 0 and column >= 0 else None
        except (KeyError, IndexError, TypeError, ValueError):
            return None
        return found if isinstance(found, str) else None
    curves = meta.get("curves")
    number = point.get("curveNumber")
    if not isinstance(curves, list) or not isinstance(number, int) or not 0 <= number < len(curves):
        return None
    return curves[number] if isinstance(curves[number], str) else None
