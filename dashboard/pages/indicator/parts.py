"""The indicator page's text parts: the header, the area's status, the gap in words, the map's key, the stories."""

from __future__ import annotations

from collections.abc import Mapping

from dash import html

from api.models.narrative import NarrativePublic
from dashboard import i18n
from dashboard.context import N_, _
from dashboard.data.analytics import Equity, Series
from dashboard.data.indicator import Meta
from dashboard.figures import STATUS_COLOURS, SUPPRESSED_COLOUR
from dashboard.figures.tiles import NO_VALUE_COLOUR, shade
from dashboard.parts.components import DIRECTIONS, link, status_label
from indicators.progress import ASSESSMENT_LABELS

PERIOD_TYPES = {
    "year": N_("per year"),
    "school_year": N_("per school year"),
    "quarter": N_("per quarter"),
    "month": N_("per month"),
}


def header(meta: Meta, language: str) -> html.Div:
    """Name, definition, unit, direction, period type, goal, source and owner."""
    indicator = meta.indicator
    facts = [
        (_("Goal"), link(meta.goal.title.get(language), f"/goal/{meta.goal.code}")),
        (_("Unit"), _(i18n.UNITS[indicator.unit.value])),
        (_("Direction"), _(DIRECTIONS[indicator.direction.value])),
        (_("Frequency"), _(PERIOD_TYPES[indicator.period_type.value])),
        (_("Source"), indicator.source or "–"),
        (_("Owner"), meta.owner or "–"),
    ]
    if meta.dimensions:
        names = ", ".join(d.name.get(language) for d in meta.dimensions.values())
        facts.append((_("Breakdowns"), names))
    badge = html.Span(_("Not published"), className="badge bad") if not indicator.published else None
    return html.Div(
        [
            html.P(link(_("All indicators"), "/indicator"), className="crumbs"),
            html.H1([indicator.name.get(language), " ", badge], id="indicator-name"),
            html.P(indicator.definition.get(language) if indicator.definition else "", className="lead"),
            html.Dl(
                [part for term, detail in facts for part in (html.Dt(term), html.Dd(detail))],
                className="indicator-facts",
                id="indicator-facts",
            ),
        ]
    )


def status(series: Series | None, language: str) -> list:
    """The selected area's latest value, its status against the trajectory, the share of the gap closed."""
    if series is None or not series.points:
        return [html.P(_("No values for this area."), className="empty")]
    unit = series.indicator.unit.value
    parts: list = [html.Strong(series.area.name), " · "]
    if series.latest is not None:
        parts += [
            _("Latest value ({period}):", period=series.latest.period),
            " ",
            html.Span(i18n.value(series.latest.value, unit, language), className="big"),
        ]
    else:
        parts.append(html.Span(_("no value shown"), className="suppressed"))
    kind = {"on_track": "good", "off_track": "bad"}.get(series.status.value, "")
    parts += [" ", html.Span(status_label(series.status.value), className=f"badge {kind}", id="indicator-status-badge")]
    details = []
    if series.progress is not None:
        details.append(
            _("{share} of the gap from baseline to target closed", share=i18n.percent(series.progress, language))
        )
    if series.baseline and series.target:
        details.append(
            _(
                "baseline {period}: {value}",
                period=series.baseline.period,
                value=i18n.value(series.baseline.value, unit, language),
            )
        )
        details.append(
            _(
                "target {period}: {value}",
                period=series.target.period,
                value=i18n.value(series.target.value, unit, language),
            )
        )
    if series.forecast and series.forecast.reaches_target is not None:
        details.append(
            _("the trend reaches the target")
            if series.forecast.reaches_target
            else _("the trend falls short of the target")
        )
    measure = ASSESSMENT_LABELS.get(series.measure.assessment, {}).get(language)
    if measure:
        details.append(_("progress measure: {label}", label=measure))
    if any(p.suppressed for p in series.points):
        details.append(_("values of too few people are suppressed (×), never shown as 0"))
    return [html.P(parts), html.P(" · ".join(details), className="muted")]


def gap_text(equity: Equity, names: Mapping[str, str], language: str) -> str:
    """The latest gap and whether it closes, in words."""
    group, reference = names.get(equity.group, equity.group), names.get(equity.reference, equity.reference)
    unit = equity.indicator.unit.value
    latest = next((row for row in reversed(equity.periods) if row.gap), None)
    if latest is None:
        return _("No period has values for both {group} and {reference}.", group=group, reference=reference)
    gap = latest.gap.absolute
    shown = (
        _("{gap} percentage points", gap=i18n.number(gap, language))
        if unit == "percent"
        else ("−" if gap < 0 else "") + i18n.value(abs(gap), unit, language)
    )
    text = _(
        "Gap {group} minus {reference} in {period}: {gap}.",
        group=group,
        reference=reference,
        period=latest.period,
        gap=shown,
    )
    if equity.gap_trend is not None:
        rate = i18n.number(abs(equity.gap_trend.slope_per_year), language, decimals=2)
        words = (
            _(
                "The gap is closing by {rate} a year (last {count} periods).",
                rate=rate,
                count=equity.gap_trend.periods_used,
            )
            if equity.gap_trend.closing
            else _(
                "The gap is widening by {rate} a year (last {count} periods).",
                rate=rate,
                count=equity.gap_trend.periods_used,
            )
        )
        text += " " + words
    return text


def map_key(colour_by: str) -> html.Div:
    """The map's colours in words (on the value scale, better is darker whichever way is better)."""
    if colour_by == "status":
        steps = [
            (STATUS_COLOURS["on_track"], status_label("on_track")),
            (STATUS_COLOURS["off_track"], status_label("off_track")),
            (STATUS_COLOURS["no_data"], _("no target")),
        ]
    else:
        steps = [(shade(0.0, "higher"), _("worse")), (shade(1.0, "higher"), _("better"))]
    steps += [(SUPPRESSED_COLOUR, _("suppressed (too few people)")), (NO_VALUE_COLOUR, _("no data"))]
    return html.Div(
        [
            html.Span([html.Span(className="swatch", style={"background": c}), text], className="key")
            for c, text in steps
        ],
        className="legend",
    )


def stories(found: list[NarrativePublic], area_names: Mapping[str, str], language: str) -> list:
    """The stories behind the curve, each with who tells it, where and when."""
    if not found:
        return [html.P(_("No story has been told for this indicator yet."), className="empty")]
    items = []
    for story in found:
        where = area_names.get(story.area, story.area) if story.area else _("the whole alliance")
        told = [story.organisation_name, where, i18n.day(story.updated_at.date(), language)]
        if story.period:
            told.insert(2, story.period)
        items.append(
            html.Article(
                [html.P(story.text.get(language)), html.P(" · ".join(told), className="muted")],
                className="story" + (" story-area" if story.area else ""),
            )
        )
    return items
