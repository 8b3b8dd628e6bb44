"""kill -9 while a channel's alert is being expanded to 500 subscribers: after the restart every
subscriber has exactly one order from it, nobody skipped, nobody doubled."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from bot.app import default_settings
from bot.crypto import SecretBox
from bot.db import Database, UserRepo
from bot.db.channels import ChannelRepo
from tests.conftest import MASTER_KEY
from tests.fakes.bybit import FakeBybit
from tests.reliability.harness import Deployment

SUBSCRIBERS = range(20001, 20501)  # 500 paper accounts
OWNER = 20000


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
