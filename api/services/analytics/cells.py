"""The values of an indicator for an area: reported, rolled up from the areas below, or derived.

An area that reports an indicator has reported values. An area above reporting
areas (the Ennepe-Ruhr-Kreis above its towns) gets values rolled up from them by
the indicator's aggregation rule, flagged partial when some are missing. A
derived indicator (the segregation index) is computed from its source counts in
the areas below (the schools of a town, or of a whole region). Which of them a
caller may see is ``hiding``'s business.

Each answer asks DuckDB for what it shows: one area's series, or one period's cells
of every area (for suppression, league tables and maps). Roll-ups are sums in SQL over
the area tree (``area_ancestor``), and the segregation indices are computed there too;
nothing holds every observation in Python, so a large alliance costs DuckDB's memory
(bounded by its buffer manager), not the process's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any, NamedTuple

import duckdb

from api.models.common import Aggregation
from api.readmodel import ReadModel
from api.services.analytics.reference import TOTAL, IndicatorInfo, sources


class Cell(NamedTuple):
    """One value of an indicator for one area, period and breakdown (a tuple: a period's table has a million)."""

    period: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    provisional: bool = False
    estimated: bool = False
    suppressed: bool = False  # at source
    organisation_id: int | None = None  # the reporter; None for rolled-up and derived cells
    source: str = "reported"  # reported, aggregated, derived
    complete: bool = True
    missing: tuple[str, ...] = ()


Cells = dict[tuple[int, str], dict[str, Cell]]  # {(area, breakdown): {period: cell}}
_REPORTING = (  # the areas that report an indicator ($indicator): with values in some period, or assigned
    "SELECT area_id FROM observation WHERE indicator_id = $indicator "
    "UNION SELECT area_id FROM assignment WHERE indicator_id = $indicator"
)


def _where(
    indicator_id: int, *, areas: Collection[int] | None, key: str | None, period: str | None
) -> tuple[str, list[Any]]:
    clauses, params = ["o.indicator_id = ?"], list[Any]([indicator_id])
    if areas is not None:
        clauses.append("o.area_id IN (SELECT unnest(?))")
        params.append(sorted(areas))
    if key is not None:
        clauses.append("o.breakdown = ?")
        params.append(key)
    if period is not None:
        clauses.append("o.period = ?")
        params.append(period)
    return " AND ".join(clauses), params


def reported(
    cur: duckdb.DuckDBPyConnection,
    indicator_id: int,
    *,
    areas: Collection[int] | None = None,
    key: str | None = None,
    period: str | None = None,
) -> Cells:
    """The reported cells of an indicator, of these areas, breakdown and period (None: every one)."""
    where, params = _where(indicator_id, areas=areas, key=key, period=period)
    found: Cells = defaultdict(dict)
    for area, breakdown, at, value, num, den, prov, est, supp, org in cur.execute(
        f"""SELECT area_id, breakdown, period, value, numerator, denominator, is_provisional, is_estimated,
                   is_suppressed, organisation_id FROM observation o WHERE {where}""",
        params,
    ).fetchall():
        found[(area, breakdown)][at] = Cell(at, value, num, den, prov, est, supp, org)
    return dict(found)


def reporting(read_model: ReadModel, cur: duckdb.DuckDBPyConnection, indicator_id: int) -> frozenset[int]:
    """The areas that report the indicator: with values in some period, or assigned to someone."""

    def build() -> frozenset[int]:
        return frozenset(area for (area,) in cur.execute(_REPORTING, {"indicator": indicator_id}).fetchall())

    return read_model.memo(("reporting", indicator_id), build, indicators=(indicator_id,))


# ------------------------------------------------------------- rolled-up values

# A member cell counts for a roll-up when it has a value and is not suppressed at source;
# it is usable by the rule when it also has what the rule adds up (NaN counts as missing).
_COUNTS = "NOT c.is_suppressed AND c.value IS NOT NULL"
_GIVEN = "({0} IS NOT NULL AND NOT isnan({0}))"
_USABLE = {
    Aggregation.sum: f"{_COUNTS} AND {_GIVEN.format('c.value')}",
    Aggregation.ratio: f"{_COUNTS} AND {_GIVEN.format('c.numerator')} AND {_GIVEN.format('c.denominator')}",
    Aggregation.weighted_mean: f"{_COUNTS} AND {_GIVEN.format('c.value')} AND {_GIVEN.format('c.denominator')}",
}


def aggregated(
    cur: duckdb.DuckDBPyConnection,
    indicator: IndicatorInfo,
    *,
    areas: Collection[int] | None = None,
    key: str | None = None,
    period: str | None = None,
) -> Cells:
    """Cells of the areas above reporting areas, rolled up from the reporting areas below them.

    ``areas``, ``key``, ``period``: only these areas' roll-ups, that breakdown, that period (None: all).
    Every reporting area below an area (one with values, or assigned) is a member of its roll-up;
    those without a usable value in a period are its missing members (the cell is partial). A period
    in which none of them has a value has no cell.
    """
    if indicator.aggregation == Aggregation.none or indicator.derivation:
        return {}
    params: dict[str, Any] = {"indicator": indicator.id}
    rollups = ""
    if areas is not None:
        rollups = "AND x.ancestor_id IN (SELECT unnest($areas))"
        params["areas"] = sorted(areas)
    cells = ""
    if key is not None:
        cells += " AND c.breakdown = $key"
        params["key"] = key
    if period is not None:
        cells += " AND c.period = $period"
        params["period"] = period
    rows = cur.execute(
        f"""
        WITH rep AS ({_REPORTING}),
        member AS (
            SELECT x.ancestor_id, x.area_id FROM area_ancestor x
            WHERE x.area_id IN (SELECT area_id FROM rep) AND x.ancestor_id NOT IN (SELECT area_id FROM rep) {rollups}
        ),
        cell AS (
            SELECT c.area_id, c.breakdown, c.period, c.value, c.numerator, c.denominator, c.is_suppressed,
                   {_USABLE[Aggregation(indicator.aggregation)]} AS usable
            FROM observation c WHERE c.indicator_id = $indicator {cells}
        ),
        grid AS (  -- each roll-up with at least one member that has a value
            SELECT DISTINCT m.ancestor_id, c.breakdown, c.period FROM member m JOIN cell c USING (area_id)
            WHERE NOT c.is_suppressed AND c.value IS NOT NULL
        )
        SELECT g.ancestor_id, g.breakdown, g.period,
               count(*) FILTER (WHERE c.usable) AS used,
               fsum(c.value) FILTER (WHERE c.usable) AS total,
               fsum(c.numerator) FILTER (WHERE c.usable) AS numerator,
               fsum(c.denominator) FILTER (WHERE c.usable) AS denominator,
               fsum(c.value * c.denominator) FILTER (WHERE c.usable) AS weighted,
               list(a.code ORDER BY a.code) FILTER (WHERE c.usable IS NOT TRUE) AS missing
        FROM grid g JOIN member m USING (ancestor_id) JOIN area a ON a.id = m.area_id
        LEFT JOIN cell c ON c.area_id = m.area_id AND c.breakdown = g.breakdown AND c.period = g.period
        GROUP BY ALL
        """,
        params,
    ).fetchall()
    found: Cells = defaultdict(dict)
    for ancestor, breakdown, at, used, total, numerator, denominator, weighted, missing in rows:
        value, num, den = _rolled(indicator, used, total, numerator, denominator, weighted)
        gaps = tuple(missing or ())
        found[(ancestor, breakdown)][at] = Cell(
            at, value, num, den, source="aggregated", complete=not gaps, missing=gaps
        )
    return dict(found)


def _rolled(
    indicator: IndicatorInfo,
    used: int,
    total: float | None,
    numerator: float | None,
    denominator: float | None,
    weighted: float | None,
) -> tuple[float | None, float | None, float | None]:
    """(value, numerator, denominator) of a roll-up from its usable members' sums (``indicators.aggregate``)."""
    if not used:
        return None, None, None
    if indicator.aggregation == Aggregation.sum:
        return total, None, None
    if indicator.aggregation == Aggregation.ratio:
        assert numerator is not None and denominator is not None
        return (indicator.scale * numerator / denominator if denominator != 0 else None), numerator, denominator
    assert weighted is not None and denominator is not None
    return (weighted / denominator if denominator != 0 else None), None, denominator


# ---------------------------------------------------------------- derived values


def derived(
    cur: duckdb.DuckDBPyConnection,
    indicator: IndicatorInfo,
    *,
    areas: Collection[int] | None = None,
    period: str | None = None,
) -> Cells:
    """A derived indicator for the areas above its source's reporting units (towns, regions).

    ``areas``, ``period``: only these areas, that period (None: all).

    The indices of ``indicators.segregation`` in SQL, over each area's units (schools) in each period:
    a unit's total is its total count, else the sum of its groups; a period where an index cannot be
    computed (a group absent, a group above its unit's total) has no cell.
    """
    if not indicator.derivation or indicator.derived_from_id is None:
        return {}
    dimension, _, group = (indicator.derivation_group or "").partition(":")
    params: dict[str, Any] = {"source": indicator.derived_from_id, "dimension": dimension, "group": group}
    within = ""
    if areas is not None:
        within += " AND x.ancestor_id IN (SELECT unnest($areas))"
        params["areas"] = sorted(areas)
    if period is not None:
        within += " AND o.period = $period"
        params["period"] = period
    rows = cur.execute(
        f"""
        WITH part AS (  -- each unit's counts below each area: its total ('') and its groups
            SELECT x.ancestor_id AS area_id, o.period, o.area_id AS unit, o.value,
                   CASE WHEN o.breakdown = '' THEN '' ELSE substr(o.breakdown, length($dimension) + 2) END AS grp
            FROM observation o JOIN area_ancestor x ON x.area_id = o.area_id
            WHERE o.indicator_id = $source AND o.value IS NOT NULL{within} AND (o.breakdown = ''
                  OR starts_with(o.breakdown, $dimension || ':') AND NOT contains(o.breakdown, ','))
        ),
        unit AS (
            SELECT area_id, period, unit,
                   coalesce(max(value) FILTER (WHERE grp = ''), sum(value) FILTER (WHERE grp <> ''), 0) AS t,
                   coalesce(max(value) FILTER (WHERE grp = $group), 0) AS a,
                   coalesce(sum(value) FILTER (WHERE grp <> ''), 0) AS grouped
            FROM part GROUP BY ALL
        ),
        two AS (  -- one group against the others
            SELECT *, greatest(t - a, 0) AS b, sum(a) OVER w AS a_all, sum(greatest(t - a, 0)) OVER w AS b_all
            FROM unit WINDOW w AS (PARTITION BY area_id, period)
        ),
        pair AS (
            SELECT area_id, period, fsum(abs(a * b_all - b * a_all)) AS gap,
                   fsum(a / a_all * (a / t)) FILTER (WHERE t > 0) AS isolation,
                   fsum(a / a_all * (b / t)) FILTER (WHERE t > 0) AS exposure,
                   bool_or(a > t) AS a_above, any_value(a_all) AS a_all, any_value(b_all) AS b_all
            FROM two GROUP BY ALL
        ),
        share AS (  -- the groups' shares, for the entropy of the whole and of each unit
            SELECT area_id, period, unit, grp, value, sum(value) OVER (PARTITION BY area_id, period, grp) AS g_total,
                   sum(value) OVER (PARTITION BY area_id, period) AS total,
                   sum(value) OVER (PARTITION BY area_id, period, unit) AS u_total
            FROM part WHERE grp <> ''
        ),
        whole AS (
            SELECT area_id, period, any_value(total) AS total, count(DISTINCT grp) AS groups,
                   -fsum(g_total / total * ln(g_total / total)) FILTER (WHERE g_total > 0) AS entropy
            FROM (SELECT DISTINCT area_id, period, grp, g_total, total FROM share) GROUP BY ALL
        ),
        per_unit AS (
            SELECT area_id, period, unit, any_value(u_total) AS u_total,
                   -fsum(value / u_total * ln(value / u_total)) FILTER (WHERE value > 0) AS entropy
            FROM share WHERE u_total > 0 GROUP BY ALL
        ),
        theil AS (
            SELECT w.area_id, w.period,
                   CASE WHEN w.groups >= 2 AND w.total > 0 AND w.entropy <> 0 THEN
                       least(1.0, greatest(0.0, fsum(u.u_total * (1 - coalesce(u.entropy, 0) / w.entropy)) / w.total))
                   END AS theil
            FROM whole w LEFT JOIN per_unit u USING (area_id, period) GROUP BY w.area_id, w.period, w.groups,
                 w.total, w.entropy
        )
        SELECT area_id, period,
               CASE $kind
                   WHEN 'dissimilarity' THEN CASE WHEN p.a_all > 0 AND p.b_all > 0
                                             THEN least(1.0, p.gap / (2 * p.a_all * p.b_all)) END
                   WHEN 'isolation' THEN CASE WHEN NOT p.a_above AND p.a_all > 0 THEN p.isolation END
                   WHEN 'exposure' THEN CASE WHEN NOT p.a_above AND p.a_all > 0 THEN p.exposure END
                   ELSE theil.theil
               END
        FROM pair p LEFT JOIN theil USING (area_id, period)
        """,
        params | {"kind": str(indicator.derivation)},
    ).fetchall()
    found: Cells = defaultdict(dict)
    for area, period, value in rows:
        if value is not None:
            found[(area, TOTAL)][period] = Cell(period, value, source="derived")
    return dict(found)


# ------------------------------------------------------------ series and periods


def series_of(
    read_model: ReadModel, cur: duckdb.DuckDBPyConnection, indicator: IndicatorInfo, areas: Iterable[int], key: str
) -> dict[int, dict[str, Cell]]:
    """Each area's cells of the indicator for a breakdown: reported, else derived, else rolled up."""
    wanted = set(areas)
    found = {area: series for (area, _), series in reported(cur, indicator.id, areas=wanted, key=key).items()}
    if indicator.derivation and key == TOTAL and wanted - found.keys():
        found |= {area: series for (area, _), series in derived(cur, indicator, areas=wanted - found.keys()).items()}
    above = wanted - found.keys() - reporting(read_model, cur, indicator.id)
    if above:
        found |= {area: series for (area, _), series in aggregated(cur, indicator, areas=above, key=key).items()}
    return found


def series_cells(
    read_model: ReadModel, cur: duckdb.DuckDBPyConnection, indicator: IndicatorInfo, area_id: int, key: str
) -> dict[str, Cell]:
    """The indicator's cells for an area and breakdown: reported, else derived, else rolled up."""
    return series_of(read_model, cur, indicator, (area_id,), key).get(area_id, {})


def cells_at(
    read_model: ReadModel, cur: duckdb.DuckDBPyConnection, indicator: IndicatorInfo, period: str
) -> dict[tuple[int, str], Cell]:
    """Every cell of one period, (area, breakdown) -> cell: reported, derived and rolled up.

    Remembered until a submission touches this period of the indicator (or of what it is derived from),
    or the areas it is reported for.
    """

    def build() -> dict[tuple[int, str], Cell]:
        found: dict[tuple[int, str], Cell] = {}
        for source in (
            aggregated(cur, indicator, period=period),
            derived(cur, indicator, period=period),
            reported(cur, indicator.id, period=period),
        ):  # the later win: reported before derived before rolled up, as in a series
            found |= {cell_key: series[period] for cell_key, series in source.items() if period in series}
        return found

    return read_model.memo(("cells at", indicator.id, period), build, indicators=sources(indicator), period=period)


def with_totals(read_model: ReadModel, cur: duckdb.DuckDBPyConnection, indicator: IndicatorInfo) -> dict[int, str]:
    """The areas with a total in some period, and where it comes from: reported, derived or aggregated."""

    def build() -> dict[int, str]:
        found: dict[int, str] = {}
        if indicator.aggregation != Aggregation.none and not indicator.derivation:
            # Rolled up: an area above reporting areas of which one has a value (not suppressed) in some period.
            rows = cur.execute(
                f"""WITH rep AS ({_REPORTING})
                    SELECT DISTINCT x.ancestor_id FROM observation c JOIN area_ancestor x ON x.area_id = c.area_id
                    WHERE c.indicator_id = $indicator AND c.breakdown = '' AND {_COUNTS}
                      AND x.ancestor_id NOT IN (SELECT area_id FROM rep)""",
                {"indicator": indicator.id},
            ).fetchall()
            found |= {ancestor: "aggregated" for (ancestor,) in rows}
        found |= {area: "derived" for (area, _) in derived(cur, indicator)}
        for (area,) in cur.execute(
            "SELECT DISTINCT area_id FROM observation WHERE indicator_id = ? AND breakdown = ''", [indicator.id]
        ).fetchall():
            found[area] = "reported"
        return found

    return read_model.memo(("with totals", indicator.id), build, indicators=sources(indicator))


def is_member(cell: Cell | None) -> bool:
    """Whether a reported cell counts in the roll-ups above it: a value, not suppressed at source."""
    return cell is not None and not cell.suppressed and cell.value is not None
