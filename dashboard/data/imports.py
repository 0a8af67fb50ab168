"""Values in: the entry form's rows and batches, uploads held between their check and confirmation, templates.

Checks are dry runs of the one import pipeline in a read transaction; saving and importing
run in one write transaction as the user, exactly as the API's writes do.
"""

from __future__ import annotations

import datetime as dt

from api.models.common import Channel
from api.models.observation import ObservationBatch, ObservationIn, WriteSummary
from api.services.imports import batches, template, uploads
from api.services.imports import entry as entry_service
from api.services.imports.entry import EntryRow
from api.services.imports.uploads import busy
from dashboard import context

__all__ = [
    "EntryRow",
    "busy",
    "check_upload",
    "confirm_upload",
    "due_year",
    "entry_rows",
    "release_upload",
    "reporting_organisations",
    "submit",
    "template_file",
    "upload_limit",
]


def reporting_organisations() -> list[tuple[int, str, str]]:
    """The organisations with assignments to report: (id, code, name)."""
    return entry_service.reporting_organisations(read_model=context.backbone().read_model)


def due_year(organisation_id: int) -> int:
    """The year an organisation reports now (the latest with periods due)."""
    return entry_service.due_year(
        read_model=context.backbone().read_model, organisation_id=organisation_id, today=dt.date.today()
    )


def entry_rows(organisation_id: int, year: int | None, period: str | None) -> list[EntryRow]:
    """The values an organisation reports for a year (or one period), as the form shows them."""
    return entry_service.entry_rows(
        read_model=context.backbone().read_model, organisation_id=organisation_id, year=year, period=period
    )


def submit(items: list[ObservationIn], organisation: int | None, *, dry_run: bool) -> WriteSummary:
    """Check (dry run) or save a batch of the form in one transaction: a member's own organisation, staff the chosen."""
    backbone, principal = context.backbone(), context.user()
    with backbone.db.transaction(write=not dry_run) as session:
        return batches.submit_batch(
            session=session,
            read_model=backbone.read_model,
            principal=principal,
            batch=ObservationBatch(observations=items),
            max_errors=backbone.settings.max_error_count,
            dry_run=dry_run,
            channel=Channel.form,
            on_behalf_of=organisation if principal.is_admin else None,  # members: their own, always
        )


def upload_limit() -> int:
    """The largest file the API takes, in bytes."""
    return context.backbone().settings.max_upload_bytes


def check_upload(organisation_id: int, name: str, data: bytes, mapping: str | None = None) -> tuple[WriteSummary, str]:
    """Check a dropped file through the import pipeline (a dry run) and hold it for confirmation: (counts, hold id).

    ``mapping``: the code of the source mapping that reads a publisher's file (its dry run previews the first
    observations it made); the confirmation uses the same mapping.
    """
    backbone = context.backbone()
    with backbone.db.transaction(write=False) as session:
        return uploads.check(
            session=session,
            read_model=backbone.read_model,
            settings=backbone.settings,
            principal=context.user(),
            organisation_id=organisation_id,
            name=name,
            data=data,
            mapping=mapping,
        )


def confirm_upload(token: str) -> WriteSummary:
    """Import the held file for real (with the mapping it was checked with), in one write transaction; it is
    removed, unless the database was busy."""
    backbone, principal = context.backbone(), context.user()
    settings = backbone.settings
    with (
        uploads.confirming(settings=settings, token=token, user_id=principal.user_id) as held,
        backbone.db.transaction(write=True) as session,
    ):
        return uploads.import_spooled(
            session=session,
            read_model=backbone.read_model,
            settings=settings,
            principal=principal,
            spooled=held.spooled,
            organisation_id=held.organisation_id,
            dry_run=False,
            mapping=uploads.held_mapping(session=session, held=held),
        )


def release_upload(token: str) -> None:
    """Remove a held file: nothing is imported."""
    uploads.release(settings=context.backbone().settings, token=token)


def template_file(organisation_id: int, organisation: str, year: int, kind: str) -> tuple[bytes, str]:
    """The organisation's template for a year as CSV (``,``; or ``;`` with decimal commas) or XLSX, and its name."""
    table = template.template(read_model=context.backbone().read_model, organisation_id=organisation_id, year=year)
    name = f"backbone-{organisation}-{year}"
    if kind == "xlsx":
        return template.template_xlsx(table), name + ".xlsx"
    return template.template_csv(table, ";" if kind == "csv-semicolon" else ","), name + ".csv"
