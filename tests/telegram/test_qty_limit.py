"""An alert's `qty` sent without a price puts up at most `limits.max_trade_amount`: intake
cannot weigh it, so the executor does at the price it reads, before any order (DESIGN §3)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal

import aiohttp
import pytest

from bot.app import Service
from bot.config import Config
from bot.models import User
from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram_records import as_read
from tests.telegram.conftest import ARABIC, Person, post_signal, webhook_url

Approve = Callable[..., Awaitable[User]]
LIMIT = Decimal(500)  # below the paper balance (10,000): only the limit can refuse
STEP = Decimal("0.001")  # one qty step of BTCUSDT above the limit


@pytest.fixture
async def service(telegram_config: Callable[..., Config],
                  start_service: Callable[[Config], Awaitable[Service]],
                  fake_telegram: FakeTelegram) -> Service:
    started = await start_service(telegram_config(limits={"max_trade_amount": str(LIMIT)}))
    await fake_telegram.wait_for_call("getUpdates")
    return started


async def test_a_qty_without_a_price_above_the_limit_orders_nothing_and_is_told_in_arabic(
        service: Service, fake_telegram: FakeTelegram, http: aiohttp.ClientSession,
        approved: Approve) -> None:
    layla = Person(fake_telegram, 6001, first_name="ليلى", language_code="ar")
    user = await approved(layla, **ARABIC)
    leverage = (await service.users.get_settings(user.id)).leverage
    url = webhook_url(service, user)
    mark = fake_telegram.mark()
    # At the fake's 50,000 this qty's margin is one step × 50,000 ÷ leverage above the limit.
    status, answer = await post_signal(http, service, url, {
        "symbol": "BTCUSDT", "action": "buy", "qty": str(LIMIT * leverage / 50000 + STEP)})
    assert (status, answer["status"]) == (200, "queued")
    report = await fake_telegram.wait_for_message(layla.id, "#1", since=mark)

    text = as_read(report.text or "")
    assert f"تحتاج هامشًا قدره {(LIMIT + STEP * 50000 / leverage).normalize():,}" in text, text
    assert "limits.max_trade_amount" in text and "أرسل كمية أصغر" in text
    record = await service.journal.get(answer["signal_id"])
    assert record is not None
    assert (record.status, record.error_code) == ("failed", "above_limit")
    assert await service.orders.recent(user.id) == []  # nothing ordered

    # At the limit exactly, the same alert trades.
    status, answer = await post_signal(http, service, url, {
        "symbol": "BTCUSDT", "action": "buy", "qty": str(LIMIT * leverage / 50000)})
    report = await fake_telegram.wait_for_message(layla.id, "#2", since=mark)
    assert len(await service.orders.recent(user.id)) == 1, as_read(report.text or "")

