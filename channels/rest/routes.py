"""REST routes generated from the capabilities that declare a `Rest` shape (see tools/registry.py).

Path fields come from the path, the rest from the query (GET, DELETE) or the JSON body (POST, PATCH). Each
endpoint only translates HTTP into a gateway call; names, constraints and descriptions come from the
capability's own input model, so OpenAPI and the MCP schemas say the same thing.
"""

from __future__ import annotations

import inspect
import re
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Query, Request
from pydantic import BaseModel, create_model

from channels.rest.deps import PrincipalDep, ServingDep
from channels.rest.throttle import limit
from tools.invoke import MAX_KEY_LENGTH
from tools.parameters import field_parameters, with_signature
from tools.registry import Capability, Registry, Rest

_KW = inspect.Parameter.KEYWORD_ONLY


def path_fields(rest: Rest) -> list[str]:
    return sorted(re.findall(r"{(\w+)}", rest.path))


def _body_model(cap: Capability, exclude: set[str]) -> type[BaseModel] | None:
    fields = {n: (f.annotation, f) for n, f in cap.input_model.model_fields.items() if n not in exclude}
    if not fields:
        return None
    return create_model(f"{cap.input_model.__name__}Body", **fields)  # type: ignore[call-overload]  # create_model's overloads take fields by keyword, not a built dict


def _body_param(body_model: type[BaseModel]) -> inspect.Parameter:
    required = any(f.is_required() for f in body_model.model_fields.values())
    annotation = body_model if required else body_model | None
    return inspect.Parameter("body", _KW, annotation=Annotated[annotation, Body()],
                             default=inspect.Parameter.empty if required else None)


def _key_param(required: bool) -> inspect.Parameter:
    doc = ("A retry with the same key returns the first result; the same key with another request is a 409."
           if required else "Optional: a retry with the same key returns the first result.")
    header = Header(alias="Idempotency-Key", description=doc, min_length=1, max_length=MAX_KEY_LENGTH)
    if required:
        return inspect.Parameter("idempotency_key", _KW, annotation=Annotated[str, header])
    return inspect.Parameter("idempotency_key", _KW, default=None, annotation=Annotated[str | None, header])


def _endpoint(cap: Capability, rest: Rest) -> Any:
    in_path = path_fields(rest)
    model = cap.input_model

    async def endpoint(request: Request, serving: ServingDep, principal: PrincipalDep, **kw: Any) -> Any:
        if cap.mutating:
            await limit(request, "changes", principal)
        key = kw.pop("idempotency_key", None)
        body = kw.pop("body", None)
        arguments = {**kw, **(body.model_dump(exclude_unset=True) if body is not None else {})}
        return await serving.gateway.call(cap.name, arguments, principal=principal, idempotency_key=key)

    params = [inspect.Parameter("request", _KW, annotation=Request),
              inspect.Parameter("serving", _KW, annotation=ServingDep),
              inspect.Parameter("principal", _KW, annotation=PrincipalDep)]
    params += field_parameters(model, lambda f: Path(description=f.description), in_path, strict=False)
    if rest.method in ("GET", "DELETE"):
        rest_fields = [n for n in model.model_fields if n not in in_path]
        params += field_parameters(model, lambda f: Query(description=f.description), rest_fields, strict=False)
    elif (body_model := _body_model(cap, set(in_path))) is not None:
        params.append(_body_param(body_model))
    if cap.mutating:
        params.append(_key_param(cap.idempotent))
    return with_signature(endpoint, cap.name, params)


def build_router(registry: Registry) -> APIRouter:
    router = APIRouter(prefix="/api/v1")
    for cap in registry:
        if isinstance(cap.rest, Rest):
            router.add_api_route(
                cap.rest.path, _endpoint(cap, cap.rest), methods=[cap.rest.method], status_code=cap.rest.status,
                response_model=cap.output_model, summary=cap.summary, description=cap.description,
                tags=[cap.domain], name=cap.name, operation_id=cap.name,
            )
    return router
