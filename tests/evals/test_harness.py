"""The eval harness itself: pass^k, the reward rule and its failure labels, determinism, reports, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evals.env import EnvOptions
from evals.metrics import pass_hat_k, suite_pass_hat_k
from evals.results import TrialResult, read_run
from evals.runner import run_suite
from evals.state import digest
from evals.tasks import Suite, Task, load_suite
from gocoffee.cli import app

pytestmark = pytest.mark.anyio
ALICE = 'user = { principal = "customer:c1@downtown", instruction = "Order a latte." }'
LATTE_TURNS = 'turns = [ { say = "a latte please" }, { say = "yes", when = ["place it"] } ]'
CREATE_LATTE = ('expected_actions = [ { tool = "create_order", args = { location_id = "downtown", lines = '
                '[ { item_id = "latte" } ] } } ]')
SUITE = f"""
name = "harness"
description = "tasks whose outcomes the harness must judge right"

[[tasks]]
id = "right"
domain = "orders"
{ALICE}
{LATTE_TURNS}
{CREATE_LATTE}
required_phrases = ["Placed!"]

[[tasks]]
id = "wrong-size"
domain = "orders"
{ALICE}
{LATTE_TURNS}
expected_actions = [ {{ tool = "create_order", args = {{ location_id = "downtown", lines = [
  {{ item_id = "latte", size = "large" }} ] }} }} ]

[[tasks]]
id = "unconfirmed"
domain = "orders"
{ALICE}
turns = [ {{ say = "a latte please" }}, {{ say = "no thanks" }} ]
{CREATE_LATTE}

[[tasks]]
id = "unintended"
domain = "orders"
{ALICE}
{LATTE_TURNS}
expected_actions = []

[[tasks]]
id = "forbidden"
domain = "orders"
{ALICE}
{LATTE_TURNS}
{CREATE_LATTE}
forbidden_actions = ["place_order"]

[[tasks]]
id = "unsaid"
domain = "orders"
{ALICE}
{LATTE_TURNS}
{CREATE_LATTE}
required_phrases = ["have a lovely day"]

[[tasks]]
id = "not-cancelled"
domain = "orders"
{ALICE}
{LATTE_TURNS}
expected_actions = [ {{ tool = "create_order", args = {{ location_id = "downtown", lines = [ {{ item_id = "latte" }} ] }} }},
                     {{ tool = "cancel_order", args = {{ order_id = 1 }} }} ]

[[tasks]]
id = "broken"
domain = "orders"
{ALICE}
{LATTE_TURNS}
expected_actions = [ {{ tool = "create_order", args = {{ location_id = "downtown", lines = [ {{ item_id = "lattee" }} ] }} }} ]

[[tasks]]
id = "any-phrase"
domain = "orders"
{ALICE}
{LATTE_TURNS}
{CREATE_LATTE}
required_phrases = [ ["no such words", "placed!"] ]

[[tasks]]
id = "leaky"
domain = "orders"
{ALICE}
{LATTE_TURNS}
{CREATE_LATTE}
forbidden_phrases = ["Placed!"]

[[tasks]]
id = "asked-for-approval"
domain = "inventory"
user = {{ principal = "staff:s1@campus", instruction = "Record a delivery of oat milk." }}
turns = [ {{ say = "restock 5000 ml of oat milk at campus" }}, {{ say = "yes", when = ["shall i"] }} ]
forbidden_actions = ["adjust_stock"]

[[tasks]]
id = "checked"
domain = "orders"
{ALICE}
{LATTE_TURNS}
checks = [ {{ tool = "list_orders", path = "orders.0.state", equals = "placed" }},
           {{ tool = "list_orders", path = "orders", length = 1 }} ]
"""


def test_pass_hat_k_is_the_unbiased_estimate() -> None:
    assert pass_hat_k(4, 4, 4) == 1 and pass_hat_k(4, 3, 4) == 0 and pass_hat_k(4, 2, 1) == 0.5
    assert pass_hat_k(4, 3, 2) == pytest.approx(3 / 6)
    results = [TrialResult(suite="s", task_id=t, domain="d", trial=n, reward=r)
               for t, rewards in {"a": [1, 1], "b": [1, 0]}.items() for n, r in enumerate(rewards)]
    assert suite_pass_hat_k(results) == {1: 0.75, 2: 0.5}
    with pytest.raises(ValueError):
        pass_hat_k(2, 1, 3)


@pytest.fixture
def suite_file(tmp_path: Path) -> Path:
    path = tmp_path / "harness.toml"
    path.write_text(SUITE)
    return path


async def test_the_reward_rule_and_failure_labels(suite_file: Path, tmp_path: Path) -> None:
    suite = load_suite(str(suite_file))
    results = {r.task_id: r for r in await run_suite(suite, 1, EnvOptions(workdir=tmp_path / "w"), concurrency=3)}
    assert {t: (r.reward, r.failure) for t, r in results.items()} == {
        "right": (1.0, None), "wrong-size": (0.0, "wrong_argument"), "unconfirmed": (0.0, "incomplete"),
        "unintended": (0.0, "unintended_action"), "forbidden": (0.0, "policy_violation"),
        "unsaid": (0.0, "incomplete"), "checked": (1.0, None), "not-cancelled": (0.0, "incomplete"),
        "broken": (0.0, "error"), "any-phrase": (1.0, None), "leaky": (0.0, "policy_violation"),
        "asked-for-approval": (0.0, "policy_violation")}
    assert results["leaky"].phrases_forbidden == ["Placed!"]
    paused = results["asked-for-approval"].tool_calls
    assert [(c.tool, c.ok, c.awaiting_approval) for c in paused][-1:] == [("adjust_stock", False, True)]
    assert "unknown_item" in (results["broken"].error or "") or "lattee" in (results["broken"].error or "")
    assert "orders" in results["wrong-size"].state_diff
    assert results["unsaid"].phrases_missing == ["have a lovely day"]
    right = results["right"]
    assert [c.tool for c in right.tool_calls] == ["create_cart", "place_order"] and right.model_calls > 0
    assert [line.role for line in right.transcript] == ["user", "agent", "user", "agent"]


async def test_trials_are_deterministic(suite_file: Path, tmp_path: Path) -> None:
    from evals.env import environment
    from evals.runner import converse
    from evals.users import ScriptedUser

    task = load_suite(str(suite_file)).tasks[0]
    digests = []
    for n in range(2):
        async with environment(task, EnvOptions(workdir=tmp_path), f"det-{n}") as world:
            await converse(world, task, ScriptedUser(task), "t")
            digests.append(digest(await world.state()))
    assert digests[0] == digests[1]


def test_the_cli_runs_a_suite_writes_reports_and_compares(suite_file: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for name in ("one", "two"):
        done = runner.invoke(app, ["eval", "run", "--suite", str(suite_file), "--trials", "2", "--task", "right",
                                   "--task", "unsaid", "--out", str(tmp_path / name)])
        assert done.exit_code == 0, done.output
        assert "pass^1=0.500 pass^2=0.500" in done.output
    info, results = read_run(tmp_path / "one")
    assert info.trials == 2 and info.user_simulator == "scripted" and info.model == "offline" and len(results) == 4
    report = (tmp_path / "one" / "report.md").read_text()
    assert "| right | 2/2 | — |" in report and "| unsaid | 0/2 | incomplete |" in report
    assert "<polyline" in (tmp_path / "one" / "pass_k.svg").read_text()
    assert "<table>" in (tmp_path / "one" / "report.html").read_text()
    compared = runner.invoke(app, ["eval", "compare", str(tmp_path / "one"), str(tmp_path / "two"),
                                   "--out", str(tmp_path / "cmp")])
    assert compared.exit_code == 0 and "| right | 1.00 | 1.00 |" in compared.output
    assert (tmp_path / "cmp" / "compare.svg").read_text().count("<polyline") == 2
    assert json.loads((tmp_path / "one" / "run.json").read_text())["suite"] == "harness"


def test_every_shipped_suite_names_real_tools_with_valid_arguments() -> None:
    from evals.tasks import suite_names
    from tools import load_registry
    from tools.invoke import command_from
    from tools.principal import Principal

    registry = load_registry()
    for name in suite_names():
        suite = load_suite(name)
        assert isinstance(suite, Suite) and suite.tasks
        for task in suite.tasks:
            task.user.who  # noqa: B018  (parses the principal)
            actions = [*task.setup, *(task.expected_actions or []), *task.checks]
            for action in actions:
                assert action.tool in registry, f"{name}/{task.id}: no tool {action.tool}"
                command_from(registry.get(action.tool), action.args)
                if action.who:
                    Principal.parse(action.who)
            assert all(t in registry for t in task.forbidden_actions), f"{name}/{task.id}: forbidden names a non-tool"


async def test_an_llm_plays_the_user_from_the_task_and_stops_when_done(suite_file: Path, tmp_path: Path) -> None:
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from evals.users import STOP, LLMUser

    played: list[LLMUser] = []

    def user(task: Task) -> LLMUser:
        model = GenericFakeChatModel(messages=iter([AIMessage("yes please"), AIMessage(f"thanks! {STOP}")]))
        played.append(LLMUser(task, model, "fake"))
        return played[-1]

    (result,) = await run_suite(load_suite(str(suite_file)), 1, EnvOptions(workdir=tmp_path), make_user=user,
                                only={"right"})
    assert result.reward == 1.0 and [line.text for line in result.transcript if line.role == "user"] == [
        "a latte please", "yes please"]
    assert played[0].name == "llm:fake"
    prompt = str(played[0]._history[0].content)
    assert "Order a latte." in prompt and STOP in prompt


def test_a_suite_keeps_answering_to_its_old_name() -> None:
    assert load_suite("ordering") == load_suite("orders")
    assert load_suite("orders").name == "orders" and len(load_suite("orders").tasks) >= 70
