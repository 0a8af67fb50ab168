"""Domain exceptions, each carrying its HTTP status, and the one JSON error shape.

Every error response of the API looks like ``ErrorBody``: a status, a stable
code, a message and a list of ``errors`` (with row and column for files, the
field path for JSON).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)


class ErrorItem(BaseModel):
    code: str
    message: str
    file: str | None = Field(default=None, description="the file, when several were sent together (a zip)")
    row: int | None = Field(default=None, description="row in the file, as a spreadsheet counts it")
    column: str | None = Field(default=None, description="column in the file")
    field: str | None = Field(default=None, description="path of the field in a JSON body or query")
    rule: str | None = Field(default=None, description="the source mapping's rule that produced the value")


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str
    errors: list[ErrorItem]
    error_count: int = Field(description="all errors found; the list may be capped")
    retryable: bool = False


class BackboneError(Exception):
    status_code = 400
    code = "bad_request"
    retryable = False

    def __init__(
        self,
        message: str,
        *,
        errors: list[ErrorItem] | None = None,
        error_count: int | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.errors = errors if errors is not None else [ErrorItem(code=self.code, message=message)]
        self.error_count = error_count if error_count is not None else len(self.errors)
        self.headers = headers

    def body(self) -> ErrorBody:
        return ErrorBody(
            status=self.status_code,
            code=self.code,
            message=self.message,
            errors=self.errors,
            error_count=self.error_count,
            retryable=self.retryable,
        )


class Unauthorized(BackboneError):
    status_code = 401
    code = "unauthorized"

    def __init__(self, message: str = "Log in first: send 'Authorization: Bearer TOKEN'", **kw: Any) -> None:
        super().__init__(message, headers={"WWW-Authenticate": "Bearer"}, **kw)


class Forbidden(BackboneError):
    status_code = 403
    code = "forbidden"


class NotFound(BackboneError):
    status_code = 404
    code = "not_found"


class Conflict(BackboneError):
    status_code = 409
    code = "conflict"


class Busy(Conflict):
    """Another write holds the database; the same request can simply be sent again."""

    code = "busy"
    retryable = True

    def __init__(self, message: str = "The database is busy with another change; try again in a moment") -> None:
        super().__init__(message, headers={"Retry-After": "2"})


class Invalid(BackboneError):
    status_code = 422
    code = "invalid"


class ImportRejected(Invalid):
    code = "import_rejected"


class TooLarge(BackboneError):
    status_code = 413
    code = "too_large"


class Unsupported(BackboneError):
    status_code = 415
    code = "unsupported_media_type"


class TooManyRequests(BackboneError):
    """Too many attempts from one client (logging in): wait ``retry_after`` seconds."""

    status_code = 429
    code = "too_many_requests"
    retryable = True

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


def error_response(error: BackboneError) -> JSONResponse:
    return JSONResponse(error.body().model_dump(), status_code=error.status_code, headers=error.headers)


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


def _field_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


async def _on_backbone_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BackboneError)
    return error_response(exc)


async def _on_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    items = [
        ErrorItem(code=str(err.get("type", "invalid")), message=str(err.get("msg", "")), field=_field_path(err["loc"]))
        for err in exc.errors()
    ]
    noun = "problem" if len(items) == 1 else "problems"
    return error_response(Invalid(f"The request has {len(items)} {noun}", errors=items, code="invalid_request"))


async def _on_http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    error = BackboneError(
        str(exc.detail),
        code=_HTTP_CODES.get(status, f"http_{status}"),
        headers=dict(exc.headers) if exc.headers is not None else None,
    )
    error.status_code = status
    return error_response(error)


def _is_lock_or_serialization(exc: DBAPIError) -> bool:
    text = str(exc.orig).lower()
    # SQLite: a writer waited longer than the busy timeout. PostgreSQL: deadlock,
    # serialization failure or lock timeout (SQLSTATE 40001, 40P01, 55P03).
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return "database is locked" in text or "database is busy" in text or sqlstate in {"40001", "40P01", "55P03"}


async def _on_database_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    if isinstance(exc, IntegrityError):
        # Two writes raced on the same key (the loser's checks ran before the winner committed).
        log.info("integrity conflict on %s %s: %s", request.method, request.url.path, exc.orig)
        error = Conflict("A concurrent change conflicts with this one; try again", code="concurrent_change")
        error.retryable = True
        error.headers = {"Retry-After": "1"}
        return error_response(error)
    if isinstance(exc, DataError):
        # E.g. a NUL character, which PostgreSQL cannot store in text.
        return error_response(
            Invalid("The request contains text or numbers that cannot be stored", code="invalid_data")
        )
    if _is_lock_or_serialization(exc):
        return error_response(Busy())
    return await _on_unexpected(request, exc)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    error = BackboneError("Something went wrong on our side; it has been logged", code="internal_error")
    error.status_code = 500
    return error_response(error)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(BackboneError, _on_backbone_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(DBAPIError, _on_database_error)
    app.add_exception_handler(Exception, _on_unexpected)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the error statuses a route can give."""
    return {status: {"model": ErrorBody, "description": _HTTP_CODES.get(status, "error")} for status in statuses}
