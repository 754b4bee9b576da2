"""Solidity contracts (contracts/src), their committed solc-js artifacts and the Python loaders."""

from contracts.artifacts import ARTIFACTS_DIR, Artifact, load_artifact
from contracts.node import AnvilNotInstalledError, AnvilProcess, advance, start_anvil

__all__ = [
    "ARTIFACTS_DIR",
    "AnvilNotInstalledError",
    "AnvilProcess",
    "Artifact",
    "advance",
    "load_artifact",
    "start_anvil",
]
