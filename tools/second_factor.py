"""Where a second factor is required: every call of a signed-in manager, and a recent code (a step-up) for the
most sensitive actions — publishing a rota, refunds above the approval limit, DAO grants from the treasury.

A local operator (terminal, MCP over stdio, an in-process caller) acts with the machine's own rights and is not
asked: the checks are for callers who came in with an access token."""

from __future__ import annotations

from datetime import datetime

from tools.errors import SecondFactorRequired
from tools.principal import Assurance, Principal, Role

STEP_UP_SECONDS = 300
"""How recent a code must be for a sensitive action."""


def check_signed_in(principal: Principal) -> None:
    """Managers act only with a second factor on."""
    if principal.role is Role.MANAGER and principal.assurance is Assurance.PASSWORD:
        raise SecondFactorRequired("managers act with a second factor: turn it on (POST /api/v1/auth/mfa, then "
                                   "/api/v1/auth/mfa/confirm) and sign in with a code", needs="mfa")


def require_step_up(principal: Principal, now: datetime, action: str) -> None:
    """A code from the authenticator app within the last few minutes, for `action`."""
    if principal.assurance is Assurance.LOCAL:
        return
    if principal.mfa_at is None or now.timestamp() - principal.mfa_at > STEP_UP_SECONDS:
        raise SecondFactorRequired(f"{action} needs a fresh code from your authenticator app: send it to "
                                   "POST /api/v1/auth/step-up and use the access token it gives",
                                   needs="step_up", within_seconds=STEP_UP_SECONDS)
