"""The alliance's whole set-up as files: downloaded as one zip, loaded back all or nothing (admin)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from api.deps import AdminUser, BackboneDep, SessionDep
from api.errors import error_responses
from api.models.common import Channel
from api.models.config import ConfigLoaded
from api.services.config import load, tables
from api.services.imports.receive import FIELD, receive_upload

router = APIRouter(tags=["config"])

_ZIP: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/zip": {}}, "description": "one CSV file per kind, as in seed_data/"}
}
_UPLOAD = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [FIELD],
                    "properties": {FIELD: {"type": "string", "format": "binary", "description": "the set-up as a zip"}},
                }
            }
        },
    }
}


@router.get("/config.zip", response_class=Response, responses={**error_responses(401, 403), **_ZIP})
def export_config(session: SessionDep, admin: AdminUser) -> Response:
    """The whole set-up (agenda, goals, indicators, dimensions, areas, organisations, assignments, targets, users
    without any secret) as one zip of CSV files, in the format of ``seed_data/``."""
    return Response(
        tables.export_zip(session),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="config.zip"'},
    )


@router.post("/config", responses=error_responses(401, 403, 409, 413, 415, 422), openapi_extra=_UPLOAD)
async def load_config(
    request: Request,
    session: SessionDep,
    admin: AdminUser,
    backbone: BackboneDep,
    dry_run: Annotated[bool, Query(description="check and count only; write nothing")] = False,
) -> ConfigLoaded:
    """Load a set-up zip (as ``GET /config.zip`` gives): all or nothing, per kind how many rows were (or would be)
    created, updated and left unchanged; 422 with file, row, column and message for every problem. Rows missing from
    a file are left as they are. New users get invitation links, listed in the answer."""
    spooled = await receive_upload(
        body=request.stream(),
        content_type=request.headers.get("content-type", ""),
        content_length=request.headers.get("content-length"),
        settings=backbone.settings,
    )
    try:
        return await run_in_threadpool(
            lambda: load.load(
                session=session,
                actor=admin,
                files=load.read_zip(spooled.path, max_bytes=backbone.settings.max_upload_bytes),
                settings=backbone.settings,
                base_url=str(request.base_url),
                dry_run=dry_run,
                channel=Channel.api,
            )
        )
    finally:
        spooled.remove()
