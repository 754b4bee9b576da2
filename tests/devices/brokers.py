"""Brokers for device tests: the system Mosquitto, a private restartable Mosquitto (devices.mosquitto), and amqtt
in-process.

Other test directories can use the `broker_url` fixture by importing it into their conftest:
`from tests.devices.brokers import broker_url  # noqa: F401`.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest

from devices.broker import embedded_broker
from devices.mosquitto import PrivateMosquitto

__all__ = ["BROKERS", "PrivateMosquitto", "broker_url", "system_mosquitto_url"]

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
