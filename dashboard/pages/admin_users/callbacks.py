"""The users page's callbacks: a changed cell saved at once (or put back, saying why), a new invitation link for the
selected user, a new user with their link."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, html, no_update
from pydantic import ValidationError

from api.errors import BackboneError, Invalid
from dashboard import context
from dashboard.context import _
from dashboard.data import users
from dashboard.pages.admin_users.table import EDITABLE, GRID, NOT_POSSIBLE, label, link_box, problem, reason, row_of
from dashboard.parts.components import allowed, session_ended

PAGE = "admin/users"


def _update(column: str, value: Any) -> users.UserUpdate:
    """The change a cell asks for; a cleared name or address is empty, a cleared choice is no choice (refused)."""
    if column in ("display_name", "email"):
        value = value or ""
    elif column not in EDITABLE or value is None or value == "":
        raise Invalid(f"Not a value for {column}", code=NOT_POSSIBLE)
    return users.UserUpdate.model_validate({column: value})


def _saved(user: users.UserAccount, column: str) -> str:
    if column == "active":
        if user.active:
            return _("{user} is switched on again.", user=user.username)
        return _("{user} is switched off: their sessions, tokens and invitation links have ended.", user=user.username)
    return _("Saved: {column} of {user}.", column=label(column), user=user.username)


EDIT = (
    Output(GRID, "rowTransaction"),
    Output("admin-users-status", "children"),
    Output("admin-users-problem", "children"),
    Input(GRID, "cellValueChanged"),
)


def edit(changes: list[dict] | None):
    """Each changed cell saved at once as the admin; a refused change is put back and named (user and column)."""
    if not changes:
        return no_update, no_update, no_update
    if allowed(PAGE) is None:
        return no_update, None, session_ended()
    language = context.language()
    rows: list[dict[str, Any]] = []
    said: list[html.P] = []
    refused: list[html.Div] = []
    for change in changes:
        row = dict(change.get("data") or {})
        username, column = str(row.get("username") or ""), str(change.get("colId") or "")
        try:
            account = users.update_user(username, _update(column, change.get("value")))
        except (BackboneError, ValidationError) as exc:
            if column in row:  # the cell shows what is stored again
                rows.append(row | {column: change.get("oldValue")})
            refused.append(
                problem(
                    _(
                        "{user} · {column}: not changed, {reason}.",
                        user=username,
                        column=label(column),
                        reason=reason(exc, username),
                    ),
                    id="admin-users-refused",
                )
            )
        else:
            rows.append(row_of(account, language))
            said.append(html.P(_saved(account, column)))
    done = html.Div(said, className="notice notice-success", id="admin-users-saved") if said else None
    # Applied at once (not batched), so the cell and the message change together.
    changed = {"update": rows, "async": False} if rows else no_update
    return changed, done, (html.Div(refused) if refused else None)


# Only the newest link is shown: a new one for the user just added ends the link shown with them.
INVITE = (
    Output("admin-users-invite-result", "children"),
    Output("admin-users-invite-problem", "children"),
    Output("admin-users-add-result", "children", allow_duplicate=True),
    Input("admin-users-invite", "n_clicks"),
    State(GRID, "selectedRows"),
)


def invite(_clicks: int, selected: list[dict] | None):
    """A new invitation link for the selected user; their earlier links stop working."""
    if allowed(PAGE) is None:
        return None, session_ended(), no_update
    username = str((selected or [{}])[0].get("username") or "")
    if not username:
        return None, problem(_("Select a user in the table first (click a row, or Space).")), no_update
    try:
        link = users.new_invitation(username)
    except BackboneError as exc:
        refused = problem(_("No new link for {user}: {reason}.", user=username, reason=reason(exc, username)))
        return None, refused, no_update
    return link_box(link, username, "admin-users-invite-link", renewed=True), None, None


ADD = (
    Output(GRID, "rowTransaction", allow_duplicate=True),
    Output("admin-users-add-result", "children"),
    Output("admin-users-add-problem", "children"),
    Output("admin-users-new-username", "value"),
    Output("admin-users-new-name", "value"),
    Output("admin-users-new-email", "value"),
    Output("admin-users-invite-result", "children", allow_duplicate=True),
    Input("admin-users-add", "n_clicks"),
    State("admin-users-new-username", "value"),
    State("admin-users-new-name", "value"),
    State("admin-users-new-email", "value"),
    State("admin-users-new-role", "value"),
    State("admin-users-new-organisation", "value"),
    State("admin-users-new-language", "value"),
)


def add(
    _clicks: int,
    username: str | None,
    name: str | None,
    email: str | None,
    role: str | None,
    organisation: str | None,
    language: str | None,
):
    """A new user, added to the grid, and the invitation link with which they set their password."""
    unchanged = (no_update, no_update, no_update, no_update)
    if allowed(PAGE) is None:
        return no_update, None, session_ended(), *unchanged
    username = (username or "").strip().lower()
    if not username:
        return no_update, None, problem(_("Give the new user a username first.")), *unchanged
    if not organisation:
        return no_update, None, problem(_("Choose the organisation first.")), *unchanged
    try:
        wanted = users.UserCreate(
            username=username,
            display_name=name or "",
            email=(email or "").strip() or None,
            role=role or "member",
            organisation=organisation,
            language=language or "en",
        )
        made = users.create_user(wanted)
    except (BackboneError, ValidationError) as exc:
        return (
            no_update,
            None,
            problem(_("{user} was not added: {reason}.", user=username, reason=reason(exc, username))),
            *unchanged,
        )
    shown = html.Div(
        [
            html.P(_("{user} was added.", user=made.username)),
            link_box(made.invitation, made.username, "admin-users-new-link", renewed=False),
        ]
    )
    added = {"add": [row_of(made, context.language())], "async": False}
    return added, shown, None, "", "", "", None


RELOAD = (Output(GRID, "rowData"), Input("admin-users-loaded", "data"))


def reload(_loads: int) -> list[dict[str, Any]]:
    """After rows of users were pasted or dropped and loaded: every user as stored now."""
    if allowed(PAGE) is None:
        return no_update
    language = context.language()
    return [row_of(user, language) for user in users.users()]
