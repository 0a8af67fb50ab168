"""The users page's parts: the grid's columns and rows, an invitation link to copy, a refusal in words."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
from dash import dcc, html
from pydantic import ValidationError

from api.errors import BackboneError
from api.models.common import Role
from dashboard import context, i18n
from dashboard.context import N_, _
from dashboard.data.users import InvitationLink, UserAccount
from dashboard.parts import grid
from dashboard.parts.components import role_label

GRID = "admin-users-grid"
# The grid's columns (a user's fields, as UserAccount and UserUpdate name them), in order.
LABELS = {
    "username": N_("Username"),
    "display_name": N_("Display name"),
    "email": N_("E-mail address"),
    "role": N_("Role"),
    "organisation": N_("Organisation"),
    "language": N_("Language"),
    "active": N_("Active (can log in)"),
    "last_login": N_("Last login"),
    "created": N_("Created"),
}
EDITABLE = ("display_name", "email", "role", "organisation", "language", "active")
ROLES = [r.value for r in Role]
NOT_POSSIBLE = "not_possible"  # a value no field of a user takes (a cleared choice, a column that is not theirs)


def label(column: str) -> str:
    """A column's name in the reader's language."""
    return _(LABELS[column]) if column in LABELS else column


def role_names() -> dict[str, str]:
    return {r.value: role_label(r) for r in Role}


def row_of(user: UserAccount, language: str) -> dict[str, Any]:
    """A user as a row: stored values to edit and sort by, and ``<field>_text`` for what a cell shows or filters on."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email or "",
        "role": user.role.value,
        "role_text": role_label(user.role),
        "organisation": user.organisation,
        "language": user.language,
        "active": user.active,
        "active_text": _("yes") if user.active else _("no"),
        "last_login": user.last_login.isoformat() if user.last_login else "",
        "last_login_text": i18n.when(user.last_login, language) if user.last_login else _("never"),
        "created": user.created.isoformat(),
        "created_text": i18n.when(user.created, language),
    }


FILTER = {
    "filter": "agTextColumnFilter",
    "floatingFilter": True,  # a box under the heading: rows whose cell contains what is typed
    "suppressFloatingFilterButton": True,
    "suppressHeaderFilterButton": True,
}


def _column(field: str, width: int, **options: Any) -> dict[str, Any]:
    editable = {"editable": True} if field in EDITABLE else {"cellClass": "readonly"}
    return grid.text_column(field, label(field), width=width, cellDataType=False, **editable, **options)


def _choice(field: str, values: list[str], names: dict[str, str], width: int) -> dict[str, Any]:
    """A column whose value is chosen from a list; cells, list and filter show the names (``refData``)."""
    return _column(
        field,
        width,
        cellEditor="agSelectCellEditor",
        cellEditorParams={"values": values},
        refData=names,
        filterValueGetter=grid.shown(field),
        **FILTER,
    )


def columns(organisations: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The grid's columns: the username fixed, the rest typed or chosen; the dates as the locale writes them."""
    codes = [code for code, _name in organisations]
    return [
        _column("username", 130, **FILTER),
        _column("display_name", 130, **FILTER),
        _column("email", 160, **FILTER),
        _choice("role", ROLES, role_names(), 130),
        _column("organisation", 130, cellEditor="agSelectCellEditor", cellEditorParams={"values": codes}, **FILTER),
        _choice("language", list(i18n.LANGUAGES), dict(i18n.NAMES), 100),
        grid.text_column(
            "active",
            label("active"),
            width=80,
            cellDataType="boolean",
            editable=True,
            filterValueGetter=grid.shown("active"),
            # A text box (yes, no) rather than the boolean type's own filter, which needs the hidden menu.
            filterParams={"filterOptions": ["contains"], "maxNumConditions": 1},
            **FILTER,
        ),
        _column("last_login", 130, valueFormatter=grid.shown("last_login")),
        _column("created", 130, valueFormatter=grid.shown("created")),
    ]


def users_grid(users: list[UserAccount], organisations: list[tuple[str, str]]) -> dag.AgGrid:
    """Every user; a cell is changed by typing (or Enter or F2), a row chosen by click or Space."""
    language = context.language()
    return grid.grid(
        GRID,
        columns(organisations),
        [row_of(u, language) for u in users],
        row_id="username",
        page_size=50,
        options={
            "rowSelection": {"mode": "singleRow", "checkboxes": True, "enableClickSelection": True},
            "stopEditingWhenCellsLoseFocus": True,
            "singleClickEdit": False,
        },
        selectedRows=[],
    )


def link_box(link: InvitationLink, username: str, id: str, *, renewed: bool) -> html.Div:  # noqa: A002  (Dash's)
    """An invitation link to copy (a read-only field), until when it works, and where it was mailed."""
    until = _("It works once, until {moment}.", moment=i18n.when(link.expires_at, context.language()))
    if renewed:
        until += " " + _("Earlier links for {user} no longer work.", user=username)
    parts: list[Any] = [
        html.Label(
            [
                _("Invitation link for {user}", user=username),
                dcc.Input(id=id, type="text", value=link.url, readOnly=True, className="link-box"),
            ]
        ),
        html.P(until),
    ]
    if link.mailed_to:
        parts.append(html.P(_("Mailed to {address}.", address=link.mailed_to), id=f"{id}-mailed"))
    else:
        parts.append(html.P(_("Not mailed: copy the link and hand it to {user}.", user=username)))
    return html.Div(parts, className="notice notice-success link-notice")


def problem(text: str, **kwargs: object) -> html.Div:
    """A refusal, shown in a region that is announced at once (``role="alert"``)."""
    return html.Div(text, className="notice notice-error", **kwargs)


def reason(exc: Exception, username: str) -> str:
    """Why a change or a new user was refused, in the reader's language where the reason is known."""
    if isinstance(exc, ValidationError):
        fields = {str(e["loc"][0]) for e in exc.errors() if e.get("loc")}
        if fields & {"email"}:
            return _("that is not an e-mail address")
        if fields & {"username"}:
            return _("a username is lower-case letters, digits and . _ @ - (starting with a letter or digit)")
        return _("that value is not possible here")
    if isinstance(exc, BackboneError):
        known = {
            "last_admin": _("{user} is the last active admin: make another user admin first", user=username),
            "unknown_organisation": _("there is no organisation with that code"),
            "not_found": _("there is no user {user}", user=username),
            "user_exists": _("a user {user} already exists", user=username),
            "user_inactive": _("{user} is switched off: switch them on first", user=username),
            NOT_POSSIBLE: _("that value is not possible here"),
        }
        return known.get(exc.code, exc.message)
    raise exc
