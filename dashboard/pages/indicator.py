"""One indicator: its series per area with trajectory and target, the equity gap, a map of the areas, the stories.

``/indicator/<code>?area=<area code>&breakdown=<dimension>[:<group>]``. Everything is read
through the services as the current user, so suppression follows the user's role; an
indicator the user may not see (unpublished, for the public) is simply not found.
"""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard import activities_view, context, downloads
from dashboard.components import link
from dashboard.context import _
from dashboard.data import indicator, stories
from dashboard.figures.tiles import clicked_area
from dashboard.indicator_view import export, parts, sections


def _breakdown(text: str | None, meta: indicator.Meta) -> tuple[str | None, str | None]:
    """The dimension (default ``ses``, else the first) and group asked for by ``breakdown=ses`` or ``ses:low``."""
    dimension, _sep, group = (text or "").partition(":")
    if dimension not in meta.dimensions:
        dimension = "ses" if "ses" in meta.dimensions else next(iter(meta.dimensions), None)
        group = ""
    values = [v.code for v in meta.dimensions[dimension].values] if dimension else []
    return dimension, group if group in values else None


def not_found(code: str | None) -> html.Div:
    return html.Div(
        [
            html.H1(_("Indicator not found"), id="indicator-not-found"),
            html.P(_("There is no indicator '{code}', or it is not published.", code=code or "")),
            link(_("All indicators"), "/indicator", className="button"),
        ],
        className="page",
    )


def layout(code: str | None = None, area: str | None = None, breakdown: str | None = None, **_query: str) -> html.Div:
    language = context.language()
    meta = indicator.meta(code)
    if meta is None:
        return not_found(code)
    code, area = meta.indicator.code, meta.area(area)
    dimension, group = _breakdown(breakdown, meta)
    many = indicator.series(code, [area]) if area else []
    equity = indicator.equity(code, area, dimension, group, None) if meta.dimensions else None
    found = indicator.map_values(code, None, None)
    if found is None:
        return not_found(code)
    values, shapes = found
    names = {a.code: a.name for a in meta.areas}
    return html.Div(
        [
            dcc.Store(id="indicator-code", data=code),
            dcc.Store(id="indicator-url"),
            parts.header(meta, language),
            sections.series_section(meta, area, many, language),
            sections.breakdown_section(meta, equity, dimension, language),
            sections.map_section(meta, values, shapes, area, language),
            html.Section(
                [
                    html.H2(_("The story behind the curve")),
                    html.Div(parts.stories(indicator.stories(code, area), names, language), id="indicator-stories"),
                    html.H3(_("Activities contributing to this indicator")),
                    html.Div(
                        activities_view.by_status(
                            stories.activities_of(indicator=code), language, "indicator", html.H4
                        ),
                        id="indicator-activities",
                    ),
                    *activities_view.edit_link("indicator", indicator=code, area=area or ""),
                ],
                className="indicator-section",
            ),
        ],
        className="page indicator-page",
    )


def register(app: Dash) -> None:
    dash.register_page(__name__, path_template="/indicator/<code>", title="Backbone · Indicator", layout=layout)

    @app.callback(
        Output("indicator-area", "value"),
        Input("indicator-map", "clickData"),
        State("indicator-map-keys", "data"),
        prevent_initial_call=True,
    )
    def select_clicked_area(click: dict | None, keys: dict | None) -> str:
        return clicked_area(click, keys) or no_update

    @app.callback(
        Output("indicator-series", "figure"),
        Output("indicator-status", "children"),
        Output("indicator-stories", "children"),
        Input("indicator-area", "value"),
        Input("indicator-compare", "value"),
        State("indicator-code", "data"),
        prevent_initial_call=True,
    )
    def show_area(area: str, compare: list[str] | None, code: str):  # noqa: ANN202
        language, meta = context.language(), indicator.meta(code)
        if meta is None or not isinstance(area, str):
            return no_update, no_update, no_update
        many = indicator.series(code, [area, *(compare if isinstance(compare, list) else [])])
        selected = next((s for s in many if s.area.code == area), None)
        names = {a.code: a.name for a in meta.areas}
        stories = parts.stories(indicator.stories(code, area), names, language)
        return sections.series_chart(many, language), parts.status(selected, language), stories

    @app.callback(
        Output("indicator-group", "options"),
        Output("indicator-group", "value"),
        Output("indicator-reference", "options"),
        Output("indicator-reference", "value"),
        Input("indicator-dimension", "value"),
        State("indicator-code", "data"),
        prevent_initial_call=True,
    )
    def choose_dimension(dimension: str, code: str):  # noqa: ANN202
        meta = indicator.meta(code)
        if meta is None or not isinstance(dimension, str) or dimension not in meta.dimensions:
            return no_update, no_update, no_update, no_update
        names = sections.names_of(meta, dimension, context.language())
        options = [{"label": n, "value": c} for c, n in names.items()]
        codes = list(names)
        return options, codes[0], options, codes[-1]

    @app.callback(
        Output("indicator-equity", "figure"),
        Output("indicator-equity-summary", "children"),
        Input("indicator-area", "value"),
        Input("indicator-dimension", "value"),
        Input("indicator-group", "value"),
        Input("indicator-reference", "value"),
        State("indicator-code", "data"),
        prevent_initial_call=True,
    )
    def show_breakdown(area: str, dimension: str, group: str, reference: str, code: str):  # noqa: ANN202
        meta = indicator.meta(code)
        if meta is None or not meta.dimensions:
            return no_update, no_update
        equity = indicator.equity(code, area, dimension, group, reference)
        return sections.equity_chart(equity, meta, context.language())

    @app.callback(
        Output("indicator-period", "options"),
        Output("indicator-period", "value"),
        Input("indicator-level", "value"),
        State("indicator-code", "data"),
        prevent_initial_call=True,
    )
    def choose_level(level: str, code: str):  # noqa: ANN202
        found = indicator.map_values(code, level, None)
        if found is None:
            return no_update, no_update
        values = found[0]
        return [{"label": p, "value": p} for p in reversed(values.periods)], values.period

    @app.callback(
        Output("indicator-map", "figure"),
        Output("indicator-map-keys", "data"),
        Output("indicator-map-note", "children"),
        Output("indicator-map-key", "children"),
        Input("indicator-area", "value"),
        Input("indicator-level", "value"),
        Input("indicator-period", "value"),
        Input("indicator-colour", "value"),
        State("indicator-code", "data"),
        prevent_initial_call=True,
    )
    def show_map(area: str, level: str, period: str, colour_by: str, code: str):  # noqa: ANN202
        found = indicator.map_values(code, level, period)
        if found is None:
            return no_update, no_update, no_update, no_update
        values, shapes = found
        selected = area if isinstance(area, str) else None
        figure, keys, note = sections.map_chart(values, shapes, selected, colour_by, context.language())
        return figure, keys, note, parts.map_key(colour_by)

    @app.callback(
        Output("indicator-download", "data"),
        Input("indicator-csv", "n_clicks"),
        State("indicator-code", "data"),
        State("indicator-area", "value"),
        State("indicator-compare", "value"),
        State("indicator-dimension", "value"),
        State("indicator-group", "value"),
        State("indicator-reference", "value"),
        prevent_initial_call=True,
    )
    def download_csv(_clicks, code, area, compare, dimension, group, reference):  # noqa: ANN001, ANN202
        if indicator.meta(code) is None or not isinstance(area, str):
            return no_update
        many = indicator.series(code, [area, *(compare if isinstance(compare, list) else [])])
        equity = indicator.equity(code, area, dimension, group, reference) if dimension else None
        return dcc.send_string(export.chart_csv(many, equity), f"{code}-{area}.csv", type="text/csv")

    @app.callback(
        Output("indicator-export", "data"),
        *(Input(f"indicator-export-{fmt}", "n_clicks") for fmt in downloads.FORMATS),
        State("indicator-code", "data"),
        prevent_initial_call=True,
    )
    def download_values(*args):  # noqa: ANN002, ANN202
        fmt, code = downloads.chosen(ctx.triggered_id), args[-1]
        if fmt is None or indicator.meta(code) is None:
            return no_update
        return downloads.observations(fmt, code)

    app.clientside_callback(
        ClientsideFunction(namespace="indicator", function_name="downloadPng"),
        Output("indicator-png-done", "data"),
        Input("indicator-png", "n_clicks"),
        State("indicator-code", "data"),
        State("indicator-area", "value"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="indicator", function_name="keepInUrl"),
        Output("indicator-url", "data"),
        Input("indicator-area", "value"),
        Input("indicator-dimension", "value"),
        prevent_initial_call=True,
    )
