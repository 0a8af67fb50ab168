"""Baselines and targets: list, create, update and delete (admin)."""

from __future__ import annotations

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from api.errors import Conflict, Invalid, NotFound
from api.models import Area, Indicator, Target
from api.models.common import Page, stored_id
from api.models.target import TargetCreate, TargetPublic, TargetUpdate
from api.services.accounts.auth import Principal
from api.services.common import get_by_code, page_of, record_change
from indicators import periods

TargetArea = aliased(Area)


def _select() -> Select[Target, str, str | None]:
    return (
        select(Target, Indicator.code, TargetArea.code)
        .join(Indicator, col(Indicator.id) == Target.indicator_id)
        .outerjoin(TargetArea, col(Target.area_id) == TargetArea.id)
    )


def _public(row: tuple[Target, str, str | None]) -> TargetPublic:
    target, indicator, area = row
    return TargetPublic.model_validate(target, update={"indicator": indicator, "area": area})


def list_targets(
    *, session: Session, limit: int, offset: int, indicator: str | None = None, area: str | None = None
) -> Page[TargetPublic]:
    """Targets, filtered by indicator or area (``area=`` with an empty value: alliance-wide ones)."""
    statement = _select().order_by(Indicator.code, TargetArea.code, Target.target_period)
    if indicator:
        statement = statement.where(Indicator.code == indicator)
    if area is not None:
        statement = statement.where(TargetArea.code == area) if area else statement.where(col(Target.area_id).is_(None))
    rows, total = page_of(session, statement, limit, offset)
    return Page(items=[_public(r) for r in rows], total=total, limit=limit, offset=offset)


def _normalized(indicator: Indicator, baseline_period: str, target_period: str) -> tuple[str, str]:
    result = []
    for field, period in (("baseline_period", baseline_period), ("target_period", target_period)):
        try:
            result.append(periods.normalize(period, indicator.period_type))
        except periods.PeriodError as exc:
            raise Invalid(f"{field}: {exc}", code="invalid_period") from exc
    baseline, target = result
    if periods.position(target, indicator.period_type) <= periods.position(baseline, indicator.period_type):
        raise Invalid("The target period must come after the baseline period", code="invalid_period")
    return baseline, target


def _check_free(session: Session, target: Target) -> None:
    clash = session.exec(
        select(Target.id).where(
            Target.indicator_id == target.indicator_id,
            col(Target.area_id).is_(None) if target.area_id is None else Target.area_id == target.area_id,
            Target.target_period == target.target_period,
            Target.id != (target.id or -1),
        )
    ).first()
    if clash is not None:
        raise Conflict(f"Target {clash} already covers this indicator, area and target period", code="duplicate_target")


def create_target(*, session: Session, actor: Principal | None, data: TargetCreate) -> TargetPublic:
    """Set a baseline and a target for an indicator, alliance-wide or for one area."""
    indicator = get_by_code(session, Indicator, data.indicator, "indicator")
    area = get_by_code(session, Area, data.area, "area") if data.area else None
    baseline_period, target_period = _normalized(indicator, data.baseline_period, data.target_period)
    target = Target(
        indicator_id=stored_id(indicator),
        area_id=area.id if area else None,
        baseline_period=baseline_period,
        baseline_value=data.baseline_value,
        target_period=target_period,
        target_value=data.target_value,
    )
    _check_free(session, target)
    session.add(target)
    session.flush()
    record_change(session, actor, f"target {target.id} for {data.indicator} created")
    return _public((target, indicator.code, area.code if area else None))


def _get(session: Session, target_id: int) -> tuple[Target, Indicator]:
    target = session.get(Target, target_id)
    if target is None:
        raise NotFound(f"No target with id {target_id}")
    return target, session.get_one(Indicator, target.indicator_id)


def update_target(*, session: Session, actor: Principal | None, target_id: int, data: TargetUpdate) -> TargetPublic:
    """Change the periods or values of a target."""
    target, indicator = _get(session, target_id)
    changes = data.model_dump(exclude_unset=True)
    if any(value is None for value in changes.values()):
        raise Invalid("Target fields cannot be emptied; delete the target instead", code="required")
    for name, value in changes.items():
        setattr(target, name, value)
    target.baseline_period, target.target_period = _normalized(indicator, target.baseline_period, target.target_period)
    _check_free(session, target)
    session.add(target)
    record_change(session, actor, f"target {target_id} updated")
    area = session.get(Area, target.area_id) if target.area_id else None
    return _public((target, indicator.code, area.code if area else None))


def delete_target(*, session: Session, actor: Principal | None, target_id: int) -> None:
    """Remove a target."""
    target, _ = _get(session, target_id)
    session.delete(target)
    record_change(session, actor, f"target {target_id} deleted")
