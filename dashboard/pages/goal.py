"""A goal: each indicator as a small multiple for one area, and a league table of municipalities per indicator."""

from __future__ import annotations

import dash
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard import activities_view, context, downloads, multiples
from dashboard.components import link
from dashboard.context import _
from dashboard.data import analytics, metadata, stories
from dashboard.league import league_view

ALL = "all"


def default_area(places: dict[str, tuple[str, str | None, str]]) -> str | None:
    """The top area over the most municipalities: the whole alliance where it has one top."""
    tops = [c for c, (_n, parent, _l) in places.items() if parent is None or parent not in places]
    below = {c: 0 for c in tops}
    for code, (_n, _p, level) in places.items():
        if level == "municipality":
            top = multiples.chain(code, places)[0]
            below[top] = below.get(top, 0) + 1
    return max(sorted(tops), key=lambda c: below.get(c, 0), default=None)


def goal_progress(code: str, area: str | None) -> analytics.GoalAreaProgress | None:
    if area is None:
        return None
    found = analytics.progress(1, goal=code, area=area)
    return found[0] if found else None


def area_content(code: str, area: str | None) -> list:
    """The status summary and the small multiples of the goal's indicators for an area."""
    group = goal_progress(code, area)
    if group is None:
        return [html.P(_("No indicators for this goal yet."), className="empty")]
    return [
        html.P(multiples.summary_text(group.summary), className="summary", id="goal-summary"),
        multiples.multiples(group, "goal"),
    ]


def league_content(indicator: str | None, period: str | None, region: str | None, area: str | None):  # noqa: ANN201
    """The league table for the indicator, and the periods it has values for."""
    if indicator is None:
        return html.P(_("No indicators for this goal yet."), className="empty"), []
    found = analytics.league(indicator, period, None if region in (None, ALL) else region)
    return league_view(found, "goal", highlight=area), found


def not_found(code: str | None) -> html.Div:
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
                            id="goal-area", options=multiples.area_options(places), value=area, clearable=False
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
                                options=[{"label": _("All municipalities"), "value": ALL}]
                                + multiples.area_options(places, municipalities=False),
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
                activities_view.by_status(stories.activities_of(goal=goal.code), language, "goal"),
                id="goal-activities",
            ),
            *activities_view.edit_link("goal", goal=goal.code),
        ],
        className="page",
        **{"data-goal": goal.code},
    )


def register(app: Dash) -> None:
    dash.register_page(__name__, path_template="/goal/<code>", title="Backbone · Goal", layout=layout)

    @app.callback(
        Output("goal-area-content", "children"),
        Input("goal-area", "value"),
        State("goal-code", "data"),
        prevent_initial_call=True,
    )
    def choose_area(area: str, page: dict) -> list:
        return area_content(page["goal"], area)

    @app.callback(
        Output("goal-export", "data"),
        *(Input(f"goal-export-{fmt}", "n_clicks") for fmt in downloads.FORMATS),
        State("goal-code", "data"),
        State("goal-area", "value"),
        prevent_initial_call=True,
    )
    def download_progress(*args):  # noqa: ANN002, ANN202
        fmt, page, area = downloads.chosen(ctx.triggered_id), args[-2], args[-1]
        if fmt is None or not isinstance(page, dict) or not isinstance(page.get("goal"), str):
            return no_update
        return downloads.progress(fmt, page["goal"], area if isinstance(area, str) else None)

    @app.callback(
        Output("goal-league", "children"),
        Output("goal-league-period", "options"),
        Output("goal-league-period", "value"),
        Input("goal-league-indicator", "value"),
        Input("goal-league-period", "value"),
        Input("goal-league-region", "value"),
        Input("goal-area", "value"),
        prevent_initial_call=True,
    )
    def choose_league(indicator: str, period: str | None, region: str, area: str):  # noqa: ANN202
        # Another indicator has periods of its own: start from its latest.
        asked = None if ctx.triggered_id == "goal-league-indicator" else period
        table, found = league_content(indicator, asked, region, area)
        return table, (found.periods if found else []), (found.period if found else None)
