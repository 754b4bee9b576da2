"""CoffeeToken + CoffeeEscrow from the committed artifacts, on the in-process EVM and on anvil."""

from __future__ import annotations

from typing import Any

import pytest
from eth_utils import keccak
from web3 import Web3
from web3.logs import DISCARD

from tests.contracts.helpers import COFFEE, deploy, reverts_with, send


@pytest.fixture(scope="module")
def setup(w3: Web3) -> dict[str, Any]:
    platform, alice, bob, merchant = w3.eth.accounts[:4]
    token = deploy(w3, "CoffeeToken", platform, sender=platform)
    send(w3, token.functions.mint(alice, 100 * COFFEE), platform)
    send(w3, token.functions.mint(bob, 50 * COFFEE), platform)
    send(w3, token.functions.delegate(alice), alice)
    send(w3, token.functions.delegate(bob), bob)
    escrow = deploy(w3, "CoffeeEscrow", token.address, merchant, platform, sender=platform)
    return {"token": token, "escrow": escrow, "platform": platform, "alice": alice, "bob": bob, "merchant": merchant}


def test_token_metadata_and_votes(setup: dict[str, Any]) -> None:
    token, alice, bob = setup["token"], setup["alice"], setup["bob"]
    assert token.functions.name().call() == "Go Coffee"
    assert token.functions.symbol().call() == "COFFEE"
    assert token.functions.decimals().call() == 18
    assert token.functions.totalSupply().call() == 150 * COFFEE
    assert token.functions.getVotes(alice).call() == 100 * COFFEE
    assert token.functions.getVotes(bob).call() == 50 * COFFEE
    assert token.functions.CLOCK_MODE().call() == "mode=blocknumber&from=default"


def test_only_owner_mints(setup: dict[str, Any]) -> None:
    token, alice = setup["token"], setup["alice"]
    reverts_with("CoffeeToken", token.functions.mint(alice, 1), alice, "OwnableUnauthorizedAccount")


def test_transfer_with_a_ref_applies_once_per_sender(w3: Web3, setup: dict[str, Any]) -> None:
    token, alice, bob, merchant = setup["token"], setup["alice"], setup["bob"], setup["merchant"]
    ref = keccak(text="idempotency-key-1")
    alice_before, merchant_before = token.functions.balanceOf(alice).call(), token.functions.balanceOf(merchant).call()
    assert token.functions.refUsed(alice, ref).call() is False

    receipt = send(w3, token.functions.transferRef(merchant, 3 * COFFEE, ref), alice)
    (event,) = token.events.TransferRef().process_receipt(receipt, errors=DISCARD)
    assert dict(event["args"]) == {"from": alice, "to": merchant, "amount": 3 * COFFEE, "ref": ref}
    assert token.functions.refUsed(alice, ref).call() is True
    assert token.functions.refUsed(bob, ref).call() is False

    reverts_with("CoffeeToken", token.functions.transferRef(merchant, 3 * COFFEE, ref), alice, "RefUsed")
    assert token.functions.balanceOf(alice).call() == alice_before - 3 * COFFEE
    assert token.functions.balanceOf(merchant).call() == merchant_before + 3 * COFFEE

    send(w3, token.functions.transferRef(merchant, 1 * COFFEE, ref), bob)  # refs are per sender
    assert token.functions.balanceOf(merchant).call() == merchant_before + 4 * COFFEE


def test_a_failed_transfer_with_a_ref_leaves_the_ref_free(w3: Web3, setup: dict[str, Any]) -> None:
    token, bob, merchant = setup["token"], setup["bob"], setup["merchant"]
    ref = keccak(text="idempotency-key-2")
    too_much = token.functions.balanceOf(bob).call() + 1
    reverts_with("CoffeeToken", token.functions.transferRef(merchant, too_much, ref), bob, "ERC20InsufficientBalance")
    assert token.functions.refUsed(bob, ref).call() is False
    send(w3, token.functions.transferRef(merchant, 1, ref), bob)
    assert token.functions.refUsed(bob, ref).call() is True


def test_pay_then_release_once(w3: Web3, setup: dict[str, Any]) -> None:
    token, escrow = setup["token"], setup["escrow"]
    platform, alice, merchant = setup["platform"], setup["alice"], setup["merchant"]
    send(w3, token.functions.approve(escrow.address, 10 * COFFEE), alice)
    receipt = send(w3, escrow.functions.pay(42, 10 * COFFEE), alice)
    (paid,) = escrow.events.Paid().process_receipt(receipt, errors=DISCARD)
    assert dict(paid["args"]) == {"orderId": 42, "payer": alice, "amount": 10 * COFFEE}
    assert token.functions.balanceOf(escrow.address).call() == 10 * COFFEE
    assert escrow.functions.payment(42).call() == [alice, 10 * COFFEE, 1]

    send(w3, token.functions.approve(escrow.address, 10 * COFFEE), alice)
    reverts_with("CoffeeEscrow", escrow.functions.pay(42, 10 * COFFEE), alice, "AlreadyPaid")
    reverts_with("CoffeeEscrow", escrow.functions.release(42), alice, "OwnableUnauthorizedAccount")

    merchant_before = token.functions.balanceOf(merchant).call()
    receipt = send(w3, escrow.functions.release(42), platform)
    (released,) = escrow.events.Released().process_receipt(receipt, errors=DISCARD)
    assert released["args"]["amount"] == 10 * COFFEE
    assert token.functions.balanceOf(merchant).call() == merchant_before + 10 * COFFEE
    assert token.functions.balanceOf(escrow.address).call() == 0
    reverts_with("CoffeeEscrow", escrow.functions.release(42), platform, "AlreadySettled")
    reverts_with("CoffeeEscrow", escrow.functions.refund(42), platform, "AlreadySettled")
    send(w3, token.functions.approve(escrow.address, 0), alice)


def test_refund_returns_to_payer(w3: Web3, setup: dict[str, Any]) -> None:
    token, escrow, platform, bob = setup["token"], setup["escrow"], setup["platform"], setup["bob"]
    reverts_with("CoffeeEscrow", escrow.functions.refund(7), platform, "NotPaid")
    before = token.functions.balanceOf(bob).call()
    send(w3, token.functions.approve(escrow.address, 5 * COFFEE), bob)
    send(w3, escrow.functions.pay(7, 5 * COFFEE), bob)
    assert token.functions.balanceOf(bob).call() == before - 5 * COFFEE
    receipt = send(w3, escrow.functions.refund(7), platform)
    (refunded,) = escrow.events.Refunded().process_receipt(receipt, errors=DISCARD)
    assert dict(refunded["args"]) == {"orderId": 7, "payer": bob, "amount": 5 * COFFEE}
    assert token.functions.balanceOf(bob).call() == before
    assert escrow.functions.payment(7).call()[2] == 3
    reverts_with("CoffeeEscrow", escrow.functions.release(7), platform, "AlreadySettled")


def test_a_refunded_order_can_be_paid_again_but_a_paid_one_cannot(w3: Web3, setup: dict[str, Any]) -> None:
    token, escrow, platform, bob = setup["token"], setup["escrow"], setup["platform"], setup["bob"]
    send(w3, token.functions.approve(escrow.address, 3 * COFFEE), bob)
    send(w3, escrow.functions.pay(9, 1 * COFFEE), bob)
    send(w3, escrow.functions.refund(9), platform)
    send(w3, escrow.functions.pay(9, 2 * COFFEE), bob)
    assert escrow.functions.payment(9).call() == [bob, 2 * COFFEE, 1]
    reverts_with("CoffeeEscrow", escrow.functions.pay(9, 1), bob, "AlreadyPaid")
    send(w3, escrow.functions.release(9), platform)
    reverts_with("CoffeeEscrow", escrow.functions.pay(9, 1), bob, "AlreadyPaid")
    send(w3, token.functions.approve(escrow.address, 0), bob)


def test_pay_beyond_allowance_reverts(w3: Web3, setup: dict[str, Any]) -> None:
    token, escrow, bob = setup["token"], setup["escrow"], setup["bob"]
    send(w3, token.functions.approve(escrow.address, 1 * COFFEE), bob)
    reverts_with("CoffeeToken", escrow.functions.pay(8, 2 * COFFEE), bob, "ERC20InsufficientAllowance")
    reverts_with("CoffeeEscrow", escrow.functions.pay(8, 0), bob, "ZeroAmount")
    assert escrow.functions.payment(8).call()[2] == 0
