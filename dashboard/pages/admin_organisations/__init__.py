"""The staff's page of organisations: edited in a grid, or pasted or uploaded as rows."""

from __future__ import annotations

import dash
from dash import Dash, html

from dashboard.context import N_
from dashboard.parts import setup

KIND = setup.Kind(
    page="organisations",
    file="organisations.csv",
    title=N_("Organisations"),
    intro=N_(
        "The members of the alliance and the backbone office. A date under “Signed the agenda on” makes the "
        "organisation a signatory of the common agenda."
    ),
    key=("code",),
)


def layout(**_query: str) -> html.Div:
    return setup.layout(KIND)


def register(app: Dash) -> None:
    """The page and its callbacks."""
    dash.register_page(__name__, path="/admin/organisations", title="Backbone · Organisations", layout=layout)
    setup.register(app, KIND)
