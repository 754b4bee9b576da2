"""Schemathesis over the whole OpenAPI document, signed in as each role (a real access token): no server errors, and no response the document
does not describe (status, content type, headers, body schema). It runs the `schemathesis` command itself
against a live server on a real seeded SQLite store with the embedded chain, with bounded examples and a fixed
seed, so the run is quick and repeatable."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from channels.rest.throttle import LIMITS
from gocoffee.settings import Settings
from tests import stores
from tests.identities import bearer
from tests.live import LiveServer

CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,"
          "response_schema_conformance")
ENDLESS = r"/(kitchen/\{location_id\}|notifications|orders/\{order_id\})/events$"
"""Live feeds do not end by design; their replies are covered in test_kitchen_feed, test_notifications_feed and
test_web (an order's progress)."""


@pytest.fixture(scope="module")
def server(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data = tmp_path_factory.mktemp("conformance")
    unlimited = {rule: "100000/minute" for rule in LIMITS}  # coverage, not throttling
    settings = Settings(data_dir=data, database_url=stores.sqlite_clone(sqlite_template, data), kitchen=False,
                        chain=True, chain_block_seconds=0, rate_limits=unlimited)
    with LiveServer(settings) as live:
        yield live


def _signed_in(server: LiveServer, who: str) -> list[str]:
    """The header schemathesis sends: the role's own access token from a real sign-in (a guest sends none)."""
    async def sign_in() -> dict[str, str]:
        async with server.client() as client:
            return await bearer(client, None, who)
    return [part for name, value in asyncio.run(sign_in()).items() for part in ("-H", f"{name}: {value}")]


COVERAGE = "examples,coverage,fuzzing"
"""The coverage phase (every boundary and wrong type of every field) takes about 400 s a role here, almost all of
it the client generating cases: the manager, who reaches every operation, runs it; the other roles fuzz (≈40 s).
The AG-UI endpoint's input is the protocol's own deeply nested schema (a quarter of the coverage cases): fuzzed by
every role, left out of the coverage phase."""
AG_UI = "/api/v1/chat/ag-ui"


@pytest.mark.slow
@pytest.mark.parametrize("who, phases", [("guest:anonymous", "examples,fuzzing"),
                                         ("customer:c7@campus", "examples,fuzzing"),
                                         ("staff:s1@downtown", "examples,fuzzing"), ("manager:m1", COVERAGE)])
def test_every_reply_is_what_the_document_says(server: LiveServer, who: str, phases: str, tmp_path: Path) -> None:
    command = [str(Path(sys.executable).parent / "schemathesis"), "run", f"{server.url}/openapi.json",
               *_signed_in(server, who), "--checks", CHECKS, "--max-examples", "5", "--seed", "7",
               "--phases", phases, "--exclude-path-regex", ENDLESS, "--workers", "1",
               "--no-color", "--report-dir", str(tmp_path)]
    if "coverage" in phases:
        command += ["--exclude-path", AG_UI]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path)
    summary = run.stdout[run.stdout.rfind("SUMMARY"):]
    assert run.returncode == 0, run.stdout[-6000:]
    assert "generated" in summary and " passed" in summary, summary
