"""The league table view: municipalities for one indicator and period, sortable, and the totals above them."""

from __future__ import annotations

from dash import dash_table, html
from dash.dash_table.Format import Format, Scheme, Sign

from dashboard import context, i18n
from dashboard.context import _
from dashboard.data.analytics import League, LeagueTotal
from dashboard.figures import svg
from dashboard.figures.league import describe, league_svg
from dashboard.parts.components import FONT, STATUS_COLOURS, SUPPRESSED_COLOUR, href, level_label, status_label

SYMBOLS = {"percent": "%", "count": "", "rate_per_1000": "‰", "euro": "€", "index": ""}
PAGE_SIZE = 25  # rows drawn at once: hundreds of municipalities would keep the browser busy for seconds
DECIMALS = {"percent": 1, "count": 0, "rate_per_1000": 1, "euro": 0, "index": 3}


def _number(decimals: int, *, signed: bool = False) -> Format:
    found = Format(precision=decimals, scheme=Scheme.fixed).group(True)
    return found.sign(Sign.positive) if signed else found


def _cell(amount: float | None, suppressed: bool, reported: bool) -> float | str:
    """A number for the table, else what stands in its place: never a blank that reads as zero."""
    if suppressed:
        return _("suppressed")
    if not reported:
        return _("not reported")
    return "–" if amount is None else amount


def _table(league: League, prefix: str, highlight: str | None) -> dash_table.DataTable:
    unit = league.indicator.unit.value
    decimals, rate = DECIMALS[unit], league.aggregation == "ratio"
    value_name = _("Value") + (f" ({SYMBOLS[unit]})" if SYMBOLS[unit] else "")
    columns = [
        {"id": "rank", "name": _("Rank"), "type": "numeric"},
        {"id": "area", "name": _("Municipality"), "presentation": "markdown"},
        {"id": "parent", "name": _("Region")},
        {"id": "value", "name": value_name, "type": "numeric", "format": _number(decimals)},
    ]
    if rate:
        columns += [
            {"id": "numerator", "name": _("Numerator"), "type": "numeric", "format": _number(0)},
            {"id": "denominator", "name": _("Denominator"), "type": "numeric", "format": _number(0)},
        ]
    columns += [
        {"id": "status", "name": _("Status")},
        {
            "id": "progress",
            "name": _("Progress to target"),
            "type": "numeric",
            "format": Format(precision=0, scheme=Scheme.percentage),
        },
        {"id": "change", "name": _("Change"), "type": "numeric", "format": _number(decimals, signed=True)},
        {"id": "trend", "name": _("Trend per year"), "type": "numeric", "format": _number(decimals + 1, signed=True)},
    ]
    better = 1 if league.indicator.direction.value == "higher" else -1
    data = []
    for row in league.rows:
        hidden, reported = row.suppressed, row.reported
        trend = row.trend_per_year
        data.append(
            {
                "rank": row.rank if row.rank is not None else "–",
                "area": f"[{row.area.name}]({href(f'/indicator/{league.indicator.code}?area={row.area.code}')})",
                "parent": row.parent.name if row.parent else "",
                "value": _cell(row.value, hidden, reported),
                "numerator": _cell(row.numerator, hidden, reported),
                "denominator": _cell(row.denominator, hidden, reported),
                "status": status_label(row.status.value),
                "progress": "–" if row.progress is None else row.progress,
                "change": "–" if row.change is None else row.change,
                "trend": "–" if trend is None else trend,
                "code": row.area.code,
                "status_code": row.status.value,
                "trend_good": "" if not trend else ("yes" if trend * better > 0 else "no"),
            }
        )
    styles = [
        {
            "if": {"filter_query": f'{{status_code}} = "{code}"', "column_id": "status"},
            "color": colour,
            "fontWeight": 600,
        }
        for code, colour in STATUS_COLOURS.items()
    ]
    styles += [
        {"if": {"filter_query": '{trend_good} = "yes"', "column_id": "trend"}, "color": STATUS_COLOURS["on_track"]},
        {"if": {"filter_query": '{trend_good} = "no"', "column_id": "trend"}, "color": STATUS_COLOURS["off_track"]},
        {"if": {"filter_query": f'{{value}} = "{_("suppressed")}"', "column_id": "value"}, "color": SUPPRESSED_COLOUR},
    ]
    if highlight:
        styles.append({"if": {"filter_query": f'{{code}} = "{highlight}"'}, "backgroundColor": "#fff4d6"})
    decimal, group = i18n.separators(context.language())
    return dash_table.DataTable(
        id=f"{prefix}-league-table",
        columns=columns,
        data=data,
        sort_action="native",
        sort_as_null=["–", _("suppressed"), _("not reported")],
        page_action="native",
        page_size=PAGE_SIZE,
        locale_format={"decimal": decimal, "group": group},
        markdown_options={"link_target": "_self"},
        style_table={"overflowX": "auto"},
        style_cell={"fontFamily": FONT, "padding": "0.3rem 0.5rem", "textAlign": "right"},
        style_cell_conditional=[{"if": {"column_id": c}, "textAlign": "left"} for c in ("area", "parent", "status")],
        style_header={"fontWeight": 600},
        style_data_conditional=styles,
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
