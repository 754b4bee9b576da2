"""Fixtures: a Web3 on each chain (the npm tools and the session's anvil come from tests/chains.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from web3 import Web3
from web3.providers.eth_tester import EthereumTesterProvider

from contracts.node import AnvilProcess

CHAINS = ["eth_tester", pytest.param("anvil", marks=pytest.mark.slow)]


@pytest.fixture(scope="module", params=CHAINS)
def w3(request: pytest.FixtureRequest) -> Iterator[Web3]:
    """A chain with ten funded, unlocked accounts: a fresh in-process EVM, or the session's anvil.

    On anvil each module's changes are rolled back afterwards (evm_snapshot / evm_revert).
    """
    if request.param == "eth_tester":
        yield Web3(EthereumTesterProvider())
        return
    node: AnvilProcess = request.getfixturevalue("anvil")
    chain = node.web3()
    snapshot = chain.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    yield chain
    assert chain.provider.make_request("evm_revert", [snapshot])["result"] is True  # type: ignore[arg-type]
