"""One indicator in a few areas on one chart: a line per area, the first area's trajectory and target.

Suppressed values leave gaps and get a mark in the area's colour on the time axis, never a zero.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from dashboard import i18n
from dashboard.data.analytics import Series
from dashboard.figures.series import LABELS, TRAJECTORY_COLOUR, axis_periods, time_layout
from indicators import periods

AREA_COLOURS = ("#1f5fa8", "#d95f02", "#1b9e77", "#e7298a", "#66a61e", "#a6761d")


def compare_axis(many: Sequence[Series]) -> list[str]:
    """Every period from the earliest to the latest of any of the series (values, baselines, targets)."""
    if not many:
        return []
    kind = many[0].indicator.period_type
    named = sorted({p for s in many for p in axis_periods(s)}, key=lambda p: periods.position(p, kind))
    return periods.periods_between(named[0], named[-1], kind) if named else []


def compare_figure(many: Sequence[Series], language: str = "en") -> go.Figure:
    """A line per area in its own colour; the trajectory from baseline to target of the first area, dashed."""
    tr = lambda key: i18n.gettext(LABELS[key], language)  # noqa: E731
    axis = compare_axis(many)
    figure = go.Figure()
    for index, series in enumerate(many):
        unit = series.indicator.unit.value
        colour = AREA_COLOURS[index % len(AREA_COLOURS)]
        by_period = {p.period: p for p in series.points}
        values = [by_period[p].value if p in by_period else None for p in axis]
        figure.add_trace(
            go.Scatter(
                x=axis,
                y=values,
                mode="lines+markers",
                name=series.area.name,
                legendgroup=series.area.code,
                line={"color": colour, "width": 3 if index == 0 else 2},
                connectgaps=False,
                hovertext=[
                    f"{series.area.name} {p}: {i18n.value(v, unit, language)}" if v is not None else ""
                    for p, v in zip(axis, values, strict=True)
                ],
                hoverinfo="text",
            )
        )
        hidden = [p.period for p in series.points if p.suppressed]
        if hidden:
            figure.add_trace(
                go.Scatter(
                    x=hidden,
                    y=[0.04 + 0.05 * index] * len(hidden),
                    yaxis="y2",
                    mode="markers",
                    name=f"{series.area.name}: {tr('suppressed')}",
                    legendgroup=series.area.code,
                    marker={"symbol": "x-thin-open", "size": 10, "color": colour, "line": {"width": 2}},
                    hovertext=[f"{series.area.name} {p}: {tr('suppressed')}" for p in hidden],
                    hoverinfo="text",
                )
            )
    first = many[0] if many else None
    if first is not None and first.baseline and first.target:
        steps = sorted(
            [first.baseline, *first.milestones, first.target],
            key=lambda v: periods.position(v.period, first.indicator.period_type),
        )
        figure.add_trace(
            go.Scatter(
                x=[v.period for v in steps],
                y=[v.value for v in steps],
                mode="lines+markers",
                name=f"{tr('trajectory')} ({first.area.name})",
                line={"color": TRAJECTORY_COLOUR, "dash": "dash", "width": 1.5},
                marker={"symbol": ["diamond"] + ["star"] * (len(steps) - 1), "size": 10, "color": TRAJECTORY_COLOUR},
                hoverinfo="skip",
            )
        )
    unit = first.indicator.unit.value if first else "index"
    return time_layout(figure, axis, unit, language)
