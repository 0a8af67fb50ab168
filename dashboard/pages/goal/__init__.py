"""A goal: each indicator as a small multiple for one area, and a league table of municipalities per indicator."""

from __future__ import annotations

import dash
from dash import Dash, dcc, html

from dashboard import context
from dashboard.context import _
from dashboard.data import metadata, stories
from dashboard.pages.goal import callbacks
from dashboard.pages.goal.callbacks import ALL, area_content, default_area, goal_progress, league_content
from dashboard.parts import activities, downloads, multiples
from dashboard.parts.components import link


def not_found(code: str | None) -> html.Div:
    """What the page says for an unknown goal."""
    return html.Div(
        [
            html.H1(_("Goal not found")),
            html.P(_("There is no goal with the code {code}.", code=code or "")),
            link(_("Back to the overview"), "/"),
        ],
        className="page",
        id="goal-not-found",
    )


def layout(
    code: str | None = None,
    area: str | None = None,
    indicator: str | None = None,
    period: str | None = None,
    region: str | None = None,
    **_query: str,
) -> html.Div:
    """The goal for an area, its downloads, the municipalities compared and the activities."""
    language = context.language()
    goal = metadata.goal(code)
    if goal is None:
        return not_found(code)
    places = multiples.areas()
    area = area if area in places else default_area(places)
    group = goal_progress(goal.code, area)
    indicators = group.indicators if group else []
    chosen = indicator if indicator in {i.code for i in indicators} else (indicators[0].code if indicators else None)
    region = region if region in places else ALL
    table, found = league_content(chosen, period, region, area)
    return html.Div(
        [
            html.P(link(_("Overview"), "/"), className="crumbs"),
            html.H1(goal.title.get(language)),
            html.P(goal.description.get(language) if goal.description else "", className="lead", id="goal-description"),
            html.Div(
                html.Label(
                    [
                        _("Area"),
                        dcc.Dropdown(
                            id="goal-area",
                            options=multiples.searched_options(places, area),
                            value=area,
                            clearable=False,
                            placeholder=_("Type part of a name to find an area"),
                        ),
                    ]
                ),
                className="filters",
            ),
            dcc.Loading(html.Div(area_content(goal.code, area), id="goal-area-content"), delay_show=300),
            downloads.buttons("goal", _("Progress of this goal in this area:")),
            html.H2(_("Municipalities compared")),
            html.P(
                _("Totals follow the indicator's rule: counts are added up, rates are recomputed from their counts."),
                className="lead",
            ),
            html.Div(
                [
                    html.Label(
                        [
                            _("Indicator"),
                            dcc.Dropdown(
                                id="goal-league-indicator",
                                options=[{"label": i.name.get(language), "value": i.code} for i in indicators],
                                value=chosen,
                                clearable=False,
                            ),
                        ],
                        className="wide",
                    ),
                    html.Label(
                        [
                            _("Period"),
                            dcc.Dropdown(
                                id="goal-league-period",
                                options=found.periods if found else [],
                                value=found.period if found else None,
                                clearable=False,
                            ),
                        ]
                    ),
                    html.Label(
                        [
                            _("Region"),
                            dcc.Dropdown(
                                id="goal-league-region",
                                options=[
                                    {"label": _("All municipalities"), "value": ALL},
                                    *multiples.area_options(places, municipalities=False),
                                ],
                                value=region,
                                clearable=False,
                            ),
                        ]
                    ),
                ],
                className="filters",
            ),
            dcc.Store(id="goal-code", data={"goal": goal.code}),
            dcc.Loading(html.Div(table, id="goal-league"), delay_show=300),
            html.H2(_("What the partners do")),
            html.P(_("Mutually reinforcing activities of the alliance's members towards this goal."), className="lead"),
            html.Div(
                activities.by_status(stories.activities_of(goal=goal.code), language, "goal"),
                id="goal-activities",
            ),
            *activities.edit_link("goal", goal=goal.code),
        ],
        className="page",
        **{"data-goal": goal.code},
    )


def register(app: Dash) -> None:
    """The page and its callbacks."""
    dash.register_page(__name__, path_template="/goal/<code>", title="Backbone · Goal", layout=layout)
    app.callback(*callbacks.CHOOSE_AREA, prevent_initial_call=True)(callbacks.choose_area)
    app.callback(*callbacks.DOWNLOAD_PROGRESS, prevent_initial_call=True)(callbacks.download_progress)
    app.callback(*callbacks.CHOOSE_LEAGUE, prevent_initial_call=True)(callbacks.choose_league)
    app.callback(*callbacks.LEAGUE_ROWS, prevent_initial_call=True)(callbacks.league_rows)
    app.callback(*callbacks.FIND_AREA, prevent_initial_call=True)(callbacks.find_area)
