"""Stories behind the curves and the activities register: read, and written as the user in one transaction each.

The organisation is always the user's; the services refuse what the user may not change.
A text is written in one language at a time: its other translations are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from api.errors import NotFound
from api.models.activity import ActivityCreate, ActivityPublic, ActivityUpdate
from api.models.narrative import NarrativeCreate, NarrativePublic, NarrativeUpdate
from api.services.stories import activities as activity_service
from api.services.stories import narratives as narrative_service
from api.services.stories import ownership
from api.services.stories.ownership import Choices
from dashboard import context

__all__ = [
    "Choices",
    "activities",
    "activities_of",
    "choices",
    "delete_activity",
    "delete_narrative",
    "narratives",
    "save_activity",
    "save_narrative",
]
MOST = 200  # a register longer than this is for the API, not a page


def choices() -> Choices:
    """What the user's forms offer: their organisation, its indicators and areas, the goals."""
    with context.backbone().db.session() as session:
        return ownership.choices(session=session, actor=context.user())


def narratives() -> list[NarrativePublic]:
    """The user's organisation's narratives (staff: everyone's)."""
    principal = context.user()
    with context.backbone().db.session() as session:
        mine = None if principal.is_admin else principal.organisation_id
        return narrative_service.narratives_of(session=session, organisation_id=mine)


def activities() -> list[ActivityPublic]:
    """The user's organisation's activities (staff: everyone's)."""
    principal = context.user()
    with context.backbone().db.session() as session:
        mine = None if principal.is_admin else principal.organisation
        return activity_service.list_activities(
            session=session, limit=1000, offset=0, public=False, organisation=mine
        ).items


def activities_of(*, goal: str | None = None, indicator: str | None = None) -> list[ActivityPublic]:
    """The activities of a goal or of an indicator, as the current user may see them."""
    with context.backbone().db.session() as session:
        try:
            found = activity_service.list_activities(
                session=session, limit=MOST, offset=0, public=context.user() is None, goal=goal, indicator=indicator
            )
        except NotFound:  # an unpublished indicator, for the public
            return []
    return found.items


def _texts(current: Any, language: str, text: str | None) -> dict[str, str | None]:
    """The translations kept, the one in ``language`` replaced (or dropped when emptied)."""
    texts = current.model_dump() if current is not None else {}
    texts[language] = (text or "").strip() or None
    return texts


def save_narrative(narrative_id: int | None, form: Mapping[str, Any], language: str) -> int:
    """Create (no id) or change a narrative; the text goes in ``language``."""
    principal = context.user()
    with context.backbone().db.transaction(write=True) as session:
        if narrative_id is None:
            data = NarrativeCreate(
                indicator=form.get("indicator") or "",
                area=form.get("area") or None,
                period=form.get("period") or None,
                text=_texts(None, language, form.get("text")),
            )
            return narrative_service.create_narrative(session=session, actor=principal, data=data).id
        current = narrative_service.get_narrative(session=session, narrative_id=narrative_id)
        data = NarrativeUpdate(
            area=form.get("area") or None,
            period=form.get("period") or None,
            text=_texts(current.text, language, form.get("text")),
        )
        return narrative_service.update_narrative(
            session=session, actor=principal, narrative_id=current.id, data=data
        ).id


def delete_narrative(narrative_id: int) -> None:
    """Delete one of the user's narratives."""
    with context.backbone().db.transaction(write=True) as session:
        narrative_service.delete_narrative(session=session, actor=context.user(), narrative_id=narrative_id)


def _day(text: object) -> date | None:
    return date.fromisoformat(text) if isinstance(text, str) and text else None


def save_activity(activity_id: int | None, form: Mapping[str, Any], language: str) -> int:
    """Create (no id) or change an activity; title and description go in ``language``."""
    principal = context.user()
    with context.backbone().db.transaction(write=True) as session:
        current = (
            None
            if activity_id is None
            else activity_service.get_activity(session=session, activity_id=activity_id, public=False)
        )
        description = _texts(current.description if current else None, language, form.get("description"))
        fields = {
            "goal": form.get("goal") or "",
            "title": _texts(current.title if current else None, language, form.get("title")),
            "description": description if any(description.values()) else None,
            "status": form.get("status") or "planned",
            "start_date": _day(form.get("start")),
            "end_date": _day(form.get("end")),
            "indicators": [c for c in form.get("indicators") or [] if isinstance(c, str)],
            "areas": [c for c in form.get("areas") or [] if isinstance(c, str)],
        }
        if current is None:
            made = activity_service.create_activity(session=session, actor=principal, data=ActivityCreate(**fields))
            return made.id
        data = ActivityUpdate(**fields)
        return activity_service.update_activity(session=session, actor=principal, activity_id=current.id, data=data).id


def delete_activity(activity_id: int) -> None:
    """Delete one of the user's activities."""
    with context.backbone().db.transaction(write=True) as session:
        activity_service.delete_activity(session=session, actor=context.user(), activity_id=activity_id)
