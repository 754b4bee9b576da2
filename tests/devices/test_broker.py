"""The brokers themselves: what the protocol relies on (retained state, last wills at QoS 1) holds on both."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from uuid import uuid4

import aiomqtt
import anyio
import paho.mqtt.client as mqtt
import pytest

from devices.broker import embedded_broker
from devices.simulator import Broker

pytestmark = pytest.mark.anyio


def connect_and_vanish(broker: Broker, state: str, seconds: float = 5) -> None:
    """Connect with an "offline" last will, publish "online" retained, then close the socket without DISCONNECT."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"vanish-{uuid4().hex[:8]}")
    client.will_set(state, b"offline", qos=1, retain=True)
    client.connect(broker.host, broker.port, keepalive=5)
    deadline = time.monotonic() + seconds
    published = None
    while published is None or not published.is_published():
        assert time.monotonic() < deadline, "never connected and published"
        client.loop(timeout=0.05)
        if published is None and client.is_connected():
            published = client.publish(state, b"online", qos=1, retain=True)
    client.socket().close()  # type: ignore[union-attr]


async def test_retained_state_and_last_wills_reach_subscribers(broker_url: str) -> None:
    broker, state = Broker.parse(broker_url), f"gocoffee/test{uuid4().hex[:10]}/machines/m1/state"
    try:
        async with aiomqtt.Client(broker.host, broker.port) as live:
            await live.subscribe(state, qos=1)
            await anyio.to_thread.run_sync(connect_and_vanish, broker, state)
            with anyio.fail_after(10):
                payloads = [bytes(m.payload) async for m in _take(live.messages, 2)]  # type: ignore[arg-type]
        assert payloads == [b"online", b"offline"]
        async with aiomqtt.Client(broker.host, broker.port) as late:
            await late.subscribe(state, qos=1)
            with anyio.fail_after(10):
                async for message in late.messages:  # amqtt 0.12 may first push it unasked at QoS 0 (see broker.py)
                    assert (message.payload, message.retain) == (b"offline", True)
                    if message.qos == 1:
                        break
    finally:
        async with aiomqtt.Client(broker.host, broker.port) as cleaner:
            await cleaner.publish(state, b"", qos=1, retain=True)


async def _take(messages: AsyncIterator[aiomqtt.Message], n: int) -> AsyncIterator[aiomqtt.Message]:
    for _ in range(n):
        yield await anext(messages)


async def test_the_embedded_broker_binds_a_free_port_and_lets_it_go() -> None:
    async with embedded_broker() as first, embedded_broker() as second:
        ports = {Broker.parse(first).port, Broker.parse(second).port}
        assert len(ports) == 2 and 1883 not in ports
    for port in ports:
        with pytest.raises(aiomqtt.MqttError):
            async with aiomqtt.Client("127.0.0.1", port):
                pass
