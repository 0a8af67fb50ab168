"""The logged-in user's account: who they are, and their API tokens, each revocable; a named token for scripts."""

from __future__ import annotations

import dash
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from api.models.user import TokenCreate, TokenPublic
from dashboard import context, i18n
from dashboard.context import _
from dashboard.data import accounts
from dashboard.data.sessions import API_LOGIN, DASHBOARD_LOGIN
from dashboard.parts.components import allowed, guard, notice, role_label

DAYS = (30, 90, 365)


def _label(token: TokenPublic) -> str:
    """Tokens made by logging in are named by the server; say in words where they come from."""
    return {DASHBOARD_LOGIN: _("Logged in on the dashboard"), API_LOGIN: _("Logged in through the API")}.get(
        token.name, token.name
    )


def token_table(found: list[TokenPublic]) -> html.Div:
    """The usable tokens, newest first; the current session is marked instead of offered for revoking."""
    if not found:
        return notice(_("You have no usable tokens."), id="account-no-tokens")
    language = context.language()
    rows = [
        html.Tr(
            [
                html.Td(_label(token)),
                html.Td(i18n.when(token.created_at, language)),
                html.Td(i18n.when(token.expires_at, language)),
                html.Td(
                    html.Em(_("this session"))
                    if token.current
                    else html.Button(
                        _("Revoke"),
                        id={"type": "account-revoke", "index": token.id},
                        className="link-button",
                        n_clicks=0,
                    )
                ),
            ],
            id=f"account-token-{token.id}",
        )
        for token in found
    ]
    head = html.Tr([html.Th(_("Name")), html.Th(_("Created")), html.Th(_("Expires")), html.Th("")])
    return html.Table([html.Thead(head), html.Tbody(rows)], className="totals account-tokens")


def layout(**_query: str) -> html.Div:
    """Who the user is, their tokens, and the form for a new one."""
    if (blocked := guard("account")) is not None:
        return blocked
    principal = context.user()
    return html.Div(
        [
            html.H1(_("Your account")),
            html.P(
                f"{principal.full_name or principal.username} ({principal.username}) · "
                f"{principal.organisation} · {role_label(principal.role)}",
                className="lead",
                id="account-who",
            ),
            html.H2(_("API tokens")),
            html.P(
                _(
                    "A token lets a script or another system use the API in your name. Every login makes one. "
                    "A token stops working when it expires or when you revoke it here."
                )
            ),
            html.Div(token_table(accounts.tokens()), id="account-tokens"),
            html.Div(id="account-result", role="status"),
            html.H2(_("New token for a script")),
            html.Div(
                [
                    html.Label([_("Name"), dcc.Input(id="account-token-name", maxLength=100, type="text")]),
                    html.Label(
                        [
                            _("Valid for"),
                            dcc.Dropdown(
                                id="account-token-days",
                                options=[{"label": _("{days} days", days=d), "value": d} for d in DAYS],
                                value=90,
                                clearable=False,
                            ),
                        ]
                    ),
                    html.Button(_("Create token"), id="account-create", className="button", n_clicks=0),
                ],
                className="filters",
            ),
            html.Div(id="account-created"),
        ],
        className="page account-page",
    )


def _refused() -> html.Div:
    return notice(_("Your session has ended: log in again."), "error", id="account-outcome")


REVOKE = (
    Output("account-tokens", "children"),
    Output("account-result", "children"),
    Input({"type": "account-revoke", "index": ALL}, "n_clicks"),
)


def revoke(_clicks: list[int | None]):
    """Revoke the token whose button was pressed; it stops working at once."""
    if not ctx.triggered or not ctx.triggered[0].get("value"):
        return no_update, no_update  # buttons appearing in a new table are not presses
    principal = allowed("account")
    if principal is None:
        return no_update, _refused()
    accounts.revoke_token(int(ctx.triggered_id["index"]))
    outcome = notice(_("The token was revoked."), id="account-outcome")
    return token_table(accounts.tokens()), outcome


CREATE = (
    Output("account-tokens", "children", allow_duplicate=True),
    Output("account-created", "children"),
    Output("account-token-name", "value"),
    Input("account-create", "n_clicks"),
    State("account-token-name", "value"),
    State("account-token-days", "value"),
)


def create(_clicks: int, name: str | None, days: int | None):
    """Make a named token and show it once."""
    principal = allowed("account")
    if principal is None:
        return no_update, _refused(), no_update
    if not (name or "").strip():
        return no_update, notice(_("Give the token a name first."), "error", id="account-outcome"), no_update
    wanted = TokenCreate(name=name.strip()[:100], days=days if days in DAYS else 90)
    made = accounts.create_token(wanted)
    shown = html.Div(
        [
            html.P(_("Copy the token now: it is not shown again.")),
            html.Pre(made.access_token, id="account-new-token", className="token"),
        ],
        className="notice notice-info",
        role="status",
    )
    return token_table(accounts.tokens()), shown, ""


def register(app: Dash) -> None:
    """The page and its callbacks."""
    dash.register_page(__name__, path="/account", title="Backbone · Account", layout=layout)
    app.callback(*REVOKE, prevent_initial_call=True)(revoke)
    app.callback(*CREATE, prevent_initial_call=True)(create)
