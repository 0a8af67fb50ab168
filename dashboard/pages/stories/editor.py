"""The stories page's editor: one form and its callbacks for whatever it edits (a narrative, an activity).

An ``Editor`` is told its fields, labels and service calls (``kinds.py``); it lays out the
form (ids ``stories-<kind>-<field>``), loads a stored item into it in the form's language,
and saves or deletes as the logged-in user, saying what went wrong in words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from dash import Input, Output, State, ctx, dcc, html, no_update
from pydantic import ValidationError

from api.errors import BackboneError, Invalid
from dashboard import context, i18n
from dashboard.context import _
from dashboard.data.stories import Choices
from dashboard.parts.components import allowed, notice, session_ended

NEW = "new"  # the choice of a new item
LANGUAGE = "stories-language"  # the form's language, shared by the editors
REFUSED = (BackboneError, ValueError, TypeError)  # ValidationError is a ValueError
SHORT = 60


def label(text: str, control: object, wide: bool = False) -> html.Label:
    """A control with its label before it."""
    return html.Label([text, control], className="wide" if wide else None)


def short(text: str) -> str:
    """A text cut to fit a dropdown."""
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def item_id(chosen: object) -> int:
    """The id of the chosen item, whatever a tampered request sends instead."""
    if isinstance(chosen, int) and not isinstance(chosen, bool) and 0 < chosen < 2**31:
        return chosen
    raise Invalid(_("Choose a story or an activity from the list."), code="invalid_choice")


def problem(exc: Exception) -> str:
    """A refused write in words: what is wrong and where, never a traceback."""
    if isinstance(exc, ValidationError):
        found = [f"{'.'.join(str(p) for p in e['loc']) or _('form')}: {e['msg']}" for e in exc.errors()]
        return _("Nothing was saved: {problems}", problems="; ".join(found))
    if not isinstance(exc, BackboneError):
        return _("Nothing was saved: the form holds a value that cannot be read.")
    fields = [f"{e.field.removeprefix('body.')}: {e.message}" for e in exc.errors if e.field]
    return _("Nothing was saved: {problems}", problems="; ".join(fields) or exc.message)


@dataclass(frozen=True)
class Field:
    """One input of an editor: its name (the id's last part and the key in the form) and how a stored item fills it."""

    name: str
    label: str  # marked with N_, translated when shown
    read: Callable[[Any, str], object]  # the value of a stored item, in the form's language
    wide: bool = False
    text: bool = False  # written in the form's language: emptied when a new item is chosen
    fixed: bool = False  # cannot change once saved: disabled then


@dataclass(frozen=True)
class Editor:
    """A form for one kind of item, with its load, save and delete callbacks (``loading``, ``saving``, ``deleting``)."""

    kind: str
    heading: str  # the texts are marked with N_, translated when shown
    lead: str
    choose: str  # the label of the choice of item
    new: str  # the choice of a new item
    confirm: str  # asked before deleting
    pick: str  # said when delete is pressed without an item
    fields: tuple[Field, ...]
    rows: tuple[tuple[str, ...], ...]  # fields side by side, after the choice; the others below, one each
    controls: Callable[[Callable[[str], str], Choices, str, dict], dict[str, Any]]  # (id, choices, language, query)
    items: Callable[[], Sequence[Any]]  # the user's items
    option: Callable[[Any, str], str]  # an item as the choice names it
    save_item: Callable[[int | None, dict, str], int]  # (id or None for a new one, form, language) -> id
    delete_item: Callable[[int], None]

    def id(self, name: str) -> str:
        """The component id of one of the form's parts."""
        return f"stories-{self.kind}-{name}"

    def options(self, language: str) -> list[dict]:
        """The choice: a new item, then the user's items."""
        return [{"label": _(self.new), "value": NEW}] + [
            {"label": self.option(item, language), "value": item.id} for item in self.items()
        ]

    def form(self, choices: Choices, language: str, query: dict) -> list:
        """The heading, the inputs (filled from the page's query where it names them), save and delete."""
        controls = self.controls(self.id, choices, language, query)
        labelled = {f.name: label(_(f.label), controls[f.name], f.wide) for f in self.fields}
        choice = dcc.Dropdown(id=self.id("choice"), options=self.options(language), value=NEW, clearable=False)
        rows = [
            html.Div(
                ([label(_(self.choose), choice, wide=True)] if n == 0 else []) + [labelled[name] for name in row],
                className="filters",
            )
            for n, row in enumerate(self.rows)
        ]
        alone = [labelled[f.name] for f in self.fields if not any(f.name in row for row in self.rows)]
        actions = html.Div(
            [
                html.Button(_("Save"), id=self.id("save"), className="button", n_clicks=0),
                dcc.ConfirmDialogProvider(
                    html.Button(_("Delete"), className="link-button"), id=self.id("delete"), message=_(self.confirm)
                ),
            ],
            className="entry-actions",
        )
        heading = [html.H2(_(self.heading)), html.P(_(self.lead), className="lead")]
        return [*heading, *rows, *alone, actions, html.Div(id=self.id("result"))]

    def loading(self) -> tuple:
        """The load callback's outputs and inputs: every field's value (and whether a fixed one is disabled)."""
        outputs = []
        for field in self.fields:
            outputs.append(Output(self.id(field.name), "value"))
            if field.fixed:
                outputs.append(Output(self.id(field.name), "disabled"))
        return (*outputs, Input(self.id("choice"), "value"), Input(LANGUAGE, "value"))

    def load(self, chosen: object, language: object) -> tuple:
        """The chosen item in the form, in the form's language; a new one keeps what was chosen but its texts."""
        if allowed("stories") is None or language not in i18n.NAMES:
            return (no_update,) * sum(1 + field.fixed for field in self.fields)
        found = next((item for item in self.items() if item.id == chosen), None)
        emptied = "" if ctx.triggered_id == self.id("choice") else no_update
        values: list = []
        for field in self.fields:
            if found is not None:
                values.append(field.read(found, language))
            else:
                values.append(emptied if field.text else no_update)
            if field.fixed:
                values.append(found is not None)
        return tuple(values)

    def saving(self) -> tuple:
        """The save callback's outputs, input and states (the choice, every field, the form's language)."""
        fields = (State(self.id(f.name), "value") for f in self.fields)
        return (
            *self._outcome(),
            Input(self.id("save"), "n_clicks"),
            State(self.id("choice"), "value"),
            *fields,
            State(LANGUAGE, "value"),
        )

    def save(self, _clicks: int, chosen: object, *values: object) -> tuple:
        """Create (a new item) or change the chosen one, its texts in the form's language."""
        if allowed("stories") is None:
            return session_ended(), no_update, no_update
        *fields, language = values
        form = dict(zip((f.name for f in self.fields), fields, strict=True))
        return self._write(lambda: self.save_item(None if chosen == NEW else item_id(chosen), form, language))

    def deleting(self) -> tuple:
        """The delete callback's outputs (the save callback's too), input and state."""
        return (
            *self._outcome(allow_duplicate=True),
            Input(self.id("delete"), "submit_n_clicks"),
            State(self.id("choice"), "value"),
        )

    def delete(self, _clicks: int, chosen: object) -> tuple:
        """Delete the chosen item (once the dialog is confirmed)."""
        if allowed("stories") is None:
            return session_ended(), no_update, no_update
        if chosen == NEW:
            return notice(_(self.pick), id=self.id("outcome")), no_update, no_update
        return self._write(lambda: self.delete_item(item_id(chosen)))

    def _outcome(self, **duplicate: bool) -> tuple:
        return (
            Output(self.id("result"), "children", **duplicate),
            Output(self.id("choice"), "options", **duplicate),
            Output(self.id("choice"), "value", **duplicate),
        )

    def _write(self, action: Callable[[], int | None]) -> tuple:
        """Save or delete; then the outcome, the refreshed choice and what to choose (the saved item, or a new one)."""
        try:
            made = action()
        except REFUSED as exc:
            return notice(problem(exc), "error", id=self.id("outcome")), no_update, no_update
        done = _("Saved.") if made is not None else _("Deleted.")
        chosen = made if made is not None else NEW
        return notice(done, id=self.id("outcome")), self.options(context.language()), chosen
