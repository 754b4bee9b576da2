"""Telegram over HTTP: a signed-in customer's one-time link to the bot, and the bot's webhook.

The webhook answers only with the secret the platform gave Telegram when it set the webhook
(`X-Telegram-Bot-Api-Secret-Token`), compared in constant time; anyone else is refused before the update is read."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Response

from channels.auth import signed_in
from channels.rest.deps import PrincipalDep, ServingDep
from channels.telegram.bot import TelegramBot
from tools.accounts.models import LinkCode
from tools.errors import Forbidden, NotConfigured, NotFound

router = APIRouter(tags=["telegram"])
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _bot(serving: ServingDep) -> TelegramBot:
    if serving.telegram is None:
        raise NotConfigured("Telegram is not set up on this platform (GOCOFFEE_TELEGRAM_TOKEN)")
    return serving.telegram


@router.post("/api/v1/telegram/link", status_code=201, response_model=LinkCode, operation_id="telegram_link")
async def link(serving: ServingDep, principal: PrincipalDep) -> LinkCode:
    """A one-time link (15 minutes) that binds the Telegram account following it to you (customers)."""
    bot = _bot(serving)
    code = await serving.accounts.telegram_code(signed_in(principal))
    return code.model_copy(update={"url": f"https://t.me/{bot.username}?start={code.code}"})


@router.delete("/api/v1/telegram/link", status_code=204, operation_id="telegram_unlink")
async def unlink(serving: ServingDep, principal: PrincipalDep) -> Response:
    """Unbind your Telegram account (notifications stop going there)."""
    if not await serving.accounts.unlink_telegram(signed_in(principal)):
        raise NotFound("no Telegram account is linked")
    return Response(status_code=204)


@router.post("/telegram/webhook", include_in_schema=False)
async def webhook(serving: ServingDep, update: Annotated[dict[str, Any], Body()],
                  secret: Annotated[str | None, Header(alias=SECRET_HEADER)] = None) -> Response:
    bot = serving.telegram
    if bot is None or bot.webhook_secret is None:
        raise NotFound("no Telegram webhook here")
    if not hmac.compare_digest((secret or "").encode(), bot.webhook_secret.encode()):
        raise Forbidden("wrong or missing Telegram secret token")
    await bot.handle(update)
    return Response(status_code=200)
