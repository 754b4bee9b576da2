"""Fixtures: the npm tools in contracts/node_modules, one anvil per session, and a Web3 on each chain."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest
from web3 import Web3
from web3.providers.eth_tester import EthereumTesterProvider

from contracts.node import NODE_MODULES, AnvilNotInstalledError, AnvilProcess, anvil_binary, start_anvil

CONTRACTS = NODE_MODULES.parent
NPM_TIMEOUT = 300  # npm ci downloads solc-js, OpenZeppelin and anvil (≈45 MB) on a fresh clone
CHAINS = ["eth_tester", pytest.param("anvil", marks=pytest.mark.slow)]


def run(cmd: list[str], timeout: int) -> subprocess.CompletedProcess[str]:
    try:
        proc = subprocess.run(
            cmd, check=False, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"timed out after {timeout}s: {cmd}\nstderr:\n{exc.stderr}")
    assert proc.returncode == 0, (
        f"failed (exit {proc.returncode}): {cmd}\nstderr:\n{proc.stderr}\nstdout:\n{proc.stdout}"
    )
    return proc


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found on PATH: the contract tools need Node 20+ with npm")
    return path


def _installed() -> bool:
    try:
        anvil_binary()
    except AnvilNotInstalledError:
        return False
    return (NODE_MODULES / "solc" / "package.json").is_file()


@pytest.fixture(scope="session")
def node_modules() -> None:
    """A fresh clone has no contracts/node_modules: install the pinned solc, OpenZeppelin and anvil from the lock."""
    if not _installed():
        run([tool("npm"), "ci", "--prefix", str(CONTRACTS), "--no-audit", "--no-fund"], NPM_TIMEOUT)
        anvil_binary()


@pytest.fixture(scope="session")
def anvil(node_modules: None) -> Iterator[AnvilProcess]:
    with start_anvil() as node:
        yield node


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
