"""The one domain error tree.

Every transport maps these once: MCP turns them into tool errors whose structured content carries
`code`, HTTP into a status code with a problem body. `code` is the stable, machine-readable name.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel


class ErrorBody(BaseModel):
    """What a caller learns about a refused call, on every surface."""

    code: str
    message: str
    details: dict[str, Any] = {}


class DomainError(Exception):
    """A refusal the caller can understand and act on."""

    code: ClassVar[str] = "domain_error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def body(self) -> ErrorBody:
        return ErrorBody(code=self.code, message=self.message, details=self.details)


class InvalidInput(DomainError):
    code = "invalid_input"


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Unauthenticated(DomainError):
    """No valid sign-in: a missing, expired or forged token, or wrong credentials (one message for all)."""

    code = "unauthenticated"


class RateLimited(DomainError):
    """Too many calls in a short time from this address or for this account; `details.retry_after` in seconds."""

    code = "rate_limited"


class Conflict(DomainError):
    code = "conflict"


class IllegalTransition(Conflict):
    code = "illegal_transition"


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"


class OutOfStock(Conflict):
    code = "out_of_stock"


class IdempotencyKeyRequired(InvalidInput):
    code = "idempotency_key_required"


def _all_subclasses(cls: type[DomainError]) -> list[type[DomainError]]:
    found: list[type[DomainError]] = [cls]
    for sub in cls.__subclasses__():
        found.extend(_all_subclasses(sub))
    return found


def error_from_body(body: ErrorBody) -> DomainError:
    """Rebuild the domain error a remote side raised, so callers catch the same class everywhere."""
    by_code = {cls.code: cls for cls in _all_subclasses(DomainError)}
    cls = by_code.get(body.code, DomainError)
    return cls(body.message, **body.details)


class UnknownItem(InvalidInput):
    code = "unknown_item"


class Interlock(Conflict):
    """A machine command that is unsafe in the machine's current state; `reason` says why."""

    code = "interlock"


class InsufficientFunds(Conflict):
    """The customer's balance does not cover the amount; nothing was charged."""

    code = "insufficient_funds"


class NotConfigured(DomainError):
    """The capability needs an outside service this installation has not set up (card processor, chain)."""

    code = "not_configured"


class ApprovalRequired(Forbidden):
    """The action is above what this caller may do alone; `details` say who must approve."""

    code = "approval_required"


class SecondFactorRequired(Forbidden):
    """The action wants a second factor: a manager without one turned on, or a sensitive action without a recent
    code (step up: POST /api/v1/auth/step-up)."""

    code = "second_factor_required"


class PaymentRejected(Conflict):
    """The payment provider declined, or the proof of payment does not hold up; nothing was captured."""

    code = "payment_rejected"


class ChainRefused(Conflict):
    """A contract refused the transaction (its custom error is in `details.error`); nothing changed on chain."""

    code = "chain_refused"


class InvalidSignature(InvalidInput):
    """A webhook whose signature does not hold (forged, tampered, signed with another secret, or too old)."""

    code = "invalid_signature"


class RuleBroken(Conflict):
    """A change to a rota that would break its rules; `details.breaches` names each rule with its numbers, and which
    are hard (never overridden) or soft (a manager may override by naming them)."""

    code = "rule_broken"
