"""What the upload page does with the services: check a dropped file, import it on confirmation, the template."""

from __future__ import annotations

import base64
import binascii
import logging

from dash import html

from api.errors import BackboneError, Conflict, ErrorItem, Forbidden, Invalid, NotFound, TooLarge
from api.models.observation import WriteSummary
from dashboard import context, i18n
from dashboard.context import _
from dashboard.data import imports, mappings
from dashboard.data.sessions import Principal
from dashboard.parts import grid
from dashboard.parts.components import notice
from dashboard.parts.problems import explain

log = logging.getLogger(__name__)
BROWSER_LIMIT = 10 * 1024 * 1024  # bytes; a dropped file travels base64-encoded inside a callback request
OWN = "_backbone"  # the format choice of Backbone's own format (never a mapping's code: those start with a letter)


def mapping_code(chosen: str | None) -> str | None:
    """The source mapping chosen for the file, or None for Backbone's own format."""
    return None if not chosen or chosen == OWN else chosen


def format_options() -> list[dict[str, str]]:
    """Backbone's own format first, then the alliance's mappings by name."""
    found = sorted(mappings.mappings(), key=lambda m: m.name.lower())
    return [{"label": _("Backbone's own format"), "value": OWN}] + [{"label": m.name, "value": m.code} for m in found]


def about_mapping(code: str | None) -> html.Div | None:
    """What a chosen mapping reads: its description and where the publisher's file is found."""
    if code is None:
        return None
    found = {m.code: m for m in mappings.mappings()}.get(code)
    if found is None:
        return notice(_("This mapping no longer exists: choose another."), "error", id="upload-mapping-gone")
    source = found.source or ""
    where = html.A(source, href=source, rel="noopener") if source.startswith(("https://", "http://")) else source
    return html.Div(
        [
            html.P(found.description or "", id="upload-mapping-description"),
            html.P([_("Where the file is published: "), where], id="upload-mapping-source") if source else None,
            html.P(
                _(
                    "Drop the publisher's file as it was downloaded. The check shows the first observations as the "
                    "mapping makes them; nothing is stored until you confirm."
                ),
                className="muted",
            ),
        ],
        className="upload-mapping-about",
    )


def browser_limit() -> int:
    """The largest file the page takes, in bytes."""
    return min(BROWSER_LIMIT, imports.upload_limit())


def megabytes(size: int) -> str:
    """A size in megabytes, in the interface's language."""
    return i18n.number(size / (1024 * 1024), context.language(), decimals=0 if size >= 1024 * 1024 else 2) + " MB"


def organisation_for(principal: Principal, chosen: str | None) -> tuple[int, str] | None:
    """The organisation a file is for, (id, code): a member's own; the one staff chose (None if none yet)."""
    if not principal.is_admin:
        return principal.organisation_id, principal.organisation
    for oid, code, _name in imports.reporting_organisations():
        if code == chosen:
            return oid, code
    return None


def decode(contents: str) -> bytes:
    """The bytes of a dcc.Upload's data URL (``data:text/csv;base64,...``); ValueError if it is not one."""
    header, _sep, payload = contents.partition(",")
    if not header.startswith("data:") or not header.endswith(";base64"):
        raise ValueError("not a base64 data URL")
    try:
        return base64.b64decode(payload, validate=True)
    except binascii.Error as exc:
        raise ValueError("not base64") from exc


def counts(summary: WriteSummary, *, done: bool) -> html.Table:
    """The counts of a dry run (what would happen) or of an import (what happened)."""
    lines = [
        (_("Rows with values"), summary.rows),
        (_("Added") if done else _("To add"), summary.inserted),
        (_("Changed") if done else _("To change"), summary.updated),
        (_("Unchanged"), summary.unchanged),
        (_("Empty rows skipped"), summary.skipped),
    ]
    language = context.language()
    return html.Table(
        html.Tbody(
            [html.Tr([html.Th(label, scope="row"), html.Td(i18n.number(n, language, 0))]) for label, n in lines]
        ),
        className="upload-counts",
        id="upload-done-counts" if done else "upload-counts",
    )


def problems(exc: BackboneError, *, mapping: bool = False) -> html.Div:
    """A rejected file: every problem with its row and column (the first 1,000), and that nothing was written;
    for a mapped file, the line and column of the publisher's file and the mapping's rule that made the value."""
    errors: list[ErrorItem] = exc.errors
    mapping = mapping or any(e.rule for e in errors)
    language = context.language()
    if isinstance(exc, Forbidden):
        headline = _("Some rows lie outside your organisation's assignments; nothing was written.")
    elif exc.code == "period_locked":
        headline = _("Some rows lie in a locked period; nothing was written.")
    else:
        headline = _("Problems found: {count}. Nothing was written.", count=i18n.number(exc.error_count, language, 0))
    more = exc.error_count - len(errors)
    rows = [
        {
            "row": e.row,  # sorts as a number
            "row_text": "" if e.row is None else str(e.row),
            "column": e.column or "",
            "code": e.code,
            "problem": explain(e.code, e.message),
            "detail": e.message,
        }
        | ({"rule": e.rule or e.field or ""} if mapping else {})
        for e in errors
    ]
    columns = [
        grid.number_column("row", _("Line") if mapping else _("Row"), maxWidth=110),
        grid.text_column("column", _("Column"), width=120),
        grid.text_column("rule", _("Mapping rule"), width=140) if mapping else None,
        grid.text_column("problem", _("Problem"), width=260),
        grid.text_column("detail", _("Detail"), width=260),
    ]
    columns = [c for c in columns if c is not None]
    return html.Div(
        [
            notice(headline, "error", id="upload-rejected"),
            grid.grid("upload-errors", columns, rows, row_id=None, page_size=25),
            html.P(_("…and {more} more problems not listed.", more=i18n.number(more, language, 0)), id="upload-more")
            if more > 0
            else None,
        ]
    )


def failure(exc: Exception, *, mapping: bool = False, checking: bool = False) -> html.Div:
    """A failed check or import as something a person can act on; never a traceback."""
    if isinstance(exc, TooLarge):
        return notice(_("The file is too large: {reason}", reason=exc.message), "error", id="upload-rejected")
    if (isinstance(exc, (Invalid, Forbidden)) and exc.errors) or (isinstance(exc, Conflict) and not imports.busy(exc)):
        return problems(exc, mapping=mapping)
    if isinstance(exc, NotFound) and exc.code == "mapping_changed":
        message = _(
            "The mapping was changed or removed after the file was checked; nothing was written. Drop it again."
        )
        return notice(message, "error", id="upload-rejected")
    if isinstance(exc, NotFound) and checking and mapping:
        return notice(_("This mapping no longer exists: choose another."), "error", id="upload-rejected")
    if isinstance(exc, NotFound):
        return notice(_("This upload is no longer available: drop the file again."), "error", id="upload-rejected")
    if imports.busy(exc):
        message = _("The database is busy with another change; nothing was written. Please try again.")
        return notice(message, "error", id="upload-rejected")
    if isinstance(exc, BackboneError):
        return notice(exc.message, "error", id="upload-rejected")
    log.error("dashboard upload failed", exc_info=exc)
    message = _("Something went wrong on our side; nothing was written. It has been logged.")
    return notice(message, "error", id="upload-rejected")
