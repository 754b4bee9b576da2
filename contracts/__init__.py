"""Solidity contracts (contracts/src), their committed solc-js artifacts and the Python loaders."""

from contracts.artifacts import ARTIFACTS_DIR, Artifact, load_artifact

__all__ = ["ARTIFACTS_DIR", "Artifact", "load_artifact"]
