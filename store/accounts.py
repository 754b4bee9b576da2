"""Sign-in: people's accounts, their refresh-token sessions, and the keys access tokens are signed with."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UTCDateTime


class User(Base):
    """Someone who signs in: a customer who registered, or staff and managers an operator or manager added."""

    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    """The principal's id: `customer:<id>`, `staff:<id>`, `manager:<id>` use it."""
    email: Mapped[str] = mapped_column(String(200), unique=True)
    """Lower-cased."""
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(12))
    location_id: Mapped[str | None] = mapped_column(String(40))
    """Staff: the shop they act for."""
    email_verified: Mapped[bool] = mapped_column(default=False)
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    mfa_secret: Mapped[str | None] = mapped_column(String(200))
    """The TOTP secret, sealed; set at enrolment, in force once a code confirmed it."""
    mfa_enabled: Mapped[bool] = mapped_column(default=False)
    mfa_last_step: Mapped[int] = mapped_column(default=0)
    """The last TOTP time step used: a code is accepted once."""
    recovery_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    """SHA-256 of each unused recovery code."""
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    """A service client's scopes (`act_as`: may call for someone else); people have none."""


class RefreshToken(Base):
    """One refresh token of a session (stored as its hash). Using it rotates it: the next one joins the same family;
    presenting a rotated one again revokes the whole family (someone copied it)."""

    __tablename__ = "refresh_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    family_id: Mapped[str] = mapped_column(String(40), index=True)
    """The session: every token rotated from the first sign-in."""
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    client: Mapped[str] = mapped_column(String(200))
    """Where the session signed in from (address and user agent), for the sessions list."""
    second_factor_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When the session last gave a second-factor code (at sign-in or a step-up); None: the password alone."""


class SigningKey(Base):
    """An RSA key access tokens are signed with. The newest active key signs; retired keys still verify until the
    tokens they signed have expired, so rotating keys logs nobody out."""

    __tablename__ = "signing_keys"
    kid: Mapped[str] = mapped_column(String(40), primary_key=True)
    private_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AccountToken(Base):
    """A one-time token sent by email (verify the address, reset the password), stored as its SHA-256."""

    __tablename__ = "account_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(12))
    """verify or reset."""
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Invite(Base):
    """A manager's one-time invitation to join as staff or a manager (the code is stored as its SHA-256)."""

    __tablename__ = "invites"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(12))
    location_id: Mapped[str | None] = mapped_column(String(40))
    staff_id: Mapped[str] = mapped_column(String(40))
    """The id the new account will have (`staff:<id>`)."""
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TelegramLink(Base):
    """A Telegram account bound to a customer: its owner followed a one-time link the customer got signed in.
    One Telegram account per customer and one customer per Telegram account."""

    __tablename__ = "telegram_links"
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    """The private chat with the bot: where notifications go."""
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime())
