"""What the goal and municipality pages share: small multiples of indicators for one area, areas to choose from."""

from __future__ import annotations

from dash import html

from api.models.common import AreaLevel
from dashboard import context, i18n
from dashboard.context import _
from dashboard.data import analytics, metadata
from dashboard.data.analytics import GoalAreaProgress, IndicatorProgress, StatusCounts
from dashboard.figures import sparkline, svg
from dashboard.figures.series import LABELS
from dashboard.parts import choices
from dashboard.parts.components import level_label, link, status_label

# The levels a steering group looks at; schools and districts are too many and too small.
CHOSEN_LEVELS = (AreaLevel.country, AreaLevel.province, AreaLevel.region, AreaLevel.municipality)


def areas() -> dict[str, tuple[str, str | None, str]]:
    """The areas one can choose: code -> (name, parent code, level)."""
    return metadata.hierarchy(CHOSEN_LEVELS)


def chain(code: str, places: dict[str, tuple[str, str | None, str]]) -> list[str]:
    """The area and its ancestors, from the top down."""
    found = [code]
    while (parent := places.get(found[-1], (None, None, None))[1]) is not None and parent not in found:
        found.append(parent)
    return found[::-1]


def area_options(places: dict[str, tuple[str, str | None, str]], *, municipalities: bool = True) -> list[dict]:
    """Dropdown options in the hierarchy's order (each area under its parent), the level named."""
    codes = [c for c, (_n, _p, level) in places.items() if municipalities or level != "municipality"]
    codes.sort(key=lambda c: [places[a][0] for a in chain(c, places)])
    return [{"label": f"{places[c][0]} ({level_label(places[c][2])})", "value": c} for c in codes]


def searched_options(
    places: dict[str, tuple[str, str | None, str]], chosen: str | None, search: str | None = None
) -> list[dict]:
    """The options of an area dropdown, a long list searched on the server (``choices``)."""
    top = {c for c, (_name, _parent, level) in places.items() if level != "municipality"}
    return choices.searched(area_options(places), choices.chosen_of(chosen), search, top=top)


def summary_text(summary: StatusCounts) -> str:
    """How many of the indicators with data are on track, in words."""
    judged = summary.on_track + summary.off_track
    if not judged:
        return _("No data")
    return _("{on} of {total} indicators with data on track", on=summary.on_track, total=judged)


def _label(key: str, language: str) -> str:
    """A label the series figure also uses (one translation for both)."""
    return i18n.gettext(LABELS[key], language)


def _facts(entry: IndicatorProgress, language: str) -> list:
    unit = entry.unit.value
    if entry.suppressed:
        latest = html.Span(_label("suppressed", language), className="suppressed")
    else:
        latest = html.Span(i18n.value(entry.latest.value if entry.latest else None, unit, language), className="value")
    facts = [
        html.Span(status_label(entry.status.value), className=f"status-badge status-{entry.status.value}"),
        latest,
        html.Span(entry.latest.period, className="muted") if entry.latest else None,
    ]
    lines = [html.P(facts, className="multiple-facts")]
    if entry.progress is not None:
        lines.append(
            html.P(_("{share} of the way from baseline to target", share=i18n.percent(entry.progress, language)))
        )
    if entry.target is not None:
        lines.append(
            html.P(
                _(
                    "Target {period}: {value}",
                    period=entry.target.period,
                    value=i18n.value(entry.target.value, unit, language),
                ),
                className="muted",
            )
        )
    if not entry.complete:
        lines.append(html.P(_label("incomplete", language), className="incomplete"))
    return lines


def indicator_card(entry: IndicatorProgress, area: str, prefix: str) -> html.Div:
    """One indicator for one area: its status, latest value, progress and the series as a small picture."""
    language = context.language()
    series = analytics.series(entry.code, area)
    words = sparkline.describe(series, language)
    return html.Div(
        [
            html.H3(link(entry.name.get(language), f"/indicator/{entry.code}?area={area}")),
            *_facts(entry, language),
            html.Img(
                src=svg.data_uri(sparkline.sparkline_svg(series, language)),
                alt=words,
                title=words,
                className="sparkline",
                id=f"{prefix}-graph-{entry.code}",
            ),
        ],
        className=f"multiple status-{entry.status.value}",
        id=f"{prefix}-multiple-{entry.code}",
    )


def multiples(group: GoalAreaProgress, prefix: str) -> html.Div:
    """Every indicator of one goal for one area, side by side."""
    if not group.indicators:
        return html.P(_("No indicators for this goal yet."), className="empty")
    return html.Div(
        [indicator_card(entry, group.area.code, prefix) for entry in group.indicators],
        className="multiples",
        id=f"{prefix}-multiples-{group.goal.code}",
    )
