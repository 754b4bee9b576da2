"""A full CoffeeGovernor vote cycle on the in-process EVM: the DAO (token owner) votes to mint COFFEE."""

from __future__ import annotations

from typing import Any

from eth_utils import keccak
from web3 import Web3
from web3.contract import Contract
from web3.logs import DISCARD
from web3.providers.eth_tester import EthereumTesterProvider

from contracts import load_artifact

COFFEE = 10**18
PENDING, ACTIVE, SUCCEEDED, EXECUTED = 0, 1, 4, 7  # IGovernor.ProposalState
FOR = 1  # GovernorCountingSimple.VoteType


def deploy(w3: Web3, name: str, *args: Any, sender: str) -> Contract:
    artifact = load_artifact(name)
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    receipt = w3.eth.wait_for_transaction_receipt(factory.constructor(*args).transact({"from": sender}))
    return w3.eth.contract(address=receipt["contractAddress"], abi=artifact.abi)


def send(w3: Web3, fn: Any, sender: str) -> Any:
    receipt = w3.eth.wait_for_transaction_receipt(fn.transact({"from": sender}))
    assert receipt["status"] == 1
    return receipt


def test_proposal_to_mint_passes_and_executes() -> None:
    w3 = Web3(EthereumTesterProvider())
    tester = w3.provider.ethereum_tester  # type: ignore[attr-defined]
    deployer, alice, bob, merchant = w3.eth.accounts[:4]
    token = deploy(w3, "CoffeeToken", deployer, sender=deployer)
    send(w3, token.functions.mint(alice, 60 * COFFEE), deployer)
    send(w3, token.functions.mint(bob, 40 * COFFEE), deployer)
    send(w3, token.functions.delegate(alice), alice)
    send(w3, token.functions.delegate(bob), bob)
    # voting delay 1 block, period 10 blocks, threshold 1 COFFEE, quorum 10 %
    governor = deploy(w3, "CoffeeGovernor", token.address, 1, 10, COFFEE, 10, sender=deployer)
    send(w3, token.functions.transferOwnership(governor.address), deployer)
    assert governor.functions.quorum(w3.eth.block_number - 1).call() == 10 * COFFEE

    targets, values = [token.address], [0]
    calldatas = [token.encode_abi("mint", args=[merchant, 5 * COFFEE])]
    description = "Mint 5 COFFEE to the merchant"
    receipt = send(w3, governor.functions.propose(targets, values, calldatas, description), alice)
    (created,) = governor.events.ProposalCreated().process_receipt(receipt, errors=DISCARD)
    proposal_id = created["args"]["proposalId"]
    assert governor.functions.hashProposal(targets, values, calldatas, keccak(text=description)).call() == proposal_id
    assert governor.functions.state(proposal_id).call() == PENDING

    tester.mine_blocks(2)
    assert governor.functions.state(proposal_id).call() == ACTIVE
    send(w3, governor.functions.castVote(proposal_id, FOR), bob)
    tester.mine_blocks(11)
    assert governor.functions.state(proposal_id).call() == SUCCEEDED

    send(w3, governor.functions.execute(targets, values, calldatas, keccak(text=description)), alice)
    assert governor.functions.state(proposal_id).call() == EXECUTED
    assert token.functions.balanceOf(merchant).call() == 5 * COFFEE
