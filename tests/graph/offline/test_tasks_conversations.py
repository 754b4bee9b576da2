"""The task manager's board conversations, given by the frame skill from the task capabilities' own input models and
declared `Talk`: a task's title is what is left of the request once its own words are taken out; a change is said
back and waits for a yes — through the real graph."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from gocoffee.bootstrap import Platform
from graph.app import Conversations
from graph.offline.title import title
from graph.offline.vocab import Vocabulary
from tests.days import shop_today
from tools.principal import Principal
from tools.registry import registry
from tools.tasks.models import TaskList, TaskOut

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
CHLOE = Principal.parse("staff:chloe@downtown")
MANAGER = Principal.parse("manager:m1")


async def board(platform: Platform, **query: object) -> list[TaskOut]:
    found = await platform.gateway.call("list_tasks", query, principal=MANAGER)
    assert isinstance(found, TaskList)
    return found.tasks


@pytest.mark.parametrize(("said", "expected"), [
    ("assign cleaning the grinder to Ben before close", "Cleaning the grinder"),
    ("add a task to clean the grinder", "Clean the grinder"),
    ("remind Chloe to wipe the tables tomorrow please", "Wipe the tables"),
    ("urgent: assign restocking the oat milk to any barista at harbor", "Restocking the oat milk"),
    ("can you add a task for Grace to count the float by 3pm", "Count the float"),
    ("new task: descale machine 2 on Friday at campus", "Descale machine 2"),
    ("add a task", None),
])
async def test_a_title_is_the_request_without_its_own_words(vocab: Vocabulary, said: str, expected: str | None
                                                            ) -> None:
    talk = registry.get("create_task").talk
    assert talk is not None
    assert title(said, vocab, talk) == expected


async def test_a_task_for_ben_is_said_back_then_made_after_the_yes(chat: Conversations, platform: Platform) -> None:
    before = await board(platform, location_id="downtown", view="board")
    asked = await chat.send(MANAGER, "assign cleaning the grinder to Ben before close at downtown")
    assert asked.agent == "task_manager" and asked.tool_events == []
    assert asked.text == ("Shall I put \"Cleaning the grinder\" on the Go Coffee Downtown Crossing board for Ben "
                          "Okafor by close?")
    assert await board(platform, location_id="downtown", view="board") == before
    done = await chat.send(MANAGER, "yes")
    assert [e.tool for e in done.tool_events] == ["create_task"] and done.text.startswith("Added task ")
    number = re.match(r"Added task (\d+):", done.text)
    assert number is not None
    (made,) = [t for d in (-1, 0, 1, 2) for t in await board(
        platform, location_id="downtown", due_on=(shop_today() + timedelta(days=d)).isoformat())
        if t.task_id == int(number.group(1))]
    assert (made.title, made.assignee_id, made.who) == ("Cleaning the grinder", "ben", "Ben Okafor")
    assert made.due in done.text


async def test_a_barista_ticks_off_a_task_only_after_a_yes_and_a_no_changes_nothing(
        chat: Conversations, platform: Platform) -> None:
    task = (await board(platform, location_id="downtown"))[0]
    asked = await chat.send(CHLOE, f"task {task.task_id} is done")
    assert asked.text == f"Shall I mark task {task.task_id} done?"
    said_no = await chat.send(CHLOE, "no")
    assert said_no.text == "OK, nothing changed." and said_no.tool_events == []
    assert (await board(platform, location_id="downtown"))[0] == task
    await chat.send(CHLOE, f"task {task.task_id} is done")
    done = await chat.send(CHLOE, "yes")
    assert done.text == f"Task {task.task_id} ({task.title}) is done."
    assert task.task_id not in {t.task_id for t in await board(platform, location_id="downtown")}


async def test_overdue_across_the_shops_lists_what_is_late_everywhere(chat: Conversations, platform: Platform
                                                                      ) -> None:
    yesterday = (shop_today() - timedelta(days=2)).isoformat()
    for shop, what in (("harbor", "Order more lids"), ("campus", "Fix the door sign")):
        await platform.gateway.call("create_task", {"title": what, "location_id": shop, "due_on": yesterday},
                                    principal=MANAGER)
    reply = await chat.send(MANAGER, "what's overdue across the shops?")
    overdue = await board(platform, view="overdue")
    assert reply.agent == "task_manager" and [e.tool for e in reply.tool_events] == ["list_tasks"]
    assert "Order more lids (harbor" in reply.text and "Fix the door sign (campus" in reply.text
    assert reply.text.count("(") == min(len(overdue), 12)
