"""The quality page's callbacks: the flags for the filters, one flag in detail, confirming it.

Each checks that the user may still use the page (a callback can be called directly); which flags
a user sees and may confirm the service decides.
"""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, dcc, html, no_update
from starlette.concurrency import run_in_threadpool

from api.errors import BackboneError
from api.models.common import Role
from dashboard import context
from dashboard.context import _
from dashboard.data import quality
from dashboard.data.quality import FlagStatus, QualityFlagPublic
from dashboard.data.sessions import Principal
from dashboard.figures.quality import history_figure
from dashboard.pages.quality import table
from dashboard.parts.components import GRAPH_CONFIG, HIDDEN, allowed, notice, session_ended
from dashboard.parts.quality import breakdown_text, rule_label

__all__ = ["CONFIRM", "DETAIL", "FLAGS", "allowed", "confirm", "detail", "flags"]


def _code(value: object) -> str | None:
    """A filter's value, whatever a tampered request sends instead."""
    return value if isinstance(value, str) and value else None


def _found(
    status: object, indicator: object, area: object, organisation: object, period: object, principal: Principal
) -> list[QualityFlagPublic]:
    chosen = FlagStatus(status) if status in FlagStatus.__members__ else None
    try:
        return quality.flags(
            status=chosen,
            indicator=_code(indicator),
            area=_code(area),
            organisation=_code(organisation) if principal.role is not Role.member else None,
            period=_code(period),
        ).items
    except BackboneError:  # an unknown code in a tampered request: nothing matches
        return []


FLAGS = (
    Output("quality-table", "rowData"),
    Output("quality-count", "children"),
    Input("quality-status", "value"),
    Input("quality-indicator", "value"),
    Input("quality-area", "value"),
    Input("quality-organisation", "value"),
    Input("quality-period", "value"),
    Input("quality-refresh", "data"),
)


async def flags(
    status: str | None,
    indicator: str | None,
    area: str | None,
    organisation: str | None,
    period: str | None,
    _refresh: int,
):
    """The flags for the filters, and how many."""
    principal = allowed("quality")
    if principal is None:
        return [], _("Your session has ended or does not allow this: log in again.")
    found = await run_in_threadpool(_found, status, indicator, area, organisation, period, principal)
    return table.flag_rows(found, context.language()), _("Flags: {count}", count=len(found))


def _flag(flag_id: object) -> QualityFlagPublic | None:
    """The flag by its id, if this user may see it."""
    if not isinstance(flag_id, int):
        return None
    return next((f for f in quality.flags().items if f.id == flag_id), None)


def may_confirm(principal: Principal, flag: QualityFlagPublic) -> bool:
    """Staff, or a member of the organisation that reported the value."""
    return principal.is_admin or (principal.role is Role.member and flag.organisation == principal.organisation)


def _detail_view(flag: QualityFlagPublic) -> html.Div:
    language = context.language()
    key = [flag.indicator, flag.area, flag.period]
    if flag.breakdown:
        key.append(breakdown_text(flag.breakdown))
    values = quality.history(flag.indicator, flag.area, flag.breakdown)
    parts: list[Any] = [
        html.H2(f"{rule_label(flag.rule)}: {' · '.join(key)}", id="quality-detail-title"),
        html.P(flag.message, id="quality-message"),
    ]
    if flag.comment:
        parts.append(html.P([html.Strong(_("Comment") + ": "), flag.comment], id="quality-detail-comment"))
    if values:
        parts.append(
            dcc.Graph(
                id="quality-chart",
                figure=history_figure(values, flag.period, flag.expected, language),
                config=GRAPH_CONFIG,
            )
        )
    else:
        parts.append(html.P(_("No values to show for this series."), className="empty"))
    return html.Div(parts, className="card")


DETAIL = (
    Output("quality-detail", "children"),
    Output("quality-confirm-form", "style"),
    Output("quality-flag", "data"),
    Input("quality-table", "selectedRows"),
)


async def detail(selected: list[dict] | None):
    """The chosen flag: its message, its series, and the confirmation for who may give it."""
    principal = allowed("quality")
    if principal is None:
        return session_ended(), HIDDEN, None
    chosen = (selected or [{}])[0].get("id") if isinstance(selected, list) and selected else None
    flag = await run_in_threadpool(_flag, chosen)
    if flag is None:
        return html.P(_("Choose a flag in the table to see it in its series."), className="muted"), HIDDEN, None
    view = await run_in_threadpool(_detail_view, flag)
    return view, None if may_confirm(principal, flag) else HIDDEN, flag.id


CONFIRM = (
    Output("quality-confirm-result", "children"),
    Output("quality-refresh", "data"),
    Output("quality-comment", "value"),
    Input("quality-confirm", "n_clicks"),
    State("quality-flag", "data"),
    State("quality-comment", "value"),
    State("quality-refresh", "data"),
)


async def confirm(_clicks: int, flag_id: object, comment: str | None, refresh: int | None):
    """Confirm the chosen flag with the comment; the table is read again."""
    principal = allowed("quality")
    if principal is None:
        return session_ended(), no_update, no_update
    if not isinstance(flag_id, int):
        return notice(_("Choose a flag in the table first."), "warning"), no_update, no_update
    text = (comment or "").strip() if isinstance(comment, str) else ""
    if not text:
        return notice(_("Say why the value is right."), "warning"), no_update, no_update
    try:
        done = await run_in_threadpool(quality.confirm, flag_id, text[:1000])
    except BackboneError as exc:
        return notice(_("Not done: {reason}", reason=exc.message), "error"), no_update, no_update
    message = _(
        "Confirmed: {indicator}, {area}, {period}.", indicator=done.indicator, area=done.area, period=done.period
    )
    return notice(message, "success", id="quality-confirmed"), (refresh or 0) + 1, ""
