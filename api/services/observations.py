"""Observations: reading them (with suppression by role) and writing JSON batches."""

from __future__ import annotations

import duckdb
from sqlmodel import Session

from api.errors import Forbidden, Invalid
from api.ingest.pipeline import STAGED_COLUMNS, Staged, ingest, stage_rows
from api.ingest.validate import Problem
from api.ingest.write import Origin
from api.models.common import Channel, Page
from api.models.observation import ObservationBatch, ObservationPublic, WriteSummary, parse_breakdown
from api.readmodel import ReadModel
from api.services import approval, cells
from api.services.auth import Principal


def breakdown_filter(breakdown: str | None) -> tuple[str, list[str]]:
    """SQL condition for ``breakdown=``: ``total``, a dimension (``ses``) or values (``ses:low,gender:girl``)."""
    if breakdown is None or breakdown == "":
        return "", []
    text = breakdown.strip().lower()
    if text == "total":
        return " AND o.breakdown = ''", []
    if ":" in text:
        parts = {}
        for part in text.split(","):
            dim, _, value = part.partition(":")
            if not dim.strip() or not value.strip():
                raise Invalid(f"breakdown '{breakdown}' must look like ses:low", code="invalid_breakdown")
            parts[dim.strip()] = value.strip()
        return " AND o.breakdown = ?", [",".join(f"{d}:{v}" for d, v in sorted(parts.items()))]
    return " AND o.breakdown LIKE ? AND o.breakdown NOT LIKE '%,%'", [text + ":%"]


def _code_filter(cur: duckdb.DuckDBPyConnection, table: str, code: str | None, field: str) -> tuple[str, list[int]]:
    if code is None:
        return "", []
    rows = cur.execute(f"SELECT id FROM {table} WHERE code = ?", [code]).fetchall()
    if not rows:
        raise Invalid(f"No {table} with code '{code}'", code=f"unknown_{table}")
    return f" AND o.{field} = ?", [rows[0][0]]


def observation_filter(
    cur: duckdb.DuckDBPyConnection,
    principal: Principal | None,
    indicator: str | None = None,
    area: str | None = None,
    period: str | None = None,
    breakdown: str | None = None,
) -> tuple[str, list[object]]:
    """The FROM and WHERE of the observations a caller may list (the public: published indicators only)."""
    where, params = " WHERE true", []
    for sql, args in (
        _code_filter(cur, "indicator", indicator, "indicator_id"),
        _code_filter(cur, "area", area, "area_id"),
        ((" AND o.period = ?", [period.strip()]) if period else ("", [])),
        breakdown_filter(breakdown),
    ):
        where += sql
        params += args
    if principal is None:
        where += " AND i.published"
    base = (
        "FROM observation o JOIN indicator i ON i.id = o.indicator_id JOIN area a ON a.id = o.area_id "
        f"JOIN organisation org ON org.id = o.organisation_id {where}"
    )
    return base, params


class Visibility:
    """Which observations a caller gets only as suppressed: small cells, and the cells that would give them away."""

    def __init__(self, read_model: ReadModel, cur: duckdb.DuckDBPyConnection, principal: Principal | None) -> None:
        self.read_model, self.cur, self.principal = read_model, cur, principal
        self.infos = cells.indicators(cur)
        self._hidden: dict[tuple[int, str], frozenset[tuple[int, str]]] = {}

    def prepare(self, indicator_id: int, period: str) -> None:
        """Work out one indicator's and period's hidden cells now (uses the cursor)."""
        if (indicator_id, period) not in self._hidden:
            self._hidden[(indicator_id, period)] = cells.hidden_cells(
                self.read_model, self.cur, self.infos[indicator_id], period, cells.reader_of(self.principal)
            )

    def hides(self, indicator_id: int, period: str, area_id: int, key: str, organisation_id: int) -> bool:
        if cells.may_see_raw(self.principal, organisation_id):
            return False
        self.prepare(indicator_id, period)
        return (area_id, key) in self._hidden[(indicator_id, period)]


def list_observations(
    *,
    read_model: ReadModel,
    principal: Principal | None,
    limit: int,
    offset: int,
    indicator: str | None = None,
    area: str | None = None,
    period: str | None = None,
    breakdown: str | None = None,
) -> Page[ObservationPublic]:
    """Current observations, filtered; small cells hidden (secondary suppression too) from those not allowed."""
    cur = read_model.cursor()
    try:
        base, params = observation_filter(cur, principal, indicator, area, period, breakdown)
        total = cur.execute(f"SELECT count(*) {base}", params).fetchall()[0][0]
        rows = cur.execute(
            f"""SELECT o.id, i.code, a.code, o.period, o.breakdown, o.value, o.numerator, o.denominator,
                       o.is_provisional, o.is_estimated, o.is_suppressed, o.note, org.code, o.submission_id,
                       o.organisation_id, o.indicator_id, o.area_id
                {base} ORDER BY i.code, a.code, o.period, o.breakdown LIMIT ? OFFSET ?""",
            [*params, limit, offset],
        ).fetchall()
        visibility = Visibility(read_model, cur, principal)
        hidden = {row[0]: visibility.hides(row[15], row[3], row[16], row[4], row[14]) for row in rows}
    finally:
        cur.close()
    items = []
    for oid, ind, area_code, per, key, value, num, den, prov, est, supp, note, org, sub, *_ in rows:
        hide = hidden[oid]
        items.append(
            ObservationPublic(
                id=oid,
                indicator=ind,
                area=area_code,
                period=per,
                breakdown=parse_breakdown(key),
                value=None if hide else value,
                numerator=None if hide else num,
                denominator=None if hide else den,
                provisional=prov,
                estimated=est,
                suppressed=supp or hide,
                note=note,
                organisation=org,
                submission=sub,
            )
        )
    return Page(items=items, total=total, limit=limit, offset=offset)


def _json_stage(
    batch: ObservationBatch, known_dimensions: set[str]
) -> tuple[list[dict[str, str | None]], list[str], list[Problem]]:
    rows, problems, dims = [], [], set()
    for index, item in enumerate(batch.observations):
        row: dict[str, str | None] = {
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
    why = approval.override_reason(staff=principal.is_admin, override=override, reason=reason)
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
        staff=principal.is_admin,
        override_reason=why,
    )
    return ingest(
        session=session, read_model=read_model, stage=stage, origin=origin, max_errors=max_errors, dry_run=dry_run
    )


def _locate_json(row: int, column: str) -> dict[str, object]:
    """A problem in staged column ``column`` of item ``row``, as a path into the JSON body."""
    name = _JSON_FIELDS.get(column, column) if column in STAGED_COLUMNS else f"breakdown.{column}"
    return {"field": f"body.observations.{row}.{name}"}
