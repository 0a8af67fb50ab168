"""The completeness page's review tools for backbone staff: approve or return a report, lock and unlock a period."""

from __future__ import annotations

from dash import dcc, html

from dashboard.context import _
from dashboard.data import periods


def open_locks() -> list[dict]:
    """The locks not yet ended, as dropdown options."""
    options = []
    for x in periods.open_locks():
        whom = x.organisation or _("everyone")
        when = _("from {moment}", moment=f"{x.lock_after:%Y-%m-%d %H:%M} UTC") if x.lock_after else _("at once")
        options.append({"label": f"#{x.id} · {x.period} · {whom} · {when}", "value": x.id})
    return options


def tools(organisations: list[tuple[str, str]]) -> html.Div:
    """The forms below the table: review the selected row; lock a period; unlock."""
    return html.Div(
        [
            html.H2(_("Review the selected report")),
            html.P(_("Select a row in the table, then approve its report or return it with a comment.")),
            dcc.Textarea(
                id="completeness-comment", placeholder=_("Comment (required to return)"), style={"width": "100%"}
            ),
            html.Div(
                [
                    html.Button(_("Approve"), id="completeness-approve", className="button", n_clicks=0),
                    html.Button(_("Return for correction"), id="completeness-return", className="button", n_clicks=0),
                ],
                className="filters",
            ),
            html.Div(id="completeness-flags", className="completeness-flags"),
            html.Div(id="completeness-review-result"),
            html.H2(_("Lock a period")),
            html.P(
                _(
                    "A locked period cannot be changed through the form, an upload or the API. Without a deadline it "
                    "locks at once; with one, it locks by itself when that day begins (UTC)."
                )
            ),
            html.Div(
                [
                    html.Label(
                        [_("Period"), dcc.Input(id="completeness-lock-period", placeholder="2024, 2024/25, 2024-Q1")]
                    ),
                    html.Label(
                        [
                            _("Organisation"),
                            dcc.Dropdown(
                                id="completeness-lock-organisation",
                                options=[{"label": name, "value": code} for code, name in organisations],
                                placeholder=_("Every organisation"),
                            ),
                        ]
                    ),
                    html.Label([_("Deadline"), dcc.Input(id="completeness-lock-date", type="date")]),
                    html.Button(_("Lock"), id="completeness-lock", className="button", n_clicks=0),
                ],
                className="filters",
            ),
            html.Div(id="completeness-lock-result"),
            html.H2(_("Unlock a period")),
            html.Div(
                [
                    dcc.Dropdown(id="completeness-unlock-id", options=open_locks(), placeholder=_("Choose a lock")),
                    html.Button(_("Unlock"), id="completeness-unlock", className="button", n_clicks=0),
                ],
                className="filters",
            ),
            html.Div(id="completeness-unlock-result"),
        ],
        className="completeness-review",
    )
