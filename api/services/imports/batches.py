"""Batches of observations from every channel (JSON, a file, the form) through the one import pipeline.

The pipeline checks and writes; this layer decides who may override a locked period,
which periods are closed (``periods.closed``) and records the overrides the pipeline made.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
from sqlmodel import Session

from api.config import Settings
from api.errors import Forbidden
from api.ingest.files import stage_file
from api.ingest.mapping import mapped_rows, stage_mapped
from api.ingest.pipeline import STAGED_COLUMNS, Staged, StagedRow, ingest, stage_rows
from api.ingest.spool import SpooledFile
from api.ingest.validate import Problem
from api.ingest.write import Origin, Progress
from api.models.common import Channel, utcnow
from api.models.mapping import MappedRow, MappingDocument
from api.models.observation import ObservationBatch, WriteSummary
from api.readmodel import ReadModel
from api.services.accounts.auth import Principal
from api.services.periods.closed import locks_in_force
from api.services.periods.reports import override_reason
from api.services.periods.reviews import record_override
from api.services.quality.checks import quality_check

PREVIEW_ROWS = 20  # observations a mapped file's dry run shows


def write_batch(
    *,
    session: Session,
    read_model: ReadModel,
    stage: Callable[[duckdb.DuckDBPyConnection], Staged],
    origin: Origin,
    max_errors: int,
    staff: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> WriteSummary:
    """Check a staged batch against the metadata and the periods closed now, write it all or nothing, record overrides.

    ``staff``: backbone staff or the server's operator, who may still change a report waiting for review.
    """
    done = ingest(
        session=session,
        read_model=read_model,
        stage=stage,
        origin=origin,
        max_errors=max_errors,
        locks=lambda: locks_in_force(session, now=utcnow(), staff=staff),
        dry_run=dry_run,
        progress=progress,
        quality=quality_check(session),
    )
    for submission in done.submissions:
        if submission.id in done.overridden:
            record_override(
                session,
                submission=submission,
                periods=done.overridden[submission.id],
                reason=origin.override_reason or "",
            )
    return done.summary


def import_file(
    *,
    session: Session,
    read_model: ReadModel,
    settings: Settings,
    spooled: SpooledFile,
    organisation_id: int | None,
    user_id: int | None,
    channel: Channel | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    staff: bool = False,
    override: bool = False,
    reason: str | None = None,
    mapping: MappingDocument | None = None,
) -> WriteSummary:
    """Import a spooled CSV or XLSX file: every row checked, then all rows written or none.

    ``staff``: backbone staff or the server's operator, who alone may ``override`` locked periods (with a reason).
    ``mapping``: a publisher's file, made observations by its source mapping; a dry run shows the first of them.
    """
    origin = Origin(
        organisation_id=organisation_id,
        user_id=user_id,
        channel=channel or (Channel.xlsx if spooled.is_xlsx else Channel.csv),
        file_name=spooled.name,
        file_checksum=spooled.checksum,
        override_reason=override_reason(staff=staff, override=override, reason=reason),
    )
    preview: list[MappedRow] = []

    def stage(cur: duckdb.DuckDBPyConnection) -> Staged:
        if mapping is None:
            return stage_file(
                cur,
                spooled,
                max_rows=settings.max_import_rows,
                max_line_bytes=settings.max_line_bytes,
                max_errors=settings.max_error_count,
            )
        staged = stage_mapped(
            cur,
            spooled,
            mapping,
            max_rows=settings.max_import_rows,
            max_errors=settings.max_error_count,
            organisation_id=organisation_id,
        )
        preview.extend(mapped_rows(cur, staged.dimensions, PREVIEW_ROWS))
        return staged

    summary = write_batch(
        session=session,
        read_model=read_model,
        stage=stage,
        origin=origin,
        max_errors=settings.max_error_count,
        staff=staff,
        dry_run=dry_run,
        progress=progress,
    )
    if mapping is not None and dry_run:
        summary.preview = preview
    return summary


def _json_stage(
    batch: ObservationBatch, known_dimensions: set[str]
) -> tuple[list[StagedRow], list[str], list[Problem]]:
    rows, problems, dims = [], [], set()
    for index, item in enumerate(batch.observations):
        row: StagedRow = {
            "_row": index,
            "indicator": item.indicator,
            "area": item.area,
            "period": item.period,
            "value": "x" if item.suppressed else (None if item.value is None else repr(item.value)),
            "numerator": None if item.numerator is None else repr(item.numerator),
            "denominator": None if item.denominator is None else repr(item.denominator),
            "status": " ".join(s for s, on in (("provisional", item.provisional), ("estimated", item.estimated)) if on),
            "note": item.note,
        }
        if item.suppressed and item.value is not None:
            problems.append(Problem(index, "value", "inconsistent_suppression", "a suppressed value must be empty"))
        for dim, value in item.breakdown.items():
            if dim not in known_dimensions:
                problems.append(Problem(index, dim, "unknown_dimension", f"unknown breakdown dimension '{dim}'"))
                continue
            dims.add(dim)
            row[dim] = value
        rows.append(row)
    return rows, sorted(dims), problems


# The JSON field a problem in a staged column points at (flags are staged as 'status').
_JSON_FIELDS = {"status": "provisional"}


def submit_batch(
    *,
    session: Session,
    read_model: ReadModel,
    principal: Principal,
    batch: ObservationBatch,
    max_errors: int,
    dry_run: bool = False,
    channel: Channel = Channel.api,
    on_behalf_of: int | None = None,
    override: bool = False,
    reason: str | None = None,
) -> WriteSummary:
    """Write a member's batch for its own organisation: all values or none (``channel``: api, or form).

    ``on_behalf_of`` (backbone staff only) writes for that organisation's assignments instead;
    the submission is that organisation's and records the staff member as its user.
    ``override`` with a ``reason`` (staff only) writes into locked periods too, and is recorded.
    """
    why = override_reason(staff=principal.is_admin, override=override, reason=reason)
    if on_behalf_of is not None and not principal.is_admin:
        raise Forbidden("Only backbone staff may report for another organisation", code="not_admin")

    def stage(cur: duckdb.DuckDBPyConnection) -> Staged:
        known = {code for (code,) in cur.execute("SELECT code FROM dimension").fetchall()}
        rows, dims, problems = _json_stage(batch, known)
        stage_rows(cur, rows, dims)
        return Staged(dimensions=dims, locate=_locate_json, problems=problems)

    organisation_id = principal.organisation_id if on_behalf_of is None else on_behalf_of
    origin = Origin(
        organisation_id=organisation_id,
        user_id=principal.user_id,
        channel=channel,
        override_reason=why,
    )
    return write_batch(
        session=session,
        read_model=read_model,
        stage=stage,
        origin=origin,
        max_errors=max_errors,
        staff=principal.is_admin,
        dry_run=dry_run,
    )


def _locate_json(row: int, column: str) -> dict[str, object]:
    """A problem in staged column ``column`` of item ``row``, as a path into the JSON body."""
    name = _JSON_FIELDS.get(column, column) if column in STAGED_COLUMNS else f"breakdown.{column}"
    return {"field": f"body.observations.{row}.{name}"}
