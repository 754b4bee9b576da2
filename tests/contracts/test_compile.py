"""The committed artifacts in contracts/artifacts are exactly what contracts/compile.mjs builds from contracts/src."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.chains import CONTRACTS, run, tool

COMMITTED = CONTRACTS / "artifacts"
COMPILE_TIMEOUT = 120  # ≈5 s normally
EXPECTED = {"CoffeeToken.json", "CoffeeTimelock.json", "CoffeeGovernor.json", "CoffeeEscrow.json"}
MAX_CODE_SIZE = 24576  # EIP-170: a node refuses to deploy runtime code larger than this (bytes)


@pytest.mark.slow
def test_committed_artifacts_match_sources(node_modules: None, tmp_path: Path) -> None:
    run([tool("node"), str(CONTRACTS / "compile.mjs"), "--out", str(tmp_path)], COMPILE_TIMEOUT)
    fresh = sorted(p.name for p in tmp_path.glob("*.json"))
    committed = sorted(p.name for p in COMMITTED.glob("*.json"))
    assert fresh == committed, "artifact set differs: run `node contracts/compile.mjs` and commit contracts/artifacts"
    assert set(fresh) == EXPECTED
    stale = [name for name in fresh if (tmp_path / name).read_bytes() != (COMMITTED / name).read_bytes()]
    assert not stale, f"stale artifacts {stale}: run `node contracts/compile.mjs` and commit contracts/artifacts"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_runtime_code_fits_the_contract_size_limit(name: str) -> None:
    deployed = json.loads((COMMITTED / name).read_text(encoding="utf-8"))["deployedBytecode"]
    assert 0 < len(deployed) // 2 <= MAX_CODE_SIZE
