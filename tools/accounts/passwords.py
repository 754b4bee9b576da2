"""Passwords: Argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane) through pwdlib, a minimum length, and a
refusal of common passwords and of the account's own email."""

from __future__ import annotations

import asyncio
from functools import cache
from pathlib import Path

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from tools.errors import InvalidInput

MIN_LENGTH = 12
HASHER = PasswordHash((Argon2Hasher(time_cost=2, memory_cost=19 * 1024, parallelism=1),))
DUMMY = HASHER.hash("a password nobody has, verified when no account matches")


@cache
def _common() -> frozenset[str]:
    text = Path(__file__).with_name("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def check_new(password: str, email: str) -> None:
    """Refuse a password that is short, common, or made of the email."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"a password needs at least {MIN_LENGTH} characters", field="password")
    folded = password.lower()
    local = email.lower().partition("@")[0]
    if folded in _common() or folded.rstrip("0123456789!") in _common() or (len(local) >= 4 and local in folded):
        raise InvalidInput("that password is too easy to guess; choose another", field="password")


async def hashed(password: str) -> str:
    """The hash, made in a worker thread: Argon2 is tens of milliseconds of CPU (it lets go of the GIL), and the
    server's event loop keeps serving meanwhile."""
    return await asyncio.to_thread(HASHER.hash, password)


async def matches(password: str, stored: str | None) -> bool:
    """Whether the password is the stored one; with no account the same work is done, so timing tells nothing."""
    return await asyncio.to_thread(HASHER.verify, password, stored or DUMMY) and stored is not None
