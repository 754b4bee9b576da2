"""Evals against a running server (--target): reset to the seed before each trial, the same judgement as
in-process, and the eval endpoints exist only in eval mode and only for the service principal."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.env import EnvOptions
from evals.runner import run_suite
from evals.tasks import load_suite
from evals.world import ServiceSignIn
from gocoffee.bootstrap import build_platform
from gocoffee.settings import Settings
from tests.evals.test_harness import SUITE
from tests.identities import AS
from tests.live import LiveServer

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite", "postgres"], indirect=True)]


async def test_a_suite_judged_against_a_server_matches_the_in_process_run(
        settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "harness.toml"
    path.write_text(SUITE)
    suite = load_suite(str(path))
    only = {"right", "wrong-size", "unintended", "checked"}
    local = await run_suite(suite, 1, EnvOptions(workdir=tmp_path / "local"), only=only)
    with LiveServer(settings.model_copy(update={"eval_mode": True})) as live:
        secret = await _service_client(settings)
        options = EnvOptions(workdir=tmp_path / "remote", target=live.url, service=ServiceSignIn("evals", secret))
        remote = await run_suite(suite, 2, options, only=only)
    expected = {r.task_id: (r.reward, r.failure) for r in local}
    assert {(r.task_id, r.trial): (r.reward, r.failure) for r in remote} == {
        (t, n): outcome for t, outcome in expected.items() for n in range(2)}
    assert expected["right"] == (1.0, None) and expected["wrong-size"][0] == 0


async def _service_client(settings: Settings) -> str:
    accounts = build_platform(settings).accounts
    try:
        return await accounts.create_service("evals", ["act_as"])
    finally:
        await accounts.db.dispose()


async def test_eval_endpoints_need_eval_mode_and_the_service_principal(settings: Settings) -> None:
    with LiveServer(settings) as plain, LiveServer(settings.model_copy(update={"eval_mode": True})) as evaluating:
        secret = await _service_client(settings)
        async with evaluating.client() as client:
            signed = await client.post("/api/v1/auth/client-token", json={"client_id": "evals", "client_secret": secret})
            service = {"Authorization": f"Bearer {signed.json()['access_token']}"}
            assert (await client.post(f"{plain.url}/api/v1/evals/reset", headers=service, json={})).status_code == 404
            customer = {AS: "customer:c1"}
            refused = await client.post(f"{evaluating.url}/api/v1/evals/reset", headers=customer, json={})
            assert refused.status_code == 403
            state = (await client.get(f"{evaluating.url}/api/v1/evals/state", headers=service)).json()
            assert state["orders"] == [] and len(state["stock"]) > 30
