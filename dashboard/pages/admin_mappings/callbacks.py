"""The mappings page's callbacks: a mapping chosen (or a new one started), checked with a preview on the sample file,
saved as the current admin, deleted after a confirmation. Each checks first that the user may use the page."""

from __future__ import annotations

import base64
import binascii
import logging

from dash import Input, Output, State, html, no_update

from api.errors import BackboneError, ErrorItem, NotFound
from dashboard import context, i18n
from dashboard.context import _
from dashboard.data import mappings
from dashboard.parts.components import allowed, notice, session_ended
from dashboard.parts.mapped import observations, problem_items

log = logging.getLogger(__name__)
PAGE = "admin/mappings"
NEW = "_new"  # the choice of a new mapping (never a mapping's code: those start with a letter or digit)
MAX_SAMPLE = 5 * 1024 * 1024  # bytes; the sample travels base64-encoded with every check
PREVIEW = 20  # observations shown
TEMPLATE = """\
code: new-mapping
name: New mapping
description: What the file holds, and how its rows become observations.
source: https://example.org/where-the-file-is-published.csv
file:
  delimiter: detect
indicator: reading-standard
area:
  column: Area code
period:
  group: year
measures:
  - columns: '^Value (?P<year>\\d{4})$'
"""


def mapping_rows() -> list[dict[str, str]]:
    """The mappings for the list: code, name, description, where the files are published."""
    return [
        {"code": m.code, "name": m.name, "description": m.description or "", "source": m.source or ""}
        for m in mappings.mappings()
    ]


def choices(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The mapping to edit: a new one first, then each by name."""
    found = [{"label": f"{row['name']} ({row['code']})", "value": row["code"]} for row in rows]
    return [{"label": _("A new mapping (from a small template)"), "value": NEW}, *found]


def problem_list(headline: str, problems: list[ErrorItem], count: int) -> html.Div:
    """Problems in words, each with where it is (line, column, rule or path), and how many in all."""
    more = [html.P(_("{count} problems in all.", count=i18n.number(count, context.language(), 0)))]
    return html.Div(
        [html.P(headline), html.Ul(problem_items(problems)), *(more if count > len(problems) else [])],
        className="notice notice-error",
        id="admin-mappings-problem-list",
    )


def _refused(exc: BackboneError, headline: str) -> html.Div:
    if exc.errors:
        return problem_list(headline, exc.errors, exc.error_count)
    return problem_list(headline, [ErrorItem(code=exc.code, message=exc.message)], 1)


CHOOSE = (
    Output("admin-mappings-document", "value"),
    Output("admin-mappings-editing", "data"),
    Output("admin-mappings-preview", "children"),
    Output("admin-mappings-problems", "children"),
    Output("admin-mappings-result", "children"),
    Output("admin-mappings-delete-button", "disabled"),
    Input("admin-mappings-choose", "value"),
    State("admin-mappings-editing", "data"),
)


def choose(chosen: str | None, editing: str | None):
    """The chosen mapping in the editor as YAML, or the template of a new one."""
    if allowed(PAGE) is None:
        return no_update, None, None, session_ended(), None, True
    if not chosen or chosen == editing:  # nothing chosen, or what was just saved is already in the editor
        return (no_update,) * 6
    if chosen == NEW:
        return TEMPLATE, None, None, None, None, True
    try:
        document = mappings.mapping(chosen)
    except NotFound:
        gone = notice(_("This mapping no longer exists."), "error")
        return "", None, None, gone, None, True
    return mappings.document_text(document), document.code, None, None, None, False


CHECK = (
    Output("admin-mappings-preview", "children", allow_duplicate=True),
    Output("admin-mappings-problems", "children", allow_duplicate=True),
    Output("admin-mappings-sample-name", "children"),
    Input("admin-mappings-check", "n_clicks"),
    Input("admin-mappings-sample", "contents"),
    State("admin-mappings-document", "value"),
    State("admin-mappings-sample", "filename"),
)


def check(_clicks: int, contents: str | None, text: str | None, filename: str | None):
    """The mapping checked in itself, then on the sample file: how many observations and the first of them, or
    every problem with where it is."""
    if allowed(PAGE) is None:
        return None, session_ended(), no_update
    sample = _("Sample file: {name}", name=filename) if contents and filename else None
    if not (text or "").strip():
        return None, notice(_("Choose a mapping or start a new one first."), "error"), sample
    try:
        document = mappings.parse(text or "")
    except BackboneError as exc:
        return None, _refused(exc, _("The mapping has problems; nothing was checked on the file:")), sample
    if not contents:
        said = _("The mapping is sound in itself. Drop a sample file to see the observations it makes of it.")
        return notice(said, "info", id="admin-mappings-sound"), None, sample
    try:
        data = base64.b64decode(contents.partition(",")[2], validate=True)
    except (binascii.Error, ValueError):
        return None, notice(_("The file could not be read; please try again."), "error"), sample
    try:
        count, rows = mappings.check_sample(document, filename or "sample.csv", data, PREVIEW)
    except BackboneError as exc:
        return None, _refused(exc, _("The sample file does not fit the mapping:")), sample
    except Exception as exc:
        log.error("checking a mapping failed", exc_info=exc)
        return None, notice(_("Something went wrong on our side. It has been logged."), "error"), sample
    return observations("admin-mappings-observations", rows, count), None, sample


SAVE = (
    Output("admin-mappings-result", "children", allow_duplicate=True),
    Output("admin-mappings-problems", "children", allow_duplicate=True),
    Output("admin-mappings-editing", "data", allow_duplicate=True),
    Output("admin-mappings-choose", "options"),
    Output("admin-mappings-choose", "value"),
    Output("admin-mappings-list", "rowData"),
    Output("admin-mappings-delete-button", "disabled", allow_duplicate=True),
    Input("admin-mappings-save", "n_clicks"),
    State("admin-mappings-document", "value"),
    State("admin-mappings-editing", "data"),
)


def save(_clicks: int, text: str | None, editing: str | None):
    """A new mapping, or a new version of the one being edited, as the current admin; the problems if refused."""
    unchanged = (no_update,) * 5
    if allowed(PAGE) is None:
        return None, session_ended(), *unchanged
    if not (text or "").strip():
        return None, notice(_("Choose a mapping or start a new one first."), "error"), *unchanged
    try:
        document = mappings.parse(text or "")
        saved = mappings.replace(editing, document) if editing else mappings.create(document)
    except BackboneError as exc:
        return None, _refused(exc, _("Not saved:")), *unchanged
    rows = mapping_rows()
    said = notice(_("Saved: {name} ({code}).", name=saved.name, code=saved.code), "success", id="admin-mappings-saved")
    return said, None, saved.code, choices(rows), saved.code, rows, False


DELETE = (
    Output("admin-mappings-result", "children", allow_duplicate=True),
    Output("admin-mappings-problems", "children", allow_duplicate=True),
    Output("admin-mappings-editing", "data", allow_duplicate=True),
    Output("admin-mappings-choose", "options", allow_duplicate=True),
    Output("admin-mappings-choose", "value", allow_duplicate=True),
    Output("admin-mappings-list", "rowData", allow_duplicate=True),
    Output("admin-mappings-delete-button", "disabled", allow_duplicate=True),
    Output("admin-mappings-document", "value", allow_duplicate=True),
    Output("admin-mappings-preview", "children", allow_duplicate=True),
    Input("admin-mappings-delete", "submit_n_clicks"),
    State("admin-mappings-editing", "data"),
)


def delete(_confirmed: int, editing: str | None):
    """The mapping being edited removed (after the browser's confirmation); what was imported through it stays."""
    unchanged = (no_update,) * 7
    if allowed(PAGE) is None:
        return None, session_ended(), *unchanged
    if not editing:
        return None, notice(_("Choose a saved mapping first."), "error"), *unchanged
    try:
        mappings.delete(editing)
    except BackboneError as exc:
        return None, _refused(exc, _("Not deleted:")), *unchanged
    rows = mapping_rows()
    said = notice(_("Deleted: {code}.", code=editing), "success", id="admin-mappings-deleted")
    return said, None, None, choices(rows), None, rows, True, "", None
