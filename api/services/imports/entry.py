"""The data-entry form: a reporter's template rows with the names, units and labels a person reads."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from api.models.common import Translated
from api.models.observation import breakdown_key
from api.readmodel import ReadModel
from api.services.imports.template import template
from indicators import periods


@dataclass(frozen=True)
class EntryRow:
    """One value to report (indicator × area × period × breakdown), with what is known of it."""

    key: str  # identifies the row: indicator|area|period|breakdown key
    indicator: str
    indicator_name: Translated
    unit: str
    is_rate: bool  # numerator and denominator apply
    area: str
    area_name: str
    period: str
    breakdown: dict[str, str]
    breakdown_names: tuple[tuple[Translated, Translated], ...]  # (dimension, value) names; empty: the total
    value: str | None  # as the template writes it: decimal point, 'x' when suppressed at source
    numerator: str | None
    denominator: str | None
    status: str  # '', 'provisional', 'estimated' or both, space-separated
    note: str | None
    previous_period: str | None
    previous_value: str | None


def _translated(text: str | None, fallback: str) -> Translated:
    data = json.loads(text) if text else {}
    return Translated.model_validate(data) if any(data.values()) else Translated(en=fallback)


def entry_rows(
    *, read_model: ReadModel, organisation_id: int, year: int | None = None, period: str | None = None
) -> list[EntryRow]:
    """The organisation's rows for a year (or one period), named; computed indicators are left out."""
    table = template(read_model=read_model, organisation_id=organisation_id, year=year, period=period)
    cur = read_model.cursor()
    try:
        indicators = {
            code: (name, unit, aggregation, derivation)
            for code, name, unit, aggregation, derivation in cur.execute(
                "SELECT code, name, unit, aggregation, derivation FROM indicator"
            ).fetchall()
        }
        areas = dict(cur.execute("SELECT code, name FROM area").fetchall())
        dimensions = {
            code: _translated(name, code) for code, name in cur.execute("SELECT code, name FROM dimension").fetchall()
        }
        values = {
            (dim, code): _translated(name, code)
            for dim, code, name in cur.execute(
                "SELECT d.code, v.code, v.name FROM dimension_value v JOIN dimension d ON d.id = v.dimension_id"
            ).fetchall()
        }
    finally:
        cur.close()
    dimension_columns = [c for c in table.columns if c in dimensions]
    rows = []
    for row in table.rows:
        indicator, area, period_ = row["indicator"], row["area"], row["period"]
        assert indicator is not None and area is not None and period_ is not None  # the template fills them
        name, unit, aggregation, derivation = indicators[indicator]
        if derivation is not None:
            continue
        breakdown = {d: str(row[d]) for d in dimension_columns if row.get(d)}
        key = "|".join((indicator, area, period_, breakdown_key(breakdown)))
        rows.append(
            EntryRow(
                key=key,
                indicator=indicator,
                indicator_name=_translated(name, indicator),
                unit=unit,
                is_rate=aggregation == "ratio",
                area=area,
                area_name=areas.get(area, area),
                period=period_,
                breakdown=breakdown,
                breakdown_names=tuple(
                    (dimensions[d], values.get((d, v), Translated(en=v))) for d, v in sorted(breakdown.items())
                ),
                value=row.get("value"),
                numerator=row.get("numerator"),
                denominator=row.get("denominator"),
                status=row.get("status") or "",
                note=row.get("note"),
                previous_period=row.get("previous_period"),
                previous_value=row.get("previous_value"),
            )
        )
    return rows


def due_year(*, read_model: ReadModel, organisation_id: int, today: dt.date) -> int:
    """The latest year in which one of the organisation's assigned periods has ended (what is due now)."""
    cur = read_model.cursor()
    try:
        kinds = [
            kind
            for (kind,) in cur.execute(
                """SELECT DISTINCT i.period_type FROM assignment s JOIN indicator i ON i.id = s.indicator_id
                   WHERE s.organisation_id = ? AND i.derivation IS NULL""",
                [organisation_id],
            ).fetchall()
        ]
    finally:
        cur.close()
    for year in range(today.year, today.year - 3, -1):
        if any(periods.end_date(p, kind) < today for kind in kinds for p in periods.periods_in_year(kind, year)):
            return year
    return today.year - 1


def reporting_organisations(*, read_model: ReadModel) -> list[tuple[int, str, str]]:
    """Organisations with assignments, as (id, code, name), by name: those backbone staff may enter values for."""
    cur = read_model.cursor()
    try:
        return cur.execute(
            """SELECT o.id, o.code, o.name FROM organisation o
               WHERE EXISTS (SELECT 1 FROM assignment s WHERE s.organisation_id = o.id) ORDER BY o.name, o.code"""
        ).fetchall()
    finally:
        cur.close()
