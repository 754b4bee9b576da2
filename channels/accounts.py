"""Account care over HTTP: verifying the email, resetting a forgotten password, a manager's invites and role
changes, and a customer's own data (export and erasure). Sign-in itself is channels.auth."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from channels.auth import signed_in
from channels.rest.deps import PrincipalDep, ServingDep
from channels.rest.throttle import address_of, throttle_of
from tools.accounts.models import (
    Accepted,
    EmailToken,
    Erasure,
    InviteOut,
    InviteRequest,
    OneTimePassword,
    ResetConfirm,
    ResetRequest,
    RoleChange,
)
from tools.principal import Role

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/verify", status_code=204, operation_id="auth_verify_email")
async def verify(body: EmailToken, request: Request, serving: ServingDep) -> Response:
    """Confirm the email with the code sent to it."""
    await throttle_of(request).check("sign_in_address", address_of(request))
    await serving.accounts.verify_email(body.token.get_secret_value())
    return Response(status_code=204)


@router.post("/reset", status_code=202, response_model=Accepted, operation_id="auth_reset")
async def reset(body: ResetRequest, request: Request, serving: ServingDep) -> Accepted:
    """Email a code to reset the password, if the address has an account (the answer is the same either way)."""
    limits = throttle_of(request)
    await limits.check("register_address", address_of(request))
    await limits.check("sign_in_account", body.email)
    await serving.accounts.request_reset(body.email)
    return Accepted(message="if that address has an account, a reset code is on its way")


@router.post("/reset/confirm", status_code=204, operation_id="auth_reset_confirm")
async def reset_confirm(body: ResetConfirm, request: Request, serving: ServingDep) -> Response:
    """A new password with the emailed code: unlocks the account and ends its sessions; sign in again."""
    await throttle_of(request).check("sign_in_address", address_of(request))
    await serving.accounts.confirm_reset(body.token.get_secret_value(), body.new_password.get_secret_value())
    return Response(status_code=204)


@router.post("/invites", status_code=201, response_model=InviteOut, operation_id="auth_invite")
async def invite(body: InviteRequest, principal: PrincipalDep, serving: ServingDep) -> InviteOut:
    """A manager invites staff or a manager: a one-time code (seven days) they register with."""
    return await serving.accounts.invite(signed_in(principal), Role(body.role), body.staff_id, body.location_id)


@router.post("/users/{user_id}/role", status_code=204, operation_id="auth_set_role")
async def set_role(user_id: str, body: RoleChange, principal: PrincipalDep, serving: ServingDep) -> Response:
    """A manager changes a staff account's role or shop (audited; their sessions end)."""
    await serving.accounts.set_role(signed_in(principal), user_id, Role(body.role), body.location_id)
    return Response(status_code=204)


@router.post("/users/{user_id}/unlock", response_model=OneTimePassword, operation_id="auth_unlock")
async def unlock(user_id: str, principal: PrincipalDep, serving: ServingDep) -> OneTimePassword:
    """A manager unlocks a staff account with a new one-time password (audited; its sessions end)."""
    return OneTimePassword(one_time_password=await serving.accounts.unlock(signed_in(principal), user_id))


@router.get("/me/export", operation_id="auth_export")
async def export(principal: PrincipalDep, serving: ServingDep) -> dict[str, Any]:
    """Everything the platform holds about the caller, as JSON: the account, orders, payments, wallet, COFFEE,
    DAO proposals, notifications and sessions."""
    return await serving.accounts.export(signed_in(principal))


@router.post("/me/erase", status_code=204, operation_id="auth_erase")
async def erase(body: Erasure, principal: PrincipalDep, serving: ServingDep) -> Response:
    """Erase the caller's account: personal data goes; orders, the ledger and on-chain history stay consistent
    under a pseudonym. Customers only; it cannot be undone."""
    password = body.password.get_secret_value()
    await serving.accounts.confirm_password(signed_in(principal), password)
    await serving.conversations.forget(principal)
    await serving.accounts.erase(principal, password)
    return Response(status_code=204)
