from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from api.deps import AdminUser, CurrentUser, PageDep, SessionDep
from api.errors import TooLarge, error_responses
from api.models.common import Page
from api.models.mapping import MAX_DOCUMENT_BYTES, MappingDocument, MappingSummary
from api.services.imports import mappings as service

router = APIRouter(prefix="/mappings", tags=["mappings"])

_DOCUMENT: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/MappingDocument"}},
            "application/yaml": {"schema": {"$ref": "#/components/schemas/MappingDocument"}},
        },
    }
}


async def _document(request: Request) -> MappingDocument:
    """The request's body as a mapping, JSON or YAML (by its content type), at most MAX_DOCUMENT_BYTES."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_DOCUMENT_BYTES:
        raise TooLarge(f"A mapping is at most {MAX_DOCUMENT_BYTES // 1024} KB", code="mapping_too_large")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_DOCUMENT_BYTES:
            raise TooLarge(f"A mapping is at most {MAX_DOCUMENT_BYTES // 1024} KB", code="mapping_too_large")
    yaml = "yaml" in request.headers.get("content-type", "")
    return service.parse_document(body, name="body.yaml" if yaml else "body.json")


@router.get("", responses=error_responses(401, 422))
def list_mappings(session: SessionDep, page: PageDep, _user: CurrentUser) -> Page[MappingSummary]:
    """The alliance's source mappings: how each publisher's file becomes observations."""
    return service.list_mappings(session=session, limit=page.limit, offset=page.offset)


@router.get("/{code}", responses=error_responses(401, 404))
def get_mapping(code: str, session: SessionDep, _user: CurrentUser) -> MappingDocument:
    """One mapping, as the document that describes it."""
    return service.get_mapping(session=session, code=code)


@router.post("", status_code=201, responses=error_responses(401, 403, 409, 413, 422), openapi_extra=_DOCUMENT)
async def create_mapping(request: Request, session: SessionDep, admin: AdminUser) -> MappingDocument:
    """Add a mapping, sent as JSON or YAML (admin); checked whole: 422 with the path of every problem."""
    document = await _document(request)
    return await run_in_threadpool(lambda: service.create_mapping(session=session, actor=admin, document=document))


@router.put("/{code}", responses=error_responses(401, 403, 404, 413, 422), openapi_extra=_DOCUMENT)
async def replace_mapping(code: str, request: Request, session: SessionDep, admin: AdminUser) -> MappingDocument:
    """Replace a mapping by a new version (admin)."""
    document = await _document(request)
    return await run_in_threadpool(
        lambda: service.replace_mapping(session=session, actor=admin, code=code, document=document)
    )


@router.delete("/{code}", status_code=204, responses=error_responses(401, 403, 404))
def delete_mapping(code: str, session: SessionDep, admin: AdminUser) -> Response:
    """Remove a mapping (admin); what was imported through it stays."""
    service.delete_mapping(session=session, actor=admin, code=code)
    return Response(status_code=204)
