"""The JSON API under /api/v1: thin routes over the services."""

from fastapi import APIRouter

from api.routes import (
    activities,
    agenda,
    areas,
    assignments,
    audit,
    auth,
    completeness,
    dimensions,
    equity,
    exports,
    goals,
    health,
    imports,
    indicators,
    locks,
    narratives,
    observations,
    organisations,
    progress,
    reports,
    statuses,
    submissions,
    targets,
    users,
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
    activities,
    completeness,
    reports,
    locks,
    statuses,
    submissions,
    audit,
    exports,
    users,
):
    api_router.include_router(module.router)
