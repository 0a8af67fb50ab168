"""The staff's page of indicators: edited in a grid, or pasted or uploaded as rows."""

from __future__ import annotations

from dashboard.context import N_
from dashboard.parts import setup

KIND = setup.Kind(
    page="indicators",
    file="indicators.csv",
    title=N_("Indicators"),
    intro=N_(
        "What the alliance measures: per goal, with unit, direction, periods, how values add up across areas,"
        " breakdowns (dimension codes separated by spaces), the threshold below which small numbers are "
        "suppressed, and its source. Periods and derivation are fixed once an indicator exists."
    ),
    key=("code",),
    wide=("definition_nl", "definition_de", "definition_en"),
)


layout, register = setup.page(__name__, KIND)
