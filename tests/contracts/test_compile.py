"""The committed artifacts in contracts/artifacts are exactly what contracts/compile.mjs builds from contracts/src."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
COMMITTED = CONTRACTS / "artifacts"
NPM_TIMEOUT = 300  # npm ci downloads solc-js and OpenZeppelin on a fresh clone
COMPILE_TIMEOUT = 120  # ≈5 s normally


def _run(cmd: list[str], timeout: int) -> subprocess.CompletedProcess[str]:
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


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found on PATH: compiling the contracts needs Node 20+ with npm")
    return path


@pytest.fixture(scope="module")
def node_modules() -> None:
    """A fresh clone has no contracts/node_modules: install the pinned solc + OpenZeppelin from the lock file."""
    if not (CONTRACTS / "node_modules" / "solc" / "package.json").is_file():
        _run([_tool("npm"), "ci", "--prefix", str(CONTRACTS), "--no-audit", "--no-fund"], NPM_TIMEOUT)


def test_committed_artifacts_match_sources(node_modules: None, tmp_path: Path) -> None:
    _run([_tool("node"), str(CONTRACTS / "compile.mjs"), "--out", str(tmp_path)], COMPILE_TIMEOUT)
    fresh = sorted(p.name for p in tmp_path.glob("*.json"))
    committed = sorted(p.name for p in COMMITTED.glob("*.json"))
    assert fresh == committed, "artifact set differs: run `node contracts/compile.mjs` and commit contracts/artifacts"
    assert {"CoffeeToken.json", "CoffeeGovernor.json", "CoffeeEscrow.json"} <= set(fresh)
    stale = [name for name in fresh if (tmp_path / name).read_bytes() != (COMMITTED / name).read_bytes()]
    assert not stale, f"stale artifacts {stale}: run `node contracts/compile.mjs` and commit contracts/artifacts"
