"""One pipeline for every channel: stage in DuckDB, check, then write all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa
from sqlmodel import Session

from api.errors import ErrorItem, Forbidden, ImportRejected
from api.ingest.validate import Locate, Problem, check
from api.ingest.write import Origin, Progress, write_checked
from api.models.observation import WriteSummary
from api.readmodel import ReadModel

STAGED_COLUMNS = ("indicator", "area", "period", "value", "numerator", "denominator", "status", "note")


@dataclass
class Staged:
    """A batch staged as the table ``staged`` in a DuckDB cursor."""

    dimensions: list[str]
    locate: Locate
    decimal_comma: bool = False
    problems: list[Problem] = field(default_factory=list)  # found while staging
    skip_blank: bool = False  # files: rows without any value are left out, not errors


def stage_rows(cur: duckdb.DuckDBPyConnection, rows: list[dict[str, str | None]], dimensions: list[str]) -> None:
    """Stage rows given as dicts of text (``_row`` plus ``STAGED_COLUMNS`` and dimensions)."""
    names = ["_row", *STAGED_COLUMNS, *dimensions]
    table = pa.table(
        {
            name: pa.array([r.get(name) for r in rows], type=pa.int64() if name == "_row" else pa.string())
            for name in names
        }
    )
    cur.register("staged_input", table)
    cur.execute("CREATE OR REPLACE TEMP TABLE staged AS SELECT * FROM staged_input")
    cur.unregister("staged_input")


def _reject(staged: Staged, problems: list[Problem], count: int, forbidden: bool, max_errors: int) -> None:
    items = [
        ErrorItem(code=p.code, message=p.message, **staged.locate(p.row, p.column))
        for p in sorted(problems, key=lambda p: p.row)[:max_errors]
    ]
    noun = "error" if count == 1 else "errors"
    if forbidden:
        raise Forbidden(
            f"Some rows lie outside your organisation's assignments ({count} {noun} in all); nothing was written",
            errors=items,
            error_count=count,
            code="not_assigned",
        )
    raise ImportRejected(f"{count} {noun} found; nothing was written", errors=items, error_count=count)


def ingest(
    *,
    session: Session,
    read_model: ReadModel,
    stage: Callable[[duckdb.DuckDBPyConnection], Staged],
    origin: Origin,
    max_errors: int,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> WriteSummary:
    """Validate a batch against the reference data and write it; raise with every error found.

    Without ``origin.organisation_id`` each row is written for the organisation assigned
    to it, one submission per organisation, all in the caller's one transaction.
    """
    cur = read_model.cursor()
    try:
        staged = stage(cur)
        if progress:
            progress("checking", 0, None)
        checked = check(
            cur,
            staged="staged",
            dimensions=staged.dimensions,
            organisation_id=origin.organisation_id,
            decimal_comma=staged.decimal_comma,
            max_problems=max_errors,
            skip_blank=staged.skip_blank,
        )
        count = len(staged.problems) + checked.problem_count
        if count:
            _reject(staged, staged.problems + checked.problems, count, checked.forbidden, max_errors)
        if progress:
            progress("writing", 0, None)
        counts, submissions = write_checked(
            session=session, cur=cur, read_model=read_model, origin=origin, dry_run=dry_run, progress=progress
        )
    finally:
        cur.close()
    return WriteSummary(
        rows=counts.rows,
        inserted=counts.inserted,
        updated=counts.updated,
        unchanged=counts.unchanged,
        skipped=checked.skipped,
        submission=submissions[-1].id if submissions else None,
        submissions=[s.id for s in submissions],
    )
