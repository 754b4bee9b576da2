"""Wallet capabilities: see balances and history; staff record top-ups (cash or gift card at the till)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select

from store.money import LedgerEntry, LedgerTxn
from tools.context import ToolContext
from tools.errors import Forbidden
from tools.principal import CUSTOMERS_AND_STAFF, STAFF_ONLY, Role
from tools.registry import capability
from tools.wallet.ledger import TOPUPS, Move, balance, points, post, wallet

CustomerId = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")


class WalletRef(BaseModel):
    customer_id: str | None = Field(default=None, max_length=64, description="Staff: whose wallet; customers: "
                                    "their own (leave empty).")


class TopUp(BaseModel):
    customer_id: str = CustomerId
    amount_cents: int = Field(ge=100, le=50_000, description="$1 to $500, in cents.")
    method: Literal["cash", "gift_card"] = "cash"
    reference: str | None = Field(default=None, max_length=80, description="Gift card number or till receipt.")


class WalletLine(BaseModel):
    at: datetime
    kind: str
    unit: str
    amount: int
    memo: str | None


class WalletView(BaseModel):
    customer_id: str
    balance_cents: int
    points: int
    history: list[WalletLine] = Field(description="The latest movements, newest first.")


def _whose(ctx: ToolContext, asked: str | None) -> str:
    p = ctx.principal
    if p.role in (Role.CUSTOMER, Role.GUEST):
        if asked not in (None, p.id):
            raise Forbidden("customers see only their own wallet")
        return p.id
    if asked is None:
        raise Forbidden("staff must name the customer")
    return asked


async def wallet_view(ctx: ToolContext, customer_id: str) -> WalletView:
    rows = await ctx.session.execute(
        select(LedgerTxn.at, LedgerTxn.kind, LedgerEntry.unit, LedgerEntry.amount, LedgerTxn.memo)
        .join(LedgerTxn, LedgerTxn.id == LedgerEntry.txn_id)
        .where(LedgerEntry.account.in_([wallet(customer_id), points(customer_id)]))
        .order_by(LedgerEntry.id.desc()).limit(20))
    return WalletView(customer_id=customer_id, balance_cents=await balance(ctx.session, wallet(customer_id), "cents"),
                      points=await balance(ctx.session, points(customer_id), "points"),
                      history=[WalletLine(at=r[0], kind=r[1], unit=r[2], amount=r[3], memo=r[4]) for r in rows])


@capability(domain="wallet", roles=CUSTOMERS_AND_STAFF)
async def get_wallet(ctx: ToolContext, cmd: WalletRef) -> WalletView:
    """A customer's stored-value balance (cents), loyalty points and latest movements."""
    return await wallet_view(ctx, _whose(ctx, cmd.customer_id))


@capability(domain="wallet", roles=STAFF_ONLY, mutating=True, idempotent=True)
async def top_up_wallet(ctx: ToolContext, cmd: TopUp) -> WalletView:
    """Add stored value to a customer's wallet, paid at the till in cash or with a gift card (staff).

    Needs an idempotency key: a retried call with the same key tops up once.
    """
    memo = f"{cmd.method}" + (f" {cmd.reference}" if cmd.reference else "")
    await post(ctx.session, "topup", ctx.now(), [Move(wallet(cmd.customer_id), "cents", cmd.amount_cents),
                                                 Move(TOPUPS, "cents", -cmd.amount_cents)], memo=memo)
    return await wallet_view(ctx, cmd.customer_id)
