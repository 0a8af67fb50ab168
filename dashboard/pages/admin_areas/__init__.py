"""The staff's page of areas: the hierarchy from country to school, edited in a grid or pasted as rows."""

from __future__ import annotations

from dashboard.context import N_
from dashboard.parts import setup

KIND = setup.Kind(
    page="areas",
    file="areas.csv",
    title=N_("Areas"),
    intro=N_(
        "The areas that values are reported for, from the country down to districts and schools. Each area lies within "
        "its parent area; give the parent's code. Codes are the official ones where there are any (CBS, AGS)."
    ),
    key=("code",),
)


layout, register = setup.page(__name__, KIND)
