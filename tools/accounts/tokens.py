"""Access tokens: short-lived JWTs signed RS256 with the newest signing key (its `kid` in the header), verified
against every key not yet retired long enough ago — so a rotation logs nobody out. Keys are RSA-2048, sealed at
rest under the platform's key; their public halves are served as a JWKS."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.accounts import SigningKey
from tools.errors import InvalidInput, Unauthenticated
from tools.principal import Assurance, Principal
from tools.wallet.vault import Vault

ISSUER = "gocoffee"
LEEWAY = timedelta(seconds=30)
ACT_AS = "act_as"
"""The scope of a service that may call for someone else (the gateway to remote MCP servers, an eval runner)."""


@dataclass(frozen=True)
class Grant:
    """What one access token says beyond who: its session, how its holder signed in, and its scopes."""

    session_id: str
    assurance: Assurance = Assurance.PASSWORD
    mfa_at: int | None = None
    scopes: tuple[str, ...] = ()
    actor: str | None = None
    """The service acting for the principal (RFC 8693 `act`), if any."""


@dataclass(frozen=True)
class Verified:
    principal: Principal
    grant: Grant


@dataclass(frozen=True)
class Key:
    kid: str
    private: rsa.RSAPrivateKey
    created_at: datetime
    retired_at: datetime | None


def _seal_id(kid: str) -> str:
    return f"signing-key:{kid}"


async def new_key(session: AsyncSession, vault: Vault, now: datetime) -> str:
    """Make a new signing key, which signs from now on; returns its kid."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    kid = uuid.uuid4().hex[:16]
    session.add(SigningKey(kid=kid, private_pem=vault.seal(_seal_id(kid), pem), created_at=now))
    await session.flush()
    return kid


async def load_keys(session: AsyncSession, vault: Vault) -> list[Key]:
    """Every key, newest first."""
    rows = (await session.scalars(select(SigningKey).order_by(SigningKey.created_at.desc()))).all()
    keys = []
    for r in rows:
        private = serialization.load_pem_private_key(vault.open(_seal_id(r.kid), r.private_pem), password=None)
        assert isinstance(private, rsa.RSAPrivateKey)
        keys.append(Key(r.kid, private, r.created_at, r.retired_at))
    return keys


def _trusted(keys: list[Key], now: datetime, trust: timedelta) -> list[Key]:
    """The keys that may have signed a token still valid."""
    return [k for k in keys if k.retired_at is None or k.retired_at + trust > now]


def jwks(keys: list[Key], now: datetime, trust: timedelta) -> dict[str, Any]:
    return {"keys": [{**RSAAlgorithm.to_jwk(k.private.public_key(), as_dict=True), "kid": k.kid, "use": "sig",
                      "alg": "RS256"} for k in _trusted(keys, now, trust)]}


def issue(keys: list[Key], principal: Principal, grant: Grant, audience: str, now: datetime, lifetime: timedelta
          ) -> str:
    signer = next(k for k in keys if k.retired_at is None)
    claims: dict[str, Any] = {
        "iss": ISSUER, "aud": audience, "sub": principal.as_header(), "sid": grant.session_id,
        "iat": int(now.timestamp()), "nbf": int(now.timestamp()), "exp": int((now + lifetime).timestamp()),
        "jti": uuid.uuid4().hex, "amr": ["pwd", "otp"] if grant.assurance is Assurance.MFA else ["pwd"]}
    if grant.mfa_at is not None:
        claims["mfa_at"] = grant.mfa_at
    if grant.scopes:
        claims["scope"] = " ".join(grant.scopes)
    if grant.actor:
        claims["act"] = {"sub": grant.actor}
    return jwt.encode(claims, signer.private, algorithm="RS256", headers={"kid": signer.kid})


def _grant(claims: dict[str, Any]) -> Grant:
    mfa_at = claims.get("mfa_at")
    actor = claims.get("act", {}).get("sub") if isinstance(claims.get("act"), dict) else None
    return Grant(session_id=str(claims.get("sid", "")),
                 assurance=Assurance.MFA if "otp" in claims.get("amr", []) else Assurance.PASSWORD,
                 mfa_at=mfa_at if isinstance(mfa_at, int) else None,
                 scopes=tuple(str(claims.get("scope", "")).split()), actor=actor)


def verify(keys: list[Key], token: str, audience: str, now: datetime, trust: timedelta) -> Verified:
    """The principal a valid access token names, and its grant; Unauthenticated for anything else (one message: a
    caller learns nothing from why)."""
    trusted = {k.kid: k for k in _trusted(keys, now, trust)}
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        if kid not in trusted:
            raise jwt.InvalidTokenError("unknown key")
        claims = jwt.decode(token, trusted[kid].private.public_key(), algorithms=["RS256"], audience=audience,
                            issuer=ISSUER, leeway=LEEWAY, options={"require": ["exp", "nbf", "iat", "sub", "aud"]})
        if claims["nbf"] > now.timestamp() + LEEWAY.total_seconds() or \
                claims["exp"] < now.timestamp() - LEEWAY.total_seconds():
            raise jwt.InvalidTokenError("outside its lifetime")
        grant = _grant(claims)
        return Verified(Principal.parse(claims["sub"]).signed_in(grant.assurance, grant.mfa_at), grant)
    except (jwt.InvalidTokenError, ValueError, KeyError, AttributeError, InvalidInput) as exc:
        raise Unauthenticated("the access token is not valid; sign in again") from exc
