"""One indicator's series for one area: values by status, the trajectory from baseline to target, the trend.

Suppressed values are marked on the time axis and leave a gap in the line: never drawn as zero.
"""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard import i18n
from dashboard.data.analytics import Series
from dashboard.figures import STATUS_COLOURS, SUPPRESSED_COLOUR
from dashboard.i18n import N_
from indicators import periods

TRAJECTORY_COLOUR = "#5f6368"
LABELS = {
    "value": N_("Value"),
    "trajectory": N_("Trajectory to target"),
    "target": N_("Target"),
    "baseline": N_("Baseline"),
    "trend": N_("Trend"),
    "suppressed": N_("Suppressed (too few people)"),
    "provisional": N_("provisional"),
    "estimated": N_("estimated"),
    "incomplete": N_("not every area reported"),
}


def axis_periods(series: Series) -> list[str]:
    """The periods on the time axis: from the first value or baseline to the last value or target."""
    kind = series.indicator.period_type
    named = [p.period for p in series.points]
    named += [v.period for v in (series.baseline, series.target, *series.milestones) if v is not None]
    if not named:
        return []
    ordered = sorted(set(named), key=lambda p: periods.position(p, kind))
    return periods.periods_between(ordered[0], ordered[-1], kind)


def _point_text(point, series: Series, language: str) -> str:
    unit = series.indicator.unit.value
    text = f"{point.period}: {i18n.value(point.value, unit, language)}"
    flags = [LABELS[f] for f in ("provisional", "estimated") if getattr(point, f)]
    if not point.complete:
        flags.append(LABELS["incomplete"])
    if flags:
        text += " (" + ", ".join(i18n.gettext(f, language) for f in flags) + ")"
    if point.expected is not None:
        text += f"<br>{i18n.gettext(LABELS['trajectory'], language)}: {i18n.value(point.expected, unit, language)}"
    return text


def series_figure(series: Series, language: str = "en") -> go.Figure:
    """Values as a line with markers coloured by status, the dashed trajectory, target, baseline and trend."""
    tr = lambda key: i18n.gettext(LABELS[key], language)  # noqa: E731
    unit = series.indicator.unit.value
    axis = axis_periods(series)
    by_period = {p.period: p for p in series.points}
    figure = go.Figure()
    shown = [by_period.get(period) for period in axis]
    figure.add_trace(
        go.Scatter(
            x=axis,
            y=[p.value if p is not None else None for p in shown],
            mode="lines+markers",
            name=tr("value"),
            line={"color": "#1f5fa8", "width": 2},
            marker={
                "size": 9,
                "color": [STATUS_COLOURS[p.status.value] if p is not None else "#1f5fa8" for p in shown],
                "symbol": [
                    "circle-open" if p is not None and (p.provisional or p.estimated or not p.complete) else "circle"
                    for p in shown
                ],
                "line": {"width": 2},
            },
            hovertext=[_point_text(p, series, language) if p is not None else "" for p in shown],
            hoverinfo="text",
            connectgaps=False,
        )
    )
    if series.baseline and series.target:
        steps = [series.baseline, *series.milestones, series.target]
        steps.sort(key=lambda v: periods.position(v.period, series.indicator.period_type))
        figure.add_trace(
            go.Scatter(
                x=[v.period for v in steps],
                y=[v.value for v in steps],
                mode="lines",
                name=tr("trajectory"),
                line={"color": TRAJECTORY_COLOUR, "dash": "dash", "width": 1.5},
                hoverinfo="skip",
            )
        )
        for key, point, symbol in (("baseline", series.baseline, "diamond"), ("target", series.target, "star")):
            figure.add_trace(
                go.Scatter(
                    x=[point.period],
                    y=[point.value],
                    mode="markers",
                    name=tr(key),
                    marker={"symbol": symbol, "size": 13, "color": TRAJECTORY_COLOUR},
                    hovertext=[f"{tr(key)} {point.period}: {i18n.value(point.value, unit, language)}"],
                    hoverinfo="text",
                )
            )
    if series.forecast and series.forecast.value is not None and series.latest:
        reaches = series.forecast.reaches_target
        figure.add_trace(
            go.Scatter(
                x=[series.latest.period, series.forecast.period],
                y=[series.latest.value, series.forecast.value],
                mode="lines",
                name=tr("trend"),
                line={"color": STATUS_COLOURS["on_track" if reaches else "off_track"], "dash": "dot", "width": 1.5},
                hovertext=[
                    "",
                    f"{tr('trend')} {series.forecast.period}: {i18n.value(series.forecast.value, unit, language)}",
                ],
                hoverinfo="text",
            )
        )
    hidden = [p.period for p in series.points if p.suppressed]
    if hidden:
        # On an axis of its own (0 to 1) along the bottom: a mark of the period, not a value.
        figure.add_trace(
            go.Scatter(
                x=hidden,
                y=[0.04] * len(hidden),
                yaxis="y2",
                mode="markers",
                name=tr("suppressed"),
                marker={"symbol": "x-thin-open", "size": 10, "color": SUPPRESSED_COLOUR, "line": {"width": 2}},
                hovertext=[f"{period}: {tr('suppressed')}" for period in hidden],
                hoverinfo="text",
            )
        )
    return time_layout(figure, axis, unit, language)


def time_layout(figure: go.Figure, axis: list[str], unit: str, language: str) -> go.Figure:
    """The layout of a chart over time: periods in order, the unit on the value axis, a second axis for marks."""
    return figure.update_layout(
        separators=i18n.separators(language),
        height=420,
        margin={"l": 20, "r": 20, "t": 30, "b": 40},
        showlegend=True,
        legend={"orientation": "h", "y": -0.15},
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": axis, "automargin": True},
        yaxis={"title": i18n.gettext(i18n.UNITS[unit], language), "automargin": True},
        # Marks of suppressed periods sit on an axis of their own (0 to 1) along the bottom: not values.
        yaxis2={"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        hovermode="closest",
    )
