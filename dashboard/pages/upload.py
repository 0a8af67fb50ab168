"""Upload for members: drop a CSV or XLSX file, see what it would change (or its errors), then confirm."""

from __future__ import annotations

import datetime as dt

import dash
from dash import Dash, Input, Output, State, dcc, html, no_update
from starlette.concurrency import run_in_threadpool

from dashboard import context
from dashboard.components import guard, notice
from dashboard.context import _
from dashboard.data import imports
from dashboard.data.sessions import Principal
from dashboard.session import may_open
from dashboard.upload_actions import browser_limit, counts, decode, failure, megabytes, organisation_for

HIDDEN = {"display": "none"}
YEARS_BACK = 10


def _template_section(due: int) -> list:
    this_year = dt.date.today().year
    formats = [
        ("csv", _("CSV, comma-separated (decimal point)")),
        ("csv-semicolon", _("CSV for Dutch or German Excel (semicolons, decimal comma)")),
        ("xlsx", _("Excel workbook (XLSX)")),
    ]
    years = [{"label": str(y), "value": y} for y in range(this_year, this_year - YEARS_BACK, -1)]
    return [
        html.H2(_("1. The template")),
        html.P(_("The rows to report, with the values already stored and last period's value beside each.")),
        html.Div(
            [
                html.Label(
                    [
                        _("Reporting year"),
                        dcc.Dropdown(id="upload-template-year", options=years, value=due, clearable=False),
                    ]
                ),
                html.Label(
                    [
                        _("Format"),
                        dcc.RadioItems(
                            id="upload-template-format",
                            options=[{"label": label, "value": value} for value, label in formats],
                            value="csv-semicolon" if context.language() in ("nl", "de") else "csv",
                        ),
                    ]
                ),
            ],
            className="filters",
        ),
        html.Button(_("Download the template"), id="upload-template-button", className="button secondary", n_clicks=0),
        html.Div(id="upload-template-note"),
        dcc.Download(id="upload-template-file"),
    ]


def _file_section(limit: int, api_limit: int) -> list:
    too_large = _("This file is larger than {size}: use the API or the command line.", size=megabytes(limit))
    return [
        html.H2(_("2. Your file")),
        # No ``accept``: the drop zone would refuse other files without a word; the check explains instead.
        html.Div(
            dcc.Upload(
                id="upload-file",
                children=html.Div([_("Drag and drop a CSV or XLSX file here, or "), html.A(_("choose a file"))]),
                max_size=limit,
                className="upload-drop",
                className_active="upload-drop active",
            ),
            id="upload-zone",
            **{"data-max-bytes": str(limit)},
        ),
        html.P(
            _(
                "Files up to {size} can be uploaded here. Larger files (up to {api}) go through the API "
                "(POST /api/v1/imports) or the command line (backbone import FILE).",
                size=megabytes(limit),
                api=megabytes(api_limit),
            ),
            className="upload-limit",
        ),
        html.Div(id="upload-too-large", role="alert", **{"data-message": too_large}),
        dcc.Loading(html.Div(id="upload-preview"), delay_show=200),
        html.Div(
            [
                html.Button(_("Confirm and import"), id="upload-confirm", className="button", n_clicks=0),
                html.Button(_("Cancel"), id="upload-cancel", className="button secondary", n_clicks=0),
            ],
            id="upload-actions",
            className="upload-actions",
            style=HIDDEN,
        ),
        dcc.Loading(html.Div(id="upload-result"), delay_show=200),
        dcc.Store(id="upload-token"),
    ]


def layout(**_query: str) -> html.Div:
    if (blocked := guard("upload")) is not None:
        return blocked
    principal = context.user()
    organisations, due = [], dt.date.today().year - 1
    if principal.is_admin:
        organisations = imports.reporting_organisations()
    else:
        due = imports.due_year(principal.organisation_id)
    lead = _("Upload a CSV or Excel (XLSX) file of values. It is checked first; nothing is stored until you confirm.")
    staff = _("As backbone staff you upload for the organisation chosen here; the submission records you.")
    return html.Div(
        [
            html.H1(_("Upload")),
            html.P(lead, className="lead"),
            html.Label(
                [
                    _("Organisation"),
                    dcc.Dropdown(
                        id="upload-organisation",
                        options=[{"label": name, "value": code} for _id, code, name in organisations],
                        placeholder=_("Choose an organisation"),
                    ),
                    html.Small(staff),
                ],
                className="upload-organisation",
                style=None if principal.is_admin else HIDDEN,
            ),
            *_template_section(due),
            *_file_section(browser_limit(), imports.upload_limit()),
        ],
        className="page upload-page",
    )


def _allowed() -> Principal | None:
    principal = context.user()
    return principal if may_open("upload", principal) else None


def _refused() -> html.Div:
    return notice(_("Your session has ended or does not allow this: log in again."), "error", id="upload-rejected")


def _rejected(message: str) -> tuple:
    """The check callback's answer for a file that was not checked: the message, nothing held."""
    return notice(message, "error", id="upload-rejected"), HIDDEN, None, None, None


def register(app: Dash) -> None:
    dash.register_page(__name__, path="/upload", title="Backbone · Upload", layout=layout)

    @app.callback(
        Output("upload-preview", "children"),
        Output("upload-actions", "style"),
        Output("upload-token", "data"),
        Output("upload-result", "children"),
        Output("upload-file", "contents"),
        Input("upload-file", "contents"),
        State("upload-file", "filename"),
        State("upload-organisation", "value"),
        State("upload-token", "data"),
        prevent_initial_call=True,
    )
    async def check(contents: str | None, filename: str | None, chosen: str | None, previous: str | None):  # noqa: ANN202
        """A dropped file: spooled, checked through the import pipeline (a dry run), held for confirmation."""
        if not contents:
            return no_update, no_update, no_update, no_update, no_update
        principal = _allowed()
        if principal is None:
            return _rejected(_("Your session has ended or does not allow this: log in again."))
        if previous:
            await run_in_threadpool(imports.release_upload, previous)
        organisation = organisation_for(principal, chosen)
        if organisation is None:
            return _rejected(_("Choose the organisation the file is for first."))
        try:
            data = decode(contents)
        except ValueError:
            return _rejected(_("The file could not be read; please try again."))
        if len(data) > browser_limit():
            return _rejected(
                _("This file is larger than {size}: use the API or the command line.", size=megabytes(browser_limit()))
            )
        try:
            summary, token = await run_in_threadpool(
                imports.check_upload, organisation[0], filename or "upload.csv", data
            )
        except Exception as exc:  # noqa: BLE001  (shown to the person, never raised to the browser)
            return failure(exc), HIDDEN, None, None, None
        heading = html.P(_("{name} is fine. This is what importing it would do:", name=filename or ""), id="upload-ok")
        if summary.inserted + summary.updated == 0:
            await run_in_threadpool(imports.release_upload, token)
            nothing = notice(_("Nothing would change: every value in the file is already stored."), id="upload-nothing")
            return html.Div([heading, counts(summary, done=False), nothing]), HIDDEN, None, None, None
        return html.Div([heading, counts(summary, done=False)]), None, token, None, None

    @app.callback(
        Output("upload-result", "children", allow_duplicate=True),
        Output("upload-actions", "style", allow_duplicate=True),
        Output("upload-token", "data", allow_duplicate=True),
        Output("upload-preview", "children", allow_duplicate=True),
        Input("upload-confirm", "n_clicks"),
        State("upload-token", "data"),
        prevent_initial_call=True,
        running=[(Output("upload-confirm", "disabled"), True, False)],
    )
    async def import_held(_clicks: int, token: str | None):  # noqa: ANN202
        """Confirmed: import the held file, exactly the bytes that were checked, as one submission."""
        principal = _allowed()
        if principal is None:
            return _refused(), HIDDEN, None, no_update
        if not token:
            return notice(_("Drop a file first."), "error", id="upload-rejected"), HIDDEN, None, no_update
        try:
            summary = await run_in_threadpool(imports.confirm_upload, token)
        except Exception as exc:  # noqa: BLE001  (shown to the person, never raised to the browser)
            if imports.busy(exc):
                return failure(exc), no_update, no_update, no_update  # still held: confirm again
            return failure(exc), HIDDEN, None, no_update
        if summary.submission is None:
            done = notice(_("Nothing changed: every value in the file was already stored."), id="upload-done")
        else:
            done = html.Div(
                [
                    html.Strong(_("Imported as submission #{submission}.", submission=summary.submission)),
                    counts(summary, done=True),
                ],
                className="notice notice-success",
                role="status",
                id="upload-done",
            )
        return done, HIDDEN, None, None

    @app.callback(
        Output("upload-preview", "children", allow_duplicate=True),
        Output("upload-actions", "style", allow_duplicate=True),
        Output("upload-token", "data", allow_duplicate=True),
        Input("upload-cancel", "n_clicks"),
        State("upload-token", "data"),
        prevent_initial_call=True,
    )
    def cancel(_clicks: int, token: str | None):  # noqa: ANN202
        """Cancelled: the held file is removed and nothing is imported."""
        if token and _allowed() is not None:
            imports.release_upload(token)
        return notice(_("Cancelled: nothing was imported."), id="upload-cancelled"), HIDDEN, None

    @app.callback(
        Output("upload-template-file", "data"),
        Output("upload-template-note", "children"),
        Input("upload-template-button", "n_clicks"),
        State("upload-template-year", "value"),
        State("upload-template-format", "value"),
        State("upload-organisation", "value"),
        prevent_initial_call=True,
    )
    def download_template(_clicks: int, year: int | None, kind: str | None, chosen: str | None):  # noqa: ANN202
        """The template of the user's organisation (staff: the chosen one) for a year, as a file download."""
        principal = _allowed()
        if principal is None:
            return no_update, _refused()
        organisation = organisation_for(principal, chosen)
        if organisation is None:
            return no_update, notice(_("Choose the organisation first."), "error", id="upload-template-error")
        year = int(year) if str(year or "").isdigit() and 1900 <= int(year) <= 2100 else dt.date.today().year - 1
        content, name = imports.template_file(organisation[0], organisation[1], year, kind or "csv")
        return dcc.send_bytes(content, name), None
