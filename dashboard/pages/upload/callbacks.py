"""The upload page's callbacks: a dropped file checked and held, confirmed or cancelled; the template downloaded."""

from __future__ import annotations

import datetime as dt

from dash import Input, Output, State, dcc, html, no_update
from starlette.concurrency import run_in_threadpool

from dashboard.context import _
from dashboard.data import imports
from dashboard.pages.upload.actions import (
    about_mapping,
    browser_limit,
    counts,
    decode,
    failure,
    mapping_code,
    megabytes,
    organisation_for,
)
from dashboard.parts import quality
from dashboard.parts.components import HIDDEN, allowed, notice, session_ended
from dashboard.parts.mapped import observations


def _rejected(message: str) -> tuple:
    """The check callback's answer for a file that was not checked: the message, nothing held."""
    return notice(message, "error", id="upload-rejected"), HIDDEN, None, None, None


CHECK = (
    Output("upload-preview", "children"),
    Output("upload-actions", "style"),
    Output("upload-token", "data"),
    Output("upload-result", "children"),
    Output("upload-file", "contents"),
    Input("upload-file", "contents"),
    State("upload-file", "filename"),
    State("upload-organisation", "value"),
    State("upload-token", "data"),
    State("upload-mapping", "value"),
)


async def check(
    contents: str | None, filename: str | None, chosen: str | None, previous: str | None, format_chosen: str | None
):
    """A dropped file: spooled, checked through the import pipeline (a dry run) in Backbone's own format or through
    the chosen source mapping, held (with that mapping) for confirmation."""
    if not contents:
        return no_update, no_update, no_update, no_update, no_update
    principal = allowed("upload")
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
    mapping = mapping_code(format_chosen)
    try:
        summary, token = await run_in_threadpool(
            imports.check_upload, organisation[0], filename or "upload.csv", data, mapping
        )
    except Exception as exc:  # noqa: BLE001  (shown to the person, never raised to the browser)
        return failure(exc, mapping=mapping is not None, checking=True), HIDDEN, None, None, None
    heading = html.P(_("{name} is fine. This is what importing it would do:", name=filename or ""), id="upload-ok")
    preview = observations("upload-mapped", summary.preview, summary.rows) if mapping is not None else None
    if summary.inserted + summary.updated == 0:
        await run_in_threadpool(imports.release_upload, token)
        nothing = notice(_("Nothing would change: every value in the file is already stored."), id="upload-nothing")
        return html.Div([heading, counts(summary, done=False), nothing, preview]), HIDDEN, None, None, None
    # Unusual values: a notice before the import is confirmed; the file can still be imported, they are flagged.
    flagged = await run_in_threadpool(quality.warnings, summary.warnings, id="upload-warnings")
    return html.Div([heading, counts(summary, done=False), flagged, preview]), None, token, None, None


FORMAT = (
    Output("upload-mapping-about", "children"),
    Output("upload-preview", "children", allow_duplicate=True),
    Output("upload-actions", "style", allow_duplicate=True),
    Output("upload-token", "data", allow_duplicate=True),
    Input("upload-mapping", "value"),
    State("upload-token", "data"),
)


def choose_format(chosen: str | None, token: str | None):
    """Another format: what the chosen mapping reads; a file checked in the other format is let go."""
    if allowed("upload") is None:
        return session_ended(id="upload-rejected"), None, HIDDEN, None
    if token:
        imports.release_upload(token)
    return about_mapping(mapping_code(chosen)), None, HIDDEN, None


IMPORT_HELD = (
    Output("upload-result", "children", allow_duplicate=True),
    Output("upload-actions", "style", allow_duplicate=True),
    Output("upload-token", "data", allow_duplicate=True),
    Output("upload-preview", "children", allow_duplicate=True),
    Input("upload-confirm", "n_clicks"),
    State("upload-token", "data"),
)
IMPORTING = [(Output("upload-confirm", "disabled"), True, False)]  # no second import while one runs


async def import_held(_clicks: int, token: str | None):
    """Confirmed: import the held file, exactly the bytes that were checked, as one submission."""
    principal = allowed("upload")
    if principal is None:
        return session_ended(id="upload-rejected"), HIDDEN, None, no_update
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


CANCEL = (
    Output("upload-preview", "children", allow_duplicate=True),
    Output("upload-actions", "style", allow_duplicate=True),
    Output("upload-token", "data", allow_duplicate=True),
    Input("upload-cancel", "n_clicks"),
    State("upload-token", "data"),
)


def cancel(_clicks: int, token: str | None):
    """Cancelled: the held file is removed and nothing is imported."""
    if token and allowed("upload") is not None:
        imports.release_upload(token)
    return notice(_("Cancelled: nothing was imported."), id="upload-cancelled"), HIDDEN, None


DOWNLOAD_TEMPLATE = (
    Output("upload-template-file", "data"),
    Output("upload-template-note", "children"),
    Input("upload-template-button", "n_clicks"),
    State("upload-template-year", "value"),
    State("upload-template-format", "value"),
    State("upload-organisation", "value"),
)


def download_template(_clicks: int, year: int | None, kind: str | None, chosen: str | None):
    """The template of the user's organisation (staff: the chosen one) for a year, as a file download."""
    principal = allowed("upload")
    if principal is None:
        return no_update, session_ended(id="upload-rejected")
    organisation = organisation_for(principal, chosen)
    if organisation is None:
        return no_update, notice(_("Choose the organisation first."), "error", id="upload-template-error")
    year = int(year) if str(year or "").isdigit() and 1900 <= int(year) <= 2100 else dt.date.today().year - 1
    content, name = imports.template_file(organisation[0], organisation[1], year, kind or "csv")
    return dcc.send_bytes(content, name), None
