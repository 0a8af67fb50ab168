"""The flags as a table: the rule in words, the key, the numbers in the reader's notation, status, when found."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag

from dashboard import i18n
from dashboard.context import _
from dashboard.data.quality import QualityFlagPublic
from dashboard.parts import grid
from dashboard.parts.quality import STATUSES, breakdown_text, rule_label, status_label

__all__ = ["STATUSES", "flag_rows", "flags_table", "status_label"]


def _number(value: float | None, language: str) -> str:
    return "–" if value is None else i18n.number(value, language, decimals=2)


def flag_rows(found: list[QualityFlagPublic], language: str) -> list[dict[str, Any]]:
    """The flags as the table's rows (newest first, as the service gives them)."""
    return [
        {
            "id": f.id,
            "rule": rule_label(f.rule),
            "indicator": f.indicator,
            "area": f.area,
            "period": f.period,
            "breakdown": breakdown_text(f.breakdown),
            "observed": f.observed,
            "observed_text": _number(f.observed, language),
            "expected": f.expected,
            "expected_text": _number(f.expected, language),
            "score": f.score,
            "score_text": _number(f.score, language),
            "status": status_label(f.status),
            "organisation": f.organisation or "–",
            "found": f.found_at.isoformat(),  # sorts in time
            "found_text": i18n.when(f.found_at, language),
        }
        for f in found
    ]


def flags_table(rows: list[dict[str, Any]]) -> dag.AgGrid:
    """The flags; a row is chosen by click or Space."""
    columns = [
        grid.text_column("rule", _("Rule"), width=170),
        grid.text_column("indicator", _("Indicator"), width=150),
        grid.text_column("area", _("Area"), width=100),
        grid.text_column("period", _("Period"), width=90),
        grid.text_column("breakdown", _("Breakdown"), width=110),
        grid.number_column("observed", _("Observed")),
        grid.number_column("expected", _("Expected")),
        grid.number_column("score", _("Score")),
        grid.text_column("status", _("Status"), width=100),
        grid.text_column("organisation", _("Organisation"), width=150),
        grid.text_column("found", _("Found"), width=140, valueFormatter=grid.shown("found")),
    ]
    return grid.grid(
        "quality-table",
        columns,
        rows,
        page_size=25,
        options={"rowSelection": {"mode": "singleRow", "checkboxes": True, "enableClickSelection": True}},
        selectedRows=[],
    )
