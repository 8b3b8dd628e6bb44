"""The fake Bybit's resting limit orders and batch endpoints: a reduce-only take-profit
ladder placed in one create-batch and filled step by step by price moves, per-item failures,
cancel-batch and cancel-all, and the leftovers of a closed position — driven by the real
pybit client over HTTP, watched on the private stream."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from tests.fakes.bybit import FakeBybit
from tests.fakes.bybit_stream_helpers import (
    assert_nothing_queued,
    connect_private,
    stream_session,
    topics,
)
from tests.fakes.conftest import KEY, SPOT_KEY, call, client, market, rejected

D = Decimal
TAKER, MAKER = D("0.00055"), D("0.0002")


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with stream_session() as session:
        yield session


def limit(side: str, qty: str, price: str, symbol: str = "BTCUSDT",
          **extra: Any) -> dict[str, Any]:
    return {"symbol": symbol, "side": side, "orderType": "Limit", "qty": qty, "price": price,
            **extra}


def ladder(*rungs: tuple[str, str, str]) -> list[dict[str, Any]]:
    """Reduce-only Sell limits (orderLinkId, qty, price) that close a long."""
    return [limit("Sell", qty, price, reduceOnly=True, orderLinkId=link)
            for link, qty, price in rungs]


async def history(fake: FakeBybit, link: str, key: str = KEY,
                  category: str = "linear") -> dict[str, Any]:
    answer = await call(client(fake, key=key).get_order_history, category=category,
                        orderLinkId=link)
    item: dict[str, Any] = answer["result"]["list"][0]
    return item


def fields(item: dict[str, Any], *names: str) -> tuple[Any, ...]:
    return tuple(item[name] for name in names)


# -------------------------------------------------------------------- the ladder


async def test_a_take_profit_ladder_in_one_batch_fills_rung_by_rung(
        fake: FakeBybit, http: aiohttp.ClientSession) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.025"))
    ws = await connect_private(http, fake)
    placed = await call(session.place_batch_order, category="linear", request=ladder(
        ("tp-1", "0.01", "51000"), ("tp-2", "0.01", "52000"), ("tp-3", "0.01", "53000")))
    created = await topics(ws, 6)  # order New + position, per rung

    assert [r.path for r in fake.requests].count("/v5/order/create-batch") == 1
    assert [(i["orderLinkId"], i["category"], bool(i["orderId"]))
            for i in placed["result"]["list"]] == [
        ("tp-1", "linear", True), ("tp-2", "linear", True), ("tp-3", "linear", True)]
    assert placed["retExtInfo"]["list"] == [{"code": 0, "msg": "OK"}] * 3
    assert [fields(m["data"][0], "orderLinkId", "orderStatus", "timeInForce")
            for m in created[::2]] == [(f"tp-{n}", "New", "GTC") for n in (1, 2, 3)]
    assert [o.order_link_id for o in fake.order_log] == ["", "tp-1", "tp-2", "tp-3"]

    fake.set_price("BTCUSDT", "50900")  # short of the first rung: only the position moves
    assert [m["topic"] for m in await topics(ws, 1)] == ["position"]
    fake.set_price("BTCUSDT", "51000")
    first = await topics(ws, 4)
    fake.set_price("BTCUSDT", "52500")
    second = await topics(ws, 4)
    fake.set_price("BTCUSDT", "53100")
    last = await topics(ws, 6)
    await assert_nothing_queued(ws)

    assert [m["topic"] for m in first + second] == [
        "order", "execution", "position", "wallet"] * 2
    for (order, fill, position, _), link, price, size in (
            (first, "tp-1", "51000", "0.015"), (second, "tp-2", "52000", "0.005")):
        assert fields(order["data"][0], "orderLinkId", "orderStatus", "cumExecQty",
                      "avgPrice", "leavesQty") == (link, "Filled", "0.01", price, "0")
        assert fields(fill["data"][0], "orderLinkId", "execType", "execPrice", "execQty",
                      "closedSize", "isMaker", "feeRate") == (
            link, "Trade", price, "0.01", "0.01", True, "0.0002")
        assert D(fill["data"][0]["execPnl"]) == (D(price) - 50000) * D("0.01")
        assert position["data"][0]["size"] == size
    assert [m["topic"] for m in last] == [
        "order", "execution", "position", "wallet", "order", "position"]
    partly, fill, flat, _, cancelled, _ = last
    assert fields(partly["data"][0], "orderLinkId", "orderStatus", "cumExecQty",
                  "avgPrice") == ("tp-3", "PartiallyFilled", "0.005", "53000")
    assert fields(fill["data"][0], "execQty", "execPnl") == ("0.005", "15")
    assert fields(flat["data"][0], "size", "side") == ("0", "")
    assert fields(cancelled["data"][0], "orderLinkId", "orderStatus", "cancelType",
                  "cumExecQty", "leavesQty") == (
        "tp-3", "Cancelled", "CancelByReduceOnly", "0.005", "0")

    rest = await history(fake, "tp-3")
    assert fields(rest, "orderStatus", "cumExecQty", "cumExecFee") == (
        "Cancelled", "0.005", "0.053")
    fees = D("0.025") * 50000 * TAKER + (D("510") + D("520") + D("265")) * MAKER
    assert fake.account(KEY).usdt == 10000 + 10 + 20 + 15 - fees


async def test_a_limit_that_crosses_at_placement_fills_at_once_as_a_taker(
        fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, category="linear",
               **limit("Buy", "0.01", "50100", orderLinkId="cross-1"))
    order = await history(fake, "cross-1")
    fills = await call(session.get_executions, category="linear", orderLinkId="cross-1")

    assert fields(order, "orderStatus", "price", "avgPrice", "cumExecFee") == (
        "Filled", "50100", "50000", "0.275")
    assert fields(fills["result"]["list"][0], "isMaker", "feeRate", "execPrice") == (
        False, "0.00055", "50000")
    assert fake.account(KEY).position("BTCUSDT").size == D("0.01")


async def test_a_resting_buy_opens_the_position_at_its_price_when_the_price_falls_to_it(
        fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, category="linear",
               **limit("Buy", "0.02", "49000", orderLinkId="dip-1", takeProfit="52000"))
    fake.set_price("BTCUSDT", "49000.1")
    untouched = await history(fake, "dip-1")
    fake.set_price("BTCUSDT", "48500")
    filled = await history(fake, "dip-1")
    row = (await call(session.get_positions, category="linear",
                      symbol="BTCUSDT"))["result"]["list"][0]

    assert untouched["orderStatus"] == "New"
    assert fields(filled, "orderStatus", "avgPrice", "cumExecFee") == ("Filled", "49000",
                                                                       "0.196")
    assert fields(row, "side", "size", "avgPrice", "takeProfit") == (
        "Buy", "0.02", "49000", "52000")


@pytest.mark.parametrize(("tif", "price", "reason"), [
    ("PostOnly", "50500", "EC_PostOnlyWillTakeLiquidity"),
    ("IOC", "49000", "EC_NoImmediateQtyToFill"),
    ("FOK", "49000", "EC_CancelForNoFullFill"),
])
async def test_time_in_force_that_cannot_be_honoured_cancels_the_order(
        fake: FakeBybit, tif: str, price: str, reason: str) -> None:
    await call(client(fake).place_order, category="linear",
               **limit("Buy", "0.01", price, orderLinkId="tif-1", timeInForce=tif))
    order = await history(fake, "tif-1")
    assert fields(order, "orderStatus", "rejectReason", "cumExecQty") == (
        "Cancelled", reason, "0")
    assert not fake.account(KEY).position("BTCUSDT").is_open


async def test_a_spot_limit_sell_rests_then_fills_when_the_price_rises(
        fake: FakeBybit) -> None:
    await call(client(fake, key=SPOT_KEY).place_order, category="spot",
               **limit("Sell", "0.01", "51000", orderLinkId="spot-tp"))
    resting = await history(fake, "spot-tp", SPOT_KEY, "spot")
    fake.set_price("BTCUSDT", "51000")
    filled = await history(fake, "spot-tp", SPOT_KEY, "spot")
    fills = await call(client(fake, key=SPOT_KEY).get_executions, category="spot")

    assert resting["orderStatus"] == "New"
    assert fields(fills["result"]["list"][0], "execQty", "leavesQty", "isMaker", "feeRate") == (
        "0.01", "0", True, "0.001")
    assert fields(filled, "orderStatus", "avgPrice", "cumExecFee") == ("Filled", "51000",
                                                                       "0.51")
    account = fake.account(SPOT_KEY)
    assert (account.balance("BTC"), account.usdt) == (D(0), 10000 + D("509.49"))


# ------------------------------------------------------------------- batch errors


async def test_a_failed_item_does_not_stop_the_rest_of_the_batch(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.03", orderLinkId="open-1"))
    placed = await call(session.place_batch_order, category="linear", request=[
        *ladder(("tp-1", "0.01", "51000")),
        *ladder(("open-1", "0.01", "52000")),  # duplicate orderLinkId
        limit("Sell", "0.0105", "52000", reduceOnly=True, orderLinkId="tp-odd"),  # bad qty
        *ladder(("tp-3", "0.01", "53000")),
    ])
    resting = await call(session.get_open_orders, category="linear", symbol="BTCUSDT")

    assert placed["retCode"] == 0
    assert [(c["code"], c["msg"]) for c in placed["retExtInfo"]["list"]] == [
        (0, "OK"), (110072, "OrderLinkedID is duplicate"), (10001, "Qty invalid"), (0, "OK")]
    assert [(i["orderLinkId"], bool(i["orderId"]), bool(i["createAt"]))
            for i in placed["result"]["list"]] == [
        ("tp-1", True, True), ("open-1", False, False), ("tp-odd", False, False),
        ("tp-3", True, True)]
    assert sorted(o["orderLinkId"] for o in resting["result"]["list"]) == ["tp-1", "tp-3"]
    assert fake.duplicate_link_ids() == []


@pytest.mark.parametrize(("category", "allowed"), [("linear", 20), ("spot", 10)])
async def test_a_batch_over_the_limit_is_refused_whole(fake: FakeBybit, category: str,
                                                       allowed: int) -> None:
    rungs = [limit("Buy", "0.001" if category == "linear" else "0.0002", "40000")
             for _ in range(allowed + 1)]
    error = await rejected(client(fake).place_batch_order, category=category, request=rungs)
    fitting = await call(client(fake).place_batch_order, category=category,
                         request=rungs[:allowed])
    assert error.status_code == 10001
    assert [c["code"] for c in fitting["retExtInfo"]["list"]] == [0] * allowed
    assert len(fake.account(KEY).resting) == allowed


# ------------------------------------------------------------ leftovers and cancels


async def test_leftover_targets_are_cancelled_when_the_position_closes(
        fake: FakeBybit, http: aiohttp.ClientSession) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.02"))
    await call(session.place_batch_order, category="linear",
               request=ladder(("tp-1", "0.01", "51000"), ("tp-2", "0.01", "52000")))
    ws = await connect_private(http, fake, topics=("order",))
    await call(session.place_order, **market("Sell", "0.02", reduceOnly=True,
                                             orderLinkId="close-1"))
    messages = await topics(ws, 3)
    await assert_nothing_queued(ws)
    resting = await call(session.get_open_orders, category="linear", symbol="BTCUSDT")
    cancels = await call(session.cancel_batch_order, category="linear", request=[
        {"symbol": "BTCUSDT", "orderLinkId": "tp-1"},
        {"symbol": "BTCUSDT", "orderLinkId": "close-1"},
        {"symbol": "BTCUSDT", "orderLinkId": "never-placed"}])

    assert [fields(m["data"][0], "orderLinkId", "orderStatus", "cancelType")
            for m in messages] == [("close-1", "Filled", "UNKNOWN"),
                                   ("tp-1", "Cancelled", "CancelByReduceOnly"),
                                   ("tp-2", "Cancelled", "CancelByReduceOnly")]
    assert resting["result"]["list"] == []
    assert [c["code"] for c in cancels["retExtInfo"]["list"]] == [110008, 110008, 110001]
    assert [i["orderLinkId"] for i in cancels["result"]["list"]] == [
        "tp-1", "close-1", "never-placed"]


async def test_with_the_switch_off_leftovers_wait_for_a_cancel_batch(
        fake: FakeBybit) -> None:
    fake.cancel_reduce_only_when_flat = False
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.02"))
    await call(session.place_batch_order, category="linear",
               request=ladder(("tp-1", "0.01", "51000"), ("tp-2", "0.01", "52000")))
    await call(session.place_order, **market("Sell", "0.02", reduceOnly=True,
                                             orderLinkId="close-1"))
    left = await call(session.get_open_orders, category="linear", symbol="BTCUSDT")
    cancels = await call(session.cancel_batch_order, category="linear", request=[
        {"symbol": "BTCUSDT", "orderLinkId": "tp-1"},
        {"symbol": "BTCUSDT", "orderId": fake.order_log[1].order_id},  # tp-1 again, by id
        {"symbol": "BTCUSDT", "orderLinkId": "close-1"}])
    fake.set_price("BTCUSDT", "53000")  # tp-2 is reached with nothing to reduce
    tp1, tp2 = await history(fake, "tp-1"), await history(fake, "tp-2")

    assert sorted(o["orderLinkId"] for o in left["result"]["list"]) == ["tp-1", "tp-2"]
    assert [c["code"] for c in cancels["retExtInfo"]["list"]] == [0, 110008, 110008]
    assert fields(tp1, "orderStatus", "cancelType") == ("Cancelled", "CancelByUser")
    assert fields(tp2, "orderStatus", "cancelType", "cumExecQty") == (
        "Cancelled", "CancelByReduceOnly", "0")
    assert not fake.account(KEY).position("BTCUSDT").is_open  # never opened a short


async def test_cancel_all_cancels_the_open_orders_of_one_symbol(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_batch_order, category="linear", request=[
        limit("Buy", "0.01", "40000", orderLinkId="btc-1"),
        limit("Buy", "0.01", "41000", orderLinkId="btc-2"),
        limit("Buy", "0.1", "2000", symbol="ETHUSDT", orderLinkId="eth-1")])
    missing = await rejected(session.cancel_all_orders, category="linear")
    answer = await call(session.cancel_all_orders, category="linear", symbol="BTCUSDT")
    again = await call(session.cancel_all_orders, category="linear", symbol="BTCUSDT")
    left = await call(session.get_open_orders, category="linear", settleCoin="USDT")

    assert missing.status_code == 10001
    assert answer["result"]["success"] == "1"
    assert sorted(i["orderLinkId"] for i in answer["result"]["list"]) == ["btc-1", "btc-2"]
    assert again["result"]["list"] == []
    assert [o["orderLinkId"] for o in left["result"]["list"]] == ["eth-1"]
    assert (await history(fake, "btc-2"))["cancelType"] == "CancelByUser"
