"""What travels beside the arguments of every tool call: the principal and the idempotency key.

In-process and MCP-aware callers put them in the request `_meta`; plain HTTP clients (the MCP Inspector,
curl) may send the development headers instead. Until real login exists the principal is asserted by the
caller: this is a development trust model, stated in the README.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools.principal import Principal

PRINCIPAL_META = "gocoffee/principal"
IDEMPOTENCY_META = "gocoffee/idempotency-key"
ERROR_META = "gocoffee/error"
PRINCIPAL_HEADER = "x-gocoffee-principal"
IDEMPOTENCY_HEADER = "idempotency-key"


def call_meta(principal: Principal, idempotency_key: str | None) -> dict[str, Any]:
    meta: dict[str, Any] = {PRINCIPAL_META: principal.as_header()}
    if idempotency_key is not None:
        meta[IDEMPOTENCY_META] = idempotency_key
    return meta


def _first(meta: Mapping[str, Any] | None, headers: Mapping[str, str] | None, meta_key: str, header: str
           ) -> str | None:
    if meta and isinstance(meta.get(meta_key), str):
        return str(meta[meta_key])
    if headers:
        lowered = {k.lower(): v for k, v in headers.items()}
        return lowered.get(header)
    return None


def caller_of(meta: Mapping[str, Any] | None, headers: Mapping[str, str] | None, default: Principal
              ) -> tuple[Principal, str | None]:
    """The principal and idempotency key a request carries, falling back to the server's default principal."""
    text = _first(meta, headers, PRINCIPAL_META, PRINCIPAL_HEADER)
    principal = Principal.parse(text) if text else default
    return principal, _first(meta, headers, IDEMPOTENCY_META, IDEMPOTENCY_HEADER)
