"""A league table as a dot plot: municipalities best first, coloured by status, against the selection's total.

Dots rather than bars: rates of 88% to 95% differ visibly without an axis from zero.
Suppressed values are a mark at the foot of their place, never a dot at zero; towns
without a value for the period are left out (the table lists them). Drawn as SVG on the
server (see ``svg``): the goal page then needs no charting code in the browser.
"""

from __future__ import annotations

from collections.abc import Callable

from dashboard import i18n
from dashboard.data.analytics import League
from dashboard.figures import STATUS_COLOURS, SUPPRESSED_COLOUR
from dashboard.figures.series import LABELS, TRAJECTORY_COLOUR
from dashboard.figures.svg import document, padded, scale, text, ticks
from dashboard.i18n import N_

TOTAL_COLOUR = "#1f5fa8"
TOTAL = N_("Total")
MANY = 40  # beyond this many places the names do not fit under them: the table has them
DOTS = 500  # beyond this many places the dots are drawn as one path per status (``_crowd``)
WIDTH, HEIGHT, LEFT, RIGHT, TOP = 1000, 260, 56, 12, 22


def league_svg(league: League, language: str = "en") -> str:
    """Dots of the rows with a value in rank order, marks for suppressed rows, lines for the total and trajectory."""
    unit = league.indicator.unit.value
    shown = [r for r in league.rows if r.value is not None or r.suppressed]
    total = next((t for t in league.totals if t.scope == "selection" and t.value is not None), None)
    values = [r.value for r in shown if r.value is not None]
    values += [v for v in (total.value, total.expected) if v is not None] if total else []
    named = len(shown) <= MANY
    bottom = HEIGHT - (110 if named else 16)
    height = HEIGHT if named else HEIGHT - 94
    if not values:
        return document(WIDTH, height, [])
    low, high = padded(values)
    y = scale(low, high, TOP, bottom - TOP, flip=True)
    x = scale(-0.5, len(shown) - 0.5, LEFT, WIDTH - LEFT - RIGHT)
    parts = [f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="#d9dce1"/>']
    for tick in ticks(low, high):
        parts.append(f'<line x1="{LEFT}" y1="{y(tick)}" x2="{WIDTH - RIGHT}" y2="{y(tick)}" stroke="#eef0f3"/>')
        label = i18n.number(tick, language, decimals=0 if tick == int(tick) else 1)
        parts.append(text(LEFT - 6, y(tick) + 3, label, text_anchor="end", fill="#5f6368"))
    if total is not None:
        name = total.area.name if total.area else i18n.gettext(TOTAL, language)
        parts += _line("total", y(total.value), TOTAL_COLOUR, "", f"{name}: {i18n.value(total.value, unit, language)}")
        if total.expected is not None:
            label = f"{i18n.gettext(LABELS['trajectory'], language)}: {i18n.value(total.expected, unit, language)}"
            parts += _line("trajectory", y(total.expected), TRAJECTORY_COLOUR, "5 4", label, end=True)
    if len(shown) > DOTS:
        return document(WIDTH, height, parts + _crowd(shown, x, y, bottom))
    for place, row in enumerate(shown):
        cx = x(place)
        if row.suppressed:
            parts.append(
                text(
                    cx, bottom - 3, "×", class_="suppressed", text_anchor="middle", fill=SUPPRESSED_COLOUR, font_size=13
                )
            )
        else:
            colour = STATUS_COLOURS[row.status.value]
            parts.append(
                f'<circle class="dot {row.status.value}" data-code="{row.area.code}" cx="{cx}" cy="{y(row.value)}" '
                f'r="5" fill="{colour}"/>'
            )
        if named:
            parts.append(
                text(
                    cx,
                    bottom + 10,
                    row.area.name,
                    class_="name",
                    text_anchor="end",
                    fill="#1a1a1a",
                    transform=f"rotate(-50 {cx} {bottom + 10})",
                )
            )
    return document(WIDTH, height, parts)


def _crowd(shown: list, x: Callable[[float], float], y: Callable[[float], float], bottom: float) -> list[str]:
    """Thousands of places: one path of round dots per status (a line of no length each), and one of dots at
    the foot for the suppressed; a tenth of the markup of a circle each."""
    dots: dict[str, list[str]] = {}
    for place, row in enumerate(shown):
        kind, at = ("suppressed", bottom - 6) if row.suppressed else (row.status.value, y(row.value))
        dots.setdefault(kind, []).append(f"M{x(place)} {at}h0")
    size = 4 if len(shown) > 2000 else 6
    paths = []
    for kind, moves in dots.items():
        colour = SUPPRESSED_COLOUR if kind == "suppressed" else STATUS_COLOURS[kind]
        paths.append(
            f'<path class="dots {kind}" d="{"".join(moves)}" stroke="{colour}" stroke-width="{size}" '
            'stroke-linecap="round" fill="none"/>'
        )
    return paths


def _line(kind: str, at: float, colour: str, dash: str, label: str, *, end: bool = False) -> list[str]:
    """A horizontal line across the plot with its label above it, on the left (or the right)."""
    pattern = f' stroke-dasharray="{dash}"' if dash else ""
    anchor, where = ("end", WIDTH - RIGHT - 4) if end else ("start", LEFT + 4)
    return [
        (
            f'<line class="{kind}" x1="{LEFT}" y1="{at}" x2="{WIDTH - RIGHT}" y2="{at}" stroke="{colour}" '
            f'stroke-width="1.6"{pattern}/>'
        ),
        text(where, at - 4, label, class_=f"{kind}-label", text_anchor=anchor, fill=colour, font_weight=600),
    ]


def describe(league: League, language: str = "en") -> str:
    """The plot in words, for its alt text: the best and the worst place, and the total."""
    unit = league.indicator.unit.value
    valued = [r for r in league.rows if r.value is not None]
    said = [f"{r.area.name}: {i18n.value(r.value, unit, language)}" for r in (valued[:1] + valued[-1:])]
    total = next((t for t in league.totals if t.scope == "selection" and t.value is not None), None)
    if total is not None:
        name = total.area.name if total.area else i18n.gettext(TOTAL, language)
        said.append(f"{name}: {i18n.value(total.value, unit, language)}")
    return "; ".join(said) or "–"
