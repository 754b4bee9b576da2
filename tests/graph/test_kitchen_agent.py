"""The kitchen through an agent (scripted model): interlocks refuse unsafe machine commands the same way, and
maintenance waits for a human's approval before anything is sent."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from devices.protocol import Status
from gocoffee.bootstrap import Platform
from store.kitchen import MachineCommand
from tests.graph.conftest import MakeChat
from tests.graph.fakes import ScriptedModel, call, last_result, said
from tests.tools.test_kitchen import report, state
from tools.principal import Principal, Role

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
BARISTA = Principal(role=Role.STAFF, id="s1", location_id="downtown")


async def commands(platform: Platform) -> int:
    async with platform.db.reader() as session:
        return int(await session.scalar(select(func.count()).select_from(MachineCommand)) or 0)


async def test_an_agent_hears_the_interlock_and_nothing_is_sent(make_chat: MakeChat, platform: Platform) -> None:
    await report(platform, state("m2", Status.DESCALING))
    model = ScriptedModel(steps=[
        said("", call("descale_machine", location_id="downtown", machine_id="m2"),
             call("stop_brew", location_id="downtown", machine_id="m2")),
        lambda m: said(f"Refused: {last_result(m)}"),
    ])
    reply = await (await make_chat(model)).send(BARISTA, "descale machine m2 and stop its brew")
    assert reply.agent == "task_manager"
    assert [e.ok for e in reply.tool_events] == [False, False]
    assert "cannot descale while descaling" in reply.tool_events[0].content
    assert "not brewing" in reply.tool_events[1].content
    assert await commands(platform) == 0


async def test_maintenance_asked_by_an_agent_waits_for_approval(make_chat: MakeChat, platform: Platform) -> None:
    await report(platform, state("m1", Status.IDLE))
    model = ScriptedModel(steps=[
        said("", call("set_maintenance", location_id="downtown", machine_id="m1", on=True)),
        said("m1 is in maintenance."),
    ])
    chat = await make_chat(model)
    reply = await chat.send(BARISTA, "put machine m1 into maintenance")
    assert reply.pending_approval is not None and reply.pending_approval["tool"] == "set_maintenance"
    assert await commands(platform) == 0, "nothing reaches the machine before a human approves"
    decided = await platform.gateway.call("decide_approval", {"approval_id": reply.pending_approval["approval_id"],
                                                              "decision": "approve"},
                                          principal=Principal(role=Role.MANAGER, id="m9"))
    resumed = await chat.resume(decided.model_dump(mode="json"))
    assert resumed.text == "m1 is in maintenance." and await commands(platform) == 1
