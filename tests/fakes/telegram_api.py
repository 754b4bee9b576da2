"""A fake Telegram Bot API server on a real 127.0.0.1 port, in Telegram's wire format.

Requests arrive at `/bot<token>/<method>` form-encoded, each non-string value JSON-encoded (as python-telegram-bot
sends them); answers are `{"ok": true, "result": …}` with Message, User and Update objects shaped as Telegram's, or
`{"ok": false, "error_code": …, "description": …}`. It records every call, hands queued updates to `getUpdates`,
and fails the next N calls of a method with a 502 when asked (`fail`), recording nothing for them.
"""

from __future__ import annotations

import asyncio
import json
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from telegram import CallbackQuery, Chat, InlineKeyboardMarkup, Message, MessageEntity, Update, User

from tests.live import serving

TOKEN = "4242:fake-telegram-token-for-go-coffee"
BOT = {"id": 4242, "is_bot": True, "first_name": "Go Coffee", "username": "GoCoffeeBot", "can_join_groups": False,
       "can_read_all_group_messages": False, "supports_inline_queries": False}
JSON_FIELDS = {"chat_id", "message_id", "reply_markup", "allowed_updates", "offset", "limit", "timeout",
               "show_alert", "drop_pending_updates"}
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
Json = dict[str, Any]
UPDATE_IDS = count(1)


@dataclass
class Call:
    method: str
    params: Json
    result: Any = None


@dataclass
class FakeTelegram:
    url: str = ""
    calls: list[Call] = field(default_factory=list)
    updates: list[Json] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    next_message_id: int = 1000

    def fail(self, method: str, times: int = 1) -> None:
        self.failures[method] = times

    def sent(self, method: str = "sendMessage") -> list[Json]:
        """The parameters of each call of `method`, in order."""
        return [c.params for c in self.calls if c.method == method]

    def said_to(self, chat_id: int) -> list[Json]:
        """The messages the bot sent to a chat, as this server answered them (Telegram's Message objects)."""
        return [c.result for c in self.calls if c.method == "sendMessage" and int(c.params["chat_id"]) == chat_id]

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"])])

    async def _endpoint(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != TOKEN:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        method, params = request.path_params["method"], await _params(request)
        if self.failures.get(method, 0) > 0:
            self.failures[method] -= 1
            return JSONResponse({"ok": False, "error_code": 502, "description": "Bad Gateway"}, 502)
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            return JSONResponse({"ok": False, "error_code": 404, "description": "Not Found: method not found"}, 404)
        call = Call(method, params)
        self.calls.append(call)
        call.result = await handler(params)
        return JSONResponse({"ok": True, "result": call.result})

    async def _getMe(self, params: Json) -> Json:
        return BOT

    async def _sendMessage(self, params: Json) -> Json:
        self.next_message_id += 1
        return self._message(self.next_message_id, params)

    async def _editMessageText(self, params: Json) -> Json:
        return self._message(int(params["message_id"]), params)

    async def _answerCallbackQuery(self, params: Json) -> bool:
        return True

    async def _setWebhook(self, params: Json) -> bool:
        return True

    async def _deleteWebhook(self, params: Json) -> bool:
        return True

    async def _getUpdates(self, params: Json) -> list[Json]:
        deadline = time.monotonic() + min(float(params.get("timeout", 0)), 1.0)
        while not self.updates and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        offset = int(params.get("offset", 0))
        due = [u for u in self.updates if u["update_id"] >= offset]
        self.updates = due
        return due

    @staticmethod
    def _message(message_id: int, params: Json) -> Json:
        message: Json = {"message_id": message_id, "date": int(time.time()), "from": BOT, "text": params["text"],
                         "chat": {"id": int(params["chat_id"]), "type": "private", "first_name": "Ada"}}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message


async def _params(request: Request) -> Json:
    if request.headers.get("content-type", "").startswith("application/json"):
        return dict(await request.json())
    form = await request.form()
    return {k: json.loads(str(v)) if k in JSON_FIELDS else str(v) for k, v in form.items()}


def serve_fake_telegram() -> AbstractContextManager[FakeTelegram]:
    """A fresh fake on a free port (`url`)."""
    return serving(FakeTelegram())


def text_update(user: User, text: str) -> Json:
    """The update Telegram sends when `user` writes `text` to the bot in private (a command marked as one)."""
    uid = next(UPDATE_IDS)
    command = text.split()[0] if text.startswith("/") else None
    entities = (MessageEntity(MessageEntity.BOT_COMMAND, 0, len(command)),) if command else ()
    message = Message(message_id=uid, date=datetime.now(UTC), chat=Chat(user.id, Chat.PRIVATE), from_user=user,
                      text=text, entities=entities)
    return Update(uid, message=message).to_dict()


def button_update(user: User, question: Json, label: str) -> Json:
    """The update Telegram sends when `user` presses the button `label` under the bot's message `question`."""
    markup = InlineKeyboardMarkup.de_json(question["reply_markup"], None)
    data = next(b.callback_data for row in markup.inline_keyboard for b in row if b.text == label)
    uid = next(UPDATE_IDS)
    shown = Message(message_id=question["message_id"], date=datetime.now(UTC), chat=Chat(user.id, Chat.PRIVATE),
                    from_user=User(BOT["id"], BOT["first_name"], True), text=question["text"])
    query = CallbackQuery(id=str(uid), from_user=user, chat_instance="ci", data=str(data), message=shown)
    return Update(uid, callback_query=query).to_dict()
