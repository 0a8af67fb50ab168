"""The data-entry grid: its columns, its rows (from the entry service) and the marks on cells with problems
or with values the quality rules find unusual."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import dash_ag_grid as dag

from dashboard import i18n
from dashboard.context import _
from dashboard.data.imports import EntryRow
from dashboard.pages.entry.form import EDITABLE, FINAL, CellProblem, show_number
from dashboard.parts import grid

INVALID = "invalid"  # the class of a cell with a problem (style.css: red)
UNUSUAL = "unusual"  # the class of a cell whose value a quality rule finds unusual (style.css: amber)
UNUSUAL_MARK = "⚠"  # shown before an unusual value: a warning is not told by colour alone
INVALID_MARK = "✗"  # shown before a value with a problem: nor is an error
NOT_RATE = {"not-rate": "params.data.rate === 'no'"}  # numerator and denominator of a count: grey


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


def _marks(problems: Iterable[CellProblem]) -> dict[str, list[str]]:
    """The rows with a problem, per column (each row once)."""
    marked: dict[str, list[str]] = {}
    for problem in problems:
        rows = marked.setdefault(problem.column, [])
        if problem.row not in rows:
            rows.append(problem.row)
    return marked


def _texts(problems: Iterable[CellProblem], column: str) -> dict[str, str]:
    """What is said of each row's cell in ``column`` (several things in one cell, one after the other)."""
    said: dict[str, str] = {}
    for problem in problems:
        if problem.column == column:
            said[problem.row] = f"{said[problem.row]} {problem.message}" if problem.row in said else problem.message
    return said


def _among(rows: list[str]) -> str:
    """A cell rule's test: the cell's row is one of ``rows``."""
    return f"{json.dumps(rows)}.includes(params.data.id)"


def columns(
    read_only: bool = False, problems: Iterable[CellProblem] = (), warned: Sequence[CellProblem] = ()
) -> list[dict]:
    """The grid's columns: grey where nothing is typed (all of them when every period shown is locked), the
    cells with problems red and marked ✗ (class ``invalid``: the rows named in the column's rule), and the cells
    with quality warnings amber and marked ⚠ (class ``unusual``: they can still be saved); each says why in its
    title."""
    statuses = {
        FINAL: _("final"),
        "provisional": _("provisional"),
        "estimated": _("estimated"),
        "provisional estimated": _("provisional and estimated"),
    }
    spec = [
        ("indicator_name", _("Indicator"), False, {"width": 220, "maxWidth": 360}),
        ("area_name", _("Area"), False, {"width": 120}),
        ("period", _("Period"), False, {"width": 90}),
        ("breakdown_label", _("Group"), False, {"width": 110}),
        ("previous", _("Last period"), False, {"width": 110}),
        ("value", _("Value"), True, {"width": 100}),
        ("numerator", _("Numerator"), True, {"width": 110, "cellClassRules": NOT_RATE}),
        ("denominator", _("Denominator"), True, {"width": 135, "cellClassRules": NOT_RATE}),
        (
            "status",
            _("Status"),
            True,
            {
                "width": 150,
                "cellEditor": "agSelectCellEditor",  # Enter opens the list, the arrow keys choose, Enter takes
                "cellEditorParams": {"values": list(statuses)},
                "refData": statuses,  # the codes shown, and offered, in words
            },
        ),
        ("note", _("Note"), True, {"width": 160}),
    ]
    marked, cautioned = _marks(problems), _marks(warned)
    found = []
    for key, name, editable, options in spec:
        rules = dict(options.pop("cellClassRules", {}))
        if cautioned.get(key):
            rules[UNUSUAL] = _among(cautioned[key])
        if marked.get(key):
            rules[INVALID] = _among(marked[key])
        if (cautioned.get(key) or marked.get(key)) and "refData" not in options:  # a status shows by its words
            # The mark is in the cell's text (an error's before a warning's), what was found in its title: both
            # read by screen readers too, not told by colour alone. What is typed stays as it is.
            mark = " : ".join(
                f"{rules[kind]} ? '{sign} ' + (params.value || '')"
                for kind, sign in ((INVALID, INVALID_MARK), (UNUSUAL, UNUSUAL_MARK))
                if kind in rules
            )
            options["valueFormatter"] = {"function": f"{mark} : params.value"}
            said = {**_texts(warned, key), **_texts(problems, key)}  # an error says more than a warning
            options["tooltipValueGetter"] = {"function": f"({json.dumps(said)})[params.data.id]"}
        column = grid.text_column(
            key,
            name,
            sortable=False,  # the rows stay in the order the assignments give
            editable=editable and not read_only,
            cellDataType=False,  # what is typed stays text, as typed: the server reads the numbers
            **({"cellClass": "readonly"} if not editable or read_only else {}),
            **({"cellClassRules": rules} if rules else {}),
            **options,
        )
        found.append(column)
    return found


def table(data: list[dict[str, str]], read_only: bool = False) -> dag.AgGrid:
    """The editable grid of values: a cell is typed into (or Enter, F2), Enter or Tab keeps what was typed."""
    return grid.grid(
        "entry-table",
        columns(read_only),
        data,
        page_size=100,
        rowClassRules={"locked": "params.data.locked === 'yes'"},
        options={
            "enableBrowserTooltips": True,  # a cell's tooltip as its title: what an unusual value's rule found
            "stopEditingWhenCellsLoseFocus": True,  # clicking Save keeps the value being typed
            "enterNavigatesVerticallyAfterEdit": True,  # Enter keeps the value and goes down, as in a spreadsheet
        },
    )
