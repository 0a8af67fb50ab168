"""Targets as a trajectory: for one indicator, a row per area and a column per period, each cell a target value.

Each filled cell is a target (indicator, area, baseline, that period, the value), checked and saved
through the set-up loader like every other row; a problem is shown at its cell.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from api.errors import BackboneError, ErrorItem
from dashboard import context
from dashboard.context import _
from dashboard.data import setup
from dashboard.parts import grid, pager
from dashboard.parts.components import allowed, notice, session_ended
from dashboard.parts.setup import INVALID, problem_list
from indicators import periods

PAGE = "admin/targets"
PAGER = "admin-targets-years-rows"
ALLIANCE = ""  # the alliance-wide target has no area
FIXED = ("area", "area_name", "baseline_period", "baseline_value")


def _indicators() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in setup.rows("indicators.csv")}


def _axis(period_type: str, targets: list[dict[str, str]]) -> list[str]:
    """The periods shown: from the earliest baseline (or this year) to the last target (or ten years on)."""
    year = dt.date.today().year
    firsts = [t["baseline_period"] for t in targets] + [periods.periods_in_year(period_type, year)[0]]
    lasts = [t["target_period"] for t in targets] + [periods.periods_in_year(period_type, year + 10)[-1]]

    def when(period: str) -> float:
        return periods.position(period, period_type)

    return periods.periods_between(min(firsts, key=when), max(lasts, key=when), period_type)


def rows_and_columns(indicator: str, find: str | None = "", offset: int = 0) -> tuple[list[dict], list[dict], int]:
    """The grid for one indicator: a row per area with targets (the alliance first), a column per period; the
    areas from ``offset`` on, those with ``find`` in their code; and how many such areas there are."""
    period_type = _indicators()[indicator]["period_type"]
    _count, targets = setup.window("targets.csv", where={"indicator": [indicator]}, limit=None)
    by_area: dict[str, dict[str, Any]] = {ALLIANCE: {}}
    for target in targets:
        row = by_area.setdefault(target["area"], {})
        row.setdefault("baseline_period", target["baseline_period"])
        row.setdefault("baseline_value", target["baseline_value"])
        row[target["target_period"]] = target["target_value"]
    wanted = (find or "").strip().casefold()
    found = sorted(area for area in by_area if not wanted or (area and wanted in area.casefold()))
    shown = found[offset : offset + pager.SIZE]
    _count, areas = setup.window("areas.csv", where={"code": [a for a in shown if a]}, limit=None)
    names = {a["code"]: a["name"] for a in areas}
    data = [
        {
            "id": area or "-",
            "area": area,
            "area_name": names.get(area, "") if area else _("Whole alliance"),
            "baseline_period": by_area[area].get("baseline_period", ""),
            "baseline_value": by_area[area].get("baseline_value", ""),
            **{p: v for p, v in by_area[area].items() if p not in FIXED},
        }
        for area in shown
    ]
    axis = _axis(period_type, targets)
    return data, columns(axis, {}), len(found)


def columns(axis: list[str], problems: dict[str, list[str]]) -> list[dict]:
    def rules(column: str) -> dict[str, Any]:
        if column in problems:
            return {"cellClassRules": {INVALID: f"{json.dumps(problems[column])}.includes(params.data.id)"}}
        return {}

    fixed = [
        grid.code_column("area", _("Area"), editable={"function": "params.data._new === true"}, **rules("area")),
        grid.text_column("area_name", _("Name"), width=160, editable=False, cellClass="readonly"),
        grid.code_column("baseline_period", _("Baseline period"), editable=True, **rules("baseline_period")),
        grid.code_column("baseline_value", _("Baseline value"), editable=True, **rules("baseline_value")),
    ]
    return fixed + [grid.code_column(p, p, width=80, editable=True, cellDataType=False, **rules(p)) for p in axis]


def view() -> list:
    """The trajectory grid with its indicator choice, above the list of every target row."""
    found = _indicators()
    language = context.language()
    first = next(iter(found), None)
    data, cols, total = rows_and_columns(first) if first else ([], [], 0)
    return [
        html.H2(_("Trajectory per area")),
        html.P(
            _(
                "Choose an indicator: each row is an area (the first, the whole alliance), each column a period. "
                "Type the target for a period into its cell; the baseline is the same for the row's targets."
            ),
            className="muted",
        ),
        html.Label(
            [
                _("Indicator"),
                dcc.Dropdown(
                    id="admin-targets-indicator",
                    options=[
                        {"label": row.get(f"name_{language}") or row["name_en"] or code, "value": code}
                        for code, row in found.items()
                    ],
                    value=first,
                    clearable=False,
                ),
            ],
            className="filters",
        ),
        pager.controls(PAGER, len(data), total, label=_("Find (part of an area's code)")),
        grid.grid(
            "admin-targets-years",
            cols,
            data,
            sortable=False,
            options={"stopEditingWhenCellsLoseFocus": True, "enterNavigatesVerticallyAfterEdit": True},
        ),
        html.Div(
            [
                html.Button(_("Add an area"), id="admin-targets-years-add", className="button secondary", n_clicks=0),
                html.Button(_("Save the trajectory"), id="admin-targets-years-save", className="button", n_clicks=0),
            ],
            className="actions",
        ),
        html.Div(id="admin-targets-years-result", role="status"),
        html.Div(id="admin-targets-years-problems", role="alert"),
    ]


def target_rows(
    indicator: str, data: list[dict[str, Any]], axis: list[str]
) -> list[tuple[int, dict[str, str], str, str]]:
    """Every filled period cell as a row of targets.csv: (number, row, grid row id, period column)."""
    found = []
    for row in data:
        for period in axis:
            value = str(row.get(period) or "").strip()
            if value:
                target = {
                    "indicator": indicator,
                    "area": str(row.get("area") or "").strip(),
                    "baseline_period": str(row.get("baseline_period") or "").strip(),
                    "baseline_value": str(row.get("baseline_value") or "").strip(),
                    "target_period": period,
                    "target_value": value,
                }
                found.append((len(found) + 2, target, row["id"], period))
    return found


def _marks(problems: list[ErrorItem], where: dict[int, tuple[str, str]]) -> dict[str, list[str]]:
    """Which cells to mark: a problem with the target goes to its period's cell, others to their own column."""
    marks: dict[str, list[str]] = {}
    for problem in problems:
        if problem.row not in where:
            continue
        row_id, period = where[problem.row]
        column = problem.column if problem.column in ("area", "baseline_period", "baseline_value") else period
        marks.setdefault(column, []).append(row_id)
    return marks


def register(app: Dash) -> None:
    """Choose an indicator, add an area, save the trajectory."""

    @app.callback(
        Output("admin-targets-years", "rowData"),
        Output("admin-targets-years", "columnDefs"),
        Output("admin-targets-years-result", "children"),
        Output("admin-targets-years-problems", "children"),
        Output(f"{PAGER}-offset", "data"),
        Output(f"{PAGER}-shown", "children"),
        Output(f"{PAGER}-previous", "disabled"),
        Output(f"{PAGER}-next", "disabled"),
        Input("admin-targets-indicator", "value"),
        Input("admin-targets-years-add", "n_clicks"),
        Input("admin-targets-years-save", "n_clicks"),
        Input(f"{PAGER}-find", "value"),
        Input(f"{PAGER}-previous", "n_clicks"),
        Input(f"{PAGER}-next", "n_clicks"),
        State(f"{PAGER}-offset", "data"),
        State("admin-targets-years", "rowData"),
        State("admin-targets-years", "columnDefs"),
        prevent_initial_call=True,
    )
    def trajectory(
        indicator: str, _add: int, _save: int, find: str | None, _prev: int, _next: int, offset: int, data, cols
    ) -> tuple:
        """Another indicator or other areas (a find, the rows before or after), an area added, or the trajectory
        saved."""
        unchanged = (no_update,) * 4
        if allowed(PAGE) is None:
            return no_update, no_update, session_ended(), None, *unchanged
        if ctx.triggered_id == "admin-targets-years-add":
            new = {"id": f"new-{sum(1 for r in data if r.get('_new')) + 1}", "_new": True, "area": "", "area_name": ""}
            return [*data, new], no_update, None, None, *unchanged
        if ctx.triggered_id != "admin-targets-years-save":
            start = pager.moved(PAGER, ctx.triggered_id, offset)
            data, cols, total = rows_and_columns(indicator, find, start)
            return data, cols, None, None, *pager.state(start, len(data), total)
        axis = [c["field"] for c in cols if c["field"] not in FIXED]
        found = target_rows(indicator, data, axis)
        if not found:
            return no_update, no_update, notice(_("There are no targets to save."), "info"), None, *unchanged
        try:
            loaded = setup.load_rows("targets.csv", [(n, row) for n, row, _id, _p in found], dry_run=False)
        except BackboneError as exc:
            where = {n: (row_id, period) for n, _row, row_id, period in found}
            names = {n: f"{row['area'] or _('Whole alliance')} · {period}" for n, row, _id, period in found}
            marked = columns(axis, _marks(exc.errors, where))
            return no_update, marked, None, problem_list(exc.errors, names, exc.error_count), *unchanged
        data, cols, total = rows_and_columns(indicator, find, offset or 0)
        counts = next(iter(loaded.kinds.values()))
        saved = _("{created} new, {updated} changed, {unchanged} unchanged.", **counts.model_dump())
        return data, cols, notice(_("Saved: ") + saved, "success"), None, *pager.state(offset or 0, len(data), total)
