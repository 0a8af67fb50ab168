"""One indicator: its series per area with trajectory and target, the equity gap, a map of the areas, the stories.

``/indicator/<code>?area=<area code>&breakdown=<dimension>[:<group>]``. Everything is read
through the services as the current user, so suppression follows the user's role; an
indicator the user may not see (unpublished, for the public) is simply not found.
"""

from __future__ import annotations

import dash
from dash import Dash, dcc, html

from dashboard import context
from dashboard.context import _
from dashboard.data import indicator, stories
from dashboard.pages.indicator import callbacks, parts, sections
from dashboard.parts import activities
from dashboard.parts.components import link


def _breakdown(text: str | None, meta: indicator.Meta) -> tuple[str | None, str | None]:
    """The dimension (default ``ses``, else the first) and group asked for by ``breakdown=ses`` or ``ses:low``."""
    dimension, _sep, group = (text or "").partition(":")
    if dimension not in meta.dimensions:
        dimension = "ses" if "ses" in meta.dimensions else next(iter(meta.dimensions), None)
        group = ""
    values = [v.code for v in meta.dimensions[dimension].values] if dimension else []
    return dimension, group if group in values else None


def not_found(code: str | None) -> html.Div:
    """What the page says for an unknown or hidden indicator."""
    return html.Div(
        [
            html.H1(_("Indicator not found"), id="indicator-not-found"),
            html.P(_("There is no indicator '{code}', or it is not published.", code=code or "")),
            link(_("All indicators"), "/indicator", className="button"),
        ],
        className="page",
    )


def layout(code: str | None = None, area: str | None = None, breakdown: str | None = None, **_query: str) -> html.Div:
    """The indicator's header, series, breakdown, map and stories for an area."""
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
                        activities.by_status(stories.activities_of(indicator=code), language, "indicator", html.H4),
                        id="indicator-activities",
                    ),
                    *activities.edit_link("indicator", indicator=code, area=area or ""),
                ],
                className="indicator-section",
            ),
        ],
        className="page indicator-page",
    )


def register(app: Dash) -> None:
    """The page and its callbacks."""
    dash.register_page(__name__, path_template="/indicator/<code>", title="Backbone · Indicator", layout=layout)
    app.callback(*callbacks.SELECT_CLICKED_AREA, prevent_initial_call=True)(callbacks.select_clicked_area)
    app.callback(*callbacks.SHOW_AREA, prevent_initial_call=True)(callbacks.show_area)
    app.callback(*callbacks.FIND_AREA, prevent_initial_call=True)(callbacks.find_area)
    app.callback(*callbacks.FIND_COMPARED, prevent_initial_call=True)(callbacks.find_area)
    app.callback(*callbacks.CHOOSE_DIMENSION, prevent_initial_call=True)(callbacks.choose_dimension)
    app.callback(*callbacks.SHOW_BREAKDOWN, prevent_initial_call=True)(callbacks.show_breakdown)
    app.callback(*callbacks.CHOOSE_LEVEL, prevent_initial_call=True)(callbacks.choose_level)
    app.callback(*callbacks.SHOW_MAP, prevent_initial_call=True)(callbacks.show_map)
    app.callback(*callbacks.DOWNLOAD_CSV, prevent_initial_call=True)(callbacks.download_csv)
    app.callback(*callbacks.DOWNLOAD_VALUES, prevent_initial_call=True)(callbacks.download_values)
    app.clientside_callback(*callbacks.DOWNLOAD_PNG, prevent_initial_call=True)
    app.clientside_callback(*callbacks.KEEP_IN_URL, prevent_initial_call=True)
