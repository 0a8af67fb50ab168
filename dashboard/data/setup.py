"""The alliance's set-up, kind by kind, for the staff's pages: the rows as the set-up files hold them, and
rows (typed into a grid, pasted or uploaded) loaded through the same loader as ``POST /api/v1/config``."""

from __future__ import annotations

from api.models.common import Channel
from api.models.config import ConfigLoaded
from api.services.config import load, tables
from api.services.config.tables import Row
from dashboard import context

__all__ = ["ConfigLoaded", "Row", "columns", "load_rows", "read_table", "rows"]


def columns(file: str) -> list[str]:
    """The columns of a set-up file, in order."""
    return tables.COLUMNS[file]


def rows(file: str) -> list[Row]:
    """The kind's rows now, in the file's order."""
    with context.backbone().db.session() as session:
        return tables.READERS[file](session)


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
