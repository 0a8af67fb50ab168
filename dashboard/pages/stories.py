"""Stories and activities: members tell the story behind their curves and register their organisation's activities.

``/stories?indicator=<code>&area=<code>&goal=<code>`` (the goal and indicator pages link here).
A text is written in one language at a time (the form's language); its other translations
are kept. Staff may change everyone's; members their own organisation's.
"""

from __future__ import annotations

import dash
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from api.errors import BackboneError
from dashboard import context, stories_actions, stories_forms
from dashboard.components import guard, link, notice
from dashboard.context import _
from dashboard.data.sessions import Principal
from dashboard.session import may_open
from dashboard.stories_actions import NEW
from dashboard.stories_forms import label

REFUSED = (BackboneError, ValueError, TypeError)  # ValidationError is a ValueError


def layout(indicator: str | None = None, area: str | None = None, goal: str | None = None, **_query: str):
    if (blocked := guard("stories")) is not None:
        return blocked
    principal, language = context.user(), context.language()
    choices = stories_actions.choices(principal)
    came_from = indicator if indicator in {c for c, _n in choices.all_indicators} else None
    indicator = indicator if indicator in {c for c, _n in choices.indicators} else None
    area = area if area in {c for c, _n in choices.areas} else None
    goal = goal if goal in {c for c, _t in choices.goals} else None
    back = [link(_("Back to the indicator"), f"/indicator/{came_from}")] if came_from else []
    back += [link(_("Back to the goal"), f"/goal/{goal}")] if goal else []
    back = [part for n, found in enumerate(back) for part in ([" · "] if n else []) + [found]]
    return html.Div(
        [
            html.P(back, className="crumbs"),
            html.H1(_("Stories and activities")),
            html.P(
                _(
                    "Stories and activities are saved for {organisation}; they show on the goal and indicator pages.",
                    organisation=choices.organisation,
                ),
                className="lead",
            ),
            html.Div(
                label(
                    _("Language of the text"),
                    dcc.Dropdown(
                        id="stories-language",
                        options=[{"label": n, "value": c} for c, n in stories_forms.LANGUAGE_NAMES.items()],
                        value=language,
                        clearable=False,
                    ),
                ),
                className="filters",
            ),
            html.Section(
                stories_forms.narrative_form(principal, choices, language, indicator, area), className="stories-section"
            ),
            html.Section(stories_forms.activity_form(principal, choices, language, goal), className="stories-section"),
        ],
        className="page stories-page",
    )


def _allowed() -> Principal | None:
    """The user if they may still write here (a callback can be called directly, or after logging out)."""
    principal = context.user()
    return principal if may_open("stories", principal) else None


def _refused() -> html.Div:
    return notice(_("Your session has ended or does not allow this: log in again."), "error")


def _load_narrative(principal: Principal, chosen: object, language: str) -> tuple:
    """The form's fields for the chosen narrative: indicator (fixed once told), area, period, text."""
    found = stories_actions.find(stories_actions.narratives(principal), chosen)
    if found is None:
        return (
            no_update,
            False,
            no_update,
            no_update,
            "" if ctx.triggered_id == "stories-narrative-choice" else no_update,
        )
    return found.indicator, True, found.area or "", found.period or "", getattr(found.text, language) or ""


def _load_activity(principal: Principal, chosen: object, language: str) -> tuple:
    """The form's fields for the chosen activity; a new one starts from an empty title and description."""
    found = stories_actions.find(stories_actions.activities(principal), chosen)
    if found is None:
        empty = "" if ctx.triggered_id == "stories-activity-choice" else no_update
        return (*[no_update] * 6, empty, empty)
    description = getattr(found.description, language) or "" if found.description else ""
    start, end = (d.isoformat() if d else "" for d in (found.start_date, found.end_date))
    fields = (found.goal, found.status.value, start, end, found.indicators, found.areas)
    return (*fields, getattr(found.title, language) or "", description)


def _write(kind: str, action, principal: Principal, chosen: object, *args: object) -> tuple:  # noqa: ANN001
    """Save or delete; then the outcome, the refreshed choices and what to choose (the saved item, or a new one)."""
    language = context.language()
    options = getattr(stories_actions, f"{kind}_options")
    try:
        made = action(principal, chosen, *args)
    except REFUSED as exc:
        return notice(stories_actions.problem(exc), "error", id=f"stories-{kind}-outcome"), no_update, no_update
    done = _("Saved.") if made is not None else _("Deleted.")
    return notice(done, id=f"stories-{kind}-outcome"), options(principal, language), made if made is not None else NEW


def register(app: Dash) -> None:
    dash.register_page(__name__, path="/stories", title="Backbone · Stories and activities", layout=layout)

    @app.callback(
        Output("stories-narrative-indicator", "value"),
        Output("stories-narrative-indicator", "disabled"),
        Output("stories-narrative-area", "value"),
        Output("stories-narrative-period", "value"),
        Output("stories-narrative-text", "value"),
        Input("stories-narrative-choice", "value"),
        Input("stories-language", "value"),
        prevent_initial_call=True,
    )
    def load_narrative(chosen: object, language: object):  # noqa: ANN202
        principal = _allowed()
        if principal is None or language not in stories_forms.LANGUAGE_NAMES:
            return (no_update,) * 5
        return _load_narrative(principal, chosen, language)

    @app.callback(
        Output("stories-narrative-result", "children"),
        Output("stories-narrative-choice", "options"),
        Output("stories-narrative-choice", "value"),
        Input("stories-narrative-save", "n_clicks"),
        State("stories-narrative-choice", "value"),
        State("stories-narrative-indicator", "value"),
        State("stories-narrative-area", "value"),
        State("stories-narrative-period", "value"),
        State("stories-narrative-text", "value"),
        State("stories-language", "value"),
        prevent_initial_call=True,
    )
    def save_narrative(_clicks, chosen, indicator, area, period, text, language):  # noqa: ANN001, ANN202
        principal = _allowed()
        if principal is None:
            return _refused(), no_update, no_update
        form = {"indicator": indicator, "area": area, "period": period, "text": text}
        return _write("narrative", stories_actions.save_narrative, principal, chosen, form, language)

    @app.callback(
        Output("stories-narrative-result", "children", allow_duplicate=True),
        Output("stories-narrative-choice", "options", allow_duplicate=True),
        Output("stories-narrative-choice", "value", allow_duplicate=True),
        Input("stories-narrative-delete", "submit_n_clicks"),
        State("stories-narrative-choice", "value"),
        prevent_initial_call=True,
    )
    def delete_narrative(_clicks, chosen):  # noqa: ANN001, ANN202
        principal = _allowed()
        if principal is None:
            return _refused(), no_update, no_update
        if chosen == NEW:
            return notice(_("Choose a story to delete."), id="stories-narrative-outcome"), no_update, no_update
        return _write("narrative", stories_actions.delete_narrative, principal, chosen)

    @app.callback(
        Output("stories-activity-goal", "value"),
        Output("stories-activity-status", "value"),
        Output("stories-activity-start", "value"),
        Output("stories-activity-end", "value"),
        Output("stories-activity-indicators", "value"),
        Output("stories-activity-areas", "value"),
        Output("stories-activity-title", "value"),
        Output("stories-activity-description", "value"),
        Input("stories-activity-choice", "value"),
        Input("stories-language", "value"),
        prevent_initial_call=True,
    )
    def load_activity(chosen: object, language: object):  # noqa: ANN202
        principal = _allowed()
        if principal is None or language not in stories_forms.LANGUAGE_NAMES:
            return (no_update,) * 8
        return _load_activity(principal, chosen, language)

    @app.callback(
        Output("stories-activity-result", "children"),
        Output("stories-activity-choice", "options"),
        Output("stories-activity-choice", "value"),
        Input("stories-activity-save", "n_clicks"),
        State("stories-activity-choice", "value"),
        State("stories-activity-goal", "value"),
        State("stories-activity-status", "value"),
        State("stories-activity-start", "value"),
        State("stories-activity-end", "value"),
        State("stories-activity-indicators", "value"),
        State("stories-activity-areas", "value"),
        State("stories-activity-title", "value"),
        State("stories-activity-description", "value"),
        State("stories-language", "value"),
        prevent_initial_call=True,
    )
    def save_activity(_clicks, chosen, goal, status, start, end, indicators, areas, title, description, language):  # noqa: ANN001, ANN202, PLR0913
        principal = _allowed()
        if principal is None:
            return _refused(), no_update, no_update
        form = {
            "goal": goal,
            "status": status,
            "start": start,
            "end": end,
            "indicators": indicators,
            "areas": areas,
            "title": title,
            "description": description,
        }
        return _write("activity", stories_actions.save_activity, principal, chosen, form, language)

    @app.callback(
        Output("stories-activity-result", "children", allow_duplicate=True),
        Output("stories-activity-choice", "options", allow_duplicate=True),
        Output("stories-activity-choice", "value", allow_duplicate=True),
        Input("stories-activity-delete", "submit_n_clicks"),
        State("stories-activity-choice", "value"),
        prevent_initial_call=True,
    )
    def delete_activity(_clicks, chosen):  # noqa: ANN001, ANN202
        principal = _allowed()
        if principal is None:
            return _refused(), no_update, no_update
        if chosen == NEW:
            return notice(_("Choose an activity to delete."), id="stories-activity-outcome"), no_update, no_update
        return _write("activity", stories_actions.delete_activity, principal, chosen)
