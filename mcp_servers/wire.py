"""What travels beside the arguments of every tool call: the principal and the idempotency key.

In-process callers (the gateway, after REST verified the caller's token) put them in the request `_meta`, with
how the principal signed in. Over HTTP the principal comes from the access token instead (mcp_servers.auth); a
plain HTTP client may send the idempotency key as a header.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools.principal import Assurance, Principal

PRINCIPAL_META = "gocoffee/principal"
ASSURANCE_META = "gocoffee/assurance"
MFA_AT_META = "gocoffee/mfa-at"
IDEMPOTENCY_META = "gocoffee/idempotency-key"
ERROR_META = "gocoffee/error"
IDEMPOTENCY_HEADER = "idempotency-key"


def call_meta(principal: Principal, idempotency_key: str | None) -> dict[str, Any]:
    meta: dict[str, Any] = {PRINCIPAL_META: principal.as_header(), ASSURANCE_META: principal.assurance.value}
    if principal.mfa_at is not None:
        meta[MFA_AT_META] = principal.mfa_at
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
    text = meta.get(PRINCIPAL_META) if meta else None
    principal = Principal.parse(text) if isinstance(text, str) else default
    if meta and isinstance(text, str) and meta.get(ASSURANCE_META) in tuple(Assurance):
        mfa_at = meta.get(MFA_AT_META)
        principal = principal.signed_in(Assurance(meta[ASSURANCE_META]), mfa_at if isinstance(mfa_at, int) else None)
    return principal, _first(meta, headers, IDEMPOTENCY_META, IDEMPOTENCY_HEADER)
