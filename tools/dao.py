"""The Go Coffee DAO: COFFEE holders propose, vote, and carry out what passed — by the Governor's rules.

Proposals get a short number here; everything else (who may propose, vote weight at the snapshot, one vote
per holder, quorum, the timelock's delay) is decided by the contracts and read back from the chain. A proposal
either records a decision (signal) or pays COFFEE from the DAO treasury to a customer (grant).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select

from contracts import dao
from contracts.chain import Chain
from store.dao import Proposal
from store.wallet import CustodialAccount
from tools.context import ToolContext
from tools.errors import Forbidden, NotFound
from tools.fields import Id, Whole
from tools.onchain import WEI_PER_HUNDREDTH, coffee_of, hundredths_of_wei, on_chain
from tools.principal import CUSTOMERS_AND_STAFF, EVERYONE, Role
from tools.registry import Rest, capability
from tools.second_factor import require_step_up
from tools.wallet.custody import account_of, ensure_account, signer_of

CUSTOMERS = frozenset({Role.CUSTOMER})
Number = Field(description="The proposal's number, as list_proposals shows it.")


class CreateProposal(BaseModel):
    title: str = Field(min_length=3, max_length=120)
    description: str = Field(default="", max_length=2000)
    action: Literal["signal", "grant"] = Field(default="signal", description="signal: record the decision only; "
                                               "grant: pay COFFEE from the DAO treasury to a customer if it passes.")
    grant_to_customer_id: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    grant_amount: Decimal | None = Field(default=None, gt=0, le=1_000_000, decimal_places=2)

    @model_validator(mode="after")
    def _grant_needs_target(self) -> CreateProposal:
        if (self.action == "grant") != (self.grant_to_customer_id is not None and self.grant_amount is not None):
            raise ValueError("a grant names grant_to_customer_id and grant_amount; a signal names neither")
        return self


class ProposalRef(BaseModel):
    proposal: Id = Number


class CastVote(BaseModel):
    proposal: Id = Number
    support: Literal["for", "against", "abstain"]
    reason: str = Field(default="", max_length=200)


class ListProposals(BaseModel):
    limit: Whole = Field(default=20, ge=1, le=100)


class ProposalView(BaseModel):
    proposal: int
    title: str
    description: str
    proposer: str
    action: Literal["signal", "grant"]
    grant_to_customer_id: str | None
    grant_amount: Decimal | None
    state: Literal["pending", "active", "canceled", "defeated", "succeeded", "queued", "expired", "executed"]
    votes_for: Decimal
    votes_against: Decimal
    votes_abstain: Decimal
    quorum: Decimal = Field(description="COFFEE votes (for + abstain) needed for the result to count.")
    voting_ends_block: int
    current_block: int
    executable_at: datetime | None = Field(description="Queued proposals: when the timelock lets them run.")
    created_at: datetime


class ProposalList(BaseModel):
    proposals: list[ProposalView]


def _coffee(wei: int) -> Decimal:
    return coffee_of(hundredths_of_wei(wei))


def _call(chain: Chain, row: Proposal, grant_address: str | None) -> dao.ProposalCall:
    text = f"{row.title}\n\n{row.description}\n\n(Go Coffee proposal {row.ref} by {row.proposer})"
    if row.action == "grant" and grant_address and row.grant_hundredths:
        return dao.grant_call(chain, grant_address, row.grant_hundredths * WEI_PER_HUNDREDTH, text)
    return dao.signal_call(chain, text)


async def _grant_address(ctx: ToolContext, row: Proposal) -> str | None:
    return (await ensure_account(ctx, row.grant_to)).address if row.grant_to else None


async def _view(ctx: ToolContext, row: Proposal) -> ProposalView:
    pid = int(row.chain_proposal_id)
    status, block = await on_chain(ctx, lambda chain: (dao.status(chain, pid), chain.w3.eth.block_number))
    eta = datetime.fromtimestamp(status.eta, tz=ctx.now().tzinfo) if status.eta else None
    return ProposalView(
        proposal=row.number, title=row.title, description=row.description, proposer=row.proposer,
        action=row.action, grant_to_customer_id=row.grant_to,
        grant_amount=coffee_of(row.grant_hundredths) if row.grant_hundredths else None,
        state=status.state.name.lower(),
        votes_for=_coffee(status.votes_for), votes_against=_coffee(status.votes_against),
        votes_abstain=_coffee(status.votes_abstain), quorum=_coffee(status.quorum),
        voting_ends_block=status.deadline_block, current_block=block, executable_at=eta, created_at=row.created_at)


async def _load(ctx: ToolContext, number: int) -> Proposal:
    row = await ctx.session.get(Proposal, number)
    if row is None:
        raise NotFound(f"no proposal {number}", proposal=number)
    return row


async def _holder(ctx: ToolContext) -> CustodialAccount:
    """The caller's COFFEE account; without one they hold no COFFEE, so there is nothing to sign with."""
    account = await account_of(ctx, ctx.principal.id)
    if account is None:
        raise Forbidden("you hold no COFFEE: redeem loyalty points for COFFEE to take part in the DAO")
    return account


@capability(domain="dao", roles=EVERYONE, rest=Rest("GET", "/dao/proposals"))
async def list_proposals(ctx: ToolContext, cmd: ListProposals) -> ProposalList:
    """The DAO's proposals, newest first, with their state and vote tally read from the chain."""
    ctx.services.need_chain()
    rows = await ctx.session.scalars(select(Proposal).order_by(Proposal.number.desc()).limit(cmd.limit))
    return ProposalList(proposals=[await _view(ctx, r) for r in rows])


@capability(domain="dao", roles=EVERYONE, rest=Rest("GET", "/dao/proposals/{proposal}"))
async def get_proposal(ctx: ToolContext, cmd: ProposalRef) -> ProposalView:
    """One DAO proposal with its state and vote tally, read from the chain."""
    return await _view(ctx, await _load(ctx, cmd.proposal))


@capability(domain="dao", roles=CUSTOMERS, mutating=True, idempotent=True, rest=Rest("POST", "/dao/proposals", 201))
async def create_proposal(ctx: ToolContext, cmd: CreateProposal) -> ProposalView:
    """Propose something to the DAO from your COFFEE account; the Governor requires enough COFFEE votes.

    Voting opens after the voting delay and lasts the voting period (blocks). Confirm the text with the
    customer first. Needs an idempotency key: a retry proposes once. A grant from the treasury wants a fresh
    second-factor code from a signed-in caller (step-up)."""
    if cmd.action == "grant":
        require_step_up(ctx.principal, ctx.now(), "a grant from the DAO treasury")
    who = ctx.principal.id
    proposer = await _holder(ctx)
    ref = hashlib.sha256(f"{ctx.principal.as_header()}|{ctx.idempotency_key}".encode()).hexdigest()[:32]
    chain_now = ctx.services.need_chain().chain
    row = Proposal(governor=chain_now.deployment.governor if chain_now.deployment else "", chain_proposal_id="",
                   ref=ref, title=cmd.title, description=cmd.description, proposer=who, action=cmd.action,
                   grant_to=cmd.grant_to_customer_id, tx_hash="", created_at=ctx.now(),
                   grant_hundredths=int(cmd.grant_amount * 100) if cmd.grant_amount else None)
    grant_address = await _grant_address(ctx, row)
    key = signer_of(ctx, proposer)

    def submit(chain: Chain) -> tuple[int, str]:
        call = _call(chain, row, grant_address)
        pid = dao.proposal_id(chain, call)
        return pid, dao.propose(chain, key, call)

    pid, row.tx_hash = await on_chain(ctx, submit)
    row.chain_proposal_id = str(pid)
    ctx.session.add(row)
    await ctx.session.flush()
    return await _view(ctx, row)


@capability(domain="dao", roles=CUSTOMERS, mutating=True, idempotent=True,
            rest=Rest("POST", "/dao/proposals/{proposal}/votes", 201))
async def cast_vote(ctx: ToolContext, cmd: CastVote) -> ProposalView:
    """Vote for, against or abstain on an active proposal, with the COFFEE votes you held when it opened.

    One vote per holder (the Governor refuses a second). Confirm the choice with the customer first. Needs an
    idempotency key."""
    row = await _load(ctx, cmd.proposal)
    voter = await _holder(ctx)
    key, pid = signer_of(ctx, voter), int(row.chain_proposal_id)
    await on_chain(ctx, lambda chain: dao.vote(chain, key, pid, cmd.support, cmd.reason))
    return await _view(ctx, row)


async def _carry_out(ctx: ToolContext, number: int, step: Callable[[Chain, dao.ProposalCall], str]) -> ProposalView:
    row = await _load(ctx, number)
    grant_address = await _grant_address(ctx, row)
    await on_chain(ctx, lambda chain: step(chain, _call(chain, row, grant_address)))
    return await _view(ctx, row)


@capability(domain="dao", roles=CUSTOMERS_AND_STAFF, mutating=True,
            rest=Rest("POST", "/dao/proposals/{proposal}/queue"))
async def queue_proposal(ctx: ToolContext, cmd: ProposalRef) -> ProposalView:
    """Queue a proposal that passed in the timelock; it can be executed once the delay is over."""
    return await _carry_out(ctx, cmd.proposal, dao.queue)


@capability(domain="dao", roles=CUSTOMERS_AND_STAFF, mutating=True,
            rest=Rest("POST", "/dao/proposals/{proposal}/execute"))
async def execute_proposal(ctx: ToolContext, cmd: ProposalRef) -> ProposalView:
    """Carry out a queued proposal after its timelock delay (a grant pays the COFFEE out then)."""
    return await _carry_out(ctx, cmd.proposal, dao.execute)
