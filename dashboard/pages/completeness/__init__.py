"""Completeness for backbone staff: per organisation and period, values expected and reported; overdue first."""

from __future__ import annotations

import dash
from dash import Dash, dash_table, html

from dashboard import context, i18n
from dashboard.context import _
from dashboard.data import periods
from dashboard.data.periods import CompletenessRow
from dashboard.pages.completeness import callbacks, tools
from dashboard.parts.components import guard, notice, report_label


def _table(rows: list[CompletenessRow], language: str) -> dash_table.DataTable:
    columns = [
        ("organisation_name", _("Organisation")),
        ("period", _("Period")),
        ("expected", _("Expected")),
        ("reported", _("Reported")),
        ("share", _("Complete")),
        ("deadline", _("Deadline")),
        ("state", _("State")),
        ("review", _("Report")),
    ]
    data = [
        {
            "organisation_name": row.organisation_name,
            "period": row.period,
            "expected": row.expected,
            "reported": row.reported,
            "share": i18n.percent(row.share, language),
            "deadline": i18n.day(row.deadline, language),
            "state": _("Overdue") if row.overdue else (_("Complete") if row.share == 1 else _("Open")),
            "overdue": "yes" if row.overdue else "no",
            "review": report_label(row.report_status),
            "organisation": row.organisation,
        }
        for row in sorted(rows, key=lambda r: (not r.overdue, r.organisation_name, r.period))
    ]
    return dash_table.DataTable(
        id="completeness-table",
        columns=[{"id": key, "name": name} for key, name in columns],
        data=data,
        sort_action="native",
        filter_action="native",
        row_selectable="single",
        selected_rows=[],
        page_size=25,
        style_cell={"fontFamily": "inherit", "padding": "0.3rem 0.5rem", "textAlign": "left"},
        style_header={"fontWeight": 600},
        style_data_conditional=[
            {"if": {"filter_query": '{overdue} = "yes"'}, "backgroundColor": "#fdecea", "color": "#8a1c13"},
        ],
    )


def layout(**_query: str) -> html.Div:
    """Overdue reports first, the table, and the review tools."""
    if (blocked := guard("completeness")) is not None:
        return blocked
    language = context.language()
    rows = periods.completeness()
    overdue = sum(row.overdue for row in rows)
    summary = (
        notice(_("{count} reports are overdue.", count=overdue), "warning", id="completeness-summary")
        if overdue
        else notice(_("No report is overdue."), "success", id="completeness-summary")
    )
    return html.Div(
        [
            html.H1(_("Completeness")),
            html.P(
                _(
                    "Per organisation and period: the values its assignments expect and those reported. "
                    "A report is overdue {days} days after the period ends.",
                    days=periods.deadline_days(),
                ),
                className="lead",
            ),
            summary,
            _table(rows, language) if rows else html.P(_("No assignments yet."), className="empty"),
            tools.tools(sorted({(r.organisation, r.organisation_name) for r in rows}, key=lambda o: o[1])),
        ],
        className="page",
    )


def register(app: Dash) -> None:
    """The page and its callbacks."""
    dash.register_page(__name__, path="/completeness", title="Backbone · Completeness", layout=layout)
    app.callback(*callbacks.REVIEW, prevent_initial_call=True)(callbacks.review)
    app.callback(*callbacks.LOCK, prevent_initial_call=True)(callbacks.lock)
    app.callback(*callbacks.UNLOCK, prevent_initial_call=True)(callbacks.unlock)
