"""Faults around a trade: a stuck exchange for one user, Telegram down, Telegram refusing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import aiohttp
import pytest
from telegram import Bot

from bot.app import Service, default_settings
from bot.config import Config
from bot.events import EventHub
from bot.notify import Notifier
from tests.conftest import BOT_TOKEN, base_url
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.watch import SignalWatcher


async def add_demo_trader(service: Service, fake: FakeBybit, user_id: int) -> Any:
    fake.add_account(f"k{user_id}", f"s{user_id}-secret", env="demo", usdt=Decimal("10000"))
    user, _ = await service.users.create_user(user_id, defaults=default_settings(service.config),
                                              is_active=True)
    await service.users.update_user_settings(user_id, account_type="demo")
    await service.users.set_api_keys(user_id, "demo", f"k{user_id}", f"s{user_id}-secret")
    return user


async def post(http: aiohttp.ClientSession, service: Service, user: Any,
               body: dict[str, Any]) -> int:
    token = service.users.webhook_token(user)
    async with http.post(f"{base_url(service)}/personal/{user.id}/webhook",
                         params={"token": token}, json=body) as response:
        answer = await response.json()
        assert response.status == 200, answer
        return answer["signal_id"]


async def test_one_users_stuck_exchange_does_not_hold_up_the_others(
        make_config: Callable[..., Config], start_service: Callable[..., Any],
        fake_bybit: FakeBybit, http: aiohttp.ClientSession) -> None:
    hub = EventHub()
    config = make_config(bybit={"base_url": fake_bybit.url})
    service = Service(config, events=hub)
    await service.start()
    try:
        stuck, *others = [await add_demo_trader(service, fake_bybit, uid)
                          for uid in (71, 72, 73, 74)]
        watcher = SignalWatcher(hub, [u.id for u in (stuck, *others)])
        held = fake_bybit.hold("/v5/order/create")
        stuck_id = await post(http, service, stuck, {"symbol": "BTCUSDT", "action": "buy",
                                                     "price": 50000})
        await held.arrived()
        other_ids = [await post(http, service, user, {"symbol": "ETHUSDT", "action": "buy",
                                                      "price": 3000}) for user in others]
        assert set((await watcher.wait_final(other_ids)).values()) == {"done"}
        assert stuck_id not in watcher.final  # still waiting on its exchange
        held.release()
        assert (await watcher.wait_final([stuck_id]))[stuck_id] == "done"
        assert fake_bybit.duplicate_link_ids() == []
        await watcher.close()
    finally:
        await service.stop()


async def test_exchange_errors_end_in_one_clear_failure_while_others_trade(
        make_config: Callable[..., Config], fake_bybit: FakeBybit,
        http: aiohttp.ClientSession) -> None:
    hub = EventHub()
    # REST alone: a private stream's resync would read positions too and take the faults.
    service = Service(make_config(bybit={"base_url": fake_bybit.url,
                                         "max_private_streams": 0}), events=hub)
    await service.start()
    try:
        failing = await add_demo_trader(service, fake_bybit, 81)
        fine = await add_demo_trader(service, fake_bybit, 82)
        watcher = SignalWatcher(hub, [81, 82])
        fake_bybit.inject("/v5/position/list", http_status=502, times=3)  # 3 attempts, all 5xx
        bad = await post(http, service, failing, {"symbol": "BTCUSDT", "action": "buy",
                                                  "price": 50000})
        assert (await watcher.wait_final([bad]))[bad] == "failed"
        good = await post(http, service, fine, {"symbol": "BTCUSDT", "action": "buy",
                                                "price": 50000})
        assert (await watcher.wait_final([good]))[good] == "done"
        record = await service.journal.get(bad)
        assert record is not None and record.error
        assert "HTTP 502" in record.error or "Bybit" in record.error
        assert fake_bybit.orders_for("k81") == []
        await watcher.close()
    finally:
        await service.stop()


async def test_telegram_down_delays_the_message_not_the_trade(
        make_config: Callable[..., Config], fake_bybit: FakeBybit,
        fake_telegram: FakeTelegram, http: aiohttp.ClientSession) -> None:
    hub = EventHub()
    config = make_config(bybit={"base_url": fake_bybit.url},
                         telegram={"base_url": fake_telegram.base_url,
                                   "per_chat_interval_s": 0.05},
                         env={"TELEGRAM_BOT_TOKEN": BOT_TOKEN})
    service = Service(config, events=hub)
    await service.start()
    try:
        user, _ = await service.users.create_user(91, defaults=default_settings(config),
                                                  is_active=True)
        watcher = SignalWatcher(hub, [91])
        fake_telegram.set_down(True)
        signal_id = await post(http, service, user, {"symbol": "BTCUSDT", "action": "buy",
                                                     "price": 50000})
        assert (await watcher.wait_final([signal_id]))[signal_id] == "done"  # traded anyway
        await fake_telegram.wait_for_call("sendMessage", lambda c: c.status == 502)
        assert fake_telegram.sent_messages(91) == []
        record = await service.journal.get(signal_id)
        assert record is not None and record.notified_at is None
        fake_telegram.set_down(False)
        await fake_telegram.wait_for_message(91, rf"#{signal_id}\b", timeout=15)
        assert len(fake_telegram.sent_messages(91)) == 1
        await watcher.close()
    finally:
        await service.stop()


async def test_a_notification_is_given_up_after_its_bound_and_logged(
        fake_telegram: FakeTelegram, caplog: pytest.LogCaptureFixture) -> None:
    delivered: list[int] = []

    async def mark(signal_id: int) -> None:
        delivered.append(signal_id)

    async def no_reports(report: Any) -> list[tuple[int, str]]:
        return []

    bot = Bot(BOT_TOKEN, base_url=fake_telegram.base_url)
    async with bot:
        notifier = Notifier(bot, format_report=no_reports, delivered=mark, interval_s=0,
                            give_up_after_s=0.3)
        fake_telegram.set_down(True)
        caplog.set_level(logging.WARNING, logger="bot.notify")
        notifier.send(93, "hello", signal_id=7)
        await notifier.stop(timeout=10)
    assert notifier.failed == 1 and notifier.sent == 0 and delivered == []
    assert "given up" in caplog.text and "signal=7" in caplog.text
