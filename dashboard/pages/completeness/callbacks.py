"""The completeness page's callbacks: a report's open quality flags, approve or return it, lock and unlock a period."""

from __future__ import annotations

import datetime as dt

from dash import Input, Output, State, ctx, html, no_update
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from api.errors import BackboneError
from api.models.approval import LockCreate, LockPublic
from dashboard import context
from dashboard.context import _
from dashboard.data import periods
from dashboard.pages.completeness import flags, tools
from dashboard.parts.components import allowed, notice, report_label, session_ended


def _new_lock(period: str, organisation: str | None, day: str | None) -> LockPublic:
    """Lock a period at once, or from the start of ``day`` (UTC) on."""
    lock_after = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), dt.UTC) if day else None
    return periods.create_lock(LockCreate(period=period, organisation=organisation or None, lock_after=lock_after))


def _failed(exc: Exception) -> html.Div:
    if isinstance(exc, BackboneError):
        return notice(_("Not done: {reason}", reason=exc.message), "error")
    if isinstance(exc, ValidationError | ValueError):
        return notice(_("Not done: check the period and the deadline."), "error")
    raise exc


FLAGS = (
    Output("completeness-flags", "children"),
    Input("completeness-table", "selectedRows"),
)


async def open_flags(selected: list[dict] | None):
    """The selected report's open data quality flags, beside the approve and return buttons."""
    if allowed("completeness") is None:
        return session_ended()
    row = selected[0] if isinstance(selected, list) and selected and isinstance(selected[0], dict) else {}
    organisation, period = row.get("organisation"), row.get("period")
    if not (isinstance(organisation, str) and isinstance(period, str)):
        return None
    return await run_in_threadpool(flags.open_flags, organisation, period, context.language())


REVIEW = (
    Output("completeness-review-result", "children"),
    Output("completeness-table", "rowData"),
    Input("completeness-approve", "n_clicks"),
    Input("completeness-return", "n_clicks"),
    State("completeness-table", "selectedRows"),
    State("completeness-table", "rowData"),
    State("completeness-comment", "value"),
)


async def review(
    _approve: int, _return: int, selected: list[dict] | None, data: list[dict] | None, comment: str | None
):
    """Approve or return the selected row's report; the table shows its new status."""
    principal = allowed("completeness")
    if principal is None:
        return session_ended(), no_update
    data = data or []
    chosen = (selected or [{}])[0].get("id")
    row = next((r for r in data if chosen is not None and r.get("id") == chosen), None)
    if row is None:
        return notice(_("Select a row in the table first."), "warning"), no_update
    approve = ctx.triggered_id == "completeness-approve"
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
    row["review"] = report_label(report.status)
    names = {"organisation": row["organisation_name"], "period": row["period"]}
    done = (
        _("Approved: {organisation}, {period}.", **names)
        if approve
        else _("Returned: {organisation}, {period}.", **names)
    )
    if report.open_warnings:  # they do not block the review; the reviewer is told
        done += " " + _(
            "Open data quality warnings on these values: {count} (see the Data quality page).",
            count=report.open_warnings,
        )
    return notice(done, "success"), data


LOCK = (
    Output("completeness-lock-result", "children"),
    Output("completeness-unlock-id", "options"),
    Input("completeness-lock", "n_clicks"),
    State("completeness-lock-period", "value"),
    State("completeness-lock-organisation", "value"),
    State("completeness-lock-date", "value"),
)


async def lock(_clicks: int, period: str | None, organisation: str | None, day: str | None):
    """Lock a period for one organisation or everyone, at once or from a deadline on."""
    principal = allowed("completeness")
    if principal is None:
        return session_ended(), no_update
    if not (period or "").strip():
        return notice(_("Give the period to lock."), "warning"), no_update
    try:
        made = await run_in_threadpool(_new_lock, period.strip(), organisation, day)
    except Exception as exc:  # noqa: BLE001
        return _failed(exc), no_update
    message = _("Locked {period} (lock #{id}).", period=made.period, id=made.id)
    return notice(message, "success"), tools.open_locks()


UNLOCK = (
    Output("completeness-unlock-result", "children"),
    Output("completeness-unlock-id", "options", allow_duplicate=True),
    Input("completeness-unlock", "n_clicks"),
    State("completeness-unlock-id", "value"),
)


async def unlock(_clicks: int, lock_id: int | None):
    """End a lock; the period opens again."""
    principal = allowed("completeness")
    if principal is None:
        return session_ended(), no_update
    if lock_id is None:
        return notice(_("Choose a lock first."), "warning"), no_update
    try:
        ended = await run_in_threadpool(periods.unlock, int(lock_id))
    except Exception as exc:  # noqa: BLE001
        return _failed(exc), no_update
    return notice(_("Unlocked {period}.", period=ended.period), "success"), tools.open_locks()
