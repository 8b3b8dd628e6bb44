"""The whole trader's story through the fake Bot API, the real PTB and the real webhook server."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import aiohttp
import pytest

from bot.app import Service
from bot.models import User
from tests.conftest import ADMIN_ID
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.telegram.conftest import Person, post_signal, register, url_in

DEMO_KEY = "DEMOkeyA1b2C3d4"
DEMO_SECRET = "s3cr3t-DEMO-9f8e7d6c5b4a"


async def test_register_approve_configure_keys_and_trade(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, admin: Person, trader: Person,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    # Register: the trader is told to wait; the admin gets the request with buttons.
    welcome = await trader.ask("/start", "approve")
    assert "registered" in (welcome.text or "")
    request = await fake_telegram.wait_for_message(ADMIN_ID, "Access request")
    assert "Sara" in (request.text or "") and f"<code>{trader.id}</code>" in (request.text or "")
    assert [label for label, _ in request.buttons()] == ["✅ Approve", "❌ Reject"]
    user = await service.users.get_user(trader.id)
    assert user is not None and not user.is_active
    await trader.ask("/settings", "waiting for approval")

    # The admin approves by button: the admin's message changes, the trader learns the URL.
    mark = fake_telegram.mark()
    edited = await admin.press(request, "Approve", "approved by Admin")
    assert edited.buttons() == []
    active = await fake_telegram.wait_for_message(trader.id, "account is active", since=mark)
    stored = await service.users.get_user(trader.id)
    assert stored is not None
    assert url_in(active).endswith(f"/personal/{trader.id}/webhook?token="
                                   f"{service.users.webhook_token(stored)}")

    # Settings by buttons and by /set.
    menu = await trader.ask("/settings", "Your settings")
    assert "Market: <b>futures</b>" in (menu.text or "")
    spot = await trader.press(menu, "spot", "Market set to spot")
    assert "✓ spot" in [label for label, _ in spot.buttons()]
    await trader.press(spot, "futures", "Market set to futures")
    await trader.ask("/set amount 250", "Amount set to 250 USDT")
    await trader.ask("/set leverage 5", "Leverage set to 5x")
    settings = await service.users.get_settings(trader.id)
    assert (settings.market_type, settings.trade_amount, settings.leverage) == ("futures", 250, 5)
    await trader.ask("/set amount 100", "Amount set to 100 USDT")
    await trader.ask("/set leverage 10", "Leverage set to 10x")

    # Keys in one line: the message is deleted at once, checked, stored; nothing echoed.
    fake_bybit.add_account(DEMO_KEY, DEMO_SECRET, env="demo", usdt="2500")
    mark = fake_telegram.mark()
    keys_message = trader.say(f"/keys demo {DEMO_KEY} {DEMO_SECRET}")
    stored = await fake_telegram.wait_for_message(trader.id, "keys work", since=mark)
    deleted = fake_telegram.calls_to("deleteMessage", since=mark)
    assert [c.params["message_id"] for c in deleted] == [keys_message]
    assert deleted[0].index < stored.index
    assert "2,500" in (stored.text or "")
    keys = await service.users.get_api_keys(trader.id, "demo")
    assert keys is not None and keys.api_secret == DEMO_SECRET

    # The webhook URL, then a signal posted to it: one notification with the right numbers.
    webhook = await trader.ask("/webhook", "personal webhook URL")
    assert "{{strategy.market_position}}" in (webhook.text or "")
    mark = fake_telegram.mark()
    status, answer = await post_signal(http, service, url_in(webhook),
                                       {"symbol": "BTCUSDT", "action": "buy", "price": 50000})
    assert status == 200 and answer["status"] == "queued"
    report = await fake_telegram.wait_for_message(trader.id, "signal #", since=mark)
    text = report.text or ""
    assert "Opened long 0.02 BTCUSDT at 50,000" in text
    assert "leverage 10x" in text and "Account: paper · futures" in text
    await service.dispatcher.join()
    await service.bot.notifier.join()
    reports = [m for m in fake_telegram.sent_messages(trader.id, since=mark)
               if "signal #" in (m.text or "")]
    assert len(reports) == 1

    everything_sent = [m.text or "" for m in fake_telegram.sent_messages()]
    assert not [t for t in everything_sent if DEMO_SECRET in t or DEMO_KEY in t]
    assert DEMO_SECRET not in caplog.text and DEMO_KEY not in caplog.text


async def test_admin_rejects_a_registration(
        service: Service, fake_telegram: FakeTelegram, admin: Person, stranger: Person) -> None:
    await stranger.ask("/start", "approve")
    request = await fake_telegram.wait_for_message(ADMIN_ID, f"<code>{stranger.id}</code>")
    mark = fake_telegram.mark()
    await admin.press(request, "Reject", "rejected by Admin")
    await fake_telegram.wait_for_message(stranger.id, "not active", since=mark)
    user = await service.users.get_user(stranger.id)
    assert user is not None and not user.is_active
    await stranger.ask("/webhook", "waiting for approval")


async def test_inactive_users_may_only_start_help_and_language(
        service: Service, stranger: Person) -> None:
    await stranger.ask("/positions", "Send /start first")
    await stranger.ask("/start", "approve")
    for command in ("/settings", "/set amount 5", "/webhook", "/trades", "/pause", "/balance"):
        await stranger.ask(command, "waiting for approval")
    help_text = (await stranger.ask("/help", "BotByBit")).text or ""
    assert "/start" in help_text and "/settings" not in help_text
    await stranger.ask("/language ar", "العربية")


async def test_approval_shows_the_webhook_and_rotate_replaces_it(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        admin: Person, trader: Person,
        approved: Callable[[Person], Awaitable[User]]) -> None:
    approval = await register(trader, admin)
    old_url = url_in(approval)
    asked = await trader.ask("/rotate", "Every alert that posts to the old URL stops working")
    rotated = await trader.press(asked, "Rotate", "New webhook URL")
    new_url = url_in(rotated)
    assert new_url != old_url
    body = {"symbol": "BTCUSDT", "action": "buy", "price": 50000}
    status, answer = await post_signal(http, service, old_url, body)
    assert status == 401 and answer["error"] == "unauthorized"
    status, _ = await post_signal(http, service, new_url, body)
    assert status == 200


async def test_nothing_that_holds_a_secret_is_shown_in_a_group(
        service: Service, fake_telegram: FakeTelegram, admin: Person, trader: Person,
        approved: Callable[[Person], Awaitable[User]]) -> None:
    user = await approved(trader)
    await admin.ask("/start", "admin")
    token = service.users.webhook_token(user)
    group = -100777
    sara, boss = (Person(fake_telegram, person.id, first_name=person.first_name,
                         chat_id=group, chat_type="supergroup") for person in (trader, admin))
    mark = fake_telegram.mark()
    for command in ("/webhook", "/dashboard", "/rotate"):
        await sara.ask(command, "private chat")
    refused = await boss.ask("/channel new Signals", "private chat")
    assert await service.channels.owned_by(ADMIN_ID) == []
    # A button that would show the URL, pressed (or forged) in the group, changes nothing.
    assert refused.message_id is not None
    asked = fake_telegram.mark()
    fake_telegram.press_button(trader.id, "rotate:yes", message_id=refused.message_id,
                               chat_id=group)
    answer = await fake_telegram.wait_for_call("answerCallbackQuery", since=asked)
    assert "private chat" in answer.params.get("text", "")
    assert service.users.webhook_token(await service.users.get_user(trader.id)) == token
    shown = [f"{m.text} {m.buttons()}" for m in fake_telegram.sent_messages(group, since=mark)]
    assert shown and not [text for text in shown
                          if token in text or "token=" in text or "?key=" in text]
    # In the private chat the same command still answers with the URL.
    assert token in url_in(await trader.ask("/webhook", "webhook URL"))
