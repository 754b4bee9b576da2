"""Governor operations on a Chain (synchronous; tools run them through ChainService).

Proposals are rebuilt from what they do (a signal, or a grant of COFFEE from the DAO treasury) so the same
(targets, values, calldatas, description) can be queued and executed later; the Governor decides every rule:
who may propose, who may vote and how much their vote weighs, quorum, the delay before execution.
"""

from __future__ import annotations

from enum import IntEnum

from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from pydantic import BaseModel
from web3 import Web3

from contracts.chain import Chain


class ProposalState(IntEnum):
    PENDING = 0
    ACTIVE = 1
    CANCELED = 2
    DEFEATED = 3
    SUCCEEDED = 4
    QUEUED = 5
    EXPIRED = 6
    EXECUTED = 7


SUPPORT = {"against": 0, "for": 1, "abstain": 2}


class ProposalCall(BaseModel):
    targets: list[str]
    values: list[int]
    calldatas: list[bytes]
    description: str

    def args(self) -> tuple[list[str], list[int], list[bytes], bytes]:
        return self.targets, self.values, self.calldatas, keccak(text=self.description)


class ProposalStatus(BaseModel):
    state: ProposalState
    votes_for: int
    votes_against: int
    votes_abstain: int
    quorum: int
    snapshot_block: int
    deadline_block: int
    eta: int = 0


def signal_call(chain: Chain, description: str) -> ProposalCall:
    """A proposal that only records the holders' decision: its action is an empty call to the timelock."""
    assert chain.deployment is not None
    return ProposalCall(targets=[chain.deployment.timelock], values=[0], calldatas=[b""], description=description)


def grant_call(chain: Chain, to: str, amount_wei: int, description: str) -> ProposalCall:
    """A proposal to pay `amount_wei` COFFEE from the DAO treasury (held by the timelock) to `to`."""
    token = chain.contract("CoffeeToken")
    data = bytes.fromhex(token.encode_abi("transfer", args=[Web3.to_checksum_address(to), amount_wei])[2:])
    return ProposalCall(targets=[token.address], values=[0], calldatas=[data], description=description)


def proposal_id(chain: Chain, call: ProposalCall) -> int:
    return int(chain.contract("CoffeeGovernor").functions.hashProposal(*call.args()).call())


def propose(chain: Chain, proposer: LocalAccount, call: ProposalCall) -> str:
    """Submit the proposal as `proposer` (the Governor checks their votes against its threshold)."""
    governor = chain.contract("CoffeeGovernor")
    fn = governor.functions.propose(call.targets, call.values, call.calldatas, call.description)
    return chain.transact(proposer, fn)["transactionHash"].to_0x_hex()


def vote(chain: Chain, voter: LocalAccount, pid: int, support: str, reason: str) -> str:
    governor = chain.contract("CoffeeGovernor")
    return chain.transact(voter, governor.functions.castVoteWithReason(pid, SUPPORT[support], reason)
                          )["transactionHash"].to_0x_hex()


def queue(chain: Chain, call: ProposalCall) -> str:
    """Queue a succeeded proposal in the timelock (anyone may; the operator pays the gas)."""
    governor = chain.contract("CoffeeGovernor")
    return chain.transact(chain.operator, governor.functions.queue(*call.args()))["transactionHash"].to_0x_hex()


def execute(chain: Chain, call: ProposalCall) -> str:
    """Execute a queued proposal once its timelock delay has passed."""
    governor = chain.contract("CoffeeGovernor")
    return chain.transact(chain.operator, governor.functions.execute(*call.args()))["transactionHash"].to_0x_hex()


def has_voted(chain: Chain, pid: int, voter: str) -> bool:
    return bool(chain.contract("CoffeeGovernor").functions.hasVoted(pid, Web3.to_checksum_address(voter)).call())


def status(chain: Chain, pid: int) -> ProposalStatus:
    g = chain.contract("CoffeeGovernor").functions
    against, for_, abstain = g.proposalVotes(pid).call()
    snapshot = int(g.proposalSnapshot(pid).call())
    now = chain.w3.eth.block_number
    quorum = int(g.quorum(min(snapshot, now - 1)).call()) if now > 0 else 0
    return ProposalStatus(state=ProposalState(g.state(pid).call()), votes_for=for_, votes_against=against,
                          votes_abstain=abstain, quorum=quorum, snapshot_block=snapshot,
                          deadline_block=int(g.proposalDeadline(pid).call()), eta=int(g.proposalEta(pid).call()))
