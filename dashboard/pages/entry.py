"""Data entry for members: the values of the organisation's assignments for a year, checked as they are typed."""

from __future__ import annotations

import datetime as dt

import dash
from dash import Dash, Input, Output, State, dcc, html, no_update
from starlette.concurrency import run_in_threadpool

from api.errors import BackboneError, ErrorItem
from dashboard import context, entry_reports
from dashboard.components import guard, notice
from dashboard.context import _
from dashboard.data import imports, periods
from dashboard.data.sessions import Principal
from dashboard.entry_actions import confirmation, failure, load, problem_list, scope_of, trusted
from dashboard.entry_form import batch_of, changed_rows
from dashboard.entry_table import columns, original_of, styles, table
from dashboard.session import may_open

YEARS_BACK = 10
HIDDEN = {"display": "none"}


def layout(year: str | None = None, period: str | None = None, organisation: str | None = None, **_query: str):
    if (blocked := guard("entry")) is not None:
        return blocked
    principal = context.user()
    scope = scope_of(principal, organisation, period or year)
    data, empty = load(scope)
    found = entry_reports.states(principal, scope, data)
    entry_reports.mark(data, found)
    options = entry_reports.submittable(principal, found)
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
                entry_reports.panel(found),
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
            html.Div(
                table(data, entry_reports.read_only(found)), id="entry-table-box", style=HIDDEN if empty else None
            ),
            html.Div(id="entry-pending", className="entry-pending", role="status"),
            html.Div(id="entry-problems", className="entry-problems"),
            html.Div(
                html.Button(_("Save"), id="entry-save", className="button", n_clicks=0), className="entry-actions"
            ),
            html.Div(id="entry-result"),
            dcc.Store(id="entry-scope", data=scope),
            dcc.Store(id="entry-original", data=original_of(data)),
        ],
        className="page entry-page",
    )


REPORT_OUTPUTS = [
    Output("entry-reports", "children"),
    Output("entry-report-period", "options"),
    Output("entry-report-period", "value"),
    Output("entry-report-actions", "style"),
    Output("entry-table", "columns"),
]


def _reports(principal: Principal | None, scope: dict, data: list[dict]) -> tuple:
    """The report panel, the periods to submit and the table's columns (read only when locked), for REPORT_OUTPUTS."""
    if principal is None:
        return None, [], None, HIDDEN, columns(True)
    found = entry_reports.states(principal, scope, data)
    entry_reports.mark(data, found)
    options = entry_reports.submittable(principal, found)
    return (
        entry_reports.panel(found),
        options,
        options[0]["value"] if options else None,
        None if options else HIDDEN,
        columns(entry_reports.read_only(found)),
    )


def _allowed() -> Principal | None:
    """The user if they may still use this page (a callback can be called directly, or after logging out)."""
    principal = context.user()
    return principal if may_open("entry", principal) else None


def _refused() -> html.Div:
    return notice(_("Your session has ended or does not allow this: log in again."), "error", id="entry-outcome")


def _pending(summary, problems: int) -> str | None:  # noqa: ANN001
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


def register(app: Dash) -> None:
    dash.register_page(__name__, path="/entry", title="Backbone · Data entry", layout=layout)

    @app.callback(
        Output("entry-table", "data"),
        Output("entry-original", "data"),
        Output("entry-scope", "data"),
        Output("entry-notice", "children"),
        Output("entry-table-box", "style"),
        Output("entry-result", "children"),
        *REPORT_OUTPUTS,
        Input("entry-year", "value"),
        Input("entry-organisation", "value"),
        prevent_initial_call=True,
    )
    def choose(chosen: str | None, organisation: str | None):  # noqa: ANN202
        """Another year or organisation: load its rows (what was typed and not saved is dropped)."""
        principal = _allowed()
        if principal is None:
            return [], {}, {}, _refused(), HIDDEN, None, *_reports(None, {}, [])
        scope = scope_of(principal, organisation, chosen)
        data, empty = load(scope)
        return data, original_of(data), scope, empty, HIDDEN if empty else None, None, *_reports(principal, scope, data)

    @app.callback(
        Output("entry-report-result", "children"),
        Output("entry-table", "data", allow_duplicate=True),
        *[Output(o.component_id, o.component_property, allow_duplicate=True) for o in REPORT_OUTPUTS],
        Input("entry-report-submit", "n_clicks"),
        State("entry-report-period", "value"),
        State("entry-scope", "data"),
        State("entry-table", "data"),
        prevent_initial_call=True,
    )
    async def submit_report(_clicks: int, period: str | None, scope: dict | None, data: list[dict] | None):  # noqa: ANN202
        """Submit the member's report for the chosen period to backbone staff; its values lock until returned."""
        principal = _allowed()
        if principal is None or principal.is_admin or not period:
            return _refused(), *[no_update] * (1 + len(REPORT_OUTPUTS))
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
        reports = _reports(principal, scope, data)  # flags the rows of locked periods in ``data``
        return done, data, *reports

    @app.callback(
        Output("entry-table", "style_data_conditional"),
        Output("entry-problems", "children"),
        Output("entry-pending", "children"),
        Input("entry-table", "data"),
        State("entry-original", "data"),
        State("entry-scope", "data"),
        prevent_initial_call=True,
    )
    async def check(data: list[dict] | None, original: dict | None, scope: dict | None):  # noqa: ANN202
        """After each edit: the changed rows through the import's checks (a dry run); problems marked in place."""
        principal = _allowed()
        language = context.language()
        changed = changed_rows(data or [], original or {}, language)
        if principal is None or not changed:
            return styles(), None, None
        items, keys, problems = batch_of(changed, language)
        general: list[ErrorItem] = []
        summary = None
        if items:
            try:
                organisation = trusted(principal, scope).get("organisation")
                summary = await run_in_threadpool(imports.submit, items, organisation, dry_run=True)
            except Exception as exc:  # noqa: BLE001  (shown to the person, never raised to the browser)
                message, cells, general = failure(exc, keys)
                problems += cells
                general = general or ([] if cells else [ErrorItem(code="", message=message)])
        count = len(problems) + len(general)
        return styles(problems), problem_list(problems, general, data or []), _pending(summary, count)

    @app.callback(
        Output("entry-result", "children", allow_duplicate=True),
        Output("entry-table", "data", allow_duplicate=True),
        Output("entry-original", "data", allow_duplicate=True),
        Output("entry-table", "style_data_conditional", allow_duplicate=True),
        Output("entry-problems", "children", allow_duplicate=True),
        Input("entry-save", "n_clicks"),
        State("entry-table", "data"),
        State("entry-original", "data"),
        State("entry-scope", "data"),
        prevent_initial_call=True,
        running=[(Output("entry-save", "disabled"), True, False)],
    )
    async def save(_clicks: int, data: list[dict] | None, original: dict | None, scope: dict | None):  # noqa: ANN202
        """Save the changed rows as one submission of the form channel: all of them or none."""
        principal = _allowed()
        if principal is None:
            return _refused(), no_update, no_update, no_update, no_update
        language, data, original, scope = context.language(), data or [], original or {}, trusted(principal, scope)
        changed = changed_rows(data, original, language)
        if not changed:
            return notice(_("Nothing to save: no value was changed."), id="entry-outcome"), *[no_update] * 4
        items, keys, problems = batch_of(changed, language)
        if problems:
            outcome = notice(_("Nothing was saved: correct the marked cells."), "error", id="entry-outcome")
            return outcome, no_update, no_update, styles(problems), problem_list(problems, [], data)
        try:
            summary = await run_in_threadpool(imports.submit, items, scope.get("organisation"), dry_run=False)
        except Exception as exc:  # noqa: BLE001  (shown to the person, never raised to the browser)
            message, cells, general = failure(exc, keys)
            outcome = notice(message, "error", id="entry-outcome")
            return outcome, no_update, no_update, styles(cells), problem_list(cells, general, data)
        if summary.submission is None:
            message = _("Nothing changed: the values you typed are the ones already stored.")
            return notice(message, id="entry-outcome"), *[no_update] * 4
        fresh, _empty = load(scope)
        return confirmation(summary, changed, original, fresh), fresh, original_of(fresh), styles(), None
