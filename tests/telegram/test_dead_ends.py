"""No dead ends: every refusal or question offers the way on — keys to add, a step to cancel,
a check to try again, where to go after approval, an amount to type, a rotation to confirm."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from decimal import Decimal

import aiohttp

from bot.app import Service
from bot.handlers.registry import BY_NAME
from bot.i18n import LRI, PDI
from bot.models import User
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.telegram.conftest import Person, post_signal, register, url_in

Approve = Callable[[Person], Awaitable[User]]
KEY, SECRET = "KeyAbCdEf123456", "SecretZyXwV9876543210"
ARABIC_START = re.compile(r"^[\u200f\u0600-\u06FF]")


async def test_choosing_demo_without_keys_offers_to_add_them_and_the_flow_can_cancel(
        service: Service, fake_telegram: FakeTelegram, trader: Person,
        approved: Approve) -> None:
    await approved(trader)
    menu = await trader.ask("/settings", "Your settings")
    refused = await trader.press(menu, "demo", "No demo API keys are stored")
    assert [data for _, data in refused.buttons()] == ["keys:add:demo", "set:menu"]
    asked = await trader.press(refused, "Add demo keys", "Send the <b>API key</b> of your demo")
    assert "/cancel stops" in (asked.text or "")
    assert asked.buttons() == [("Cancel", "keys:cancel")]
    mark = fake_telegram.mark()
    trader.say(KEY)
    secret = await fake_telegram.wait_for_message(trader.id, "API secret", since=mark)
    assert "/cancel stops" in (secret.text or "")
    await trader.press(secret, "Cancel", "Cancelled. Nothing was stored")
    await trader.ask("just chatting", "I work with commands")  # the flow is over
    assert await service.users.get_api_keys(trader.id, "demo") is None
    by_command = await trader.ask("/set account real", "No real API keys are stored")
    assert by_command.buttons() == [("🔑 Add real keys", "keys:add:real")]


async def test_every_step_of_the_guided_keys_flow_shows_cancel(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit, trader: Person,
        approved: Approve) -> None:
    await approved(trader)
    fake_bybit.add_account(KEY, SECRET, env="demo", usdt="250")
    choose = await trader.ask("/keys", "Which account")
    assert ("Cancel", "keys:cancel") in choose.buttons() and "/cancel" in (choose.text or "")
    key_step = await trader.press(choose, "demo", "Send the <b>API key</b>")
    assert key_step.buttons() == [("Cancel", "keys:cancel")]
    mark = fake_telegram.mark()
    trader.say(KEY)
    secret_step = await fake_telegram.wait_for_message(trader.id, "API secret", since=mark)
    assert secret_step.buttons() == [("Cancel", "keys:cancel")]
    trader.say(SECRET)
    await fake_telegram.wait_for_message(trader.id, "keys work", since=mark)
    assert BY_NAME["cancel"].menu  # /cancel is in the command menus
    assert "cancel" in [c["command"] for c in fake_telegram.commands()]


async def test_a_failed_key_check_offers_to_try_again(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit, trader: Person,
        approved: Approve) -> None:
    await approved(trader)  # the fake Bybit does not know these keys yet
    failed = await trader.ask(f"/keys demo {KEY} {SECRET}", "does not know these keys")
    assert failed.buttons() == [("🔁 Try again", "keys:add:demo")]
    fake_bybit.add_account(KEY, SECRET, env="demo", usdt="250")
    asked = await trader.press(failed, "Try again", "Send the <b>API key</b> of your demo")
    mark = fake_telegram.mark()
    trader.say(KEY)
    await fake_telegram.wait_for_message(trader.id, "API secret", since=mark)
    trader.say(SECRET)
    await fake_telegram.wait_for_message(trader.id, "keys work", since=mark)
    keys = await service.users.get_api_keys(trader.id, "demo")
    assert keys is not None and keys.api_key == KEY
    assert asked.buttons() == [("Cancel", "keys:cancel")]


async def test_the_approval_message_leads_to_settings_and_tradingview(
        service: Service, fake_telegram: FakeTelegram, trader: Person, admin: Person) -> None:
    approval = await register(trader, admin)
    assert [data for _, data in approval.buttons()] == ["open:settings", "open:webhook"]
    await trader.press(approval, "Settings", "Your settings")
    setup = await trader.press(approval, "TradingView set-up", "Your personal webhook URL")
    assert url_in(setup) == url_in(approval)
    assert setup.message_id != approval.message_id  # the approval message stays as it was


async def test_custom_amount_asks_for_it_and_takes_the_typed_answer(
        service: Service, fake_telegram: FakeTelegram, trader: Person,
        approved: Approve) -> None:
    await approved(trader)
    menu = await trader.ask("/settings", "Your settings")
    asked = await trader.press(menu, "Custom…", "Send the amount per trade in USDT")
    assert "at most 100,000" in (asked.text or "") and "/cancel" in (asked.text or "")
    await trader.ask("plenty", "“plenty” is not an amount")
    await trader.ask("-3", "Send another amount, or /cancel")
    done = await trader.ask("75", "Amount set to 75 USDT per trade")
    assert "Amount per trade: <b>75 USDT</b>" in (done.text or "")
    assert ("✓ Custom…", "set:amount:custom") in done.buttons()
    assert (await service.users.get_settings(trader.id)).trade_amount == Decimal(75)
    await trader.ask("80", "I work with commands")  # answered: no longer waiting
    await trader.press(done, "Custom…", "Send the amount per trade in USDT")
    await trader.ask("/cancel", "Cancelled. Nothing was changed")
    await trader.ask("90", "I work with commands")
    menu = await trader.ask("/settings", "Your settings")
    await trader.press(menu, "Custom…", "Send the amount per trade in USDT")
    await trader.ask("/help", "Commands")  # another command drops the question too
    await trader.ask("95", "I work with commands")
    assert (await service.users.get_settings(trader.id)).trade_amount == Decimal(75)


async def test_leverage_is_shown_and_offered_only_for_futures(
        service: Service, trader: Person, approved: Approve) -> None:
    await approved(trader)
    futures = await trader.ask("/settings", "Your settings")
    assert "Leverage: <b>10x</b>" in (futures.text or "")
    assert any((data or "").startswith("set:leverage:") for _, data in futures.buttons())
    spot = await trader.press(futures, "spot", "Market set to spot")
    assert "Leverage" not in (spot.text or "")
    assert not any((data or "").startswith("set:leverage:") for _, data in spot.buttons())
    again = await trader.ask("/settings", "Your settings")
    assert "Leverage" not in (again.text or "") and "Amount per trade" in (again.text or "")


async def test_rotate_asks_first_and_cancel_keeps_the_url(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        trader: Person, admin: Person) -> None:
    approval = await register(trader, admin)
    old_url = url_in(approval)
    asked = await trader.ask("/rotate", "Make a new webhook URL")
    assert "Every alert that posts to the old URL stops working" in (asked.text or "")
    assert asked.buttons() == [("🔄 Rotate", "rotate:yes"), ("Cancel", "rotate:no")]
    await trader.press(asked, "Cancel", "your webhook URL is unchanged")
    body = {"symbol": "BTCUSDT", "action": "buy", "price": 50000}
    assert (await post_signal(http, service, old_url, body))[0] == 200
    asked = await trader.ask("/rotate", "Make a new webhook URL")
    rotated = await trader.press(asked, "Rotate", "New webhook URL")
    assert url_in(rotated) != old_url
    assert (await post_signal(http, service, old_url, body))[0] == 401
    assert "rotate" not in [c["command"] for c in fake_telegram.commands()]


async def test_the_arabic_dead_end_buttons_and_questions(
        service: Service, fake_telegram: FakeTelegram, admin: Person) -> None:
    layla = Person(fake_telegram, 6001, first_name="ليلى", language_code="ar")
    await layla.ask("/start", "أهلًا")
    request = await fake_telegram.wait_for_message(admin.id, f"<code>{layla.id}</code>")
    mark = fake_telegram.mark()
    await admin.press(request, "Approve", "approved")
    approval = await fake_telegram.wait_for_message(layla.id, "تم تفعيل", since=mark)
    labels = [label for label, _ in approval.buttons()]
    assert len(labels) == 2 and "الإعدادات" in labels[0] and "إعداد" in labels[1]
    asked = await layla.ask("/rotate", "رابط ويب هوك جديدًا")
    menu = await layla.ask("/settings", "إعداداتك")
    amount = await layla.press(menu, "مبلغ آخر", "أرسل مبلغ كل صفقة")
    for message in (asked, amount):
        for line in (message.text or "").splitlines():
            assert ARABIC_START.match(line), line
    assert f"{LRI}/cancel{PDI}" in (amount.text or "")
    assert f"{LRI}100000{PDI}" in (amount.text or "") or f"{LRI}100,000{PDI}" in (
        amount.text or "")


async def test_the_arabic_keys_and_pause_buttons(
        service: Service, fake_telegram: FakeTelegram, admin: Person) -> None:
    layla = Person(fake_telegram, 6003, first_name="ليلى", language_code="ar")
    await layla.ask("/start", "أهلًا")
    request = await fake_telegram.wait_for_message(admin.id, f"<code>{layla.id}</code>")
    await admin.press(request, "Approve", "approved")
    refused = await layla.ask("/set account demo", "لا توجد مفاتيح API")
    [(add, data)] = refused.buttons()
    assert "إضافة مفاتيح" in add and data == "keys:add:demo"
    asked = await layla.press_data(refused, data, "مفتاح API")
    [(cancel, _)] = asked.buttons()
    failed = await layla.ask(f"/keys demo {KEY} {SECRET}", "❌")
    [(again, again_data)] = failed.buttons()
    assert "حاول مرة أخرى" in again and again_data == "keys:add:demo"
    done = await layla.ask("/pause", "تم إيقاف التداول")
    assert [data for _, data in done.buttons()] == ["pause:entries", "pause:resume"]
    for message in (refused, asked, failed, done):
        for line in filter(None, (message.text or "").splitlines()):
            assert ARABIC_START.match(line), line
    assert f"{LRI}/cancel{PDI}" in (asked.text or "") and cancel
    assert (await service.users.get_settings(layla.id)).paused
    await layla.ask("/resume", "تم استئناف التداول")
    assert (await service.users.get_settings(layla.id)).pause is None
