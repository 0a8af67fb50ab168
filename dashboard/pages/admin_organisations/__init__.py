"""The staff's page of organisations: edited in a grid, or pasted or uploaded as rows."""

from __future__ import annotations

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


layout, register = setup.page(__name__, KIND)
