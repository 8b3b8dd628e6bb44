"""A real `main.py` process with a demo-account trader, against the fakes: for crash tests."""

from __future__ import annotations

import asyncio
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp

from bot.app import default_settings
from bot.config import parse_config
from bot.crypto import SecretBox
from bot.db import Database, UserRepo
from tests.conftest import BOT_TOKEN, MASTER_KEY, config_dict, free_port
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.process import ServiceProcess


class Deployment:
    """One installation (config + database) that can be started, killed and restarted."""

    def __init__(self, tmp_path: Path, fake_bybit: FakeBybit, telegram: FakeTelegram | None,
                 **sections: dict[str, Any]) -> None:
        bybit = fake_bybit
        sections.setdefault("bybit", {})["base_url"] = bybit.url
        if telegram is not None:
            sections.setdefault("telegram", {})["base_url"] = telegram.base_url
        sections.setdefault("limits", {}).update(per_user_per_minute=0, per_ip_per_minute=0)
        self.raw = config_dict(tmp_path, **sections)
        self.config = parse_config(self.raw, {"BOTBYBIT_MASTER_KEY": MASTER_KEY})
        self.tmp_path = tmp_path
        self.bybit = bybit
        self.telegram = telegram
        self.port = free_port()
        self.process: ServiceProcess | None = None
        self.generation = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def add_trader(self, user_id: int, *, market: str = "futures",
                         mode: str = "oneway", usdt: str = "10000") -> str:
        """A registered, active demo trader whose keys are stored; returns the token."""
        key, secret = f"key-{user_id}", f"secret-{user_id}-abcdef"
        self.bybit.add_account(key, secret, env="demo", usdt=Decimal(usdt),
                               position_mode=mode)
        db = Database(self.config.database.path)
        await db.open()
        try:
            users = UserRepo(db, SecretBox(MASTER_KEY.encode()))
            user, _ = await users.create_user(user_id, defaults=default_settings(self.config),
                                              is_active=True, first_name="Trader")
            await users.update_user_settings(user_id, account_type="demo", market_type=market)
            await users.set_api_keys(user_id, "demo", key, secret)
            return users.webhook_token(user)
        finally:
            await db.close()

    async def start(self) -> None:
        self.generation += 1
        env = {"PORT": str(self.port), "BOTBYBIT_MASTER_KEY": MASTER_KEY,
               "TELEGRAM_BOT_TOKEN": BOT_TOKEN if self.telegram else ""}
        run_dir = self.tmp_path / f"run{self.generation}"
        run_dir.mkdir()
        self.process = ServiceProcess(self.raw, run_dir, env=env)
        await self.process.start()
        await self.process.wait_ready()
        if self.telegram is not None:
            await self.process.wait_for_line("Telegram bot @")

    async def kill(self) -> None:
        assert self.process is not None
        await self.process.kill()

    async def stop(self) -> int:
        assert self.process is not None
        return await self.process.terminate()

    async def post(self, http: aiohttp.ClientSession, user_id: int, token: str,
                   body: dict[str, Any]) -> dict[str, Any]:
        async with http.post(f"{self.url}/personal/{user_id}/webhook",
                             params={"token": token}, json=body) as response:
            answer = await response.json()
            assert response.status == 200, answer
            return answer

    async def crash_during(self, http: aiohttp.ClientSession, user_id: int, token: str,
                           path: str, body: dict[str, Any], *,
                           after: bool = False) -> dict[str, Any]:
        """Post a signal, `kill -9` the process while the fake holds its request to `path`
        (`after`: once carried out, before the answer), then let the fake finish it (Bybit
        carries on without its client)."""
        held = self.bybit.hold(path, after=after)
        answer = await self.post(http, user_id, token, body)
        await held.arrived()
        await self.kill()
        held.release()
        return answer

    async def wait_final(self, signal_id: int, timeout: float = 20) -> str:
        """Wait for the log line that says how the signal ended."""
        assert self.process is not None
        match = await self.process.wait_for_line(
            rf"signal={signal_id} user=\d+ (executed|failed|expired)", timeout)
        return match.group(1)

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.config.database.path) as conn:
            return conn.execute(sql, params).fetchall()

    def statuses(self) -> dict[int, str]:
        return dict(self.rows("SELECT id, status FROM signals"))


async def settle(*aws: Any) -> None:
    await asyncio.gather(*aws)
