"""Money benchmark: what paying in COFFEE costs next to paying from stored value, and next to the chain's own floor.

All in one process on one platform (SQLite in a temp dir, the embedded EVM), measured in alternating rounds
and reported as ratios to baselines from the same run; nothing is asserted.

A) `pay_order` from stored value (baseline: ledger only) vs `pay_order` in COFFEE from a custodial account
   (approve + escrow.pay, each signed and mined, then the receipt verified). Orders are created untimed.
B) The chain's floor: one bare COFFEE `transferRef` signed, mined and awaited on the same chain, so the COFFEE
   payment's cost can be read as "N chain transactions plus the platform's overhead".

Run `.venv/bin/python -m bench.money [--rounds R] [--batch B]`; JSON in bench/results/money-*.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from contracts import coffee
from contracts.chain import WEI_PER_COFFEE
from gocoffee.bootstrap import Platform, build_platform, running
from gocoffee.settings import Settings
from tests.tools.money_helpers import give_points, on_chain
from tools.principal import Principal, Role

RESULTS = Path(__file__).resolve().parent / "results"
ORDER = {"location_id": "downtown", "lines": [{"item_id": "americano", "size": "small"}]}
BUYER = Principal(role=Role.CUSTOMER, id="bench-buyer")
STAFF = Principal(role=Role.STAFF, id="bench-till", location_id="downtown")
MANAGER = Principal(role=Role.MANAGER, id="bench-manager")


async def _fund(platform: Platform, orders: int) -> None:
    gw = platform.gateway
    await gw.call("adjust_stock", {"location_id": "downtown", "ingredient_id": "espresso_beans", "delta": 1_000_000,
                                   "reason": "bench"}, principal=MANAGER)
    for n in range(orders // 100 + 1):
        await gw.call("top_up_wallet", {"customer_id": BUYER.id, "amount_cents": 50_000}, principal=STAFF,
                      idempotency_key=f"bench-topup-{n}")
    await give_points(platform, BUYER.id, 100 * orders * 5)
    await gw.call("redeem_points", {"points": 100 * orders * 5}, principal=BUYER, idempotency_key="bench-redeem")


def _payer(platform: Platform, method: str) -> Callable[[], Awaitable[None]]:
    async def pay() -> None:
        order = await platform.gateway.call("create_order", ORDER, principal=BUYER, idempotency_key=uuid.uuid4().hex)
        started = time.perf_counter()
        await platform.gateway.call("pay_order", {"order_id": order.order_id, "method": method},  # type: ignore[attr-defined]
                                    principal=BUYER, idempotency_key=uuid.uuid4().hex)
        pay.elapsed = time.perf_counter() - started  # type: ignore[attr-defined]
    return pay


def _floor(platform: Platform) -> Callable[[], Awaitable[None]]:
    async def transfer() -> None:
        started = time.perf_counter()
        await on_chain(platform, lambda chain: coffee.transfer_once(
            chain, chain.operator, chain.deployment.escrow, WEI_PER_COFFEE // 100,  # type: ignore[union-attr]
            coffee.ref_of("bench", uuid.uuid4().hex)))
        transfer.elapsed = time.perf_counter() - started  # type: ignore[attr-defined]
    return transfer


async def measure(rounds: int, batch: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), kitchen=False, chain=True, chain_block_seconds=0)
        platform = build_platform(settings)
        async with running(platform):
            await _fund(platform, rounds * batch)
            await on_chain(platform, lambda chain: coffee.reward(chain, chain.operator.address, WEI_PER_COFFEE,
                                                                 coffee.ref_of("bench-float")))
            paths = {"stored_value": _payer(platform, "stored_value"), "coffee": _payer(platform, "coffee"),
                     "chain_transfer": _floor(platform)}
            samples: dict[str, list[float]] = {name: [] for name in paths}
            for _ in range(rounds):
                for name, step in paths.items():
                    for _ in range(batch):
                        await step()
                        samples[name].append(step.elapsed * 1000)  # type: ignore[attr-defined]
            return samples


def report(samples: dict[str, list[float]], args: argparse.Namespace) -> dict[str, object]:
    med = {name: statistics.median(values) for name, values in samples.items()}
    print(f"money bench: {args.rounds} rounds x {args.batch} payments per path (median ms)")
    for name, value in med.items():
        print(f"  {name:15s} {value:8.2f} ms")
    print(f"  coffee / stored value: {med['coffee'] / med['stored_value']:.1f}x; "
          f"coffee / one chain transfer: {med['coffee'] / med['chain_transfer']:.2f}x")
    return {"median_ms": med, "coffee_over_stored_value": med["coffee"] / med["stored_value"],
            "coffee_over_chain_transfer": med["coffee"] / med["chain_transfer"], "rounds": args.rounds,
            "batch": args.batch}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=10)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    result = report(asyncio.run(measure(args.rounds, args.batch)), args)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"money-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"  -> {out}")


if __name__ == "__main__":
    main()
