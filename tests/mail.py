"""A real SMTP server for tests (aiosmtpd) that keeps what it accepts."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.live import free_port


class Inbox:
    """An SMTP server's handler that keeps what it accepts, and refuses the first `fail` messages (451)."""

    def __init__(self, fail: int = 0) -> None:
        self.fail: int = fail
        self.received: list[Message] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.fail > 0:
            self.fail -= 1
            return "451 4.3.0 try again later"
        self.received.append(message_from_bytes(envelope.content if isinstance(envelope.content, bytes) else b""))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, str]]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, f"smtp://127.0.0.1:{controller.port}"
    finally:
        controller.stop()
