"""The league table view: municipalities for one indicator and period, sortable, and the totals above them."""

from __future__ import annotations

import dash_ag_grid as dag
from dash import html

from dashboard import context, i18n
from dashboard.context import _
from dashboard.data.analytics import League, LeagueTotal
from dashboard.figures import svg
from dashboard.figures.league import describe, league_svg
from dashboard.parts import grid
from dashboard.parts.components import STATUS_COLOURS, href, level_label, status_label

SYMBOLS = {"percent": "%", "count": "", "rate_per_1000": "‰", "euro": "€", "index": ""}
PAGE_SIZE = 25  # rows drawn at once: hundreds of municipalities would keep the browser busy for seconds
DECIMALS = {"percent": 1, "count": 0, "rate_per_1000": 1, "euro": 0, "index": 3}
STATUS_CLASSES = {f"status-{code}": f"params.data.status_code === '{code}'" for code in STATUS_COLOURS}


def _cell(amount: float | None, suppressed: bool, reported: bool, text: str) -> str:
    """How a number shows: in the reader's notation, else what stands in its place (never a blank read as zero)."""
    if suppressed:
        return _("suppressed")
    if not reported:
        return _("not reported")
    return text if amount is not None else "–"


def _signed(amount: float, decimals: int, language: str) -> str:
    text = i18n.number(amount, language, decimals)
    return text if amount < 0 or text.startswith(("-", "−")) else "+" + text


def _table(league: League, prefix: str, highlight: str | None) -> dag.AgGrid:
    language, unit = context.language(), league.indicator.unit.value
    decimals, rate = DECIMALS[unit], league.aggregation == "ratio"
    value_name = _("Value") + (f" ({SYMBOLS[unit]})" if SYMBOLS[unit] else "")
    columns = [
        grid.number_column("rank", _("Rank"), minWidth=80, maxWidth=100),
        grid.text_column("area", _("Municipality"), width=170, cellRenderer="markdown", linkTarget="_self"),
        grid.text_column("parent", _("Region"), width=170),
        grid.number_column("value", value_name, cellClassRules={"suppressed": "params.data.hidden"}),
    ]
    if rate:
        columns += [
            grid.number_column("numerator", _("Numerator")),
            grid.number_column("denominator", _("Denominator")),
        ]
    columns += [
        grid.text_column("status", _("Status"), width=120, cellClassRules=STATUS_CLASSES),
        grid.number_column("progress", _("Progress to target")),
        grid.number_column("change", _("Change")),
        grid.number_column(
            "trend",
            _("Trend per year"),
            cellClassRules={
                "status-on_track": "params.data.trend_good === 'yes'",
                "status-off_track": "params.data.trend_good === 'no'",
            },
        ),
    ]
    better = 1 if league.indicator.direction.value == "higher" else -1
    data = []
    for row in league.rows:
        hidden, reported, trend = row.suppressed, row.reported, row.trend_per_year
        shown = not hidden and reported

        def number(amount: float | None, places: int, hidden: bool = hidden, reported: bool = reported) -> str:
            return _cell(amount, hidden, reported, i18n.number(amount, language, places))

        data.append(
            {
                "id": row.area.code,
                "rank": row.rank,
                "rank_text": str(row.rank) if row.rank is not None else "–",
                "area": f"[{row.area.name}]({href(f'/indicator/{league.indicator.code}?area={row.area.code}')})",
                "parent": row.parent.name if row.parent else "",
                "value": row.value if shown else None,
                "value_text": number(row.value, decimals),
                "numerator": row.numerator if shown else None,
                "numerator_text": number(row.numerator, 0),
                "denominator": row.denominator if shown else None,
                "denominator_text": number(row.denominator, 0),
                "status": status_label(row.status.value),
                "status_code": row.status.value,
                "progress": row.progress,
                "progress_text": i18n.percent(row.progress, language),
                "change": row.change,
                "change_text": "–" if row.change is None else _signed(row.change, decimals, language),
                "trend": trend,
                "trend_text": "–" if trend is None else _signed(trend, decimals + 1, language),
                "trend_good": "" if not trend else ("yes" if trend * better > 0 else "no"),
                "hidden": hidden,
            }
        )
    return grid.grid(
        f"{prefix}-league-table",
        columns,
        data,
        page_size=PAGE_SIZE,
        rowClassRules={"highlight": f"params.data.id === '{highlight}'"} if highlight else {},
    )


def _total_row(total: LeagueTotal, league: League, names: dict[str, str]) -> html.Tr:
    language, unit = context.language(), league.indicator.unit.value
    if total.area is None:
        label = _("All municipalities shown")
    else:
        label = f"{total.area.name} ({level_label(total.area.level)})"

    def shown(amount: float | None, formatted: str) -> str | html.Span:
        """A total, or what stands in its place."""
        if total.suppressed:
            return html.Span(_("suppressed"), className="suppressed")
        return formatted if amount is not None else "–"

    cells = [
        html.Th(label, scope="row"),
        html.Td(str(total.covers), className="number"),
        html.Td(shown(total.value, i18n.value(total.value, unit, language)), className="number"),
    ]
    if league.aggregation == "ratio":
        cells += [
            html.Td(shown(total.numerator, i18n.number(total.numerator, language, 0)), className="number"),
            html.Td(shown(total.denominator, i18n.number(total.denominator, language, 0)), className="number"),
        ]
    note = ""
    if total.missing:
        missing = ", ".join(names.get(code, code) for code in total.missing)
        note = _("Incomplete: no value from {areas}", areas=missing)
    cells += [
        html.Td(status_label(total.status.value), className=f"status-{total.status.value}"),
        html.Td(i18n.percent(total.progress, language), className="number"),
        html.Td(note, className="incomplete" if note else ""),
    ]
    return html.Tr(cells, className="selection" if total.scope == "selection" else None)


def _totals(league: League, prefix: str) -> html.Div:
    if not league.totals:
        return html.P(_("This indicator cannot be added up over areas."), className="empty")
    names = {row.area.code: row.area.name for row in league.rows}
    head = [_("Area"), _("Municipalities"), _("Value")]
    if league.aggregation == "ratio":
        head += [_("Numerator"), _("Denominator")]
    head += [_("Status"), _("Progress to target"), _("Note")]
    rule = {
        "sum": _("Totals are the sum of the municipalities' counts."),
        "ratio": _("Totals are the sum of the numerators over the sum of the denominators, not a mean of percentages."),
        "weighted_mean": _("Totals are means weighted by each municipality's size."),
        "none": _("The index is computed anew over all schools of each area, not averaged."),
    }[league.aggregation.value]
    return html.Div(
        [
            html.H3(_("Totals")),
            html.P(rule, className="muted"),
            html.Table(
                [
                    html.Thead(html.Tr([html.Th(h) for h in head])),
                    html.Tbody([_total_row(t, league, names) for t in league.totals]),
                ],
                className="totals",
                id=f"{prefix}-league-totals",
            ),
        ]
    )


def league_view(league: League, prefix: str, highlight: str | None = None) -> html.Div:
    """The dot plot, the sortable table and the totals of a league."""
    if not league.rows:
        return html.P(_("No municipality reports this indicator yet."), className="empty")
    if league.period is None:
        return html.P(_("No values reported for this indicator yet."), className="empty")
    return html.Div(
        [
            html.Img(
                src=svg.data_uri(league_svg(league, context.language())),
                alt=describe(league, context.language()),
                className="league-plot",
                id=f"{prefix}-league-graph",
            ),
            _table(league, prefix, highlight),
            _totals(league, prefix),
        ]
    )
