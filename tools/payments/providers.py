"""The provider port: what differs between stored value, card and COFFEE is only how money moves outside.

The flow around it (amount from the order, states, ledger, loyalty, the order's state) is the same for all.
`charge` sets the payment's state (`captured`, `authorized` or `pending`) and reference, or raises a domain
error (then nothing is written). `refund` returns `amount` outside the platform, or raises.
"""

from __future__ import annotations

from typing import Protocol

from store.payments import Payment
from tools.context import ToolContext
from tools.errors import InvalidInput
from tools.payments.models import PayOrder


class Provider(Protocol):
    def source(self, payment: Payment) -> str:
        """The ledger account the money comes from at capture (a customer wallet, or a house clearing account)."""
        ...

    async def charge(self, ctx: ToolContext, payment: Payment, cmd: PayOrder) -> None: ...

    async def refund(self, ctx: ToolContext, payment: Payment, amount: int, reason: str) -> None: ...

    async def recheck(self, ctx: ToolContext, payment: Payment) -> bool:
        """Ask again about a pending payment; True once the provider has captured it (raise if it failed)."""
        ...


class StoredValue:
    """The customer's wallet: the ledger posting at capture is the charge itself (it refuses a short balance)."""

    def source(self, payment: Payment) -> str:
        return f"wallet:{payment.customer_id}"

    async def charge(self, ctx: ToolContext, payment: Payment, cmd: PayOrder) -> None:
        if cmd.payment_method or cmd.tx_hash:
            raise InvalidInput("stored_value takes no payment_method or tx_hash")
        payment.state = "captured"

    async def refund(self, ctx: ToolContext, payment: Payment, amount: int, reason: str) -> None:
        return None  # the ledger posting returns it to the wallet

    async def recheck(self, ctx: ToolContext, payment: Payment) -> bool:
        return True  # stored value is captured at once; nothing is ever pending


STORED_VALUE = StoredValue()
