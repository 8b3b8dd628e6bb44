"""When the journal cannot be written, nothing is acknowledged: 503, never a false 200."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from typing import Any

import aiohttp

from bot.app import Service, default_settings
from bot.config import Config
from tests.conftest import base_url

BUY = {"symbol": "BTCUSDT", "action": "buy", "price": 50000}


async def post(http: aiohttp.ClientSession, service: Service, user: Any,
               body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    token = service.users.webhook_token(user)
    async with http.post(f"{base_url(service)}/personal/{user.id}/webhook",
                         params={"token": token}, json=body) as response:
        return response.status, await response.json()


async def test_a_locked_database_answers_503_and_recovers(
        make_config: Callable[..., Config], start_service: Callable[..., Any],
        http: aiohttp.ClientSession) -> None:
    service = await start_service(make_config(bybit={"base_url": "http://127.0.0.1:9"}))
    user, _ = await service.users.create_user(31, defaults=default_settings(service.config),
                                              is_active=True)
    await service.users.get_account(31)  # warm the cache, as after any earlier alert
    # Another process takes the write lock and keeps it longer than our busy timeout.
    other = sqlite3.connect(service.config.database.path, isolation_level=None, timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    try:
        status, answer = await post(http, service, user, BUY)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert status == 503
    assert answer["error"] == "unavailable" and "not accepted" in answer["message"]
    count = await service.db.read(lambda c: c.execute("SELECT COUNT(*) FROM signals"
                                                      " WHERE user_id = 31").fetchone()[0])
    assert count == 0
    status, answer = await post(http, service, user, {**BUY, "id": "again"})
    assert status == 200 and answer["status"] == "queued"


async def test_a_full_disk_answers_503_not_200(make_config: Callable[..., Config],
                                               start_service: Callable[..., Any],
                                               http: aiohttp.ClientSession) -> None:
    service = await start_service(make_config(bybit={"base_url": "http://127.0.0.1:9"}))
    user, _ = await service.users.create_user(32, defaults=default_settings(service.config),
                                              is_active=True)
    await service.users.get_account(32)
    pages = await service.db.read(lambda c: c.execute("PRAGMA page_count").fetchone()[0])
    # SQLite's own way to make the file "full": no page beyond the current ones.
    await service.db.read(lambda c: c.execute(f"PRAGMA max_page_count = {pages}").fetchone())
    big = {**BUY, "note": "x" * 12000}
    answers = await asyncio.gather(*(post(http, service, user, {**big, "id": str(i)})
                                     for i in range(5)))
    assert {status for status, _ in answers} == {503}
    await service.db.read(lambda c: c.execute("PRAGMA max_page_count = 1073741823").fetchone())
    status, _ = await post(http, service, user, {**BUY, "id": "after"})
    assert status == 200
