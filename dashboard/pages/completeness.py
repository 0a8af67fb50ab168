"""Completeness for backbone staff: per organisation and period, values expected and reported; overdue first."""

from __future__ import annotations

import dash
from dash import Dash, Input, Output, State, ctx, dash_table, html, no_update
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from api.errors import BackboneError
from dashboard import completeness_review, context, i18n
from dashboard.components import guard, notice
from dashboard.context import _
from dashboard.data import periods
from dashboard.data.periods import CompletenessRow
from dashboard.data.sessions import Principal
from dashboard.entry_reports import status_label
from dashboard.session import may_open


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
            "review": status_label(row.report_status),
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
            completeness_review.tools(
                sorted({(r.organisation, r.organisation_name) for r in rows}, key=lambda o: o[1])
            ),
        ],
        className="page",
    )


def _staff() -> Principal | None:
    """The user if they may still review (a callback can be called directly, or after logging out)."""
    principal = context.user()
    return principal if may_open("completeness", principal) else None


def _refused() -> html.Div:
    return notice(_("Your session has ended or does not allow this: log in again."), "error")


def _failed(exc: Exception) -> html.Div:
    if isinstance(exc, BackboneError):
        return notice(_("Not done: {reason}", reason=exc.message), "error")
    if isinstance(exc, ValidationError | ValueError):
        return notice(_("Not done: check the period and the deadline."), "error")
    raise exc


def register(app: Dash) -> None:
    dash.register_page(__name__, path="/completeness", title="Backbone · Completeness", layout=layout)

    @app.callback(
        Output("completeness-review-result", "children"),
        Output("completeness-table", "data"),
        Input("completeness-approve", "n_clicks"),
        Input("completeness-return", "n_clicks"),
        State("completeness-table", "selected_rows"),
        State("completeness-table", "data"),
        State("completeness-comment", "value"),
        prevent_initial_call=True,
    )
    async def review(
        _approve: int, _return: int, selected: list[int] | None, data: list[dict] | None, comment: str | None
    ):  # noqa: ANN202
        """Approve or return the selected row's report; the table shows its new status."""
        principal = _staff()
        if principal is None:
            return _refused(), no_update
        data = data or []
        if not selected or selected[0] >= len(data):
            return notice(_("Select a row in the table first."), "warning"), no_update
        row, approve = data[selected[0]], ctx.triggered_id == "completeness-approve"
        try:
            report = await run_in_threadpool(
                periods.review_report,
                row["organisation"],
                row["period"],
                approve=approve,
                comment=(comment or "").strip() or None,
            )
        except Exception as exc:  # noqa: BLE001  (shown to the person, never raised to the browser)
            return _failed(exc), no_update
        row["review"] = status_label(report.status)
        names = {"organisation": row["organisation_name"], "period": row["period"]}
        done = (
            _("Approved: {organisation}, {period}.", **names)
            if approve
            else _("Returned: {organisation}, {period}.", **names)
        )
        return notice(done, "success"), data

    @app.callback(
        Output("completeness-lock-result", "children"),
        Output("completeness-unlock-id", "options"),
        Input("completeness-lock", "n_clicks"),
        State("completeness-lock-period", "value"),
        State("completeness-lock-organisation", "value"),
        State("completeness-lock-date", "date"),
        prevent_initial_call=True,
    )
    async def lock(_clicks: int, period: str | None, organisation: str | None, day: str | None):  # noqa: ANN202
        """Lock a period for one organisation or everyone, at once or from a deadline on."""
        principal = _staff()
        if principal is None:
            return _refused(), no_update
        if not (period or "").strip():
            return notice(_("Give the period to lock."), "warning"), no_update
        try:
            made = await run_in_threadpool(completeness_review.lock, period.strip(), organisation, day)
        except Exception as exc:  # noqa: BLE001
            return _failed(exc), no_update
        message = _("Locked {period} (lock #{id}).", period=made.period, id=made.id)
        return notice(message, "success"), completeness_review.open_locks()

    @app.callback(
        Output("completeness-unlock-result", "children"),
        Output("completeness-unlock-id", "options", allow_duplicate=True),
        Input("completeness-unlock", "n_clicks"),
        State("completeness-unlock-id", "value"),
        prevent_initial_call=True,
    )
    async def unlock(_clicks: int, lock_id: int | None):  # noqa: ANN202
        """End a lock; the period opens again."""
        principal = _staff()
        if principal is None:
            return _refused(), no_update
        if lock_id is None:
            return notice(_("Choose a lock first."), "warning"), no_update
        try:
            ended = await run_in_threadpool(periods.unlock, int(lock_id))
        except Exception as exc:  # noqa: BLE001
            return _failed(exc), no_update
        return notice(_("Unlocked {period}.", period=ended.period), "success"), completeness_review.open_locks()
