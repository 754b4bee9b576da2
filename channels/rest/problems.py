"""Domain errors mapped once to HTTP: a status code and an RFC 9457 problem body."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from mcp_servers.gateway import ToolCrashed
from tools.errors import (
    Conflict,
    DomainError,
    ErrorBody,
    Forbidden,
    IdempotencyKeyRequired,
    InvalidInput,
    NotFound,
    RateLimited,
    Unauthenticated,
)

log = logging.getLogger(__name__)

STATUS: list[tuple[type[DomainError], int]] = [
    (IdempotencyKeyRequired, 400),
    (InvalidInput, 422),
    (Unauthenticated, 401),
    (NotFound, 404),
    (Forbidden, 403),
    (Conflict, 409),
    (RateLimited, 429),
    (DomainError, 400),
]


_PROBLEM_SCHEMA = {
    "type": "object", "required": ["type", "title", "status", "detail", "code", "message", "details"],
    "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                   "detail": {"type": "string"}, "code": {"type": "string", "description": "Stable error name."},
                   "message": {"type": "string"}, "details": {"type": "object"}},
}
_WHEN = {400: "Refused (`idempotency_key_required`, or a service this server has not set up)",
         401: "Not signed in: a missing, expired or invalid token (sign in at /api/v1/auth/token)",
         403: "Not allowed for this caller, or a foreign Origin", 404: "No such thing (or not yours)",
         409: "Conflicts with the current state (out of stock, an illegal move, a reused key)",
         413: "Request body too large", 421: "Host name this server does not answer to",
         422: "Invalid input: the first problem in `detail`, all in `details.errors`",
         429: "Too many calls from this address or for this account: wait `Retry-After` seconds"}
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "content": {"application/problem+json": {"schema": _PROBLEM_SCHEMA}}}
    for status, text in _WHEN.items()
}
"""Documented on every route: every refusal is an RFC 9457 problem body of this shape."""


def status_of(exc: DomainError) -> int:
    return next(code for cls, code in STATUS if isinstance(exc, cls))


def problem(status: int, body: ErrorBody) -> JSONResponse:
    content: dict[str, Any] = {"type": "about:blank", "title": body.code, "status": status,
                               "detail": body.message, **body.model_dump(mode="json")}
    return JSONResponse(content, status_code=status, media_type="application/problem+json")


async def _domain(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    response = problem(status_of(exc), exc.body())
    if isinstance(exc, Unauthenticated):
        response.headers["WWW-Authenticate"] = 'Bearer realm="gocoffee"'
    if isinstance(exc, RateLimited):
        response.headers["Retry-After"] = str(exc.details["retry_after"])
    return response


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
    if errors and all(tuple(e["loc"]) == ("header", "Idempotency-Key") and e["type"] == "missing" for e in exc.errors()):
        return problem(400, IdempotencyKeyRequired("this call needs an Idempotency-Key header").body())
    first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(p) for p in first["loc"])
    body = ErrorBody(code="invalid_input", message=f"{where}: {first['msg']}", details={"errors": errors})
    return problem(422, body)


async def _http(_: Request, exc: Exception) -> JSONResponse:
    """Starlette's own refusals (an unparseable body, no such route or method) in the same problem shape."""
    assert isinstance(exc, StarletteHTTPException)
    code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return problem(exc.status_code, ErrorBody(code=code, message=str(exc.detail)))


async def _crash(_: Request, exc: Exception) -> JSONResponse:
    log.error("tool crashed: %s", exc)
    return problem(500, ErrorBody(code="internal_error", message=str(exc)))


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(ToolCrashed, _crash)
