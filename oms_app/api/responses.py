"""The error answers every route may give, declared once so OpenAPI documents them."""

from __future__ import annotations

from typing import Any

from fastapi import Response
from pydantic import BaseModel


class ErrorMessage(BaseModel):
    detail: str


class ValidationProblem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorMessage(BaseModel):
    detail: list[ValidationProblem] | str


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorMessage, "description": "The body could not be parsed"},
    401: {"model": ErrorMessage, "description": "Not authenticated or token invalid"},
    403: {"model": ErrorMessage, "description": "Authenticated but not allowed"},
    404: {"model": ErrorMessage, "description": "Not found (or not yours)"},
    405: {"model": ErrorMessage, "description": "Method not allowed"},
    409: {"model": ErrorMessage, "description": "Conflict with the current state"},
    413: {"model": ErrorMessage, "description": "Request body too large"},
    422: {"model": ValidationErrorMessage, "description": "Invalid input"},
    429: {"model": ErrorMessage, "description": "Too many attempts; see Retry-After"},
    503: {"model": ErrorMessage, "description": "Database unavailable; retry shortly"},
}


def raw_json(
    body: bytes, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """Ready JSON (a cached answer, a model the service built) sent as it is: no validation,
    no serialisation. The route still declares its `response_model`, for the API's schema."""
    return Response(
        content=body, status_code=status_code, headers=headers, media_type="application/json"
    )
