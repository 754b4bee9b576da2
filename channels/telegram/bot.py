"""The Telegram bot: a thin channel over the same conversations as every other channel.

A linked Telegram account speaks as its customer, on the customer's one thread (start an order on the web, finish
it here); an unlinked one is a guest who can browse the menu. The agent's questions come with inline buttons; a
button carries the reply's position, so a press after the conversation moved on (stale, or pressed twice) is
refused by the conversation and changes nothing.
"""

from __future__ import annotations

import logging
from collections import deque
from typing import Any, Protocol

from telegram import Bot, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram import User as TelegramUser
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from graph.app import Conversations
from graph.events import Reply
from tools.errors import Conflict, DomainError
from tools.principal import Principal, Role

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
WELCOME = ("Hi! I'm Go Coffee. Ask me about the menu. To order and pay here, link your account: sign in on the web "
           "app and choose \"Link Telegram\", then follow the link.")
LINKED = "Linked to your Go Coffee account. Order away — and I'll tell you here when an order is ready."
GUEST_REFUSED = ("\n\nTo order here, link your Go Coffee account first: sign in on the web app and choose "
                 "\"Link Telegram\".")
SIGN_IN_WORDS = ("sign in", "signed-in", "signed in")
STALE = "That question has already been answered."
SEEN = 1000
"""Update ids remembered: Telegram resends an update its webhook did not acknowledge."""


class TelegramAccounts(Protocol):
    async def link_telegram(self, code: str, telegram_user_id: int, chat_id: int) -> Principal: ...
    async def telegram_person(self, telegram_user_id: int) -> Principal | None: ...


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's choices as buttons, three to a row; each carries the reply's position and the answer."""
    data = [(c, f"{reply.position}|{c}") for c in reply.choices]
    buttons = [InlineKeyboardButton(c, callback_data=d) for c, d in data if len(d.encode()) <= 64]
    rows = [buttons[i:i + 3] for i in range(0, len(buttons), 3)]
    return InlineKeyboardMarkup(rows) if rows else None


def refused(reply: Reply) -> bool:
    """A guest was refused something: a tool said no, or the agent said signing in comes first (on Telegram,
    signing in is linking)."""
    return any(not e.ok for e in reply.tool_events) or any(w in reply.text.lower() for w in SIGN_IN_WORDS)


def guest_of(user: TelegramUser) -> Principal:
    return Principal(role=Role.GUEST, id=f"telegram-{user.id}")


class TelegramBot:
    def __init__(self, bot: Bot, conversations: Conversations, accounts: TelegramAccounts,
                 webhook_secret: str | None = None) -> None:
        self.conversations, self.accounts, self.webhook_secret = conversations, accounts, webhook_secret
        self.application = Application.builder().bot(bot).build()
        self.application.add_handler(CommandHandler("start", self.start))
        self.application.add_handler(CallbackQueryHandler(self.button))
        self.application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self.text))
        self._seen: deque[int] = deque(maxlen=SEEN)

    @property
    def bot(self) -> Bot:
        return self.application.bot

    @property
    def username(self) -> str:
        return self.bot.username

    async def handle(self, payload: dict[str, Any]) -> None:
        """One update as Telegram posted it to the webhook (a repeat of one already handled is dropped)."""
        update = Update.de_json(payload, self.bot)
        if update.update_id in self._seen:
            return
        self._seen.append(update.update_id)
        await self.application.process_update(update)

    async def who(self, user: TelegramUser) -> Principal:
        return await self.accounts.telegram_person(user.id) or guest_of(user)

    async def start(self, update: Update, context: Context) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        if not context.args:
            linked = await self.accounts.telegram_person(user.id)
            await message.reply_text("Welcome back! What can I get you?" if linked else WELCOME)
            return
        try:
            await self.accounts.link_telegram(context.args[0], user.id, message.chat.id)
        except DomainError as exc:
            await message.reply_text(f"Sorry, {exc.message}.")
            return
        await message.reply_text(LINKED)

    async def text(self, update: Update, context: Context) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or not message.text:
            return
        principal = await self.who(user)
        reply = await self.conversations.send(principal, message.text[:2000])
        await self._say(message, reply, principal)

    async def button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        if query is None:
            return
        at, _, choice = (query.data or "").partition("|")
        principal = await self.who(query.from_user)
        try:
            reply = await self.conversations.send(principal, choice, expect=int(at))
        except (Conflict, ValueError):
            await query.answer(STALE)
            return
        await query.answer()
        await self._settle(query, choice)
        if isinstance(query.message, Message):
            await self._say(query.message, reply, principal)

    @staticmethod
    async def _settle(query: CallbackQuery, choice: str) -> None:
        """The answered question keeps its words, says what was chosen, and loses its buttons."""
        if isinstance(query.message, Message) and query.message.text:
            await query.edit_message_text(f"{query.message.text}\n→ {choice}", reply_markup=None)

    @staticmethod
    async def _say(message: Message, reply: Reply, principal: Principal) -> None:
        text = reply.text or "…"
        if principal.role == Role.GUEST and refused(reply):
            text += GUEST_REFUSED
        await message.get_bot().send_message(message.chat.id, text, reply_markup=keyboard(reply))
