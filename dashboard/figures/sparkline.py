"""A series as a small SVG picture for the small multiples of the goal and municipality pages.

A page of a dozen Plotly graphs spends more than a second in the browser drawing them;
the same lines as SVG made here cost nothing there. The picture keeps what the small
multiple is for: the values coloured by status, the dashed trajectory from baseline to
target, the target, gaps and marks for suppressed values (never a zero), the latest value.
The interactive chart is one click away, on the indicator page.
"""

from __future__ import annotations

from dashboard import i18n
from dashboard.data.analytics import Series
from dashboard.figures import STATUS_COLOURS, SUPPRESSED_COLOUR
from dashboard.figures.series import LABELS, TRAJECTORY_COLOUR, axis_periods
from dashboard.figures.svg import document, padded, scale, text
from indicators import periods

WIDTH, HEIGHT = 300, 120
LEFT, RIGHT, TOP, BOTTOM = 6, 58, 10, 18  # room for the latest value on the right, periods below
LINE_COLOUR = "#1f5fa8"


def sparkline_svg(series: Series, language: str = "en") -> str:
    """The series as SVG markup: values, trajectory, target and baseline, suppressed periods, latest value."""
    unit = series.indicator.unit.value
    axis = axis_periods(series)
    kind = series.indicator.period_type
    steps = []
    if series.baseline and series.target:
        steps = sorted(
            [series.baseline, *series.milestones, series.target], key=lambda v: periods.position(v.period, kind)
        )
    values = [p.value for p in series.points if p.value is not None] + [v.value for v in steps]
    parts: list[str] = []
    if not axis or not values:
        return document(WIDTH, HEIGHT, [text(WIDTH / 2, HEIGHT / 2, "–", text_anchor="middle", fill="#5f6368")])
    x = scale(0, max(len(axis) - 1, 1), LEFT, WIDTH - LEFT - RIGHT)
    y = scale(*padded(values), TOP, HEIGHT - TOP - BOTTOM, flip=True)
    where = {period: i for i, period in enumerate(axis)}
    bottom = HEIGHT - BOTTOM
    parts.append(f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="#d9dce1"/>')
    if steps:
        line = " ".join(f"{x(where[v.period])},{y(v.value)}" for v in steps)
        parts.append(
            f'<polyline class="trajectory" points="{line}" fill="none" stroke="{TRAJECTORY_COLOUR}" '
            'stroke-width="1.2" stroke-dasharray="4 3"/>'
        )
        bx, by = x(where[series.baseline.period]), y(series.baseline.value)
        parts.append(
            f'<path class="baseline" d="M{bx},{by - 4} L{bx + 4},{by} L{bx},{by + 4} L{bx - 4},{by} Z" '
            f'fill="{TRAJECTORY_COLOUR}"/>'
        )
        tx, ty = x(where[series.target.period]), y(series.target.value)
        parts.append(
            f'<path class="target" d="M{tx},{ty - 5} L{tx + 5},{ty + 4} L{tx - 5},{ty + 4} Z" '
            f'fill="{TRAJECTORY_COLOUR}"/>'
        )
    # The line breaks where a value is missing or hidden: a gap, never a drop to zero.
    run: list[str] = []
    for period in axis:
        point = next((p for p in series.points if p.period == period), None)
        if point is None or point.value is None:
            if len(run) > 1:
                parts.append(_values_line(run))
            run = []
            continue
        run.append(f"{x(where[period])},{y(point.value)}")
    if len(run) > 1:
        parts.append(_values_line(run))
    for point in series.points:
        cx = x(where[point.period])
        if point.suppressed:
            parts.append(
                text(
                    cx, bottom - 3, "×", class_="suppressed", text_anchor="middle", fill=SUPPRESSED_COLOUR, font_size=11
                )
            )
        elif point.value is not None:
            colour = STATUS_COLOURS[point.status.value]
            hollow = point.provisional or point.estimated or not point.complete
            fill = "#ffffff" if hollow else colour
            parts.append(
                f'<circle class="value" cx="{cx}" cy="{y(point.value)}" r="2.8" fill="{fill}" '
                f'stroke="{colour}" stroke-width="1.5"/>'
            )
    if series.latest:
        label = i18n.value(series.latest.value, unit, language)
        at = (x(where[series.latest.period]) + 6, y(series.latest.value) + 3)
        parts.append(text(*at, label, class_="latest", fill="#1a1a1a", font_weight=600))
    for period, anchor in ((axis[0], "start"), (axis[-1], "end")):
        parts.append(text(x(where[period]), HEIGHT - 4, period, text_anchor=anchor, fill="#5f6368"))
    return document(WIDTH, HEIGHT, parts)


def _values_line(points: list[str]) -> str:
    return f'<polyline class="values" points="{" ".join(points)}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2"/>'


def describe(series: Series, language: str = "en") -> str:
    """The picture in words, for its alt text and tooltip: latest value, target, suppressed periods."""
    unit = series.indicator.unit.value
    said = []
    if series.latest:
        said.append(f"{series.latest.period}: {i18n.value(series.latest.value, unit, language)}")
    if series.target:
        said.append(
            f"{_label('target', language)} {series.target.period}: {i18n.value(series.target.value, unit, language)}"
        )
    hidden = [p.period for p in series.points if p.suppressed]
    if hidden:
        said.append(f"{_label('suppressed', language)}: {', '.join(hidden)}")
    return "; ".join(said) or "–"


def _label(key: str, language: str) -> str:
    return i18n.gettext(LABELS[key], language)
