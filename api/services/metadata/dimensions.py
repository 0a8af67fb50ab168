"""Breakdown dimensions and their values."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from api.errors import Conflict
from api.models import Dimension, DimensionValue, Observation
from api.models.common import Page, stored_id
from api.models.dimension import DimensionCreate, DimensionPublic, DimensionUpdate, DimensionValueIn
from api.services.accounts.auth import Principal
from api.services.common import get_by_code, page_of, record_change


def _public(session: Session, dimension: Dimension) -> DimensionPublic:
    values = session.exec(
        select(DimensionValue).where(DimensionValue.dimension_id == dimension.id).order_by(col(DimensionValue.position))
    ).all()
    return DimensionPublic(
        code=dimension.code,
        name=dimension.name,
        values=[DimensionValueIn(code=v.code, name=v.name) for v in values],
    )


def list_dimensions(*, session: Session, limit: int, offset: int) -> Page[DimensionPublic]:
    """Dimensions with their values."""
    rows, total = page_of(session, select(Dimension).order_by(Dimension.code), limit, offset)
    return Page(items=[_public(session, d) for d in rows], total=total, limit=limit, offset=offset)


def get_dimension(*, session: Session, code: str) -> DimensionPublic:
    """One dimension with its values."""
    return _public(session, get_by_code(session, Dimension, code, "dimension"))


def _check_unique(values: list[DimensionValueIn]) -> None:
    codes = [v.code for v in values]
    if len(set(codes)) != len(codes):
        raise Conflict("Each value of a dimension needs its own code", code="duplicate_code")


def create_dimension(*, session: Session, actor: Principal | None, data: DimensionCreate) -> DimensionPublic:
    """Add a dimension with its values."""
    if session.exec(select(Dimension).where(Dimension.code == data.code)).first():
        raise Conflict(f"A dimension with code '{data.code}' already exists", code="duplicate_code")
    _check_unique(data.values)
    dimension = Dimension(code=data.code, name=data.name)
    session.add(dimension)
    session.flush()
    for position, value in enumerate(data.values, start=1):
        session.add(
            DimensionValue(dimension_id=stored_id(dimension), code=value.code, name=value.name, position=position)
        )
    record_change(session, actor, f"dimension {data.code} created")
    session.flush()
    return _public(session, dimension)


def update_dimension(*, session: Session, actor: Principal | None, code: str, data: DimensionUpdate) -> DimensionPublic:
    """Rename a dimension or replace its list of values (values in use must stay)."""
    dimension = get_by_code(session, Dimension, code, "dimension")
    if data.name is not None:
        dimension.name = data.name
        session.add(dimension)
    if data.values is not None:
        _check_unique(data.values)
        existing = {
            v.code: v
            for v in session.exec(select(DimensionValue).where(DimensionValue.dimension_id == dimension.id)).all()
        }
        wanted = {v.code for v in data.values}
        for removed in sorted(set(existing) - wanted):
            key = f"{code}:{removed}"
            in_use = session.exec(
                select(func.count())
                .select_from(Observation)
                .where(
                    (col(Observation.breakdown) == key)
                    | col(Observation.breakdown).startswith(key + ",")
                    | col(Observation.breakdown).contains("," + key + ",")
                    | col(Observation.breakdown).endswith("," + key)
                )
            ).one()
            if in_use:
                raise Conflict(f"Value '{removed}' of '{code}' is used by {in_use} observations", code="in_use")
            session.delete(existing[removed])
        for position, value in enumerate(data.values, start=1):
            row = existing.get(value.code) or DimensionValue(
                dimension_id=stored_id(dimension), code=value.code, name=value.name
            )
            row.name, row.position = value.name, position
            session.add(row)
    record_change(session, actor, f"dimension {code} updated")
    session.flush()
    return _public(session, dimension)
