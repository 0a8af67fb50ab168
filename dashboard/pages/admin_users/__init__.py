"""The staff's users page: every user in a grid whose cells are saved as they are changed; a new invitation link
for a user; a new user with the link with which they set their own password."""

from __future__ import annotations

import dash
from dash import Dash, dcc, html

from api.models.common import Role
from dashboard import context, i18n
from dashboard.context import N_, _
from dashboard.data import users
from dashboard.pages.admin_users import callbacks
from dashboard.pages.admin_users.table import users_grid
from dashboard.parts import setup
from dashboard.parts.components import guard, link, role_label

# Many users at once: rows of users.csv pasted or dropped, each new one with an invitation link.
USERS = setup.Kind(
    page="users",
    file="users.csv",
    title=N_("Users"),
    intro=N_("Who may log in, in which role and for which organisation."),
    key=("username",),
)


def _add_form(organisations: list[tuple[str, str]]) -> list:
    """The fields of a new user: each with its label; role, organisation and language chosen from lists."""
    return [
        html.H2(_("Add a user")),
        html.P(
            _(
                "Nobody chooses a password for a new user: they get a link with which they set their own. "
                "It is mailed to them when they have an address and mail is set up; else hand it to them."
            )
        ),
        html.Div(
            [
                html.Label([_("Username"), dcc.Input(id="admin-users-new-username", type="text", maxLength=80)]),
                html.Label([_("Display name"), dcc.Input(id="admin-users-new-name", type="text", maxLength=200)]),
                html.Label(
                    [_("E-mail address (optional)"), dcc.Input(id="admin-users-new-email", type="email", maxLength=254)]
                ),
                html.Label(
                    [
                        _("Role"),
                        dcc.Dropdown(
                            id="admin-users-new-role",
                            options=[{"label": role_label(r), "value": r.value} for r in Role],
                            value=Role.member.value,
                            clearable=False,
                        ),
                    ]
                ),
                html.Label(
                    [
                        _("Organisation"),
                        dcc.Dropdown(
                            id="admin-users-new-organisation",
                            options=[{"label": f"{name} ({code})", "value": code} for code, name in organisations],
                            placeholder=_("Choose an organisation"),
                        ),
                    ]
                ),
                html.Label(
                    [
                        _("Language of the invitation"),
                        dcc.Dropdown(
                            id="admin-users-new-language",
                            options=[{"label": i18n.NAMES[code], "value": code} for code in i18n.LANGUAGES],
                            value=context.language(),
                            clearable=False,
                        ),
                    ]
                ),
            ],
            className="filters",
        ),
        html.Button(_("Add the user"), id="admin-users-add", className="button", n_clicks=0),
        html.Div(id="admin-users-add-result", role="status"),
        html.Div(id="admin-users-add-problem", role="alert"),
    ]


def layout(**_query: str) -> html.Div:
    """The users to change, a new link for one of them, and the form for a new one."""
    if (blocked := guard(callbacks.PAGE)) is not None:
        return blocked
    organisations = users.organisations()
    return html.Div(
        [
            link(_("Administration"), "/admin", className="back-link"),
            html.H1(_("Users")),
            html.P(_("Who may log in, in which role and for which organisation."), className="lead"),
            html.P(
                _(
                    "Change a cell by typing into it (or Enter or F2), then Enter: each change is saved at once. "
                    "To switch a user off, clear their box under Active (Space): their sessions, tokens and "
                    "invitation links end at once."
                ),
                className="muted",
            ),
            users_grid(users.users(), organisations),
            html.Div(id="admin-users-status", role="status"),
            html.Div(id="admin-users-problem", role="alert"),
            html.H2(_("A new invitation link")),
            html.P(
                _(
                    "For a user who forgot their password or whose link has expired: select their row (click it, "
                    "or Space), then ask for a new link. Their earlier links stop working."
                )
            ),
            html.Button(
                _("New invitation link for the selected user"),
                id="admin-users-invite",
                className="button secondary",
                n_clicks=0,
            ),
            html.Div(id="admin-users-invite-result", role="status"),
            html.Div(id="admin-users-invite-problem", role="alert"),
            *_add_form(organisations),
            *setup.paste_section(USERS),
        ],
        className="page admin-page",
    )


def register(app: Dash) -> None:
    """The page and its callbacks."""
    dash.register_page(__name__, path="/admin/users", title="Backbone · Users", layout=layout)
    app.callback(*callbacks.EDIT, prevent_initial_call=True)(callbacks.edit)
    app.callback(*callbacks.INVITE, prevent_initial_call=True)(callbacks.invite)
    app.callback(*callbacks.ADD, prevent_initial_call=True)(callbacks.add)
    app.callback(*callbacks.RELOAD, prevent_initial_call=True)(callbacks.reload)
    setup.register_paste(app, USERS)
