"""Load: 5,000 signals from 500 users, 100 in flight, opens and closes alternating."""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import aiohttp

from bot.app import default_settings
from bot.crypto import SecretBox
from bot.db import Database, UserRepo
from tests.conftest import MASTER_KEY
from tests.fakes.bybit import FakeBybit
from tests.reliability.harness import Deployment

USERS = 500
PER_USER = 10
IN_FLIGHT = 100
FIRST_ID = 100_000


async def register(deployment: Deployment, fake: FakeBybit) -> dict[int, str]:
    """500 demo traders with stored keys; returns user id -> webhook token."""
    db = Database(deployment.config.database.path)
    await db.open()
    users = UserRepo(db, SecretBox(MASTER_KEY.encode()))
    tokens = {}
    try:
        for user_id in range(FIRST_ID, FIRST_ID + USERS):
            key, secret = f"k{user_id}", f"s{user_id}-secret"
            fake.add_account(key, secret, env="demo", usdt=Decimal("100000"))
            user, _ = await users.create_user(user_id, defaults=default_settings(
                deployment.config), is_active=True)
            await users.update_user_settings(user_id, account_type="demo")
            await users.set_api_keys(user_id, "demo", key, secret)
            tokens[user_id] = users.webhook_token(user)
    finally:
        await db.close()
    return tokens


async def test_five_thousand_signals_nothing_lost_nothing_doubled_order_kept(
        tmp_path: Path, fake_bybit: FakeBybit, http: aiohttp.ClientSession) -> None:
    deployment = Deployment(tmp_path, fake_bybit, None,
                            bybit={"requests_per_5s": 100_000, "max_workers": 32},
                            limits={"max_signal_age_s": 3600})
    tokens = await register(deployment, fake_bybit)
    await deployment.start()
    assert deployment.process is not None
    rss_start = deployment.process.rss_kib()

    acked: dict[int, list[int]] = defaultdict(list)

    async def wave(first: int, last: int) -> None:
        """Every user sends signals first..last-1 in order; 100 users at a time."""
        queue: asyncio.Queue[int] = asyncio.Queue()
        for user_id in tokens:
            queue.put_nowait(user_id)

        async def sender() -> None:
            while not queue.empty():
                user_id = queue.get_nowait()
                for n in range(first, last):
                    answer = await deployment.post(http, user_id, tokens[user_id], {
                        "symbol": "BTCUSDT", "action": "buy" if n % 2 == 0 else "close",
                        "price": 50000 + n, "id": f"{user_id}-{n}"})
                    assert answer["status"] == "queued"
                    acked[user_id].append(answer["signal_id"])

        await asyncio.wait_for(asyncio.gather(*(sender() for _ in range(IN_FLIGHT))), 300)
        assert deployment.process is not None
        await deployment.process.wait_for_count(r"signal=\d+ user=\d+ (executed|failed)",
                                                USERS * last, timeout=300)

    total = USERS * PER_USER
    await wave(0, PER_USER // 2)
    rss_half = deployment.process.rss_kib()
    await wave(PER_USER // 2, PER_USER)
    rss_end = deployment.process.rss_kib()
    assert sum(len(ids) for ids in acked.values()) == total

    statuses = deployment.rows("SELECT status, COUNT(*) FROM signals GROUP BY status")
    assert statuses == [("done", total)]  # exactly one row per 200, all final
    assert fake_bybit.duplicate_link_ids() == []
    assert len(fake_bybit.order_log) == total
    link = re.compile(r"-(\d+)-\w+$")
    for user_id, ids in acked.items():
        placed = [int(link.search(o.order_link_id).group(1))  # type: ignore[union-attr]
                  for o in fake_bybit.orders_for(f"k{user_id}")]
        assert placed == ids, user_id  # executed in arrival order
    # Memory settles: the second half of the load adds next to nothing over the first, so no
    # per-signal state is kept in the process (caches and pools filled during the first).
    assert rss_end - rss_half < 8 * 1024, (rss_start, rss_half, rss_end)
    assert rss_end - rss_start < 60 * 1024, (rss_start, rss_half, rss_end)
    assert await deployment.stop() == 0
    print(f"\nload: {total} signals, RSS {rss_start // 1024} -> {rss_half // 1024} -> "
          f"{rss_end // 1024} MiB")
