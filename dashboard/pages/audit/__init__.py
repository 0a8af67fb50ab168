"""The audit for backbone staff: metadata changes newest first, with filters, and the versions of one value."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
from dash import Dash, Input, Output, dash_table, dcc, html

from api.errors import BackboneError
from api.models.audit import AuditEventPublic
from dashboard import context, i18n
from dashboard.context import _
from dashboard.data import audit
from dashboard.parts.components import guard, notice
from dashboard.session import may_open

PAGE_SIZE = 50
CELL = {"fontFamily": "inherit", "padding": "0.3rem 0.5rem", "textAlign": "left", "whiteSpace": "normal"}


def show(value: Any) -> str:
    """A stored value as a person reads it: translations by language, nothing as a dash, long text cut."""
    if value is None or value == "":
        return "–"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {show(item)}" for key, item in value.items() if item not in (None, ""))
    if isinstance(value, list):
        return ", ".join(show(item) for item in value)
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def describe(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """The change in one line: ``field: old → new`` for updates, the fields given for a creation or removal."""
    if before is not None and after is not None:
        return "; ".join(f"{name}: {show(before.get(name))} → {show(after.get(name))}" for name in after)
    fields = after if after is not None else before or {}
    return "; ".join(f"{name} = {show(value)}" for name, value in fields.items() if value not in (None, "", {}))


def event_rows(events: list[AuditEventPublic], language: str) -> list[dict[str, Any]]:
    """Audit events as the table's rows, in the interface's language."""
    return [
        {
            "at": i18n.when(e.at, language),
            "user": e.user or "–",
            "organisation": e.organisation or "–",
            "channel": e.channel or "–",
            "submission": f"{e.submission} (r{e.revision})" if e.submission else "–",
            "entity": e.entity,
            "key": e.entity_key,
            "action": e.action,
            "changes": describe(e.before, e.after),
        }
        for e in events
    ]


def _day(text: str | None, *, end: bool = False) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None
    if day is None:
        return None
    return dt.datetime.combine(day + dt.timedelta(days=1 if end else 0), dt.time(), tzinfo=dt.UTC)


def _events_table() -> dash_table.DataTable:
    columns = [
        ("at", _("When")),
        ("user", _("Who")),
        ("organisation", _("Organisation")),
        ("channel", _("Channel")),
        ("submission", _("Submission")),
        ("entity", _("What")),
        ("key", _("Code or id")),
        ("action", _("Change")),
        ("changes", _("Before → after")),
    ]
    return dash_table.DataTable(
        id="audit-table",
        columns=[{"id": key, "name": name} for key, name in columns],
        data=[],
        page_action="custom",
        page_current=0,
        page_size=PAGE_SIZE,
        page_count=1,
        style_cell=CELL,
        style_header={"fontWeight": 600},
    )


def layout(observation: str | None = None, entity: str | None = None, user: str | None = None, **_query: str):
    """The filters, the events table and the history of one value."""
    if (blocked := guard("audit")) is not None:
        return blocked
    entities = audit.entities()
    return html.Div(
        [
            html.H1(_("Audit")),
            html.P(
                _(
                    "Every change of the goals, indicators, targets, assignments, users and other settings, "
                    "with who made it, when, how and in which submission. The audit cannot be changed."
                ),
                className="lead",
            ),
            html.Div(
                [
                    dcc.Dropdown(
                        id="audit-entity",
                        options=[{"label": e, "value": e} for e in entities],
                        value=entity if entity in entities else None,
                        placeholder=_("Everything"),
                    ),
                    dcc.Input(id="audit-user", type="text", value=user or "", placeholder=_("Username"), debounce=True),
                    dcc.Input(id="audit-since", type="date", placeholder=_("From")),
                    dcc.Input(id="audit-until", type="date", placeholder=_("Until")),
                ],
                className="filters",
            ),
            html.P(id="audit-count", className="muted"),
            _events_table(),
            html.H2(_("History of a value")),
            html.P(_("The versions of one observation, oldest first, by its id (as the API gives it).")),
            dcc.Input(id="audit-observation", type="number", min=1, value=observation, debounce=True),
            html.Div(id="audit-history"),
        ],
        className="page",
    )


def history_view(observation_id: int | None) -> html.Div | None:
    """The versions of a value as a table, or what is wrong."""
    principal = context.user()
    if not observation_id or not may_open("audit", principal):
        return None
    try:
        found = audit.observation_history(int(observation_id))
    except BackboneError as exc:
        return notice(exc.message, "warning", id="audit-history-missing")
    language = context.language()
    rows = [
        {
            "at": i18n.when(v.at, language),
            "value": _("suppressed") if v.suppressed else i18n.number(v.value, language, decimals=2),
            "numerator": i18n.number(v.numerator, language, decimals=2) if v.numerator is not None else "–",
            "denominator": i18n.number(v.denominator, language, decimals=2) if v.denominator is not None else "–",
            "note": v.note or "",
            "user": v.user or "–",
            "organisation": v.organisation,
            "channel": v.channel,
            "submission": f"{v.submission} (r{v.revision})",
            "current": _("current") if v.current else "",
        }
        for v in found.versions
    ]
    title = f"{found.indicator} · {found.area} · {found.period}"
    if found.breakdown:
        title += " · " + ", ".join(f"{k}: {v}" for k, v in found.breakdown.items())
    columns = [
        ("at", _("When")),
        ("value", _("Value")),
        ("numerator", _("Numerator")),
        ("denominator", _("Denominator")),
        ("note", _("Note")),
        ("user", _("Who")),
        ("organisation", _("Organisation")),
        ("channel", _("Channel")),
        ("submission", _("Submission")),
        ("current", ""),
    ]
    return html.Div(
        [
            html.H3(title, id="audit-history-title"),
            dash_table.DataTable(
                id="audit-history-table",
                columns=[{"id": key, "name": name} for key, name in columns],
                data=rows,
                style_cell=CELL,
                style_header={"fontWeight": 600},
            ),
        ]
    )


def events_page(entity: str | None, user: str | None, since: str | None, until: str | None, page: int | None):
    """One page of events for the filters: the rows, how many pages, the page, and how many events."""
    if not may_open("audit", context.user()):
        return [], 1, 0, ""
    # Other filters start again at the first page.
    page = (page or 0) if dash.ctx.triggered_id in (None, "audit-table") else 0
    found = audit.events(
        PAGE_SIZE,
        page * PAGE_SIZE,
        entity=entity or None,
        user=(user or "").strip() or None,
        since=_day(since),
        until=_day(until, end=True),
    )
    pages = max(1, -(-found.total // PAGE_SIZE))
    return event_rows(found.items, context.language()), pages, page, _("Changes: {count}", count=found.total)


EVENTS = (
    Output("audit-table", "data"),
    Output("audit-table", "page_count"),
    Output("audit-table", "page_current"),
    Output("audit-count", "children"),
    Input("audit-entity", "value"),
    Input("audit-user", "value"),
    Input("audit-since", "value"),
    Input("audit-until", "value"),
    Input("audit-table", "page_current"),
)
HISTORY = (Output("audit-history", "children"), Input("audit-observation", "value"))


def register(app: Dash) -> None:
    """The page and its callbacks."""
    dash.register_page(__name__, path="/audit", title="Backbone · Audit", layout=layout)
    app.callback(*EVENTS)(events_page)
    app.callback(*HISTORY)(history_view)
