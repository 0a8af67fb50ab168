"""A municipality (or any area): where it stands per goal, and each goal's indicators as small multiples.

``?goal=`` (the overview grid's cells link with it) narrows the page to that goal; the
summary of every goal stays at the top, so the other goals are one click away.
"""

from __future__ import annotations

import dash
from dash import Dash, html

from dashboard import context
from dashboard.context import _
from dashboard.data import analytics, metadata
from dashboard.parts import multiples
from dashboard.parts.components import level_label, link


def not_found(code: str | None) -> html.Div:
    """What the page says for an unknown area."""
    return html.Div(
        [
            html.H1(_("Area not found")),
            html.P(_("There is no municipality or region with the code {code}.", code=code or "")),
            link(_("Back to the overview"), "/"),
        ],
        className="page",
        id="municipality-not-found",
    )


def _goal_card(group: analytics.GoalAreaProgress, chosen: str | None) -> html.Div:
    language, area = context.language(), group.area.code
    share = group.summary.share_on_track
    return html.Div(
        [
            html.H3(link(group.goal.title.get(language), f"/municipality/{area}?goal={group.goal.code}")),
            html.P(multiples.summary_text(group.summary)),
            html.Div(
                html.Div(className="bar-fill", style={"width": f"{100 * (share or 0):.0f}%"}),
                className="bar" if share is not None else "bar none",
                title=multiples.summary_text(group.summary),
            ),
        ],
        className="card goal-card chosen" if group.goal.code == chosen else "card goal-card",
        id=f"municipality-goal-{group.goal.code}",
    )


def _section(group: analytics.GoalAreaProgress) -> html.Section:
    language, area = context.language(), group.area.code
    return html.Section(
        [
            html.H2(group.goal.title.get(language)),
            html.P(
                [
                    html.Span(multiples.summary_text(group.summary), className="summary"),
                    " · ",
                    link(_("Compare the municipalities on this goal"), f"/goal/{group.goal.code}?area={area}"),
                ]
            ),
            multiples.multiples(group, "municipality"),
        ],
        className="goal-section",
        id=f"municipality-section-{group.goal.code}",
    )


def layout(code: str | None = None, goal: str | None = None, **_query: str) -> html.Div:
    """The area's goals as cards, then each goal's indicators as small multiples."""
    area = metadata.area(code)
    if area is None:
        return not_found(code)
    parent = metadata.area(area.parent)
    groups = analytics.progress(1000, area=area.code)
    chosen = goal if goal in {g.goal.code for g in groups} else None
    where = [level_label(area.level.value)]
    if parent is not None:
        where += [" · ", _("part of"), " ", link(parent.name, f"/municipality/{parent.code}")]
    shown = [g for g in groups if chosen is None or g.goal.code == chosen]
    return html.Div(
        [
            html.P(link(_("Overview"), "/"), className="crumbs"),
            html.H1(area.name, id="municipality-name"),
            html.P(where, className="lead", id="municipality-where"),
            html.Div(
                [_goal_card(g, chosen) for g in groups],
                className="cards",
                id="municipality-goals",
            ),
            html.P(link(_("Show all goals"), f"/municipality/{area.code}"), className="crumbs") if chosen else None,
            *(
                [_section(g) for g in shown]
                if shown
                else [html.P(_("No indicators for this area yet."), className="empty")]
            ),
        ],
        className="page",
    )


def register(app: Dash) -> None:
    """The page."""
    dash.register_page(__name__, path_template="/municipality/<code>", title="Backbone · Municipality", layout=layout)
