"""The email courier: a delivery as a message over SMTP, its Message-ID fixed by the delivery (a repeat after a
crash is the same message to the receiver)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlsplit

import aiosmtplib

from store.notifications import Delivery, Notification
from tools.notifications.dispatch import Undelivered


@dataclass(frozen=True)
class SmtpMailer:
    """SMTP at a URL: smtp://[user:password@]host:port (smtps:// for implicit TLS)."""

    url: str
    sender: str = "Go Coffee <noreply@gocoffee.example>"
    timeout: float = 10.0
    channel: str = "email"

    async def deliver(self, delivery: Delivery, note: Notification) -> None:
        parts = urlsplit(self.url)
        message = _message(delivery, note)
        message["From"] = self.sender
        try:
            await aiosmtplib.send(message, hostname=parts.hostname or "127.0.0.1", port=parts.port or 25,
                                  username=parts.username, password=parts.password, use_tls=parts.scheme == "smtps",
                                  timeout=self.timeout)
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise Undelivered(f"{type(exc).__name__}: {exc}") from exc


def _message(d: Delivery, n: Notification) -> EmailMessage:
    message = EmailMessage()
    message["To"] = d.address or ""
    message["Subject"] = f"Go Coffee: {n.topic.replace('_', ' ')}"
    message["Message-ID"] = f"<delivery-{d.id}@gocoffee.example>"
    message.set_content(n.text)
    return message
