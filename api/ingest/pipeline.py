"""One pipeline for every channel: stage in DuckDB, check, then write all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa
from sqlmodel import Session

from api.errors import Conflict, ErrorItem, Forbidden, ImportRejected
from api.ingest.quality import COLUMN, QualityCheck, find, located_hits, sync_flags
from api.ingest.validate import Checked, Locate, LockRule, Problem, check
from api.ingest.write import Origin, Progress, write_checked
from api.models import Submission
from api.models.common import stored_id
from api.models.observation import WriteSummary, parse_breakdown
from api.models.quality import QualityWarning, Severity
from api.readmodel import ReadModel

STAGED_COLUMNS = ("indicator", "area", "period", "value", "numerator", "denominator", "status", "note")
StagedRow = dict[str, str | int | None]  # "_row", the row's number, and text columns


@dataclass
class Staged:
    """A batch staged as the table ``staged`` in a DuckDB cursor."""

    dimensions: list[str]
    locate: Locate
    decimal_comma: bool = False
    problems: list[Problem] = field(default_factory=list)  # found while staging
    unlisted: int = 0  # more problems found while staging than are in ``problems``
    skip_blank: bool = False  # files: rows without any value are left out, not errors


@dataclass
class Ingested:
    """What the pipeline decided: the counts, the submissions it made, and which wrote into locked periods."""

    summary: WriteSummary
    submissions: list[Submission]
    overridden: dict[int, list[str]]  # submission id -> the locked periods it wrote into on purpose


def _review(
    cur: duckdb.DuckDBPyConnection, staged: Staged, quality: QualityCheck, max_errors: int, found: list[QualityWarning]
) -> None:
    """The quality rules over the batch as it would be stored: errors refuse it, warnings go into ``found``."""
    if not find(cur, batch=True, settings=quality.settings, custom=quality.custom):
        return

    def located(hit: dict[str, Any]) -> dict[str, Any]:
        where = staged.locate(hit["_row"], COLUMN.get(hit["rule"], "value"))
        return {k: where[k] for k in ("row", "column", "field") if k in where}

    def text(hit: dict[str, Any]) -> str:
        return quality.text(hit["rule"], {k: hit[k] for k in ("observed", "expected", "low", "high", "score")})

    errors = located_hits(cur, "error", max_errors)
    if errors:
        count = cur.execute("SELECT count(*) FROM quality_hit WHERE severity = 'error'").fetchall()[0][0]
        raise ImportRejected(
            f"{count} value{'s' if count > 1 else ''} break a data quality rule; nothing was written",
            errors=[ErrorItem(code=h["rule"], message=text(h), **located(h)) for h in errors],
            error_count=count,
            code="quality_rule",
        )
    found.extend(
        QualityWarning(
            rule=hit["rule"],
            severity=Severity.warning,
            message=text(hit),
            indicator=hit["indicator"],
            area=hit["area"],
            period=hit["period"],
            breakdown=parse_breakdown(hit["breakdown"]),
            observed=hit["observed"],
            expected=hit["expected"],
            score=hit["score"],
            **located(hit),
        )
        for hit in located_hits(cur, "warning", max_errors)
    )


def stage_rows(cur: duckdb.DuckDBPyConnection, rows: list[StagedRow], dimensions: list[str]) -> None:
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


def _reject(staged: Staged, problems: list[Problem], count: int, checked: Checked, max_errors: int) -> None:
    items = [
        ErrorItem(code=p.code, message=p.message, **staged.locate(p.row, p.column))
        for p in sorted(problems, key=lambda p: p.row)[:max_errors]
    ]
    noun = "error" if count == 1 else "errors"
    if checked.forbidden:
        raise Forbidden(
            f"Some rows lie outside your organisation's assignments ({count} {noun} in all); nothing was written",
            errors=items,
            error_count=count,
            code="not_assigned",
        )
    if checked.locked:
        why = "; ".join(checked.lock_messages[:3]) + ("; ..." if len(checked.lock_messages) > 3 else "")
        raise Conflict(
            f"Some rows lie in a locked period ({count} {noun} in all): {why}. Nothing was written",
            errors=items,
            error_count=count,
            code="period_locked",
        )
    raise ImportRejected(f"{count} {noun} found; nothing was written", errors=items, error_count=count)


def _of(locks: Sequence[LockRule], periods: set[str]) -> list[LockRule]:
    return [lock for lock in locks if lock[1] in periods]


def ingest(
    *,
    session: Session,
    read_model: ReadModel,
    stage: Callable[[duckdb.DuckDBPyConnection], Staged],
    origin: Origin,
    max_errors: int,
    locks: Callable[[], Sequence[LockRule]] = tuple,
    dry_run: bool = False,
    progress: Progress | None = None,
    quality: QualityCheck | None = None,
) -> Ingested:
    """Validate a batch against the reference data and write it; raise with every error found.

    Without ``origin.organisation_id`` each row is written for the organisation assigned
    to it, one submission per organisation, all in the caller's one transaction.
    ``locks`` reads the (organisation, period) pairs closed to writes now, in the writer's
    transaction; rows in them are refused (409) unless ``origin.override_reason`` is given
    (backbone staff only; the caller checks that and records the override). ``quality``: the data
    quality rules the batch is checked against as it would be stored (errors refuse it; warnings are
    returned, and flagged once written).
    """
    warnings: list[QualityWarning] = []
    closed = list(locks())
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
            locks=closed,
            enforce_locks=origin.override_reason is None,
        )
        count = len(staged.problems) + staged.unlisted + checked.problem_count
        if count:
            _reject(staged, staged.problems + checked.problems, count, checked, max_errors)
        if progress:
            progress("writing", 0, None)
        counts, submissions = write_checked(
            session=session,
            cur=cur,
            read_model=read_model,
            origin=origin,
            dry_run=dry_run,
            progress=progress,
            review=(lambda c: _review(c, staged, quality, max_errors, warnings)) if quality else None,
        )
        if quality and submissions:  # flags of the keys it changed
            sync_flags(session, cur, user_id=origin.user_id, batch=True)
        batch_periods = {period for (period,) in cur.execute("SELECT DISTINCT period FROM clean").fetchall()}
    finally:
        cur.close()
    # Now that the writer holds the write lock (which approving and locking take too), the locks of the
    # batch's periods read before checking must still be the ones in force; if one came meanwhile, start
    # over. Locks of other periods (another member's report approved meanwhile) do not matter.
    if not dry_run and _of(list(locks()), batch_periods) != _of(closed, batch_periods):
        raise Conflict("A period was locked while this was being checked; nothing was written. Send it again")
    overridden: dict[int, list[str]] = {}
    for submission in submissions:
        periods = [period for org, period in checked.overridden if org == submission.organisation_id]
        if periods:
            overridden[stored_id(submission)] = periods
    summary = WriteSummary(
        rows=counts.rows,
        inserted=counts.inserted,
        updated=counts.updated,
        unchanged=counts.unchanged,
        skipped=checked.skipped,
        submission=submissions[-1].id if submissions else None,
        submissions=[s.id for s in submissions],
        warnings=warnings,
    )
    return Ingested(summary=summary, submissions=submissions, overridden=overridden)
