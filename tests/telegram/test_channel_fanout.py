"""A subscriber deactivated by an admin while a channel's alert is being expanded: the
subscribers before them trade, they get a refusal saying why, the ones after them trade.

The expansion is held by its own back-pressure, as in production: one subscriber per step and
one execution at a time, the first execution waiting at the fake Bybit for the symbol's rules,
so after two steps the lanes are full and the expansion waits for them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import aiohttp
import pytest

from bot.app import Service
from bot.config import Config
from bot.models import User
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.telegram.channel_kit import make_channel, orders_of, statuses
from tests.telegram.conftest import Person, post_signal
from tests.watch import SignalWatcher

Approve = Callable[[Person], Awaitable[User]]


@pytest.fixture
async def service(telegram_config: Callable[..., Config],
                  start_service: Callable[[Config], Awaitable[Service]],
                  fake_telegram: FakeTelegram) -> Service:
    """The whole service with one execution at a time and one subscriber per expansion
    step."""
    started = await start_service(telegram_config(limits={"max_parallel_executions": 1}))
    await fake_telegram.wait_for_call("getUpdates")
    started.fanout.batch = 1
    return started


async def test_a_subscriber_deactivated_mid_fan_out_is_refused_and_the_rest_trade(
        service: Service, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession, admin: Person, approved: Approve) -> None:
    await admin.ask("/start", "You are an admin")
    channel = await make_channel(admin)
    people = [Person(fake_telegram, uid, first_name=name) for uid, name in
              ((6301, "Sara"), (6302, "Omar"), (6303, "Lina"), (6304, "Noor"))]
    for person in people:
        await approved(person)
        await person.ask(f"/subscribe {channel.code}", "You follow")
    sara, omar, lina, noor = people
    watcher = SignalWatcher(service.events, [omar.id])
    held = fake_bybit.hold("/v5/market/instruments-info")
    try:
        mark = fake_telegram.mark()
        status, answer = await post_signal(http, service, channel.url,
                                           {"symbol": "BTCUSDT", "action": "buy",
                                            "price": 50000})
        assert (status, answer["subscribers"]) == (200, 4)
        await held.arrived()  # Sara's execution waits for the rules
        await watcher.wait_for_route("channel")  # Omar's row written: the lanes are full
        alert = answer["channel_alert_id"]
        assert set(statuses(service, alert)) == {sara.id, omar.id}  # Lina's not yet

        await admin.ask(f"/deactivate {lina.id}", "is deactivated")
        held.release()
        told = await fake_telegram.wait_for_message(lina.id, "was not traded", since=mark)
        assert "From channel <b>Gold Signals</b>" in (told.text or "")
        assert "not active" in (told.text or "")
        for person in (sara, omar, noor):
            await fake_telegram.wait_for_message(person.id, "Opened long", since=mark)
        await service.fanout.join()
        await service.dispatcher.join()
    finally:
        held.release()
        await watcher.close()
    assert statuses(service, alert) == {sara.id: "done", omar.id: "done",
                                        lina.id: "rejected", noor.id: "done"}
    assert orders_of(service, lina.id) == []
    assert all(len(orders_of(service, p.id)) == 1 for p in (sara, omar, noor))
    stats = await admin.ask(f"/channel stats {channel.code}", "Subscribers:")
    assert "done 3 · ❌ failed 0" in (stats.text or "")
    assert "could not trade 1" in (stats.text or "")
