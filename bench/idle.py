"""Idle benchmark: how much CPU a started server uses when nobody is ordering.

Each configuration runs `gocoffee serve` in its own subprocess on a fresh store; after start-up has settled,
the server's CPU time is read over a quiet window and reported as a share of one core, and as a ratio to the
same server with the kitchen off (measured in the same run). Nothing is asserted.

Run `.venv/bin/python -m bench.idle [--window S] [--settle S]`; JSON in bench/results/idle-*.json.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.core import cpu_seconds, wait_healthy

RESULTS = Path(__file__).resolve().parent / "results"
CONFIGS = {
    "kitchen off (baseline)": {"GOCOFFEE_KITCHEN": "false"},
    "defaults": {},
    "no simulated machines": {"GOCOFFEE_SIMULATE_MACHINES": "0"},
    "no machines, no chain": {"GOCOFFEE_SIMULATE_MACHINES": "0", "GOCOFFEE_CHAIN": "false"},
}
AIM = 1.0
"""Percent of a core, with the kitchen on and no simulated machines."""


def idle_share(extra: dict[str, str], settle: float, window: float) -> float:
    """Percent of one core the server used over `window` seconds, `settle` seconds after it answered."""
    with tempfile.TemporaryDirectory(prefix="gocoffee-idle-") as tmp, socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
        sock.close()
        env = {**os.environ, "GOCOFFEE_DATA_DIR": tmp, "GOCOFFEE_PORT": str(port), **extra}
        log = Path(tmp) / "server.log"
        gocoffee = str(Path(sys.executable).parent / "gocoffee")
        with log.open("wb") as sink:
            proc = subprocess.Popen([gocoffee, "serve"], env=env, stdout=sink, stderr=subprocess.STDOUT)
        try:
            wait_healthy(f"http://127.0.0.1:{port}", proc, log, timeout=120)
            time.sleep(settle)
            cpu, started = cpu_seconds(proc.pid), time.monotonic()
            time.sleep(window)
            return 100 * (cpu_seconds(proc.pid) - cpu) / (time.monotonic() - started)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--window", type=float, default=25.0, help="seconds measured per configuration")
    p.add_argument("--settle", type=float, default=5.0, help="seconds after start-up before measuring")
    args = p.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    shares = {name: idle_share(extra, args.settle, args.window) for name, extra in CONFIGS.items()}
    base = shares["kitchen off (baseline)"]
    print(f"\nIdle server CPU over {args.window:g} s ({args.settle:g} s after start-up):")
    for name, share in shares.items():
        print(f"  {name:<24}{share:>7.2f} % of a core   {share / base if base else float('nan'):>6.1f}x baseline")
    print(f"  aim: < {AIM} % with the kitchen on and no simulated machines")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"idle-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"args": vars(args), "percent_of_a_core": shares, "aim_percent": AIM}, indent=2) + "\n")
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
