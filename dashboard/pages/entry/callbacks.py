"""The data-entry page's callbacks: another year or organisation, checking while typing, saving, submitting."""

from __future__ import annotations

from dash import Input, Output, State, no_update
from starlette.concurrency import run_in_threadpool

from api.errors import BackboneError, ErrorItem
from dashboard import context
from dashboard.context import _
from dashboard.data import imports, periods
from dashboard.data.sessions import Principal
from dashboard.pages.entry import reports
from dashboard.pages.entry.actions import (
    confirmation,
    failure,
    load,
    located_warnings,
    problem_list,
    scope_of,
    trusted,
    warning_list,
)
from dashboard.pages.entry.form import CellProblem, batch_of, changed_rows
from dashboard.pages.entry.table import columns, original_of
from dashboard.parts import quality
from dashboard.parts.components import HIDDEN, allowed, notice, session_ended

REPORT_OUTPUTS = [
    Output("entry-reports", "children"),
    Output("entry-report-period", "options"),
    Output("entry-report-period", "value"),
    Output("entry-report-actions", "style"),
    Output("entry-table", "columnDefs"),
]


def _reports(principal: Principal | None, scope: dict, data: list[dict]) -> tuple:
    """The report panel, the periods to submit and the table's columns (read only when locked), for REPORT_OUTPUTS."""
    if principal is None:
        return None, [], None, HIDDEN, columns(True)
    found = reports.states(scope, data)
    reports.mark(data, found)
    options = reports.submittable(principal, found)
    return (
        reports.panel(found),
        options,
        options[0]["value"] if options else None,
        None if options else HIDDEN,
        columns(reports.read_only(found)),
    )


def _marked(data: list[dict], problems: list[CellProblem] = (), warned: list[CellProblem] = ()) -> list[dict]:
    """The grid's columns with the cells of ``problems`` and of quality warnings (``warned``) marked; read only when
    every row shown is in a locked period (as ``reports.mark`` flagged the rows when they were shown: no query on
    each edit)."""
    return columns(bool(data) and all(row.get("locked") == "yes" for row in data), problems, warned)


def _pending(summary, problems: int) -> str | None:
    if problems:
        return _("Problems to correct before saving: {count}", count=problems)
    if summary is None:
        return None
    return _(
        "Ready to save: {inserted} new, {updated} changed, {unchanged} unchanged.",
        inserted=summary.inserted,
        updated=summary.updated,
        unchanged=summary.unchanged,
    )


CHOOSE = (
    Output("entry-table", "rowData"),
    Output("entry-original", "data"),
    Output("entry-scope", "data"),
    Output("entry-notice", "children"),
    Output("entry-table-box", "style"),
    Output("entry-result", "children"),
    Output("entry-unusual", "children"),
    *REPORT_OUTPUTS,
    Input("entry-year", "value"),
    Input("entry-organisation", "value"),
)


def choose(chosen: str | None, organisation: str | None):
    """Another year or organisation: load its rows (what was typed and not saved is dropped, and its warnings)."""
    principal = allowed("entry")
    if principal is None:
        return [], {}, {}, session_ended(id="entry-outcome"), HIDDEN, None, None, *_reports(None, {}, [])
    scope = scope_of(principal, organisation, chosen)
    data, empty = load(scope)
    shown = HIDDEN if empty else None
    return data, original_of(data), scope, empty, shown, None, None, *_reports(principal, scope, data)


SUBMIT_REPORT = (
    Output("entry-report-result", "children"),
    Output("entry-table", "rowData", allow_duplicate=True),
    *[Output(o.component_id, o.component_property, allow_duplicate=True) for o in REPORT_OUTPUTS],
    Input("entry-report-submit", "n_clicks"),
    State("entry-report-period", "value"),
    State("entry-scope", "data"),
    State("entry-table", "virtualRowData"),
)


async def submit_report(_clicks: int, period: str | None, scope: dict | None, data: list[dict] | None):
    """Submit the member's report for the chosen period to backbone staff; its values lock until returned."""
    principal = allowed("entry")
    if principal is None or principal.is_admin or not period:
        return session_ended(id="entry-outcome"), *[no_update] * (1 + len(REPORT_OUTPUTS))
    scope = trusted(principal, scope)
    try:
        await run_in_threadpool(periods.submit_report, period)
    except BackboneError as exc:
        failed = notice(_("Not submitted: {reason}", reason=exc.message), "error")
        return failed, *[no_update] * (1 + len(REPORT_OUTPUTS))
    done = notice(
        _(
            "Submitted {period} for approval. Its values are locked until backbone staff approve or return it.",
            period=period,
        ),
        "success",
        id="entry-report-outcome",
    )
    data = data or []
    shown = _reports(principal, scope, data)  # flags the rows of locked periods in ``data``
    return done, data, *shown


# Edits land in the grid's rows as typed; ``cellValueChanged`` says one was made, ``virtualRowData`` holds them all.
CHECK = (
    Output("entry-table", "columnDefs", allow_duplicate=True),
    Output("entry-problems", "children"),
    Output("entry-pending", "children"),
    Output("entry-unusual", "children", allow_duplicate=True),
    Input("entry-table", "cellValueChanged"),
    State("entry-table", "virtualRowData"),
    State("entry-original", "data"),
    State("entry-scope", "data"),
)


async def check(_edits: list[dict] | None, data: list[dict] | None, original: dict | None, scope: dict | None):
    """After each edit: the changed rows through the import's checks (a dry run); problems marked in place, and
    values the quality rules find unusual marked as warnings (they can still be saved)."""
    principal = allowed("entry")
    if principal is None:
        return no_update, None, None, None
    language, data, scope = context.language(), data or [], trusted(principal, scope)
    changed = changed_rows(data, original or {}, language)
    if not changed:
        return _marked(data), None, None, None
    items, keys, problems = batch_of(changed, language)
    general: list[ErrorItem] = []
    warned: list[CellProblem] = []
    unplaced: list[str] = []
    summary = None
    if items:
        try:
            summary = await run_in_threadpool(imports.submit, items, scope.get("organisation"), dry_run=True)
        except Exception as exc:  # noqa: BLE001  (shown to the person, never raised to the browser)
            message, cells, general = failure(exc, keys)
            problems += cells
            general = general or ([] if cells else [ErrorItem(code="", message=message)])
        else:
            warned, unplaced = await run_in_threadpool(located_warnings, summary.warnings, keys)
    count = len(problems) + len(general)
    return (
        _marked(data, problems, warned),
        problem_list(problems, general, data),
        _pending(summary, count),
        warning_list(warned, unplaced, data),
    )


SAVE = (
    Output("entry-result", "children", allow_duplicate=True),
    Output("entry-table", "rowData", allow_duplicate=True),
    Output("entry-original", "data", allow_duplicate=True),
    Output("entry-table", "columnDefs", allow_duplicate=True),
    Output("entry-problems", "children", allow_duplicate=True),
    Output("entry-unusual", "children", allow_duplicate=True),
    Input("entry-save", "n_clicks"),
    State("entry-table", "virtualRowData"),
    State("entry-original", "data"),
    State("entry-scope", "data"),
)
SAVING = [(Output("entry-save", "disabled"), True, False)]  # no second save while one runs


async def save(_clicks: int, data: list[dict] | None, original: dict | None, scope: dict | None):
    """Save the changed rows as one submission of the form channel: all of them or none."""
    principal = allowed("entry")
    if principal is None:
        return session_ended(id="entry-outcome"), *[no_update] * 5
    language, data, original, scope = context.language(), data or [], original or {}, trusted(principal, scope)
    changed = changed_rows(data, original, language)
    if not changed:
        return notice(_("Nothing to save: no value was changed."), id="entry-outcome"), *[no_update] * 5
    items, keys, problems = batch_of(changed, language)
    # Refused: the errors are marked, and the warnings of the last check go (the next check finds them again).
    if problems:
        outcome = notice(_("Nothing was saved: correct the marked cells."), "error", id="entry-outcome")
        return outcome, no_update, no_update, _marked(data, problems), problem_list(problems, [], data), None
    try:
        summary = await run_in_threadpool(imports.submit, items, scope.get("organisation"), dry_run=False)
    except Exception as exc:  # noqa: BLE001  (shown to the person, never raised to the browser)
        message, cells, general = failure(exc, keys)
        outcome = notice(message, "error", id="entry-outcome")
        return outcome, no_update, no_update, _marked(data, cells), problem_list(cells, general, data), None
    if summary.submission is None:
        message = _("Nothing changed: the values you typed are the ones already stored.")
        return notice(message, id="entry-outcome"), *[no_update] * 5
    fresh, _empty = load(scope)
    reports.mark(fresh, await run_in_threadpool(reports.states, scope, fresh))
    # Unusual values are stored, and flagged for a second look on the quality page: a notice, not an error (it
    # takes the place of the list the checks while typing made).
    flagged = await run_in_threadpool(quality.warnings, summary.warnings, id="entry-warnings")
    outcome = [confirmation(summary, changed, original, fresh), flagged]
    return outcome, fresh, original_of(fresh), _marked(fresh), None, None
