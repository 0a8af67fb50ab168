"""The alliance's set-up, kind by kind, for the staff's pages: the rows as the set-up files hold them, and
rows (typed into a grid, pasted or uploaded) loaded through the same loader as ``POST /api/v1/config``."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from api.errors import BackboneError, ErrorItem, Invalid
from api.models.assignment import AssignmentCreate
from api.models.boundary import BoundariesStored
from api.models.common import Channel
from api.models.config import ConfigLoaded, UserInvitation
from api.services.common import one_change
from api.services.config import load, tables
from api.services.config.tables import Row
from api.services.metadata import assignments
from api.services.metadata import boundaries as boundary_service
from dashboard import context

__all__ = [
    "BoundariesStored",
    "ConfigLoaded",
    "Row",
    "UserInvitation",
    "assign",
    "boundary_areas",
    "columns",
    "levels",
    "load_rows",
    "read_table",
    "replace_boundaries",
    "rows",
    "window",
]


def columns(file: str) -> list[str]:
    """The columns of a set-up file, in order."""
    return tables.COLUMNS[file]


def rows(file: str) -> list[Row]:
    """The kind's rows now, in the file's order."""
    with context.backbone().db.session() as session:
        return tables.READERS[file](session)


def window(
    file: str, *, find: str = "", where: Mapping[str, Collection[str]] | None = None, offset: int = 0, limit: int | None
) -> tuple[int, list[Row]]:
    """The kind's rows with ``find`` in a code or name and ``where``'s values: how many, and ``limit`` of them."""
    with context.backbone().db.session() as session:
        return tables.window(session, file, find=find, where=where, offset=offset, limit=limit)


def levels() -> list[str]:
    """The levels areas have, in order."""
    with context.backbone().db.session() as session:
        return tables.levels(session)


def read_table(file: str, data: bytes) -> list[tuple[int, Row]]:
    """Rows pasted or uploaded (CSV with commas, semicolons or tabs, or XLSX), by their row number."""
    return load.read_table(file, data)


def load_rows(file: str, found: list[tuple[int, Row]], *, dry_run: bool) -> ConfigLoaded:
    """Load the rows as the current admin, all or nothing (a check only, with ``dry_run``)."""
    backbone = context.backbone()
    with backbone.db.transaction(write=not dry_run) as session:
        return load.load(
            session=session,
            actor=context.user(),
            files={file: found},
            settings=backbone.settings,
            base_url=str(context.request().base_url),
            dry_run=dry_run,
            channel=Channel.form,
        )


def assign(cells: list[tuple[str, str, str]]) -> int:
    """Who reports each (area, indicator, organisation code or "" for no one), all or nothing; how many changed.

    A new reporter replaces the old one (values already reported stay theirs). Refused cells raise
    ``Invalid`` with one problem each: ``row`` its place in ``cells``, ``column`` the indicator.
    """
    backbone, actor = context.backbone(), context.user()
    changed, problems = 0, []
    with backbone.db.transaction() as session:
        current = {  # the cells' areas only: a national alliance has 240,000 assignments
            (a.area, a.indicator): a
            for area in sorted({area for area, _indicator, _organisation in cells})
            for a in assignments.list_assignments(session=session, limit=1_000_000, offset=0, area=area).items
        }
        with one_change(session, actor, "assignments changed in the grid", channel=Channel.form):
            for place, (area, indicator, organisation) in enumerate(cells):
                old = current.get((area, indicator))
                if (old.organisation if old else "") == organisation:
                    continue
                try:
                    if old is not None:
                        assignments.delete_assignment(session=session, actor=actor, assignment_id=old.id)
                    if organisation:
                        data = AssignmentCreate(organisation=organisation, indicator=indicator, area=area)
                        assignments.create_assignment(session=session, actor=actor, data=data)
                    session.flush()
                    changed += 1
                except BackboneError as exc:
                    problems.append(ErrorItem(code=exc.code, message=exc.message, row=place, column=indicator))
        if problems:
            session.rollback()
            raise Invalid(f"{len(problems)} assignments could not be made", code="not_assigned", errors=problems)
    return changed


def boundary_areas() -> list[str]:
    """The codes of the areas with a stored boundary."""
    with context.backbone().db.session() as session:
        return [feature["properties"]["code"] for feature in boundary_service.boundaries(session=session)["features"]]


def replace_boundaries(document: bytes) -> BoundariesStored:
    """Replace every boundary with those of a GeoJSON FeatureCollection, checked whole (as ``PUT`` does)."""
    with context.backbone().db.transaction() as session:
        return boundary_service.replace_boundaries(session=session, actor=context.user(), document=document)
