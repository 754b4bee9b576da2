"""The DAO on the in-process EVM and on anvil: CoffeeGovernor votes, CoffeeTimelock executes, contracts enforce the rules."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from eth_utils import keccak
from web3 import Web3
from web3.contract import Contract
from web3.logs import DISCARD

from contracts.node import advance
from tests.contracts.helpers import COFFEE, deploy, reverts_with, send

PENDING, ACTIVE, DEFEATED, SUCCEEDED, QUEUED, EXECUTED = 0, 1, 3, 4, 5, 7  # IGovernor.ProposalState
AGAINST, FOR = 0, 1  # GovernorCountingSimple.VoteType
VOTING_DELAY, VOTING_PERIOD = 1, 10  # blocks
THRESHOLD = 10 * COFFEE
QUORUM_PERCENT = 10
MIN_DELAY = 3600  # seconds the timelock holds a passed proposal
ZERO = "0x" + "00" * 20


@dataclass(frozen=True)
class Dao:
    w3: Web3
    token: Contract
    timelock: Contract
    governor: Contract
    deployer: str
    alice: str  # 55 COFFEE
    bob: str  # 40 COFFEE
    dave: str  # 5 COFFEE: below the proposal threshold and the quorum
    carol: str  # holds nothing
    merchant: str


@dataclass(frozen=True)
class Proposal:
    id: int
    targets: list[str]
    values: list[int]
    calldatas: list[bytes]
    description_hash: bytes


@pytest.fixture
def dao(w3: Web3) -> Dao:
    """Supply 100 COFFEE, everyone self-delegated; the timelock owns the token and only the Governor proposes to it."""
    deployer, alice, bob, dave, carol, merchant = w3.eth.accounts[:6]
    token = deploy(w3, "CoffeeToken", deployer, sender=deployer)
    for holder, amount in ((alice, 55), (bob, 40), (dave, 5)):
        send(w3, token.functions.mint(holder, amount * COFFEE), deployer)
        send(w3, token.functions.delegate(holder), holder)
    timelock = deploy(w3, "CoffeeTimelock", MIN_DELAY, [], [ZERO], deployer, sender=deployer)
    governor = deploy(
        w3,
        "CoffeeGovernor",
        token.address,
        timelock.address,
        VOTING_DELAY,
        VOTING_PERIOD,
        THRESHOLD,
        QUORUM_PERCENT,
        sender=deployer,
    )
    for role in ("PROPOSER_ROLE", "CANCELLER_ROLE"):
        send(w3, timelock.functions.grantRole(getattr(timelock.functions, role)().call(), governor.address), deployer)
    admin_role = timelock.functions.DEFAULT_ADMIN_ROLE().call()
    send(w3, timelock.functions.renounceRole(admin_role, deployer), deployer)
    send(w3, token.functions.transferOwnership(timelock.address), deployer)
    return Dao(w3, token, timelock, governor, deployer, alice, bob, dave, carol, merchant)


def propose_mint(dao: Dao, to: str, amount: int, description: str, proposer: str) -> Proposal:
    calldata = bytes.fromhex(dao.token.encode_abi("mint", args=[to, amount])[2:])
    p = Proposal(0, [dao.token.address], [0], [calldata], keccak(text=description))
    receipt = send(dao.w3, dao.governor.functions.propose(p.targets, p.values, p.calldatas, description), proposer)
    (created,) = dao.governor.events.ProposalCreated().process_receipt(receipt, errors=DISCARD)
    proposal_id = created["args"]["proposalId"]
    assert (
        dao.governor.functions.hashProposal(p.targets, p.values, p.calldatas, p.description_hash).call() == proposal_id
    )
    return Proposal(proposal_id, p.targets, p.values, p.calldatas, p.description_hash)


def open_for_voting(dao: Dao, description: str) -> Proposal:
    proposal = propose_mint(dao, dao.merchant, 5 * COFFEE, description, dao.alice)
    assert state(dao, proposal) == PENDING
    advance(dao.w3, blocks=VOTING_DELAY + 1)
    assert state(dao, proposal) == ACTIVE
    return proposal


def state(dao: Dao, proposal: Proposal) -> int:
    return dao.governor.functions.state(proposal.id).call()


def queue(dao: Dao, p: Proposal) -> object:
    return dao.governor.functions.queue(p.targets, p.values, p.calldatas, p.description_hash)


def execute(dao: Dao, p: Proposal) -> object:
    return dao.governor.functions.execute(p.targets, p.values, p.calldatas, p.description_hash)


def test_passed_proposal_is_queued_then_executed_by_the_timelock_after_its_delay(dao: Dao) -> None:
    assert dao.governor.functions.timelock().call() == dao.timelock.address
    assert dao.governor.functions.quorum(dao.w3.eth.block_number - 1).call() == 10 * COFFEE
    proposal = open_for_voting(dao, "Mint 5 COFFEE to the merchant")
    send(dao.w3, dao.governor.functions.castVote(proposal.id, FOR), dao.alice)
    send(dao.w3, dao.governor.functions.castVote(proposal.id, AGAINST), dao.bob)
    assert dao.governor.functions.proposalVotes(proposal.id).call() == [40 * COFFEE, 55 * COFFEE, 0]
    reverts_with("CoffeeGovernor", queue(dao, proposal), dao.alice, "GovernorUnexpectedProposalState")

    advance(dao.w3, blocks=VOTING_PERIOD + 1)
    assert state(dao, proposal) == SUCCEEDED
    assert dao.governor.functions.proposalNeedsQueuing(proposal.id).call() is True
    reverts_with("CoffeeGovernor", execute(dao, proposal), dao.alice, "GovernorUnexpectedProposalState")

    send(dao.w3, queue(dao, proposal), dao.alice)
    assert state(dao, proposal) == QUEUED
    queued_at = dao.w3.eth.get_block("latest")["timestamp"]
    assert dao.governor.functions.proposalEta(proposal.id).call() == queued_at + MIN_DELAY
    reverts_with("CoffeeTimelock", execute(dao, proposal), dao.alice, "TimelockUnexpectedOperationState")

    advance(dao.w3, seconds=MIN_DELAY)
    send(dao.w3, execute(dao, proposal), dao.carol)  # anyone may execute: the timelock's executor role is open
    assert state(dao, proposal) == EXECUTED
    assert dao.token.functions.balanceOf(dao.merchant).call() == 5 * COFFEE
    reverts_with("CoffeeToken", dao.token.functions.mint(dao.merchant, 1), dao.deployer, "OwnableUnauthorizedAccount")


def test_a_holder_cannot_vote_twice(dao: Dao) -> None:
    proposal = open_for_voting(dao, "Mint once, vote once")
    send(dao.w3, dao.governor.functions.castVote(proposal.id, FOR), dao.bob)
    reverts_with(
        "CoffeeGovernor", dao.governor.functions.castVote(proposal.id, FOR), dao.bob, "GovernorAlreadyCastVote"
    )
    reverts_with(
        "CoffeeGovernor", dao.governor.functions.castVote(proposal.id, AGAINST), dao.bob, "GovernorAlreadyCastVote"
    )
    assert dao.governor.functions.proposalVotes(proposal.id).call() == [0, 40 * COFFEE, 0]


def test_a_non_holder_cannot_vote(dao: Dao) -> None:
    proposal = open_for_voting(dao, "Only holders vote")
    reverts_with("CoffeeGovernor", dao.governor.functions.castVote(proposal.id, FOR), dao.carol, "NoVotingPower")
    assert dao.governor.functions.hasVoted(proposal.id, dao.carol).call() is False


def test_tokens_received_after_the_snapshot_do_not_vote(dao: Dao) -> None:
    proposal = open_for_voting(dao, "The snapshot decides")
    send(dao.w3, dao.token.functions.transfer(dao.carol, 10 * COFFEE), dao.alice)
    send(dao.w3, dao.token.functions.delegate(dao.carol), dao.carol)
    reverts_with("CoffeeGovernor", dao.governor.functions.castVote(proposal.id, FOR), dao.carol, "NoVotingPower")


def test_proposing_below_the_threshold_is_rejected(dao: Dao) -> None:
    propose = dao.governor.functions.propose([dao.token.address], [0], [b""], "Dave wants to propose")
    reverts_with("CoffeeGovernor", propose, dao.dave, "GovernorInsufficientProposerVotes")
    reverts_with("CoffeeGovernor", propose, dao.carol, "GovernorInsufficientProposerVotes")


def test_a_proposal_below_quorum_is_defeated(dao: Dao) -> None:
    proposal = open_for_voting(dao, "Too few turn out")
    send(dao.w3, dao.governor.functions.castVote(proposal.id, FOR), dao.dave)  # 5 of the 10 COFFEE quorum
    advance(dao.w3, blocks=VOTING_PERIOD + 1)
    assert state(dao, proposal) == DEFEATED
    reverts_with("CoffeeGovernor", queue(dao, proposal), dao.alice, "GovernorUnexpectedProposalState")
    reverts_with("CoffeeGovernor", execute(dao, proposal), dao.alice, "GovernorUnexpectedProposalState")
    assert dao.token.functions.balanceOf(dao.merchant).call() == 0
