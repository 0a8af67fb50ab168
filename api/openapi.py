"""The OpenAPI document, completed where FastAPI cannot tell from the routes' signatures.

- Every operation with a request body can answer 400 (a body that is not JSON or not a form).
- Operations that serve anonymous callers and use a token only when one is sent (``OptionalUser``,
  whose bearer scheme is named ``OPTIONAL_TOKEN``) declare their security as optional,
  ``[{}, {"OAuth2PasswordBearer": []}]``, so that clients (and schemathesis) know no token is needed.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

# The names of security schemes in the OpenAPI document, not secrets.
OPTIONAL_TOKEN = "OptionalToken"  # noqa: S105
TOKEN = "OAuth2PasswordBearer"  # noqa: S105
_BAD_BODY = {
    "description": "Bad Request: the body could not be read",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
}


def _complete(schema: dict[str, Any]) -> dict[str, Any]:
    for operations in schema["paths"].values():
        for operation in operations.values():
            if "requestBody" in operation:
                operation["responses"].setdefault("400", _BAD_BODY)
            schemes = {name for requirement in operation.get("security", []) for name in requirement}
            if OPTIONAL_TOKEN in schemes:
                operation["security"] = [{TOKEN: []}] if TOKEN in schemes else [{}, {TOKEN: []}]
    schema.get("components", {}).get("securitySchemes", {}).pop(OPTIONAL_TOKEN, None)
    return schema


def install_openapi(app: FastAPI) -> None:
    """Have ``app.openapi()`` return the completed document (built once)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _complete(
                get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
