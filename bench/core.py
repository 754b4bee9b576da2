"""Core benchmark: HTTP order placement vs a bare FastAPI endpoint, and in-process MCP overhead.

Both pairs are measured in ONE run and reported as ratios against a baseline from that same run, so the
figures say something on any machine. Nothing is asserted; the aims below are printed beside the results.

A) HTTP throughput. `POST /api/v1/orders` of the real app (SQLite in a temp dir, migrated and seeded by
   the lifespan) vs `POST /hello` of a bare FastAPI app. Each server runs in its own subprocess (uvicorn,
   one worker, log level warning) so the httpx load generator does not share its GIL.
   Aim: order placement >= 0.25x hello throughput on SQLite.
B) In-process MCP tool-call overhead: `get_menu_item` called directly through `tools.invoke.invoke` vs
   through `platform.gateway.call` (in-memory MCP session) vs a raw `mcp.Client` on the menu server,
   in interleaved batches on the same store. Aim: MCP overhead <= 0.5 ms median per call.

Run: `.venv/bin/python -m bench.core [--requests N] [--concurrency C]`. Figures go to stdout and to
bench/results/core-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

RESULTS = Path(__file__).resolve().parent / "results"
ORDER_BODY = {"location_id": "downtown", "lines": [{"item_id": "americano", "size": "small"}]}
RESTOCK = {"location_id": "downtown", "ingredient_id": "espresso_beans", "delta": 1_000_000, "reason": "bench"}
AIM_ORDER_RATIO, AIM_MCP_OVERHEAD_MS = 0.25, 0.5


# --- servers -------------------------------------------------------------------------------------------

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
        from channels.rest.app import create_app
        from gocoffee.settings import Settings
        app = create_app(Settings(data_dir=Path(data_dir)))
    else:
        app = hello_app()
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, workers=1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url}/healthz not ready after {timeout}s")


@contextmanager
def server(kind: str, data_dir: str) -> Iterator[str]:
    port = free_port()
    cmd = [sys.executable, str(Path(__file__).resolve()), "--serve", kind, "--port", str(port), "--data-dir", data_dir]
    proc = subprocess.Popen(cmd)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- A: HTTP load ----------------------------------------------------------------------------------------

@dataclass
class LoadResult:
    requests: int
    seconds: float
    rps: float
    median_ms: float
    p99_ms: float
    errors: int
    first_error: str | None = None


async def load(url: str, path: str, total: int, concurrency: int) -> LoadResult:
    """POST `total` orders-shaped requests with `concurrency` in flight over keep-alive connections."""
    latencies: list[float] = []
    errors: list[str] = []
    remaining = iter(range(total))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(client: httpx.AsyncClient, n: int) -> None:
        headers = {"X-GoCoffee-Principal": f"customer:bench-{n}"}
        for _ in remaining:
            started = time.perf_counter()
            resp = await client.post(path, json=ORDER_BODY,
                                     headers={**headers, "Idempotency-Key": uuid.uuid4().hex})
            latencies.append(time.perf_counter() - started)
            if not resp.is_success:
                errors.append(f"{resp.status_code} {resp.text[:500]}")

    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30.0) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client, n) for n in range(concurrency)))
        seconds = time.perf_counter() - started
    latencies.sort()
    return LoadResult(total, seconds, total / seconds, statistics.median(latencies) * 1e3,
                      latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1e3,
                      len(errors), errors[0] if errors else None)


def restock(url: str) -> None:
    resp = httpx.post(f"{url}/api/v1/stock/adjustments", json=RESTOCK,
                      headers={"X-GoCoffee-Principal": "manager:m1"}, timeout=10.0)
    if resp.status_code != 200:
        raise RuntimeError(f"restock failed: {resp.status_code} {resp.text}")


def bench_http(requests: int, concurrency: int, warmup: int) -> dict[str, LoadResult]:
    out: dict[str, LoadResult] = {}
    with tempfile.TemporaryDirectory(prefix="gocoffee-bench-") as tmp:
        for kind, path in (("hello", "/hello"), ("order", "/api/v1/orders")):
            with server(kind, tmp) as url:
                if kind == "order":
                    restock(url)
                asyncio.run(load(url, path, warmup, concurrency))
                out[kind] = asyncio.run(load(url, path, requests, concurrency))
    return out


# --- B: in-process MCP overhead ------------------------------------------------------------------------

@dataclass
class CallTimes:
    samples: dict[str, list[float]] = field(default_factory=dict)

    def median_ms(self, name: str) -> float:
        return statistics.median(self.samples[name]) * 1e3


async def timed_batch(fn: Callable[[], Awaitable[None]], n: int, into: list[float]) -> None:
    for _ in range(n):
        started = time.perf_counter()
        await fn()
        into.append(time.perf_counter() - started)


async def bench_mcp(rounds: int, batch: int) -> CallTimes:
    from mcp import Client

    from gocoffee.bootstrap import build_platform, running
    from gocoffee.settings import Settings
    from tools.invoke import invoke
    from tools.principal import Principal, Role

    times = CallTimes({"direct": [], "gateway": [], "raw_client": []})
    with tempfile.TemporaryDirectory(prefix="gocoffee-bench-") as tmp:
        platform = build_platform(Settings(data_dir=Path(tmp)))
        async with running(platform), Client(platform.servers["menu"]) as raw:
            principal = Principal(role=Role.CUSTOMER, id="c1")
            cap = platform.registry.get("get_menu_item")

            async def direct() -> None:
                await invoke(platform.runtime, cap, cap.input_model(item_id="latte"), principal)

            async def gateway() -> None:
                await platform.gateway.call("get_menu_item", {"item_id": "latte"}, principal=principal)

            async def raw_client() -> None:
                result = await raw.call_tool("get_menu_item", {"item_id": "latte"},
                                             meta={"gocoffee/principal": "customer:c1"})
                if result.is_error:
                    raise RuntimeError(f"raw MCP call failed: {result.content}")

            calls = {"direct": direct, "gateway": gateway, "raw_client": raw_client}
            for name, fn in calls.items():  # warm-up, discarded
                await timed_batch(fn, batch, [])
            for r in range(rounds):  # rotate the order each round to spread drift evenly
                names = list(calls)[r % 3:] + list(calls)[:r % 3]
                for name in names:
                    await timed_batch(calls[name], batch, times.samples[name])
    return times


# --- report --------------------------------------------------------------------------------------------

def report(http: dict[str, LoadResult], mcp: CallTimes, args: argparse.Namespace) -> dict[str, Any]:
    hello, order = http["hello"], http["order"]
    ratio = order.rps / hello.rps
    med = {k: mcp.median_ms(k) for k in mcp.samples}
    overhead, raw_overhead = med["gateway"] - med["direct"], med["raw_client"] - med["direct"]
    print(f"\nA) HTTP, {args.requests} requests, {args.concurrency} in flight, after {args.warmup} warm-up")
    print(f"  {'endpoint':<22}{'req/s':>9}{'median ms':>11}{'p99 ms':>9}{'non-2xx':>9}")
    for name, r in (("POST /hello", hello), ("POST /api/v1/orders", order)):
        print(f"  {name:<22}{r.rps:>9.0f}{r.median_ms:>11.2f}{r.p99_ms:>9.2f}{r.errors:>9}")
        if r.first_error:
            print(f"    first error: {r.first_error}")
    print(f"  order/hello throughput ratio: {ratio:.3f}x  (aim >= {AIM_ORDER_RATIO}x)")
    n = len(mcp.samples["direct"])
    print(f"\nB) get_menu_item in-process, {n} calls each ({args.rounds} interleaved batches of {args.batch})")
    print(f"  {'path':<22}{'median ms':>11}{'vs direct':>11}")
    for name in ("direct", "gateway", "raw_client"):
        print(f"  {name:<22}{med[name]:>11.3f}{med[name] / med['direct']:>10.2f}x")
    print(f"  gateway overhead: {overhead:.3f} ms  (aim <= {AIM_MCP_OVERHEAD_MS} ms); "
          f"raw client overhead: {raw_overhead:.3f} ms")
    return {
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "args": vars(args),
        "http": {k: asdict(v) for k, v in http.items()}, "http_order_hello_ratio": ratio,
        "mcp_median_ms": med, "mcp_overhead_ms": overhead, "mcp_raw_overhead_ms": raw_overhead,
        "mcp_ratio": med["gateway"] / med["direct"],
        "aims": {"order_hello_ratio_min": AIM_ORDER_RATIO, "mcp_overhead_ms_max": AIM_MCP_OVERHEAD_MS},
    }


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--requests", type=int, default=2000, help="measured HTTP requests per endpoint")
    p.add_argument("--concurrency", type=int, default=16, help="HTTP requests in flight")
    p.add_argument("--warmup", type=int, default=200, help="HTTP warm-up requests per endpoint")
    p.add_argument("--rounds", type=int, default=20, help="interleaved MCP batches per path")
    p.add_argument("--batch", type=int, default=100, help="calls per MCP batch")
    p.add_argument("--serve", choices=["order", "hello"], help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, help=argparse.SUPPRESS)
    p.add_argument("--data-dir", help=argparse.SUPPRESS)
    return p.parse_args()


def main() -> None:
    args = parse_args()
    if args.serve:
        return serve(args.serve, args.port, args.data_dir)
    http = bench_http(args.requests, args.concurrency, args.warmup)
    mcp = asyncio.run(bench_mcp(args.rounds, args.batch))
    figures = report(http, mcp, args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"core-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
