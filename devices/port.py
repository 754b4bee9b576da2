"""The kitchen's MQTT connection on a network thread of its own (paho's), bridged to asyncio.

The kitchen's event loop also runs store transactions and serves HTTP; on that loop an acknowledgement
would wait in the socket while a transaction's Python runs, and PUBACKs to the broker would stall with it.
On paho's thread messages are read (and timestamped) as they arrive, and paho reconnects by itself, keeping
unacknowledged QoS 1 publishes to send again.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt

from devices.simulator import Broker

OnMessage = Callable[[str, bytes, float], None]
"""(topic, payload, monotonic arrival time), called on the network thread."""


@dataclass(frozen=True)
class PortConfig:
    client_id: str
    persistent_session: bool
    subscriptions: list[str]
    keepalive: int = 5


class MqttPort:
    def __init__(self, broker: Broker, config: PortConfig, on_message: OnMessage,
                 on_connect: Callable[[], None], on_disconnect: Callable[[], None]) -> None:
        self.broker, self.config = broker, config
        self.loop = asyncio.get_running_loop()
        self._on_message, self._on_connect, self._on_disconnect = on_message, on_connect, on_disconnect
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=config.client_id,
                             clean_session=not config.persistent_session)
        client.max_inflight_messages_set(1000)  # must precede connect (field notes)
        client.max_queued_messages_set(0)
        client.reconnect_delay_set(min_delay=0.05, max_delay=1)  # type: ignore[arg-type]  # paho's stub says int; its code takes seconds as a float
        client.on_connect, client.on_disconnect, client.on_message = self._connected, self._disconnected, self._message
        client.on_socket_open = _no_delay
        self.client = client

    def start(self) -> None:
        self.client.connect_async(self.broker.host, self.broker.port, keepalive=self.config.keepalive)
        self.client.loop_start()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def publish(self, topic: str, payload: str | bytes, qos: int = 1) -> None:
        """Queue a publish (thread-safe, returns at once); paho resends it after a reconnect until acknowledged."""
        self.client.publish(topic, payload, qos=qos)

    def _connected(self, client: mqtt.Client, _userdata: Any, _flags: Any, reason: Any, _props: Any) -> None:
        if reason.is_failure:
            return
        for topic in self.config.subscriptions:
            client.subscribe(topic, qos=1)
        self.loop.call_soon_threadsafe(self._on_connect)

    def _disconnected(self, _client: mqtt.Client, _userdata: Any, _flags: Any, _reason: Any, _props: Any) -> None:
        self.loop.call_soon_threadsafe(self._on_disconnect)

    def _message(self, _client: mqtt.Client, _userdata: Any, message: mqtt.MQTTMessage) -> None:
        self._on_message(message.topic, bytes(message.payload), time.monotonic())


def _no_delay(_client: mqtt.Client, _userdata: Any, sock: Any) -> None:
    """Small latency-bound messages: no Nagle (paho leaves it on; with delayed ACKs it costs about 40 ms)."""
    if isinstance(sock, socket.socket):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
