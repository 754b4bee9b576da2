"""Customers' custodial COFFEE accounts: created on first need, keys sealed in the store, signing on the chain.

A key is opened only to sign a chain operation; it is never returned, logged or stored in clear.
"""

from __future__ import annotations

from eth_account import Account
from eth_account.signers.local import LocalAccount
from sqlalchemy import select

from contracts import coffee
from store.wallet import CoffeeMove, CustodialAccount
from tools.context import ToolContext
from tools.onchain import on_chain


async def account_of(ctx: ToolContext, customer_id: str) -> CustodialAccount | None:
    return await ctx.session.get(CustodialAccount, customer_id)


async def ensure_account(ctx: ToolContext, customer_id: str) -> CustodialAccount:
    """The customer's custodial account, created (key generated and sealed, gas, self-delegation) if new."""
    if (found := await account_of(ctx, customer_id)) is not None:
        return found
    vault = ctx.services.need_vault()
    ctx.services.need_chain()
    fresh: LocalAccount = Account.create()
    row = CustodialAccount(customer_id=customer_id, address=fresh.address,
                           sealed_key=vault.seal(customer_id, bytes(fresh.key)), created_at=ctx.now())
    ctx.session.add(row)
    await ctx.session.flush()
    await on_chain(ctx, lambda chain: coffee.activate(chain, fresh))
    return row


def signer_of(ctx: ToolContext, account: CustodialAccount) -> LocalAccount:
    return Account.from_key(ctx.services.need_vault().open(account.customer_id, account.sealed_key))


async def address_of(ctx: ToolContext, customer_id: str) -> str | None:
    return await ctx.session.scalar(select(CustodialAccount.address).where(CustodialAccount.customer_id == customer_id))


def record_move(ctx: ToolContext, customer_id: str, kind: str, hundredths: int, tx_hash: str,
                counterparty: str | None = None) -> None:
    ctx.session.add(CoffeeMove(customer_id=customer_id, kind=kind, hundredths=hundredths, tx_hash=tx_hash,
                               counterparty=counterparty, at=ctx.now()))
