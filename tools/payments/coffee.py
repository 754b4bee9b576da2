"""COFFEE payments into the escrow contract (placeholder until the chain provider lands)."""

from __future__ import annotations

from store.money import Payment
from tools.context import ToolContext
from tools.payments.models import PayOrder

COFFEE_CLEARING = "house:coffee"


class Coffee:
    def source(self, payment: Payment) -> str:
        return COFFEE_CLEARING

    async def charge(self, ctx: ToolContext, payment: Payment, cmd: PayOrder) -> None:
        ctx.services.need_chain()

    async def refund(self, ctx: ToolContext, payment: Payment, amount: int, reason: str) -> None:
        ctx.services.need_chain()

    async def recheck(self, ctx: ToolContext, payment: Payment) -> bool:
        ctx.services.need_chain()
        return False


COFFEE = Coffee()
