"""The Telegram courier: a delivery as a message to the linked chat, through the Bot API."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Bot
from telegram.error import TelegramError

from store.notifications import Delivery, Notification
from tools.notifications.dispatch import Undelivered


@dataclass(frozen=True)
class TelegramCourier:
    bot: Bot
    channel: str = "telegram"

    async def deliver(self, delivery: Delivery, note: Notification) -> None:
        try:
            await self.bot.send_message(chat_id=int(delivery.address or 0), text=note.text)
        except TelegramError as exc:
            raise Undelivered(f"{type(exc).__name__}: {exc}") from exc


def bot_of(token: str, api: str) -> Bot:
    """A Bot API client for `token` at `api` (Telegram's own, or a local Bot API server)."""
    return Bot(token, base_url=f"{api.rstrip('/')}/bot", base_file_url=f"{api.rstrip('/')}/file/bot")
