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


def _options(values: set[str], chosen: str | None = None) -> list[dict[str, str]]:
    """A filter's choices; one asked for in the address is offered too (a dropdown clears a value it does not offer)."""
    return [{"label": v, "value": v} for v in sorted(values | ({chosen} if chosen else set()))]


def _filter(
    label: str, name: str, options: list[dict[str, str]], value: str | None, every: str | None = None, *, shown=True
) -> html.Label:
    """One filter: a labelled dropdown ``quality-<name>``; with ``every`` (what no choice means) it can be cleared."""
    dropdown = dcc.Dropdown(
        id=f"quality-{name}", options=options, value=value, placeholder=every, clearable=every is not None
    )
    return html.Label([label, dropdown], style=None if shown else HIDDEN)


def _asked(value: str | None, length: int) -> str | None:
    """A filter's value from the address, as long as a code can be."""
    return (value or "").strip()[:length] or None


def layout(organisation: str | None = None, period: str | None = None, **_query: str) -> html.Div:
    """The filters (an organisation and a period may come in the address, as the completeness page links them),
    the flags, and the chosen flag with its series and the confirmation."""
    if (blocked := guard("quality")) is not None:
        return blocked
    principal = callbacks.allowed("quality")
    staff = principal is not None and principal.role is not Role.member
    every = quality.flags().items  # what the filters offer: the indicators, areas, organisations and periods flagged
    organisation = _asked(organisation, 60) if staff else None  # members see only their own organisation's
    period = _asked(period, 16)
    statuses = [{"label": table.status_label(s), "value": s} for s in table.STATUSES]
    indicators, periods = _options({f.indicator for f in every}), _options({f.period for f in every}, period)
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
                    _filter(_("Status"), "status", [{"label": _("Every status"), "value": "all"}, *statuses], "open"),
                    _filter(_("Indicator"), "indicator", indicators, None, _("Every indicator")),
                    _filter(_("Area"), "area", _options({f.area for f in every}), None, _("Every area")),
                    _filter(
                        _("Organisation"),
                        "organisation",
                        _options({f.organisation for f in every if f.organisation}, organisation),
                        organisation,
                        _("Every organisation"),
                        shown=staff,
                    ),
                    _filter(_("Period"), "period", periods, period, _("Every period")),
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
