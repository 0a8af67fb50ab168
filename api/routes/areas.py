from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.deps import AdminUser, PageDep, SessionDep
from api.errors import TooLarge, error_responses
from api.models.area import AreaCreate, AreaPublic, AreaUpdate
from api.models.boundary import BoundariesStored
from api.models.common import AreaLevel, Page
from api.services.metadata import areas as service
from api.services.metadata import boundaries as boundaries_service

router = APIRouter(prefix="/areas", tags=["areas"])


@router.get("", responses=error_responses(422))
def list_areas(
    session: SessionDep,
    page: PageDep,
    level: AreaLevel | None = None,
    parent: Annotated[str | None, Query(max_length=60, description="code of the parent area")] = None,
) -> Page[AreaPublic]:
    """Areas, optionally of one level or below one parent."""
    return service.list_areas(session=session, limit=page.limit, offset=page.offset, level=level, parent=parent)


class FeatureCollection(BaseModel):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[dict[str, Any]]


_GEOJSON = {
    "requestBody": {
        "required": True,
        "description": "a GeoJSON FeatureCollection; each feature's `properties.code` is an area code",
        "content": {"application/geo+json": {"schema": {"type": "object"}}, "application/json": {}},
    }
}


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) as soon as it grows past ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"The body is larger than {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"The body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


@router.get("/boundaries")
def get_boundaries(session: SessionDep) -> FeatureCollection:
    """The areas' boundaries as a GeoJSON FeatureCollection (none until backbone staff upload them)."""
    return FeatureCollection(**boundaries_service.boundaries(session=session))


@router.put("/boundaries", responses=error_responses(401, 403, 409, 413, 422), openapi_extra=_GEOJSON)
async def put_boundaries(request: Request, session: SessionDep, admin: AdminUser) -> BoundariesStored:
    """Replace the areas' boundaries with a GeoJSON FeatureCollection (admin): checked whole, all or nothing."""
    document = await _body(request, boundaries_service.MAX_BYTES)
    return await run_in_threadpool(
        lambda: boundaries_service.replace_boundaries(session=session, actor=admin, document=document)
    )


@router.get("/{code}", responses=error_responses(404))
def get_area(code: str, session: SessionDep) -> AreaPublic:
    """One area."""
    return service.get_area(session=session, code=code)


@router.post("", status_code=201, responses=error_responses(401, 403, 404, 409, 422))
def create_area(data: AreaCreate, session: SessionDep, admin: AdminUser) -> AreaPublic:
    """Add an area (admin)."""
    return service.create_area(session=session, actor=admin, data=data)


@router.patch("/{code}", responses=error_responses(401, 403, 404, 422))
def update_area(code: str, data: AreaUpdate, session: SessionDep, admin: AdminUser) -> AreaPublic:
    """Change an area or move it in the hierarchy (admin)."""
    return service.update_area(session=session, actor=admin, code=code, data=data)
