"""Outside systems a capability may need besides the store: the card processor, the chain, the key vault.

Each is a port (a Protocol here); the composition root plugs in the real adapter (Stripe's SDK, web3) or
leaves it out, and a capability that needs a missing one refuses with `not_configured`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tools.errors import NotConfigured

if TYPE_CHECKING:
    from contracts.chain import ChainService
    from tools.payments.card import CardProcessor
    from tools.wallet.vault import Vault


@dataclass(frozen=True)
class MoneyRules:
    """House rules for money, from settings."""

    refund_approval_cents: int = 2_000
    """A refund above this needs a manager (an agent's refund always waits for a human)."""
    confirmations: int = 1
    """Blocks a COFFEE payment needs (its own included) before it counts."""
    purchase_order_approval_cents: int = 150_000
    """Submitting a purchase order worth more than this needs another manager's approval."""


@dataclass(frozen=True)
class Services:
    rules: MoneyRules = field(default_factory=MoneyRules)
    cards: CardProcessor | None = None
    chain: ChainService | None = None
    vault: Vault | None = None

    def need_cards(self) -> CardProcessor:
        if self.cards is None:
            raise NotConfigured("card payments are not set up here (GOCOFFEE_STRIPE_API_KEY)", service="stripe")
        return self.cards

    def need_chain(self) -> ChainService:
        if self.chain is None or not self.chain.ready or self.vault is None:
            raise NotConfigured("COFFEE and the DAO are not running here (GOCOFFEE_CHAIN)", service="chain")
        return self.chain

    def need_vault(self) -> Vault:
        if self.vault is None:
            raise NotConfigured("custodial wallets are not set up here", service="vault")
        return self.vault
