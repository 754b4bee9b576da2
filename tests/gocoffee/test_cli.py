"""The `gocoffee` command: a mistake is one clear line on stderr and exit status 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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
    env = {"GOCOFFEE_DATA_DIR": str(tmp_path), "GOCOFFEE_CHAIN": "false", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([GOCOFFEE, *args], capture_output=True, text=True, timeout=120, env=env, check=False,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"gocoffee: {says}") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr and "╭" not in done.stderr
