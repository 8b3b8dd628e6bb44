"""Demo and real accounts: positions come from the account's stream, live; without one from
Bybit's REST, asked rarely; and never break the page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.vocabulary import AccountType
from tests.fakes.bybit import FakeBybit
from tests.web.conftest import Trader, receive, receive_until

KEY, SECRET = "demo-key-positions", "demo-secret-positions"
POSITIONS = "/v5/position/list"


async def demo_trader(trader: Trader, fake_bybit: FakeBybit) -> None:
    fake_bybit.add_account(KEY, SECRET, env="demo")
    await trader.service.users.set_api_keys(trader.user.id, "demo", KEY, SECRET)
    await trader.service.users.update_user_settings(trader.user.id, account_type="demo")


def position_requests(fake: FakeBybit) -> int:
    return sum(1 for r in fake.requests if r.path == POSITIONS)


async def open_page(trader: Trader) -> list[dict[str, Any]]:
    """The snapshot and the positions frame that follows it."""
    async with trader.http.ws_connect(trader.url("ws")) as ws:
        first = await receive(ws)
        if first["positions"]["state"] != "loading":
            return [first]
        return [first, *await receive_until(ws, lambda f: f["type"] == "positions")]


async def test_demo_positions_come_live_from_the_stream_with_mark_and_pnl(
        trader: Trader, fake_bybit: FakeBybit) -> None:
    await demo_trader(trader, fake_bybit)
    assert (await trader.trade({"symbol": "BTCUSDT", "action": "buy"}))["status"] == "done"
    stream = trader.service.streams.private((trader.user.id, AccountType.DEMO))
    assert stream is not None and await stream.state.wait_synced(5)
    before = position_requests(fake_bybit)
    fake_bybit.set_price("BTCUSDT", 50500)  # Bybit pushes the position's new mark

    async with trader.http.ws_connect(trader.url("ws")) as ws:
        frames = [await receive(ws)]
        frames += await receive_until(ws, lambda f: f["type"] == "positions" and any(
            row["mark"] == "50500" for row in f["positions"]["rows"]))

    positions = frames[-1]["positions"]
    assert positions["source"] == "exchange" and positions["live"] is True
    [row] = positions["rows"]
    size = fake_bybit.account(KEY).position("BTCUSDT").size
    assert (row["symbol"], row["side"], Decimal(row["size"])) == ("BTCUSDT", "Buy", size)
    assert Decimal(row["upnl"]) == (Decimal(50500) - Decimal(row["avg_price"])) * size
    assert Decimal(row["upnl_pct"]) > 0
    assert position_requests(fake_bybit) == before  # all of it from the stream


async def test_without_a_stream_positions_are_read_from_bybit_once_and_then_reused(
        trader: Trader, fake_bybit: FakeBybit) -> None:
    await demo_trader(trader, fake_bybit)
    fake_bybit.refuse_streams(KEY)
    assert (await trader.trade({"symbol": "BTCUSDT", "action": "buy"}))["status"] == "done"
    before = position_requests(fake_bybit)

    first = await open_page(trader)
    assert first[0]["positions"] == {"source": "exchange", "state": "loading", "rows": [],
                                     "at": first[0]["positions"]["at"]}
    assert first[-1]["type"] == "positions" and first[-1]["account"] == "demo"
    rows = first[-1]["positions"]["rows"]
    assert first[-1]["positions"]["live"] is False
    assert [(p["symbol"], p["side"]) for p in rows] == [("BTCUSDT", "Buy")]
    account = fake_bybit.account(KEY)
    assert Decimal(rows[0]["size"]) == account.position("BTCUSDT").size > 0
    assert position_requests(fake_bybit) == before + 1

    again = await open_page(trader)
    assert len(again) == 1 and again[0]["positions"]["rows"] == rows  # from the cache
    assert position_requests(fake_bybit) == before + 1


async def test_an_unreachable_exchange_leaves_the_page_working(
        trader: Trader, fake_bybit: FakeBybit) -> None:
    await demo_trader(trader, fake_bybit)
    fake_bybit.refuse_streams(KEY)
    assert (await trader.trade({"symbol": "BTCUSDT", "action": "buy"}))["status"] == "done"
    fake_bybit.inject(POSITIONS, http_status=502, times=10)

    async with trader.http.get(trader.url("dashboard")) as response:
        assert response.status == 200
    frames = await open_page(trader)
    assert [s["status"] for s in frames[0]["signals"]] == ["done"]
    unavailable = frames[-1]["positions"]
    assert unavailable["state"] == "unavailable" and unavailable["rows"] == []
    assert unavailable["message"]


async def test_demo_without_keys_says_so_instead_of_positions(trader: Trader) -> None:
    await trader.service.users.update_user_settings(trader.user.id, account_type="demo")
    frames = await open_page(trader)
    positions = frames[-1]["positions"]
    assert positions["state"] == "unavailable" and "/keys demo" in positions["message"]
