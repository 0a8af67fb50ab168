"""What a source mapping made of a publisher's file, shown the same way on the upload page and the mappings page:
the first observations with the file's line each came from, and the problems with line, column and rule."""

from __future__ import annotations

from dash import html

from api.errors import ErrorItem
from dashboard import context, i18n
from dashboard.context import _
from dashboard.data.mappings import MappedRow
from dashboard.parts import grid
from dashboard.parts.problems import explain


def observations(id: str, rows: list[MappedRow], count: int) -> html.Div:  # noqa: A002  (Dash's name for it)
    """The first observations as the mapping made them (before the alliance's checks), in a grid ``id``."""
    language = context.language()
    dimensions = sorted({d for row in rows for d in row.breakdown})
    data = [
        {
            "line": row.line,
            "line_text": i18n.number(row.line, language, 0),
            "indicator": row.indicator or "",
            "area": row.area or "",
            "period": row.period or "",
            "value": row.value or "",
            "numerator": row.numerator or "",
            "denominator": row.denominator or "",
            "breakdown": ", ".join(f"{d}: {row.breakdown[d]}" for d in dimensions if row.breakdown.get(d)),
        }
        for row in rows
    ]
    columns = [
        grid.number_column("line", _("Line"), maxWidth=100),
        grid.text_column("indicator", _("Indicator"), width=140),
        grid.text_column("area", _("Area"), width=110),
        grid.text_column("period", _("Period"), width=90),
        grid.text_column("value", _("Value"), width=80),
        grid.text_column("numerator", _("Numerator"), width=90),
        grid.text_column("denominator", _("Denominator"), width=90),
        grid.text_column("breakdown", _("Breakdown"), width=120),
    ]
    shown = _(
        "The first {shown} of {count} observations as the mapping made them (Line: the line of the file):",
        shown=i18n.number(len(rows), language, 0),
        count=i18n.number(count, language, 0),
    )
    return html.Div([html.P(shown), grid.grid(id, columns, data, row_id=None)], className="mapped-rows")


def where(problem: ErrorItem) -> str:
    """Where a problem is, in words: the line and column of the file, the rule or the path in the mapping."""
    parts = []
    if problem.row is not None:
        parts.append(_("line {line}", line=problem.row))
    if problem.column:
        parts.append(_("column {column}", column=problem.column))
    if problem.rule or problem.field:
        parts.append(_("rule {rule}", rule=problem.rule or problem.field))
    return " · ".join(parts)


def problem_items(problems: list[ErrorItem]) -> list[html.Li]:
    """Each problem as a line: where it is, then what (the explanation first, the exact message beside it)."""
    items = []
    for problem in problems:
        said = explain(problem.code, problem.message)
        detail = f" ({problem.message})" if said != problem.message else ""
        place = where(problem)
        items.append(html.Li(f"{place}: {said}{detail}" if place else f"{said}{detail}"))
    return items
