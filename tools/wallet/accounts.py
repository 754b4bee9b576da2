"""Wallet capabilities: see balances and history; staff record top-ups (cash or gift card at the till)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select

from contracts import coffee
from store.wallet import CoffeeMove, LedgerEntry, LedgerTxn
from tools.context import ToolContext
from tools.errors import Forbidden
from tools.fields import Whole
from tools.onchain import coffee_of, hundredths_of_wei, on_chain
from tools.principal import CUSTOMERS_AND_STAFF, STAFF_ONLY, Role
from tools.registry import Rest, capability
from tools.wallet.custody import address_of
from tools.wallet.ledger import TOPUPS, Move, balance, points, post, wallet

HISTORY = 20

CustomerId = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")


class WalletRef(BaseModel):
    customer_id: str | None = Field(default=None, max_length=64, description="Staff: whose wallet; customers: "
                                    "their own (leave empty).")


class TopUp(BaseModel):
    customer_id: str = CustomerId
    amount_cents: Whole = Field(ge=100, le=50_000, description="$1 to $500, in cents.")
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
    coffee: Decimal | None = Field(description="COFFEE tokens held, read from the chain (null: no chain here).")
    coffee_address: str | None = Field(description="The customer's COFFEE account address, once opened.")
    history: list[WalletLine] = Field(description="The latest movements, newest first; amounts in the unit's "
                                      "smallest step (cents, points, hundredths of a COFFEE).")


def _whose(ctx: ToolContext, asked: str | None) -> str:
    p = ctx.principal
    if p.role in (Role.CUSTOMER, Role.GUEST):
        if asked not in (None, p.id):
            raise Forbidden("customers see only their own wallet")
        return p.id
    if asked is None:
        raise Forbidden("staff must name the customer")
    return asked


async def _history(ctx: ToolContext, customer_id: str) -> list[WalletLine]:
    rows = await ctx.session.execute(
        select(LedgerTxn.at, LedgerTxn.kind, LedgerEntry.unit, LedgerEntry.amount, LedgerTxn.memo)
        .join(LedgerTxn, LedgerTxn.id == LedgerEntry.txn_id)
        .where(LedgerEntry.account.in_([wallet(customer_id), points(customer_id)]))
        .order_by(LedgerEntry.id.desc()).limit(HISTORY))
    moves = await ctx.session.scalars(select(CoffeeMove).where(CoffeeMove.customer_id == customer_id)
                                      .order_by(CoffeeMove.id.desc()).limit(HISTORY))
    lines = [WalletLine(at=r[0], kind=r[1], unit=r[2], amount=r[3], memo=r[4]) for r in rows]
    lines += [WalletLine(at=m.at, kind=f"coffee_{m.kind}", unit="coffee", amount=m.hundredths,
                         memo=m.counterparty) for m in moves]
    return sorted(lines, key=lambda line: line.at, reverse=True)[:HISTORY]


async def _coffee(ctx: ToolContext, address: str | None) -> Decimal | None:
    if ctx.services.chain is None:
        return None
    if address is None:
        return Decimal("0.00")
    wei = await on_chain(ctx, lambda chain: coffee.balance_of(chain, address))
    return coffee_of(hundredths_of_wei(wei))


async def wallet_view(ctx: ToolContext, customer_id: str) -> WalletView:
    address = await address_of(ctx, customer_id)
    return WalletView(customer_id=customer_id, balance_cents=await balance(ctx.session, wallet(customer_id), "cents"),
                      points=await balance(ctx.session, points(customer_id), "points"),
                      coffee=await _coffee(ctx, address), coffee_address=address,
                      history=await _history(ctx, customer_id))


@capability(domain="wallet", roles=CUSTOMERS_AND_STAFF, rest=Rest("GET", "/wallet"))
async def get_wallet(ctx: ToolContext, cmd: WalletRef) -> WalletView:
    """A customer's stored-value balance (cents), loyalty points, COFFEE tokens and latest movements."""
    return await wallet_view(ctx, _whose(ctx, cmd.customer_id))


@capability(domain="wallet", roles=STAFF_ONLY, mutating=True, idempotent=True, repeatable=True,
            rest=Rest("POST", "/wallet/top-ups", 201))
async def top_up_wallet(ctx: ToolContext, cmd: TopUp) -> WalletView:
    """Add stored value to a customer's wallet, paid at the till in cash or with a gift card (staff).

    Needs an idempotency key: a retried call with the same key tops up once.
    """
    memo = f"{cmd.method}" + (f" {cmd.reference}" if cmd.reference else "")
    await post(ctx.session, "topup", ctx.now(), [Move(wallet(cmd.customer_id), "cents", cmd.amount_cents),
                                                 Move(TOPUPS, "cents", -cmd.amount_cents)], memo=memo)
    return await wallet_view(ctx, cmd.customer_id)
