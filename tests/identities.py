"""Real sign-in for tests (the development header is off by default): an account for each principal a test calls as (made the way an operator makes one),
signed in over HTTP like any client; a manager also turns on the second factor and signs in with it.
Tokens are kept per server for the test's life."""

from __future__ import annotations

import asyncio
from typing import Any
from weakref import WeakKeyDictionary

import httpx
import pyotp
from sqlalchemy import select

from store.accounts import User
from tools.accounts.service import Accounts
from tools.principal import Principal, Role

_TOKENS: WeakKeyDictionary[httpx.AsyncClient, dict[str, str]] = WeakKeyDictionary()
_ACCOUNTS: WeakKeyDictionary[httpx.AsyncClient, Accounts] = WeakKeyDictionary()
_LOCKS: WeakKeyDictionary[httpx.AsyncClient, asyncio.Lock] = WeakKeyDictionary()


def email_of(principal: Principal) -> str:
    return f"{principal.role.value}.{principal.id}@test.gocoffee.example".lower()


async def _password(accounts: Accounts, principal: Principal) -> str:
    """The account's one-time password: made now, or reset if it exists (the first manager, a seeded id)."""
    async with accounts.db.writer() as s, s.begin():
        user = await s.scalar(select(User).where(User.id == principal.id))
        if user is not None:
            user.role, user.location_id, user.email = principal.role.value, principal.location_id, email_of(principal)
    if user is None:
        return await accounts.create_user(email_of(principal), principal.role, principal.id, principal.location_id)
    return await accounts.reset_password(email_of(principal), "test")


async def _second_factor(client: httpx.AsyncClient, access: str) -> str:
    """Turn the second factor on; a recovery code to sign in with (the confirming TOTP step is used up)."""
    auth = {"Authorization": f"Bearer {access}"}
    enrolment = (await client.post("/api/v1/auth/mfa", headers=auth)).json()
    confirmed = await client.post("/api/v1/auth/mfa/confirm", headers=auth,
                                  json={"code": pyotp.TOTP(enrolment["secret"]).now()})
    assert confirmed.status_code == 200, confirmed.text
    return str(confirmed.json()["recovery_codes"][0])


async def access_token(client: httpx.AsyncClient, accounts: Accounts, principal: Principal) -> str:
    """An access token for `principal` from this server's own sign-in."""
    kept = _TOKENS.setdefault(client, {})
    async with _LOCKS.setdefault(client, asyncio.Lock()):  # requests sent at once sign a new person in once
        if principal.as_header() not in kept:
            kept[principal.as_header()] = await _sign_in(client, accounts, principal)
    return kept[principal.as_header()]


async def _sign_in(client: httpx.AsyncClient, accounts: Accounts, principal: Principal) -> str:
    credentials = {"email": email_of(principal), "password": await _password(accounts, principal)}
    reply = await client.post("/api/v1/auth/token", json=credentials)
    assert reply.status_code == 200, reply.text
    token = str(reply.json()["access_token"])
    if principal.role is Role.MANAGER:
        code = await _second_factor(client, token)
        reply = await client.post("/api/v1/auth/token", json={**credentials, "code": code})
        assert reply.status_code == 200, reply.text
        token = str(reply.json()["access_token"])
    return token


PASSWORD = "flat white at dawn 42"
"""What test customers register with (12+ characters, not a common one)."""


async def register(client: httpx.AsyncClient, email: str = "ada@example.com") -> dict[str, Any]:
    """A customer registers (signed in at once); their tokens."""
    reply = await client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
    assert reply.status_code == 201, reply.text
    return dict(reply.json())


AS = "X-Test-As"
"""A test says whom a request is from with this header; the client signs that person in for real and sends their
token instead (the server never sees this header)."""


def sign_in_as_asked(client: httpx.AsyncClient, accounts: Accounts) -> httpx.AsyncClient:
    _ACCOUNTS[client] = accounts

    async def swap(request: httpx.Request) -> None:
        who = request.headers.pop(AS, None)
        if who is not None:
            request.headers.update(await bearer(client, accounts, who))
    client.event_hooks["request"].append(swap)
    return client


def accounts_of(client: httpx.AsyncClient) -> Accounts:
    """Where a `sign_in_as_asked` client's test accounts are made."""
    return _ACCOUNTS[client]


async def bearer(client: httpx.AsyncClient, accounts: Accounts | None, principal: Principal | str
                 ) -> dict[str, str]:
    """`accounts`: where to make the account (default: those of the server a `sign_in_as_asked` client calls)."""
    who = Principal.parse(principal) if isinstance(principal, str) else principal
    if who.role is Role.GUEST:
        return {}
    return {"Authorization": f"Bearer {await access_token(client, accounts or _ACCOUNTS[client], who)}"}
