"""Log in: a plain form posted to the server, which sets the session cookie."""

from __future__ import annotations

import dash
from dash import Dash, dcc, html

from dashboard import context
from dashboard.context import _
from dashboard.parts.components import notice
from dashboard.session import PREFIX, csrf_token, local_path


def layout(error: str | None = None, next: str | None = None, **_query: str) -> html.Div:  # noqa: A002
    """The login form, or who is logged in already."""
    principal = context.user()
    messages = {
        "invalid": _("Unknown username or wrong password."),
        "expired": _("The form had expired; please try again."),
        "throttled": _("Too many failed attempts. Please wait a minute before you try again."),
    }
    if principal is not None:
        return html.Div(
            [html.H1(_("Log in")), notice(_("You are logged in as {name}.", name=principal.username))],
            className="page",
        )
    return html.Div(
        [
            html.H1(_("Log in")),
            notice(messages[error], "error", id="login-error") if error in messages else None,
            html.Form(
                [
                    html.Label(
                        [_("Username"), dcc.Input(id="login-username", name="username", autoComplete="username")]
                    ),
                    html.Label(
                        [
                            _("Password"),
                            dcc.Input(
                                id="login-password", name="password", type="password", autoComplete="current-password"
                            ),
                        ]
                    ),
                    dcc.Input(type="hidden", name="csrf", value=csrf_token(context.request())),
                    dcc.Input(type="hidden", name="next", value=local_path(next)),
                    html.Button(_("Log in"), type="submit", id="login-submit", className="button"),
                ],
                method="post",
                action=PREFIX + "auth/login",
                className="login-form",
            ),
        ],
        className="page narrow",
    )


def register(app: Dash) -> None:
    """The page."""
    dash.register_page(__name__, path="/login", title="Backbone · Log in", layout=layout)
