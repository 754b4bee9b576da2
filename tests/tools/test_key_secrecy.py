"""Keys never leave the platform: custodial and operator keys, the wallet key and Stripe's secrets are not in any
REST or MCP reply, log line, stored reply or audit row, and custodial keys are sealed at rest (the raw key is
nowhere in the database file)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from eth_account import Account
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from sqlalchemy import select, text

from gocoffee.bootstrap import Platform
from gocoffee.settings import Settings
from store.wallet import CustodialAccount
from tests.fakes.stripe_api import FakeStripe
from tests.identities import AS, bearer
from tests.live import LiveServer, app_client
from tests.tools.money_helpers import give_points, mine
from tools.wallet.vault import Vault

WALLET_KEY = Vault.new_key_text()
OPERATOR_KEY = "0x" + "4f" * 32
pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]


@pytest.fixture
def settings(store_url: str, tmp_path: Path, stripe_api: FakeStripe) -> Settings:
    return Settings(data_dir=tmp_path, database_url=store_url, kitchen=False, chain=True, chain_block_seconds=0,
                    wallet_key=WALLET_KEY, chain_operator_key=OPERATOR_KEY, **stripe_api.settings())


def _forms(secret: bytes) -> list[str]:
    return [secret.hex(), "0x" + secret.hex(), secret.hex().upper()]


async def _secrets(platform: Platform, settings: Settings) -> tuple[list[str], list[str]]:
    """Raw keys (custodial, operator, wallet key) and the sealed custodial keys (ciphertext)."""
    vault = Vault.from_text(WALLET_KEY)
    async with platform.db.reader() as session:
        accounts = list(await session.scalars(select(CustodialAccount)))
    assert len(accounts) >= 2, "the flow should have opened custodial accounts"
    keys = [vault.open(a.customer_id, a.sealed_key) for a in accounts]
    assert all(Account.from_key(k).address == a.address for k, a in zip(keys, accounts, strict=True))
    found = [form for k in keys for form in _forms(k)] + _forms(bytes.fromhex(OPERATOR_KEY[2:]))
    stripe = [s.get_secret_value() for s in (settings.stripe_api_key, settings.stripe_webhook_secret) if s]
    assert len(stripe) == 2
    return [*found, WALLET_KEY, *stripe], [a.sealed_key for a in accounts]


async def _rest_flow(settings: Settings, platform: Platform) -> list[str]:
    seen: list[str] = []
    alice, bob = {AS: "customer:alice"}, {AS: "customer:bob"}
    await give_points(platform, "alice", 2000)
    latte = {"location_id": "downtown", "lines": [{"item_id": "latte"}]}
    before_vote = [
        ("POST", "/api/v1/wallet/redemptions", alice, {"points": 2000}, 201),
        ("POST", "/api/v1/wallet/transfers", alice, {"to_customer_id": "bob", "amount": "2"}, 201),
        ("POST", "/api/v1/wallet/transfers", bob, {"to_customer_id": "alice", "amount": "50"}, 409),
        ("POST", "/api/v1/orders", alice, latte, 201),
        ("POST", "/api/v1/orders/1/payments", alice, {"method": "coffee"}, 201),
        ("POST", "/api/v1/orders", bob, latte, 201),
        ("POST", "/api/v1/orders/2/payments", bob, {"method": "card", "payment_method": "pm_card_visa"}, 201),
        ("POST", "/api/v1/orders/2/cancel", bob, None, 200),
        ("POST", "/api/v1/dao/proposals", alice, {"title": "Longer opening hours"}, 201),
    ]
    after_vote = [
        ("POST", "/api/v1/dao/proposals/1/votes", alice, {"support": "for"}, 201),
        ("GET", "/api/v1/wallet", alice, None, 200),
        ("GET", "/api/v1/dao/proposals", bob, None, 200),
    ]
    async with app_client(settings) as client:
        for phase in (before_vote, after_vote):
            for method, path, who, body, status in phase:
                reply = await client.request(method, path, json=body,
                                             headers={**who, "Idempotency-Key": f"k-{len(seen)}"})
                assert reply.status_code == status, (path, reply.text)
                seen.append(reply.text)
            await mine(platform, 2)
    return seen


async def _mcp_flow(settings: Settings) -> list[str]:
    seen: list[str] = []
    with LiveServer(settings) as live:
        async with live.client() as http:
            auth = await bearer(http, None, "customer:alice")
        async with create_mcp_http_client(headers=auth) as signed, \
                Client(streamable_http_client(f"{live.url}/mcp/wallet", http_client=signed)) as client:
            for tool, args in [("get_wallet", {}), ("transfer_coffee", {"to_customer_id": "carol", "amount": "1"})]:
                result = await client.call_tool(tool, args, meta={"gocoffee/idempotency-key": f"m-{tool}"})
                assert not result.is_error, result
                seen.append(result.model_dump_json())
            seen.append((await client.list_tools()).model_dump_json())
    return seen


async def test_no_key_appears_in_replies_logs_stored_replies_or_the_database(
        platform: Platform, settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    replies = await _rest_flow(settings, platform) + await _mcp_flow(settings)
    assert any('"coffee_address"' in r for r in replies) and any("transfer_coffee" in r for r in replies)
    async with platform.db.reader() as session:
        stored = [r[0] for r in await session.execute(text("SELECT response FROM idempotency_records"))]
        stored += [r[0] for r in await session.execute(text("SELECT detail FROM audit_log"))]
    haystacks = {"replies": "\n".join(replies), "logs": caplog.text, "stored": "\n".join(stored)}
    raw, sealed = await _secrets(platform, settings)
    for secret in raw:
        for where, haystack in haystacks.items():
            assert secret not in haystack, f"a key leaked into {where}"
    for secret in sealed:  # ciphertext may pass through the database driver's debug log, never out of the platform
        assert secret not in haystacks["replies"] and secret not in haystacks["stored"], "a sealed key was returned"
    db_file = Path(settings.db_url().split("///", 1)[1]).read_bytes()
    vault = Vault.from_text(WALLET_KEY)
    async with platform.db.reader() as session:
        for account in await session.scalars(select(CustodialAccount)):
            raw = vault.open(account.customer_id, account.sealed_key)
            assert raw not in db_file and raw.hex().encode() not in db_file, "a custodial key is stored in clear"
    assert json.loads(replies[0])["coffee"] == "20.00"
