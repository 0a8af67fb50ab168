"""Indicators: list, read, create and update (admin)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from api.errors import Conflict, Invalid, NotFound
from api.models import Dimension, DimensionValue, Goal, Indicator, IndicatorDimension, Organisation
from api.models.common import Aggregation, Derivation, Page, Unit, stored_id
from api.models.indicator import IndicatorCreate, IndicatorPublic, IndicatorUpdate, check_rules
from api.services.accounts.auth import Principal
from api.services.common import apply_changes, get_by_code, ids_by_code, page_of, record_change
from api.services.metadata.assignments import end_assignments


def _dimension_codes(session: Session, indicator_ids: list[int]) -> dict[int, list[str]]:
    rows = session.exec(
        select(IndicatorDimension.indicator_id, Dimension.code)
        .join(Dimension, col(Dimension.id) == IndicatorDimension.dimension_id)
        .where(col(IndicatorDimension.indicator_id).in_(indicator_ids))
        .order_by(Dimension.code)
    ).all()
    codes: dict[int, list[str]] = defaultdict(list)
    for indicator_id, code in rows:
        codes[indicator_id].append(code)
    return codes


def _publics(session: Session, rows: Sequence[tuple[Indicator, str, str | None]]) -> list[IndicatorPublic]:
    dimensions = _dimension_codes(session, [stored_id(ind) for ind, _, _ in rows])
    sources = {ind.derived_from_id for ind, _, _ in rows if ind.derived_from_id}
    source_codes = dict(session.exec(select(Indicator.id, Indicator.code).where(col(Indicator.id).in_(sources))).all())
    return [
        IndicatorPublic.model_validate(
            ind,
            update={
                "goal": goal,
                "owner": owner,
                "dimensions": dimensions[stored_id(ind)],
                "derived_from": source_codes.get(ind.derived_from_id),
            },
        )
        for ind, goal, owner in rows
    ]


def _select() -> Select[Indicator, str, str | None]:
    return (
        select(Indicator, Goal.code, Organisation.code)
        .join(Goal, col(Goal.id) == Indicator.goal_id)
        .outerjoin(Organisation, col(Organisation.id) == Indicator.owner_id)
    )


def list_indicators(
    *, session: Session, limit: int, offset: int, goal: str | None = None, published_only: bool = False
) -> Page[IndicatorPublic]:
    """Indicators in agenda order, optionally of one goal; anonymous callers see published ones only."""
    statement = _select().order_by(col(Goal.position), col(Indicator.position), Indicator.code)
    if goal is not None:
        statement = statement.where(Goal.code == goal)
    if published_only:
        statement = statement.where(Indicator.published)
    rows, total = page_of(session, statement, limit, offset)
    return Page(items=_publics(session, rows), total=total, limit=limit, offset=offset)


def get_indicator(*, session: Session, code: str, published_only: bool = False) -> IndicatorPublic:
    """One indicator by code."""
    row = session.exec(_select().where(Indicator.code == code)).first()
    if row is None or (published_only and not row[0].published):
        raise NotFound(f"No indicator with code '{code}'")
    return _publics(session, [row])[0]


def _set_dimensions(session: Session, indicator: Indicator, codes: list[str]) -> None:
    ids = ids_by_code(session, Dimension, codes, "dimension")
    wanted = {ids[code] for code in codes}
    # Row by row, not one bulk delete: the audit sees which dimensions were removed and added.
    existing = session.exec(select(IndicatorDimension).where(IndicatorDimension.indicator_id == indicator.id)).all()
    for row in existing:
        if row.dimension_id not in wanted:
            session.delete(row)
    for dimension_id in wanted - {row.dimension_id for row in existing}:
        session.add(IndicatorDimension(indicator_id=stored_id(indicator), dimension_id=dimension_id))


def _derivation_source(session: Session, data: IndicatorCreate) -> int | None:
    """The id of the count indicator a derived indicator is computed from, after checking the pair."""
    if data.derivation is None:
        if data.derived_from or data.derivation_group:
            raise Invalid("'derived_from' and 'derivation_group' go with a 'derivation'", code="inconsistent_indicator")
        return None
    if not data.derived_from:
        raise Invalid(
            "A derived indicator needs 'derived_from': the count indicator it is computed from", code="required"
        )
    source = get_by_code(session, Indicator, data.derived_from, "indicator")
    dimensions = _dimension_codes(session, [stored_id(source)])[stored_id(source)]
    problem = None
    if source.aggregation != Aggregation.sum or source.derivation is not None:
        problem = f"'{source.code}' is not a reported count"
    elif source.period_type != data.period_type:
        problem = f"'{source.code}' is reported per {source.period_type}, not per {data.period_type}"
    elif data.derivation == Derivation.theil:
        if data.derivation_group not in dimensions:
            problem = f"for the Theil index, 'derivation_group' is a breakdown of '{source.code}': {dimensions}"
    else:
        dimension, _, value = (data.derivation_group or "").partition(":")
        values = session.exec(select(DimensionValue.code).join(Dimension).where(Dimension.code == dimension)).all()
        if dimension not in dimensions or value not in values:
            problem = f"'derivation_group' must be a group of '{source.code}' such as ses:low"
    if problem:
        raise Invalid(problem, code="inconsistent_indicator")
    return source.id


def create_indicator(*, session: Session, actor: Principal | None, data: IndicatorCreate) -> IndicatorPublic:
    """Add an indicator to a goal (or a derived one, computed from a count indicator in the child areas)."""
    if session.exec(select(Indicator).where(Indicator.code == data.code)).first():
        raise Conflict(f"An indicator with code '{data.code}' already exists", code="duplicate_code")
    goal = get_by_code(session, Goal, data.goal, "goal")
    owner = get_by_code(session, Organisation, data.owner, "organisation") if data.owner else None
    indicator = Indicator.model_validate(
        data.model_dump(exclude={"goal", "owner", "dimensions", "code", "derived_from"}),
        update={
            "code": data.code,
            "goal_id": goal.id,
            "owner_id": owner.id if owner else None,
            "derived_from_id": _derivation_source(session, data),
        },
    )
    session.add(indicator)
    session.flush()
    _set_dimensions(session, indicator, data.dimensions)
    record_change(session, actor, f"indicator {data.code} created")
    session.flush()
    return get_indicator(session=session, code=data.code)


def update_indicator(*, session: Session, actor: Principal | None, code: str, data: IndicatorUpdate) -> IndicatorPublic:
    """Change an indicator, or retire it (its assignments end; its values stay); its period type and derivation are
    fixed once created, as values depend on them."""
    indicator = get_by_code(session, Indicator, code, "indicator")
    changes = data.model_dump(exclude_unset=True, exclude={"goal", "owner", "dimensions"})
    for required in (
        "name",
        "unit",
        "direction",
        "aggregation",
        "suppression_threshold",
        "published",
        "position",
        "active",
    ):
        if changes.get(required, ...) is None:
            raise Invalid(f"'{required}' cannot be empty", code="required")
    if data.goal is not None:
        changes["goal_id"] = get_by_code(session, Goal, data.goal, "goal").id
    if "owner" in data.model_fields_set:
        changes["owner_id"] = get_by_code(session, Organisation, data.owner, "organisation").id if data.owner else None
    try:
        check_rules(
            Unit(changes.get("unit", indicator.unit)),
            Aggregation(changes.get("aggregation", indicator.aggregation)),
            indicator.derivation,
        )
    except ValueError as exc:
        raise Invalid(str(exc), code="inconsistent_indicator") from exc
    changed = apply_changes(indicator, changes)
    if data.dimensions is not None:
        _set_dimensions(session, indicator, data.dimensions)
        changed.append("dimensions")
    if changed:
        session.add(indicator)
        record_change(session, actor, f"indicator {code} updated: {', '.join(changed)}")
        session.flush()
    if "active" in changed and not indicator.active:
        end_assignments(session, actor, indicator_id=indicator.id)
    return get_indicator(session=session, code=code)
