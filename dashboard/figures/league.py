"""A league table as a dot plot: municipalities best first, coloured by status, against the selection's total.

Dots rather than bars: rates of 88% to 95% differ visibly without an axis from zero.
Suppressed values are a mark at the foot of their place, never a dot at zero; towns
without a value for the period are left out (the table lists them).
"""

from __future__ import annotations

import plotly.graph_objects as go

from api.services.league import League
from dashboard import i18n
from dashboard.figures import STATUS_COLOURS
from dashboard.figures.series import LABELS, SUPPRESSED_COLOUR, TRAJECTORY_COLOUR
from dashboard.i18n import N_

TOTAL_COLOUR = "#1f5fa8"
TOTAL = N_("Total")
MANY = 40  # beyond this many places the names do not fit under them: hovering tells


def league_figure(league: League, language: str = "en") -> go.Figure:
    """Dots of the rows with a value in rank order, marks for suppressed rows, lines for the total and trajectory."""
    tr = lambda message: i18n.gettext(message, language)  # noqa: E731
    unit = league.indicator.unit.value
    shown = [r for r in league.rows if r.value is not None or r.suppressed]
    codes = [r.area.code for r in shown]
    figure = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        rows = [r for r in shown if r.value is not None and r.status.value == status]
        figure.add_trace(
            go.Scatter(
                x=[r.area.code for r in rows],
                y=[r.value for r in rows],
                mode="markers",
                name=status,
                marker={"color": colour, "size": 10, "symbol": "circle"},
                hovertext=[f"{r.area.name}: {i18n.value(r.value, unit, language)}" for r in rows],
                hoverinfo="text",
            )
        )
    hidden = [r for r in shown if r.suppressed]
    if hidden:
        # On an axis of its own along the bottom: a mark of the place, not a value.
        figure.add_trace(
            go.Scatter(
                x=[r.area.code for r in hidden],
                y=[0.04] * len(hidden),
                yaxis="y2",
                mode="markers",
                name=tr(LABELS["suppressed"]),
                marker={"symbol": "x-thin-open", "size": 10, "color": SUPPRESSED_COLOUR, "line": {"width": 2}},
                hovertext=[f"{r.area.name}: {tr(LABELS['suppressed'])}" for r in hidden],
                hoverinfo="text",
            )
        )
    total = next((t for t in league.totals if t.scope == "selection"), None)
    if total is not None and total.value is not None:
        name = total.area.name if total.area else tr(TOTAL)
        figure.add_hline(
            y=total.value,
            line={"color": TOTAL_COLOUR, "width": 2},
            annotation_text=f"{name}: {i18n.value(total.value, unit, language)}",
            annotation_position="top left",
        )
        if total.expected is not None:
            figure.add_hline(
                y=total.expected,
                line={"color": TRAJECTORY_COLOUR, "dash": "dash", "width": 1.5},
                annotation_text=f"{tr(LABELS['trajectory'])}: {i18n.value(total.expected, unit, language)}",
                annotation_position="bottom right",
            )
    names = {r.area.code: r.area.name for r in shown}
    figure.update_layout(
        separators=i18n.separators(language),
        height=300,
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        showlegend=False,
        xaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": codes,
            "tickvals": codes,
            "ticktext": [names[c] for c in codes],
            "showticklabels": len(codes) <= MANY,
            "automargin": True,
        },
        yaxis={"title": i18n.gettext(i18n.UNITS[unit], language), "automargin": True},
        yaxis2={"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        hovermode="closest",
    )
    return figure
