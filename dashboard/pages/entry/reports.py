"""The data-entry page's reports: each period's review status, submitting for approval, and locked periods."""

from __future__ import annotations

from dash import html

from api.models.approval import ReportStatus
from dashboard.context import _
from dashboard.data import periods
from dashboard.data.periods import PeriodState
from dashboard.data.sessions import Principal
from dashboard.parts.components import notice, report_label


def states(scope: dict, data: list[dict]) -> list[PeriodState]:
    """The review status and lock of each period the table shows."""
    organisation = scope.get("organisation")
    shown = sorted({row["period"] for row in data})
    if organisation is None or not shown:
        return []
    return periods.period_states(organisation, shown)


def mark(data: list[dict], found: list[PeriodState]) -> None:
    """Flag the rows of locked periods (``locked``: yes), which the table shows greyed."""
    locked = {state.period for state in found if state.locked}
    for row in data:
        row["locked"] = "yes" if row["period"] in locked else "no"


def read_only(found: list[PeriodState]) -> bool:
    """Every period shown is locked: nothing in the table may be typed."""
    return bool(found) and all(state.locked for state in found)


def submittable(principal: Principal, found: list[PeriodState]) -> list[dict]:
    """The periods a member may submit now (not yet submitted, or returned), as dropdown options."""
    if principal.is_admin:
        return []
    open_ = (ReportStatus.draft, ReportStatus.returned)
    return [{"label": s.period, "value": s.period} for s in found if s.status in open_ and not s.locked]


def panel(found: list[PeriodState]) -> html.Div | None:
    """Each period's status in words; locked periods say why, returned ones show the staff's comment."""
    if not found:
        return None
    items = []
    for state in found:
        parts: list = [html.Strong(f"{state.period}: "), report_label(state.status)]
        if state.locked:
            parts += [
                " — ",
                html.Span(_("locked, read only"), className="entry-locked"),
                html.Br(),
                html.Small(state.locked),
            ]
        if state.comment:
            parts += [html.Br(), html.Small(_("Comment: {comment}", comment=state.comment))]
        items.append(html.Li(parts))
    heading = _("Reports to backbone staff")
    block = [html.H2(heading, className="entry-reports-title"), html.Ul(items, id="entry-report-list")]
    if read_only(found):
        block.append(
            notice(
                _("This period is locked: its values can be read but not changed. Backbone staff can reopen it."),
                "warning",
                id="entry-locked-notice",
            )
        )
    return html.Div(block)
