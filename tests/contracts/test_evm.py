"""CoffeeToken + CoffeeEscrow on web3 8's in-process EVM (eth-tester + py-evm), from the committed artifacts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from eth_tester.exceptions import TransactionFailed
from web3 import Web3
from web3.contract import Contract
from web3.logs import DISCARD
from web3.providers.eth_tester import EthereumTesterProvider

from contracts import Artifact, load_artifact

COFFEE = 10**18


@pytest.fixture(scope="module")
def w3() -> Iterator[Web3]:
    yield Web3(EthereumTesterProvider())


def deploy(w3: Web3, artifact: Artifact, *args: Any, sender: str) -> Contract:
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    receipt = w3.eth.wait_for_transaction_receipt(factory.constructor(*args).transact({"from": sender}))
    assert receipt["status"] == 1
    return w3.eth.contract(address=receipt["contractAddress"], abi=artifact.abi)


def send(w3: Web3, fn: Any, sender: str) -> Any:
    receipt = w3.eth.wait_for_transaction_receipt(fn.transact({"from": sender}))
    assert receipt["status"] == 1
    return receipt


def revert_data(exc: TransactionFailed) -> str:
    """The raw revert data ("0x" + selector + args) of a failed eth-tester transaction.

    web3's EthereumTesterProvider re-raises eth-tester's TransactionFailed with only a text reason
    ("execution reverted: b'...'"); the original exception, chained as __context__, holds the bytes
    (sometimes wrapped in one more exception).
    """
    raw: Any = exc.__context__.args[0] if exc.__context__ is not None else exc.args[0]
    if isinstance(raw, Exception):
        raw = raw.args[0]
    assert isinstance(raw, bytes), f"no revert data in {exc!r}"
    return "0x" + raw.hex()


def reverts_with(artifact: Artifact, fn: Any, sender: str, error: str) -> None:
    """transact() estimates gas first, so a revert raises before anything is mined."""
    with pytest.raises(TransactionFailed) as exc:
        fn.transact({"from": sender})
    assert artifact.error_name(revert_data(exc.value)) == error


@pytest.fixture(scope="module")
def setup(w3: Web3) -> dict[str, Any]:
    platform, alice, bob, merchant = w3.eth.accounts[:4]
    token = deploy(w3, load_artifact("CoffeeToken"), platform, sender=platform)
    send(w3, token.functions.mint(alice, 100 * COFFEE), platform)
    send(w3, token.functions.mint(bob, 50 * COFFEE), platform)
    send(w3, token.functions.delegate(alice), alice)
    send(w3, token.functions.delegate(bob), bob)
    escrow = deploy(w3, load_artifact("CoffeeEscrow"), token.address, merchant, platform, sender=platform)
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
    reverts_with(load_artifact("CoffeeToken"), token.functions.mint(alice, 1), alice, "OwnableUnauthorizedAccount")


def test_pay_then_release_once(w3: Web3, setup: dict[str, Any]) -> None:
    token, escrow = setup["token"], setup["escrow"]
    platform, alice, merchant = setup["platform"], setup["alice"], setup["merchant"]
    escrow_abi = load_artifact("CoffeeEscrow")
    send(w3, token.functions.approve(escrow.address, 10 * COFFEE), alice)
    receipt = send(w3, escrow.functions.pay(42, 10 * COFFEE), alice)
    (paid,) = escrow.events.Paid().process_receipt(receipt, errors=DISCARD)
    assert dict(paid["args"]) == {"orderId": 42, "payer": alice, "amount": 10 * COFFEE}
    assert token.functions.balanceOf(escrow.address).call() == 10 * COFFEE
    assert escrow.functions.payment(42).call() == [alice, 10 * COFFEE, 1]

    send(w3, token.functions.approve(escrow.address, 10 * COFFEE), alice)
    reverts_with(escrow_abi, escrow.functions.pay(42, 10 * COFFEE), alice, "AlreadyPaid")
    reverts_with(escrow_abi, escrow.functions.release(42), alice, "OwnableUnauthorizedAccount")

    receipt = send(w3, escrow.functions.release(42), platform)
    (released,) = escrow.events.Released().process_receipt(receipt, errors=DISCARD)
    assert released["args"]["amount"] == 10 * COFFEE
    assert token.functions.balanceOf(merchant).call() == 10 * COFFEE
    assert token.functions.balanceOf(escrow.address).call() == 0
    reverts_with(escrow_abi, escrow.functions.release(42), platform, "AlreadySettled")
    reverts_with(escrow_abi, escrow.functions.refund(42), platform, "AlreadySettled")
    send(w3, token.functions.approve(escrow.address, 0), alice)


def test_refund_returns_to_payer(w3: Web3, setup: dict[str, Any]) -> None:
    token, escrow, platform, bob = setup["token"], setup["escrow"], setup["platform"], setup["bob"]
    escrow_abi = load_artifact("CoffeeEscrow")
    reverts_with(escrow_abi, escrow.functions.refund(7), platform, "NotPaid")
    before = token.functions.balanceOf(bob).call()
    send(w3, token.functions.approve(escrow.address, 5 * COFFEE), bob)
    send(w3, escrow.functions.pay(7, 5 * COFFEE), bob)
    assert token.functions.balanceOf(bob).call() == before - 5 * COFFEE
    receipt = send(w3, escrow.functions.refund(7), platform)
    (refunded,) = escrow.events.Refunded().process_receipt(receipt, errors=DISCARD)
    assert dict(refunded["args"]) == {"orderId": 7, "payer": bob, "amount": 5 * COFFEE}
    assert token.functions.balanceOf(bob).call() == before
    assert escrow.functions.payment(7).call()[2] == 3
    reverts_with(escrow_abi, escrow.functions.release(7), platform, "AlreadySettled")


def test_pay_beyond_allowance_reverts(w3: Web3, setup: dict[str, Any]) -> None:
    token, escrow, bob = setup["token"], setup["escrow"], setup["bob"]
    send(w3, token.functions.approve(escrow.address, 1 * COFFEE), bob)
    reverts_with(load_artifact("CoffeeToken"), escrow.functions.pay(8, 2 * COFFEE), bob, "ERC20InsufficientAllowance")
    reverts_with(load_artifact("CoffeeEscrow"), escrow.functions.pay(8, 0), bob, "ZeroAmount")
    assert escrow.functions.payment(8).call()[2] == 0
