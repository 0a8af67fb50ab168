"""The goal page's content for a choice of area and indicator, and the callbacks that change it."""

from __future__ import annotations

from dash import Input, Output, State, ctx, html, no_update

from dashboard.context import _
from dashboard.data import analytics
from dashboard.parts import choices, downloads, league, multiples
from dashboard.parts.league import league_view

ALL = "all"


def default_area(places: dict[str, tuple[str, str | None, str]]) -> str | None:
    """The top area over the most municipalities: the whole alliance where it has one top."""
    tops = [c for c, (_n, parent, _l) in places.items() if parent is None or parent not in places]
    below = dict.fromkeys(tops, 0)
    for code, (_n, _p, level) in places.items():
        if level == "municipality":
            top = multiples.chain(code, places)[0]
            below[top] = below.get(top, 0) + 1
    return max(sorted(tops), key=lambda c: below.get(c, 0), default=None)


def goal_progress(code: str, area: str | None) -> analytics.GoalAreaProgress | None:
    """The goal's progress for the area; None without an area or indicators."""
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


def league_content(indicator: str | None, period: str | None, region: str | None, area: str | None):
    """The league table for the indicator, and the periods it has values for."""
    if indicator is None:
        return html.P(_("No indicators for this goal yet."), className="empty"), []
    found = analytics.league(indicator, period, None if region in (None, ALL) else region)
    return league_view(found, "goal", highlight=area), found


CHOOSE_AREA = (Output("goal-area-content", "children"), Input("goal-area", "value"), State("goal-code", "data"))


def choose_area(area: str, page: dict) -> list:
    """Another area: its summary and small multiples."""
    return area_content(page["goal"], area)


DOWNLOAD_PROGRESS = (
    Output("goal-export", "data"),
    *(Input(f"goal-export-{fmt}", "n_clicks") for fmt in downloads.FORMATS),
    State("goal-code", "data"),
    State("goal-area", "value"),
)


def download_progress(*args):
    """The goal's progress in the chosen area, as a file in the format of the button pressed."""
    fmt, page, area = downloads.chosen(ctx.triggered_id), args[-2], args[-1]
    if fmt is None or not isinstance(page, dict) or not isinstance(page.get("goal"), str):
        return no_update
    return downloads.progress(fmt, page["goal"], area if isinstance(area, str) else None)


CHOOSE_LEAGUE = (
    Output("goal-league", "children"),
    Output("goal-league-period", "options"),
    Output("goal-league-period", "value"),
    Input("goal-league-indicator", "value"),
    Input("goal-league-period", "value"),
    Input("goal-league-region", "value"),
    Input("goal-area", "value"),
)


def choose_league(indicator: str, period: str | None, region: str, area: str):
    """The league table for the chosen indicator, period and region, the area highlighted."""
    # Another indicator has periods of its own: start from its latest.
    asked = None if ctx.triggered_id == "goal-league-indicator" else period
    table, found = league_content(indicator, asked, region, area)
    return table, (found.periods if found else []), (found.period if found else None)


LEAGUE_ROWS = (
    Output("goal-league-table", "getRowsResponse"),
    Input("goal-league-table", "getRowsRequest"),
    State("goal-league-indicator", "value"),
    State("goal-league-period", "value"),
    State("goal-league-region", "value"),
)


def league_rows(request: dict | None, indicator: str | None, period: str | None, region: str | None):
    """A page of a long league's rows, as the table asks for them (sorted on the server)."""
    if not isinstance(request, dict) or not isinstance(indicator, str):
        return no_update
    found = analytics.league(indicator, period, None if region in (None, ALL) else region)
    return league.rows_asked(found, request)


FIND_AREA = (Output("goal-area", "options"), Input("goal-area", "search_value"), State("goal-area", "value"))


def find_area(search: str | None, area: str | None) -> list[dict]:
    """The areas to choose from as the reader types (a long list is searched here, not sent whole)."""
    places = multiples.areas()
    if len(places) <= choices.MANY:
        return no_update
    return multiples.searched_options(places, area if isinstance(area, str) else None, search)
