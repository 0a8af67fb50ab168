"""The indicator page's callbacks: another area, breakdown, level or period; the downloads; the map's clicks."""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, ctx, dcc, no_update

from dashboard import context
from dashboard.data import indicator
from dashboard.figures.tiles import clicked_area
from dashboard.pages.indicator import export, parts, sections
from dashboard.parts import choices, downloads

SELECT_CLICKED_AREA = (
    Output("indicator-area", "value"),
    Input("indicator-map", "clickData"),
    State("indicator-map-keys", "data"),
)


def select_clicked_area(click: dict | None, keys: dict | None) -> str:
    """An area clicked on the map becomes the selected area."""
    return clicked_area(click, keys) or no_update


FIND_AREA = (
    Output("indicator-area", "options"),
    Input("indicator-area", "search_value"),
    Input("indicator-area", "value"),
    State("indicator-code", "data"),
)
FIND_COMPARED = (
    Output("indicator-compare", "options"),
    Input("indicator-compare", "search_value"),
    Input("indicator-compare", "value"),
    State("indicator-code", "data"),
)


def find_area(search: str | None, chosen: object, code: str):
    """The areas to choose from as the reader types, and the chosen ones (a map's click among them): a long
    list is searched here, not sent whole."""
    meta = indicator.meta(code)
    if meta is None or len(meta.areas) <= choices.MANY:
        return no_update
    return sections.area_options(meta, chosen, search)


SHOW_AREA = (
    Output("indicator-series", "figure"),
    Output("indicator-status", "children"),
    Output("indicator-stories", "children"),
    Input("indicator-area", "value"),
    Input("indicator-compare", "value"),
    State("indicator-code", "data"),
)


def show_area(area: str, compare: list[str] | None, code: str):
    """The series, status and stories of the selected area (and the areas compared)."""
    language, meta = context.language(), indicator.meta(code)
    if meta is None or not isinstance(area, str):
        return no_update, no_update, no_update
    many = indicator.series(code, [area, *(compare if isinstance(compare, list) else [])])
    selected = next((s for s in many if s.area.code == area), None)
    names = {a.code: a.name for a in meta.areas}
    stories = parts.stories(indicator.stories(code, area), names, language)
    return sections.series_chart(many, language), parts.status(selected, language), stories


CHOOSE_DIMENSION = (
    Output("indicator-group", "options"),
    Output("indicator-group", "value"),
    Output("indicator-reference", "options"),
    Output("indicator-reference", "value"),
    Input("indicator-dimension", "value"),
    State("indicator-code", "data"),
)


def choose_dimension(dimension: str, code: str):
    """Another breakdown: its groups, the first and the last chosen."""
    meta = indicator.meta(code)
    if meta is None or not isinstance(dimension, str) or dimension not in meta.dimensions:
        return no_update, no_update, no_update, no_update
    names = sections.names_of(meta, dimension, context.language())
    options = [{"label": n, "value": c} for c, n in names.items()]
    codes = list(names)
    return options, codes[0], options, codes[-1]


SHOW_BREAKDOWN = (
    Output("indicator-equity", "figure"),
    Output("indicator-equity-summary", "children"),
    Input("indicator-area", "value"),
    Input("indicator-dimension", "value"),
    Input("indicator-group", "value"),
    Input("indicator-reference", "value"),
    State("indicator-code", "data"),
)


def show_breakdown(area: str, dimension: str, group: str, reference: str, code: str):
    """The gap between two groups of the breakdown for the area."""
    meta = indicator.meta(code)
    if meta is None or not meta.dimensions:
        return no_update, no_update
    equity = indicator.equity(code, area, dimension, group, reference)
    return sections.equity_chart(equity, meta, context.language())


CHOOSE_LEVEL = (
    Output("indicator-period", "options"),
    Output("indicator-period", "value"),
    Input("indicator-level", "value"),
    State("indicator-code", "data"),
)


def choose_level(level: str, code: str):
    """Another level of areas: its periods, the latest chosen."""
    found = indicator.map_values(code, level, None)
    if found is None:
        return no_update, no_update
    values = found[0]
    return [{"label": p, "value": p} for p in reversed(values.periods)], values.period


SHOW_MAP = (
    Output("indicator-map", "figure"),
    Output("indicator-map-keys", "data"),
    Output("indicator-map-note", "children"),
    Output("indicator-map-key", "children"),
    Input("indicator-area", "value"),
    Input("indicator-level", "value"),
    Input("indicator-period", "value"),
    Input("indicator-colour", "value"),
    State("indicator-code", "data"),
)


def show_map(area: str, level: str, period: str, colour_by: str, code: str):
    """The map of the level and period, coloured by value or status."""
    found = indicator.map_values(code, level, period)
    if found is None:
        return no_update, no_update, no_update, no_update
    values, shapes = found
    selected = area if isinstance(area, str) else None
    figure, keys, note = sections.map_chart(values, shapes, selected, colour_by, context.language())
    return figure, keys, note, parts.map_key(colour_by)


DOWNLOAD_CSV = (
    Output("indicator-download", "data"),
    Input("indicator-csv", "n_clicks"),
    State("indicator-code", "data"),
    State("indicator-area", "value"),
    State("indicator-compare", "value"),
    State("indicator-dimension", "value"),
    State("indicator-group", "value"),
    State("indicator-reference", "value"),
)


def download_csv(_clicks, code, area, compare, dimension, group, reference):
    """The chart's data as CSV, as the page shows it."""
    if indicator.meta(code) is None or not isinstance(area, str):
        return no_update
    many = indicator.series(code, [area, *(compare if isinstance(compare, list) else [])])
    equity = indicator.equity(code, area, dimension, group, reference) if dimension else None
    return dcc.send_string(export.chart_csv(many, equity), f"{code}-{area}.csv", type="text/csv")


DOWNLOAD_VALUES = (
    Output("indicator-export", "data"),
    *(Input(f"indicator-export-{fmt}", "n_clicks") for fmt in downloads.FORMATS),
    State("indicator-code", "data"),
)


def download_values(*args):
    """Every value of the indicator the user may see, in the format of the button pressed."""
    fmt, code = downloads.chosen(ctx.triggered_id), args[-1]
    if fmt is None or indicator.meta(code) is None:
        return no_update
    return downloads.observations(fmt, code)


# Run in the browser: assets/indicator.js.
DOWNLOAD_PNG = (
    ClientsideFunction(namespace="indicator", function_name="downloadPng"),
    Output("indicator-png-done", "data"),
    Input("indicator-png", "n_clicks"),
    State("indicator-code", "data"),
    State("indicator-area", "value"),
)


KEEP_IN_URL = (
    ClientsideFunction(namespace="indicator", function_name="keepInUrl"),
    Output("indicator-url", "data"),
    Input("indicator-area", "value"),
    Input("indicator-dimension", "value"),
)
