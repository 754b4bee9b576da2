"""An MQTT broker inside this process (amqtt): the default when no broker is configured, and a second broker for tests.

It binds a free port (never 1883, where Mosquitto usually listens), allows anonymous clients, keeps retained messages
and fires last wills, all in memory: nothing survives `embedded_broker()`'s exit. MQTT 3.1.1 only.

A quirk of amqtt 0.12: a client that connects is sent, at QoS 0 and before it subscribes to anything, every retained
message matching any filter subscribed on the broker (by anyone, including clients gone for less than a second). So
a client must check the topic of what it receives, and may get a retained message twice (QoS 0, then QoS 1).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from amqtt.broker import Broker

QUIET_LOGGERS = ("amqtt", "transitions")
SHUTDOWN_S = 5.0
logger = logging.getLogger(__name__)


def broker_config(host: str, port: int = 0) -> dict[str, Any]:
    """amqtt's config: one TCP listener, anonymous clients, no topic checks, no $SYS topics."""
    return {
        "listeners": {"default": {"type": "tcp", "bind": f"{host}:{port}"}},
        "plugins": {"amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True}},
    }


@asynccontextmanager
async def embedded_broker(host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """Run an amqtt broker on `host` (port 0: a free one) while the block runs; yields its `mqtt://host:port` URL."""
    for name in QUIET_LOGGERS:
        if logging.getLogger(name).level == logging.NOTSET:  # leave a level someone chose alone
            logging.getLogger(name).setLevel(logging.WARNING)
    broker = Broker(broker_config(host, port))
    await broker.start()
    try:
        yield f"mqtt://{host}:{bound_port(broker)}"
    finally:
        await _shut_down(broker)


async def _shut_down(broker: Broker) -> None:
    # Bounded: on CPython 3.11 `asyncio.wait_for` can swallow the cancellation of a handler's reader loop, and
    # amqtt's shutdown then waits for that reader forever (seen once in ~10 runs of a broker restart under clients).
    try:
        await asyncio.wait_for(broker.shutdown(), SHUTDOWN_S)
    except TimeoutError:
        logger.warning("the embedded broker did not shut down within %.0f s; leaving its last connections", SHUTDOWN_S)


def bound_port(broker: Broker) -> int:
    # amqtt has no public way to read back the port it bound for port 0; pinned to 0.12 in pyproject.toml.
    return broker._servers["default"].instance.sockets[0].getsockname()[1]


async def serve(host: str, port: int) -> None:
    """Run an embedded broker until the process is stopped."""
    async with embedded_broker(host, port) as url:
        print(url, flush=True)
        await asyncio.Event().wait()


if __name__ == "__main__":  # a broker in a process of its own: `python -m devices.broker --port 18830`
    parser = argparse.ArgumentParser(description="Run the embedded amqtt broker on its own.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    arguments = parser.parse_args()
    asyncio.run(serve(arguments.host, arguments.port))
