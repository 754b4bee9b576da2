"""The Telegram bot against a fake Bot API server: linking, ordering with buttons (stale presses), one thread with
the web, a guest refused, the webhook's secret, notifications delivered once across a failed send, polling.

Updates are built with python-telegram-bot's own objects and posted to the webhook as Telegram would; what the bot
sends is recorded by the fake and read back with the same library's objects."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from telegram import InlineKeyboardMarkup, Message, User

from channels.telegram.bot import STALE
from gocoffee.bootstrap import build_platform, running
from gocoffee.settings import Settings
from gocoffee.telegram_cli import poll
from tests.fakes.telegram_api import (
    SECRET_HEADER,
    TOKEN,
    FakeTelegram,
    button_update,
    serve_fake_telegram,
    text_update,
)
from tests.identities import AS, register
from tests.live import app_client, app_of
from tools.notifications.dispatch import deliver_due
from tools.notifications.telegram import TelegramCourier

pytestmark = pytest.mark.anyio
SECRET = "webhook-secret-for-tests"
ADA, EVE = User(id=7001, first_name="Ada", is_bot=False), User(id=7002, first_name="Eve", is_bot=False)


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with serve_fake_telegram() as f:
        yield f


@pytest.fixture
def bot_settings(settings: Settings, fake: FakeTelegram) -> Settings:
    return settings.model_copy(update={"telegram_token": SecretStr(TOKEN), "telegram_api": fake.url,
                                       "telegram_webhook_secret": SecretStr(SECRET)})


@pytest.fixture
async def web(bot_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(bot_settings) as c:
        yield c


async def say(web: httpx.AsyncClient, user: User, text: str, secret: str | None = SECRET) -> httpx.Response:
    """What Telegram posts to the webhook when `user` sends `text`."""
    headers = {SECRET_HEADER: secret} if secret else {}
    return await web.post("/telegram/webhook", json=text_update(user, text), headers=headers)


async def press(web: httpx.AsyncClient, user: User, question: dict[str, Any], label: str) -> None:
    """What Telegram posts when `user` presses the button `label` under the bot's message `question`."""
    reply = await web.post("/telegram/webhook", json=button_update(user, question, label),
                           headers={SECRET_HEADER: SECRET})
    assert reply.status_code == 200, reply.text


def last_to(fake: FakeTelegram, user: User) -> dict[str, Any]:
    """The bot's last message to the user's chat, read with the library's own Message."""
    said = fake.said_to(user.id)
    assert said, "the bot said nothing to this chat"
    message = Message.de_json(said[-1], None)
    assert message is not None and message.text and message.chat.id == user.id
    return said[-1]


async def linked(web: httpx.AsyncClient, fake: FakeTelegram, user: User, email: str) -> dict[str, str]:
    """Register a customer on the web, get their link, follow it on Telegram; the customer's web headers."""
    tokens = await register(web, email)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    made = await web.post("/api/v1/telegram/link", headers=headers)
    assert made.status_code == 201, made.text
    assert made.json()["url"] == f"https://t.me/GoCoffeeBot?start={made.json()['code']}"
    assert (await say(web, user, f"/start {made.json()['code']}")).status_code == 200
    assert last_to(fake, user)["text"].startswith("Linked to your Go Coffee account")
    return headers


async def orders_of(web: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    listed = await web.get("/api/v1/orders", headers=headers)
    assert listed.status_code == 200, listed.text
    return list(listed.json()["orders"])


async def test_a_linked_customer_orders_with_buttons_and_a_second_press_changes_nothing(
        web: httpx.AsyncClient, fake: FakeTelegram) -> None:
    ada = await linked(web, fake, ADA, "ada@example.com")
    await say(web, ADA, "a large latte with oat milk at downtown")
    question = last_to(fake, ADA)
    assert "Shall I place it?" in question["text"]
    labels = [b.text for row in InlineKeyboardMarkup.de_json(question["reply_markup"], None).inline_keyboard
              for b in row]
    assert labels == ["Yes", "No"]
    await press(web, ADA, question, "Yes")
    [order] = await orders_of(web, ada)
    assert order["state"] == "placed" and order["lines"][0]["size"] == "large"
    assert fake.sent("editMessageText")[-1]["text"].endswith("→ Yes")
    said = len(fake.sent())
    await press(web, ADA, question, "Yes")  # the same button again
    await press(web, ADA, question, "No")  # or its neighbour
    assert len(await orders_of(web, ada)) == 1 and len(fake.sent()) == said
    assert [a.get("text") for a in fake.sent("answerCallbackQuery")[-2:]] == [STALE, STALE]


async def test_an_order_started_on_the_web_is_finished_on_telegram(web: httpx.AsyncClient,
                                                                   fake: FakeTelegram) -> None:
    ada = await linked(web, fake, ADA, "ada@example.com")
    quote = await web.post("/api/v1/chat", json={"message": "two flat whites at downtown"}, headers=ada)
    assert "Shall I place it?" in quote.json()["text"]
    await say(web, ADA, "yes please")
    [order] = await orders_of(web, ada)
    assert order["state"] == "placed" and order["lines"][0]["quantity"] == 2
    history = (await web.get("/api/v1/chat/history", headers=ada)).json()["messages"]
    assert [m["text"] for m in history if m["who"] == "you"] == ["two flat whites at downtown", "yes please"]


async def test_an_unlinked_telegram_user_browses_as_a_guest_and_cannot_order(web: httpx.AsyncClient,
                                                                             fake: FakeTelegram) -> None:
    await say(web, EVE, "/start")
    assert last_to(fake, EVE)["text"].startswith("Hi! I'm Go Coffee")
    await say(web, EVE, "what's on the menu?")
    assert "latte" in last_to(fake, EVE)["text"].lower()
    await say(web, EVE, "a latte please at downtown")
    assert "link your Go Coffee account" in last_to(fake, EVE)["text"]
    await say(web, EVE, "yes")
    staff = await web.get("/api/v1/orders", headers={AS: "staff:s1@downtown"})
    assert all(o["customer_id"] != f"telegram-{EVE.id}" for o in staff.json()["orders"])


async def test_a_link_code_works_once_and_only_for_a_customer(web: httpx.AsyncClient, fake: FakeTelegram) -> None:
    tokens = await register(web, "bob@example.com")
    code = (await web.post("/api/v1/telegram/link", headers={"Authorization": f"Bearer {tokens['access_token']}"})
            ).json()["code"]
    await say(web, EVE, f"/start {code}x")
    assert last_to(fake, EVE)["text"].startswith("Sorry, that link or code is not valid")
    await say(web, EVE, f"/start {code}")
    await say(web, ADA, f"/start {code}")  # the same code a second time
    assert last_to(fake, ADA)["text"].startswith("Sorry, that link or code is not valid")
    assert (await web.post("/api/v1/telegram/link", headers={AS: "staff:s1@downtown"})).status_code == 403
    assert (await web.post("/api/v1/telegram/link")).status_code == 401


async def test_unlinking_stops_telegram_and_makes_its_user_a_guest_again(web: httpx.AsyncClient,
                                                                         fake: FakeTelegram) -> None:
    ada = await linked(web, fake, ADA, "ada@example.com")
    assert (await web.delete("/api/v1/telegram/link", headers=ada)).status_code == 204
    assert (await web.delete("/api/v1/telegram/link", headers=ada)).status_code == 404
    await say(web, ADA, "a flat white at downtown")
    assert "link your Go Coffee account" in last_to(fake, ADA)["text"]
    await say(web, ADA, "yes")
    assert await orders_of(web, ada) == []
    prefs = await web.get("/api/v1/notifications/preferences", headers=ada)
    assert "telegram" not in prefs.json()["channels"]


async def test_the_webhook_refuses_a_wrong_or_missing_secret(web: httpx.AsyncClient, fake: FakeTelegram,
                                                             settings: Settings) -> None:
    before = len(fake.calls)
    assert (await say(web, EVE, "/start", secret="guess")).status_code == 403
    assert (await say(web, EVE, "/start", secret=None)).status_code == 403
    assert len(fake.calls) == before
    async with app_client(settings) as plain:  # no bot on this platform at all
        assert (await say(plain, EVE, "/start")).status_code == 404


async def test_an_order_ready_reaches_telegram_once_across_a_failed_send(web: httpx.AsyncClient,
                                                                         fake: FakeTelegram) -> None:
    ada = await linked(web, fake, ADA, "ada@example.com")
    await web.post("/api/v1/chat", json={"message": "a flat white at downtown"}, headers=ada)
    await web.post("/api/v1/chat", json={"message": "yes"}, headers=ada)
    [order] = await orders_of(web, ada)
    staff = {AS: "staff:s1@downtown"}
    for state in ("paid", "ready"):
        moved = await web.post(f"/api/v1/orders/{order['order_id']}/transitions", json={"to_state": state},
                               headers={**staff, "Idempotency-Key": f"t-{state}"})
        assert moved.status_code == 200, moved.text
    platform = app_of(web).state.serving
    courier, now = TelegramCourier(platform.telegram.bot), datetime.now(UTC)
    fake.fail("sendMessage")
    assert await deliver_due(platform.db, courier, now) == 0  # the Bot API failed: kept for a retry
    later = now + timedelta(minutes=5)
    assert sum(await asyncio.gather(*(deliver_due(platform.db, courier, later) for _ in range(2)))) == 1
    assert await deliver_due(platform.db, courier, later + timedelta(hours=2)) == 0
    ready = [p for p in fake.sent() if f"order {order['order_id']} is ready" in p["text"]]
    assert [int(p["chat_id"]) for p in ready] == [ADA.id]


async def test_the_bot_takes_updates_by_long_polling(bot_settings: Settings, fake: FakeTelegram) -> None:
    fake.updates.append(text_update(EVE, "/start"))
    async with running(build_platform(bot_settings)) as platform:
        polling = asyncio.create_task(poll(platform))
        try:
            for _ in range(200):
                if fake.sent():
                    break
                await asyncio.sleep(0.05)
        finally:
            polling.cancel()
            await asyncio.gather(polling, return_exceptions=True)
    assert fake.sent("deleteWebhook") and fake.sent()[0]["text"].startswith("Hi! I'm Go Coffee")
