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
from contracts.chain import WEI_PER_COFFEE, Chain
from gocoffee.bootstrap import Platform, build_platform, running
from gocoffee.settings import Settings
from tools.orders.models import OrderView
from tools.principal import Principal, Role
from tools.wallet.ledger import LOYALTY, Move, post
from tools.wallet.ledger import points as points_account

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
    async with platform.db.writer() as session, session.begin():  # points as if earned by earlier visits
        await post(session, "points_earned", platform.runtime.clock(), [
            Move(points_account(BUYER.id), "points", 500 * orders), Move(LOYALTY, "points", -500 * orders)],
            memo="bench")
    await gw.call("redeem_points", {"points": 100 * orders * 5}, principal=BUYER, idempotency_key="bench-redeem")


Step = Callable[[], Awaitable[float]]
"""One measured operation; it returns the seconds its timed part took."""


def _payer(platform: Platform, method: str) -> Step:
    async def pay() -> float:
        order = await platform.gateway.call("create_order", ORDER, principal=BUYER, idempotency_key=uuid.uuid4().hex)
        assert isinstance(order, OrderView)
        started = time.perf_counter()
        await platform.gateway.call("pay_order", {"order_id": order.order_id, "method": method},
                                    principal=BUYER, idempotency_key=uuid.uuid4().hex)
        return time.perf_counter() - started
    return pay


def _floor(platform: Platform) -> Step:
    def send(chain: Chain) -> None:
        assert chain.deployment is not None
        coffee.transfer_once(chain, chain.operator, chain.deployment.escrow, WEI_PER_COFFEE // 100,
                             coffee.ref_of("bench", uuid.uuid4().hex))

    async def transfer() -> float:
        started = time.perf_counter()
        await platform.runtime.services.need_chain().run(send)
        return time.perf_counter() - started
    return transfer


async def measure(rounds: int, batch: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), kitchen=False, chain=True, chain_block_seconds=0)
        platform = build_platform(settings)
        async with running(platform):
            await _fund(platform, rounds * batch)
            await platform.runtime.services.need_chain().run(
                lambda chain: coffee.reward(chain, chain.operator.address, WEI_PER_COFFEE, coffee.ref_of("bench-float")))
            paths = {"stored_value": _payer(platform, "stored_value"), "coffee": _payer(platform, "coffee"),
                     "chain_transfer": _floor(platform)}
            samples: dict[str, list[float]] = {name: [] for name in paths}
            for _ in range(rounds):
                for name, step in paths.items():
                    for _ in range(batch):
                        samples[name].append(await step() * 1000)
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
