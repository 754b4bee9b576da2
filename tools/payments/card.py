"""Card payments through Stripe (placeholder until the Stripe provider lands: refuses as not configured)."""

from __future__ import annotations

from typing import Protocol

from store.money import Payment
from tools.context import ToolContext
from tools.payments.models import PayOrder

CARD_CLEARING = "house:card"


class CardProcessor(Protocol):
    """Stripe, behind the port the card provider uses."""


class Card:
    def source(self, payment: Payment) -> str:
        return CARD_CLEARING

    async def charge(self, ctx: ToolContext, payment: Payment, cmd: PayOrder) -> None:
        ctx.services.need_cards()

    async def refund(self, ctx: ToolContext, payment: Payment, amount: int, reason: str) -> None:
        ctx.services.need_cards()

    async def recheck(self, ctx: ToolContext, payment: Payment) -> bool:
        ctx.services.need_cards()
        return False


CARD = Card()
