"""A flagged value among the other values of its series: a line over the periods, the flagged one marked."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard import i18n
from dashboard.data.quality import ObservationPublic
from dashboard.figures import STATUS_COLOURS
from dashboard.i18n import N_
from indicators import periods

LABELS = {"value": N_("Value"), "flagged": N_("Flagged value"), "expected": N_("Expected")}


def history_figure(
    values: list[ObservationPublic], flagged: str, expected: float | None, language: str = "en"
) -> go.Figure:
    """The values by period (hidden ones left out, a gap in the line), the flagged period marked, what was expected."""
    ordered = sorted(values, key=lambda o: periods.as_position(o.period))
    axis = [o.period for o in ordered]
    shown = [None if o.suppressed else o.value for o in ordered]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=axis,
            y=shown,
            mode="lines+markers",
            name=i18n.gettext(LABELS["value"], language),
            line={"color": STATUS_COLOURS["no_data"]},
            connectgaps=False,
        )
    )
    mark = [(o.period, o.value) for o in ordered if o.period == flagged and not o.suppressed]
    if mark:
        figure.add_trace(
            go.Scatter(
                x=[mark[0][0]],
                y=[mark[0][1]],
                mode="markers",
                name=i18n.gettext(LABELS["flagged"], language),
                marker={"color": STATUS_COLOURS["off_track"], "size": 14, "symbol": "diamond"},
            )
        )
    if expected is not None and axis:
        figure.add_trace(
            go.Scatter(
                x=[axis[0], axis[-1]],
                y=[expected, expected],
                mode="lines",
                name=i18n.gettext(LABELS["expected"], language),
                line={"color": "#5f6368", "dash": "dot"},
            )
        )
    return figure.update_layout(
        separators=i18n.separators(language),
        height=320,
        margin={"l": 20, "r": 20, "t": 20, "b": 40},
        legend={"orientation": "h", "y": -0.2},
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": axis, "automargin": True},
        yaxis={"automargin": True},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
    )
