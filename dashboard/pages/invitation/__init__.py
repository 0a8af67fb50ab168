"""An invitation link: the person it is for chooses their password (a plain form, like logging in)."""

from __future__ import annotations

import dash
from dash import Dash, dcc, html

from dashboard import context
from dashboard.context import _
from dashboard.data import sessions
from dashboard.parts.components import notice
from dashboard.session import PREFIX, csrf_token


def layout(token: str = "", error: str | None = None, **_query: str) -> html.Div:
    """Whom the link is for and the password form, or why the link does not work."""
    found = sessions.invitation_for(context.request(), token)
    if found is None:
        return html.Div(
            [
                html.H1(_("Invitation")),
                notice(
                    _("This invitation link is unknown, used or expired: ask the backbone staff for a new one."),
                    "error",
                    id="invitation-gone",
                ),
            ],
            className="page narrow",
        )
    messages = {
        "weak": _(
            "This password is not acceptable: use 12 or more characters, not a common password and not your username."
        ),
        "mismatch": _("The two passwords differ."),
        "expired": _("The form had expired; please try again."),
    }
    return html.Div(
        [
            html.H1(_("Welcome, {name}", name=found.display_name or found.username)),
            html.P(
                _(
                    "Choose a password for the user {username} of {organisation}.",
                    username=found.username,
                    organisation=found.organisation,
                ),
                id="invitation-whom",
            ),
            notice(messages[error], "error", id="invitation-error") if error in messages else None,
            html.Form(
                [
                    html.Label(
                        [
                            _("Password (12 or more characters)"),
                            dcc.Input(
                                id="invitation-password",
                                name="password",
                                type="password",
                                autoComplete="new-password",
                                required=True,
                            ),
                        ]
                    ),
                    html.Label(
                        [
                            _("The same password again"),
                            dcc.Input(
                                id="invitation-repeat",
                                name="repeat",
                                type="password",
                                autoComplete="new-password",
                                required=True,
                            ),
                        ]
                    ),
                    dcc.Input(type="hidden", name="csrf", value=csrf_token(context.request())),
                    dcc.Input(type="hidden", name="token", value=token),
                    html.Button(
                        _("Set password and log in"), type="submit", id="invitation-submit", className="button"
                    ),
                ],
                method="post",
                action=PREFIX + "auth/invitation",
                className="login-form",
            ),
        ],
        className="page narrow",
    )


def register(app: Dash) -> None:
    """The page."""
    dash.register_page(__name__, path_template="/invitation/<token>", title="Backbone · Invitation", layout=layout)
