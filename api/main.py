"""The application: JSON API under /api/v1 and the Dash dashboard under /dashboard/, one process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse

from api import __version__
from api.config import Settings
from api.db import Database
from api.deps import Backbone
from api.docs import install_docs
from api.errors import install_error_handlers
from api.headers import SecurityHeaders
from api.migrate import is_current
from api.openapi import install_openapi
from api.ratelimit import LoginThrottle, Rate
from api.readmodel import ReadModel
from api.routes import api_router
from api.security import dummy_hash
from api.services.accounts.throttle import StoredWindow
from dashboard import drop_global_catch_all, mount_dashboard


def open_backbone(settings: Settings) -> Backbone:
    """What a running app holds for ``settings``: the system of record, its read model, the login throttle."""
    if settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(
        settings.resolved_database_url,
        busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        pool_size=settings.database_pool_size,
    )
    failures, attempts = Rate.parse(settings.login_rate_limit), Rate.parse(settings.login_client_rate_limit)
    if db.is_sqlite:  # one process: it counts on its own, and a login never waits for an import's write lock
        logins = LoginThrottle.in_process(failures=failures, attempts=attempts)
    else:  # every worker and host counts together
        logins = LoginThrottle(
            failures=StoredWindow(db, "failure", failures, secret=settings.secret),
            attempts=StoredWindow(db, "attempt", attempts, secret=settings.secret),
        )
    if settings.read_model_file:
        read_model = ReadModel.persisted(db, settings.read_model_files, memory_limit=settings.read_model_memory_limit)
    else:
        read_model = ReadModel(db)
    return Backbone(settings=settings, db=db, read_model=read_model, logins=logins)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start: check the schema, bring the read model up to date; stop: close it and the database's connections."""
    backbone: Backbone = app.state.backbone
    if not is_current(backbone.db.engine):
        raise RuntimeError("The database schema is not up to date: run `backbone init-db` first")
    backbone.read_model.sync()
    dummy_hash()  # made now, so that the first login of an unknown user takes no longer than others
    drop_global_catch_all(app)
    yield
    backbone.read_model.close()
    backbone.db.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (default: from the environment).

    Everything that depends on the data is in ``app.state.backbone``; of the settings, only the CORS
    origins and HSTS shape the app itself.
    """
    settings = settings or Settings()
    app = FastAPI(
        title="Backbone",
        version=__version__,
        description="Shared measurement for Collective Impact alliances.",
        lifespan=lifespan,
        docs_url=None,  # api/docs.py serves /docs with its own CSP; no /redoc
        redoc_url=None,
    )
    app.state.backbone = open_backbone(settings)
    install_error_handlers(app)
    app.include_router(api_router)
    install_openapi(app)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/dashboard/")

    install_docs(app)
    dash_app = mount_dashboard(app)
    if settings.cors_origin_list:
        # Closed unless listed: bearer tokens, no cookies, so no credentials across origins.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Accept-Language"],
            expose_headers=["Retry-After"],
            max_age=600,
        )
    # Added last, so outermost: every response gets the headers, errors and CORS preflights too.
    app.add_middleware(SecurityHeaders, script_hashes=dash_app.csp_hashes, hsts_max_age=settings.hsts_max_age)
    return app
