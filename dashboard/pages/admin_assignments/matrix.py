"""Assignments as a matrix: a row per area (of one level), a column per indicator, in each cell who reports it.

A cell is chosen from the organisations' codes (or emptied: no one reports it); *Save* makes every
change at once, or none, with a refused cell marked.
"""

from __future__ import annotations

import json
from typing import Any

from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from api.errors import BackboneError
from api.models.common import AreaLevel
from dashboard import context
from dashboard.context import _
from dashboard.data import setup
from dashboard.parts import grid, pager
from dashboard.parts.components import allowed, notice, session_ended
from dashboard.parts.setup import INVALID, problem_list

PAGE = "admin/assignments"
PAGER = "admin-assignments-matrix-rows"
LEVEL = "municipality"


def rows(level: str, find: str | None = "", offset: int = 0) -> tuple[list[dict], int]:
    """The areas of the level from ``offset`` on (those with ``find`` in their code or name), each cell its
    reporter; and how many such areas there are."""
    if level not in {lv.value for lv in AreaLevel}:  # a tampered request
        return [], 0
    indicators = setup.rows("indicators.csv")
    total, areas = setup.window("areas.csv", find=find or "", where={"level": [level]}, offset=offset, limit=pager.SIZE)
    _count, assigned = setup.window("assignments.csv", where={"area": [a["code"] for a in areas]}, limit=None)
    reporter = {(a["area"], a["indicator"]): a["organisation"] for a in assigned}
    data = [
        {"id": a["code"], "area": a["code"], "name": a["name"]}
        | {i["code"]: reporter.get((a["code"], i["code"]), "") for i in indicators}
        for a in areas
    ]
    return data, total


def columns(problems: dict[str, list[str]] | None = None) -> list[dict]:
    """The area, its name, then a column per indicator (a refused cell marked)."""
    language = context.language()
    indicators = setup.rows("indicators.csv")
    organisations = ["", *(o["code"] for o in setup.rows("organisations.csv"))]
    marked = problems or {}
    return [
        grid.code_column("area", _("Area"), width=100, editable=False, cellClass="readonly", pinned="left"),
        grid.text_column("name", _("Name"), width=160, editable=False, cellClass="readonly", pinned="left"),
    ] + [
        grid.code_column(
            i["code"],
            i.get(f"name_{language}") or i["name_en"] or i["code"],
            width=150,
            editable=True,
            cellEditor="agSelectCellEditor",
            cellEditorParams={"values": organisations},
            **(
                {"cellClassRules": {INVALID: f"{json.dumps(marked[i['code']])}.includes(params.data.id)"}}
                if i["code"] in marked
                else {}
            ),
        )
        for i in indicators
    ]


def view() -> list:
    """The matrix with its level choice, above the list of every assignment."""
    levels = setup.levels()
    level = LEVEL if LEVEL in levels else next(iter(levels), LEVEL)
    data, total = rows(level)
    return [
        html.H2(_("Who reports what, per area")),
        html.P(
            _(
                "A row per area, a column per indicator: choose in a cell which organisation reports it (Enter opens "
                "the list), or leave it empty. Save makes every change together, or none."
            ),
            className="muted",
        ),
        html.Label(
            [
                _("Areas of the level"),
                dcc.Dropdown(id="admin-assignments-level", options=levels, value=level, clearable=False),
            ],
            className="filters",
        ),
        pager.controls(PAGER, len(data), total),
        grid.grid(
            "admin-assignments-matrix",
            columns(),
            data,
            sortable=False,
            options={"stopEditingWhenCellsLoseFocus": True},
        ),
        dcc.Store(id="admin-assignments-matrix-original", data=data),
        html.Div(
            html.Button(_("Save the assignments"), id="admin-assignments-matrix-save", className="button", n_clicks=0),
            className="actions",
        ),
        html.Div(id="admin-assignments-matrix-result", role="status"),
        html.Div(id="admin-assignments-matrix-problems", role="alert"),
    ]


def changed_cells(data: list[dict[str, Any]], original: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(area, indicator, organisation) of every cell that differs from what was loaded."""
    before = {row["id"]: row for row in original}
    return [
        (row["area"], column, str(value or ""))
        for row in data
        for column, value in row.items()
        if column not in ("id", "area", "name") and str(value or "") != str(before.get(row["id"], {}).get(column) or "")
    ]


def register(app: Dash) -> None:
    """Choose the level; save the changed cells."""

    @app.callback(
        Output("admin-assignments-matrix", "rowData"),
        Output("admin-assignments-matrix", "columnDefs"),
        Output("admin-assignments-matrix-original", "data"),
        Output("admin-assignments-matrix-result", "children"),
        Output("admin-assignments-matrix-problems", "children"),
        Output(f"{PAGER}-offset", "data"),
        Output(f"{PAGER}-shown", "children"),
        Output(f"{PAGER}-previous", "disabled"),
        Output(f"{PAGER}-next", "disabled"),
        Input("admin-assignments-level", "value"),
        Input("admin-assignments-matrix-save", "n_clicks"),
        Input(f"{PAGER}-find", "value"),
        Input(f"{PAGER}-previous", "n_clicks"),
        Input(f"{PAGER}-next", "n_clicks"),
        State(f"{PAGER}-offset", "data"),
        State("admin-assignments-matrix", "rowData"),
        State("admin-assignments-matrix-original", "data"),
        prevent_initial_call=True,
    )
    def level_or_save(
        level: str, _save: int, find: str | None, _previous: int, _next: int, offset: int, data: list, original: list
    ) -> tuple:
        """Other areas (a level, a find, the rows before or after), or the changed cells saved."""
        unchanged = (no_update,) * 4
        if allowed(PAGE) is None:
            return no_update, no_update, no_update, session_ended(), None, *unchanged
        cells = changed_cells(data or [], original or [])
        if ctx.triggered_id != "admin-assignments-matrix-save":
            if cells:
                return no_update, no_update, no_update, pager.unsaved(), None, *unchanged
            start = pager.moved(PAGER, ctx.triggered_id, offset)
            fresh, total = rows(level, find, start)
            return fresh, columns(), fresh, None, None, *pager.state(start, len(fresh), total)
        if not cells:
            return no_update, no_update, no_update, notice(_("There are no changes."), "info"), None, *unchanged
        try:
            count = setup.assign(cells)
        except BackboneError as exc:
            marks: dict[str, list[str]] = {}
            for problem in exc.errors:
                area = cells[problem.row or 0][0]
                marks.setdefault(problem.column or "", []).append(area)
            names = {n: f"{cells[n][0]} · {cells[n][1]}" for n in range(len(cells))}
            problems = problem_list(exc.errors, names, exc.error_count)
            return no_update, columns(marks), no_update, None, problems, *unchanged
        fresh, total = rows(level, find, offset or 0)
        said = notice(_("Saved: {count} assignments changed.", count=count), "success")
        return fresh, columns(), fresh, said, None, *pager.state(offset or 0, len(fresh), total)
