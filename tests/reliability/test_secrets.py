"""After a full run, no secret is in the log, in Telegram, on the page or in the WebSocket."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import aiohttp

from tests.conftest import ADMIN_ID, BOT_TOKEN, MASTER_KEY, config_dict, free_port
from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.process import ServiceProcess
from tests.telegram.conftest import Person, url_in

API_KEY, API_SECRET = "SECRETSTORYKEY01", "SECRETSTORYSECRET0123456789"


async def test_no_secret_leaks_anywhere_in_a_full_end_to_end_run(
        tmp_path: Path, fake_telegram: FakeTelegram, fake_bybit: FakeBybit,
        http: aiohttp.ClientSession) -> None:
    fake_bybit.add_account(API_KEY, API_SECRET, env="demo")
    port = free_port()
    config = config_dict(tmp_path, telegram={"base_url": fake_telegram.base_url,
                                             "admin_ids": [ADMIN_ID],
                                             "per_chat_interval_s": 0.05},
                         bybit={"base_url": fake_bybit.url})
    process = ServiceProcess(config, tmp_path, env={
        "PORT": str(port), "TELEGRAM_BOT_TOKEN": BOT_TOKEN, "BOTBYBIT_MASTER_KEY": MASTER_KEY,
        "LOG_LEVEL": "DEBUG"})
    await process.start()
    trader = Person(fake_telegram, 7070, first_name="Sara")
    admin = Person(fake_telegram, ADMIN_ID, first_name="Admin")
    frames: list[str] = []
    try:
        await process.wait_ready()
        await process.wait_for_line("Telegram bot @")
        await trader.ask("/start", "approve")
        request = await fake_telegram.wait_for_message(ADMIN_ID, "<code>7070</code>")
        await admin.press(request, "Approve", "approved")
        await trader.ask(f"/keys demo {API_KEY} {API_SECRET}", "keys work")
        await trader.ask("/set account demo", "demo")
        url = url_in(await trader.ask("/webhook", "webhook"))
        token = url.split("token=")[1]
        dashboard = await trader.ask("/dashboard", "dashboard")
        [link] = [target for _, target in dashboard.buttons() if target and "key=" in target]
        key = link.split("key=")[1]
        local = f"http://127.0.0.1:{port}"
        async with http.get(f"{local}/personal/7070/dashboard", params={"key": key}) as r:
            assert r.status == 200
            page = await r.text()
        async with http.get(f"{local}/personal/7070/dashboard", params={"token": token}) as r:
            assert r.status == 401  # the webhook token no longer opens it
        async with http.ws_connect(f"{local}/personal/7070/ws", params={"key": key}) as ws:
            first = await ws.receive_str(timeout=10)
            frames.append(first)
            last = 0
            for action in ("buy", "close"):
                mark = fake_telegram.mark()
                async with http.post(f"{local}/personal/7070/webhook", params={"token": token},
                                     json={"symbol": "BTCUSDT", "action": action,
                                           "price": 50000}) as r:
                    assert r.status == 200
                    last = (await r.json())["signal_id"]
                await fake_telegram.wait_for_message(7070, "signal #", since=mark, timeout=10)
            done = re.compile(rf'"id":\s*{last}\b[^{{}}]*"status":\s*"done"'
                              rf'|"status":\s*"done"[^{{}}]*"id":\s*{last}\b')

            async def until_done() -> None:
                """Collect what the page is sent until the last signal shows as done."""
                while not done.search(frames[-1]):
                    frames.append(await ws.receive_str())

            await asyncio.wait_for(until_done(), 10)
    finally:
        assert await process.terminate() == 0

    # The log: DEBUG level, the whole run.
    log = process.log
    assert "signal=" in log and "dashboard refused: link old user=7070" in log
    for secret in (BOT_TOKEN, API_SECRET, token, MASTER_KEY, key, key.split(".")[1]):
        assert secret not in log, secret[:6]
    # Telegram: every message and button; the webhook URL only in the owner's /webhook-style
    # replies, the dashboard's key only in the owner's /dashboard button.
    owner_links = {m.message_id for m in fake_telegram.sent_messages(7070)
                   if m.text and "/webhook?token=" in m.text}
    assert len(owner_links) >= 2 and token not in json.dumps(dashboard.reply_markup)
    for message in fake_telegram.sent_messages():
        text = (message.text or "") + json.dumps(message.reply_markup or {})
        assert BOT_TOKEN not in text and API_SECRET not in text
        if token in text:
            assert message.chat_id == 7070 and message.message_id in owner_links, text
        if key in text:
            assert message.message_id == dashboard.message_id, text
    # The page and every frame.
    for blob in [page, *frames]:
        for secret in (BOT_TOKEN, API_SECRET, token, API_KEY, key):
            assert secret not in blob
    # The database: the secret column is not plaintext, nor is the secret anywhere in the file.
    db_path = Path(config["database"]["path"])
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    assert API_SECRET.encode() not in raw
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        [(sealed,)] = conn.execute("SELECT api_secret_enc FROM api_keys").fetchall()
        [(token_sealed,)] = conn.execute("SELECT token_sealed FROM users WHERE id = 7070")
    assert API_SECRET.encode() not in bytes(sealed) and re.match(rb"gAAAA", bytes(sealed))
    # The webhook token is sealed the same way, and neither it nor the key is in the files.
    assert re.match(rb"gAAAA", bytes(token_sealed))
    assert token.encode() not in raw and key.encode() not in raw
