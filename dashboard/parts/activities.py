"""The activities of a goal or an indicator as the goal and indicator pages show them: grouped by status."""

from __future__ import annotations

from dash import html

from api.models.activity import ActivityPublic, ActivityStatus
from dashboard import context, i18n
from dashboard.context import N_, _
from dashboard.parts.components import link, may_open

STATUSES = {
    ActivityStatus.active: N_("Active"),
    ActivityStatus.planned: N_("Planned"),
    ActivityStatus.completed: N_("Completed"),
    ActivityStatus.stopped: N_("Stopped"),
}


def dates(activity: ActivityPublic, language: str) -> str:
    """When an activity runs, in words."""
    start, end = activity.start_date, activity.end_date
    if start and end:
        return f"{i18n.day(start, language)} – {i18n.day(end, language)}"
    if start:
        return _("since {day}", day=i18n.day(start, language))
    if end:
        return _("until {day}", day=i18n.day(end, language))
    return ""


def _item(activity: ActivityPublic, language: str) -> html.Li:
    facts = [x for x in (activity.organisation_name, dates(activity, language)) if x]
    parts = [html.Strong(activity.title.get(language)), html.Span(" · ".join(facts), className="muted")]
    if activity.description:
        parts.append(html.P(activity.description.get(language), className="activity-description"))
    return html.Li(parts, className="activity", **{"data-status": activity.status.value})


def by_status(found: list[ActivityPublic], language: str, page: str, heading: type = html.H3) -> list:
    """Active first, then planned, completed and stopped; each with who, what and when."""
    if not found:
        return [html.P(_("No activities have been registered yet."), className="empty", id=f"{page}-no-activities")]
    groups = []
    for status, label in STATUSES.items():
        mine = [a for a in found if a.status is status]
        if mine:
            groups.append(
                html.Div(
                    [heading(f"{_(label)} ({len(mine)})"), html.Ul([_item(a, language) for a in mine])],
                    className=f"activity-group activity-{status.value}",
                )
            )
    return groups


def edit_link(page: str, **query: str) -> list:
    """A link to the stories page for members and staff, who tell the stories and register the activities."""
    if not may_open("stories", context.user()):
        return []
    search = "&".join(f"{k}={v}" for k, v in query.items())
    return [
        html.P(
            link(_("Tell a story or register an activity"), f"/stories?{search}", className="button"),
            id=f"{page}-edit-stories",
        )
    ]
