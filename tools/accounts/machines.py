"""Service principals: machines and integrations (an eval runner, a remote gateway) sign in with a client id and
secret (OAuth's client-credentials grant) and get a short access token with scopes, no refresh token. A service
with the `act_as` scope may exchange its token for one acting for a named person (RFC 8693 token exchange: the
new token's `act` claim names the service)."""

from __future__ import annotations

import secrets
import uuid

from store.accounts import User
from store.audit import AuditEntry
from tools.accounts import passwords, tokens
from tools.accounts.core import AccountsCore
from tools.accounts.models import AccessToken
from tools.errors import Conflict, Forbidden, InvalidInput, Unauthenticated
from tools.principal import Assurance, Principal, Role

SCOPES = frozenset({tokens.ACT_AS})


class Machines(AccountsCore):
    async def create_service(self, client_id: str, scopes: list[str]) -> str:
        """A service client (an operator's act); returns its secret, shown once."""
        unknown = set(scopes) - SCOPES
        if unknown:
            raise InvalidInput(f"unknown scopes {sorted(unknown)}; known: {sorted(SCOPES)}")
        secret = secrets.token_urlsafe(32)
        digest = await passwords.hashed(secret)
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            if await s.get(User, client_id) is not None:
                raise Conflict(f"an account with id {client_id} exists", client_id=client_id)
            user = User(id=client_id, email=f"{client_id}@service.invalid", password_hash=digest,
                        role=Role.SERVICE.value, scopes=sorted(scopes), created_at=self.clock())
            s.add(user)
            await s.flush()
            self._audit(s, user, "auth.service_created", "ok", "operator")
        return secret

    async def client_credentials(self, client_id: str, secret: str, client: str) -> AccessToken:
        async with self.db.reader() as s:
            user = await s.get(User, client_id)
        right = await passwords.matches(secret, user.password_hash if user else None)
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            ok = user is not None and user.role == Role.SERVICE.value and user.locked_at is None and right
            s.add(AuditEntry(at=self.clock(), principal=f"service:{client_id}", capability="auth.client_credentials",
                             outcome="ok" if ok else "refused", detail=client[:200], idempotency_key=None))
        if not ok or user is None:
            raise Unauthenticated("the client id or secret is not right")
        return self.service_token(client_id, user.scopes, await self.keys())

    def service_token(self, client_id: str, scopes: list[str], keys: list[tokens.Key]) -> AccessToken:
        principal = Principal(role=Role.SERVICE, id=client_id)
        grant = tokens.Grant(f"svc-{uuid.uuid4().hex[:12]}", Assurance.PASSWORD, None, tuple(scopes))
        return AccessToken(access_token=self.access_token(keys, principal, grant),
                           expires_in=int(self.access.total_seconds()))

    async def act_as(self, service_token: str, principal: Principal) -> AccessToken:
        """A token for `principal`, for a service whose own token has the `act_as` scope. Acting for anyone is an
        operator's power, so the token counts as freshly second-factored (the service's secret is its factor)."""
        found = await self.verified(service_token)
        if found.principal.role is not Role.SERVICE or tokens.ACT_AS not in found.grant.scopes:
            raise Forbidden("only a service with the act_as scope may act for someone else")
        now = int(self.clock().timestamp())
        grant = tokens.Grant(found.grant.session_id, Assurance.MFA, now, (), found.principal.person)
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            s.add(AuditEntry(at=self.clock(), principal=found.principal.person, capability="auth.act_as",
                             outcome="ok", detail=principal.as_header(), idempotency_key=None))
        return AccessToken(access_token=self.access_token(await self.keys(), principal, grant),
                           expires_in=int(self.access.total_seconds()))

    async def operator_token(self, principal: Principal) -> AccessToken:
        """An access token an operator on this machine makes for anyone (`gocoffee token --as`): the same power as
        the terminal's `--as`, over HTTP, for a few minutes; audited. The machine is the second factor."""
        now = int(self.clock().timestamp())
        grant = tokens.Grant(f"op-{uuid.uuid4().hex[:12]}", Assurance.MFA, now, (), "operator")
        async with self.db.write_turn(), self.db.writer() as s, s.begin():
            s.add(AuditEntry(at=self.clock(), principal="operator", capability="auth.operator_token", outcome="ok",
                             detail=principal.as_header(), idempotency_key=None))
        return AccessToken(access_token=self.access_token(await self.keys(), principal, grant),
                           expires_in=int(self.access.total_seconds()))
