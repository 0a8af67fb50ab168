"""Overview for the steering group: the agenda in a sentence, headline cards per goal, goal × municipality grid."""

from __future__ import annotations

from datetime import date

import dash
from dash import Dash, Input, Output, dcc, html

from api.models.common import AreaLevel
from dashboard import context
from dashboard.context import _
from dashboard.data import analytics, metadata
from dashboard.pages.overview import grid
from dashboard.parts import multiples
from dashboard.parts.components import HIDDEN

ALL = "all"
LATEST = "latest"
PAGE_SIZE = 40  # municipalities per page of the grid: an alliance may have hundreds


def overview_content(region: str | None, period: str | None, page: int = 0) -> tuple:
    """The cards and one page of the grid for a region (or all), as it stood at the end of a year (or now).

    Also the pager's options, the page shown, its label and whether it shows.
    """
    language = context.language()
    until = int(period) if period and period.isdigit() else None
    # Municipalities only: at national scale the schools below them are most of the areas.
    groups = analytics.summaries(until=until, level=AreaLevel.municipality)
    places = multiples.areas()
    groups = [g for g in groups if region in (None, ALL) or region in multiples.chain(g.area.code, places)]
    if not groups:
        return html.P(_("No municipality reports in this region yet."), className="empty"), [], 0, "", HIDDEN
    every = sorted({(g.area.name, g.area.code) for g in groups})
    pages = (len(every) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page or 0, 0), pages - 1)
    first, last = page * PAGE_SIZE, min((page + 1) * PAGE_SIZE, len(every))
    content = html.Div(
        [
            grid.cards(groups, language),
            grid.grid(groups, every[first:last], language),
            grid.legend(),
        ]
    )
    options = [
        {"label": f"{n * PAGE_SIZE + 1}–{min((n + 1) * PAGE_SIZE, len(every))}", "value": n} for n in range(pages)
    ]
    label = _("Municipalities {first}–{last} of {total}", first=first + 1, last=last, total=len(every))
    return content, options, page, label, None if pages > 1 else HIDDEN


def _choice(label: str, dropdown: dcc.Dropdown, **kwargs: object) -> html.Label:
    return html.Label([html.Span(label, id=f"{dropdown.id}-label"), dropdown], **kwargs)


def layout(region: str | None = None, period: str | None = None, **_query: str) -> html.Div:
    """The agenda, the region and period choices, the cards and the grid."""
    language = context.language()
    agenda = metadata.agenda()
    places = multiples.areas()
    region = region if region in places else ALL
    period = period if period and period.isdigit() else LATEST
    content, pages, page, label, pager_style = overview_content(region, period)
    this_year = date.today().year
    sentence = agenda.vision.get(language) if agenda.vision else agenda.name.get(language)
    return html.Div(
        [
            html.H1(agenda.name.get(language)),
            html.P(sentence, className="lead", id="overview-agenda"),
            html.Div(
                [
                    _choice(
                        _("Region"),
                        dcc.Dropdown(
                            id="overview-region",
                            options=[
                                {"label": _("All municipalities"), "value": ALL},
                                *multiples.area_options(places, municipalities=False),
                            ],
                            value=region,
                            clearable=False,
                        ),
                    ),
                    _choice(
                        _("Period"),
                        dcc.Dropdown(
                            id="overview-period",
                            options=[{"label": _("Latest values"), "value": LATEST}]
                            + [
                                {"label": _("Up to {year}", year=y), "value": str(y)}
                                for y in range(this_year, this_year - 12, -1)
                            ],
                            value=period,
                            clearable=False,
                        ),
                    ),
                    _choice(
                        label,
                        dcc.Dropdown(id="overview-page", options=pages, value=page, clearable=False),
                        id="overview-pager",
                        style=pager_style,
                    ),
                ],
                className="filters",
            ),
            dcc.Loading(html.Div(content, id="overview-content"), delay_show=300),
        ],
        className="page",
    )


FILTER = (
    Output("overview-content", "children"),
    Output("overview-page", "options"),
    Output("overview-page", "value"),
    Output("overview-page-label", "children"),
    Output("overview-pager", "style"),
    Input("overview-region", "value"),
    Input("overview-period", "value"),
    Input("overview-page", "value"),
)


def filter_overview(region: str, period: str, page: int | None) -> tuple:
    """Another region, period or page of the grid."""
    # A new region or period starts at the first page; the pager moves within them.
    turned = dash.ctx.triggered_id == "overview-page"
    return overview_content(region, period, page if turned else 0)


def register(app: Dash) -> None:
    """The page and its callback."""
    dash.register_page(__name__, path="/", title="Backbone", layout=layout)
    app.callback(*FILTER, prevent_initial_call=True)(filter_overview)
