"""Domain capabilities: the single source of truth every surface is derived from."""

from tools.registry import Capability, Registry, registry


def load_registry() -> Registry:
    """Import every domain module so its capabilities are registered, then return the registry."""
    from tools import approvals, dao, inventory, menu  # noqa: F401
    from tools.kitchen import machines, queue  # noqa: F401
    from tools.orders import cart, lifecycle  # noqa: F401
    from tools.payments import capabilities, escrow, webhooks  # noqa: F401
    from tools.wallet import accounts, coffee  # noqa: F401

    return registry


__all__ = ["Capability", "Registry", "load_registry", "registry"]
