"""Areas and their hierarchy: list, read, create and update (admin)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from api.errors import Conflict, Invalid
from api.models import Area
from api.models.area import AreaCreate, AreaPublic, AreaUpdate
from api.models.common import AreaLevel, Page
from api.readmodel import ReadModel
from api.services.accounts.auth import Principal
from api.services.common import apply_changes, get_by_code, page_of, record_change
from api.services.metadata.assignments import end_assignments

Parent = aliased(Area)


def _public(area: Area, parent_code: str | None) -> AreaPublic:
    return AreaPublic(code=area.code, name=area.name, level=area.level, parent=parent_code, active=area.active)


def list_areas(
    *, session: Session, limit: int, offset: int, level: AreaLevel | None = None, parent: str | None = None
) -> Page[AreaPublic]:
    """Areas, optionally of one level or with one parent, by code."""
    statement = select(Area, Parent.code).outerjoin(Parent, col(Area.parent_id) == Parent.id).order_by(Area.code)
    if level is not None:
        statement = statement.where(Area.level == level)
    if parent is not None:
        statement = statement.where(Parent.code == parent)
    rows, total = page_of(session, statement, limit, offset)
    return Page(items=[_public(a, p) for a, p in rows], total=total, limit=limit, offset=offset)


def get_area(*, session: Session, code: str) -> AreaPublic:
    """One area by code."""
    area = get_by_code(session, Area, code, "area")
    parent = session.get(Area, area.parent_id) if area.parent_id else None
    return _public(area, parent.code if parent else None)


def _check_parent(session: Session, area: Area | None, parent_code: str) -> Area:
    parent = get_by_code(session, Area, parent_code, "parent area")
    ancestor: Area | None = parent
    while ancestor is not None:
        if area is not None and ancestor.id == area.id:
            raise Invalid(f"Area '{area.code}' cannot lie within itself", code="area_cycle")
        ancestor = session.get(Area, ancestor.parent_id) if ancestor.parent_id else None
    return parent


def create_area(*, session: Session, actor: Principal | None, data: AreaCreate) -> AreaPublic:
    """Add an area below an existing parent (or at the top)."""
    if session.exec(select(Area).where(Area.code == data.code)).first():
        raise Conflict(f"An area with code '{data.code}' already exists", code="duplicate_code")
    parent = _check_parent(session, None, data.parent) if data.parent else None
    area = Area(
        code=data.code, name=data.name, level=data.level, parent_id=parent.id if parent else None, active=data.active
    )
    session.add(area)
    record_change(session, actor, f"area {data.code} created")
    return _public(area, data.parent)


def update_area(*, session: Session, actor: Principal | None, code: str, data: AreaUpdate) -> AreaPublic:
    """Rename an area, change its level, move it under another parent, or retire it (its assignments end; the values
    reported for it stay)."""
    area = get_by_code(session, Area, code, "area")
    changes = data.model_dump(exclude_unset=True, exclude_none=True, exclude={"parent"})
    if "parent" in data.model_fields_set:
        changes["parent_id"] = _check_parent(session, area, data.parent).id if data.parent else None
    changed = apply_changes(area, changes)
    if changed:
        session.add(area)
        record_change(session, actor, f"area {code} updated: {', '.join(changed)}")
    if "active" in changed and not area.active:
        end_assignments(session, actor, area_id=area.id)
    return get_area(session=session, code=code)


def hierarchy(*, read_model: ReadModel, levels: Collection[AreaLevel]) -> dict[str, tuple[str, str | None, str]]:
    """The areas of these levels: code -> (name, parent code, level), remembered until the metadata changes."""
    cur = read_model.cursor()  # up to date first: what is remembered is checked against the latest changes

    def build() -> dict[str, tuple[str, str | None, str]]:
        rows = cur.execute(
            """SELECT a.code, a.name, p.code, a.level FROM area a LEFT JOIN area p ON p.id = a.parent_id
               WHERE list_contains($levels, a.level) ORDER BY a.code""",
            {"levels": [level.value for level in levels]},
        ).fetchall()
        return {code: (name, parent, level) for code, name, parent, level in rows}

    try:
        return read_model.memo(("hierarchy", tuple(sorted(levels))), build, indicators=())
    finally:
        cur.close()
