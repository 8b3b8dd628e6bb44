"""kill -9 while a channel's alert is being expanded to 500 subscribers: after the restart every
subscriber has exactly one order from it, nobody skipped, nobody doubled."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace
from pathlib import Path

import aiohttp

from bot.app import default_settings
from bot.crypto import SecretBox
from bot.db import Database, UserRepo
from bot.db.channel_alerts import ChannelAlertEntry, ChannelAlertRepo
from bot.db.channels import ChannelRepo
from bot.signals import parse_signal
from bot.vocabulary import CopyMode
from tests.conftest import MASTER_KEY
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.reliability.harness import Deployment

SUBSCRIBERS = range(20001, 20501)  # 500 paper accounts
OWNER = 20000


async def left_unexpanded(db: Database, channel_id: int) -> None:
    """What a kill -9 right after the provider's 200 leaves: the channel alert's one row (a
    buy), which no subscriber has been given a signal of yet."""
    body = {"symbol": "BTCUSDT", "action": "buy", "price": 50000}
    await ChannelAlertRepo(db).record(ChannelAlertEntry(
        channel_id, "127.0.0.1", json.dumps(body), parse_signal(body), None, time.time()))


async def add_channel(deployment: Deployment) -> tuple[str, str]:
    """An admin's channel with 500 active paper subscribers; returns its code and token."""
    db = Database(deployment.config.database.path)
    await db.open()
    try:
        users = UserRepo(db, SecretBox(MASTER_KEY.encode()))
        defaults = default_settings(deployment.config)
        await asyncio.gather(*(users.create_user(user_id, defaults=defaults, is_active=True)
                               for user_id in (OWNER, *SUBSCRIBERS)))
        channels = ChannelRepo(db, users.tokens)
        channel, token = await channels.create(OWNER, "Crash test")
        await asyncio.gather(*(channels.subscribe(channel.id, user_id)
                               for user_id in SUBSCRIBERS))
        return channel.code, token
    finally:
        await db.close()


async def test_kill_during_the_expansion_of_an_alert_to_500_subscribers(
        tmp_path: Path, fake_bybit: FakeBybit, http: aiohttp.ClientSession) -> None:
    deployment = Deployment(tmp_path, fake_bybit, None)
    code, token = await add_channel(deployment)
    await deployment.start()
    # Paper executions read the symbol's rules from Bybit first: while that one read is held,
    # no subscriber's signal can finish, the lanes fill, and the expansion waits for them.
    held = fake_bybit.hold("/v5/market/instruments-info")
    async with http.post(f"{deployment.url}/channel/{code}/webhook", params={"token": token},
                         json={"symbol": "BTCUSDT", "action": "buy", "price": 50000}) as response:
        answer = await response.json()
    assert response.status == 200 and answer["subscribers"] == 500, answer
    await held.arrived()
    assert deployment.process is not None
    await deployment.process.wait_for_line(r"alert=\d+ expansion waits for the lanes")
    await deployment.kill()
    held.release()
    [(status, cursor, expanded)] = deployment.rows(
        "SELECT status, cursor, expanded FROM channel_alerts")
    assert status == "expanding" and 0 < expanded < 500 and cursor < SUBSCRIBERS[-1]
    assert deployment.rows("SELECT COUNT(*) FROM orders") == [(0,)]

    await deployment.start()
    assert deployment.process is not None
    await deployment.process.wait_for_count(r"signal=\d+ user=\d+ executed", 500, timeout=180)
    per_subscriber = dict(deployment.rows(
        "SELECT user_id, COUNT(*) FROM orders GROUP BY user_id"))
    assert per_subscriber == dict.fromkeys(SUBSCRIBERS, 1)
    signals = dict(deployment.rows(
        "SELECT user_id, COUNT(*) FROM signals WHERE channel_alert_id = ? GROUP BY user_id",
        answer["channel_alert_id"]))
    assert signals == dict.fromkeys(SUBSCRIBERS, 1)
    assert deployment.rows("SELECT DISTINCT status FROM signals") == [("done",)]
    assert deployment.rows("SELECT status, cursor, expanded FROM channel_alerts") == [
        ("expanded", SUBSCRIBERS[-1], 500)]
    assert await deployment.stop() == 0


ASKS, PAUSED = 20601, 20602  # a subscriber in confirm mode, and one who paused trading


async def test_subscribers_are_told_once_of_an_alert_the_restart_expanded(
        tmp_path: Path, fake_bybit: FakeBybit, fake_telegram: FakeTelegram) -> None:
    deployment = Deployment(tmp_path, fake_bybit, fake_telegram)
    db = Database(deployment.config.database.path)
    await db.open()
    try:
        users = UserRepo(db, SecretBox(MASTER_KEY.encode()))
        defaults = default_settings(deployment.config)
        for user_id in (OWNER, ASKS, PAUSED):
            await users.create_user(user_id, defaults=defaults, is_active=True)
        await users.update_user_settings(PAUSED, paused=True)
        channels = ChannelRepo(db, users.tokens)
        channel, _ = await channels.create(OWNER, "Crash test")
        for user_id in (ASKS, PAUSED):
            await channels.subscribe(channel.id, user_id)
        asks = await channels.subscription(channel.id, ASKS)
        assert asks is not None
        await channels.set_copy(replace(asks, mode=CopyMode.CONFIRM))
        await left_unexpanded(db, channel.id)
    finally:
        await db.close()
    mark = fake_telegram.mark()

    await deployment.start()
    await fake_telegram.wait_for_message(ASKS, "Trade it?", since=mark, timeout=10)
    await fake_telegram.wait_for_message(PAUSED, "was not traded", since=mark, timeout=10)
    assert await deployment.stop() == 0  # which sends whatever was still queued
    assert deployment.rows("SELECT user_id, status FROM signals ORDER BY user_id") == [
        (ASKS, "awaiting"), (PAUSED, "rejected")]
    assert len(fake_telegram.sent_messages(ASKS, since=mark)) == 1  # one Execute / Skip
    assert len(fake_telegram.sent_messages(PAUSED, since=mark)) == 1


FOLLOWER = 20701  # a demo trader who follows the channel


async def test_a_channel_alert_that_arrives_during_the_restart_runs_after_the_one_it_left(
        tmp_path: Path, fake_bybit: FakeBybit, fake_telegram: FakeTelegram,
        http: aiohttp.ClientSession) -> None:
    deployment = Deployment(tmp_path, fake_bybit, fake_telegram)
    await deployment.add_trader(FOLLOWER)
    db = Database(deployment.config.database.path)
    await db.open()
    try:
        users = UserRepo(db, SecretBox(MASTER_KEY.encode()))
        await users.create_user(OWNER, defaults=default_settings(deployment.config),
                                is_active=True)
        channels = ChannelRepo(db, users.tokens)
        channel, token = await channels.create(OWNER, "Crash test")
        await channels.subscribe(channel.id, FOLLOWER)
        await left_unexpanded(db, channel.id)  # an entry
    finally:
        await db.close()
    # The restart listens before it resumes that expansion (Telegram's 429 on getMe holds it
    # there a few seconds), and the provider's exit arrives then.
    mark = fake_telegram.mark()
    fake_telegram.fail_next("getMe", status=429, retry_after=5)
    starting = asyncio.create_task(deployment.start())
    await fake_telegram.wait_for_call("getMe", since=mark, timeout=20)
    async with http.post(f"{deployment.url}/channel/{channel.code}/webhook",
                         params={"token": token},
                         json={"symbol": "BTCUSDT", "action": "close"}) as response:
        assert response.status == 200, await response.text()
    await starting
    assert deployment.process is not None
    await deployment.process.wait_for_count(
        rf"signal=\d+ user={FOLLOWER} (executed|failed|expired)", 2)

    # In the order the provider sent them: the entry opened, the exit closed it.
    assert [(o.side, o.reduce_only) for o in fake_bybit.order_log] == [("Buy", False),
                                                                      ("Sell", True)]
    assert fake_bybit.account(f"key-{FOLLOWER}").position("BTCUSDT").size == 0
    assert await deployment.stop() == 0
