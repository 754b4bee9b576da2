"""The DAO through the platform's tools, on the embedded EVM and on anvil: the Governor decides every rule
(threshold, one vote per holder, weight at the snapshot, quorum, the timelock) and the tools report it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from contracts.deploy import DaoRules
from gocoffee.bootstrap import Platform
from gocoffee.settings import Settings
from tests.callers import Caller, GatewayCaller
from tests.tools.contract import ALICE, BARISTA, BOB, GUEST, refused
from tests.tools.money_helpers import give_points, mine
from tools.principal import Principal, Role

pytestmark = pytest.mark.anyio
CAROL = Principal(role=Role.CUSTOMER, id="carol")
DAVE = Principal(role=Role.CUSTOMER, id="dave")
RULES = DaoRules(voting_delay_blocks=1, voting_period_blocks=10, proposal_threshold_coffee=2, quorum_percent=4,
                 timelock_delay_seconds=30, treasury_coffee=100)


@pytest.fixture(params=["embedded", pytest.param("anvil", marks=pytest.mark.slow)])
def settings(request: pytest.FixtureRequest, store_url: str, tmp_path: Path) -> Settings:
    rpc = {"chain_rpc_url": request.getfixturevalue("anvil").url} if request.param == "anvil" else {}
    return Settings(data_dir=tmp_path, database_url=store_url, kitchen=False, chain=True, chain_block_seconds=0,
                    dao=RULES, **rpc)


async def holder(call: Caller, platform: Platform, who: Principal, coffees: int) -> None:
    await give_points(platform, who.id, coffees * 100)
    await call("redeem_points", {"points": coffees * 100}, who, f"redeem-{who.id}")


async def test_a_grant_is_proposed_voted_queued_and_executed_by_the_rules_of_the_contracts(
        platform: Platform) -> None:
    call = GatewayCaller("mcp", platform.gateway)
    await holder(call, platform, ALICE, 20)
    await holder(call, platform, BOB, 1)
    await refused("forbidden", call, "create_proposal", {"title": "Free refills"}, DAVE, "dp-1")
    below = await refused("forbidden", call, "create_proposal", {"title": "Free refills"}, BOB, "bp-1")
    assert below.details["error"] == "GovernorInsufficientProposerVotes"
    grant = {"title": "Barista of the month", "description": "Thank Carol with COFFEE", "action": "grant",
             "grant_to_customer_id": "carol", "grant_amount": "5"}
    made = await call("create_proposal", grant, ALICE, "ap-1")
    assert made["state"] == "pending" and made["proposal"] == 1 and Decimal(made["grant_amount"]) == 5
    assert await call("create_proposal", grant, ALICE, "ap-1") == made, "a retried proposal is the same one"
    await mine(platform, 2)
    voted = await call("cast_vote", {"proposal": 1, "support": "for", "reason": "well deserved"}, ALICE, "v-1")
    assert voted["state"] == "active" and Decimal(voted["votes_for"]) == 20
    await refused("conflict", call, "cast_vote", {"proposal": 1, "support": "against"}, ALICE, "v-2")
    await refused("forbidden", call, "cast_vote", {"proposal": 1, "support": "for"}, DAVE, "v-3")
    await holder(call, platform, DAVE, 5)  # COFFEE got after the snapshot weighs nothing on this proposal
    late = await refused("forbidden", call, "cast_vote", {"proposal": 1, "support": "for"}, DAVE, "v-3b")
    assert late.details["error"] == "NoVotingPower"
    await refused("forbidden", call, "cast_vote", {"proposal": 1, "support": "for"}, BARISTA, "v-4")
    assert Decimal((await call("cast_vote", {"proposal": 1, "support": "against"}, BOB, "v-5"))["votes_against"]) == 1
    await refused("conflict", call, "queue_proposal", {"proposal": 1}, ALICE)
    await mine(platform, RULES.voting_period_blocks)
    assert (await call("get_proposal", {"proposal": 1}, GUEST))["state"] == "succeeded"
    queued = await call("queue_proposal", {"proposal": 1}, ALICE)
    assert queued["state"] == "queued" and queued["executable_at"] is not None
    await refused("conflict", call, "execute_proposal", {"proposal": 1}, ALICE)
    await mine(platform, 1, seconds=RULES.timelock_delay_seconds + 1)
    assert (await call("execute_proposal", {"proposal": 1}, BARISTA))["state"] == "executed"
    assert Decimal((await call("get_wallet", {}, CAROL))["coffee"]) == 5
    listed = (await call("list_proposals", {}, GUEST))["proposals"]
    assert [(p["proposal"], p["state"]) for p in listed] == [(1, "executed")]


async def test_a_proposal_without_quorum_is_defeated(platform: Platform) -> None:
    call = GatewayCaller("mcp", platform.gateway)
    await holder(call, platform, ALICE, 20)
    await holder(call, platform, CAROL, 1)
    await call("create_proposal", {"title": "Oat milk at no extra charge"}, ALICE, "ap-2")
    await mine(platform, 2)
    tally = await call("cast_vote", {"proposal": 1, "support": "for"}, CAROL, "v-6")
    assert Decimal(tally["votes_for"]) == 1 < Decimal(tally["quorum"])
    await mine(platform, RULES.voting_period_blocks)
    assert (await call("get_proposal", {"proposal": 1}, CAROL))["state"] == "defeated"
    await refused("conflict", call, "queue_proposal", {"proposal": 1}, ALICE)
    await refused("not_found", call, "get_proposal", {"proposal": 2}, CAROL)
    await refused("invalid_input", call, "create_proposal", {"title": "Grant", "action": "grant"}, ALICE, "ap-3")
