"""The data-entry table: its columns, its rows (from the entry service) and the marks on cells with problems."""

from __future__ import annotations

from collections.abc import Iterable

from dash import dash_table

from dashboard import i18n
from dashboard.context import _
from dashboard.data.imports import EntryRow
from dashboard.pages.entry.form import EDITABLE, FINAL, CellProblem, show_number
from dashboard.parts.components import FONT

ERROR_STYLE = {"backgroundColor": "#fdecea", "boxShadow": "inset 0 0 0 2px #c0392b", "color": "#8a1c13"}


def breakdown_label(row: EntryRow, language: str) -> str:
    """A row's breakdown in words (Total without one)."""
    if not row.breakdown_names:
        return _("Total")
    return ", ".join(f"{dim.get(language)}: {value.get(language)}" for dim, value in row.breakdown_names)


def table_rows(rows: Iterable[EntryRow], language: str) -> list[dict[str, str]]:
    """The table's data: what a person reads, the editable text, and the codes the batch needs (hidden)."""
    data = []
    for row in rows:
        unit = _(i18n.UNITS.get(row.unit, row.unit))
        previous = f"{row.previous_period}: {show_number(row.previous_value, language)}" if row.previous_period else "–"
        data.append(
            {
                "id": row.key,
                "indicator_name": f"{row.indicator_name.get(language)} ({unit})",
                "area_name": row.area_name,
                "period": row.period,
                "breakdown_label": breakdown_label(row, language),
                "previous": previous,
                "value": show_number(row.value, language),
                "numerator": show_number(row.numerator, language),
                "denominator": show_number(row.denominator, language),
                "status": row.status or FINAL,
                "note": row.note or "",
                "rate": "yes" if row.is_rate else "no",
                "indicator": row.indicator,
                "area": row.area,
                "breakdown": ",".join(f"{d}:{v}" for d, v in sorted(row.breakdown.items())),
            }
        )
    return data


def original_of(data: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """What was loaded, per row: the form sends only rows that differ from it."""
    return {row["id"]: {name: row.get(name, "") for name in EDITABLE} for row in data}


def row_label(row: dict[str, str]) -> str:
    """A row named as the problems and the confirmation name it."""
    return " · ".join(row.get(k, "") for k in ("indicator_name", "area_name", "period", "breakdown_label"))


def styles(problems: Iterable[CellProblem] = ()) -> list[dict]:
    """Grey cells that are not for typing (numerator and denominator of non-rates); red cells with problems."""
    marks: list[dict] = [
        {"if": {"column_editable": False}, "backgroundColor": "#f3f4f6"},
        {"if": {"filter_query": '{rate} = "no"', "column_id": "numerator"}, "backgroundColor": "#e9ebef"},
        {"if": {"filter_query": '{rate} = "no"', "column_id": "denominator"}, "backgroundColor": "#e9ebef"},
        {"if": {"filter_query": '{locked} = "yes"'}, "backgroundColor": "#f3f4f6", "color": "#6b7280"},
    ]
    seen = set()
    for problem in problems:
        if (problem.row, problem.column) in seen:
            continue
        seen.add((problem.row, problem.column))
        marks.append({"if": {"filter_query": f'{{id}} = "{problem.row}"', "column_id": problem.column}, **ERROR_STYLE})
    return marks


def columns(read_only: bool = False) -> list[dict]:
    """The table's columns; none editable when every period shown is locked."""
    spec = [
        ("indicator_name", _("Indicator"), False),
        ("area_name", _("Area"), False),
        ("period", _("Period"), False),
        ("breakdown_label", _("Group"), False),
        ("previous", _("Last period"), False),
        ("value", _("Value"), True),
        ("numerator", _("Numerator"), True),
        ("denominator", _("Denominator"), True),
        ("status", _("Status"), True),
        ("note", _("Note"), True),
    ]
    return [
        {
            "id": key,
            "name": name,
            "editable": editable and not read_only,
            **({"presentation": "dropdown"} if key == "status" else {}),
        }
        for key, name, editable in spec
    ]


def table(data: list[dict[str, str]], read_only: bool = False) -> dash_table.DataTable:
    """The editable table of values, with its status dropdown."""
    statuses = [
        (FINAL, _("final")),
        ("provisional", _("provisional")),
        ("estimated", _("estimated")),
        ("provisional estimated", _("provisional and estimated")),
    ]
    return dash_table.DataTable(
        id="entry-table",
        columns=columns(read_only),
        data=data,
        dropdown={"status": {"options": [{"label": label, "value": v} for v, label in statuses], "clearable": False}},
        page_action="native",
        page_size=100,
        style_table={"overflowX": "auto"},
        style_cell={
            "fontFamily": FONT,
            "fontSize": "0.9rem",
            "padding": "0.3rem 0.5rem",
            "textAlign": "left",
            "whiteSpace": "normal",
            "height": "auto",
            "minWidth": "5rem",
        },
        style_cell_conditional=[
            {"if": {"column_id": "indicator_name"}, "minWidth": "14rem", "maxWidth": "22rem"},
            {"if": {"column_id": "note"}, "minWidth": "10rem"},
            {"if": {"column_id": "status"}, "minWidth": "9rem"},
        ],
        style_header={"fontWeight": 600, "whiteSpace": "normal"},
        style_data_conditional=styles(),
        css=[
            {"selector": ".Select-menu-outer", "rule": "display: block !important"},
            # The table's own focus colour is a pale red, which would read as an error.
            {"selector": "td.focused, td.cell--selected", "rule": "background-color: #e8f0fb !important"},
        ],
    )
