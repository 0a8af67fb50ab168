"""The API's documentation page (Swagger UI at /docs) with its own Content-Security-Policy.

Swagger UI's script and stylesheet come from the jsDelivr CDN (as FastAPI serves them), so
this page alone may load from there; its one inline script is allowed by its hash, computed
from the very page served. No favicon or validator badge is fetched from elsewhere.
"""

from __future__ import annotations

from functools import lru_cache

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse

from api.headers import inline_script_hashes, policy

CDN = "https://cdn.jsdelivr.net"
DOCS_URL = "/docs"
REDIRECT_URL = "/docs/oauth2-redirect"


def _with_policy(html: str, *, cdn: bool) -> HTMLResponse:
    sources = [CDN] if cdn else []
    header = policy([*sources, *inline_script_hashes(html)], style_src=" ".join(["'self' 'unsafe-inline'", *sources]))
    return HTMLResponse(html, headers={"Content-Security-Policy": header})


def install_docs(app: FastAPI) -> None:
    """Serve /docs and its OAuth2 redirect page (the app is made with ``docs_url=None``)."""

    @lru_cache(maxsize=8)
    def page(root_path: str) -> str:
        html = get_swagger_ui_html(
            openapi_url=root_path + (app.openapi_url or "/openapi.json"),
            title=f"{app.title} - API",
            oauth2_redirect_url=root_path + REDIRECT_URL,
            swagger_favicon_url=root_path + "/dashboard/_favicon.ico",
            swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": False},
        )
        return bytes(html.body).decode()

    async def docs(request: Request) -> HTMLResponse:
        return _with_policy(page(request.scope.get("root_path", "").rstrip("/")), cdn=True)

    async def oauth2_redirect(_request: Request) -> HTMLResponse:
        return _with_policy(bytes(get_swagger_ui_oauth2_redirect_html().body).decode(), cdn=False)

    app.add_route(DOCS_URL, docs, include_in_schema=False)
    app.add_route(REDIRECT_URL, oauth2_redirect, include_in_schema=False)
