"""Source mappings for the upload page (which ones there are) and the staff's mappings page (read, check on a
sample file, save, delete), as the current user; changes name the dashboard's channel (``form``) in the audit."""

from __future__ import annotations

from api.models.common import Channel
from api.models.mapping import MappedRow, MappingDocument, MappingSummary
from api.services.imports import mappings as mapping_service
from api.services.imports import uploads
from dashboard import context

__all__ = [
    "MappedRow",
    "MappingDocument",
    "MappingSummary",
    "check_sample",
    "create",
    "delete",
    "document_text",
    "mapping",
    "mappings",
    "parse",
    "replace",
]

MANY = 10_000  # every mapping of an alliance: a few dozen at most


def mappings() -> list[MappingSummary]:
    """Every mapping of the alliance, by code: its name, description and where its files are published."""
    with context.backbone().db.session() as session:
        return mapping_service.list_mappings(session=session, limit=MANY, offset=0).items


def mapping(code: str) -> MappingDocument:
    """One mapping (NotFound if there is none with this code)."""
    with context.backbone().db.session() as session:
        return mapping_service.get_mapping(session=session, code=code)


def document_text(document: MappingDocument) -> str:
    """A mapping as YAML to read and edit."""
    return mapping_service.document_yaml(document)


def parse(text: str) -> MappingDocument:
    """A mapping from YAML or JSON text, checked in itself (Invalid with the path of every problem)."""
    return mapping_service.parse_document(text.encode("utf-8"))


def check_sample(document: MappingDocument, name: str, data: bytes, limit: int) -> tuple[int, list[MappedRow]]:
    """A sample file through the mapping alone (nothing stored, nothing checked against the alliance's set-up):
    how many observations it makes, and the first ``limit``; ImportRejected with every problem."""
    settings = context.backbone().settings
    spooled = uploads.spool_bytes(settings=settings, name=name, data=data)
    try:
        return mapping_service.check_file(
            spooled, document, max_rows=settings.max_import_rows, max_errors=settings.max_error_count, limit=limit
        )
    finally:
        spooled.remove()


def create(document: MappingDocument) -> MappingDocument:
    """A new mapping, as the current admin (Conflict if the code is taken)."""
    with context.backbone().db.transaction(write=True) as session:
        return mapping_service.create_mapping(
            session=session, actor=context.user(), document=document, channel=Channel.form
        )


def replace(code: str, document: MappingDocument) -> MappingDocument:
    """A new version of the mapping ``code``, as the current admin (its code stays)."""
    with context.backbone().db.transaction(write=True) as session:
        return mapping_service.replace_mapping(
            session=session, actor=context.user(), code=code, document=document, channel=Channel.form
        )


def delete(code: str) -> None:
    """Remove a mapping, as the current admin; what was imported through it stays."""
    with context.backbone().db.transaction(write=True) as session:
        mapping_service.delete_mapping(session=session, actor=context.user(), code=code, channel=Channel.form)
