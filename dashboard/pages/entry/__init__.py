"""Data entry for members: the values of the organisation's assignments for a year, checked as they are typed."""

from __future__ import annotations

import datetime as dt

import dash
from dash import Dash, dcc, html

from dashboard import context
from dashboard.context import _
from dashboard.data import imports
from dashboard.pages.entry import callbacks, reports
from dashboard.pages.entry.actions import load, scope_of
from dashboard.pages.entry.table import original_of, table
from dashboard.parts.components import HIDDEN, guard

YEARS_BACK = 10


def layout(year: str | None = None, period: str | None = None, organisation: str | None = None, **_query: str):
    """The year (and for staff the organisation), the report panel and the table of values."""
    if (blocked := guard("entry")) is not None:
        return blocked
    principal = context.user()
    scope = scope_of(principal, organisation, period or year)
    data, empty = load(scope)
    found = reports.states(scope, data)
    reports.mark(data, found)
    options = reports.submittable(principal, found)
    this_year = dt.date.today().year
    years = [{"label": str(y), "value": str(y)} for y in range(this_year, this_year - YEARS_BACK, -1)]
    chosen = scope["period"] or str(scope["year"])
    if chosen not in {option["value"] for option in years}:  # a dropdown clears a value it does not offer
        years.insert(0, {"label": chosen, "value": chosen})
    organisations = []
    if principal.is_admin:
        organisations = imports.reporting_organisations()
    lead = (
        _("As backbone staff you enter values for the organisation chosen here; the submission records you.")
        if principal.is_admin
        else _("Your organisation's values for the chosen year. Type in the white cells, then save.")
    )
    return html.Div(
        [
            html.H1(_("Data entry")),
            html.P(lead, className="lead"),
            html.Div(
                [
                    html.Label(
                        [
                            _("Organisation"),
                            dcc.Dropdown(
                                id="entry-organisation",
                                options=[{"label": name, "value": code} for _id, code, name in organisations],
                                value=next((c for i, c, _n in organisations if i == scope["organisation"]), None),
                                placeholder=_("Choose an organisation"),
                            ),
                        ],
                        style=None if principal.is_admin else HIDDEN,
                    ),
                    html.Label(
                        [
                            _("Reporting year"),
                            dcc.Dropdown(
                                id="entry-year",
                                options=years,
                                value=chosen,
                                clearable=False,
                            ),
                        ]
                    ),
                ],
                className="filters",
            ),
            html.P(
                _(
                    "A year holds each indicator's periods that begin in it (the school year 2025/26 in 2025). "
                    "Type numbers as you write them (for example {example}); x or <5 for a value suppressed "
                    "at source. For a rate, numerator and denominator are enough: the value is computed. "
                    "Rows you leave alone are not saved.",
                    example=_("12.5 or 1,234"),
                ),
                className="entry-help",
            ),
            html.Div(empty, id="entry-notice"),
            html.Div(
                reports.panel(found),
                id="entry-reports",
                className="entry-reports",
            ),
            html.Div(
                [
                    dcc.Dropdown(
                        id="entry-report-period",
                        options=options,
                        value=options[0]["value"] if options else None,
                        clearable=False,
                    ),
                    html.Button(_("Submit for approval"), id="entry-report-submit", className="button", n_clicks=0),
                ],
                id="entry-report-actions",
                className="filters",
                style=None if options else HIDDEN,
            ),
            html.Div(id="entry-report-result"),
            html.Div(table(data, reports.read_only(found)), id="entry-table-box", style=HIDDEN if empty else None),
            html.Div(id="entry-pending", className="entry-pending", role="status"),
            html.Div(id="entry-problems", className="entry-problems"),
            # Unusual values found while typing: announced (role status), and kept in the page so that they are.
            html.Div(id="entry-unusual", className="entry-unusual", role="status"),
            html.Div(
                html.Button(_("Save"), id="entry-save", className="button", n_clicks=0), className="entry-actions"
            ),
            html.Div(id="entry-result"),
            dcc.Store(id="entry-scope", data=scope),
            dcc.Store(id="entry-original", data=original_of(data)),
        ],
        className="page entry-page",
    )


def register(app: Dash) -> None:
    """The page and its callbacks."""
    dash.register_page(__name__, path="/entry", title="Backbone · Data entry", layout=layout)
    app.callback(*callbacks.CHOOSE, prevent_initial_call=True)(callbacks.choose)
    app.callback(*callbacks.SUBMIT_REPORT, prevent_initial_call=True)(callbacks.submit_report)
    app.callback(*callbacks.CHECK, prevent_initial_call=True)(callbacks.check)
    app.callback(*callbacks.SAVE, prevent_initial_call=True, running=callbacks.SAVING)(callbacks.save)
