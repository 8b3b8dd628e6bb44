"""A position's plan on the dashboard: its exits in the positions frame, its levels on the price
chart, and a target's fill reaching an open page as it happens (then the position refreshed)."""

from __future__ import annotations

import asyncio
import contextlib
from decimal import Decimal
from typing import Any

from bot.events import EventHub
from bot.web.feed import Frame, forward, public_event
from tests.conftest import move_price
from tests.fakes.bybit import FakeBybit
from tests.web.conftest import Trader, receive, receive_until

D = Decimal
LADDER = {"symbol": "BTCUSDT", "action": "buy", "price": 50000, "sl": "2%",
          "tps": [{"price": 50500, "qty_percent": 50}, {"price": 51000}], "be_after": 1}


def plan_of(frame: dict[str, Any]) -> dict[str, Any]:
    """The one plan of the one BTCUSDT position a frame shows."""
    [row] = frame["positions"]["rows"]
    [plan] = row["plans"]
    return plan


async def opened(trader: Trader, fake_bybit: FakeBybit) -> int:
    """The ladder's opening done on paper, the live price watched; its signal id."""
    event = await trader.trade(LADDER)
    assert event["status"] == "done", event
    await fake_bybit.wait_for_public_subscription("linear", "BTCUSDT")
    return int(event["id"])


async def test_the_snapshot_shows_each_positions_plan_and_its_lines_on_the_chart(
        trader: Trader, fake_bybit: FakeBybit) -> None:
    signal_id = await opened(trader, fake_bybit)

    async with trader.http.ws_connect(trader.url("ws")) as ws:
        state = await receive(ws)

    [row] = state["positions"]["rows"]
    assert (row["symbol"], row["side"], D(row["size"])) == ("BTCUSDT", "Buy", D("0.02"))
    assert D(row["stop"]) == 49000 and row["take_profit"] is None  # what the ledger holds
    plan = plan_of(state)
    assert plan == {
        "signal_id": signal_id, "status": "active", "side": "Buy", "entry": "50000",
        "qty": "0.02", "stop": "49000", "take_profit": None,
        "targets": [{"n": 1, "price": "50500", "qty": "0.01", "filled": False},
                    {"n": 2, "price": "51000", "qty": "0.01", "filled": False}],
        "trailing": None, "activation": None, "be_after": 1, "be_moved": False,
        "opened_at": plan["opened_at"]}
    assert plan["opened_at"] > 0
    levels = state["charts"]["prices"]["BTCUSDT"]["levels"]
    assert [(lv["kind"], lv.get("n"), lv["price"], lv.get("filled"), lv.get("moved"))
            for lv in levels] == [("target", 1, 50500.0, False, None),
                                  ("target", 2, 51000.0, False, None),
                                  ("stop", None, 49000.0, None, False)]
    assert {lv["signal_id"] for lv in levels} == {signal_id}


async def test_a_target_fill_reaches_the_page_live_and_refreshes_the_position(
        trader: Trader, fake_bybit: FakeBybit) -> None:
    signal_id = await opened(trader, fake_bybit)

    async with trader.http.ws_connect(trader.url("ws")) as ws:
        first = await receive(ws)
        assert [t["filled"] for t in plan_of(first)["targets"]] == [False, False]
        await move_price(trader.service, fake_bybit, "BTCUSDT", 50600)  # past target 1
        frames = await receive_until(ws, lambda f: f["type"] == "update")

    [event] = [f for f in frames if f["type"] == "position"]
    assert event == {"type": "position", "event": "target_filled", "signal_id": signal_id,
                     "symbol": "BTCUSDT", "target": 1, "targets": 2, "qty": event["qty"],
                     "price": event["price"], "pnl": event["pnl"], "stop": event["stop"],
                     "at": event["at"]}
    assert (D(event["qty"]), D(event["price"]), D(event["pnl"]), D(event["stop"])) == (
        D("0.01"), 50500, D("4.44725"), 50000)  # 5 USDT less its fee and its entry's
    assert frames.index(event) < len(frames) - 1  # the refresh comes after it
    update = frames[-1]
    [row] = update["positions"]["rows"]
    assert D(row["size"]) == D("0.01") and D(row["stop"]) == 50000  # moved to the entry
    plan = plan_of(update)
    assert [t["filled"] for t in plan["targets"]] == [True, False] and plan["be_moved"] is True
    legs = {o["leg"]: o["status"] for o in update["orders"] if o["signal_id"] == signal_id}
    assert legs == {"o": "filled", "t1": "filled", "t2": "placed"}
    levels = update["charts"]["prices"]["BTCUSDT"]["levels"]
    assert [(lv["kind"], lv.get("filled"), lv["price"]) for lv in levels] == [
        ("target", True, 50500.0), ("target", False, 51000.0), ("stop", None, 50000.0)]
    assert levels[-1]["moved"] is True


async def test_a_closed_position_leaves_no_plan_and_no_lines(
        trader: Trader, fake_bybit: FakeBybit) -> None:
    await opened(trader, fake_bybit)
    closed = await trader.trade({"symbol": "BTCUSDT", "action": "close", "price": 50000})
    assert closed["status"] == "done"
    await trader.service.paper_triggers.idle()
    await trader.service.keeper.idle()

    async with trader.http.ws_connect(trader.url("ws")) as ws:
        state = await receive(ws)
    assert state["positions"]["rows"] == []
    assert state["charts"]["prices"]["BTCUSDT"]["levels"] == []


def test_only_the_listed_fields_of_a_position_event_reach_a_browser() -> None:
    frame = public_event({
        "type": "position", "event": "target_filled", "signal_id": 7, "symbol": "BTCUSDT",
        "target": 1, "targets": 2, "qty": "0.01", "price": "50500", "pnl": "5",
        "stop": "50000", "at": 1.5, "user_id": 42, "order_link_id": "abc-7-t1",
        "token": "T0KEN"})
    assert frame == {"type": "position", "event": "target_filled", "signal_id": 7,
                     "symbol": "BTCUSDT", "target": 1, "targets": 2, "qty": "0.01",
                     "price": "50500", "pnl": "5", "stop": "50000", "at": 1.5}
    assert public_event({"type": "position", "event": "keys_changed", "token": "T"}) is None


async def test_a_position_event_refreshes_the_page_like_a_finished_signal() -> None:
    hub = EventHub(queue_size=16)
    subscription = hub.subscribe(1)
    sent: list[str] = []
    refreshed = asyncio.Event()

    async def send(frame: Frame) -> None:
        sent.append(frame["type"])

    async def settled() -> None:
        sent.append("refresh")
        refreshed.set()

    hub.publish(1, {"type": "signal", "id": 1, "status": "processing"})
    hub.publish(1, {"type": "position", "event": "target_filled", "signal_id": 1,
                    "symbol": "BTCUSDT", "target": 1, "targets": 2})
    task = asyncio.create_task(forward(subscription, send, settled=settled))
    await refreshed.wait()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert sent == ["signal", "position", "refresh"]
