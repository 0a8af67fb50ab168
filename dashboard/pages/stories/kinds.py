"""What the stories page edits: narratives (the story behind a curve) and activities, their fields and service calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dash import dcc

from dashboard import context
from dashboard.context import N_, _
from dashboard.data import stories
from dashboard.data.stories import Choices
from dashboard.pages.stories.editor import Editor, Field, short
from dashboard.parts.activities import STATUSES

Ids = Callable[[str], str]


def _text(name: str) -> Callable[[Any, str], str]:
    """A translated text of a stored item, in the form's language ("" when it has none)."""

    def read(item: Any, language: str) -> str:
        """The text in the language."""
        texts = getattr(item, name)
        return (getattr(texts, language) or "") if texts else ""

    return read


def _day(name: str) -> Callable[[Any, str], str]:
    """A date of a stored item as a date input holds it."""
    return lambda item, _language: day.isoformat() if (day := getattr(item, name)) else ""


def _narrative_controls(id: Ids, choices: Choices, language: str, query: dict) -> dict[str, Any]:  # noqa: A002
    areas = [{"label": name, "value": code} for code, name in choices.areas]
    if context.user().is_admin:
        areas.insert(0, {"label": _("The whole alliance"), "value": ""})
    indicators = [{"label": n.get(language), "value": c} for c, n in choices.indicators]
    return {
        "indicator": dcc.Dropdown(id=id("indicator"), options=indicators, value=query.get("indicator")),
        "area": dcc.Dropdown(id=id("area"), options=areas, value=query.get("area")),
        "period": dcc.Input(id=id("period"), type="text", maxLength=16, placeholder=_("e.g. 2024 or 2024/25")),
        "text": dcc.Textarea(id=id("text"), maxLength=2000, className="stories-text"),
    }


NARRATIVES = Editor(
    kind="narrative",
    heading=N_("The story behind a curve"),
    lead=N_("What works, what partners do, what is next: for an indicator you report, in your area."),
    choose=N_("Story"),
    new=N_("A new story"),
    confirm=N_("Delete this story?"),
    pick=N_("Choose a story to delete."),
    fields=(
        Field("indicator", N_("Indicator"), lambda n, _language: n.indicator, wide=True, fixed=True),
        Field("area", N_("Area"), lambda n, _language: n.area or ""),
        Field("period", N_("Period (optional)"), lambda n, _language: n.period or ""),
        Field("text", N_("Text"), _text("text"), wide=True, text=True),
    ),
    rows=(("indicator", "area", "period"),),
    controls=_narrative_controls,
    items=stories.narratives,
    option=lambda n, language: f"{n.indicator} · {n.area or _('the whole alliance')} · {short(n.text.get(language))}",
    save_item=stories.save_narrative,
    delete_item=stories.delete_narrative,
)


def _activity_controls(id: Ids, choices: Choices, language: str, query: dict) -> dict[str, Any]:  # noqa: A002
    statuses = [{"label": _(label), "value": status.value} for status, label in STATUSES.items()]
    goals = [{"label": t.get(language), "value": c} for c, t in choices.goals]
    indicators = [{"label": n.get(language), "value": c} for c, n in choices.all_indicators]
    areas = [{"label": name, "value": code} for code, name in choices.areas]
    return {
        "goal": dcc.Dropdown(id=id("goal"), options=goals, value=query.get("goal")),
        "status": dcc.Dropdown(id=id("status"), options=statuses, value="planned", clearable=False),
        "start": dcc.Input(id=id("start"), type="date"),
        "end": dcc.Input(id=id("end"), type="date"),
        "indicators": dcc.Dropdown(id=id("indicators"), options=indicators, multi=True),
        "areas": dcc.Dropdown(id=id("areas"), options=areas, multi=True),
        "title": dcc.Input(id=id("title"), type="text", maxLength=200),
        "description": dcc.Textarea(id=id("description"), maxLength=2000, className="stories-text"),
    }


ACTIVITIES = Editor(
    kind="activity",
    heading=N_("Activities"),
    lead=N_("What your organisation does towards a goal, with its status."),
    choose=N_("Activity"),
    new=N_("A new activity"),
    confirm=N_("Delete this activity?"),
    pick=N_("Choose an activity to delete."),
    fields=(
        Field("goal", N_("Goal"), lambda a, _language: a.goal, wide=True),
        Field("status", N_("Status"), lambda a, _language: a.status.value),
        Field("start", N_("Start"), _day("start_date")),
        Field("end", N_("End"), _day("end_date")),
        Field("indicators", N_("Indicators it works on"), lambda a, _language: a.indicators, wide=True),
        Field("areas", N_("Areas"), lambda a, _language: a.areas, wide=True),
        Field("title", N_("Title"), _text("title"), wide=True, text=True),
        Field("description", N_("Description"), _text("description"), wide=True, text=True),
    ),
    rows=(("goal", "status", "start", "end"), ("indicators", "areas")),
    controls=_activity_controls,
    items=stories.activities,
    option=lambda a, language: f"{a.goal} · {short(a.title.get(language))}",
    save_item=stories.save_activity,
    delete_item=stories.delete_activity,
)
EDITORS = (NARRATIVES, ACTIVITIES)
