"""Which cells a caller may not see: small counts hidden, and enough others that none can be worked out.

Admins see every raw value, members their own organisation's; everyone else gets
primary suppression (small counts, rates over small denominators) and secondary
suppression across each area's breakdown and the roll-ups above it. Worked out once
per indicator, period and audience, and remembered (also across restarts, in the read model's file) until a
submission touches that period of the indicator or the areas it is reported for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable

import duckdb

from api.models.common import Aggregation, Role
from api.models.observation import parse_breakdown
from api.readmodel import ReadModel
from api.services.accounts.auth import Principal
from api.services.analytics.cells import Cell, cells_at, is_member
from api.services.analytics.reference import TOTAL, IndicatorInfo, area_tree, sources
from indicators.suppression import Constraint, needs_suppression, secondary_suppression


def may_see_raw(principal: Principal | None, organisation_id: int | None) -> bool:
    """Admins see every raw value, members the values their organisation reported; others see suppressed values."""
    if principal is None:
        return False
    return principal.role is Role.admin or (
        principal.role is Role.member and organisation_id is not None and principal.organisation_id == organisation_id
    )


def reader_of(principal: Principal | None) -> int | None:
    """The organisation whose own cells a caller sees raw (members), for suppression around them."""
    return principal.organisation_id if principal is not None and principal.role is Role.member else None


def audience(principal: Principal | None) -> Hashable:
    """What of a caller decides which values it sees: figures made for one audience serve all of it."""
    if principal is None:
        return "public"
    if principal.role is Role.admin:
        return "raw"
    return ("member", principal.organisation_id) if principal.role is Role.member else "viewer"


def hidden_cells(
    read_model: ReadModel,
    cur: duckdb.DuckDBPyConnection,
    indicator: IndicatorInfo,
    period: str,
    reader: int | None = None,
) -> frozenset[tuple[int, str]]:
    """(area, breakdown) cells of one period that a reader without raw access must not see.

    Primary suppression hides small counts (and rates over small denominators);
    secondary suppression hides more cells of the same tables, the breakdown of
    each area (total = sum of groups) and the roll-ups (region = sum of its
    reporting areas), until no hidden cell can be worked out from the others.
    ``reader`` is the organisation of a member: it sees the cells it reported, so
    those count as known, and other cells are hidden in their place.
    """

    def build() -> frozenset[tuple[int, str]]:
        if indicator.threshold <= 0 or indicator.derivation:
            return frozenset()
        is_rate = indicator.aggregation in (Aggregation.ratio, Aggregation.weighted_mean)
        table = {k: c for k, c in cells_at(read_model, cur, indicator, period).items() if c.source != "derived"}
        known = {k for k, c in table.items() if reader is not None and c.organisation_id == reader}
        primary = {
            cell_key
            for cell_key, cell in table.items()
            if cell.suppressed
            or needs_suppression(
                value=cell.value, denominator=cell.denominator, is_rate=is_rate, threshold=indicator.threshold
            )
        } - known
        if not primary:
            return frozenset()
        amount = {k: (c.denominator if is_rate else c.value) for k, c in table.items()}
        constraints = _breakdown_constraints(table) + _rollup_constraints(read_model, cur, indicator, table)
        return frozenset(secondary_suppression(amount, constraints, primary, known) - known)

    # Worked out once per period and kept in the read model's file: at scale this is the slowest figure
    # there is (secondary suppression solves the tables' sums), and a restart finds it there. Kept while
    # what it reads of the period stays: a new value of a rate over the same denominator keeps it.
    return read_model.memo(
        ("hidden", indicator.id, period, reader),
        build,
        indicators=sources(indicator),
        period=period,
        sizes=True,
        keep=(lambda cells: sorted(cells), lambda rows: frozenset((area, key) for area, key in rows)),
    )


def _breakdown_constraints(table: dict[tuple[int, str], Cell]) -> list[Constraint[tuple[int, str]]]:
    groups: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    for area, key in table:
        parts = parse_breakdown(key)
        if len(parts) == 1:
            (dimension,) = parts
            groups[(area, dimension)].append((area, key))
    return [Constraint(total=(area, TOTAL), members=tuple(sorted(members))) for (area, _), members in groups.items()]


def _rollup_constraints(
    read_model: ReadModel, cur: duckdb.DuckDBPyConnection, indicator: IndicatorInfo, table: dict[tuple[int, str], Cell]
) -> list[Constraint[tuple[int, str]]]:
    tree = area_tree(read_model, cur)
    rolled = {cell_key for cell_key, cell in table.items() if cell.source == "aggregated"}
    # A roll-up is the sum of the reporting areas below it that have a value, and of no others.
    counted = {cell_key for cell_key, cell in table.items() if cell.source == "reported" and is_member(cell)}
    below: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    for area, key in counted:
        for ancestor in tree.ancestors(area):
            below[(ancestor, key)].append((area, key))
    return [
        Constraint(total=cell_key, members=tuple(sorted(below[cell_key])))
        for cell_key in sorted(rolled)
        if below.get(cell_key)
    ]
