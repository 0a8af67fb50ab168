"""The application: JSON API under /api/v1 and the Dash dashboard under /dashboard/, one process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from api import __version__
from api.config import Settings
from api.db import Database
from api.deps import Backbone
from api.errors import install_error_handlers
from api.migrate import is_current
from api.openapi import install_openapi
from api.readmodel import ReadModel
from api.routes import api_router
from dashboard import drop_global_catch_all, mount_dashboard


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (default: from the environment)."""
    settings = settings or Settings()
    if settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.resolved_database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    backbone = Backbone(settings=settings, db=db, read_model=ReadModel(db))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not is_current(db.engine):
            raise RuntimeError("The database schema is not up to date: run `backbone init-db` first")
        backbone.read_model.sync()
        drop_global_catch_all(app)
        yield
        db.dispose()

    app = FastAPI(
        title="Backbone",
        version=__version__,
        description="Shared measurement for Collective Impact alliances.",
        lifespan=lifespan,
    )
    app.state.backbone = backbone
    install_error_handlers(app)
    app.include_router(api_router)
    install_openapi(app)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/dashboard/")

    mount_dashboard(app, backbone)
    return app
