"""Brokers for device tests: the system Mosquitto, a private restartable Mosquitto (devices.mosquitto), and amqtt
in-process.

Other test directories can use the `broker_url` fixture by importing it into their conftest:
`from tests.devices.brokers import broker_url  # noqa: F401`.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest

from devices.broker import embedded_broker
from devices.mosquitto import PrivateMosquitto, free_port

__all__ = ["BROKERS", "PrivateMosquitto", "RestartableAmqtt", "broker_url", "restartable", "system_mosquitto_url"]

BROKERS = ["mosquitto", "amqtt"]


def system_mosquitto_url() -> str:
    return os.environ.get("GOCOFFEE_TEST_MQTT_URL", "mqtt://127.0.0.1:1883")


@pytest.fixture(params=BROKERS)
async def broker_url(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """A broker to test against: the system Mosquitto, or an amqtt broker started in-process for the test."""
    if request.param == "mosquitto":
        yield system_mosquitto_url()
        return
    async with embedded_broker() as url:
        yield url


class RestartableAmqtt:
    """The embedded broker, stopped and started again on the same port (all its state is lost, as in a crash)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"mqtt://127.0.0.1:{self.port}"
        self._running: AbstractAsyncContextManager[str] | None = None

    async def start(self) -> None:
        self._running = embedded_broker(port=self.port)
        await self._running.__aenter__()

    async def stop(self) -> None:
        if self._running is not None:
            await self._running.__aexit__(None, None, None)
            self._running = None


@asynccontextmanager
async def restartable(kind: str, tmp_path: Path) -> AsyncIterator[tuple[str, Callable[[], Awaitable[None]],
                                                                         Callable[[], Awaitable[None]]]]:
    """A broker of `kind` with (url, stop, start)."""
    if kind == "mosquitto":
        with PrivateMosquitto(tmp_path) as broker:
            yield broker.url, _sync(broker.stop), _sync(broker.start)
        return
    broker = RestartableAmqtt()
    await broker.start()
    try:
        yield broker.url, broker.stop, broker.start
    finally:
        await broker.stop()


def _sync(fn: Callable[[], None]) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        fn()
    return run
