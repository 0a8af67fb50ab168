"""What the upload page does with the services: check a dropped file, import it on confirmation, the template."""

from __future__ import annotations

import base64
import binascii
import logging

from dash import dash_table, html
from sqlalchemy.exc import DBAPIError

from api.errors import BackboneError, Conflict, ErrorItem, Forbidden, Invalid, NotFound, TooLarge
from api.ingest.spool import SpooledFile
from api.models.observation import WriteSummary
from api.services.accounts.auth import Principal
from api.services.imports import batches, template
from api.services.imports import entry as entry_service
from api.services.imports import uploads as upload_service
from dashboard import context, i18n
from dashboard.components import notice
from dashboard.context import _
from dashboard.entry_table import FONT
from dashboard.problems import explain

log = logging.getLogger(__name__)
BROWSER_LIMIT = 10 * 1024 * 1024  # bytes; a dropped file travels base64-encoded inside a callback request


def browser_limit() -> int:
    return min(BROWSER_LIMIT, context.backbone().settings.max_upload_bytes)


def megabytes(size: int) -> str:
    return i18n.number(size / (1024 * 1024), context.language(), decimals=0 if size >= 1024 * 1024 else 2) + " MB"


def organisation_for(principal: Principal, chosen: str | None) -> tuple[int, str] | None:
    """The organisation a file is for, (id, code): a member's own; the one staff chose (None if none yet)."""
    if not principal.is_admin:
        return principal.organisation_id, principal.organisation
    for oid, code, _name in entry_service.reporting_organisations(read_model=context.backbone().read_model):
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


def _import(principal: Principal, spooled: SpooledFile, organisation_id: int, *, dry_run: bool) -> WriteSummary:
    """The spooled file through the import pipeline for the organisation (a dry run writes nothing)."""
    backbone = context.backbone()
    with backbone.db.transaction(write=not dry_run) as session:
        return batches.import_file(
            session=session,
            read_model=backbone.read_model,
            settings=backbone.settings,
            spooled=spooled,
            organisation_id=organisation_id,
            user_id=principal.user_id,
            dry_run=dry_run,
            staff=principal.is_admin,
        )


def dry_run(principal: Principal, organisation_id: int, name: str, data: bytes) -> tuple[WriteSummary, str]:
    """Spool the file and check it through the import pipeline; hold it for confirmation; (counts, hold id).

    Raises the pipeline's errors (the file is removed then).
    """
    backbone = context.backbone()
    upload_service.sweep(settings=backbone.settings)
    spooled = upload_service.spool_bytes(settings=backbone.settings, name=name, data=data)
    try:
        summary = _import(principal, spooled, organisation_id, dry_run=True)
    except BaseException:
        spooled.remove()
        raise
    token = upload_service.hold(
        settings=backbone.settings, spooled=spooled, user_id=principal.user_id, organisation_id=organisation_id
    )
    return summary, token


def confirm(principal: Principal, token: str) -> WriteSummary:
    """Import the held file for real, in one write transaction; removed afterwards unless the database was busy."""
    backbone = context.backbone()
    spooled, organisation_id = upload_service.claim(settings=backbone.settings, token=token, user_id=principal.user_id)
    try:
        summary = _import(principal, spooled, organisation_id, dry_run=False)
    except (Conflict, DBAPIError) as exc:
        if not busy(exc):
            upload_service.release(settings=backbone.settings, token=token)
            raise
        upload_service.unclaim(settings=backbone.settings, token=token)  # busy: the same file may be confirmed again
        raise
    except BaseException:
        upload_service.release(settings=backbone.settings, token=token)
        raise
    upload_service.release(settings=backbone.settings, token=token)
    return summary


def busy(exc: Exception) -> bool:
    """A write that may simply be sent again (the database was busy), unlike a period that is locked."""
    return isinstance(exc, DBAPIError) or (isinstance(exc, Conflict) and exc.code != "period_locked")


def template_file(organisation_id: int, organisation: str, year: int, kind: str) -> tuple[bytes, str]:
    """The organisation's template for a year as CSV (``,``; or ``;`` with decimal commas) or XLSX, and its name."""
    table = template.template(read_model=context.backbone().read_model, organisation_id=organisation_id, year=year)
    name = f"backbone-{organisation}-{year}"
    if kind == "xlsx":
        return template.template_xlsx(table), name + ".xlsx"
    return template.template_csv(table, ";" if kind == "csv-semicolon" else ","), name + ".csv"


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


def problems(exc: BackboneError) -> html.Div:
    """A rejected file: every problem with its row and column (the first 1,000), and that nothing was written."""
    errors: list[ErrorItem] = exc.errors
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
            "row": "" if e.row is None else e.row,
            "column": e.column or "",
            "code": e.code,
            "problem": explain(e.code, e.message),
            "detail": e.message,
        }
        for e in errors
    ]
    columns = [("row", _("Row")), ("column", _("Column")), ("problem", _("Problem")), ("detail", _("Detail"))]
    return html.Div(
        [
            notice(headline, "error", id="upload-rejected"),
            dash_table.DataTable(
                id="upload-errors",
                columns=[{"id": key, "name": name} for key, name in columns],
                data=rows,
                page_size=25,
                style_cell={"fontFamily": FONT, "textAlign": "left", "whiteSpace": "normal", "height": "auto"},
                style_header={"fontWeight": 600},
            ),
            html.P(_("…and {more} more problems not listed.", more=i18n.number(more, language, 0)), id="upload-more")
            if more > 0
            else None,
        ]
    )


def failure(exc: Exception) -> html.Div:
    """A failed check or import as something a person can act on; never a traceback."""
    if isinstance(exc, TooLarge):
        return notice(_("The file is too large: {reason}", reason=exc.message), "error", id="upload-rejected")
    if isinstance(exc, (Invalid, Forbidden)) and exc.errors or (isinstance(exc, Conflict) and not busy(exc)):
        return problems(exc)
    if isinstance(exc, NotFound):
        return notice(_("This upload is no longer available: drop the file again."), "error", id="upload-rejected")
    if isinstance(exc, (Conflict, DBAPIError)):
        message = _("The database is busy with another change; nothing was written. Please try again.")
        return notice(message, "error", id="upload-rejected")
    if isinstance(exc, BackboneError):
        return notice(exc.message, "error", id="upload-rejected")
    log.error("dashboard upload failed", exc_info=exc)
    message = _("Something went wrong on our side; nothing was written. It has been logged.")
    return notice(message, "error", id="upload-rejected")
