"""Core benchmark: HTTP order placement vs a bare FastAPI endpoint, and in-process MCP tool-call overhead.

Each pair is measured in ONE run and reported as a ratio to a baseline from the same run; nothing asserted.

A) `POST /api/v1/orders` of the real app (SQLite in a temp dir, migrated and seeded by its lifespan, beans
   restocked) vs `POST /hello` of a bare FastAPI app, each under uvicorn (one worker) in its own subprocess,
   loaded by httpx with keep-alive and fixed concurrency; measured chunks alternate between the servers.
   Server and client CPU per request are reported: if the client's is near 1 / (req/s) the hello baseline
   is client-bound, the throughput ratio flatters the order path, and the server-CPU ratio is the better
   estimate. Aim: order placement >= 0.25x hello throughput on SQLite.
B) `get_menu_item` via `tools.invoke.invoke` (direct) vs `platform.gateway.call` (in-memory MCP) vs a raw
   `mcp.Client` on the menu server (reference), rotating batches, same store.
   Aim: in-process MCP overhead (gateway - direct) <= 0.5 ms median per call.

Run `.venv/bin/python -m bench.core [--requests N] [--concurrency C]`; JSON in bench/results/core-*.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import httpx

RESULTS = Path(__file__).resolve().parent / "results"
ORDER_BODY = {"location_id": "downtown", "lines": [{"item_id": "americano", "size": "small"}]}
# AdjustStock caps delta at 1,000,000 g: ~70k small americanos (14 g each) on top of the seeded 20 kg.
RESTOCK = {"location_id": "downtown", "ingredient_id": "espresso_beans", "delta": 1_000_000, "reason": "bench"}
AIM_ORDER_RATIO, AIM_MCP_OVERHEAD_MS = 0.25, 0.5
PATHS = ("direct", "gateway", "raw_client")


# --- servers (each in its own subprocess) ----------------------------------------------------------------

def hello_app() -> Any:
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    return app


def serve(kind: str, port: int, data_dir: str) -> None:
    """Subprocess entry: run one app under uvicorn until terminated."""
    import uvicorn

    if kind == "order":
        from gocoffee.app import create_app
        from gocoffee.settings import Settings
        # a loopback development server: the load is order placement, not sign-in, and one address sends it all
        unlimited = {"changes_principal": "1000000/minute", "changes_address": "1000000/minute"}
        app = create_app(Settings(data_dir=Path(data_dir), dev_auth=True, rate_limits=unlimited))
    else:
        app = hello_app()
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, workers=1)


def wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url}/healthz not ready after {timeout}s:\n{log.read_text()[-2000:]}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of another process (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


@contextmanager
def server(kind: str, data_dir: str) -> Iterator[tuple[str, int]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port, log = int(sock.getsockname()[1]), Path(data_dir) / f"{kind}-server.log"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--serve", kind, "--port", str(port), "--data-dir", data_dir]
    with log.open("wb") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, log)
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- A: HTTP load ----------------------------------------------------------------------------------------

@dataclass
class Load:
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    client_cpu: float = 0.0
    server_cpu: float = 0.0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        lat, n = sorted(self.latencies), len(self.latencies)
        return {"requests": n, "seconds": self.seconds, "rps": n / self.seconds,
                "median_ms": statistics.median(lat) * 1e3, "p99_ms": lat[min(n - 1, int(n * 0.99))] * 1e3,
                "server_cpu_ms_per_req": self.server_cpu / n * 1e3,
                "client_cpu_ms_per_req": self.client_cpu / n * 1e3, "failed": len(self.errors),
                "first_error": self.errors[0] if self.errors else None}


async def burst(client: httpx.AsyncClient, path: str, count: int, concurrency: int, into: Load, pid: int
                ) -> None:
    """POST `count` order-shaped requests, `concurrency` in flight; failed = non-2xx or transport error."""
    remaining = iter(range(count))

    async def worker(n: int) -> None:
        principal = {"X-GoCoffee-Principal": f"customer:bench-{n}"}
        for _ in remaining:
            started = time.perf_counter()
            try:
                resp = await client.post(path, json=ORDER_BODY,
                                         headers={**principal, "Idempotency-Key": uuid.uuid4().hex})
                if not resp.is_success:
                    into.errors.append(f"{resp.status_code} {resp.text[:500]}")
            except httpx.HTTPError as exc:  # e.g. a read timeout: count it, keep the run going
                into.errors.append(f"{type(exc).__name__}: {exc}")
            into.latencies.append(time.perf_counter() - started)

    cpu, server_cpu, started = time.process_time(), cpu_seconds(pid), time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    into.seconds += time.perf_counter() - started
    into.client_cpu += time.process_time() - cpu
    into.server_cpu += cpu_seconds(pid) - server_cpu


def restock(url: str) -> None:
    resp = httpx.post(f"{url}/api/v1/stock/adjustments", json=RESTOCK,
                      headers={"X-GoCoffee-Principal": "manager:m1"}, timeout=10.0)
    if resp.status_code != 200:
        raise RuntimeError(f"restock failed: {resp.status_code} {resp.text}")


async def alternate(targets: dict[str, tuple[str, int, str]], args: argparse.Namespace) -> dict[str, Load]:
    """Warm up each server, then alternate measured chunks between them (ABBA order)."""
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    clients = {k: httpx.AsyncClient(base_url=url, limits=limits, timeout=60.0) for k, (url, _, _) in targets.items()}
    loads, chunk = {k: Load() for k in targets}, max(1, args.requests // args.chunks)
    try:
        for k, (_, pid, path) in targets.items():
            await burst(clients[k], path, args.warmup, args.concurrency, Load(), pid)
        for i in range(args.chunks):
            count = chunk if i < args.chunks - 1 else args.requests - chunk * (args.chunks - 1)
            for k in (list(targets) if i % 2 == 0 else list(reversed(targets))):
                _, pid, path = targets[k]
                await burst(clients[k], path, count, args.concurrency, loads[k], pid)
    finally:
        for c in clients.values():
            await c.aclose()
    return loads


def bench_http(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    with (tempfile.TemporaryDirectory(prefix="gocoffee-bench-") as tmp,
          server("hello", tmp) as hello, server("order", tmp) as order):
        restock(order[0])
        targets = {"hello": (*hello, "/hello"), "order": (*order, "/api/v1/orders")}
        return {k: v.summary() for k, v in asyncio.run(alternate(targets, args)).items()}


# --- B: in-process MCP overhead ------------------------------------------------------------------------

async def timed_batch(fn: Callable[[], Awaitable[None]], n: int, into: list[float]) -> None:
    for _ in range(n):
        started = time.perf_counter()
        await fn()
        into.append(time.perf_counter() - started)


async def bench_mcp(rounds: int, batch: int) -> dict[str, list[float]]:
    from mcp import Client
    from mcp_types import RequestParamsMeta

    from gocoffee.bootstrap import build_platform, running
    from gocoffee.settings import Settings
    from tools.invoke import invoke
    from tools.principal import Principal, Role

    samples: dict[str, list[float]] = {name: [] for name in PATHS}
    with tempfile.TemporaryDirectory(prefix="gocoffee-bench-") as tmp:
        platform = build_platform(Settings(data_dir=Path(tmp)))
        logging.getLogger("alembic").setLevel(logging.WARNING)  # MCPServer() sets the root logger to INFO
        async with running(platform), Client(platform.servers["menu"]) as raw:
            principal = Principal(role=Role.CUSTOMER, id="c1")
            cap = platform.registry.get("get_menu_item")

            async def direct() -> None:
                await invoke(platform.runtime, cap, cap.input_model(item_id="latte"), principal)

            async def gateway() -> None:
                await platform.gateway.call("get_menu_item", {"item_id": "latte"}, principal=principal)

            async def raw_client() -> None:
                result = await raw.call_tool("get_menu_item", {"item_id": "latte"},
                                             meta=cast(RequestParamsMeta, {"gocoffee/principal": "customer:c1"}))
                if result.is_error:
                    raise RuntimeError(f"raw MCP call failed: {result.content}")

            calls = dict(zip(PATHS, (direct, gateway, raw_client)))
            for fn in calls.values():  # warm-up, discarded
                await timed_batch(fn, batch, [])
            for r in range(rounds):  # rotate which path goes first to spread drift evenly
                for name in PATHS[r % 3:] + PATHS[:r % 3]:
                    await timed_batch(calls[name], batch, samples[name])
    return samples


# --- report --------------------------------------------------------------------------------------------

def report(http: dict[str, dict[str, Any]], mcp: dict[str, list[float]], args: argparse.Namespace
           ) -> dict[str, Any]:
    ratio = http["order"]["rps"] / http["hello"]["rps"]
    med = {k: statistics.median(v) * 1e3 for k, v in mcp.items()}
    overhead, raw_overhead = med["gateway"] - med["direct"], med["raw_client"] - med["direct"]
    print(f"\nA) HTTP: {args.requests} requests each, {args.concurrency} in flight, {args.warmup} warm-up, "
          f"{args.chunks} alternating chunks")
    print(f"  {'endpoint':<21}{'req/s':>7}{'median ms':>11}{'p99 ms':>9}{'failed':>8}"
          f"{'server cpu ms/req':>19}{'client cpu ms/req':>19}")
    for name, key in (("POST /hello", "hello"), ("POST /api/v1/orders", "order")):
        r = http[key]
        print(f"  {name:<21}{r['rps']:>7.0f}{r['median_ms']:>11.2f}{r['p99_ms']:>9.2f}{r['failed']:>8}"
              f"{r['server_cpu_ms_per_req']:>19.2f}{r['client_cpu_ms_per_req']:>19.2f}")
        if r["first_error"]:
            print(f"    first error: {r['first_error']}")
    cpu_ratio = http["hello"]["server_cpu_ms_per_req"] / http["order"]["server_cpu_ms_per_req"]
    print(f"  order/hello throughput: {ratio:.3f}x  (aim >= {AIM_ORDER_RATIO}x); "
          f"by server CPU per request: {cpu_ratio:.3f}x")
    print(f"\nB) get_menu_item in-process: {args.rounds} rotating batches of {args.batch} calls per path")
    print(f"  {'path':<22}{'median ms':>11}{'vs direct':>11}")
    for name in PATHS:
        print(f"  {name:<22}{med[name]:>11.3f}{med[name] / med['direct']:>10.2f}x")
    print(f"  MCP overhead (gateway - direct): {overhead:.3f} ms  (aim <= {AIM_MCP_OVERHEAD_MS} ms); "
          f"raw client - direct: {raw_overhead:.3f} ms")
    return {"timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "args": vars(args), "load_avg": os.getloadavg(),
            "http": http, "http_order_hello_ratio": ratio, "http_order_hello_server_cpu_ratio": cpu_ratio,
            "mcp_median_ms": med, "mcp_overhead_ms": overhead, "mcp_raw_overhead_ms": raw_overhead,
            "mcp_ratio": med["gateway"] / med["direct"],
            "aims": {"order_hello_ratio_min": AIM_ORDER_RATIO, "mcp_overhead_ms_max": AIM_MCP_OVERHEAD_MS}}


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Go Coffee core benchmark (see module docstring).")
    for flag, default, text in (
        ("--requests", 2000, "measured HTTP requests per endpoint"), ("--concurrency", 16, "HTTP requests in flight"),
        ("--warmup", 200, "HTTP warm-up requests per endpoint"), ("--chunks", 4, "alternating HTTP chunks"),
        ("--rounds", 20, "rotating MCP batches per path"), ("--batch", 100, "calls per MCP batch"),
    ):
        p.add_argument(flag, type=int, default=default, help=text)
    p.add_argument("--serve", choices=["order", "hello"], help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, help=argparse.SUPPRESS)
    p.add_argument("--data-dir", help=argparse.SUPPRESS)
    return p.parse_args()


def main() -> None:
    args = parse_args()
    if args.serve:
        return serve(args.serve, args.port, args.data_dir)
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    figures = report(bench_http(args), asyncio.run(bench_mcp(args.rounds, args.batch)), args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"core-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
