"""Chains for tests: the npm tools in contracts/node_modules (solc-js, anvil) and one anvil per session."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from contracts.node import NODE_MODULES, AnvilNotInstalledError, AnvilProcess, anvil_binary, start_anvil

CONTRACTS = NODE_MODULES.parent
NPM_TIMEOUT = 300  # npm ci downloads solc-js, OpenZeppelin and anvil (≈45 MB) on a fresh clone


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
    """A fresh clone has no contracts/node_modules: install the pinned solc, OpenZeppelin and anvil from the lock
    (once: test workers in parallel take turns)."""
    with (Path(tempfile.gettempdir()) / "gocoffee-npm-ci.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _installed():
            run([tool("npm"), "ci", "--prefix", str(CONTRACTS), "--no-audit", "--no-fund"], NPM_TIMEOUT)
            anvil_binary()


@pytest.fixture(scope="session")
def anvil(node_modules: None) -> Iterator[AnvilProcess]:
    with start_anvil() as node:
        yield node
