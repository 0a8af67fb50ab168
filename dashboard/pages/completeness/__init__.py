"""Completeness for backbone staff: per organisation and period, values expected and reported; overdue first."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
from dash import Dash, html

from dashboard import context, i18n
from dashboard.context import _
from dashboard.data import periods
from dashboard.data.periods import CompletenessRow
from dashboard.pages.completeness import callbacks, flags, tools
from dashboard.parts import grid
from dashboard.parts.components import guard, notice, report_label


def _table(rows: list[CompletenessRow], language: str) -> dag.AgGrid:
    """Overdue first, each column sortable and filtered by what it shows; a row is chosen by click or Space."""
    text_filter = {
        "filter": "agTextColumnFilter",
        "floatingFilter": True,  # a box under each heading: rows whose cell contains what is typed
        "suppressFloatingFilterButton": True,
        "suppressHeaderFilterButton": True,
    }
    number_filter = text_filter | {"filter": "agNumberColumnFilter"}
    columns = [
        grid.text_column("organisation_name", _("Organisation"), width=180, **text_filter),
        grid.code_column("period", _("Period"), width=100, **text_filter),
        grid.number_column("expected", _("Expected"), **number_filter),
        grid.number_column("reported", _("Reported"), **number_filter),
        grid.number_column("share", _("Complete"), **number_filter),
        grid.code_column(
            "deadline",
            _("Deadline"),
            width=120,
            valueFormatter=grid.shown("deadline"),
            filterValueGetter=grid.shown("deadline"),
            **text_filter,
        ),
        grid.code_column("state", _("State"), width=110, **text_filter),
        grid.text_column("review", _("Report"), width=150, **text_filter),
        grid.number_column(
            "open_warnings",
            _("Quality"),
            headerTooltip=_("Open data quality warnings on the organisation's values for the period"),
            cellClassRules={"unusual": "params.data.open_warnings > 0"},
            **number_filter,
        ),
    ]
    data = [
        {
            "id": f"{row.organisation}/{row.period}",
            "organisation_name": row.organisation_name,
            "period": row.period,
            "expected": row.expected,
            "expected_text": i18n.number(row.expected, language, 0),
            "reported": row.reported,
            "reported_text": i18n.number(row.reported, language, 0),
            "share": round(row.share * 100),  # sorted and filtered as the percentage it shows
            "share_text": i18n.percent(row.share, language),
            "deadline": row.deadline.isoformat(),  # sorts in time
            "deadline_text": i18n.day(row.deadline, language),
            "state": _("Overdue") if row.overdue else (_("Complete") if row.share == 1 else _("Open")),
            "overdue": "yes" if row.overdue else "no",
            "review": report_label(row.report_status),
            "open_warnings": row.open_warnings,
            "open_warnings_text": flags.warning_count(row.open_warnings, language),
            "organisation": row.organisation,
        }
        for row in sorted(rows, key=lambda r: (not r.overdue, r.organisation_name, r.period))
    ]
    return grid.grid(
        "completeness-table",
        columns,
        data,
        page_size=25,
        options={"rowSelection": {"mode": "singleRow", "checkboxes": True, "enableClickSelection": True}},
        rowClassRules={"overdue": "params.data.overdue === 'yes'"},
        selectedRows=[],
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
    app.callback(*callbacks.FLAGS, prevent_initial_call=True)(callbacks.open_flags)
    app.callback(*callbacks.REVIEW, prevent_initial_call=True)(callbacks.review)
    app.callback(*callbacks.LOCK, prevent_initial_call=True)(callbacks.lock)
    app.callback(*callbacks.UNLOCK, prevent_initial_call=True)(callbacks.unlock)
