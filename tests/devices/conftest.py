"""Device tests run against both brokers: the system Mosquitto and amqtt in-process."""

from tests.devices.brokers import broker_url  # noqa: F401
