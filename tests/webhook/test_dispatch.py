"""Per-user order, cross-user concurrency, and picking up what a previous run left queued."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp

from bot.app import Service, default_settings
from bot.config import Config
from bot.crypto import SecretBox
from bot.db import Database, Journal, JournalEntry, UserRepo
from bot.signals import Signal
from bot.trading.dispatcher import Dispatcher, Job
from tests.conftest import MASTER_KEY
from tests.fakes.bybit import FakeBybit
from tests.webhook.conftest import Client


async def test_one_users_signals_run_in_arrival_order_while_users_interleave(
        client: Client, add_user, webhook_service: Service, watcher_factory) -> None:
    trader = await add_user(500)
    others = [await add_user(600 + i) for i in range(50)]
    watcher = watcher_factory(webhook_service, [trader.id] + [u.id for u in others])

    async def trader_alerts() -> list[int]:
        ids = []
        for i in range(100):
            action = "buy" if i % 2 == 0 else "close"
            status, answer, _ = await client.personal(
                trader, {"symbol": "BTCUSDT", "action": action, "price": 50000 + i, "id": i})
            assert status == 200
            ids.append(answer["signal_id"])
        return ids

    async def other_alerts(user: Any) -> list[int]:
        ids = []
        for action in ("buy", "close"):
            status, answer, _ = await client.personal(
                user, {"symbol": "ETHUSDT", "action": action, "price": 3000})
            assert status == 200
            ids.append(answer["signal_id"])
        return ids

    trader_ids, *other_ids = await asyncio.gather(trader_alerts(),
                                                  *(other_alerts(u) for u in others))
    everything = trader_ids + [i for ids in other_ids for i in ids]
    finals = await watcher.wait_final(everything, timeout=60)
    assert set(finals.values()) == {"done"}

    assert watcher.started[trader.id] == trader_ids  # executed exactly in arrival order
    for user, ids in zip(others, other_ids, strict=True):
        assert watcher.started[user.id] == ids
    # Other users' signals ran between the trader's first and last: lanes interleave.
    begun = [e["id"] for e in watcher.events if e["status"] == "processing"]
    first, last = begun.index(trader_ids[0]), begun.index(trader_ids[-1])
    assert set(begun[first:last]) - set(trader_ids)
    # The paper ledger filled the trader's orders in signal order: open, close, open, …
    orders = list(reversed(await webhook_service.orders.recent(trader.id, 200)))
    assert [o.signal_id for o in orders] == trader_ids
    assert [o.reduce_only for o in orders] == [i % 2 == 1 for i in range(100)]


async def test_lanes_of_different_users_really_run_at_the_same_time() -> None:
    users = 50
    barrier = asyncio.Barrier(users)  # only passable if 50 executions are in flight at once
    ran: list[int] = []

    async def runner(job: Job) -> None:
        await barrier.wait()
        ran.append(job.user_id)

    dispatcher = Dispatcher(runner, max_parallel=64)
    signal = Signal("BTCUSDT", "buy")
    for user in range(users):
        assert dispatcher.submit(Job(user, user, signal, time.time()))
    await asyncio.wait_for(dispatcher.join(), 10)
    assert sorted(ran) == list(range(users))


async def test_one_slow_user_does_not_hold_back_another() -> None:
    release = asyncio.Event()
    order: list[str] = []

    async def runner(job: Job) -> None:
        if job.user_id == 1:
            await release.wait()  # user 1's exchange hangs
        order.append(f"{job.user_id}:{job.signal_id}")
        if job.user_id == 2 and job.signal_id == 12:
            release.set()

    dispatcher = Dispatcher(runner, max_parallel=8)
    signal = Signal("BTCUSDT", "buy")
    for signal_id, user in ((1, 1), (2, 1), (11, 2), (12, 2)):
        dispatcher.submit(Job(signal_id, user, signal, time.time()))
    await asyncio.wait_for(dispatcher.join(), 10)
    assert order == ["2:11", "2:12", "1:1", "1:2"]


async def test_a_restart_picks_up_queued_rows_and_expires_old_ones(
        make_config: Callable[..., Config], start_service, fake_bybit: FakeBybit,
        tmp_path: Path, http: aiohttp.ClientSession) -> None:
    config = make_config(bybit={"base_url": fake_bybit.url})
    # A previous run acknowledged three signals and died before executing them.
    db = Database(config.database.path)
    await db.open()
    users = UserRepo(db, SecretBox(MASTER_KEY.encode()))
    await users.create_user(42, defaults=default_settings(config), is_active=True)
    journal = Journal(db)
    now = time.time()
    fresh_buy = Signal("BTCUSDT", "buy", price=Decimal("50000"))
    fresh = await journal.record(JournalEntry(42, "personal", "127.0.0.1", "{}", fresh_buy,
                                              "h1", now - 5))
    processing = await journal.record(JournalEntry(
        42, "personal", "127.0.0.1", "{}", Signal("BTCUSDT", "close", price=Decimal("50100")),
        "h2", now - 4))
    await journal.mark_processing(processing.signal_id)
    old = await journal.record(JournalEntry(42, "personal", "127.0.0.1", "{}", fresh_buy,
                                            "h3", now - 3600))
    await db.close()

    from bot.events import EventHub
    from tests.watch import SignalWatcher

    hub = EventHub()
    watcher = SignalWatcher(hub, [42])  # subscribed before start(): recovery runs inside it
    service = Service(config, events=hub)
    await service.start()
    try:
        finals = await watcher.wait_final([fresh.signal_id, processing.signal_id,
                                           old.signal_id])
        assert finals == {fresh.signal_id: "done", processing.signal_id: "done",
                          old.signal_id: "expired"}
        orders = await service.orders.recent(42)
        assert sorted(o.signal_id for o in orders) == [fresh.signal_id, processing.signal_id]
        expired = await service.journal.get(old.signal_id)
        assert expired is not None and "not traded late" in (expired.error or "")
    finally:
        await watcher.close()
        await service.stop()
