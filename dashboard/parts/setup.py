"""The staff's set-up pages: one kind's rows in an editable grid, checked and saved all or nothing, and rows
pasted or uploaded as CSV or XLSX (a check first, then all or nothing), through the set-up loader.

A page says which file of the set-up it edits (``Kind``); this part builds its layout and callbacks.
Every problem the loader finds is shown at its cell (red, class ``invalid``) and listed in words
beside the grid, naming the row and the column. Rows are never deleted here: a set-up row that
data refers to stays, and what is left out of a paste is left as it is.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import dash
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from api.errors import BackboneError, ErrorItem
from api.models.common import (
    Aggregation,
    AreaLevel,
    Derivation,
    Direction,
    OrganisationType,
    PeriodType,
    Role,
    Unit,
)
from dashboard.context import N_, _
from dashboard.data import setup
from dashboard.parts import grid, pager
from dashboard.parts.components import allowed, guard, href, notice, session_ended

INVALID = "invalid"
MAX_UPLOAD = 5 * 1024 * 1024

# What each column of the set-up files is called on the pages (texts in several languages get the language after).
LABELS = {
    "code": N_("Code"),
    "name": N_("Name"),
    "level": N_("Level"),
    "parent": N_("Parent area"),
    "type": N_("Type"),
    "signed_on": N_("Signed the agenda on"),
    "vision": N_("Vision"),
    "problem": N_("Problem"),
    "start_date": N_("Start date"),
    "position": N_("Position"),
    "title": N_("Title"),
    "description": N_("Description"),
    "dimension": N_("Dimension"),
    "dimension_name": N_("Name of the dimension"),
    "value": N_("Value"),
    "value_name": N_("Name of the value"),
    "goal": N_("Goal"),
    "definition": N_("Definition"),
    "unit": N_("Unit"),
    "direction": N_("Better when"),
    "period_type": N_("Periods"),
    "aggregation": N_("Adding up"),
    "dimensions": N_("Breakdowns"),
    "suppression_threshold": N_("Suppress below"),
    "min_value": N_("Lowest value"),
    "max_value": N_("Highest value"),
    "source": N_("Source"),
    "owner": N_("Owner"),
    "published": N_("Published"),
    "derivation": N_("Derived as"),
    "derivation_group": N_("Derived for group"),
    "derived_from": N_("Derived from"),
    "organisation": N_("Organisation"),
    "indicator": N_("Indicator"),
    "area": N_("Area"),
    "baseline_period": N_("Baseline period"),
    "baseline_value": N_("Baseline value"),
    "target_period": N_("Target period"),
    "target_value": N_("Target value"),
    "active": N_("Active (not retired)"),
}
# Columns of words, wrapped in their cells; the others (codes, choices, numbers, dates) keep to one line.
TEXTS = {
    "name",
    "full_name",
    "title",
    "description",
    "vision",
    "problem",
    "definition",
    "source",
    "dimension_name",
    "value_name",
}
LANGUAGE_NAMES = {"nl": N_("Dutch"), "de": N_("German"), "en": N_("English")}
# Columns with a fixed set of values: chosen from a list.
CHOICES: dict[str, list[str]] = {
    "level": [v.value for v in AreaLevel],
    "type": [v.value for v in OrganisationType],
    "unit": [v.value for v in Unit],
    "direction": [v.value for v in Direction],
    "period_type": [v.value for v in PeriodType],
    "aggregation": [v.value for v in Aggregation],
    "derivation": ["", *(v.value for v in Derivation)],
    "role": [v.value for v in Role],
    "published": ["true", "false"],
    "active": ["true", "false"],
}


@dataclass(frozen=True)
class Kind:
    """One set-up page: which file it edits and how its rows are named."""

    page: str  # ids and address: "areas" -> "admin-areas-grid", /dashboard/admin/areas
    file: str  # "areas.csv"
    title: str  # N_-marked
    intro: str  # N_-marked
    key: tuple[str, ...]  # the columns that name a row; fixed once it exists
    group: str | None = None  # rows loaded together when one of them changes (a dimension's values)
    hidden: tuple[str, ...] = ()  # columns not shown (and left as they are)
    wide: tuple[str, ...] = field(default=())  # long texts

    def id(self, part: str) -> str:
        return f"admin-{self.page}-{part}"


def label(column: str) -> str:
    """A column's name in the reader's language (``name_nl``: Name (Dutch))."""
    base, _sep, language = column.rpartition("_")
    if base in LABELS and language in LANGUAGE_NAMES:
        return f"{_(LABELS[base])} ({_(LANGUAGE_NAMES[language])})"
    return _(LABELS.get(column, column))


def _columns(kind: Kind, problems: list[ErrorItem] | None = None, numbers: dict[int, str] | None = None) -> list:
    marked: dict[str, list[str]] = {}
    for problem in problems or []:
        row_id = (numbers or {}).get(problem.row or 0)
        if problem.column and row_id:
            marked.setdefault(problem.column, []).append(row_id)
    found = []
    for column in setup.columns(kind.file):
        if column in kind.hidden:
            continue
        options: dict[str, Any] = {"editable": True, "cellDataType": False}
        if column in kind.key:
            options["editable"] = {"function": "params.data._new === true"}  # a row's key is fixed once it exists
        if column in CHOICES:
            options |= {"cellEditor": "agSelectCellEditor", "cellEditorParams": {"values": CHOICES[column]}}
        if column in marked:
            options["cellClassRules"] = {INVALID: f"{json.dumps(marked[column])}.includes(params.data.id)"}
        if column in kind.wide or column.rpartition("_")[0] in TEXTS or column in TEXTS:
            found.append(grid.text_column(column, label(column), width=260 if column in kind.wide else 130, **options))
        else:
            found.append(grid.code_column(column, label(column), width=130, **options))
    return found


def _window(kind: Kind, find: str | None = "", offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """The grid's rows from ``offset`` on (those with ``find`` in a code or name), and how many there are."""
    total, rows = setup.window(kind.file, find=find or "", offset=offset, limit=pager.SIZE)
    return [{"id": "/".join(row[k] for k in kind.key), **row} for row in rows], total


def layout(kind: Kind, view: Callable[[], list] | None = None) -> html.Div:
    """The page: the rows to edit, the buttons, and the paste or upload box; ``view`` adds a view of its own first."""
    if (blocked := guard(f"admin/{kind.page}")) is not None:
        return blocked
    data, total = _window(kind)
    return html.Div(
        [
            dcc.Link(_("Administration"), href=href("/admin"), className="back-link"),
            html.H1(_(kind.title)),
            html.P(_(kind.intro)),
            *(view() if view else []),
            html.H2(_("Every row")) if view else None,
            html.P(
                _(
                    "Change a cell by typing into it (or Enter or F2); the code of an existing row stays. "
                    "Check, then save: all changes are saved together, or none if any has a problem."
                ),
                className="muted",
            ),
            pager.controls(kind.id("rows"), len(data), total),
            grid.grid(
                kind.id("grid"),
                _columns(kind),
                data,
                sortable=False,
                options={"stopEditingWhenCellsLoseFocus": True, "enterNavigatesVerticallyAfterEdit": True},
            ),
            dcc.Store(id=kind.id("original"), data={row["id"]: row for row in data}),
            html.Div(
                [
                    html.Button(_("Add a row"), id=kind.id("add"), className="button secondary", n_clicks=0),
                    html.Button(_("Check the changes"), id=kind.id("check"), className="button secondary", n_clicks=0),
                    html.Button(_("Save the changes"), id=kind.id("save"), className="button", n_clicks=0),
                ],
                className="actions",
            ),
            html.Div(id=kind.id("result"), role="status"),
            html.Div(id=kind.id("problems"), role="alert"),
            *paste_section(kind),
        ],
        className="page admin-page",
    )


def paste_section(kind: Kind) -> list:
    """Rows pasted or dropped as a file: checked first, then loaded all or nothing (``register_paste``)."""
    return [
        html.H2(_("Paste or upload rows")),
        html.P(
            _(
                "With a header row naming the columns ({columns}): copied from a spreadsheet, "
                "or a CSV or XLSX file. Rows with a new code are added, others changed; rows left out stay.",
                columns=", ".join(c for c in setup.columns(kind.file) if c not in kind.hidden),
            )
        ),
        html.Label([_("Rows to paste"), dcc.Textarea(id=kind.id("paste"), rows=6, className="paste-box")]),
        dcc.Upload(
            id=kind.id("file"),
            children=html.Div([_("Or drop a CSV or XLSX file here, or "), html.A(_("choose a file"))]),
            max_size=MAX_UPLOAD,
            className="upload-drop",
        ),
        html.Div(
            [
                html.Button(_("Check the rows"), id=kind.id("check-rows"), className="button secondary", n_clicks=0),
                html.Button(_("Load the rows"), id=kind.id("load-rows"), className="button", disabled=True),
            ],
            className="actions",
        ),
        dcc.Store(id=kind.id("checked")),
        html.Div(id=kind.id("rows-result"), role="status"),
        dcc.Store(id=kind.id("loaded"), data=0),  # how many loads: what shows the rows reloads on a change
    ]


def _counts(loaded: setup.ConfigLoaded) -> str:
    counts = next(iter(loaded.kinds.values()), None)
    if counts is None:
        return _("Nothing to do.")
    return _(
        "{created} new, {updated} changed, {unchanged} unchanged.",
        created=counts.created,
        updated=counts.updated,
        unchanged=counts.unchanged,
    )


def problem_list(problems: list[ErrorItem], names: dict[int, str], count: int) -> html.Div:
    """The problems in words: which row (by its code, or its number in a pasted text), which column, what."""
    items = [
        html.Li(
            f"{names.get(p.row or 0, _('row {number}', number=p.row) if p.row else '')}"
            f"{' · ' + label(p.column) if p.column else ''}: {p.message}"
        )
        for p in problems
    ]
    more = [html.P(_("{count} problems in all.", count=count))] if count > len(problems) else []
    return html.Div([html.P(_("Nothing was saved:")), html.Ul(items), *more], className="notice notice-error")


def _changed(kind: Kind, data: list[dict[str, Any]], original: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    columns = setup.columns(kind.file)
    changed = [
        row
        for row in data
        if row.get("_new") or any((row.get(c) or "") != (original.get(row["id"], {}).get(c) or "") for c in columns)
    ]
    if kind.group:  # a group's rows go together (the loader replaces the group)
        groups = {row.get(kind.group) for row in changed}
        changed = [row for row in data if row.get(kind.group) in groups]
    return changed


def _save(kind: Kind, data: list[dict[str, Any]], original: dict[str, dict[str, Any]], *, dry_run: bool) -> tuple:
    """Check or save the changed rows: (columns, result, problems, whether saved) for the page."""
    changed = _changed(kind, data, original)
    if not changed:
        return no_update, notice(_("There are no changes."), "info"), None, False
    columns = setup.columns(kind.file)
    numbered = dict(enumerate(changed, start=2))
    found = [(n, {c: str(row.get(c) or "").strip() for c in columns}) for n, row in numbered.items()]
    try:
        loaded = setup.load_rows(kind.file, found, dry_run=dry_run)
    except BackboneError as exc:
        ids = {n: row["id"] for n, row in numbered.items()}
        names = {n: " / ".join(str(row.get(k) or "?") for k in kind.key) for n, row in numbered.items()}
        return _columns(kind, exc.errors, ids), None, problem_list(exc.errors, names, exc.error_count), False
    said = (
        notice(_("Checked: ") + _counts(loaded), "info")
        if dry_run
        else notice(_("Saved: ") + _counts(loaded), "success")
    )
    return _columns(kind), said, None, not dry_run


def _content(text: str | None, contents: str | None) -> bytes | None:
    """The rows to check: a dropped file's bytes, else the pasted text."""
    if contents:
        try:
            return base64.b64decode(contents.partition(",")[2], validate=True)
        except (binascii.Error, ValueError):
            return None
    return text.encode("utf-8") if text and text.strip() else None


def page(
    module: str, kind: Kind, view: Callable[[], list] | None = None, also: Callable[[Dash], None] | None = None
) -> tuple[Callable[..., html.Div], Callable[[Dash], None]]:
    """A set-up page's ``layout`` and ``register`` for its package: the page at /admin/<kind>, its callbacks
    (and those of its own ``view``, ``also``)."""

    def layout_of(**_query: str) -> html.Div:
        return layout(kind, view)

    def register_page(app: Dash) -> None:
        title = f"Backbone · {kind.page.capitalize()}"
        dash.register_page(module, path=f"/admin/{kind.page}", title=title, layout=layout_of)
        register(app, kind)
        if also is not None:
            also(app)

    return layout_of, register_page


def register(app: Dash, kind: Kind) -> None:
    """The page's callbacks: add a row, check or save the grid's changes, check or load pasted rows."""

    @app.callback(
        Output(kind.id("grid"), "rowData", allow_duplicate=True),
        Input(kind.id("add"), "n_clicks"),
        State(kind.id("grid"), "rowData"),
        prevent_initial_call=True,
    )
    def add_row(_clicks: int, data: list[dict[str, Any]]) -> list[dict[str, Any]]:
        new = {"id": f"new-{sum(1 for r in data if r.get('_new')) + 1}", "_new": True}
        return [*data, new | dict.fromkeys(setup.columns(kind.file), "")]

    @app.callback(
        Output(kind.id("grid"), "columnDefs"),
        Output(kind.id("result"), "children"),
        Output(kind.id("problems"), "children"),
        Output(kind.id("loaded"), "data", allow_duplicate=True),
        Input(kind.id("check"), "n_clicks"),
        Input(kind.id("save"), "n_clicks"),
        State(kind.id("grid"), "rowData"),
        State(kind.id("original"), "data"),
        State(kind.id("loaded"), "data"),
        prevent_initial_call=True,
    )
    def check_or_save(_check: int, _saves: int, data: list[dict[str, Any]], original: dict, loads: int) -> tuple:
        """Check or save the grid's changes; a save counts as a load, on which the rows shown are read again."""
        if allowed(f"admin/{kind.page}") is None:
            return no_update, session_ended(), None, no_update
        columns, said, problems, saved = _save(kind, data, original, dry_run=ctx.triggered_id == kind.id("check"))
        return columns, said, problems, (loads or 0) + 1 if saved else no_update

    rows = kind.id("rows")

    @app.callback(
        Output(kind.id("grid"), "rowData", allow_duplicate=True),
        Output(kind.id("original"), "data", allow_duplicate=True),
        Output(f"{rows}-offset", "data"),
        Output(f"{rows}-shown", "children"),
        Output(f"{rows}-previous", "disabled"),
        Output(f"{rows}-next", "disabled"),
        Output(kind.id("result"), "children", allow_duplicate=True),
        Input(kind.id("loaded"), "data"),
        Input(f"{rows}-find", "value"),
        Input(f"{rows}-previous", "n_clicks"),
        Input(f"{rows}-next", "n_clicks"),
        State(f"{rows}-offset", "data"),
        State(kind.id("grid"), "rowData"),
        State(kind.id("original"), "data"),
        prevent_initial_call=True,
    )
    def reload(_loads: int, find: str | None, _previous: int, _next: int, offset: int, data: list, original: dict):
        """The window of rows asked for: after a save or load (the same rows, read again), a find, a move."""
        if allowed(f"admin/{kind.page}") is None:  # a callback can be called by anyone: the rows are the staff's
            return [], {}, 0, "", True, True, session_ended()
        if ctx.triggered_id == kind.id("loaded"):  # the same rows, as they are stored now
            start = offset or 0
        elif _changed(kind, data or [], original or {}):
            return *(no_update,) * 6, pager.unsaved()
        else:
            start = pager.moved(rows, ctx.triggered_id, offset)
        fresh, total = _window(kind, find, start)
        return fresh, {row["id"]: row for row in fresh}, *pager.state(start, len(fresh), total), no_update

    register_paste(app, kind)


def register_paste(app: Dash, kind: Kind) -> None:
    """Check pasted or dropped rows; load what was checked (and count the load in the ``loaded`` store)."""

    @app.callback(
        Output(kind.id("rows-result"), "children"),
        Output(kind.id("checked"), "data"),
        Output(kind.id("load-rows"), "disabled"),
        Output(kind.id("loaded"), "data"),
        Input(kind.id("check-rows"), "n_clicks"),
        Input(kind.id("load-rows"), "n_clicks"),
        State(kind.id("paste"), "value"),
        State(kind.id("file"), "contents"),
        State(kind.id("checked"), "data"),
        State(kind.id("loaded"), "data"),
        prevent_initial_call=True,
    )
    def check_or_load_rows(
        _check: int, _load: int | None, text: str | None, contents: str | None, held: str | None, loads: int
    ) -> tuple:
        if allowed(f"admin/{kind.page}") is None:
            return session_ended(), None, True, no_update
        loading = ctx.triggered_id == kind.id("load-rows")
        content = base64.b64decode(held) if loading and held else _content(text, contents)
        if content is None:
            return notice(_("Paste rows or choose a file first."), "error"), None, True, no_update
        try:
            found = setup.read_table(kind.file, content)
            loaded = setup.load_rows(kind.file, found, dry_run=not loading)
        except BackboneError as exc:
            return problem_list(exc.errors, {}, exc.error_count), None, True, no_update
        if not loading:
            said = notice(_("Checked: ") + _counts(loaded) + " " + _("Load them to save."), "info")
            return said, base64.b64encode(content).decode("ascii"), False, no_update
        said = html.Div([notice(_("Loaded: ") + _counts(loaded), "success"), *invitation_list(loaded.invitations)])
        return said, None, True, (loads or 0) + 1


def invitation_list(invitations: list[setup.UserInvitation]) -> list:
    """The links of the users just made, to copy and hand over (each works once)."""
    if not invitations:
        return []
    items = []
    for invitation in invitations:
        mailed = " (" + _("mailed to {address}", address=invitation.mailed_to) + ")" if invitation.mailed_to else ""
        link = dcc.Input(value=invitation.url, readOnly=True, className="invitation-link")
        items.append(html.Li(html.Label([invitation.username + mailed, link])))
    return [html.P(_("Hand each new user their link (it works once):")), html.Ul(items)]
