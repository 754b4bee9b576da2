"""Tokens an attacker could make from a real access token and what is public (the JWKS): each must be worth
nothing on every surface. `forge` answers them by name (FORGERIES)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime
from functools import cache
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

FORGERIES = ["alg none", "HS256 signed with the public key", "another subject under the same signature", "expired",
             "not yet valid", "for another audience", "from another issuer", "an unknown key id",
             "signed by a stranger's key under our key id", "without an expiry", "garbage", "a refresh token", "empty"]


def _b64(part: dict[str, Any] | bytes) -> str:
    raw = part if isinstance(part, bytes) else json.dumps(part).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _hs256(header: dict[str, Any], claims: dict[str, Any], secret: bytes) -> str:
    """A token MAC'd with `secret` (the classic attack: the server's public key used as an HMAC secret)."""
    signing = f"{_b64(header)}.{_b64(claims)}"
    return f"{signing}.{_b64(hmac.new(secret, signing.encode(), hashlib.sha256).digest())}"


@cache
def _stranger() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def forge(real: str, key: rsa.RSAPrivateKey) -> dict[str, str]:
    """From `real` (someone's own token) and the server's signing `key` (for the cases a server itself would sign,
    but wrongly addressed or timed): each forgery by name."""
    good = jwt.decode(real, options={"verify_signature": False})
    kid = jwt.get_unverified_header(real)["kid"]
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    now = int(datetime.now(UTC).timestamp())
    manager = {**good, "sub": "manager:m1", "amr": ["pwd", "otp"], "mfa_at": now}
    head, _, sig = real.split(".")

    def signed(**changes: Any) -> str:
        return jwt.encode({**good, **changes}, key, algorithm="RS256", headers={"kid": kid})

    return {
        "alg none": f"{_b64({'alg': 'none', 'kid': kid})}.{_b64(manager)}.",
        "HS256 signed with the public key": _hs256({"alg": "HS256", "kid": kid}, manager, public_pem),
        "another subject under the same signature": f"{head}.{_b64(manager)}.{sig}",
        "expired": signed(exp=now - 3600, iat=now - 4500, nbf=now - 4500),
        "not yet valid": signed(nbf=now + 3600, iat=now + 3600, exp=now + 4500),
        "for another audience": signed(aud="https://elsewhere.example"),
        "from another issuer": signed(iss="https://evil.example"),
        "an unknown key id": jwt.encode(good, key, algorithm="RS256", headers={"kid": "nope"}),
        "signed by a stranger's key under our key id": jwt.encode(manager, _stranger(), algorithm="RS256",
                                                                   headers={"kid": kid}),
        "without an expiry": jwt.encode({k: v for k, v in good.items() if k != "exp"}, key, algorithm="RS256",
                                        headers={"kid": kid}),
        "garbage": "not.a.token",
        "a refresh token": uuid.uuid4().hex + uuid.uuid4().hex,
        "empty": "",
    }
