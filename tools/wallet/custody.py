"""Customers' custodial COFFEE accounts: created on first need, keys sealed in the store, signing on the chain.

A chain operation runs in the chain worker (`ChainService.run`); the refusals a contract can give are
translated here into the domain errors every surface knows.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from eth_account import Account
from eth_account.signers.local import LocalAccount
from sqlalchemy import select

from contracts import coffee
from contracts.chain import WEI_PER_COFFEE, Chain, Reverted
from store.chain import CoffeeMove, CustodialAccount
from tools.context import ToolContext
from tools.errors import ChainRefused, Conflict, DomainError, Forbidden, InsufficientFunds

T = TypeVar("T")
WEI_PER_HUNDREDTH = WEI_PER_COFFEE // 100
CENT = Decimal("0.01")

REFUSALS: dict[str, tuple[type[DomainError], str]] = {
    "NoVotingPower": (Forbidden, "you held no COFFEE votes when this proposal opened, so you cannot vote on it"),
    "GovernorAlreadyCastVote": (Conflict, "you have already voted on this proposal"),
    "GovernorInsufficientProposerVotes": (Forbidden, "you need more COFFEE votes to make a proposal"),
    "GovernorUnexpectedProposalState": (Conflict, "the proposal is not in a state that allows this"),
    "TimelockUnexpectedOperationState": (Conflict, "the proposal's timelock delay has not passed yet"),
    "ERC20InsufficientBalance": (InsufficientFunds, "not enough COFFEE"),
    "AlreadyPaid": (Conflict, "this order was already paid into the escrow"),
}


def coffee_of(hundredths: int) -> Decimal:
    return (Decimal(hundredths) / 100).quantize(CENT)


def hundredths_of_wei(wei: int) -> int:
    return wei // WEI_PER_HUNDREDTH


async def on_chain(ctx: ToolContext, operation: Callable[[Chain], T]) -> T:
    """Run a chain operation; a contract's refusal becomes the matching domain error (nothing changed)."""
    service = ctx.services.need_chain()
    try:
        return await service.run(operation)
    except Reverted as exc:
        cls, message = REFUSALS.get(exc.error or "", (ChainRefused, f"the contract refused: {exc.error or exc}"))
        raise cls(message, error=exc.error) from exc


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
