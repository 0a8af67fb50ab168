"""Small building blocks the pages share: links inside the dashboard, notices, labels, status colours."""

from __future__ import annotations

import dash
from dash import dcc, html

from api.models.approval import ReportStatus
from api.models.common import Role
from dashboard import context
from dashboard.context import N_, _
from dashboard.data.sessions import Principal
from dashboard.figures import STATUS_COLOURS, SUPPRESSED_COLOUR  # noqa: F401  (pages take them from here)
from dashboard.session import may_open

# Plotly's "Share chart" button would upload the chart (and its data) to Plotly's cloud: never offer it.
GRAPH_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["sendChartToCloud", "sendDataToCloud", "select2d", "lasso2d"],
    "responsive": True,
}
HIDDEN = {"display": "none"}  # a style that hides what stays in the layout


def href(path: str) -> str:
    """A path inside the dashboard (``/goal/x`` -> ``/dashboard/goal/x``)."""
    return dash.get_relative_path(path)


def link(text: str, path: str, **kwargs: object) -> dcc.Link:
    """A link to a path inside the dashboard."""
    return dcc.Link(text, href=href(path), **kwargs)


LEVELS = {  # area levels, as they are named on the pages
    "country": N_("country"),
    "province": N_("province"),
    "region": N_("region"),
    "municipality": N_("municipality"),
    "district": N_("district"),
    "school": N_("school"),
}


def level_label(level: str) -> str:
    """An area level, named in the interface's language."""
    return _(LEVELS[level]) if level in LEVELS else level


def status_label(status: str) -> str:
    """A trajectory status in words."""
    return {"on_track": _("On track"), "off_track": _("Off track"), "no_data": _("No data")}.get(status, status)


DIRECTIONS = {"higher": N_("Higher is better"), "lower": N_("Lower is better")}
REPORT_STATUSES = {
    ReportStatus.draft: N_("not submitted"),
    ReportStatus.submitted: N_("submitted, waiting for approval"),
    ReportStatus.approved: N_("approved"),
    ReportStatus.returned: N_("returned for correction"),
}


def report_label(status: ReportStatus | str) -> str:
    """A report's review status in words."""
    return _(REPORT_STATUSES[ReportStatus(status)])


def notice(text: str, kind: str = "info", **kwargs: object) -> html.Div:
    """A message on the page (info, success, warning or error)."""
    return html.Div(text, className=f"notice notice-{kind}", role="status", **kwargs)


def allowed(page: str) -> Principal | None:
    """The user if they may still use ``page`` (a callback can be called directly, or after logging out)."""
    principal = context.user()
    return principal if may_open(page, principal) else None


def session_ended(**kwargs: object) -> html.Div:
    """What a callback answers a user who may no longer do what it does."""
    return notice(_("Your session has ended or does not allow this: log in again."), "error", **kwargs)


def guard(page: str) -> html.Div | None:
    """None when the current user may open ``page``; else what to show instead."""
    principal = context.user()
    if may_open(page, principal):
        return None
    if principal is None:
        return html.Div(
            [
                html.H1(_("Please log in")),
                html.P(_("This page is for members of the alliance.")),
                dcc.Link(_("Log in"), href=href(f"/login?next=/dashboard/{page}"), className="button"),
            ],
            className="page",
        )
    return html.Div(
        [html.H1(_("Not allowed")), html.P(_("Your role does not give access to this page."))], className="page"
    )


def role_label(role: Role) -> str:
    """A role as the dashboard names it."""
    return {Role.admin: _("Backbone staff"), Role.member: _("Member"), Role.viewer: _("Steering group")}[role]
