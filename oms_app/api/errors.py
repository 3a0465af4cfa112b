"""Translating failures into HTTP answers, in one place. No input ever yields a 5xx."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    IntegrityError,
    InterfaceError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Route

from oms_app.core.errors import DomainError, NotAuthenticated, TooManyRequests

log = logging.getLogger(__name__)


def _domain_error(_request: Request, exc: DomainError) -> JSONResponse:
    headers = {}
    if isinstance(exc, NotAuthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, TooManyRequests):
        headers["Retry-After"] = str(exc.retry_after)
    return JSONResponse({"detail": exc.message}, status_code=exc.status_code, headers=headers)


def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    # Echo where and why, never the raw input: it may be huge, binary or a password.
    detail = [
        {"loc": list(err.get("loc", ())), "msg": err.get("msg", ""), "type": err.get("type", "")}
        for err in exc.errors()
    ]
    return JSONResponse({"detail": detail}, status_code=422)


def _database_unavailable(_request: Request, exc: Exception) -> JSONResponse:
    log.error("database unavailable: %s", exc)
    return JSONResponse(
        {"detail": "The database is unavailable; please retry shortly"},
        status_code=503,
        headers={"Retry-After": "1"},
    )


def _database_error(request: Request, exc: DBAPIError) -> JSONResponse:
    if exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError):
        return _database_unavailable(request, exc)
    # Safety nets: validation should stop these first, but a bad value is still the client's.
    if isinstance(exc, DataError):
        return JSONResponse({"detail": "A value is out of range or malformed"}, status_code=422)
    if isinstance(exc, IntegrityError):
        return JSONResponse({"detail": "This conflicts with existing data"}, status_code=409)
    return _unexpected(request, exc)


def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return JSONResponse({"detail": "Internal server error"}, status_code=500)


def _method_not_allowed(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """405 with every method the path supports, not only those of the first route matched."""
    if exc.status_code != 405:
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )
    allowed = sorted(
        {
            method
            for route in request.app.routes
            if isinstance(route, Route)
            and route.methods
            and route.matches(request.scope)[0] != Match.NONE
            for method in route.methods
        }
    )
    return JSONResponse(
        {"detail": "Method Not Allowed"}, status_code=405, headers={"Allow": ", ".join(allowed)}
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _method_not_allowed)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(PoolTimeoutError, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected)
