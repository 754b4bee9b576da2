"""The second factor: TOTP (RFC 6238, pyotp; 30-second steps, one step of clock drift either way, each step
accepted once) and single-use recovery codes, stored as SHA-256."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp

STEP = 30
RECOVERY_CODES = 10


def new_secret() -> str:
    return pyotp.random_base32()


def uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name="Go Coffee")


def step_of(secret: str, code: str, after: int, now: datetime) -> int | None:
    """The time step `code` is valid for (now, or one step either side), if later than `after`; else None."""
    totp, current = pyotp.TOTP(secret), int(now.timestamp()) // STEP
    for step in (current - 1, current, current + 1):
        if step > after and hmac.compare_digest(totp.at(step * STEP).encode(), code.strip().encode()):
            return step
    return None


def recovery_codes() -> list[str]:
    return [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]


def digest(code: str) -> str:
    return hashlib.sha256(code.strip().lower().encode()).hexdigest()
