"""The `gocoffee` command: a mistake is one clear line on stderr and exit status 2, never a traceback; an operator's
account for staff signs in."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gocoffee.settings import Settings
from tests.live import app_client

GOCOFFEE = str(Path(sys.executable).parent / "gocoffee")


@pytest.mark.slow
@pytest.mark.parametrize(("args", "says"), [
    (["chat", "--as", "bogus"], "principal must look like role:id"),
    (["eval", "run", "--suite", "nope"], "no suite 'nope'; there are: dao,"),
    (["approvals", "decide", "apr-nothing-here", "approve", "--as", "manager:m1"], "no approval apr-nothing-here"),
    (["approvals", "decide", "apr-nothing-here", "edit", "--arguments", "{oops", "--as", "manager:m1"],
     "cannot decide that way"),
    (["serve", "--host", "0.0.0.0"], "refusing to serve on 0.0.0.0 with the development identity header on"),
])
def test_a_mistake_is_one_line_and_status_2(tmp_path: Path, args: list[str], says: str) -> None:
    env = {"GOCOFFEE_DATA_DIR": str(tmp_path), "GOCOFFEE_CHAIN": "false", "PATH": "/usr/bin:/bin",
           "GOCOFFEE_DEV_AUTH": "true"}
    done = subprocess.run([GOCOFFEE, *args], capture_output=True, text=True, timeout=120, env=env, check=False,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"gocoffee: {says}") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr and "╭" not in done.stderr


@pytest.mark.slow
def test_an_operator_creates_a_staff_account_that_signs_in(tmp_path: Path) -> None:
    env = {"GOCOFFEE_DATA_DIR": str(tmp_path), "GOCOFFEE_CHAIN": "false", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([GOCOFFEE, "users", "create", "ben@gocoffee.example", "--role", "staff", "--id", "ben",
                           "--location", "downtown"], capture_output=True, text=True, timeout=120, env=env,
                          check=False, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    said = re.fullmatch(r"staff:ben@downtown <ben@gocoffee\.example>: one-time password (\S+)\n", done.stdout)
    assert said, done.stdout
    settings = Settings(data_dir=tmp_path, chain=False, kitchen=False)

    async def sign_in() -> dict[str, object]:
        async with app_client(settings) as client:
            reply = await client.post("/api/v1/auth/token", json={"email": "ben@gocoffee.example",
                                                                   "password": said[1]})
            return {"status": reply.status_code, **reply.json()}

    signed = asyncio.run(sign_in())
    assert signed["status"] == 200 and signed["principal"] == "staff:ben@downtown"


@pytest.mark.slow
def test_an_operator_s_token_works_on_the_server_as_whom_it_names(tmp_path: Path) -> None:
    env = {"GOCOFFEE_DATA_DIR": str(tmp_path), "GOCOFFEE_CHAIN": "false", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([GOCOFFEE, "token", "--as", "staff:s1@downtown", "--header"], capture_output=True,
                          text=True, timeout=120, env=env, check=False, stdin=subprocess.DEVNULL)
    assert done.returncode == 0 and done.stdout.startswith("Authorization: Bearer "), done.stderr
    name, _, value = done.stdout.strip().partition(": ")
    settings = Settings(data_dir=tmp_path, chain=False, kitchen=False)

    async def use() -> tuple[int, int]:
        async with app_client(settings) as client:
            mine = await client.get("/api/v1/kitchen/downtown/queue", headers={name: value})
            theirs = await client.get("/api/v1/kitchen/harbor/queue", headers={name: value})
            return mine.status_code, theirs.status_code

    assert asyncio.run(use()) == (200, 403)
