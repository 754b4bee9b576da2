"""The platform's ways to reach people from settings: the email and Telegram couriers, the Telegram bot, and
spoken turns."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram.error import TelegramError

from channels.telegram.bot import TelegramAccounts, TelegramBot
from channels.voice.sphinx_ears import SphinxEars
from channels.voice.turns import VoiceTurns
from channels.voice.whisper_ears import WhisperEars
from gocoffee.settings import Settings
from graph.app import Conversations
from mcp_servers.gateway import Gateway
from tools.notifications.dispatch import Courier
from tools.notifications.mail import SmtpMailer
from tools.notifications.telegram import TelegramCourier, bot_of

log = logging.getLogger(__name__)


@asynccontextmanager
async def telegram(settings: Settings, conversations: Conversations, accounts: TelegramAccounts
                   ) -> AsyncIterator[TelegramBot | None]:
    """The bot, ready (it asked the Bot API who it is), with a token; None without one, or if the Bot API cannot
    be reached at start (the platform serves on without Telegram, and says so)."""
    if settings.telegram_token is None:
        yield None
        return
    secret = settings.telegram_webhook_secret
    bot = TelegramBot(bot_of(settings.telegram_token.get_secret_value(), settings.telegram_api), conversations,
                      accounts, secret.get_secret_value() if secret else None)
    try:
        await bot.application.initialize()
    except TelegramError as exc:
        log.warning("Telegram is off: the Bot API at %s did not answer (%s)", settings.telegram_api, exc)
        yield None
        return
    try:
        yield bot
    finally:
        await bot.application.shutdown()


def voice_from(settings: Settings, conversations: Conversations, gateway: Gateway) -> VoiceTurns | None:
    """Spoken turns with the chosen recogniser (its model loads at the first turn)."""
    if settings.voice == "off":
        return None
    return VoiceTurns(conversations, gateway, WhisperEars() if settings.voice == "whisper" else SphinxEars())


def couriers(settings: Settings, bot: TelegramBot | None) -> list[Courier]:
    found: list[Courier] = []
    if settings.smtp_url:
        found.append(SmtpMailer(settings.smtp_url, settings.smtp_from))
    if bot is not None:
        found.append(TelegramCourier(bot.bot))
    return found
