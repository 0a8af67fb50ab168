"""The breakdown view: each group's values over time, and below them the gap between group and reference.

Suppressed group values leave a gap in their line and get a mark on the time axis, never a zero.
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import i18n
from dashboard.data.analytics import Equity
from dashboard.figures import STATUS_COLOURS
from dashboard.figures.series import LABELS
from dashboard.i18n import N_
from indicators import periods
from indicators.trend import linear_trend

GROUP_COLOURS = ("#d95f02", "#8c8c8c", "#1f5fa8", "#e7298a", "#66a61e", "#a6761d")
TEXT = {"gap": N_("Gap: {group} minus {reference}"), "trend": N_("Trend of the gap")}


def axis_of(equity: Equity) -> list[str]:
    """Every period from the first to the last with a group value, without holes."""
    kind = equity.indicator.period_type
    named = sorted({row.period for row in equity.periods}, key=lambda p: periods.position(p, kind))
    return periods.periods_between(named[0], named[-1], kind) if named else []


def gap_trend_line(equity: Equity) -> tuple[list[str], list[float]]:
    """The least-squares line through the gaps the service's trend used (its last periods), at both ends."""
    if equity.gap_trend is None:
        return [], []
    kind = equity.indicator.period_type
    known = [(row.period, row.gap.absolute) for row in equity.periods if row.gap is not None]
    used = known[-equity.gap_trend.periods_used :]
    fitted = linear_trend([(periods.position(p, kind), g) for p, g in used])
    if fitted is None:
        return [], []
    ends = [used[0][0], used[-1][0]]
    return ends, [fitted.intercept + fitted.slope * periods.position(p, kind) for p in ends]


def equity_figure(equity: Equity, language: str = "en", names: Mapping[str, str] | None = None) -> go.Figure:
    """Group lines on top (group and reference drawn bolder), the gap as bars below with its trend."""
    names = names or {}
    tr = lambda message, **v: i18n.gettext(message, language, **v)  # noqa: E731
    unit = equity.indicator.unit.value
    axis = axis_of(equity)
    rows = {row.period: row for row in equity.periods}
    groups = list(equity.periods[0].values) if equity.periods else []
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.64, 0.36], vertical_spacing=0.07)
    for index, group in enumerate(groups):
        colour = GROUP_COLOURS[index % len(GROUP_COLOURS)]
        label = names.get(group, group)
        bold = group in (equity.group, equity.reference)
        values = [rows[p].values.get(group) if p in rows else None for p in axis]
        figure.add_trace(
            go.Scatter(
                x=axis,
                y=values,
                mode="lines+markers",
                name=label,
                legendgroup=group,
                line={"color": colour, "width": 3 if bold else 1.5},
                marker={"size": 7 if bold else 5},
                connectgaps=False,
                hovertext=[
                    f"{label} {p}: {i18n.value(v, unit, language)}" if v is not None else ""
                    for p, v in zip(axis, values, strict=True)
                ],
                hoverinfo="text",
            ),
            row=1,
            col=1,
        )
        hidden = [row.period for row in equity.periods if group in row.suppressed]
        if hidden:
            figure.add_trace(
                go.Scatter(
                    x=hidden,
                    y=[0.04] * len(hidden),
                    xaxis="x",
                    yaxis="y3",
                    mode="markers",
                    name=f"{label}: {tr(LABELS['suppressed'])}",
                    legendgroup=group,
                    marker={"symbol": "x-thin-open", "size": 10, "color": colour, "line": {"width": 2}},
                    hovertext=[f"{label} {p}: {tr(LABELS['suppressed'])}" for p in hidden],
                    hoverinfo="text",
                )
            )
    gap_name = tr(
        TEXT["gap"],
        group=names.get(equity.group, equity.group),
        reference=names.get(equity.reference, equity.reference),
    )
    gaps = [rows[p].gap.absolute if p in rows and rows[p].gap else None for p in axis]
    closing = equity.gap_trend.closing if equity.gap_trend else None
    colour = {True: STATUS_COLOURS["on_track"], False: STATUS_COLOURS["off_track"]}.get(closing, "#5f6368")
    figure.add_trace(
        go.Bar(
            x=axis,
            y=gaps,
            name=gap_name,
            marker_color="#9aa5b1",
            hovertext=[
                f"{gap_name} {p}: {i18n.number(g, language)}" if g is not None else ""
                for p, g in zip(axis, gaps, strict=True)
            ],
            hoverinfo="text",
        ),
        row=2,
        col=1,
    )
    ends, line = gap_trend_line(equity)
    if ends:
        figure.add_trace(
            go.Scatter(
                x=ends,
                y=line,
                mode="lines",
                name=tr(TEXT["trend"]),
                line={"color": colour, "dash": "dot", "width": 2.5},
                hoverinfo="skip",
            ),
            row=2,
            col=1,
        )
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=axis, automargin=True)
    figure.update_yaxes(automargin=True)
    figure.update_layout(
        separators=i18n.separators(language),
        height=460,
        margin={"l": 20, "r": 20, "t": 20, "b": 30},
        legend={"orientation": "h", "y": -0.12},
        yaxis={"title": i18n.gettext(i18n.UNITS[unit], language)},
        yaxis2={"zeroline": True, "zerolinecolor": "#5f6368"},
        yaxis3={"overlaying": "y", "anchor": "x", "range": [0, 1], "visible": False, "fixedrange": True},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        hovermode="closest",
    )
    return figure
