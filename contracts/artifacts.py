"""Load the compiled contract artifacts written by contracts/compile.mjs (committed, so no Node at runtime)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from eth_utils import keccak
from pydantic import BaseModel, ConfigDict, Field

ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"


class Artifact(BaseModel):
    """One compiled contract: ABI plus creation and runtime bytecode (hex, no 0x prefix)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    contract_name: str = Field(alias="contractName")
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: str = Field(alias="deployedBytecode")
    compiler: str
    evm_version: str = Field(alias="evmVersion")

    def error_selectors(self) -> dict[str, str]:
        """Custom errors in the ABI as {"0x<4-byte selector>": "Name(type,...)"} (decodes revert data)."""
        out: dict[str, str] = {}
        for item in self.abi:
            if item.get("type") == "error":
                sig = f"{item['name']}({','.join(_canonical_type(i) for i in item.get('inputs', []))})"
                out["0x" + keccak(text=sig)[:4].hex()] = sig
        return out

    def error_name(self, revert_data: str) -> str | None:
        """The custom error name for revert data ("0x" + selector + args), or None if not in this ABI."""
        sig = self.error_selectors().get(revert_data[:10].lower())
        return sig.split("(", 1)[0] if sig else None


def _canonical_type(param: dict[str, Any]) -> str:
    kind: str = param["type"]
    if kind.startswith("tuple"):
        return f"({','.join(_canonical_type(c) for c in param['components'])}){kind[len('tuple') :]}"
    return kind


@cache
def load_artifact(name: str, directory: Path = ARTIFACTS_DIR) -> Artifact:
    """Load `<directory>/<name>.json`, e.g. load_artifact("CoffeeToken")."""
    path = directory / f"{name}.json"
    if not path.is_file():
        raise FileNotFoundError(f"no artifact {name!r} in {directory} (run: node contracts/compile.mjs)")
    return Artifact.model_validate_json(path.read_text(encoding="utf-8"))
