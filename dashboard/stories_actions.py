"""What the stories page reads and writes: the user's narratives and activities, through the services.

Every write runs in its own write transaction as the logged-in user, exactly as the API's
do: the organisation is the user's, and the services refuse what the user may not change.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from api.errors import BackboneError, Invalid
from api.models.activity import ActivityPublic
from api.models.narrative import NarrativePublic
from dashboard.context import _
from dashboard.data import stories
from dashboard.data.sessions import Principal

NEW = "new"
SHORT = 60


def choices(principal: Principal) -> stories.Choices:
    return stories.choices()


def narratives(principal: Principal) -> list[NarrativePublic]:
    """The user's organisation's narratives (staff: everyone's)."""
    return stories.narratives()


def activities(principal: Principal) -> list[ActivityPublic]:
    """The user's organisation's activities (staff: everyone's)."""
    return stories.activities()


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


def _chosen(chosen: object) -> int | None:
    return None if chosen == NEW else _id(chosen)


def save_narrative(principal: Principal, chosen: object, form: dict, language: str) -> int:
    """Create (``chosen`` is NEW) or change a narrative; the text goes in the chosen language."""
    return stories.save_narrative(_chosen(chosen), form, language)


def delete_narrative(principal: Principal, chosen: object) -> None:
    stories.delete_narrative(_id(chosen))


def save_activity(principal: Principal, chosen: object, form: dict, language: str) -> int:
    """Create (``chosen`` is NEW) or change an activity; title and description go in the chosen language."""
    return stories.save_activity(_chosen(chosen), form, language)


def delete_activity(principal: Principal, chosen: object) -> None:
    stories.delete_activity(_id(chosen))
