"""Observations as they are stored, filtered and with the cells a caller may not see hidden."""

from __future__ import annotations

import duckdb

from api.errors import Invalid
from api.models.common import Page
from api.models.observation import ObservationPublic, parse_breakdown
from api.readmodel import ReadModel
from api.services.accounts.auth import Principal
from api.services.analytics import hiding, reference


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
    joins: str = "",
) -> tuple[str, list[object]]:
    """The FROM and WHERE of the observations a caller may list (the public: published indicators only), with
    ``joins`` of the caller's own."""
    where = " WHERE true"
    params: list[object] = []
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
        f"JOIN organisation org ON org.id = o.organisation_id {joins} {where}"
    )
    return base, params


class Visibility:
    """Which observations a caller gets only as suppressed: small cells, and the cells that would give them away."""

    def __init__(self, read_model: ReadModel, cur: duckdb.DuckDBPyConnection, principal: Principal | None) -> None:
        self.read_model, self.cur, self.principal = read_model, cur, principal
        self.infos = reference.indicators(cur)
        self._hidden: dict[tuple[int, str], frozenset[tuple[int, str]]] = {}

    def prepare(self, indicator_id: int, period: str) -> None:
        """Work out one indicator's and period's hidden cells now (uses the cursor)."""
        if (indicator_id, period) not in self._hidden:
            self._hidden[(indicator_id, period)] = hiding.hidden_cells(
                self.read_model, self.cur, self.infos[indicator_id], period, hiding.reader_of(self.principal)
            )

    def hidden_cells(self) -> list[tuple[int, str, int, str]]:
        """Every cell prepared so far that this caller gets only as suppressed: (indicator, period, area, key)."""
        return [(i, p, area, key) for (i, p), cells in self._hidden.items() for area, key in cells]

    def hides(self, indicator_id: int, period: str, area_id: int, key: str, organisation_id: int) -> bool:
        if hiding.may_see_raw(self.principal, organisation_id):
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
