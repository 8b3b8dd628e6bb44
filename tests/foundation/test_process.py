"""End to end: main.py as a real process against both fakes, started and stopped cleanly."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import aiohttp

from tests.conftest import BOT_TOKEN, MASTER_KEY, config_dict, free_port
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.process import ServiceProcess


async def test_process_serves_polls_and_stops_on_sigterm(
        tmp_path: Path, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession) -> None:
    port = free_port()
    config = config_dict(tmp_path, telegram={"base_url": fake_telegram.base_url},
                         bybit={"base_url": fake_bybit.url})
    process = ServiceProcess(config, tmp_path, env={
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN, "PORT": str(port), "BOTBYBIT_MASTER_KEY": MASTER_KEY})
    await process.start()
    try:
        assert await process.wait_ready() == port
        async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
            health = await response.json()
        assert response.status == 200
        assert health["database"] == "ok"
        assert {"depth", "lanes"} <= set(health["queue"])
        await fake_telegram.wait_for_call("getMe", timeout=10)
        await fake_telegram.wait_for_call("getUpdates", timeout=10)
        async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert (await response.json())["bot"] == "running"
    finally:
        started = time.monotonic()
        code = await process.terminate(signal.SIGTERM, timeout=15)
    assert code == 0, process.log
    assert time.monotonic() - started < 12
    assert "stopped cleanly" in process.log
    assert BOT_TOKEN not in process.log
    assert "Traceback" not in process.log


async def test_without_a_token_the_bot_is_off_and_webhooks_still_work(
        tmp_path: Path, http: aiohttp.ClientSession) -> None:
    port = free_port()
    process = ServiceProcess(config_dict(tmp_path), tmp_path, env={
        "PORT": str(port), "TELEGRAM_BOT_TOKEN": "", "BOTBYBIT_MASTER_KEY": MASTER_KEY})
    await process.start()
    try:
        await process.wait_ready()
        # Logged just after the listening line: wait for it rather than race the reader.
        off = (await process.wait_for_line(r"Telegram bot is off.*")).group(0)
        assert "TELEGRAM_BOT_TOKEN" in off
        assert sum("Telegram bot is off" in line for line in process.lines) == 1
        async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert (await response.json())["bot"] == "off"
        async with http.post(f"http://127.0.0.1:{port}/webhook",
                             data='{"symbol": "BTCUSDT", "action": "buy", "price": 50000}'
                             ) as response:
            answer = await response.json()
        assert response.status == 200 and answer["status"] == "queued"
    finally:
        assert await process.terminate(signal.SIGINT) == 0, process.log
