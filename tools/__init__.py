"""Domain capabilities: the single source of truth every surface is derived from."""

import importlib
import pkgutil

from tools.registry import Capability, Registry, registry


def load_registry() -> Registry:
    """Import every module under `tools` (a new domain module needs no listing anywhere), so each registers its
    capabilities, then return the registry."""
    for module in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
        importlib.import_module(module.name)
    return registry


__all__ = ["Capability", "Registry", "load_registry", "registry"]
