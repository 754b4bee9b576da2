"""Who is calling: every capability call carries a principal, checked server-side."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from tools.errors import InvalidInput


class Role(StrEnum):
    GUEST = "guest"
    CUSTOMER = "customer"
    STAFF = "staff"
    MANAGER = "manager"
    SERVICE = "service"


EVERYONE = frozenset(Role)
CUSTOMERS_AND_STAFF = frozenset({Role.CUSTOMER, Role.STAFF, Role.MANAGER, Role.SERVICE})
STAFF_ONLY = frozenset({Role.STAFF, Role.MANAGER, Role.SERVICE})
MANAGERS = frozenset({Role.MANAGER, Role.SERVICE})


class Assurance(StrEnum):
    """How the caller proved who they are."""

    LOCAL = "local"
    """An operator on this machine (terminal chat, MCP over stdio, an in-process caller) or a development header."""
    PASSWORD = "password"
    """An access token from a sign-in with the password alone."""
    MFA = "mfa"
    """An access token from a sign-in with a second factor too."""


class Principal(BaseModel):
    """The identity a call acts for: a role, an id, and (for staff) a home location; and how it signed in."""

    model_config = ConfigDict(frozen=True)

    role: Role
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    location_id: str | None = None
    assurance: Assurance = Assurance.LOCAL
    mfa_at: int | None = None
    """When (Unix seconds) the caller last gave a second-factor code: sensitive actions want it recent."""

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ONLY

    @property
    def person(self) -> str:
        """Who this is, `role:id`, however the shop is spelled: what idempotency keys and threads are scoped by."""
        return f"{self.role.value}:{self.id}"

    def as_header(self) -> str:
        """The development header form: `role:id` or `role:id@location`."""
        suffix = f"@{self.location_id}" if self.location_id else ""
        return f"{self.role.value}:{self.id}{suffix}"

    def signed_in(self, assurance: Assurance, mfa_at: int | None) -> Principal:
        return self.model_copy(update={"assurance": assurance, "mfa_at": mfa_at})

    @classmethod
    def parse(cls, text: str) -> Principal:
        """Parse `role:id[@location]`, e.g. `customer:c42` or `staff:s1@downtown`."""
        return _parse(text)


@lru_cache(maxsize=4096)
def _parse(text: str) -> Principal:
    """Every call carries its principal as text; the same few people call again and again (a principal is
    immutable, so one parsed value serves them all)."""
    role, sep, rest = text.strip().partition(":")
    ident, _, location = rest.partition("@")
    if not sep or not ident:
        raise InvalidInput("principal must look like role:id or role:id@location", value=text)
    try:
        return Principal(role=Role(role), id=ident, location_id=location or None)
    except ValueError as exc:
        raise InvalidInput(f"invalid principal {text!r}", reason=str(exc)) from exc


GUEST = Principal(role=Role.GUEST, id="anonymous")
