"""The web app in a real browser (Playwright driving Debian's Chromium) against a live server: a customer registers,
browses the menu with a filter, orders by chat, confirms with the button the agent's question offers, and sees the
order in their list; pays from the wallet, watches the tracker reach ready, hears it in the inbox as it arrives,
and sees the balance. Screenshots of each view are kept in test-artifacts/web/ to look at."""

from __future__ import annotations

import asyncio
import re
import shutil
import uuid
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import httpx
import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pydantic import SecretStr
from telegram import User

from contracts.deploy import DaoRules
from evals.voice import Speaker, synthesize
from gocoffee.bootstrap import Running
from gocoffee.settings import Settings
from tests.fakes.telegram_api import SECRET_HEADER, TOKEN, serve_fake_telegram, text_update
from tests.identities import AS, accounts_of
from tests.live import LiveServer
from tests.tools.money_helpers import give_points, mine
from tools.principal import Assurance, Principal, Role

T = TypeVar("T")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run"]
pytestmark = [pytest.mark.slow, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]


@pytest.fixture(scope="module")
def browser(sqlite_template: Path) -> Iterator[Browser]:
    """(After the store template: Playwright's sync API keeps an event loop running in this thread.)"""
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing: `make browser` installs it"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
        yield launched
        launched.close()


def snap(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def test_a_customer_registers_browses_and_orders_by_chat_with_a_button(settings: Settings, browser: Browser
                                                                       ) -> None:
    with LiveServer(settings) as live:
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone-sized screen
        page.goto(live.url)
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        snap(page, "1-sign-in")
        page.get_by_label("Email").fill("web@example.com")
        page.get_by_label("Password").fill("flat white at dawn 42")
        page.get_by_role("button", name="Register").click()
        expect(page.get_by_text("Signed in as customer:")).to_be_visible()
        expect(page.get_by_label("Your message")).to_be_focused()

        page.get_by_role("button", name="Menu").click()
        expect(page.locator("#items li").first).to_be_visible()
        every = page.locator("#items li").count()
        page.get_by_label("Vegan").check()
        expect(page.locator("#items li")).not_to_have_count(every)
        snap(page, "2-menu-vegan")

        page.get_by_role("button", name="Chat").click()
        page.get_by_label("Your message").fill("a large latte at downtown")
        page.get_by_label("Your message").press("Enter")
        expect(page.get_by_role("log")).to_contain_text("Shall I place it?")
        yes = page.get_by_role("group", name="Answers").get_by_role("button", name="Yes")
        expect(yes).to_be_focused()
        snap(page, "3-chat-asks")
        yes.click()
        expect(page.get_by_role("log")).to_contain_text("Placed! Order 1")
        expect(page.get_by_role("group", name="Answers").get_by_role("button")).to_have_count(0)
        snap(page, "4-chat-placed")

        page.get_by_role("button", name="My orders").click()
        expect(page.locator("#order-list li")).to_contain_text(["at downtown: placed"])
        snap(page, "5-orders")
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def _top_up(live: LiveServer, customer_id: str) -> None:
    """Staff put $20 on the customer's wallet (over the API, signed in as staff; in a thread of its own: the
    browser's sync API keeps this thread's event loop)."""
    async def top_up() -> int:
        async with live.client() as client:
            reply = await client.post("/api/v1/wallet/top-ups", json={"customer_id": customer_id, "amount_cents": 2000},
                                      headers={AS: "staff:s1@downtown", "Idempotency-Key": f"web-{customer_id}"})
            return reply.status_code

    assert _in_thread(top_up) in (200, 201)


def test_a_paid_order_is_tracked_live_until_it_is_ready(settings: Settings, browser: Browser) -> None:
    kitchen = settings.model_copy(update={"kitchen": True, "mqtt_url": None, "simulate_machines": 2,
                                          "simulate_time_scale": 0.01, "mqtt_client_id": f"web-{uuid.uuid4().hex}"})
    with LiveServer(kitchen) as live:
        page = browser.new_page(viewport={"width": 1024, "height": 768})
        _register(page, live.url, "track@example.com")
        who = page.get_by_text("Signed in as customer:")
        expect(who).to_be_visible()
        _top_up(live, who.inner_text().split("customer:")[1].strip())
        message = page.get_by_label("Your message")
        message.fill("two cappuccinos at downtown")
        message.press("Enter")
        page.get_by_role("group", name="Answers").get_by_role("button", name="Yes").click()
        expect(page.get_by_role("log")).to_contain_text("Placed!")
        message.fill("from my wallet balance")
        message.press("Enter")
        expect(page.get_by_role("log")).to_contain_text("from your balance?")
        snap(page, "6-paying")
        page.get_by_role("group", name="Answers").get_by_role("button", name="Yes").click()
        tracker = page.get_by_role("region", name=re.compile(r"Your order #\d+"))
        expect(tracker).to_be_visible()
        expect(tracker.locator("[aria-current=step]")).to_have_text("ready", timeout=30_000)
        expect(tracker).to_contain_text("cappuccino: done")
        snap(page, "7-tracker-ready")
        inbox = page.get_by_role("button", name=re.compile("Inbox"))
        expect(inbox).to_contain_text(re.compile(r"\d"))  # the unread count, live
        inbox.click()
        expect(page.locator("#notes li[data-topic=order_ready]")).to_contain_text("ready")
        snap(page, "8-inbox")
        page.get_by_role("button", name="Wallet").click()
        expect(page.locator("#balances")).to_contain_text("$11.50")
        snap(page, "9-wallet")


def _register(page: Page, url: str, email: str) -> None:
    page.goto(url)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("flat white at dawn 42")
    page.get_by_role("button", name="Register").click()


def _in_thread(work: Callable[[], Awaitable[T]]) -> T:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work()).result()


def _sign_in(page: Page, url: str, email: str, password: str, code: str = "") -> None:
    page.goto(url)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    if code:
        page.get_by_label("Authenticator code").fill(code)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text("Signed in as ")).to_be_visible()


def test_a_manager_approves_a_paused_restock_and_the_asker_s_conversation_goes_on(settings: Settings,
                                                                                   browser: Browser) -> None:
    with LiveServer(settings) as live:
        sam_password = _staff(live, "sam@gocoffee.example", "sam", "campus")
        mia_password, code = _manager(live, "mia@gocoffee.example", "mia")
        sam = browser.new_page()
        _sign_in(sam, live.url, "sam@gocoffee.example", sam_password)
        sam.get_by_label("Your message").fill("restock 5 litres of oat milk at campus")
        sam.get_by_label("Your message").press("Enter")
        sam.get_by_role("group", name="Answers").get_by_role("button", name="Yes").click()
        expect(sam.get_by_role("log")).to_contain_text("needs a staff decision first")

        mia = browser.new_page(viewport={"width": 1024, "height": 768})
        _sign_in(mia, live.url, "mia@gocoffee.example", mia_password, code)
        mia.get_by_role("button", name="Approvals").click()
        waiting = mia.locator(".approval").filter(has_text="adjust stock")
        expect(waiting).to_contain_text("staff:sam@campus")
        expect(waiting.locator("pre")).to_contain_text('"location_id": "campus"')
        snap(mia, "10-approvals")
        waiting.get_by_role("button", name=re.compile("^Approve")).click()
        expect(waiting.get_by_role("status")).to_contain_text("Approved. The agent went on: Recorded")
        snap(mia, "11-approved")

        expect(sam.get_by_role("log")).to_contain_text("Recorded: Oat milk", timeout=10_000)  # heard, live
        expect(sam.get_by_role("button", name=re.compile("Inbox"))).to_contain_text("1")
        snap(sam, "12-asker-heard-back")


def test_a_customer_sees_no_staff_pages_and_their_api_refuses(settings: Settings, browser: Browser) -> None:
    with LiveServer(settings) as live:
        customer = browser.new_page()
        _register(customer, live.url, "nosy@example.com")
        expect(customer.get_by_text("Signed in as customer:")).to_be_visible()
        for staff_only in ("Approvals", "Kitchen"):
            expect(customer.get_by_role("button", name=staff_only)).to_be_hidden()

        async def peek() -> list[int]:  # the APIs behind the staff pages refuse a customer too
            async with live.client() as client:
                token = (await client.post("/api/v1/auth/token", json={
                    "email": "nosy@example.com", "password": "flat white at dawn 42"})).json()["access_token"]
                bearer = {"Authorization": f"Bearer {token}"}
                return [(await client.get(path, headers=bearer)).status_code
                        for path in ("/api/v1/approvals", "/api/v1/kitchen/downtown/machines")]

        assert _in_thread(peek) == [403, 403]


def test_staff_run_their_kitchen_live_and_see_the_interlock_s_refusals(settings: Settings, browser: Browser) -> None:
    kitchen = settings.model_copy(update={"kitchen": True, "mqtt_url": None, "simulate_machines": 2,
                                          "simulate_time_scale": 0.01, "mqtt_client_id": f"web-{uuid.uuid4().hex}"})
    with LiveServer(kitchen) as live:
        password = _staff(live, "ina@gocoffee.example", "ina", "harbor")
        page = browser.new_page(viewport={"width": 1024, "height": 900})
        page.goto(live.url)
        page.get_by_label("Email").fill("ina@gocoffee.example")
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.get_by_role("button", name="Kitchen").click()
        expect(page.get_by_label("Shop")).to_have_value("harbor")
        m1 = page.locator(".machine[data-machine=m1]")
        expect(m1).to_contain_text(re.compile(r"m1: (idle|heating)"), timeout=15_000)
        m1.get_by_role("button", name="Clear fault m1").click()
        expect(page.locator("#kitchen-note")).to_contain_text("m1:")
        expect(page.locator("#kitchen-note")).not_to_contain_text("done")
        m1.get_by_role("button", name="Maintenance m1").click()
        expect(m1).to_contain_text("m1: maintenance", timeout=15_000)
        expect(m1.get_by_role("button", name="Back in service m1")).to_be_visible()
        snap(page, "13-kitchen")
        page.get_by_label("Shop").fill("downtown")
        page.get_by_role("button", name="Show").click()
        expect(page.locator("#kitchen-note")).to_contain_text("harbor")  # another shop's kitchen is refused


def test_a_customer_links_telegram_from_the_wallet_page(settings: Settings, browser: Browser) -> None:
    with serve_fake_telegram() as fake:
        bot = settings.model_copy(update={"telegram_token": SecretStr(TOKEN), "telegram_api": fake.url,
                                          "telegram_webhook_secret": SecretStr("s")})
        with LiveServer(bot) as live:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            _register(page, live.url, "tg@example.com")
            page.get_by_role("button", name="Wallet").click()
            page.get_by_role("button", name="Link Telegram").click()
            link = page.get_by_role("link", name="Open Go Coffee in Telegram")
            expect(link).to_be_focused()
            expect(link).to_have_attribute("href", re.compile(r"^https://t\.me/GoCoffeeBot\?start=[\w-]{20,}$"))
            snap(page, "14-telegram-link")
            code = str(link.get_attribute("href")).split("start=")[1]
            ada = User(id=7001, first_name="Ada", is_bot=False)
            posted = httpx.post(f"{live.url}/telegram/webhook", json=text_update(ada, f"/start {code}"),
                                headers={SECRET_HEADER: "s"}, timeout=30)
            assert posted.status_code == 200
            assert fake.said_to(ada.id)[-1]["text"].startswith("Linked to your Go Coffee account")


def test_a_customer_orders_by_voice_with_push_to_talk(settings: Settings, browser: Browser, tmp_path: Path) -> None:
    """Chromium's fake microphone plays a synthesised order (once); the page records it, sends it, shows what was
    heard and the reply, and plays the spoken reply."""
    order = tmp_path / "order.wav"
    order.write_bytes(_in_thread(lambda: synthesize("one large latte at downtown please", Speaker("en-us", 140))))
    microphone = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                  f"--use-file-for-fake-audio-capture={order}%noloop", "--autoplay-policy=no-user-gesture-required"]
    with LiveServer(settings) as live:
        listening = browser.browser_type.launch(executable_path=shutil.which("chromium"), headless=True,
                                                args=[*FLAGS, *microphone])
        page = listening.new_page(viewport={"width": 390, "height": 844})
        _register(page, live.url, "voice@example.com")
        talk = page.get_by_role("button", name="Talk")
        talk.click()
        expect(page.get_by_role("button", name="Send what I said")).to_have_attribute("aria-pressed", "true")
        page.wait_for_timeout(3500)
        page.get_by_role("button", name="Send what I said").click()
        log = page.get_by_role("log")
        expect(log).to_contain_text("(said)", timeout=30_000)
        expect(log).to_contain_text("Shall I place it?")
        expect(page.get_by_role("group", name="Answers").get_by_role("button", name="Yes")).to_be_focused()
        expect(page.locator("audio[data-spoken=reply]")).to_have_count(1)
        snap(page, "15-voice")
        listening.close()


def _staff(live: LiveServer, email: str, user_id: str, shop: str) -> str:
    """A member of staff at `shop`: their one-time password."""
    async def make() -> str:
        async with live.client() as client:
            return await accounts_of(client).create_user(email, Role.STAFF, user_id, shop)

    return _in_thread(make)


def _manager(live: LiveServer, email: str, user_id: str) -> tuple[str, str]:
    """A manager with a second factor: their one-time password and a recovery code to sign in with."""
    async def make() -> tuple[str, str]:
        async with live.client() as client:
            made = accounts_of(client)
            password = await made.create_user(email, Role.MANAGER, user_id)
            manager = Principal.parse(f"manager:{user_id}").signed_in(Assurance.MFA, None)
            secret = (await made.enrol_mfa(manager)).secret
            return password, (await made.confirm_mfa(manager, pyotp.TOTP(secret).now())).recovery_codes[0]

    return _in_thread(make)


def test_a_manager_runs_the_shop_page_and_sees_the_rota_s_rules_refuse(settings: Settings, browser: Browser) -> None:
    with LiveServer(settings) as live:
        password, code = _manager(live, "max@gocoffee.example", "max")
        page = browser.new_page(viewport={"width": 1024, "height": 900})
        _sign_in(page, live.url, "max@gocoffee.example", password, code)
        page.get_by_role("button", name="Shop").click()
        rota = page.locator("#rota > li")
        expect(rota.first).to_contain_text("keyholder")
        first = rota.first.inner_text().split(":")[0]
        rota.first.get_by_role("textbox").fill("chloe")
        rota.first.get_by_role("button", name=re.compile("^Give")).click()
        expect(page.locator("#manage-note")).to_contain_text("Not done: Chloé Martin is not a keyholder")
        expect(page.locator("#task-list > li").first).to_be_visible()
        task = page.locator("#task-list > li").first.inner_text().split(" — ")[0]
        page.locator("#task-list > li").first.get_by_role("button", name=re.compile("^Done")).click()
        expect(page.locator("#manage-note")).to_contain_text(f"Done: {task}.")
        expect(page.locator("#stock-list > li").first).to_be_visible()
        expect(page.locator("#purchase-list")).to_contain_text(re.compile(r"#\d+|None yet"))
        snap(page, "16-shop")
        assert first  # the rota row named its shift


def test_a_manager_edits_a_paused_restock_before_approving_it(settings: Settings, browser: Browser) -> None:
    with LiveServer(settings) as live:
        sol = browser.new_page()
        _sign_in(sol, live.url, "sol@gocoffee.example", _staff(live, "sol@gocoffee.example", "sol", "campus"))
        sol.get_by_label("Your message").fill("restock 5 litres of oat milk at campus")
        sol.get_by_label("Your message").press("Enter")
        sol.get_by_role("group", name="Answers").get_by_role("button", name="Yes").click()
        expect(sol.get_by_role("log")).to_contain_text("needs a staff decision first")
        password, code = _manager(live, "ola@gocoffee.example", "ola")
        ola = browser.new_page(viewport={"width": 1024, "height": 768})
        _sign_in(ola, live.url, "ola@gocoffee.example", password, code)
        ola.get_by_role("button", name="Approvals").click()
        waiting = ola.locator(".approval").filter(has_text="adjust stock")
        waiting.get_by_role("button", name=re.compile("^Edit")).click()
        arguments = waiting.get_by_label("Arguments to run instead (JSON)")
        expect(arguments).to_be_focused()
        arguments.fill(arguments.input_value().replace("5000", "not json"))
        waiting.get_by_role("button", name="Approve with these").click()
        expect(waiting.get_by_role("alert")).to_contain_text("Not JSON")
        arguments.fill(arguments.input_value().replace("not json", "3000"))
        snap(ola, "17-approval-edit")
        waiting.get_by_role("button", name="Approve with these").click()
        expect(waiting.get_by_role("status")).to_contain_text("The agent went on: Recorded")
        expect(sol.get_by_role("log")).to_contain_text("Recorded: Oat milk", timeout=10_000)


@pytest.mark.chain(dao=DaoRules(voting_delay_blocks=1, voting_period_blocks=10, proposal_threshold_coffee=2,
                                quorum_percent=4, timelock_delay_seconds=30, treasury_coffee=100))
def test_a_coffee_holder_votes_on_a_proposal_in_the_dao_page(settings: Settings, browser: Browser) -> None:
    with LiveServer(settings) as live:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        _register(page, live.url, "holder@example.com")
        who = page.get_by_text("Signed in as customer:")
        expect(who).to_be_visible()
        holder = Principal.parse(who.inner_text().split("as ")[1].strip())

        async def propose(platform: Running) -> None:
            await give_points(platform, holder.id, 2000)
            await platform.gateway.call("redeem_points", {"points": 2000}, principal=holder, idempotency_key="r")
            await platform.gateway.call("create_proposal", {"title": "Oat milk at no extra cost", "description":
                                        "Drop the oat surcharge for a month."}, principal=holder, idempotency_key="p")
            await mine(platform, 2)

        live.on_platform(propose)
        page.get_by_role("button", name="DAO").click()
        proposal = page.locator("#proposals > li").filter(has_text="Oat milk at no extra cost")
        expect(proposal).to_contain_text("active: 0 for")
        proposal.get_by_role("button", name=re.compile("^Vote for")).click()
        expect(page.locator("#dao-note")).to_contain_text("Your vote on \"Oat milk at no extra cost\" is in.")
        expect(page.locator("#proposals > li").first).to_contain_text("20 for")
        snap(page, "18-dao")
