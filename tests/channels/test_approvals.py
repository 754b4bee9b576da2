"""Human approval: an agent's stock change pauses until staff decide; the run then resumes where it stopped."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from gocoffee.settings import Settings
from store.inventory import Stock
from tests.conftest import Probe
from tests.identities import AS
from tests.live import app_client

pytestmark = pytest.mark.anyio
BARISTA = {AS: "staff:s1@campus"}
MANAGER = {AS: "manager:m1"}
RESTOCK = "restock 5000 ml of oat milk at campus"


async def ask_restock(client: httpx.AsyncClient) -> dict:
    """The restock said back, a yes, and the request waiting for a decision."""
    asked = (await client.post("/api/v1/chat", json={"message": RESTOCK}, headers=BARISTA)).json()
    assert asked["agent"] == "inventory_manager" and asked["text"].startswith("Shall I record +5,000 ml"), asked
    reply = (await client.post("/api/v1/chat", json={"message": "yes"}, headers=BARISTA)).json()
    assert reply["pending_approval"] is not None, reply
    return reply


async def decide(client: httpx.AsyncClient, approval_id: str, **body: object) -> httpx.Response:
    return await client.post(f"/api/v1/approvals/{approval_id}", json=body, headers=MANAGER)


async def test_approved_action_runs_and_the_agent_reports_it(settings: Settings, probe: Probe) -> None:
    before = await probe.stock("campus", "oat_milk")
    async with app_client(settings) as client:
        waiting = await ask_restock(client)
        assert "needs a staff decision" in waiting["text"] and await probe.stock("campus", "oat_milk") == before
        assert (await client.get("/api/v1/approvals", headers={AS: "customer:c1"})
                ).status_code == 403
        pending = (await client.get("/api/v1/approvals", headers=MANAGER)).json()["approvals"]
        assert [(a["tool"], a["arguments"]["delta"], a["requested_by"]) for a in pending] == [
            ("adjust_stock", 5000, "staff:s1@campus")]
        decided = await decide(client, pending[0]["approval_id"], decision="approve")
        assert decided.status_code == 200, decided.text
        body = decided.json()
        assert body["approval"]["status"] == "approved" and body["approval"]["decided_by"] == "manager:m1"
        assert body["reply"]["text"].startswith("Recorded: Oat milk") and body["reply"]["pending_approval"] is None
        again = await decide(client, pending[0]["approval_id"], decision="reject")
        assert again.status_code == 409
    assert await probe.stock("campus", "oat_milk") == before + 5000


async def test_an_edit_runs_the_edited_arguments(settings: Settings, probe: Probe) -> None:
    before = await probe.stock("campus", "oat_milk")
    async with app_client(settings) as client:
        waiting = await ask_restock(client)
        args = {**waiting["pending_approval"]["arguments"], "delta": 100}
        decided = await decide(client, waiting["pending_approval"]["approval_id"], decision="edit", arguments=args)
        assert decided.json()["approval"]["status"] == "edited"
    assert await probe.stock("campus", "oat_milk") == before + 100


async def test_a_rejection_changes_nothing_and_the_agent_says_so(settings: Settings, probe: Probe) -> None:
    before = await probe.snapshot()
    async with app_client(settings) as client:
        waiting = await ask_restock(client)
        decided = await decide(client, waiting["pending_approval"]["approval_id"], decision="reject",
                               note="delivery not in yet")
        assert "rejected this: delivery not in yet" in decided.json()["reply"]["text"]
    assert (await probe.snapshot())["stock"] == before["stock"]


async def test_a_pending_approval_survives_a_restart(settings: Settings, probe: Probe) -> None:
    before = await probe.stock("campus", "oat_milk")
    async with app_client(settings) as first:
        approval_id = (await ask_restock(first))["pending_approval"]["approval_id"]
    async with app_client(settings) as second:
        listed = (await second.get("/api/v1/approvals", headers=MANAGER)).json()["approvals"]
        assert [a["approval_id"] for a in listed] == [approval_id]
        decided = await decide(second, approval_id, decision="approve")
        assert decided.json()["reply"]["text"].startswith("Recorded:")
    assert await probe.stock("campus", "oat_milk") == before + 5000


def test_staff_decide_from_the_command_line(tmp_path: Path) -> None:
    gocoffee = str(Path(sys.executable).parent / "gocoffee")
    env = {"GOCOFFEE_DATA_DIR": str(tmp_path), "COLUMNS": "200", "PATH": "/usr/bin:/bin"}

    def run(*args: str, stdin: str = "") -> str:
        done = subprocess.run([gocoffee, *args], check=False, input=stdin, capture_output=True, text=True, timeout=120, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "needs a staff decision" in run("chat", "--as", "staff:s1@campus", stdin=f"{RESTOCK}\nyes\nquit\n")
    listed = run("approvals", "list", "--as", "manager:m1")
    approval_id = re.search(r"(apr-\w+)", listed).group(1)  # type: ignore[union-attr]
    out = run("approvals", "decide", approval_id, "approve", "--as", "manager:m1")
    assert out.startswith("approved: Recorded: Oat milk") and "campus" in out


DOWNTOWN_STAFF = {AS: "staff:s9@downtown"}
CAMPUS_COLLEAGUE = {AS: "staff:s2@campus"}


async def test_staff_see_and_decide_only_their_own_shops_approvals(settings: Settings, probe: Probe) -> None:
    before = await probe.stock("campus", "oat_milk")
    async with app_client(settings) as client:
        approval_id = (await ask_restock(client))["pending_approval"]["approval_id"]
        listed = (await client.get("/api/v1/approvals", headers=DOWNTOWN_STAFF)).json()["approvals"]
        assert listed == []
        refused = await client.post(f"/api/v1/approvals/{approval_id}", json={"decision": "approve"},
                                    headers=DOWNTOWN_STAFF)
        assert refused.status_code == 403 and "campus" in refused.json()["detail"]
        assert await probe.stock("campus", "oat_milk") == before
        seen = (await client.get("/api/v1/approvals", headers=CAMPUS_COLLEAGUE)).json()["approvals"]
        assert [(a["approval_id"], a["location_id"]) for a in seen] == [(approval_id, "campus")]
        decided = await client.post(f"/api/v1/approvals/{approval_id}", json={"decision": "approve"},
                                    headers=CAMPUS_COLLEAGUE)
        assert decided.status_code == 200, decided.text
    assert await probe.stock("campus", "oat_milk") == before + 5000


async def test_nobody_decides_their_own_request(settings: Settings, probe: Probe) -> None:
    before = await probe.stock("campus", "oat_milk")
    async with app_client(settings) as client:
        approval_id = (await ask_restock(client))["pending_approval"]["approval_id"]
        for spelling in ("staff:s1@campus", "staff:s1"):
            own = await client.post(f"/api/v1/approvals/{approval_id}", json={"decision": "approve"},
                                    headers={AS: spelling})
            assert own.status_code == 403 and "your own request" in own.json()["detail"]
        status = (await client.get("/api/v1/approvals", headers=MANAGER)).json()["approvals"][0]["status"]
        assert status == "pending"
    assert await probe.stock("campus", "oat_milk") == before


@pytest.mark.parametrize("change", [
    {"delta": -5000}, {"delta": 7000}, {"location_id": "downtown"}, {"ingredient_id": "whole_milk"},
])
async def test_an_edit_cannot_widen_turn_around_or_move_the_request(settings: Settings, probe: Probe,
                                                                    change: dict[str, object]) -> None:
    before = await probe.snapshot()
    async with app_client(settings) as client:
        waiting = (await ask_restock(client))["pending_approval"]
        edited = await decide(client, waiting["approval_id"], decision="edit",
                              arguments={**waiting["arguments"], **change})
        assert edited.status_code == 422, edited.text
        assert next(iter(change)) in edited.json()["detail"]
        pending = (await client.get("/api/v1/approvals", headers=MANAGER)).json()["approvals"]
        assert [(a["status"], a["arguments"]) for a in pending] == [("pending", waiting["arguments"])]
    assert (await probe.snapshot())["stock"] == before["stock"]


async def test_an_edit_is_checked_as_the_requesters_own_call(settings: Settings) -> None:
    async with app_client(settings) as client:
        waiting = (await ask_restock(client))["pending_approval"]
        bad = await decide(client, waiting["approval_id"], decision="edit",
                           arguments={**waiting["arguments"], "delta": "lots"})
        assert bad.status_code == 422 and "delta" in bad.json()["detail"]


async def test_an_approval_decided_after_the_person_moved_on_still_runs(settings: Settings, probe: Probe) -> None:
    before = await probe.stock("campus", "oat_milk")
    async with app_client(settings) as client:
        approval_id = (await ask_restock(client))["pending_approval"]["approval_id"]
        moved_on = (await client.post("/api/v1/chat", json={"message": "how much oat milk is there at campus?"},
                                      headers=BARISTA)).json()
        assert moved_on["pending_approval"] is None
        decided = (await decide(client, approval_id, decision="approve")).json()
        assert decided["approval"]["status"] == "approved"
        assert decided["reply"]["text"] == "manager:m1 approved your earlier request (adjust_stock); it has been done."
        assert [(e["tool"], e["ok"]) for e in decided["reply"]["tool_events"]] == [("adjust_stock", True)]
        told = await client.post("/api/v1/chat", json={"message": "thanks"}, headers=BARISTA)
        assert told.status_code == 200
    assert await probe.stock("campus", "oat_milk") == before + 5000


async def test_an_approved_action_that_can_no_longer_run_says_why(settings: Settings, probe: Probe) -> None:
    stock = await probe.stock("campus", "oat_milk")
    async with app_client(settings) as client:
        ask = {"message": f"remove {stock} ml of oat milk at campus, count correction"}
        asked = (await client.post("/api/v1/chat", json=ask, headers=BARISTA)).json()
        assert asked["text"].startswith(f"Shall I record -{stock:,} ml"), asked
        waiting = (await client.post("/api/v1/chat", json={"message": "yes"}, headers=BARISTA)).json()
        assert waiting["pending_approval"] is not None, waiting
        await client.post("/api/v1/chat", json={"message": "what's on the menu?"}, headers=BARISTA)
        async with probe.db.writer() as session, session.begin():  # meanwhile the shop used some
            await session.execute(update(Stock).where(Stock.location_id == "campus", Stock.ingredient_id == "oat_milk")
                                  .values(quantity=stock - 1))
        decided = (await decide(client, waiting["pending_approval"]["approval_id"], decision="approve")).json()
        assert "could not run: that would take stock below zero" in decided["reply"]["text"]
    assert await probe.stock("campus", "oat_milk") == stock - 1
