"""Paying orders in COFFEE through the escrow contract on the embedded EVM: from a Go Coffee account or with
the hash of a payment made elsewhere; confirmed only by reading the chain; refunds, release on ready, races."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount

from contracts import coffee
from contracts.chain import WEI_PER_COFFEE, Chain
from gocoffee.bootstrap import Platform
from tests.callers import Caller, GatewayCaller
from tests.tools.contract import ALICE, BARISTA, BOB, refused
from tests.tools.money_helpers import give_points, mine, on_chain
from tests.tools.test_payments import LATTE, no_drift
from tools.errors import DomainError
from tools.principal import Principal, Role

pytestmark = [pytest.mark.anyio, pytest.mark.chain]
SETTLER = Principal(role=Role.SERVICE, id="settler")


async def coffee_for(call: Caller, platform: Platform, who: Principal, coffees: int, key: str) -> dict:
    await give_points(platform, who.id, coffees * 100)
    return await call("redeem_points", {"points": coffees * 100}, who, key)


async def test_an_order_paid_in_coffee_goes_to_the_kitchen_and_a_cancel_refunds_it_from_escrow(
        call: Caller, platform: Platform) -> None:
    wallet = await coffee_for(call, platform, ALICE, 20, "r-1")
    assert Decimal(wallet["coffee"]) == 20 and wallet["points"] == 0 and wallet["coffee_address"]
    order = await call("create_order", {**LATTE}, ALICE, "o-1")
    paid = await call("pay_order", {"order_id": order["order_id"], "method": "coffee"}, ALICE, "p-1")
    assert paid["state"] == "captured" and paid["order_state"] == "queued" and paid["reference"].startswith("0x")
    assert await call("pay_order", {"order_id": order["order_id"], "method": "coffee"}, ALICE, "p-1") == paid
    due = Decimal(order["total_cents"]) / 100
    assert Decimal((await call("get_wallet", {}, ALICE))["coffee"]) == 20 - due
    payer, amount, status = await on_chain(platform, lambda c: coffee.escrow_status(c, order["order_id"]))
    assert (payer, amount, status) == (wallet["coffee_address"], int(due * WEI_PER_COFFEE), coffee.EscrowStatus.PAID)

    cancelled = await call("cancel_order", {"order_id": order["order_id"], "reason": "changed my mind"}, ALICE)
    assert cancelled["state"] == "refunded"
    assert (await on_chain(platform, lambda c: coffee.escrow_status(c, order["order_id"])))[2] == 3
    after = await call("get_wallet", {}, ALICE)
    assert Decimal(after["coffee"]) == 20 and after["points"] == 0
    assert [h["kind"] for h in after["history"] if h["unit"] == "coffee"][:2] == ["coffee_refunded", "coffee_paid"]
    await no_drift(platform)


async def test_short_of_coffee_or_without_an_account_nothing_is_charged(call: Caller, platform: Platform) -> None:
    order = await call("create_order", {**LATTE}, BOB, "o-2")
    await refused("not_found", call, "pay_order", {"order_id": order["order_id"], "method": "coffee"}, BOB, "p-2")
    await coffee_for(call, platform, BOB, 1, "r-2")
    error = await refused("insufficient_funds", call, "pay_order", {"order_id": order["order_id"],
                                                                    "method": "coffee"}, BOB, "p-3")
    assert error.details["needed"] == order["total_cents"]
    assert (await call("get_order", {"order_id": order["order_id"]}, BOB))["state"] == "placed"
    assert (await on_chain(platform, lambda c: coffee.escrow_status(c, order["order_id"])))[2] == 0


async def _outsider(platform: Platform, coffees: int) -> LocalAccount:
    """A wallet outside Go Coffee, holding COFFEE and gas."""
    outsider: LocalAccount = Account.create()

    def fund(chain: Chain) -> None:
        chain.send_ether(chain.operator, outsider.address, 10**17)
        chain.transact(chain.operator, chain.contract("CoffeeToken").functions.mint(
            outsider.address, coffees * WEI_PER_COFFEE))

    await on_chain(platform, fund)
    return outsider


def _pay(outsider: LocalAccount, order_id: int, wei: int) -> object:
    def pay(chain: Chain) -> str:
        escrow, token = chain.contract("CoffeeEscrow"), chain.contract("CoffeeToken")
        chain.transact(outsider, token.functions.approve(escrow.address, wei))
        return chain.transact(outsider, escrow.functions.pay(order_id, wei))["transactionHash"].to_0x_hex()
    return pay


def _reverted_pay(outsider: LocalAccount, order_id: int, wei: int) -> object:
    """A payment mined with status 0: explicit gas skips estimation, so the node mines the failing call."""
    def pay(chain: Chain) -> str:
        escrow = chain.contract("CoffeeEscrow")
        tx = escrow.functions.pay(order_id, wei).build_transaction({
            "from": outsider.address, "gas": 200_000, "chainId": chain.chain_id,
            "nonce": chain.w3.eth.get_transaction_count(outsider.address), **chain._fees()})
        tx_hash = chain.w3.eth.send_raw_transaction(outsider.sign_transaction(tx).raw_transaction)
        receipt = chain.w3.eth.wait_for_transaction_receipt(tx_hash)
        assert receipt["status"] == 0
        return receipt["transactionHash"].to_0x_hex()
    return pay


async def test_a_payment_made_elsewhere_counts_only_if_the_chain_proves_it(platform: Platform) -> None:
    await _only_proven_payments_count(platform)


@pytest.mark.slow
@pytest.mark.chain(node="anvil")
async def test_on_anvil_too_a_payment_counts_only_if_the_chain_proves_it(platform: Platform) -> None:
    await _only_proven_payments_count(platform)


async def _only_proven_payments_count(platform: Platform) -> None:
    gw = platform.gateway
    order = await gw.call("create_order", {**LATTE}, principal=ALICE, idempotency_key="o-3")
    other = await gw.call("create_order", {**LATTE}, principal=ALICE, idempotency_key="o-4")
    oid, due = order.order_id, order.total_cents * WEI_PER_COFFEE // 100  # type: ignore[attr-defined]
    outsider = await _outsider(platform, 50)

    async def offer(tx_hash: str, key: str) -> str:
        try:
            await gw.call("pay_order", {"order_id": oid, "method": "coffee", "tx_hash": tx_hash}, principal=ALICE,
                          idempotency_key=key)
            return "accepted"
        except DomainError as exc:
            return f"{exc.code}: {exc.message}"

    before = await on_chain(platform, lambda c: coffee.balance_of(c, outsider.address))
    underpaid = await on_chain(platform, _pay(outsider, oid, due - 1))
    assert "underpaid" in await offer(underpaid, "x-1")
    assert await on_chain(platform, lambda c: coffee.balance_of(c, outsider.address)) == before, "money returned"
    to_merchant = await on_chain(platform, lambda c: c.transact(outsider, c.contract("CoffeeToken").functions.transfer(
        c.operator.address, due))["transactionHash"].to_0x_hex())
    assert "not sent to the Go Coffee escrow" in await offer(to_merchant, "x-2")
    other_order = await on_chain(platform, _pay(outsider, other.order_id, due))  # type: ignore[attr-defined]
    assert f"did not pay order {oid}" in await offer(other_order, "x-3")
    reverted = await on_chain(platform, _reverted_pay(outsider, 999, due))
    assert "reverted" in await offer(reverted, "x-4")
    assert "no such transaction" in await offer("0x" + "ab" * 32, "x-5")
    assert (await gw.call("get_order", {"order_id": oid}, principal=ALICE)).state == "placed"  # type: ignore[attr-defined]
    assert (await gw.call("list_payments", {"order_id": oid}, principal=ALICE)).payments == []  # type: ignore[attr-defined]

    assert await offer(other_order, "x-6") != "accepted", "a proof for another order stays refused"
    again = await offer(underpaid, "x-9")
    assert "underpaid" in again and "returned it" not in again, "an already returned underpayment is not refunded twice"
    repaid = await on_chain(platform, _pay(outsider, oid, due))
    assert await offer(repaid, "x-8") == "accepted", "after a refused underpayment the order can still be paid"
    await refused("payment_rejected", GatewayCaller("mcp", platform.gateway), "pay_order", {
        "order_id": other.order_id, "method": "coffee", "tx_hash": underpaid}, ALICE, "x-7")  # type: ignore[attr-defined]
    await no_drift(platform)


@pytest.mark.chain(chain_confirmations=3)
async def test_an_outside_payment_waits_for_its_confirmations_and_one_proof_pays_one_order(
        platform: Platform) -> None:
    call = GatewayCaller("mcp", platform.gateway)
    order = await call("create_order", {**LATTE}, ALICE, "o-5")
    oid, due = order["order_id"], order["total_cents"] * WEI_PER_COFFEE // 100
    outsider = await _outsider(platform, 10)
    tx = await on_chain(platform, _pay(outsider, oid, due))
    pending = await call("pay_order", {"order_id": oid, "method": "coffee", "tx_hash": tx}, ALICE, "p-5")
    assert pending["state"] == "pending" and pending["order_state"] == "placed"
    await refused("illegal_transition", call, "pay_order", {"order_id": oid}, ALICE, "p-6")
    await refused("illegal_transition", call, "cancel_order", {"order_id": oid}, ALICE)
    assert (await call("confirm_payment", {"order_id": oid}, ALICE))["state"] == "pending"
    await mine(platform, 2)
    confirmed = await call("confirm_payment", {"order_id": oid}, ALICE)
    assert confirmed["state"] == "captured" and confirmed["order_state"] == "queued" and confirmed["reference"] == tx
    second = await call("create_order", {**LATTE}, BOB, "o-6")
    await refused("payment_rejected", call, "pay_order", {"order_id": second["order_id"], "method": "coffee",
                                                          "tx_hash": tx}, BOB, "p-7")
    await no_drift(platform)


@pytest.mark.parametrize("same_key", [True, False])
async def test_twenty_concurrent_coffee_payments_of_one_order_pay_the_escrow_once(
        platform: Platform, same_key: bool) -> None:
    call = GatewayCaller("mcp", platform.gateway)
    await coffee_for(call, platform, ALICE, 30, "r-race")
    order = await call("create_order", {**LATTE}, ALICE, "o-race")

    async def pay(n: int) -> str:
        try:
            reply = await call("pay_order", {"order_id": order["order_id"], "method": "coffee"}, ALICE,
                               "p-race" if same_key else f"p-race-{n}")
            return str(reply["payment_id"])
        except DomainError as exc:
            return exc.code

    outcomes = await asyncio.gather(*(pay(n) for n in range(20)))
    assert len({o for o in outcomes if o != "illegal_transition"}) == 1, outcomes
    due = Decimal(order["total_cents"]) / 100
    assert Decimal((await call("get_wallet", {}, ALICE))["coffee"]) == 30 - due
    logs = await on_chain(platform, lambda c: c.contract("CoffeeEscrow").events.Paid().get_logs(
        from_block=c.deployment.block))  # type: ignore[union-attr]
    assert len(logs) == 1
    await no_drift(platform)


async def test_ready_orders_release_their_coffee_to_the_merchant_who_pays_later_refunds(
        platform: Platform) -> None:
    call = GatewayCaller("mcp", platform.gateway)
    await coffee_for(call, platform, ALICE, 10, "r-3")
    order = await call("create_order", {**LATTE}, ALICE, "o-7")
    oid, total = order["order_id"], order["total_cents"]
    await call("pay_order", {"order_id": oid, "method": "coffee"}, ALICE, "p-8")
    assert (await call("release_escrows", {}, SETTLER))["released"] == []
    await call("advance_order", {"order_id": oid, "to_state": "ready"}, BARISTA)
    assert (await call("release_escrows", {}, SETTLER))["released"] == [oid]
    assert (await call("release_escrows", {}, SETTLER))["released"] == []
    assert (await on_chain(platform, lambda c: coffee.escrow_status(c, oid)))[2] == coffee.EscrowStatus.RELEASED
    await refused("forbidden", call, "release_escrows", {}, BARISTA)

    part = await call("refund_payment", {"order_id": oid, "amount_cents": 100, "reason": "cold"}, BARISTA, "f-1")
    assert part["refunded_cents"] == 100 and part["state"] == "captured"
    assert Decimal((await call("get_wallet", {}, ALICE))["coffee"]) == 10 - Decimal(total - 100) / 100
    rest = await call("refund_payment", {"order_id": oid, "reason": "still cold"}, BARISTA, "f-2")
    assert rest["state"] == "refunded" and rest["order_state"] == "refunded"
    assert Decimal((await call("get_wallet", {}, ALICE))["coffee"]) == 10
    await no_drift(platform)


async def test_coffee_moves_between_customers_once_per_request(call: Caller, platform: Platform) -> None:
    await coffee_for(call, platform, ALICE, 5, "r-4")
    sent = await call("transfer_coffee", {"to_customer_id": "bob", "amount": "1.25"}, ALICE, "t-1")
    assert Decimal(sent["coffee"]) == Decimal("3.75")
    assert await call("transfer_coffee", {"to_customer_id": "bob", "amount": "1.25"}, ALICE, "t-1") == sent
    bob = await call("get_wallet", {}, BOB)
    assert Decimal(bob["coffee"]) == Decimal("1.25") and bob["history"][0]["kind"] == "coffee_received"
    await refused("insufficient_funds", call, "transfer_coffee", {"to_customer_id": "bob", "amount": "9"}, ALICE, "t-2")
    await refused("invalid_input", call, "transfer_coffee", {"to_customer_id": "alice", "amount": "1"}, ALICE, "t-3")
    await refused("invalid_input", call, "transfer_coffee", {"to_customer_id": "bob", "amount": "0.001"}, ALICE, "t-4")
    await refused("forbidden", call, "transfer_coffee", {"to_customer_id": "bob", "amount": "1"}, BARISTA, "t-5")
    await refused("insufficient_funds", call, "redeem_points", {"points": 100}, ALICE, "r-5")
    await refused("invalid_input", call, "redeem_points", {"points": 150}, ALICE, "r-6")
    assert Decimal((await call("get_wallet", {}, ALICE))["coffee"]) == Decimal("3.75")
