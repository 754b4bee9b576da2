"""Account care over REST: the verification email and the password reset through the notifier's outbox to a real
SMTP server (aiosmtpd); a manager's invite codes and role changes (audited, sessions ended); a customer's data
export and erasure (personal data gone, orders and the ledger kept consistent under a pseudonym)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest
from eth_account import Account as EthAccount
from sqlalchemy import func, select

from store.accounts import User
from store.audit import AuditEntry
from store.notifications import Delivery
from store.orders import Order
from store.wallet import Account, CustodialAccount, LedgerEntry
from tests.identities import AS, PASSWORD, bearer, register
from tests.live import app_of
from tests.mail import Inbox
from tests.tools.money_helpers import give_points
from tools.accounts.service import LOCK_AFTER, Accounts
from tools.notifications.dispatch import deliver_due
from tools.notifications.mail import SmtpMailer
from tools.notifications.outbox import notify
from tools.principal import Principal, Role

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
ORDER = {"location_id": "downtown", "lines": [{"item_id": "latte"}]}


def accounts(client: httpx.AsyncClient) -> Accounts:
    found: Accounts = app_of(client).state.serving.accounts
    return found


async def mail(client: httpx.AsyncClient, smtp: tuple[Inbox, str]) -> list[str]:
    """Send what the outbox holds to the SMTP server; the bodies it received so far."""
    inbox, url = smtp
    await deliver_due(accounts(client).db, SmtpMailer(url, "Go Coffee <noreply@gocoffee.example>"), datetime.now(UTC))
    return [bytes(m.get_payload(decode=True)).decode() for m in inbox.received]


def code_in(text: str) -> str:
    found = re.search(r"code: (\S+)", text)
    assert found, text
    return found[1]


async def test_a_new_address_gets_its_verification_and_nothing_else_until_verified(
        client: httpx.AsyncClient, smtp: tuple[Inbox, str]) -> None:
    tokens = await register(client, "ada@example.com")
    person = tokens["principal"]
    asked = await client.patch("/api/v1/notifications/preferences", json={"channels": ["inbox", "email"],
                                                                           "email": "ada@example.com"},
                               headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert asked.status_code == 200, asked.text  # the customer asked for email too
    async with accounts(client).db.writer() as s, s.begin():
        await notify(s, datetime.now(UTC), topic="security", audience=person, text="a promotion", by="test")
    (only,) = await mail(client, smtp)
    assert "Confirm your email" in only
    wrong = await client.post("/api/v1/auth/verify", json={"token": "not-the-code-at-all"})
    assert wrong.status_code == 422
    assert (await client.post("/api/v1/auth/verify", json={"token": code_in(only)})).status_code == 204
    assert (await client.post("/api/v1/auth/verify", json={"token": code_in(only)})).status_code == 422  # once
    async with accounts(client).db.reader() as s:
        assert await s.scalar(select(User.email_verified).where(User.email == "ada@example.com")) is True
    async with accounts(client).db.writer() as s, s.begin():
        await notify(s, datetime.now(UTC), topic="security", audience=person, text="now it may", by="test")
    assert any("now it may" in body for body in await mail(client, smtp))


async def test_a_locked_account_is_opened_by_a_reset_code_from_its_email(client: httpx.AsyncClient,
                                                                         smtp: tuple[Inbox, str]) -> None:
    tokens = await register(client, "bo@example.com")
    await mail(client, smtp)
    for _ in range(LOCK_AFTER):
        await client.post("/api/v1/auth/token", json={"email": "bo@example.com", "password": "wrong password!"})
    locked = await client.post("/api/v1/auth/token", json={"email": "bo@example.com", "password": PASSWORD})
    assert locked.status_code == 401
    for email in ("bo@example.com", "nobody@example.com"):  # the same answer either way
        assert (await client.post("/api/v1/auth/reset", json={"email": email})).status_code == 202
    bodies = await mail(client, smtp)
    assert len(bodies) == 2 and "Reset your Go Coffee password" in bodies[-1]
    new = "a new kettle at nine 7"
    confirmed = await client.post("/api/v1/auth/reset/confirm", json={"token": code_in(bodies[-1]),
                                                                       "new_password": new})
    assert confirmed.status_code == 204
    again = await client.post("/api/v1/auth/reset/confirm", json={"token": code_in(bodies[-1]), "new_password": new})
    assert again.status_code == 422
    assert (await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
            ).status_code == 401  # the old session ended
    assert (await client.post("/api/v1/auth/token", json={"email": "bo@example.com", "password": new})
            ).status_code == 200


async def test_a_manager_invites_staff_who_join_with_the_code_once(client: httpx.AsyncClient) -> None:
    manager = await bearer(client, None, "manager:m1")
    made = await client.post("/api/v1/auth/invites", headers=manager,
                             json={"role": "staff", "staff_id": "nia", "location_id": "harbor"})
    assert made.status_code == 201, made.text
    code = made.json()["code"]
    joined = await client.post("/api/v1/auth/register", json={"email": "nia@example.com", "password": PASSWORD,
                                                               "invite_code": code})
    assert joined.status_code == 201 and joined.json()["principal"] == "staff:nia@harbor"
    twice = await client.post("/api/v1/auth/register", json={"email": "nia2@example.com", "password": PASSWORD,
                                                              "invite_code": code})
    assert twice.status_code == 422
    for who in ("customer:c5", "staff:nia@harbor"):
        refused = await client.post("/api/v1/auth/invites", headers={AS: who} if who != "staff:nia@harbor" else {
            "Authorization": f"Bearer {joined.json()['access_token']}"},
                                    json={"role": "manager", "staff_id": "boss2"})
        assert refused.status_code == 403


async def test_a_role_change_is_audited_and_ends_the_person_s_sessions(client: httpx.AsyncClient) -> None:
    manager = await bearer(client, None, "manager:m1")
    code = (await client.post("/api/v1/auth/invites", headers=manager,
                              json={"role": "staff", "staff_id": "oli", "location_id": "harbor"})).json()["code"]
    oli = (await client.post("/api/v1/auth/register", json={"email": "oli@example.com", "password": PASSWORD,
                                                             "invite_code": code})).json()
    changed = await client.post("/api/v1/auth/users/oli/role", headers=manager,
                                json={"role": "staff", "location_id": "campus"})
    assert changed.status_code == 204
    assert (await client.post("/api/v1/auth/refresh", json={"refresh_token": oli["refresh_token"]})).status_code == 401
    again = await client.post("/api/v1/auth/token", json={"email": "oli@example.com", "password": PASSWORD})
    assert again.json()["principal"] == "staff:oli@campus"
    async with accounts(client).db.reader() as s:
        rows = (await s.scalars(select(AuditEntry.detail).where(AuditEntry.capability == "auth.role_changed"))).all()
    assert rows == ["oli: staff@harbor -> staff@campus"]
    own = await client.post("/api/v1/auth/users/m1/role", headers=manager, json={"role": "staff",
                                                                                 "location_id": "campus"})
    assert own.status_code == 403


async def test_a_customer_exports_their_data_then_erases_it_and_the_books_still_balance(
        client: httpx.AsyncClient) -> None:
    tokens = await register(client, "cy@example.com")
    me = {"Authorization": f"Bearer {tokens['access_token']}"}
    cid = tokens["principal"].split(":")[1]
    staff = await bearer(client, None, "staff:s1@downtown")
    topped = await client.post("/api/v1/wallet/top-ups", json={"customer_id": cid, "amount_cents": 2000},
                               headers={**staff, "Idempotency-Key": "t-1"})
    assert topped.status_code in (200, 201), topped.text
    order = (await client.post("/api/v1/orders", json=ORDER, headers={**me, "Idempotency-Key": "o-1"})).json()
    paid = await client.post(f"/api/v1/orders/{order['order_id']}/payments", json={"method": "stored_value"},
                             headers={**me, "Idempotency-Key": "p-1"})
    assert paid.status_code in (200, 201), paid.text
    await client.post("/api/v1/chat", json={"message": "what's on the menu?"}, headers=me)
    exported = (await client.get("/api/v1/auth/me/export", headers=me)).json()
    assert exported["account"]["email"] == "cy@example.com" and "password_hash" not in exported["account"]
    assert [o["id"] for o in exported["orders"]] == [order["order_id"]] and exported["ledger_entries"]
    others = await client.get("/api/v1/auth/me/export", headers=await bearer(client, None, "staff:s1@downtown"))
    assert others.status_code == 403

    db = accounts(client).db
    async with db.reader() as s:
        total_before = await s.scalar(select(func.sum(Account.balance)))
    wrong = await client.post("/api/v1/auth/me/erase", json={"password": "not my password"}, headers=me)
    assert wrong.status_code == 401
    assert (await client.post("/api/v1/auth/me/erase", json={"password": PASSWORD}, headers=me)).status_code == 204
    async with db.reader() as s:
        assert await s.get(User, cid) is None
        moved = await s.get(Order, order["order_id"])
        assert moved is not None and moved.customer_id.startswith("erased-") and cid not in moved.customer_id
        assert await s.scalar(select(func.count()).select_from(Delivery).where(
            Delivery.recipient == tokens["principal"])) == 0
        assert await s.scalar(select(func.sum(Account.balance))) == total_before  # the books still balance
        assert await s.scalar(select(func.count()).select_from(LedgerEntry).where(
            LedgerEntry.account.like(f"%:{cid}"))) == 0
        assert (await s.scalar(select(func.count()).select_from(LedgerEntry).where(
            LedgerEntry.account == f"wallet:{moved.customer_id}")) or 0) >= 2
        assert await s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.principal.like(f"%{cid}%"))) == 0
    conversations = app_of(client).state.serving.conversations
    assert await conversations.forget(Principal.parse(tokens["principal"])) == 0  # already gone
    assert (await client.post("/api/v1/auth/token", json={"email": "cy@example.com", "password": PASSWORD})
            ).status_code == 401


@pytest.mark.chain
async def test_erasure_keeps_the_coffee_wallet_usable_under_the_pseudonym(client: httpx.AsyncClient) -> None:
    tokens = await register(client, "di@example.com")
    me = {"Authorization": f"Bearer {tokens['access_token']}"}
    cid = tokens["principal"].split(":")[1]
    platform = app_of(client).state.serving
    await give_points(platform, cid, 300)
    redeemed = await client.post("/api/v1/wallet/redemptions", json={"points": 300},
                                 headers={**me, "Idempotency-Key": "r-1"})
    assert redeemed.status_code == 201, redeemed.text
    before = redeemed.json()["coffee"]
    async with platform.db.reader() as s:
        opened = await s.get(CustodialAccount, cid)
        assert opened is not None
        address = opened.address
    assert (await client.post("/api/v1/auth/me/erase", json={"password": PASSWORD}, headers=me)).status_code == 204
    async with platform.db.reader() as s:
        (kept,) = (await s.scalars(select(CustodialAccount).where(CustodialAccount.address == address))).all()
    assert kept.customer_id.startswith("erased-")
    key = platform.runtime.services.need_vault().open(kept.customer_id, kept.sealed_key)
    assert EthAccount.from_key(key).address == address  # the key still opens, under the pseudonym
    staff = await bearer(client, None, "staff:s1@downtown")
    wallet = await client.get("/api/v1/wallet", params={"customer_id": kept.customer_id}, headers=staff)
    assert wallet.status_code == 200 and wallet.json()["coffee"] == before  # the on-chain balance is unchanged


async def test_a_manager_unlocks_a_locked_staff_account_with_a_new_one_time_password(client: httpx.AsyncClient
                                                                                     ) -> None:
    manager = await bearer(client, None, "manager:m1")
    password = await accounts(client).create_user("pia@example.com", Role.STAFF, "pia", "harbor")
    for _ in range(LOCK_AFTER):
        await client.post("/api/v1/auth/token", json={"email": "pia@example.com", "password": "wrong password!"})
    assert (await client.post("/api/v1/auth/token", json={"email": "pia@example.com", "password": password})
            ).status_code == 401
    assert (await client.post("/api/v1/auth/users/pia/unlock", headers={AS: "staff:s1@harbor"})).status_code == 403
    unlocked = await client.post("/api/v1/auth/users/pia/unlock", headers=manager)
    assert unlocked.status_code == 200, unlocked.text
    again = await client.post("/api/v1/auth/token", json={"email": "pia@example.com",
                                                           "password": unlocked.json()["one_time_password"]})
    assert again.status_code == 200 and again.json()["principal"] == "staff:pia@harbor"
    customer = await client.post("/api/v1/auth/users/c1/unlock", headers=manager)
    assert customer.status_code == 404  # customers reset by email
