"""Running chain operations from a capability: in the chain worker, with a contract's refusals turned into the
domain errors every surface knows, and COFFEE amounts in the platform's unit (hundredths, like cents)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from contracts.chain import WEI_PER_COFFEE, Chain, Reverted
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
