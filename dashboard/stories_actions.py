"""What the stories page reads and writes: the user's narratives and activities, through the services.

Every write runs in its own write transaction as the logged-in user, exactly as the API's
do: the organisation is the user's, and the services refuse what the user may not change.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from api.errors import BackboneError, Invalid
from api.models.activity import ActivityCreate, ActivityPublic, ActivityUpdate
from api.models.narrative import NarrativeCreate, NarrativePublic, NarrativeUpdate
from api.services.accounts.auth import Principal
from api.services.stories import activities as activity_service
from api.services.stories import narratives as narrative_service
from api.services.stories import ownership
from dashboard import context
from dashboard.context import _

NEW = "new"
SHORT = 60


def choices(principal: Principal) -> ownership.Choices:
    with context.backbone().db.session() as session:
        return ownership.choices(session=session, actor=principal)


def narratives(principal: Principal) -> list[NarrativePublic]:
    """The user's organisation's narratives (staff: everyone's)."""
    with context.backbone().db.session() as session:
        mine = None if principal.is_admin else principal.organisation_id
        return narrative_service.narratives_of(session=session, organisation_id=mine)


def activities(principal: Principal) -> list[ActivityPublic]:
    """The user's organisation's activities (staff: everyone's)."""
    with context.backbone().db.session() as session:
        mine = None if principal.is_admin else principal.organisation
        return activity_service.list_activities(
            session=session, limit=1000, offset=0, public=False, organisation=mine
        ).items


def _short(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def narrative_options(principal: Principal, language: str) -> list[dict]:
    new = [{"label": _("A new story"), "value": NEW}]
    found = narratives(principal)
    return new + [
        {
            "label": f"{n.indicator} · {n.area or _('the whole alliance')} · {_short(n.text.get(language))}",
            "value": n.id,
        }
        for n in found
    ]


def activity_options(principal: Principal, language: str) -> list[dict]:
    new = [{"label": _("A new activity"), "value": NEW}]
    return new + [
        {"label": f"{a.goal} · {_short(a.title.get(language))}", "value": a.id} for a in activities(principal)
    ]


def find(items: list, chosen: object) -> Any:
    return next((item for item in items if item.id == chosen), None)


def problem(exc: Exception) -> str:
    """A refused write in words: what is wrong and where, never a traceback."""
    if isinstance(exc, ValidationError):
        found = [f"{'.'.join(str(p) for p in e['loc']) or _('form')}: {e['msg']}" for e in exc.errors()]
        return _("Nothing was saved: {problems}", problems="; ".join(found))
    if not isinstance(exc, BackboneError):
        return _("Nothing was saved: the form holds a value that cannot be read.")
    fields = [f"{e.field.removeprefix('body.')}: {e.message}" for e in exc.errors if e.field]
    return _("Nothing was saved: {problems}", problems="; ".join(fields) or exc.message)


def _id(chosen: object) -> int:
    """The id of the chosen item, whatever a tampered request sends instead."""
    if isinstance(chosen, int) and not isinstance(chosen, bool) and 0 < chosen < 2**31:
        return chosen
    raise Invalid(_("Choose a story or an activity from the list."), code="invalid_choice")


def _texts(current: Any, language: str, text: str | None) -> dict[str, str | None]:
    """The translations kept, the one in ``language`` replaced (or dropped when emptied)."""
    texts = current.model_dump() if current is not None else {}
    texts[language] = (text or "").strip() or None
    return texts


def save_narrative(principal: Principal, chosen: object, form: dict, language: str) -> int:
    """Create (``chosen`` is NEW) or change a narrative; the text goes in the chosen language."""
    with context.backbone().db.transaction(write=True) as session:
        if chosen == NEW:
            data = NarrativeCreate(
                indicator=form.get("indicator") or "",
                area=form.get("area") or None,
                period=form.get("period") or None,
                text=_texts(None, language, form.get("text")),
            )
            return narrative_service.create_narrative(session=session, actor=principal, data=data).id
        current = narrative_service.get_narrative(session=session, narrative_id=_id(chosen))
        data = NarrativeUpdate(
            area=form.get("area") or None,
            period=form.get("period") or None,
            text=_texts(current.text, language, form.get("text")),
        )
        return narrative_service.update_narrative(
            session=session, actor=principal, narrative_id=current.id, data=data
        ).id


def delete_narrative(principal: Principal, chosen: object) -> None:
    with context.backbone().db.transaction(write=True) as session:
        narrative_service.delete_narrative(session=session, actor=principal, narrative_id=_id(chosen))


def _day(text: object) -> date | None:
    return date.fromisoformat(text) if isinstance(text, str) and text else None


def save_activity(principal: Principal, chosen: object, form: dict, language: str) -> int:
    """Create (``chosen`` is NEW) or change an activity; title and description go in the chosen language."""
    with context.backbone().db.transaction(write=True) as session:
        current = (
            None
            if chosen == NEW
            else activity_service.get_activity(session=session, activity_id=_id(chosen), public=False)
        )
        description = _texts(current.description if current else None, language, form.get("description"))
        fields = {
            "goal": form.get("goal") or "",
            "title": _texts(current.title if current else None, language, form.get("title")),
            "description": description if any(description.values()) else None,
            "status": form.get("status") or "planned",
            "start_date": _day(form.get("start_date")),
            "end_date": _day(form.get("end_date")),
            "indicators": [c for c in form.get("indicators") or [] if isinstance(c, str)],
            "areas": [c for c in form.get("areas") or [] if isinstance(c, str)],
        }
        if current is None:
            made = activity_service.create_activity(session=session, actor=principal, data=ActivityCreate(**fields))
            return made.id
        data = ActivityUpdate(**fields)
        return activity_service.update_activity(session=session, actor=principal, activity_id=current.id, data=data).id


def delete_activity(principal: Principal, chosen: object) -> None:
    with context.backbone().db.transaction(write=True) as session:
        activity_service.delete_activity(session=session, actor=principal, activity_id=_id(chosen))
