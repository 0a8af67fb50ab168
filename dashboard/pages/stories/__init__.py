"""Stories and activities: members tell the story behind their curves and register their organisation's activities.

``/stories?indicator=<code>&area=<code>&goal=<code>`` (the goal and indicator pages link here).
A text is written in one language at a time (the form's language); its other translations
are kept. Staff may change everyone's; members their own organisation's. Both forms are one
editor (``editor.py``), told what it edits (``kinds.py``).
"""

from __future__ import annotations

import dash
from dash import Dash, dcc, html

from dashboard import context, i18n
from dashboard.context import _
from dashboard.data import stories
from dashboard.pages.stories.editor import LANGUAGE, label
from dashboard.pages.stories.kinds import ACTIVITIES, EDITORS, NARRATIVES
from dashboard.parts.components import guard, link


def layout(indicator: str | None = None, area: str | None = None, goal: str | None = None, **_query: str):
    """The way back, the language of the text, and the two editors."""
    if (blocked := guard("stories")) is not None:
        return blocked
    language = context.language()
    choices = stories.choices()
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
                        id=LANGUAGE,
                        options=[{"label": n, "value": c} for c, n in i18n.NAMES.items()],
                        value=language,
                        clearable=False,
                    ),
                ),
                className="filters",
            ),
            html.Section(
                NARRATIVES.form(choices, language, {"indicator": indicator, "area": area}),
                className="stories-section",
            ),
            html.Section(ACTIVITIES.form(choices, language, {"goal": goal}), className="stories-section"),
        ],
        className="page stories-page",
    )


def register(app: Dash) -> None:
    """The page and each editor's callbacks."""
    dash.register_page(__name__, path="/stories", title="Backbone · Stories and activities", layout=layout)
    for editor in EDITORS:
        app.callback(*editor.loading(), prevent_initial_call=True)(editor.load)
        app.callback(*editor.saving(), prevent_initial_call=True)(editor.save)
        app.callback(*editor.deleting(), prevent_initial_call=True)(editor.delete)
