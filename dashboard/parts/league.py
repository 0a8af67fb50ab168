"""The league table view: municipalities for one indicator and period, sortable, and the totals above them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash_ag_grid as dag
from dash import html

from dashboard import context, i18n
from dashboard.context import _
from dashboard.data.analytics import League, LeagueRow, LeagueTotal
from dashboard.figures import svg
from dashboard.figures.league import describe, league_svg
from dashboard.parts import grid
from dashboard.parts.components import STATUS_COLOURS, href, level_label, status_label

SYMBOLS = {"percent": "%", "count": "", "rate_per_1000": "‰", "euro": "€", "index": ""}
PAGE_SIZE = 25  # rows drawn at once: hundreds of municipalities would keep the browser busy for seconds
TOTALS = 25  # regions whose totals are listed (from the top down)
LONG = 500  # more rows than this are asked from the server a page at a time (a country has thousands)
DECIMALS = {"percent": 1, "count": 0, "rate_per_1000": 1, "euro": 0, "index": 3}
STATUS_CLASSES = {f"status-{code}": f"!!params.data && params.data.status_code === '{code}'" for code in STATUS_COLOURS}


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


def _columns(league: League) -> list[dict]:
    unit = league.indicator.unit.value
    value_name = _("Value") + (f" ({SYMBOLS[unit]})" if SYMBOLS[unit] else "")
    columns = [
        grid.number_column("rank", _("Rank"), minWidth=80, maxWidth=100),
        grid.text_column("area", _("Municipality"), width=170, cellRenderer="markdown", linkTarget="_self"),
        grid.text_column("parent", _("Region"), width=170),
        grid.number_column("value", value_name, cellClassRules={"suppressed": "!!params.data && params.data.hidden"}),
    ]
    if league.aggregation == "ratio":
        columns += [
            grid.number_column("numerator", _("Numerator")),
            grid.number_column("denominator", _("Denominator")),
        ]
    return [
        *columns,
        grid.text_column("status", _("Status"), width=120, cellClassRules=STATUS_CLASSES),
        grid.number_column("progress", _("Progress to target")),
        grid.number_column("change", _("Change")),
        grid.number_column(
            "trend",
            _("Trend per year"),
            cellClassRules={
                "status-on_track": "!!params.data && params.data.trend_good === 'yes'",
                "status-off_track": "!!params.data && params.data.trend_good === 'no'",
            },
        ),
    ]


def _shown(row: LeagueRow) -> bool:
    """Whether the row's own figures may be shown (not suppressed, reported)."""
    return not row.suppressed and row.reported


def _row(row: LeagueRow, league: League, language: str) -> dict[str, Any]:
    """A row of the table: the numbers (to sort by) and how each shows in the reader's notation."""
    decimals = DECIMALS[league.indicator.unit.value]
    better = 1 if league.indicator.direction.value == "higher" else -1
    hidden, reported, trend, shown = row.suppressed, row.reported, row.trend_per_year, _shown(row)

    def number(amount: float | None, places: int) -> str:
        return _cell(amount, hidden, reported, i18n.number(amount, language, places))

    return {
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


# What a column sorts by when the rows are sorted on the server (a hidden figure sorts as none).
SORT_KEYS: dict[str, Callable[[LeagueRow], Any]] = {
    "rank": lambda r: r.rank,
    "area": lambda r: r.area.name.casefold(),
    "parent": lambda r: r.parent.name.casefold() if r.parent else None,
    "value": lambda r: r.value if _shown(r) else None,
    "numerator": lambda r: r.numerator if _shown(r) else None,
    "denominator": lambda r: r.denominator if _shown(r) else None,
    "status": lambda r: status_label(r.status.value),
    "progress": lambda r: r.progress,
    "change": lambda r: r.change,
    "trend": lambda r: r.trend_per_year,
}


def rows_asked(league: League, request: dict[str, Any]) -> dict[str, Any]:
    """The rows of a long league the grid asks for (``getRowsRequest``: from, to, sorted by), in rank order
    unless sorted by a column; a row without the figure last either way."""
    rows = league.rows
    for order in reversed(request.get("sortModel") or []):
        key = SORT_KEYS.get(str(order.get("colId")))
        if key is None:
            continue
        descending = order.get("sort") == "desc"
        known = sorted((r for r in rows if key(r) is not None), key=key, reverse=descending)
        rows = known + [r for r in rows if key(r) is None]
    start = max(0, _place(request.get("startRow"), 0))
    end = min(len(rows), max(start, _place(request.get("endRow"), start + PAGE_SIZE)))
    language = context.language()
    return {"rowData": [_row(r, league, language) for r in rows[start:end]], "rowCount": len(rows)}


def _place(value: object, default: int) -> int:
    """A row number from the grid's request (a whole number), else ``default``."""
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _table(league: League, prefix: str, highlight: str | None) -> dag.AgGrid:
    """The table: every row in the page for a short league; for a long one (a country's municipalities), the
    rows the grid shows asked from the server a page at a time (``rows_asked``), sorted there."""
    highlighted = (
        {"rowClassRules": {"highlight": f"!!params.data && params.data.id === '{highlight}'"}} if highlight else {}
    )
    if len(league.rows) <= LONG:
        language = context.language()
        rows = [_row(row, league, language) for row in league.rows]
        return grid.grid(f"{prefix}-league-table", _columns(league), rows, page_size=PAGE_SIZE, **highlighted)
    # Rows of one line and a grid of a fixed height: what the infinite row model draws (no height per row).
    columns = [{**c, "wrapText": False, "autoHeight": False} for c in _columns(league)]
    return grid.grid(
        f"{prefix}-league-table",
        columns,
        None,
        page_size=PAGE_SIZE,
        rowModelType="infinite",
        options={"cacheBlockSize": PAGE_SIZE, "maxBlocksInCache": 40, "domLayout": "normal"},
        style={"height": f"{PAGE_SIZE * 42 + 110}px"},
        **highlighted,
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
    # The top of a country's hundreds of regions, and the selection's total; a region's own when it is chosen.
    shown = league.totals[:TOTALS] + [t for t in league.totals[TOTALS:] if t.scope == "selection"]
    left = len(league.totals) - len(shown)
    more = [html.P(_("And {count} more regions: choose one above for its total.", count=left), className="muted")]
    more = more if left else []
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
                    html.Tbody([_total_row(t, league, names) for t in shown]),
                ],
                className="totals",
                id=f"{prefix}-league-totals",
            ),
            *more,
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
