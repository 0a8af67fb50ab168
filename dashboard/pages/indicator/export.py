"""The chart's data as CSV: exactly what the page shows, suppressed values flagged and left empty (never 0)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dashboard.data.analytics import Equity, Series
from dashboard.data.exports import Column, csv_text, safe_text

__all__ = ["chart_csv", "chart_rows", "safe_text"]

COLUMNS = (
    Column("indicator"),
    Column("area"),
    Column("area_name"),
    Column("breakdown"),
    Column("period"),
    Column("kind"),
    Column("value", "number"),
    Column("suppressed", "boolean"),
    Column("trajectory", "number"),
    Column("status"),
    Column("provisional", "boolean"),
    Column("estimated", "boolean"),
    Column("complete", "boolean"),
)


def chart_rows(many: Sequence[Series], equity: Equity | None = None) -> Iterator[dict[str, object]]:
    """One row per value of the series (each area), its baseline, milestones and target, and the breakdown's groups."""
    for series in many:
        base = {"indicator": series.indicator.code, "area": series.area.code, "area_name": series.area.name}
        for point in series.points:
            yield base | {
                "breakdown": "",
                "period": point.period,
                "kind": "value",
                "value": None if point.suppressed else point.value,
                "suppressed": point.suppressed,
                "trajectory": point.expected,
                "status": point.status.value,
                "provisional": point.provisional,
                "estimated": point.estimated,
                "complete": point.complete,
            }
        marks = [
            ("baseline", series.baseline),
            *(("milestone", m) for m in series.milestones),
            ("target", series.target),
        ]
        for kind, mark in marks:
            if mark is not None:
                yield base | {
                    "breakdown": "",
                    "period": mark.period,
                    "kind": kind,
                    "value": mark.value,
                    "suppressed": False,
                }
    if equity is not None:
        base = {"indicator": equity.indicator.code, "area": equity.area.code, "area_name": equity.area.name}
        pair = f"{equity.dimension}:{equity.group} minus {equity.dimension}:{equity.reference}"
        for row in equity.periods:
            for group, value in row.values.items():
                hidden = group in row.suppressed
                if value is None and not hidden:
                    continue
                yield base | {
                    "breakdown": f"{equity.dimension}:{group}",
                    "period": row.period,
                    "kind": "value",
                    "value": None if hidden else value,
                    "suppressed": hidden,
                }
            if row.gap is not None:
                yield base | {"breakdown": pair, "period": row.period, "kind": "gap", "value": row.gap.absolute}


def chart_csv(many: Sequence[Series], equity: Equity | None = None) -> str:
    """The rows of ``chart_rows`` as CSV text, written as every export is (UTF-8 with a BOM, formulas neutralised)."""
    return csv_text(COLUMNS, ([row.get(column.name) for column in COLUMNS] for row in chart_rows(many, equity)))
