"""REST routes derived from capabilities: path fields from the path, the rest from query (GET) or body.

Each endpoint only translates HTTP into a gateway call; field names, constraints and descriptions come
from the capability's own input model, so OpenAPI and the MCP schemas say the same thing.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Query
from pydantic import BaseModel, Strict, create_model

from channels.rest.deps import PlatformDep, PrincipalDep
from tools.invoke import MAX_KEY_LENGTH
from tools.registry import Capability, Registry


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    tool: str
    status: int = 200


ROUTES = [
    Route("GET", "/menu", "list_menu_items"),
    Route("GET", "/menu/{item_id}", "get_menu_item"),
    Route("GET", "/locations", "list_locations"),
    Route("POST", "/orders", "create_order", 201),
    Route("GET", "/orders", "list_orders"),
    Route("GET", "/orders/{order_id}", "get_order"),
    Route("POST", "/orders/{order_id}/cancel", "cancel_order"),
    Route("POST", "/carts", "create_cart", 201),
    Route("POST", "/orders/{order_id}/lines", "add_order_line"),
    Route("PATCH", "/orders/{order_id}/lines/{line_id}", "update_order_line"),
    Route("DELETE", "/orders/{order_id}/lines/{line_id}", "remove_order_line"),
    Route("GET", "/orders/{order_id}/quote", "quote_order"),
    Route("POST", "/orders/{order_id}/place", "place_order"),
    Route("POST", "/orders/{order_id}/transitions", "advance_order"),
    Route("GET", "/stock", "get_stock"),
    Route("POST", "/stock/adjustments", "adjust_stock"),
    Route("GET", "/approvals", "list_approvals"),
    Route("GET", "/orders/{order_id}/progress", "get_order_progress"),
    Route("POST", "/orders/{order_id}/payments", "pay_order", 201),
    Route("GET", "/orders/{order_id}/payments", "list_payments"),
    Route("POST", "/orders/{order_id}/refunds", "refund_payment"),
    Route("POST", "/orders/{order_id}/payments/confirm", "confirm_payment"),
    Route("GET", "/wallet", "get_wallet"),
    Route("POST", "/wallet/top-ups", "top_up_wallet", 201),
    Route("POST", "/wallet/redemptions", "redeem_points", 201),
    Route("POST", "/wallet/transfers", "transfer_coffee", 201),
    Route("GET", "/dao/proposals", "list_proposals"),
    Route("POST", "/dao/proposals", "create_proposal", 201),
    Route("GET", "/dao/proposals/{proposal}", "get_proposal"),
    Route("POST", "/dao/proposals/{proposal}/votes", "cast_vote", 201),
    Route("POST", "/dao/proposals/{proposal}/queue", "queue_proposal"),
    Route("POST", "/dao/proposals/{proposal}/execute", "execute_proposal"),
    Route("GET", "/kitchen/{location_id}/queue", "get_kitchen_queue"),
    Route("GET", "/kitchen/{location_id}/log", "list_kitchen_events"),
    Route("POST", "/kitchen/{location_id}/dispatch", "dispatch_drinks"),
    Route("POST", "/kitchen/drinks/{drink_id}/done", "mark_drink_done"),
    Route("GET", "/kitchen/{location_id}/machines", "list_machines"),
    Route("GET", "/kitchen/{location_id}/machines/{machine_id}", "get_machine"),
    Route("POST", "/kitchen/{location_id}/machines/{machine_id}/brew", "start_brew", 202),
    Route("POST", "/kitchen/{location_id}/machines/{machine_id}/stop", "stop_brew", 202),
    Route("POST", "/kitchen/{location_id}/machines/{machine_id}/descale", "descale_machine", 202),
    Route("POST", "/kitchen/{location_id}/machines/{machine_id}/clear-fault", "clear_fault", 202),
    Route("POST", "/kitchen/{location_id}/machines/{machine_id}/refill", "refill_machine", 202),
    Route("POST", "/kitchen/{location_id}/machines/{machine_id}/maintenance", "set_maintenance", 202),
]

_KW = inspect.Parameter.KEYWORD_ONLY


def _field_param(name: str, model: type[BaseModel], where: Any) -> inspect.Parameter:
    """A path or query parameter from a model field: text by nature, so converted (not strict)."""
    field = model.model_fields[name]
    default = inspect.Parameter.empty if field.is_required() else field.get_default(call_default_factory=True)
    marker = where(description=field.description)
    metadata = [m for m in field.metadata if not isinstance(m, Strict)]
    return inspect.Parameter(name, _KW, default=default, annotation=Annotated[field.annotation, *metadata, marker])


def _body_model(cap: Capability, exclude: set[str]) -> type[BaseModel] | None:
    fields = {n: (f.annotation, f) for n, f in cap.input_model.model_fields.items() if n not in exclude}
    if not fields:
        return None
    return create_model(f"{cap.input_model.__name__}Body", **fields)  # type: ignore[call-overload]


def _endpoint(cap: Capability, route: Route) -> Any:
    in_path = set(re.findall(r"{(\w+)}", route.path))
    body_model = _body_model(cap, in_path) if route.method in ("POST", "PATCH") else None

    async def endpoint(platform: PlatformDep, principal: PrincipalDep, **kw: Any) -> Any:
        key = kw.pop("idempotency_key", None)
        body = kw.pop("body", None)
        arguments = {**kw, **(body.model_dump(exclude_unset=True) if body is not None else {})}
        return await platform.gateway.call(cap.name, arguments, principal=principal, idempotency_key=key)

    params = [
        inspect.Parameter("platform", _KW, annotation=PlatformDep),
        inspect.Parameter("principal", _KW, annotation=PrincipalDep),
    ]
    params += [_field_param(n, cap.input_model, Path) for n in sorted(in_path)]
    if route.method in ("GET", "DELETE"):
        params += [_field_param(n, cap.input_model, Query) for n in cap.input_model.model_fields if n not in in_path]
    elif body_model is not None:
        required = any(f.is_required() for f in body_model.model_fields.values())
        annotation = body_model if required else body_model | None
        params.append(inspect.Parameter("body", _KW, annotation=Annotated[annotation, Body()],
                                        default=inspect.Parameter.empty if required else None))
    if cap.mutating:
        params.append(_key_param(cap.idempotent))
    endpoint.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    endpoint.__name__ = cap.name
    return endpoint


def _key_param(required: bool) -> inspect.Parameter:
    doc = ("A retry with the same key returns the first result; the same key with another request is a 409."
           if required else "Optional: a retry with the same key returns the first result.")
    header = Header(alias="Idempotency-Key", description=doc, min_length=1, max_length=MAX_KEY_LENGTH)
    if required:
        return inspect.Parameter("idempotency_key", _KW, annotation=Annotated[str, header])
    return inspect.Parameter("idempotency_key", _KW, default=None, annotation=Annotated[str | None, header])


def build_router(registry: Registry) -> APIRouter:
    router = APIRouter(prefix="/api/v1")
    for route in ROUTES:
        cap = registry.get(route.tool)
        router.add_api_route(
            route.path, _endpoint(cap, route), methods=[route.method], status_code=route.status,
            response_model=cap.output_model, summary=cap.summary, description=cap.description,
            tags=[cap.domain], name=cap.name, operation_id=cap.name,
        )
    return router
