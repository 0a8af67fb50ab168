"""The indicator page's sections and their charts: the series, the breakdown, the map."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from dash import dcc, html

from dashboard.context import _
from dashboard.data.analytics import AreaValues, Equity, Series
from dashboard.data.indicator import MAX_COMPARED, Meta
from dashboard.figures.compare import compare_figure
from dashboard.figures.equity import equity_figure
from dashboard.figures.series import series_figure
from dashboard.figures.tiles import boundaries_figure, tiles_figure
from dashboard.pages.indicator import parts
from dashboard.parts import choices, downloads
from dashboard.parts.components import GRAPH_CONFIG, level_label


def blank(text: str) -> go.Figure:
    """A chart with nothing to show says so, instead of drawing empty axes."""
    figure = go.Figure()
    figure.add_annotation(text=text, showarrow=False, font={"size": 14, "color": "#5f6368"})
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure.update_layout(height=140, plot_bgcolor="#ffffff", paper_bgcolor="#ffffff", margin={"t": 10, "b": 10})


def series_chart(many: list[Series], language: str) -> go.Figure:
    """The selected area's series with status, trajectory and trend; several areas as lines side by side."""
    if len(many) > 1:
        return compare_figure(many, language)
    return (
        series_figure(many[0], language) if many and (many[0].points or many[0].target) else blank(_("No values yet."))
    )


def names_of(meta: Meta, dimension: str | None, language: str) -> dict[str, str]:
    """The groups of a breakdown by code, named in the language."""
    found = meta.dimensions.get(dimension or "")
    return {v.code: v.name.get(language) for v in found.values} if found else {}


def equity_chart(equity: Equity | None, meta: Meta, language: str) -> tuple[go.Figure, str]:
    """The equity figure and the gap in words; a blank chart without values by group."""
    if equity is None or not equity.periods:
        return blank(""), _("No values by group for this area.")
    names = names_of(meta, equity.dimension, language)
    return equity_figure(equity, language, names), parts.gap_text(equity, names, language)


def map_chart(values: AreaValues, shapes: dict[str, Any], selected: str | None, colour_by: str, language: str):
    """The map of the level and period (boundaries when uploaded, else tiles), its click keys and a note."""
    if shapes:
        figure = boundaries_figure(values, shapes, language, selected=selected, colour_by=colour_by)
        missing = [item.name for item in values.items if item.code not in shapes]
        note = _("No boundary uploaded for: {areas}", areas=", ".join(missing)) if missing else ""
    else:
        figure, note = tiles_figure(values, language, selected=selected, colour_by=colour_by), ""
    return figure, figure.layout.meta, note


TOP = ("country", "province", "region")  # the levels a long list of areas offers before anything is typed


def area_options(meta: Meta, chosen: object = None, search: str | None = None) -> list[dict]:
    """The areas with values as dropdown options, their level named; a long list searched (``choices``)."""
    options = [{"label": f"{a.name} · {level_label(a.level)}", "value": a.code} for a in meta.areas]
    top = {a.code for a in meta.areas if a.level in TOP}
    return choices.searched(options, choices.chosen_of(chosen), search, top=top)


def series_section(meta: Meta, area: str | None, many: list[Series], language: str) -> html.Section:
    """The area and comparison choices, the status, the series chart and the downloads."""
    code = meta.indicator.code
    return html.Section(
        [
            html.Div(
                [
                    html.Label(
                        [
                            _("Area"),
                            dcc.Dropdown(
                                id="indicator-area",
                                options=area_options(meta, area),
                                value=area,
                                clearable=False,
                                placeholder=_("Type part of a name to find an area"),
                            ),
                        ]
                    ),
                    html.Label(
                        [
                            _("Compare with (up to {count})", count=MAX_COMPARED),
                            dcc.Dropdown(
                                id="indicator-compare",
                                options=area_options(meta),
                                value=[],
                                multi=True,
                                placeholder=_("Other areas"),
                            ),
                        ]
                    ),
                ],
                className="filters",
            ),
            html.Div(
                parts.status(many[0] if many else None, language), id="indicator-status", className="indicator-status"
            ),
            dcc.Graph(
                id="indicator-series",
                figure=series_chart(many, language),
                config=GRAPH_CONFIG | {"toImageButtonOptions": {"filename": code, "scale": 2}},
            ),
            html.Div(
                [
                    html.Button(_("Download data (CSV)"), id="indicator-csv", className="button secondary"),
                    html.Button(_("Download chart (PNG)"), id="indicator-png", className="button secondary"),
                    dcc.Download(id="indicator-download"),
                    dcc.Store(id="indicator-png-done"),
                ],
                className="indicator-downloads",
            ),
            downloads.buttons("indicator", _("Every reported value of this indicator:")),
        ],
        className="indicator-section",
    )


def breakdown_section(meta: Meta, equity: Equity | None, dimension: str | None, language: str) -> html.Section:
    """Group values over time and the gap; without a breakdown a sentence saying so (the controls stay, hidden)."""
    names = names_of(meta, dimension, language)
    options = [{"label": n, "value": c} for c, n in names.items()]
    figure, summary = equity_chart(equity, meta, language) if meta.dimensions else (blank(""), "")
    choose = [
        (
            _("Breakdown"),
            "indicator-dimension",
            [{"label": d.name.get(language), "value": c} for c, d in meta.dimensions.items()],
            dimension,
        ),
        (_("Group"), "indicator-group", options, equity.group if equity else next(iter(names), None)),
        (
            _("Compared with"),
            "indicator-reference",
            options,
            equity.reference if equity else next(reversed(names), None),
        ),
    ]
    view = html.Div(
        [
            html.Div(
                [
                    html.Label([label, dcc.Dropdown(id=i, options=o, value=v, clearable=False)])
                    for label, i, o, v in choose
                ],
                className="filters",
            ),
            html.P(summary, id="indicator-equity-summary", className="indicator-status"),
            dcc.Graph(id="indicator-equity", figure=figure, config=GRAPH_CONFIG),
        ],
        hidden=not meta.dimensions,
    )
    missing = html.P(_("This indicator has no breakdown by group."), className="empty", id="indicator-no-breakdown")
    title = html.H2(_("Breakdown: the equity gap"))
    return html.Section([title, view] if meta.dimensions else [title, missing, view], className="indicator-section")


def map_section(
    meta: Meta, values: AreaValues, shapes: dict[str, Any], area: str | None, language: str
) -> html.Section:
    """The level, period and colour choices, the map and its key."""
    figure, keys, note = map_chart(values, shapes, area, "value", language)
    return html.Section(
        [
            html.H2(_("Map")),
            html.Div(
                [
                    html.Label(
                        [
                            _("Areas"),
                            dcc.Dropdown(
                                id="indicator-level",
                                value=values.level,
                                clearable=False,
                                options=[{"label": level_label(lv), "value": lv} for lv in values.levels],
                            ),
                        ]
                    ),
                    html.Label(
                        [
                            _("Period"),
                            dcc.Dropdown(
                                id="indicator-period",
                                value=values.period,
                                clearable=False,
                                options=[{"label": p, "value": p} for p in reversed(values.periods)],
                            ),
                        ]
                    ),
                    html.Fieldset(
                        [
                            html.Legend(_("Colour by")),
                            dcc.RadioItems(
                                id="indicator-colour",
                                className="indicator-radio",
                                value="value",
                                inline=True,
                                options=[
                                    {"label": _("value"), "value": "value"},
                                    {"label": _("status"), "value": "status"},
                                ],
                            ),
                        ]
                    ),
                ],
                className="filters",
            ),
            html.P(_("Click an area to select it."), className="muted"),
            dcc.Graph(id="indicator-map", figure=figure, config=GRAPH_CONFIG | {"scrollZoom": False}),
            dcc.Store(id="indicator-map-keys", data=keys),
            html.Div(parts.map_key("value"), id="indicator-map-key"),
            html.P(note, id="indicator-map-note", className="muted"),
        ],
        className="indicator-section",
    )
