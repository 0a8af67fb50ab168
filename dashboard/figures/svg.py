"""Small pictures as SVG made on the server: a page of them costs the browser nothing to draw.

The sparklines of the small multiples and the league's dot plot are drawn here; the
interactive Plotly charts stay on the indicator page.
"""

from __future__ import annotations

import math
from html import escape
from urllib.parse import quote

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def document(width: int, height: int, parts: list[str]) -> str:
    """An SVG document of the given size (it scales with its box) holding ``parts``."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="10">'
    )
    return head + "".join(parts) + "</svg>"


def text(x: float, y: float, content: str, **attributes: object) -> str:
    """A text element; attribute names as keywords (``text_anchor`` for text-anchor, ``class_`` for class)."""
    extra = "".join(f' {name.rstrip("_").replace("_", "-")}="{value}"' for name, value in attributes.items())
    return f'<text x="{x}" y="{y}"{extra}>{escape(content)}</text>'


def scale(low: float, high: float, start: float, size: float, *, flip: bool = False):
    """A function placing values from ``low`` to ``high`` on ``size`` pixels from ``start`` (``flip``: upwards)."""
    span = (high - low) or 1.0

    def place(value: float) -> float:
        share = (value - low) / span
        return round(start + size * (1 - share if flip else share), 1)

    return place


def padded(values: list[float], share: float = 0.08) -> tuple[float, float]:
    """The range of the values with some room above and below (a flat series gets room too)."""
    low, high = min(values), max(values)
    pad = (high - low) * share or abs(high) * 0.05 or 1.0
    return low - pad, high + pad


def ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round values for an axis from ``low`` to ``high``: steps of 1, 2 or 5 times a power of ten."""
    raw = (high - low) / count or 1.0
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    return [round(first + i * step, 10) for i in range(int((high - first) / step) + 1)]


def data_uri(svg: str) -> str:
    """SVG markup as an image address (for ``html.Img``)."""
    # Only what an address cannot hold as it is is escaped (% # and the like): a third of the size of
    # escaping every mark, and what a dot plot of thousands of places sends.
    return "data:image/svg+xml;charset=utf-8," + quote(svg, safe=" <>=/:;\"',.-()!*_~+?&@[]|^$")
