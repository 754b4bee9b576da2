"""Deploy the platform's contracts on a chain, as the operator.

COFFEE stays owned by the operator (the platform mints loyalty rewards); the DAO is the Governor with a
timelock that executes passed proposals after a delay and holds the DAO's own COFFEE treasury. The escrow
is owned by the operator (it releases paid orders to the merchant, the operator's address, or refunds them).
"""

from __future__ import annotations

from eth_utils import keccak
from pydantic import BaseModel, Field

from contracts.chain import WEI_PER_COFFEE, Chain, Deployment

ZERO = "0x0000000000000000000000000000000000000000"


class DaoRules(BaseModel):
    voting_delay_blocks: int = Field(default=1, ge=0)
    voting_period_blocks: int = Field(default=30, ge=1)
    proposal_threshold_coffee: int = Field(default=1, ge=0, description="Votes needed to propose.")
    quorum_percent: int = Field(default=4, ge=0, le=100, description="Of the COFFEE supply at the snapshot.")
    timelock_delay_seconds: int = Field(default=60, ge=0)
    treasury_coffee: int = Field(default=1_000, ge=0, description="COFFEE the DAO's timelock starts with.")


def _role(name: str) -> bytes:
    return keccak(text=name)


def deploy_suite(chain: Chain, rules: DaoRules) -> Deployment:
    """Deploy token, timelock, governor and escrow, wire their roles, and return where they are."""
    op = chain.operator
    token_address, first_block = chain.deploy("CoffeeToken", op.address)
    timelock_address, _ = chain.deploy("CoffeeTimelock", rules.timelock_delay_seconds, [], [ZERO], op.address)
    governor_address, _ = chain.deploy(
        "CoffeeGovernor", token_address, timelock_address, rules.voting_delay_blocks, rules.voting_period_blocks,
        rules.proposal_threshold_coffee * WEI_PER_COFFEE, rules.quorum_percent)
    escrow_address, _ = chain.deploy("CoffeeEscrow", token_address, op.address, op.address)
    timelock = chain.contract("CoffeeTimelock", timelock_address)
    for role in ("PROPOSER_ROLE", "CANCELLER_ROLE"):
        chain.transact(op, timelock.functions.grantRole(_role(role), governor_address))
    chain.transact(op, timelock.functions.renounceRole(b"\x00" * 32, op.address))
    if rules.treasury_coffee:
        token = chain.contract("CoffeeToken", token_address)
        chain.transact(op, token.functions.mint(timelock_address, rules.treasury_coffee * WEI_PER_COFFEE))
    return Deployment(chain_id=chain.chain_id, genesis=chain.genesis, block=first_block, token=token_address,
                      timelock=timelock_address, governor=governor_address, escrow=escrow_address)


def is_live(chain: Chain, deployment: Deployment) -> bool:
    """The recorded deployment is on this chain and its contracts still have code (a reset node has none)."""
    if (deployment.chain_id, deployment.genesis) != (chain.chain_id, chain.genesis):
        return False
    addresses = (deployment.token, deployment.timelock, deployment.governor, deployment.escrow)
    return all(chain.w3.eth.get_code(chain.w3.to_checksum_address(a)) for a in addresses)
