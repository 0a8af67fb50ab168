"""The JSON API under /api/v1: thin routes over the services."""

from fastapi import APIRouter

from api.routes import (
    agenda,
    areas,
    assignments,
    auth,
    completeness,
    dimensions,
    equity,
    exports,
    goals,
    health,
    imports,
    indicators,
    narratives,
    observations,
    organisations,
    progress,
    statuses,
    submissions,
    targets,
)

api_router = APIRouter(prefix="/api/v1")
for module in (
    health,
    auth,
    agenda,
    goals,
    indicators,
    dimensions,
    areas,
    organisations,
    assignments,
    targets,
    observations,
    imports,
    progress,
    equity,
    narratives,
    completeness,
    statuses,
    submissions,
    exports,
):
    api_router.include_router(module.router)
