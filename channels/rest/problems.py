"""Domain errors mapped once to HTTP: a status code and an RFC 9457 problem body."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from mcp_servers.gateway import ToolCrashed
from tools.errors import (
    Conflict,
    DomainError,
    ErrorBody,
    Forbidden,
    IdempotencyKeyRequired,
    InvalidInput,
    NotFound,
)

log = logging.getLogger(__name__)

STATUS: list[tuple[type[DomainError], int]] = [
    (IdempotencyKeyRequired, 400),
    (InvalidInput, 422),
    (NotFound, 404),
    (Forbidden, 403),
    (Conflict, 409),
    (DomainError, 400),
]


def status_of(exc: DomainError) -> int:
    return next(code for cls, code in STATUS if isinstance(exc, cls))


def problem(status: int, body: ErrorBody) -> JSONResponse:
    content: dict[str, Any] = {"type": "about:blank", "title": body.code, "status": status,
                               "detail": body.message, **body.model_dump(mode="json")}
    return JSONResponse(content, status_code=status, media_type="application/problem+json")


async def _domain(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return problem(status_of(exc), exc.body())


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
    first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(p) for p in first["loc"])
    body = ErrorBody(code="invalid_input", message=f"{where}: {first['msg']}", details={"errors": errors})
    return problem(422, body)


async def _crash(_: Request, exc: Exception) -> JSONResponse:
    log.error("tool crashed: %s", exc)
    return problem(500, ErrorBody(code="internal_error", message=str(exc)))


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(ToolCrashed, _crash)
