"""The indicators of the agenda by goal, each linked to its page (anonymous visitors see the published ones)."""

from __future__ import annotations

import dash
from dash import Dash, html

from dashboard import context, i18n
from dashboard.context import _
from dashboard.data import metadata
from dashboard.parts.components import DIRECTIONS, link


def layout(**_query: str) -> html.Div:
    """The indicators by goal, each with unit, direction and definition."""
    language = context.language()
    goals, found = metadata.goals_and_indicators()
    by_goal: dict[str, list] = {}
    for indicator in found:
        by_goal.setdefault(indicator.goal, []).append(indicator)
    sections = []
    for goal in goals:
        members = by_goal.get(goal.code, [])
        if not members:
            continue
        items = [
            html.Li(
                [
                    link(
                        indicator.name.get(language), f"/indicator/{indicator.code}", id=f"indicators-{indicator.code}"
                    ),
                    html.Span(
                        f" · {_(i18n.UNITS[indicator.unit.value])} · {_(DIRECTIONS[indicator.direction.value])}",
                        className="muted",
                    ),
                    " ",
                    html.Span(_("Not published"), className="badge bad") if not indicator.published else None,
                    html.Br(),
                    html.Span(indicator.definition.get(language) if indicator.definition else "", className="muted"),
                ]
            )
            for indicator in members
        ]
        sections.append(
            html.Section(
                [
                    html.H2(link(goal.title.get(language), f"/goal/{goal.code}")),
                    html.Ul(items, className="indicator-list"),
                ],
                id=f"indicators-goal-{goal.code}",
            )
        )
    return html.Div(
        [
            html.H1(_("Indicators")),
            html.P(_("The shared indicators of the agenda, by goal."), className="lead"),
            *(sections or [html.P(_("No indicators yet."), className="empty")]),
        ],
        className="page",
        id="indicators-index",
    )


def register(app: Dash) -> None:
    """The page."""
    dash.register_page(__name__, path="/indicator", title="Backbone · Indicators", layout=layout)
