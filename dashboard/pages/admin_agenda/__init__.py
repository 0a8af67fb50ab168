"""The staff's page of agenda and signatories: edited in a grid, or pasted or uploaded as rows."""

from __future__ import annotations

from dashboard.context import N_
from dashboard.parts import setup

KIND = setup.Kind(
    page="agenda",
    file="agenda.csv",
    title=N_("Agenda and signatories"),
    intro=N_(
        "The common agenda: its name, vision and the problem it takes on, in each language. The signatories "
        "are the organisations with a signing date (on the organisations page)."
    ),
    key=("code",),
    wide=("vision_nl", "vision_de", "vision_en", "problem_nl", "problem_de", "problem_en"),
)


layout, register = setup.page(__name__, KIND)
