"""The stories page's two forms: a narrative (the story behind a curve) and an activity."""

from __future__ import annotations

from dash import dcc, html

from dashboard import stories_actions
from dashboard.activities_view import STATUSES
from dashboard.context import _
from dashboard.data.sessions import Principal
from dashboard.data.stories import Choices
from dashboard.stories_actions import NEW

LANGUAGE_NAMES = {"nl": "Nederlands", "de": "Deutsch", "en": "English"}


def label(text: str, control: object, wide: bool = False) -> html.Label:
    return html.Label([text, control], className="wide" if wide else None)


def narrative_form(
    principal: Principal, choices: Choices, language: str, indicator: str | None, area: str | None
) -> list:
    areas = [{"label": name, "value": code} for code, name in choices.areas]
    if principal.is_admin:
        areas.insert(0, {"label": _("The whole alliance"), "value": ""})
    indicators = [{"label": n.get(language), "value": c} for c, n in choices.indicators]
    return [
        html.H2(_("The story behind a curve")),
        html.P(
            _("What works, what partners do, what is next: for an indicator you report, in your area."),
            className="lead",
        ),
        html.Div(
            [
                label(
                    _("Story"),
                    dcc.Dropdown(
                        id="stories-narrative-choice",
                        options=stories_actions.narrative_options(principal, language),
                        value=NEW,
                        clearable=False,
                    ),
                    wide=True,
                ),
                label(
                    _("Indicator"),
                    dcc.Dropdown(id="stories-narrative-indicator", options=indicators, value=indicator),
                    wide=True,
                ),
                label(_("Area"), dcc.Dropdown(id="stories-narrative-area", options=areas, value=area)),
                label(
                    _("Period (optional)"),
                    dcc.Input(
                        id="stories-narrative-period", type="text", maxLength=16, placeholder=_("e.g. 2024 or 2024/25")
                    ),
                ),
            ],
            className="filters",
        ),
        label(
            _("Text"), dcc.Textarea(id="stories-narrative-text", maxLength=2000, className="stories-text"), wide=True
        ),
        html.Div(
            [
                html.Button(_("Save"), id="stories-narrative-save", className="button", n_clicks=0),
                dcc.ConfirmDialogProvider(
                    html.Button(_("Delete"), className="link-button"),
                    id="stories-narrative-delete",
                    message=_("Delete this story?"),
                ),
            ],
            className="entry-actions",
        ),
        html.Div(id="stories-narrative-result"),
    ]


def activity_form(principal: Principal, choices: Choices, language: str, goal: str | None) -> list:
    statuses = [{"label": _(label), "value": status.value} for status, label in STATUSES.items()]
    return [
        html.H2(_("Activities")),
        html.P(_("What your organisation does towards a goal, with its status."), className="lead"),
        html.Div(
            [
                label(
                    _("Activity"),
                    dcc.Dropdown(
                        id="stories-activity-choice",
                        options=stories_actions.activity_options(principal, language),
                        value=NEW,
                        clearable=False,
                    ),
                    wide=True,
                ),
                label(
                    _("Goal"),
                    dcc.Dropdown(
                        id="stories-activity-goal",
                        options=[{"label": t.get(language), "value": c} for c, t in choices.goals],
                        value=goal,
                    ),
                    wide=True,
                ),
                label(
                    _("Status"),
                    dcc.Dropdown(id="stories-activity-status", options=statuses, value="planned", clearable=False),
                ),
                label(_("Start"), dcc.Input(id="stories-activity-start", type="date")),
                label(_("End"), dcc.Input(id="stories-activity-end", type="date")),
            ],
            className="filters",
        ),
        html.Div(
            [
                label(
                    _("Indicators it works on"),
                    dcc.Dropdown(
                        id="stories-activity-indicators",
                        options=[{"label": n.get(language), "value": c} for c, n in choices.all_indicators],
                        multi=True,
                    ),
                    wide=True,
                ),
                label(
                    _("Areas"),
                    dcc.Dropdown(
                        id="stories-activity-areas",
                        options=[{"label": name, "value": code} for code, name in choices.areas],
                        multi=True,
                    ),
                    wide=True,
                ),
            ],
            className="filters",
        ),
        label(_("Title"), dcc.Input(id="stories-activity-title", type="text", maxLength=200), wide=True),
        label(
            _("Description"),
            dcc.Textarea(id="stories-activity-description", maxLength=2000, className="stories-text"),
            wide=True,
        ),
        html.Div(
            [
                html.Button(_("Save"), id="stories-activity-save", className="button", n_clicks=0),
                dcc.ConfirmDialogProvider(
                    html.Button(_("Delete"), className="link-button"),
                    id="stories-activity-delete",
                    message=_("Delete this activity?"),
                ),
            ],
            className="entry-actions",
        ),
        html.Div(id="stories-activity-result"),
    ]
