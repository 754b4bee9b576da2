"""Sign-in over HTTP: register, sign in, refresh, sign out, sessions, and the public keys tokens are signed with.
The account service itself lives below the channels (the composition root hands it over as `serving.accounts`)."""

from __future__ import annotations

from typing import Any, Protocol

from fastapi import APIRouter, Request, Response

from channels.rest.deps import PrincipalDep, ServingDep, bearer_token
from channels.rest.throttle import address_of, throttle_of
from tools.accounts.models import (
    AccessToken,
    ActAs,
    ClientCredentials,
    Credentials,
    InviteOut,
    LinkCode,
    MfaCode,
    MfaEnrolment,
    PasswordChange,
    RecoveryCodes,
    RefreshGrant,
    Registration,
    SessionList,
    Tokens,
)
from tools.errors import Unauthenticated
from tools.principal import Principal, Role

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
keys = APIRouter(tags=["auth"])


class AccountsPort(Protocol):
    async def verify(self, token: str) -> Principal: ...
    async def register(self, email: str, password: str, client: str, invite_code: str | None = None) -> Tokens: ...
    async def sign_in(self, email: str, password: str, client: str, code: str | None = None) -> Tokens: ...
    async def enrol_mfa(self, principal: Principal) -> MfaEnrolment: ...
    async def confirm_mfa(self, principal: Principal, code: str) -> RecoveryCodes: ...
    async def refresh(self, token: str, client: str) -> Tokens: ...
    async def sign_out(self, token: str) -> None: ...
    async def sessions(self, principal: Principal) -> SessionList: ...
    async def revoke_session(self, principal: Principal, session_id: str) -> None: ...
    async def change_password(self, principal: Principal, current: str, new: str) -> None: ...
    async def jwks(self) -> dict[str, Any]: ...
    async def step_up(self, access_token: str, code: str) -> AccessToken: ...
    async def client_credentials(self, client_id: str, secret: str, client: str) -> AccessToken: ...
    async def act_as(self, service_token: str, principal: Principal) -> AccessToken: ...
    async def verify_email(self, token: str) -> None: ...
    async def request_reset(self, email: str) -> None: ...
    async def confirm_reset(self, token: str, new_password: str) -> None: ...
    async def invite(self, by: Principal, role: Role, staff_id: str, location_id: str | None) -> InviteOut: ...
    async def set_role(self, by: Principal, user_id: str, role: Role, location_id: str | None) -> None: ...
    async def unlock(self, by: Principal, user_id: str) -> str: ...
    async def export(self, principal: Principal) -> dict[str, Any]: ...
    async def confirm_password(self, principal: Principal, password: str) -> None: ...
    async def erase(self, principal: Principal, password: str) -> None: ...
    async def telegram_code(self, principal: Principal) -> LinkCode: ...
    async def unlink_telegram(self, principal: Principal) -> bool: ...


def _client(request: Request) -> str:
    return f"{address_of(request)} {request.headers.get('user-agent', '')}"[:200]


def signed_in(principal: Principal) -> Principal:
    if principal.role == Role.GUEST:
        raise Unauthenticated("sign in first")
    return principal


@router.post("/register", status_code=201, response_model=Tokens, operation_id="auth_register")
async def register(body: Registration, request: Request, serving: ServingDep) -> Tokens:
    """Create a customer account (with a manager's invite code: the invited staff account) and sign it in at once
    (a password of 12 characters or more, not a common one). A code to verify the email is sent to it."""
    await throttle_of(request).check("register_address", address_of(request))
    code = body.invite_code.get_secret_value() if body.invite_code else None
    return await serving.accounts.register(body.email, body.password.get_secret_value(), _client(request), code)


@router.post("/token", response_model=Tokens, operation_id="auth_token")
async def token(body: Credentials, request: Request, serving: ServingDep) -> Tokens:
    """Sign in: an access token (a JWT for `Authorization: Bearer`, valid minutes) and a refresh token. Attempts
    are limited per client address and per account (429 with Retry-After)."""
    limits = throttle_of(request)
    await limits.check("sign_in_address", address_of(request))
    await limits.check("sign_in_account", body.email)
    return await serving.accounts.sign_in(body.email, body.password.get_secret_value(), _client(request),
                                          body.code.get_secret_value() if body.code else None)


@router.post("/refresh", response_model=Tokens, operation_id="auth_refresh")
async def refresh(body: RefreshGrant, request: Request, serving: ServingDep) -> Tokens:
    """A new access token and a new refresh token for a refresh token, which is used up (rotation); presenting a
    used one again ends that session everywhere."""
    await throttle_of(request).check("refresh_address", address_of(request))
    return await serving.accounts.refresh(body.refresh_token.get_secret_value(), _client(request))


@router.post("/logout", status_code=204, operation_id="auth_logout")
async def logout(body: RefreshGrant, serving: ServingDep) -> Response:
    """End the session the refresh token belongs to."""
    await serving.accounts.sign_out(body.refresh_token.get_secret_value())
    return Response(status_code=204)


@router.get("/sessions", response_model=SessionList, operation_id="auth_sessions")
async def sessions(principal: PrincipalDep, serving: ServingDep) -> SessionList:
    """The caller's signed-in sessions."""
    return await serving.accounts.sessions(signed_in(principal))


@router.delete("/sessions/{session_id}", status_code=204, operation_id="auth_revoke_session")
async def revoke(session_id: str, principal: PrincipalDep, serving: ServingDep) -> Response:
    """End one of the caller's sessions (signed in elsewhere, a lost phone)."""
    await serving.accounts.revoke_session(signed_in(principal), session_id)
    return Response(status_code=204)


@router.post("/password", status_code=204, operation_id="auth_password")
async def password(body: PasswordChange, principal: PrincipalDep, serving: ServingDep) -> Response:
    """Change the caller's password (a one-time password from an operator first of all); every session ends, so
    sign in again."""
    await serving.accounts.change_password(signed_in(principal), body.current_password.get_secret_value(),
                                           body.new_password.get_secret_value())
    return Response(status_code=204)


@router.post("/mfa", response_model=MfaEnrolment, operation_id="auth_mfa_enrol")
async def mfa_enrol(principal: PrincipalDep, serving: ServingDep) -> MfaEnrolment:
    """Start the second factor: a TOTP secret and its otpauth:// URI for an authenticator app."""
    return await serving.accounts.enrol_mfa(signed_in(principal))


@router.post("/mfa/confirm", response_model=RecoveryCodes, operation_id="auth_mfa_confirm")
async def mfa_confirm(body: MfaCode, principal: PrincipalDep, serving: ServingDep) -> RecoveryCodes:
    """Turn the second factor on with a code from the app; answers the recovery codes, once."""
    return await serving.accounts.confirm_mfa(signed_in(principal), body.code.get_secret_value())


@router.post("/step-up", response_model=AccessToken, operation_id="auth_step_up")
async def step_up(body: MfaCode, request: Request, principal: PrincipalDep, serving: ServingDep) -> AccessToken:
    """A fresh code from the authenticator app: an access token good for the most sensitive actions (publishing a
    rota, a refund above the limit, a DAO grant from the treasury) for the next few minutes."""
    await throttle_of(request).check("sign_in_account", signed_in(principal).person)
    return await serving.accounts.step_up(bearer_token(request.headers.get("authorization")), body.code.get_secret_value())


@router.post("/client-token", response_model=AccessToken, operation_id="auth_client_token")
async def client_token(body: ClientCredentials, request: Request, serving: ServingDep) -> AccessToken:
    """A service's access token for its client id and secret (made with `gocoffee users service`)."""
    limits = throttle_of(request)
    await limits.check("sign_in_address", address_of(request))
    await limits.check("sign_in_account", body.client_id)
    return await serving.accounts.client_credentials(body.client_id, body.client_secret.get_secret_value(),
                                                     _client(request))


@router.post("/act-as", response_model=AccessToken, operation_id="auth_act_as")
async def act_as(body: ActAs, request: Request, serving: ServingDep) -> AccessToken:
    """A service with the act_as scope exchanges its token for one acting for a person (its `act` claim names the
    service): the platform's own components and eval runners."""
    return await serving.accounts.act_as(bearer_token(request.headers.get("authorization")), Principal.parse(body.principal))


@keys.get("/.well-known/jwks.json", operation_id="auth_jwks")
async def jwks(serving: ServingDep) -> dict[str, Any]:
    """The public keys access tokens are signed with (RS256; each token names its key as `kid`)."""
    return await serving.accounts.jwks()
