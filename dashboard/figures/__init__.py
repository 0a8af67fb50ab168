"""Figures built by pure functions: data in, Plotly figure out; tested without a browser."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

STATUS_COLOURS = {"on_track": "#1b7f3b", "off_track": "#c0392b", "no_data": "#9e9e9e"}
SUPPRESSED_COLOUR = "#6d4c9f"
STATUS_NAMES = {"on_track": "On track", "off_track": "Off track", "no_data": "No data"}


def share_colour(share: float | None) -> tuple[str, str]:
    """Background and text colour of a grid cell for the share of indicators on track."""
    if share is None:
        return "#e0e0e0", "#333333"
    if share >= 2 / 3:
        return STATUS_COLOURS["on_track"], "#ffffff"
    if share >= 1 / 3:
        return "#f0b429", "#1a1a1a"
    return STATUS_COLOURS["off_track"], "#ffffff"


def progress_figure(groups: Sequence[Any], language: str = "en") -> go.Figure:
    """Horizontal bars: share of the gap closed per indicator, in agenda order, coloured by status."""
    order = [
        f"{group.goal.title.get(language)} · {item.name.get(language)}" for group in groups for item in group.indicators
    ]
    figure = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        labels, shares, texts = [], [], []
        for group in groups:
            for item in group.indicators:
                if item.status.value == status:
                    labels.append(f"{group.goal.title.get(language)} · {item.name.get(language)}")
                    shares.append(item.progress or 0.0)
                    texts.append("no data" if item.progress is None else f"{item.progress:.0%}")
        figure.add_trace(
            go.Bar(
                x=shares,
                y=labels,
                orientation="h",
                name=STATUS_NAMES[status],
                marker_color=colour,
                text=texts,
                # Short bars cannot hold their label: put it beside them.
                textposition=["inside" if share >= 0.15 else "outside" for share in shares],
                cliponaxis=False,
            )
        )
    figure.update_layout(
        barmode="overlay",
        xaxis={"range": [0, 1], "tickformat": ".0%", "title": "share of the gap closed"},
        yaxis={"categoryorder": "array", "categoryarray": order, "autorange": "reversed"},
        height=max(320, 28 * len(order) + 120),
        margin={"l": 20, "r": 40, "t": 30, "b": 40},
        legend={"orientation": "h", "y": 1.05},
    )
    return figure
