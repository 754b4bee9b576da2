"""Brokers for device tests: the system Mosquitto, a private restartable Mosquitto (devices.mosquitto), and amqtt
in-process.

Other test directories can use the `broker_url` fixture by importing it into their conftest:
`from tests.devices.brokers import broker_url  # noqa: F401`.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from devices.broker import embedded_broker
from devices.mosquitto import PrivateMosquitto

__all__ = ["BROKERS", "PrivateAmqtt", "PrivateMosquitto", "broker_url", "restartable", "system_mosquitto_url"]

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


class PrivateAmqtt(PrivateMosquitto):
    """The embedded broker in a process of its own, killed to stop (all its state is lost, as in a crash) and
    started again on the same port; killing it, unlike an in-process shutdown, leaves no half-closed connection."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.stop_signal = signal.SIGKILL

    def command(self) -> list[str]:
        return [sys.executable, "-m", "devices.broker", "--host", self.host, "--port", str(self.port)]


@asynccontextmanager
async def restartable(kind: str, tmp_path: Path) -> AsyncIterator[tuple[str, Callable[[], Awaitable[None]],
                                                                         Callable[[], Awaitable[None]]]]:
    """A broker of `kind` with (url, stop, start)."""
    with (PrivateMosquitto if kind == "mosquitto" else PrivateAmqtt)(tmp_path) as broker:
        yield broker.url, _sync(broker.stop), _sync(broker.start)


def _sync(fn: Callable[[], None]) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        fn()
    return run
