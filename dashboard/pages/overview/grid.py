"""The overview's goal × municipality grid and headline cards, built from progress per goal and area."""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html

from dashboard import i18n
from dashboard.context import _
from dashboard.data.analytics import GoalAreaSummary, GoalRef
from dashboard.figures import share_colour
from dashboard.parts.components import href


def grid(groups: Sequence[GoalAreaSummary], rows: Sequence[tuple[str, str]], language: str) -> html.Table:
    """Goals as columns, the municipalities ``rows`` (name, code) as rows, each cell coloured by the share on track."""
    goals = list({g.goal.code: g.goal for g in groups}.values())
    cell = {(g.goal.code, g.area.code): g for g in groups}

    def grid_cell(goal_code: str, area_code: str) -> html.Td:
        """One goal for one municipality: its share on track, linked to the municipality."""
        group = cell.get((goal_code, area_code))
        if group is None:
            return html.Td("", className="grid-cell empty")
        summary = group.summary
        with_data = summary.on_track + summary.off_track
        text = f"{summary.on_track}/{with_data}" if with_data else "–"
        title = (
            _("{on} of {total} indicators with data on track", on=summary.on_track, total=with_data)
            if with_data
            else _("No data")
        )
        background, foreground = share_colour(summary.share_on_track)
        return html.Td(
            dcc.Link(
                text,
                href=href(f"/municipality/{area_code}?goal={goal_code}"),
                title=title,
                className="grid-link",
                style={"color": foreground},
            ),
            className="grid-cell",
            style={"background": background},
            **{"data-share": "" if summary.share_on_track is None else f"{summary.share_on_track:.3f}"},
        )

    return html.Table(
        [
            html.Thead(
                html.Tr(
                    [html.Th(_("Municipality"))]
                    + [
                        html.Th(dcc.Link(goal.title.get(language), href=href(f"/goal/{goal.code}")), scope="col")
                        for goal in goals
                    ]
                )
            ),
            html.Tbody(
                [
                    html.Tr(
                        [html.Th(dcc.Link(name, href=href(f"/municipality/{code}")), scope="row")]
                        + [grid_cell(goal.code, code) for goal in goals]
                    )
                    for name, code in rows
                ]
            ),
        ],
        className="grid",
        id="overview-grid",
    )


def cards(groups: Sequence[GoalAreaSummary], language: str) -> html.Div:
    """One headline card per goal, over every municipality of the selection."""
    goals = list({g.goal.code: g.goal for g in groups}.values())
    return html.Div([_card(goal, groups, language) for goal in goals], className="cards")


def _card(goal: GoalRef, groups: Sequence[GoalAreaSummary], language: str) -> html.Div:
    mine = [g.summary for g in groups if g.goal.code == goal.code]
    on_track = sum(s.on_track for s in mine)
    with_data = on_track + sum(s.off_track for s in mine)
    improving, assessed = sum(s.improving for s in mine), sum(s.assessed for s in mine)
    share = improving / assessed if assessed else None
    proof = share is not None and share >= 0.6
    return html.Div(
        [
            html.H3(dcc.Link(goal.title.get(language), href=href(f"/goal/{goal.code}"))),
            html.P(
                [
                    html.Span(i18n.percent(share, language), className="big"),
                    " ",
                    _(
                        "of the indicators improve ({improving} of {assessed}, over three years)",
                        improving=improving,
                        assessed=assessed,
                    ),
                ]
            ),
            html.P(_("{on} of {total} values with data on track", on=on_track, total=with_data)),
            html.Span(_("Proof point: 60% or more improve"), className="badge good") if proof else None,
        ],
        className="card",
        id=f"overview-card-{goal.code}",
    )


def legend() -> html.Div:
    """The grid's colours in words."""
    steps = [
        (1.0, _("two thirds or more on track")),
        (0.5, _("a third or more")),
        (0.0, _("less than a third")),
        (None, _("no data")),
    ]
    return html.Div(
        [
            html.Span([html.Span(className="swatch", style={"background": share_colour(s)[0]}), text], className="key")
            for s, text in steps
        ],
        className="legend",
    )
