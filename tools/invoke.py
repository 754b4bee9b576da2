"""The one place a capability runs: role check, transaction, idempotency, audit.

Every surface (direct call in tests, MCP server, hence the gateway, REST and agents) ends here, so a
permission check, an idempotency key or an audit row behaves the same whoever calls.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from store.audit import AuditEntry, IdempotencyRecord
from store.changes import attribute
from store.engine import Database
from tools.context import Clock, ToolContext
from tools.errors import DomainError, Forbidden, IdempotencyConflict, IdempotencyKeyRequired, InvalidInput
from tools.menu.snapshot import CatalogCache
from tools.principal import Principal
from tools.registry import Capability
from tools.second_factor import check_signed_in
from tools.services import Services

MAX_KEY_LENGTH = 200
_IDEMPOTENCY_RACE_RETRIES = 5


@dataclass(frozen=True)
class Runtime:
    """What the invoker needs from the composition root."""

    db: Database
    clock: Clock
    catalog: CatalogCache
    services: Services = field(default_factory=Services)


def command_from(cap: Capability, arguments: BaseModel | Mapping[str, Any]) -> BaseModel:
    """The capability's typed command from raw arguments; bad arguments are an InvalidInput naming the field."""
    if isinstance(arguments, cap.input_model):
        return arguments
    raw = arguments.model_dump() if isinstance(arguments, BaseModel) else arguments
    try:
        return cap.input_model.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        where = ".".join(str(p) for p in errors[0]["loc"])
        raise InvalidInput(f"{where}: {errors[0]['msg']}", tool=cap.name,
                           errors=[{"loc": list(e["loc"]), "msg": e["msg"]} for e in errors]) from exc


def request_hash(cap: Capability, cmd: BaseModel) -> str:
    canonical = json.dumps([cap.name, cmd.model_dump(mode="json")], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_access(cap: Capability, principal: Principal) -> None:
    check_signed_in(principal)
    if principal.role not in cap.roles:
        raise Forbidden(
            f"{cap.name} is not available to a {principal.role.value}",
            capability=cap.name,
            role=principal.role.value,
        )


def _check_key(cap: Capability, key: str | None) -> None:
    if cap.idempotent and not key:
        raise IdempotencyKeyRequired(f"{cap.name} needs an idempotency key", capability=cap.name)
    if key is not None and not 0 < len(key) <= MAX_KEY_LENGTH:
        raise InvalidInput(f"idempotency key must be 1..{MAX_KEY_LENGTH} characters")


async def invoke(
    rt: Runtime, cap: Capability, cmd: BaseModel, principal: Principal, idempotency_key: str | None = None
) -> BaseModel:
    """Run `cap` for `principal`; mutations commit atomically with their audit row and stored reply."""
    try:
        check_access(cap, principal)
        if not cap.mutating:
            async with rt.db.reader() as session:
                return await cap.fn(ToolContext(principal, session, rt.clock, rt.catalog,
                                                   services=rt.services), cmd)
        _check_key(cap, idempotency_key)
        return await _mutate(rt, cap, cmd, principal, idempotency_key)
    except DomainError as exc:
        if cap.mutating:
            await _audit_refusal(rt, cap, cmd, principal, idempotency_key, exc)
        raise


async def _mutate(
    rt: Runtime, cap: Capability, cmd: BaseModel, principal: Principal, key: str | None
) -> BaseModel:
    digest = request_hash(cap, cmd)
    who = principal.person  # `customer:c1` and `customer:c1@downtown` are one person with one set of keys
    for _ in range(_IDEMPOTENCY_RACE_RETRIES):
        try:
            async with rt.db.write_turn(), rt.db.writer() as session, session.begin():
                attribute(session.sync_session, who)
                if key is not None:
                    await _hold_key(rt, session, who, key)
                    stored = await _stored_reply(session, cap, who, key, digest)
                    if stored is not None:
                        return stored
                result = await cap.fn(ToolContext(principal, session, rt.clock, rt.catalog, key, rt.services), cmd)
                _record(session, rt, cap, cmd, principal, key, digest, result)
                return result
        except IntegrityError:
            # Another call with the same key committed first: loop to read its stored reply.
            if key is None or not await _key_taken(rt, who, key):
                raise
    raise IdempotencyConflict("the same idempotency key is being used concurrently; retry", key=key)


async def _hold_key(rt: Runtime, session: AsyncSession, who: str, key: str) -> None:
    """Calls with the same key take turns, so the second finds the first's reply instead of repeating effects
    outside the store (a card charge, a chain transaction). SQLite writers already take turns."""
    if not rt.db.is_sqlite:
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": f"{who}|{key}"})


async def _stored_reply(
    session: AsyncSession, cap: Capability, who: str, key: str, digest: str
) -> BaseModel | None:
    row = await session.scalar(
        select(IdempotencyRecord).where(IdempotencyRecord.principal == who, IdempotencyRecord.key == key)
    )
    if row is None:
        return None
    if row.request_hash != digest:
        raise IdempotencyConflict(
            "this idempotency key was already used for a different request", key=key, capability=row.capability
        )
    return cap.output_model.model_validate_json(row.response)


async def _key_taken(rt: Runtime, who: str, key: str) -> bool:
    async with rt.db.reader() as session:
        found = await session.get(IdempotencyRecord, (who, key))
        return found is not None


def _record(
    session: AsyncSession, rt: Runtime, cap: Capability, cmd: BaseModel, principal: Principal,
    key: str | None, digest: str, result: BaseModel,
) -> None:
    now = rt.clock()
    session.add(AuditEntry(at=now, principal=principal.as_header(), capability=cap.name, outcome="ok",
                           detail=cmd.model_dump_json(), idempotency_key=key))
    if key is not None:
        session.add(IdempotencyRecord(principal=principal.person, key=key, capability=cap.name, request_hash=digest,
                                      response=result.model_dump_json(), created_at=now))


async def _audit_refusal(
    rt: Runtime, cap: Capability, cmd: BaseModel, principal: Principal, key: str | None, exc: DomainError
) -> None:
    async with rt.db.write_turn(), rt.db.writer() as session, session.begin():
        session.add(AuditEntry(at=rt.clock(), principal=principal.as_header(), capability=cap.name,
                               outcome=exc.code, detail=cmd.model_dump_json(), idempotency_key=key))
