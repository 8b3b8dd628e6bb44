"""The dashboard's WebSocket: the state on open, live events after, and what it never carries."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import WSCloseCode, WSMsgType

from bot.app import Service, default_settings
from bot.config import Config
from bot.web.routes import CLOSE_FELL_BEHIND
from tests.conftest import base_url, move_price
from tests.fakes.bybit import FakeBybit
from tests.web.conftest import Trader, receive, receive_until

BUY = {"symbol": "BTCUSDT", "action": "buy", "price": 50000}
SELL = {"symbol": "BTCUSDT", "action": "sell", "price": 51000}


async def snapshot(trader: Trader, **params: str) -> dict[str, Any]:
    async with trader.http.ws_connect(trader.url("ws", **params)) as ws:
        return await receive(ws)


async def test_the_snapshot_holds_settings_positions_signals_orders_and_charts(
        trader: Trader, fake_bybit: FakeBybit) -> None:
    await trader.service.users.update_user_settings(trader.user.id, trade_amount=Decimal(200),
                                                    leverage=5)
    await trader.trade(BUY)
    await move_price(trader.service, fake_bybit, "BTCUSDT", 51000)  # paper fills at it
    await trader.trade(SELL)  # closes the long (+20 USDT), opens a short
    async with trader.http.post(trader.url("webhook"),
                                json={"symbol": "BTCUSDT", "action": "jump"}) as response:
        assert response.status == 400

    state = await snapshot(trader)

    assert state["type"] == "snapshot"
    assert state["user"] == {"id": trader.user.id, "name": "Sara"}
    assert state["settings"] == {"market": "futures", "account": "paper", "amount": "200",
                                 "leverage": 5, "paused": False, "pyramiding": False,
                                 "active": True}
    positions = state["positions"]
    assert positions["state"] == "ok" and positions["source"] == "paper"
    assert [(p["symbol"], p["side"], p["size"]) for p in positions["rows"]] == [
        ("BTCUSDT", "Sell", "0.019")]
    # 10000 + 20 realised - fees 0.55 (open) - 0.561 (close) - 0.53295 (open short)
    assert positions["balance"] == "10018.36"
    signals = state["signals"]
    assert [(s["action"], s["status"]) for s in signals] == [
        (None, "rejected"), ("sell", "done"), ("buy", "done")]
    assert "not known" in signals[0]["reason"]
    # The close's PnL is after the trade's fees (its own 0.561 and its entry's 0.55): what the
    # balance gained since before the entry, and what the chart's line gained over the trade.
    assert signals[1]["reason"].startswith(
        "closed long 0.02 BTCUSDT at 51,000: profit +18.89 USDT after fees (fees 1.11 USDT)")
    assert signals[2]["price"] == "50000"
    assert [(o["side"], o["reduce_only"]) for o in state["orders"]] == [
        ("Sell", False), ("Sell", True), ("Buy", False)]
    charts = state["charts"]
    assert charts["account"] == "paper" and charts["symbol"] == "BTCUSDT"
    assert [round(p[1], 5) for p in charts["pnl"]] == [-0.55, 18.889, 18.35605]
    btc = charts["prices"]["BTCUSDT"]
    assert [p[1] for p in btc["line"]] == [50000, 51000]
    assert [(m["side"], m["exit"], m["price"]) for m in btc["marks"]] == [
        ("Buy", False, 50000), ("Sell", True, 51000), ("Sell", False, 51000)]


async def test_events_arrive_live_in_order_and_a_finished_signal_refreshes_the_rest(
        trader: Trader) -> None:
    async with trader.http.ws_connect(trader.url("ws")) as ws:
        first = await receive(ws)
        assert first["signals"] == [] and first["charts"]["pnl"] == []
        answer = await trader.post(BUY)
        frames = await receive_until(ws, lambda frame: frame["type"] == "update")

    signal_frames = [f for f in frames if f["type"] == "signal"]
    assert {f["id"] for f in signal_frames} == {answer["signal_id"]}
    assert [f["status"] for f in signal_frames] == ["queued", "processing", "done"]
    done = signal_frames[-1]
    assert done["symbol"] == "BTCUSDT" and done["price"] == "50000"
    assert done["reason"].startswith("opened long 0.02 BTCUSDT at 50,000 (10x)")
    assert [(o["side"], o["status"]) for o in done["orders"]] == [("Buy", "filled")]
    update = frames[-1]
    assert [o["signal_id"] for o in update["orders"]] == [answer["signal_id"]]
    assert [p["symbol"] for p in update["positions"]["rows"]] == ["BTCUSDT"]
    assert len(update["charts"]["prices"]["BTCUSDT"]["marks"]) == 1
    assert len(update["charts"]["pnl"]) == 1


async def test_a_reconnecting_page_gets_the_state_again(trader: Trader) -> None:
    async with trader.http.ws_connect(trader.url("ws")) as ws:
        assert (await receive(ws))["signals"] == []
    answer = await trader.trade(BUY)
    again = await snapshot(trader)
    assert [(s["id"], s["status"]) for s in again["signals"]] == [(answer["id"], "done")]
    assert len(again["orders"]) == 1


async def test_the_page_language_follows_the_user_and_lang_overrides_it(
        trader: Trader) -> None:
    await trader.service.users.set_language(trader.user.id, "ar")
    async with trader.http.get(trader.url("dashboard")) as response:
        arabic = await response.text()
    async with trader.http.get(trader.url("dashboard", lang="en")) as response:
        english = await response.text()
    assert '<html lang="ar" dir="rtl">' in arabic and "المراكز المفتوحة" in arabic
    assert '<html lang="en" dir="ltr">' in english and "Open positions" in english
    assert (await snapshot(trader))["language"] == "ar"


async def test_no_token_key_or_api_secret_reaches_the_page_or_a_frame(trader: Trader) -> None:
    token = trader.token
    await trader.service.users.set_api_keys(trader.user.id, "demo", "DEMO-KEY-visible-1234",
                                            "DEMO-SECRET-never-shown")
    page_texts = []
    async with trader.http.get(trader.url("dashboard")) as response:
        page_texts.append(await response.text())
    for name in ("dashboard.js", "dashboard.css"):
        async with trader.http.get(f"{trader.base}/static/{name}") as response:
            assert response.status == 200
            page_texts.append(await response.text())

    async with trader.http.ws_connect(trader.url("ws")) as ws:
        frames = [await receive(ws)]
        await trader.trade(BUY)
        # An alert whose action is the token: the refusal's message quotes it back.
        async with trader.http.post(trader.url("webhook"), json={
                "symbol": "BTCUSDT", "action": token}) as response:
            assert response.status == 400
        frames += await receive_until(ws, lambda f: f.get("status") == "rejected")
    frames.append(await snapshot(trader))

    wire = [json.dumps(frame, ensure_ascii=False) for frame in frames]
    for text in page_texts + wire:
        assert token not in text and trader.key not in text
        assert "DEMO-SECRET-never-shown" not in text and "DEMO-KEY-visible-1234" not in text
    assert frames[-2]["status"] == "rejected" and "***" in frames[-2]["reason"]
    assert any(s["status"] == "rejected" and "***" in s["reason"]
               for s in frames[-1]["signals"])


async def test_a_closed_page_unsubscribes_and_trading_goes_on(trader: Trader) -> None:
    async with trader.http.ws_connect(trader.url("ws")) as ws:
        await receive(ws)
        assert trader.service.events.subscribers(trader.user.id) == 1
    await trader.dashboard.wait_connected(trader.user.id, 0)
    assert trader.service.events.subscribers(trader.user.id) == 0
    assert (await trader.trade(BUY))["status"] == "done"


async def test_a_page_that_fell_behind_is_closed_and_can_reconnect(trader: Trader) -> None:
    hub = trader.service.events
    async with trader.http.ws_connect(trader.url("ws")) as ws:
        await receive(ws)
        # A burst with no await in between: the forwarder cannot run, its queue overflows.
        burst = 1000
        for n in range(burst):
            hub.publish(trader.user.id, {"type": "signal", "id": n, "status": "queued"})
        assert hub.dropped == 1 and hub.subscribers(trader.user.id) == 0
        ids = []
        while (message := await ws.receive()).type == WSMsgType.TEXT:
            ids.append(json.loads(message.data)["id"])
        assert message.type == WSMsgType.CLOSE and message.data == CLOSE_FELL_BEHIND
    # What did arrive is an unbroken, ordered run; the rest was never queued.
    assert ids == list(range(ids[0], ids[0] + len(ids))) and len(ids) < burst
    assert (await snapshot(trader))["type"] == "snapshot"


async def test_stopping_the_server_tells_open_pages_it_is_going_away(
        tmp_path: Path, make_config: Callable[..., Config],
        http: aiohttp.ClientSession) -> None:
    service = Service(make_config(database={"path": str(tmp_path / "own.db")}))
    await service.start()
    try:
        user, _ = await service.users.create_user(77, defaults=default_settings(
            service.config), is_active=True)
        key = service.links.issue(user.id, user.dashboard_epoch).key
        url = f"{base_url(service)}/personal/77/ws?key={key}"
        async with http.ws_connect(url) as ws:
            await receive(ws)
            await service.stop()
            message = await ws.receive()
    except BaseException:
        await service.stop()
        raise
    assert message.type == WSMsgType.CLOSE and message.data == WSCloseCode.GOING_AWAY
