"""The staff's page of assignments: edited in a grid, or pasted or uploaded as rows."""

from __future__ import annotations

from dashboard.context import N_
from dashboard.pages.admin_assignments import matrix
from dashboard.parts import setup

KIND = setup.Kind(
    page="assignments",
    file="assignments.csv",
    title=N_("Assignments"),
    intro=N_(
        "Which organisation reports which indicator for which area: one reporter per indicator and area. In the "
        "matrix a new reporter replaces the old one and an emptied cell ends the assignment; values already "
        "reported stay."
    ),
    key=("organisation", "indicator", "area"),
)


layout, register = setup.page(__name__, KIND, matrix.view, matrix.register)
