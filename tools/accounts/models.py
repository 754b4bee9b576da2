"""Sign-in's inputs and answers (the REST routes under /api/v1/auth)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, SecretStr

EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class Credentials(BaseModel):
    email: str = Field(min_length=3, max_length=200, pattern=EMAIL)
    password: SecretStr = Field(min_length=1, max_length=200)
    code: SecretStr | None = Field(default=None, max_length=20, description="With multi-factor sign-in on: the "
                                   "6-digit code from the authenticator app, or a recovery code.")


class Registration(Credentials):
    invite_code: SecretStr | None = Field(default=None, max_length=60, description="Staff and managers: the code "
                                          "from a manager's invite; without one you register as a customer.")


class InviteRequest(BaseModel):
    role: Literal["staff", "manager"]
    staff_id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.\-]+$",
                          description="Their id (`staff:<id>`).")
    location_id: str | None = Field(default=None, max_length=40, description="Staff: the shop they act for.")


class InviteOut(BaseModel):
    code: str
    """Hand it over once; it registers one account."""
    expires_at: datetime
    principal: str


class LinkCode(BaseModel):
    code: str
    """One use, within 15 minutes: `/start <code>` to the bot."""
    expires_at: datetime
    url: str | None = Field(default=None, description="The deep link that opens the bot with the code.")


class RoleChange(BaseModel):
    role: Literal["staff", "manager"]
    location_id: str | None = Field(default=None, max_length=40)


class EmailToken(BaseModel):
    token: SecretStr = Field(min_length=10, max_length=100)


class ResetRequest(BaseModel):
    email: str = Field(min_length=3, max_length=200, pattern=EMAIL)


class ResetConfirm(BaseModel):
    token: SecretStr = Field(min_length=10, max_length=100)
    new_password: SecretStr = Field(min_length=1, max_length=200)


class MfaEnrolment(BaseModel):
    secret: str
    otpauth_uri: str
    """For the authenticator app (a QR code of it); confirm with a code to turn the second factor on."""


class MfaCode(BaseModel):
    code: SecretStr = Field(min_length=6, max_length=20)


class RecoveryCodes(BaseModel):
    recovery_codes: list[str]
    """Each signs in once in place of a code; shown only now."""


class PasswordChange(BaseModel):
    current_password: SecretStr = Field(min_length=1, max_length=200)
    new_password: SecretStr = Field(min_length=1, max_length=200)


class ClientCredentials(BaseModel):
    """A service's sign-in (OAuth client credentials)."""

    client_id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.\-]+$")
    client_secret: SecretStr = Field(min_length=1, max_length=200)


class ActAs(BaseModel):
    principal: str = Field(min_length=3, max_length=120, description="Whom to act for: `role:id[@shop]`.")


class RefreshGrant(BaseModel):
    refresh_token: SecretStr = Field(min_length=10, max_length=200)


class Tokens(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    """Seconds the access token is valid for."""
    refresh_token: str
    """Opaque; rotated on every use (use the new one: presenting an old one again ends the session)."""
    principal: str


class AccessToken(BaseModel):
    """An access token alone (a step-up, a service's token); no refresh token."""

    access_token: str
    token_type: str = "Bearer"
    expires_in: int


class SessionOut(BaseModel):
    session_id: str
    signed_in_at: datetime
    last_used_at: datetime
    expires_at: datetime
    client: str


class SessionList(BaseModel):
    sessions: list[SessionOut]


class Accepted(BaseModel):
    message: str


class OneTimePassword(BaseModel):
    one_time_password: str
    """Hand it over once; they change it at sign-in."""


class Erasure(BaseModel):
    password: SecretStr = Field(min_length=1, max_length=200, description="Your password, to be sure it is you.")
