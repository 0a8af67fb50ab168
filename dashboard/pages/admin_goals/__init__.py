"""The staff's page of goals: edited in a grid, or pasted or uploaded as rows."""

from __future__ import annotations

import dash
from dash import Dash, html

from dashboard.context import N_
from dashboard.parts import setup

KIND = setup.Kind(
    page="goals",
    file="goals.csv",
    title=N_("Goals"),
    intro=N_(
        "The goals of the agenda, in the order of their position, with a title and a description in each language."
    ),
    key=("code",),
    wide=("description_nl", "description_de", "description_en"),
)


def layout(**_query: str) -> html.Div:
    return setup.layout(KIND)


def register(app: Dash) -> None:
    """The page and its callbacks."""
    dash.register_page(__name__, path="/admin/goals", title="Backbone · Goals", layout=layout)
    setup.register(app, KIND)
