"""Data quality in words: the rules' short names, a flag's key, and the warnings a write raised.

The entry form and the upload page show a write's warnings with ``warnings``; the quality page
names the rules with ``rule_label``.
"""

from __future__ import annotations

from dash import html

from dashboard.context import N_, _
from dashboard.data import quality
from dashboard.data.quality import QualityWarning

RULES = {
    "outlier_history": N_("Far from its own history"),
    "outlier_peers": N_("Far from the other areas"),
    "denominator_jump": N_("Denominator jumped"),
    "repeated_value": N_("Same as the previous period"),
    "breakdown_sum": N_("Groups do not add up to the total"),
}
STATUSES = {"open": N_("open"), "confirmed": N_("confirmed"), "resolved": N_("resolved")}


def rule_label(rule: str) -> str:
    """A rule's short name; an admin's rule between indicators by its code."""
    return _(RULES[rule]) if rule in RULES else _("Rule {code}", code=rule)


def status_label(status: str) -> str:
    """A flag's status in words."""
    return _(STATUSES[status]) if status in STATUSES else status


def breakdown_text(breakdown: dict[str, str]) -> str:
    """A breakdown as ``ses: low, gender: girl``; the total as a dash."""
    return ", ".join(f"{dim}: {value}" for dim, value in sorted(breakdown.items())) or "–"


def _where(warning: QualityWarning) -> str:
    """Where in the file or form the warning belongs: its row and column, or its field."""
    if warning.row is not None and warning.column:
        return _("row {row}, column {column}", row=warning.row, column=warning.column)
    if warning.row is not None:
        return _("row {row}", row=warning.row)
    if warning.field:
        return _("field {field}", field=warning.field)
    return ""


def warnings(found: list[QualityWarning], **kwargs: object) -> html.Div | None:
    """A write's warnings as a notice: the values are (or can be) stored, and flagged for a second look."""
    if not found:
        return None
    texts = quality.warning_texts(found)
    items = []
    for warning, text in zip(found, texts, strict=True):
        key = [warning.indicator, warning.area, warning.period]
        if warning.breakdown:
            key.append(breakdown_text(warning.breakdown))
        where = _where(warning)
        items.append(
            html.Li(
                [
                    html.Strong(rule_label(warning.rule)),
                    f" · {' · '.join(key)}" + (f" ({where})" if where else "") + ": ",
                    text,
                ]
            )
        )
    return html.Div(
        [
            html.P(
                _(
                    "Unusual values: {count}. They can still be saved; they are flagged on the quality page "
                    "for a second look.",
                    count=len(found),
                )
            ),
            html.Ul(items),
        ],
        className="notice notice-warning",
        role="status",
        **kwargs,
    )
