"""The staff's page of targets: edited in a grid, or pasted or uploaded as rows."""

from __future__ import annotations

from dashboard.context import N_
from dashboard.pages.admin_targets import years
from dashboard.parts import setup

KIND = setup.Kind(
    page="targets",
    file="targets.csv",
    title=N_("Targets"),
    intro=N_(
        "Baselines and targets per indicator and area (an empty area: the whole alliance). Several target "
        "periods for the same indicator and area make a trajectory, year by year."
    ),
    key=("indicator", "area", "target_period"),
)


layout, register = setup.page(__name__, KIND, years.view, years.register)
