"""The audit for backbone staff: metadata changes newest first, with filters, and the versions of one value."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
import dash_ag_grid as dag
from dash import Dash, Input, Output, State, dcc, html

from api.errors import BackboneError
from api.models.audit import AuditEventPublic
from api.models.common import Page
from dashboard import context, i18n
from dashboard.context import _
from dashboard.data import audit
from dashboard.parts import grid
from dashboard.parts.components import guard, notice
from dashboard.session import may_open

PAGE_SIZE = 50


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
            "id": e.id,
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


WORDS = ("organisation",)  # with the wide ones, the columns of words (wrapped); the others keep to one line


def columns(spec: list[tuple[str, str]], wide: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Text columns in the given order, not sortable: a page of events sorted alone would mislead."""
    widths = {"organisation": 150, "denominator": 125, "submission": 125}
    return [
        grid.text_column(key, name, width=260 if key in wide else widths[key], sortable=False)
        if key in wide or key in WORDS
        else grid.code_column(key, name, width=widths.get(key, 110), sortable=False)
        for key, name in spec
    ]


def _events_table() -> dag.AgGrid:
    spec = [
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
    return grid.grid("audit-table", columns(spec, wide=("changes",)), [])


def _pager() -> html.Div:
    """The events are paged on the server: the previous and next page, and where the reader is."""
    return html.Div(
        [
            html.Button(_("Previous page"), id="audit-previous", className="button", n_clicks=0, disabled=True),
            html.Span(id="audit-page-label", role="status"),
            html.Button(_("Next page"), id="audit-next", className="button", n_clicks=0, disabled=True),
            dcc.Store(id="audit-page", data=0),
        ],
        className="filters pager",
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
            _pager(),
            html.H2(_("History of a value")),
            html.P(_("The versions of one observation, oldest first, by its id (as the API gives it).")),
            html.Label(
                [
                    _("Observation id"),
                    dcc.Input(id="audit-observation", type="number", min=1, value=observation, debounce=True),
                ],
                className="filters",
            ),
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
    spec = [
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
            grid.grid("audit-history-table", columns(spec, wide=("note",)), rows, row_id=None),
        ]
    )


def events_page(
    entity: str | None,
    user: str | None,
    since: str | None,
    until: str | None,
    _previous: int | None,
    _next: int | None,
    page: int | None,
):
    """One page of events for the filters: the rows, the page, where the reader is, and how many events."""
    if not may_open("audit", context.user()):
        return [], 0, "", True, True, ""
    moved = {"audit-previous": -1, "audit-next": 1}.get(dash.ctx.triggered_id)
    page = max(0, (page or 0) + moved) if moved else 0  # other filters start again at the first page

    def one(page: int) -> Page[AuditEventPublic]:
        return audit.events(
            PAGE_SIZE,
            page * PAGE_SIZE,
            entity=entity or None,
            user=(user or "").strip() or None,
            since=_day(since),
            until=_day(until, end=True),
        )

    found = one(page)
    pages = max(1, -(-found.total // PAGE_SIZE))
    if page >= pages:  # fewer events than when the page was shown
        page = pages - 1
        found = one(page)
    return (
        event_rows(found.items, context.language()),
        page,
        _("Page {page} of {pages}", page=page + 1, pages=pages),
        page == 0,
        page >= pages - 1,
        _("Changes: {count}", count=found.total),
    )


EVENTS = (
    Output("audit-table", "rowData"),
    Output("audit-page", "data"),
    Output("audit-page-label", "children"),
    Output("audit-previous", "disabled"),
    Output("audit-next", "disabled"),
    Output("audit-count", "children"),
    Input("audit-entity", "value"),
    Input("audit-user", "value"),
    Input("audit-since", "value"),
    Input("audit-until", "value"),
    Input("audit-previous", "n_clicks"),
    Input("audit-next", "n_clicks"),
    State("audit-page", "data"),
)
HISTORY = (Output("audit-history", "children"), Input("audit-observation", "value"))


def register(app: Dash) -> None:
    """The page and its callbacks."""
    dash.register_page(__name__, path="/audit", title="Backbone · Audit", layout=layout)
    app.callback(*EVENTS)(events_page)
    app.callback(*HISTORY)(history_view)
