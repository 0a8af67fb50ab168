"""Data quality: the values the rules flagged, filtered; one flag with its series, confirmed with a comment.

Members see their own organisation's flags, staff and the steering group all (the service decides);
staff and the reporting member confirm a flagged value that is right.
"""

from __future__ import annotations

import dash
from dash import Dash, dcc, html

from api.models.common import Role
from dashboard.context import _
from dashboard.data import quality
from dashboard.pages.quality import callbacks, table
from dashboard.parts.components import HIDDEN, guard


def _options(values: set[str]) -> list[dict[str, str]]:
    return [{"label": v, "value": v} for v in sorted(values)]


def layout(**_query: str) -> html.Div:
    """The filters, the flags, and the chosen flag with its series and the confirmation."""
    if (blocked := guard("quality")) is not None:
        return blocked
    principal = callbacks.allowed("quality")
    staff = principal is not None and principal.role is not Role.member
    every = quality.flags().items  # what the filters offer: the indicators, areas and organisations flagged
    statuses = [{"label": table.status_label(s), "value": s} for s in table.STATUSES]
    return html.Div(
        [
            html.H1(_("Data quality")),
            html.P(
                _(
                    "Values the quality rules found unusual: far from their history or from other areas, a jump "
                    "in a denominator, a copied column, groups that do not add up. Check each one: confirm a value "
                    "that is right with a comment, or correct it (a corrected value closes its flag)."
                ),
                className="lead",
            ),
            html.Div(
                [
                    html.Label(
                        [
                            _("Status"),
                            dcc.Dropdown(
                                id="quality-status",
                                options=[{"label": _("Every status"), "value": "all"}, *statuses],
                                value="open",
                                clearable=False,
                            ),
                        ]
                    ),
                    html.Label(
                        [
                            _("Indicator"),
                            dcc.Dropdown(
                                id="quality-indicator",
                                options=_options({f.indicator for f in every}),
                                placeholder=_("Every indicator"),
                            ),
                        ]
                    ),
                    html.Label(
                        [
                            _("Area"),
                            dcc.Dropdown(
                                id="quality-area",
                                options=_options({f.area for f in every}),
                                placeholder=_("Every area"),
                            ),
                        ]
                    ),
                    html.Label(
                        [
                            _("Organisation"),
                            dcc.Dropdown(
                                id="quality-organisation",
                                options=_options({f.organisation for f in every if f.organisation}),
                                placeholder=_("Every organisation"),
                            ),
                        ],
                        style=None if staff else HIDDEN,
                    ),
                ],
                className="filters",
            ),
            html.P(id="quality-count", className="muted", role="status"),
            table.flags_table([]),
            dcc.Store(id="quality-refresh", data=0),
            html.Div(id="quality-detail"),
            html.Div(
                [
                    html.H2(_("Confirm the value")),
                    html.P(_("The value is right: say why. The flag is kept as confirmed, with your comment.")),
                    html.Label(
                        [
                            _("Comment"),
                            dcc.Textarea(id="quality-comment", maxLength=1000, rows=3, className="wide"),
                        ]
                    ),
                    html.Button(_("Confirm"), id="quality-confirm", className="button", n_clicks=0),
                ],
                id="quality-confirm-form",
                style=HIDDEN,
            ),
            html.Div(id="quality-confirm-result"),
            dcc.Store(id="quality-flag"),
        ],
        className="page",
    )


def register(app: Dash) -> None:
    """The page and its callbacks."""
    dash.register_page(__name__, path="/quality", title="Backbone · Data quality", layout=layout)
    app.callback(*callbacks.FLAGS)(callbacks.flags)
    app.callback(*callbacks.DETAIL)(callbacks.detail)
    app.callback(*callbacks.CONFIRM, prevent_initial_call=True)(callbacks.confirm)
