"""The staff's page of goals: edited in a grid, or pasted or uploaded as rows."""

from __future__ import annotations

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


layout, register = setup.page(__name__, KIND)
