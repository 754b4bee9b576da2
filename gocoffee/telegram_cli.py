"""`gocoffee telegram`: run the bot by long polling, point Telegram at the server's webhook, or make a customer's
link to the bot."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from channels.telegram.bot import TelegramBot
from gocoffee.bootstrap import Running
from gocoffee.routines import outbox
from tools.errors import NotConfigured
from tools.notifications.telegram import TelegramCourier
from tools.principal import Principal

app = typer.Typer(help="The Telegram bot (GOCOFFEE_TELEGRAM_TOKEN).", invoke_without_command=True)
NO_BOT = "Telegram is off: set GOCOFFEE_TELEGRAM_TOKEN to the bot's token from @BotFather"


def _bot(platform: Running) -> TelegramBot:
    if platform.telegram is None:
        raise NotConfigured(NO_BOT)
    return platform.telegram


async def poll(platform: Running) -> None:
    """Take updates by long polling (and deliver Telegram notifications) until stopped."""
    bot = _bot(platform)
    await bot.bot.delete_webhook()  # Telegram gives updates to a webhook or to polling, not both
    updater = bot.application.updater
    assert updater is not None
    async with outbox(platform.db, [TelegramCourier(bot.bot)], platform.runtime.clock):
        await bot.application.start()
        await updater.start_polling()
        typer.echo(f"@{bot.username} is polling; Ctrl-C to stop.")
        try:
            await asyncio.Event().wait()
        finally:
            await updater.stop()
            await bot.application.stop()


@app.callback()
def telegram(ctx: typer.Context) -> None:
    """Without a subcommand: run the bot by long polling."""
    if ctx.invoked_subcommand is None:
        from gocoffee.cli import _on_platform

        _on_platform(poll)


@app.command("webhook")
def webhook(url: Annotated[str, typer.Argument(help="The server's public webhook, https://…/telegram/webhook.")]
            ) -> None:
    """Have Telegram post updates to the server's webhook, with GOCOFFEE_TELEGRAM_WEBHOOK_SECRET."""
    from gocoffee.cli import _on_platform

    async def work(platform: Running) -> None:
        bot = _bot(platform)
        if bot.webhook_secret is None:
            raise NotConfigured("set GOCOFFEE_TELEGRAM_WEBHOOK_SECRET first (the server checks it on every update)")
        await bot.bot.set_webhook(url, secret_token=bot.webhook_secret, allowed_updates=["message", "callback_query"])
        typer.echo(f"Telegram now posts @{bot.username}'s updates to {url}")

    _on_platform(work)


@app.command("link")
def link(as_: Annotated[str, typer.Option("--as", help="The customer, customer:<id>.")]) -> None:
    """A one-time link (15 minutes) that binds the Telegram account following it to the customer."""
    from gocoffee.cli import _on_platform

    async def work(platform: Running) -> None:
        bot = _bot(platform)
        code = await platform.accounts.telegram_code(Principal.parse(as_))
        typer.echo(f"https://t.me/{bot.username}?start={code.code}  (or send the bot: /start {code.code})")

    _on_platform(work)
