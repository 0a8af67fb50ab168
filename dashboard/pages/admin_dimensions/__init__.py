"""The staff's page of dimensions: edited in a grid, or pasted or uploaded as rows."""

from __future__ import annotations

from dashboard.context import N_
from dashboard.parts import setup

KIND = setup.Kind(
    page="dimensions",
    file="dimensions.csv",
    title=N_("Dimensions"),
    intro=N_(
        "The breakdowns values are reported in (socio-economic status, gender, ...): one row per value, in "
        "the order of their position. A dimension's rows are saved together."
    ),
    key=("dimension", "value"),
    group="dimension",
)


layout, register = setup.page(__name__, KIND)
