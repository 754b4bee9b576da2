"""Deploy, transact and decode reverts the same way on the in-process EVM and on anvil."""

from __future__ import annotations

import ast
from typing import Any

import pytest
from eth_tester.exceptions import TransactionFailed
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import ContractLogicError

from contracts import Artifact, load_artifact

COFFEE = 10**18
REVERTS = (TransactionFailed, ContractLogicError)
"""What web3 raises for a reverted call or gas estimate: eth-tester's own error, or (over JSON-RPC) web3's."""


def deploy(w3: Web3, name: str, *args: Any, sender: str) -> Contract:
    artifact = load_artifact(name)
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    receipt = w3.eth.wait_for_transaction_receipt(factory.constructor(*args).transact({"from": sender}), timeout=10)
    assert receipt["status"] == 1
    return w3.eth.contract(address=receipt["contractAddress"], abi=artifact.abi)


def send(w3: Web3, fn: Any, sender: str) -> Any:
    receipt = w3.eth.wait_for_transaction_receipt(fn.transact({"from": sender}), timeout=10)
    assert receipt["status"] == 1
    return receipt


def revert_data(exc: BaseException) -> str:
    """The raw revert data ("0x" + selector + args) carried by a reverted call on either chain.

    Over JSON-RPC web3 puts it in `ContractLogicError.data`. The eth-tester provider re-raises
    TransactionFailed with only a text reason; an exception chained as __context__ holds the bytes,
    as bytes, as a nested exception, or (for eth_call) as their repr.
    """
    if isinstance(exc, ContractLogicError) and isinstance(exc.data, str) and exc.data.startswith("0x"):
        return exc.data
    seen: BaseException | None = exc.__context__ or exc
    while seen is not None:
        raw = _bytes_in(seen)
        if raw is not None:
            return "0x" + raw.hex()
        seen = seen.__context__
    raise AssertionError(f"no revert data in {exc!r}")


def _bytes_in(exc: BaseException) -> bytes | None:
    for arg in exc.args:
        if isinstance(arg, bytes):
            return arg
        if isinstance(arg, BaseException):
            return _bytes_in(arg)
        if isinstance(arg, str) and arg.startswith(("b'", 'b"')):
            value = ast.literal_eval(arg)
            return value if isinstance(value, bytes) else None
    return None


def revert_name(artifact: Artifact, exc: BaseException) -> str | None:
    """The custom error (from `artifact`'s ABI) that `exc` reverted with, or None if it is not one of them."""
    return artifact.error_name(revert_data(exc))


def reverts_with(artifact: Artifact | str, fn: Any, sender: str, error: str) -> None:
    """transact() estimates gas first, so a revert raises before anything is mined."""
    abi = load_artifact(artifact) if isinstance(artifact, str) else artifact
    with pytest.raises(REVERTS) as exc:
        fn.transact({"from": sender})
    assert revert_name(abi, exc.value) == error, f"expected {error}, got revert data {revert_data(exc.value)}"
