"""Overview for the steering group: the agenda in a sentence, goal × municipality grid, headline cards."""

from __future__ import annotations

from datetime import date

import dash
from dash import Dash, Input, Output, dcc, html

from api.models.common import AreaLevel
from api.services import agenda as agenda_service
from api.services import areas as area_service
from api.services import progress as progress_service
from dashboard import context, i18n
from dashboard.components import href
from dashboard.context import _
from dashboard.figures import share_colour

ALL = "all"
LATEST = "latest"


def _areas() -> dict[str, tuple[str, str | None, str]]:
    """Every area above the schools: code -> (name, parent code, level)."""
    backbone = context.backbone()
    found = {}
    with backbone.db.session() as session:
        for level in AreaLevel:
            if level is AreaLevel.school:
                continue
            page = area_service.list_areas(session=session, limit=100_000, offset=0, level=level)
            found |= {a.code: (a.name, a.parent, a.level) for a in page.items}
    return found


def _ancestors(code: str, areas: dict[str, tuple[str, str | None, str]]) -> list[str]:
    chain, parent = [], areas.get(code, (None, None, None))[1]
    while parent is not None and parent not in chain:
        chain.append(parent)
        parent = areas.get(parent, (None, None, None))[1]
    return chain


def overview_content(region: str | None, period: str | None) -> html.Div:
    """The grid and the cards for a region (or all) as it stood at the end of a year (or now)."""
    language = context.language()
    until = int(period) if period and period.isdigit() else None
    groups = progress_service.progress(
        read_model=context.backbone().read_model, principal=context.user(), limit=100_000, offset=0, until=until
    ).items
    areas = _areas()
    groups = [
        g
        for g in groups
        if g.area.level == AreaLevel.municipality
        and (region in (None, ALL) or region == g.area.code or region in _ancestors(g.area.code, areas))
    ]
    goals = list({g.goal.code: g.goal for g in groups}.values())
    places = sorted({(g.area.name, g.area.code) for g in groups})
    cell = {(g.goal.code, g.area.code): g for g in groups}
    if not groups:
        return html.P(_("No municipality reports in this region yet."), className="empty")

    def grid_cell(goal_code: str, area_code: str) -> html.Td:
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

    grid = html.Table(
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
                    for name, code in places
                ]
            ),
        ],
        className="grid",
        id="overview-grid",
    )
    return html.Div([html.Div([_card(goal, groups, language) for goal in goals], className="cards"), grid, _legend()])


def _card(goal, groups, language: str) -> html.Div:  # noqa: ANN001
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


def _legend() -> html.Div:
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


def layout(region: str | None = None, period: str | None = None, **_query: str) -> html.Div:
    language = context.language()
    with context.backbone().db.session() as session:
        agenda = agenda_service.get_agenda(session=session)
    areas = _areas()
    regions = sorted(
        (code for code, (_name, _parent, level) in areas.items() if level != AreaLevel.municipality),
        key=lambda c: (len(_ancestors(c, areas)), areas[c][0]),
    )
    this_year = date.today().year
    sentence = agenda.vision.get(language) if agenda.vision else agenda.name.get(language)
    return html.Div(
        [
            html.H1(agenda.name.get(language)),
            html.P(sentence, className="lead", id="overview-agenda"),
            html.Div(
                [
                    html.Label(
                        [
                            _("Region"),
                            dcc.Dropdown(
                                id="overview-region",
                                options=[{"label": _("All municipalities"), "value": ALL}]
                                + [{"label": areas[c][0], "value": c} for c in regions],
                                value=region if region in areas else ALL,
                                clearable=False,
                            ),
                        ]
                    ),
                    html.Label(
                        [
                            _("Period"),
                            dcc.Dropdown(
                                id="overview-period",
                                options=[{"label": _("Latest values"), "value": LATEST}]
                                + [
                                    {"label": _("Up to {year}", year=y), "value": str(y)}
                                    for y in range(this_year, this_year - 12, -1)
                                ],
                                value=period if period and period.isdigit() else LATEST,
                                clearable=False,
                            ),
                        ]
                    ),
                ],
                className="filters",
            ),
            dcc.Loading(html.Div(overview_content(region, period), id="overview-content"), delay_show=300),
        ],
        className="page",
    )


def register(app: Dash) -> None:
    dash.register_page(__name__, path="/", title="Backbone", layout=layout)

    @app.callback(
        Output("overview-content", "children"),
        Input("overview-region", "value"),
        Input("overview-period", "value"),
        prevent_initial_call=True,
    )
    def filter_overview(region: str, period: str) -> html.Div:
        return overview_content(region, period)
