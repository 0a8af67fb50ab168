"""League tables: one indicator for every municipality in one period, with totals by the aggregation rule.

Totals come from the read model's roll-ups (``cells.aggregated``, or ``cells.derived`` for a
derived index), so a region's total is the same figure everywhere: a sum for counts, the
sum of numerators over the sum of denominators for rates, never a mean of percentages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import duckdb
from pydantic import BaseModel, Field

from api.errors import Invalid
from api.models.common import Aggregation
from api.readmodel import ReadModel
from api.services.accounts.auth import Principal
from api.services.analytics import cells, hiding, reference
from api.services.analytics.series import (
    AreaRef,
    IndicatorRef,
    PeriodValue,
    SeriesPoint,
    Targets,
    build,
    targets_for,
    visible_points,
)
from indicators import aggregate, periods
from indicators.progress import Status

TREND_WINDOW = 5  # years before the period: enough for the trend of the last five values


class Standing(BaseModel):
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    reported: bool = Field(description="a value, or a suppressed one, exists for the period")
    suppressed: bool = Field(default=False, description="hidden: too few people, or suppressed at source")
    provisional: bool = False
    estimated: bool = False
    complete: bool = Field(default=True, description="a total with every area below it")
    missing: list[str] = Field(default_factory=list, description="areas a total lacks")
    expected: float | None = Field(default=None, description="the trajectory from baseline to target here")
    status: Status = Status.no_data
    progress: float | None = Field(default=None, description="share of the gap from baseline to target closed")
    previous: PeriodValue | None = Field(default=None, description="the latest earlier value")
    change: float | None = Field(default=None, description="value minus the previous value")
    trend_per_year: float | None = Field(default=None, description="least-squares slope of the last five values")


class LeagueRow(Standing):
    area: AreaRef
    parent: AreaRef | None
    rank: int | None = Field(description="1 is best, by the indicator's direction; none without a value")


class LeagueTotal(Standing):
    area: AreaRef | None = Field(description="the region; none for the whole selection across several regions")
    scope: str = Field(description="'area' for a region's total, 'selection' for everything in the table")
    source: str = Field(description="aggregated, derived, reported, or pooled (over the selection's regions)")
    covers: int = Field(description="municipalities of the table within it")


class League(BaseModel):
    indicator: IndicatorRef
    aggregation: Aggregation
    period: str | None = Field(description="the period shown: the one asked for, else the latest reported")
    periods: list[str] = Field(description="periods with values, newest first")
    region: AreaRef | None
    rows: list[LeagueRow]
    totals: list[LeagueTotal] = Field(description="regions from the top down; the whole selection's is marked")


@dataclass
class _Table:
    """What working out one league table needs at hand."""

    read_model: ReadModel
    cur: duckdb.DuckDBPyConnection
    info: reference.IndicatorInfo
    principal: Principal | None
    tree: reference.AreaTree
    places: dict[int, reference.AreaInfo]
    targets: Targets = field(default_factory=dict)
    period: str | None = None
    series: dict[int, dict[str, cells.Cell]] = field(default_factory=dict)  # the totals' cells, by area

    def fetch(self, areas: Iterable[int]) -> None:
        """The total series of these areas, in one go."""
        wanted = set(areas) - self.series.keys()
        found = cells.series_of(self.read_model, self.cur, self.info, wanted, reference.TOTAL)
        self.series |= {area: found.get(area, {}) for area in wanted}

    def ref(self, area_id: int | None) -> AreaRef | None:
        place = self.places.get(area_id) if area_id is not None else None
        return AreaRef(code=place.code, name=place.name, level=place.level) if place else None

    def within(self, area_id: int, scope: int | None) -> bool:
        return scope is None or area_id == scope or scope in self.tree.ancestors(area_id)


def league(
    *,
    read_model: ReadModel,
    principal: Principal | None,
    indicator: str,
    period: str | None = None,
    region: str | None = None,
) -> League:
    """Every municipality's value for one period, ranked, with the totals of the regions above them."""
    cur = read_model.cursor()
    try:
        info = reference.indicator_info(cur, indicator, published_only=principal is None)
        scope = reference.area_info(cur, region).id if region else None
        if period is not None:
            try:
                period = periods.normalize(period, info.period_type)
            except periods.PeriodError as exc:
                raise Invalid(str(exc), code="invalid_period") from None
        # Remembered per audience until a submission touches the indicator (or what it is derived from), and kept
        # in the read model's file: at scale a league is worked out over thousands of towns.
        key = ("league", hiding.audience(principal), info.id, period, scope)
        compute = partial(_league, read_model, cur, info, principal, period, scope)
        keep: tuple[Callable[[League], Any], Callable[[Any], League]] = (
            lambda made: made.model_dump(mode="json"),
            League.model_validate,
        )
        return read_model.memo(key, compute, indicators=reference.sources(info), keep=keep)
    finally:
        cur.close()


def _league(
    read_model: ReadModel,
    cur: duckdb.DuckDBPyConnection,
    info: reference.IndicatorInfo,
    principal: Principal | None,
    period: str | None,
    scope: int | None,
) -> League:
    """The league computed: what ``league`` remembers."""
    places = reference.areas(read_model, cur)
    table = _Table(read_model, cur, info, principal, reference.area_tree(read_model, cur), places)
    members = _municipalities(table, scope)
    table.fetch(members)
    known = {p for m in members for p in table.series[m]}
    ordered = sorted(known, key=lambda p: periods.position(p, info.period_type), reverse=True)
    table.period = period or (ordered[0] if ordered else None)
    table.targets = targets_for(read_model, cur)
    standings = {m: _standing(table, m) for m in members}
    totals = _totals(table, members, scope, standings)
    rows = [
        LeagueRow(area=table.ref(m), parent=table.ref(places[m].parent_id), rank=None, **dict(standings[m]))
        for m in members
    ]
    return League(
        indicator=IndicatorRef(
            code=info.code, name=info.name, unit=info.unit, direction=info.direction, period_type=info.period_type
        ),
        aggregation=info.aggregation,
        period=table.period,
        periods=ordered,
        region=table.ref(scope),
        rows=_ranked(rows, info.direction),
        totals=totals,
    )


def _municipalities(table: _Table, scope: int | None) -> list[int]:
    """The municipalities within the region that report, are assigned, or get a rolled-up or derived value."""
    having = set(cells.with_totals(table.read_model, table.cur, table.info))
    having |= {
        a
        for (a,) in table.cur.execute(
            "SELECT area_id FROM assignment WHERE indicator_id = ?", [table.info.id]
        ).fetchall()
    }
    found = [a for a in having if table.places[a].level == "municipality" and table.within(a, scope)]
    return sorted(found, key=lambda a: (table.places[a].name, table.places[a].code))


def _standing(table: _Table, area_id: int) -> Standing:
    """One area's value in the period as this caller may see it, with status, progress, change and trend."""
    if table.period is None:
        return Standing(value=None, reported=False)
    info, kind = table.info, table.info.period_type
    where = periods.position(table.period, kind)
    source, points = visible_points(
        table.read_model,
        table.cur,
        info,
        area_id,
        reference.TOTAL,
        table.principal,
        window=TREND_WINDOW,
        until=int(where),
        found=table.series[area_id],
    )
    points = [p for p in points if periods.position(p.period, kind) <= where]
    figures = build(info, source, points, table.targets.get((info.id, area_id)) or table.targets.get((info.id, None)))
    here = points[-1] if points and points[-1].period == table.period else None
    before = next((p for p in reversed(points) if p.value is not None and p is not here), None)
    value = here.value if here else None
    return Standing(
        value=value,
        numerator=here.numerator if here else None,
        denominator=here.denominator if here else None,
        reported=here is not None,
        suppressed=bool(here and here.suppressed),
        provisional=bool(here and here.provisional),
        estimated=bool(here and here.estimated),
        complete=here.complete if here else True,
        missing=here.missing if here else [],
        expected=here.expected if here else None,
        status=here.status if here else Status.no_data,
        progress=figures["progress"] if value is not None else None,
        previous=PeriodValue(period=before.period, value=before.value) if before else None,
        change=value - before.value if value is not None and before and before.value is not None else None,
        trend_per_year=figures["trend"].slope_per_year if figures["trend"] else None,
    )


def _totals(table: _Table, members: list[int], scope: int | None, standings: dict[int, Standing]) -> list[LeagueTotal]:
    """The total of every area above the table's municipalities (up to the region), from the top down."""
    covers: dict[int, int] = {}
    for m in members:
        for a in table.tree.ancestors(m):
            covers[a] = covers.get(a, 0) + 1
            if a == scope:
                break
    source_of = cells.with_totals(table.read_model, table.cur, table.info)
    table.fetch(covers)
    standings = standings | {a: _standing(table, a) for a in covers}

    def path(area_id: int) -> list[tuple[str, str]]:
        chain = [area_id, *table.tree.ancestors(area_id)]
        return [(table.places[a].name, table.places[a].code) for a in reversed(chain)]

    # The top of each municipality's chain within the selection: one top is the whole selection's total,
    # several are pooled into one more.
    tops = {next((a for a in reversed(table.tree.ancestors(m)) if a in covers), m) for m in members}
    found = [
        LeagueTotal(
            area=table.ref(a),
            scope="selection" if tops == {a} else "area",
            source=source_of.get(a, "none"),
            covers=covers[a],
            **dict(standings[a]),
        )
        for a in sorted(covers, key=path)
    ]
    if len(tops) > 1 and table.info.aggregation != Aggregation.none and not table.info.derivation:
        found.append(_pooled(table, tops, members, standings))
    return found


def _pooled(table: _Table, tops: set[int], members: list[int], standings: dict[int, Standing]) -> LeagueTotal:
    """The whole selection across several top regions: their totals rolled up again by the rule.

    Made only from totals this caller may see, so it gives nothing hidden away.
    """
    parts, missing, hidden = {}, set(), False
    for top in tops:
        total = standings[top]
        hidden = hidden or total.suppressed
        missing |= set(total.missing)
        if total.value is None and not total.suppressed:
            missing |= {table.tree.code[m] for m in members if table.within(m, top)}
        else:
            parts[table.tree.code[top]] = aggregate.Member(
                value=total.value, numerator=total.numerator, denominator=total.denominator
            )
    rolled = aggregate.rollup(parts, table.info.aggregation, scale=table.info.scale) if parts and not hidden else None
    value = rolled.value if rolled else None
    point = SeriesPoint(period=table.period, value=value) if table.period else None
    figures = build(table.info, "pooled", [point] if point else [], table.targets.get((table.info.id, None)))
    return LeagueTotal(
        area=None,
        scope="selection",
        source="pooled",
        covers=len(members),
        value=value,
        numerator=rolled.numerator if rolled else None,
        denominator=rolled.denominator if rolled else None,
        reported=any(standings[t].reported for t in tops),
        suppressed=hidden,
        complete=not missing,
        missing=sorted(missing),
        expected=point.expected if point else None,
        status=point.status if point else Status.no_data,
        progress=figures["progress"] if value is not None else None,
    )


def _ranked(rows: list[LeagueRow], direction: str) -> list[LeagueRow]:
    """Best first by the indicator's direction (equal values share a rank); rows without a value last."""
    scored = [(r.value, r) for r in rows if r.value is not None]
    valued = [r for _, r in sorted(scored, key=lambda pair: -pair[0] if direction == "higher" else pair[0])]
    for place, row in enumerate(valued, start=1):
        row.rank = valued[place - 2].rank if place > 1 and valued[place - 2].value == row.value else place
    return valued + [r for r in rows if r.value is None]
