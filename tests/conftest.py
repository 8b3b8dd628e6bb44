"""Shared fixtures: the fakes on free 127.0.0.1 ports, configs, and an in-process service."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from cryptography.fernet import Fernet

from bot.app import Service
from bot.config import Config, parse_config
from bot.trading.streams.tickers import Ticker
from bot.vocabulary import Category
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram

# httpx (PTB) and requests (pybit) honour proxy variables: never send 127.0.0.1 through one.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
os.environ.setdefault("PTB_TIMEDELTA", "1")

BOT_TOKEN = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz"
ADMIN_ID = 9001
MASTER_KEY = Fernet.generate_key().decode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
async def no_process_outlives_its_test() -> AsyncIterator[None]:
    """Kill any `main.py` a failed test left running, so it cannot linger or hold a port."""
    from tests.process import ServiceProcess

    yield
    for process in list(ServiceProcess.alive):
        if process.proc is not None and process.proc.returncode is None:
            await process.kill()
        ServiceProcess.alive.discard(process)


@pytest.fixture
async def fake_bybit() -> AsyncIterator[FakeBybit]:
    fake = FakeBybit()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram(token=BOT_TOKEN, bot_username="botbybit_test_bot")
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


def config_dict(tmp_path: Path, **sections: dict[str, Any]) -> dict[str, Any]:
    """A config mapping for tests: 127.0.0.1, a free port, the database under tmp_path."""
    raw: dict[str, Any] = {
        "server": {"host": "127.0.0.1", "port": 0, "public_url": "https://bot.example.com",
                   "shutdown_timeout_s": 5},
        "database": {"path": str(tmp_path / "data" / "botbybit.db")},
        "limits": {"max_signal_age_s": 120},
    }
    for name, values in sections.items():
        raw.setdefault(name, {}).update(values)
    bybit = raw.setdefault("bybit", {})
    if "stream_url" not in bybit:
        # The fake Bybit serves its streams on its own port; without a fake, a closed local
        # port, so no test ever reaches for Bybit's real hosts.
        rest = bybit.get("base_url") or "http://127.0.0.1:9"
        bybit["stream_url"] = rest.replace("http://", "ws://", 1)
    return raw


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., Config]:
    """Build a validated Config; pass sections as keyword dicts, `env` for the environment."""
    def build(env: dict[str, str] | None = None, **sections: dict[str, Any]) -> Config:
        environment = {"BOTBYBIT_MASTER_KEY": MASTER_KEY}
        environment.update(env or {})
        return parse_config(config_dict(tmp_path, **sections), environment)

    return build


@pytest.fixture
async def start_service() -> AsyncIterator[Callable[[Config], Awaitable[Service]]]:
    """Start `Service`s in this loop; each is stopped at the end of the test."""
    started: list[Service] = []

    async def start(config: Config) -> Service:
        service = Service(config)
        await service.start()
        started.append(service)
        return service

    yield start
    for service in reversed(started):
        await service.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def base_url(service: Service) -> str:
    return f"http://127.0.0.1:{service.port}"


async def move_price(service: Service, fake: FakeBybit, symbol: str, price: str | int,
                     *, category: str = "linear") -> None:
    """Move the fake Bybit's price; if the service watches the symbol, wait for the tick."""
    feed = service.streams.tickers
    target = Decimal(str(price))
    if symbol not in feed.watched(Category(category)):
        fake.set_price(symbol, price)
        return
    arrived = asyncio.Event()

    def tick(cat: Category, ticker: Ticker) -> None:
        if cat == category and ticker.symbol == symbol and ticker.last == target:
            arrived.set()

    feed.add_listener(tick)
    try:
        fake.set_price(symbol, price)
        await asyncio.wait_for(arrived.wait(), 5)
    finally:
        feed.remove_listener(tick)
