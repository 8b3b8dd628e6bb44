"""The fake Bybit's position TP/SL: trading-stop (Full and Partial), the stops on a market
entry, what set_price triggers (stop-loss, take-profit, trailing stop), and breakEvenPrice —
driven by the real pybit client over HTTP, watched on the private stream."""

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
from tests.fakes.conftest import HEDGE_KEY, KEY, call, client, market, rejected

D = Decimal
TAKER, MAKER = D("0.00055"), D("0.0002")


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with stream_session() as session:
        yield session


def stop(**values: Any) -> dict[str, Any]:
    """A Full trading-stop request on BTCUSDT, one-way."""
    return {"category": "linear", "symbol": "BTCUSDT", "tpslMode": "Full", "positionIdx": 0,
            **values}


async def row(fake: FakeBybit, key: str = KEY) -> dict[str, Any]:
    """The open BTCUSDT position row (or the flat one)."""
    answer = await call(client(fake, key=key).get_positions, category="linear",
                        symbol="BTCUSDT")
    rows: list[dict[str, Any]] = answer["result"]["list"]
    return rows[-1]


async def last_order(fake: FakeBybit) -> dict[str, Any]:
    answer = await call(client(fake).get_order_history, category="linear", symbol="BTCUSDT")
    item: dict[str, Any] = answer["result"]["list"][0]
    return item


def fields(item: dict[str, Any], *names: str) -> tuple[Any, ...]:
    return tuple(item[name] for name in names)


# ------------------------------------------------------------------ trading-stop


async def test_full_stops_are_set_replaced_and_cancelled(
        fake: FakeBybit, http: aiohttp.ClientSession) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.01"))
    ws = await connect_private(http, fake, topics=("position",))
    await call(session.set_trading_stop, **stop(stopLoss="49000", takeProfit="52000"))
    await call(session.set_trading_stop, **stop(stopLoss="49500"))
    await call(session.set_trading_stop, **stop(takeProfit="0", slTriggerBy="MarkPrice"))
    same = await rejected(session.set_trading_stop, **stop(stopLoss="49500"))
    nothing = await rejected(session.set_trading_stop, **stop())
    pushed = await topics(ws, 3)
    await assert_nothing_queued(ws)

    assert [fields(m["data"][0], "takeProfit", "stopLoss") for m in pushed] == [
        ("52000", "49000"), ("52000", "49500"), ("0", "49500")]
    assert fields(await row(fake), "takeProfit", "stopLoss", "trailingStop") == (
        "0", "49500", "0")
    assert (same.status_code, same.message) == (34040, "not modified")
    assert nothing.status_code == 34040
    assert fake.account(KEY).position("BTCUSDT").sl_trigger_by == "MarkPrice"


@pytest.mark.parametrize(("side", "values", "message"), [
    ("Buy", {"stopLoss": "50500"},
     "StopLoss:50500 set for Buy position should lower than base_price:50000??LastPrice"),
    ("Buy", {"takeProfit": "49000"},
     "TakeProfit:49000 set for Buy position should be higher than base_price:50000??LastPrice"),
    ("Sell", {"stopLoss": "49000"},
     "StopLoss:49000 set for Sell position should greater base_price:50000??LastPrice"),
    ("Sell", {"takeProfit": "51000"},
     "TakeProfit:51000 set for Sell position should be lower than base_price:50000??LastPrice"),
    ("Buy", {"trailingStop": "500", "activePrice": "49900"},
     "TrailingProfit:49900 set for Buy position should be greater than entry_price:50000"
     "??LastPrice and last_price:50000"),
    ("Buy", {"stopLoss": "49000.05"},
     "params error: stopLoss 49000.05 is not a multiple of the tick size 0.1"),
    ("Buy", {"tpslMode": None, "stopLoss": "49000"}, "params error: tpslMode is required"),
    ("Buy", {"positionIdx": None, "stopLoss": "49000"}, "params error: positionIdx is required"),
    ("Buy", {"positionIdx": 1, "stopLoss": "49000"}, "position idx not match position mode"),
    ("Buy", {"category": "spot", "stopLoss": "49000"}, "params error: category invalid"),
    ("Buy", {"symbol": "ETHUSDT", "stopLoss": "2900"}, "can not set tp/sl/ts for zero position"),
])
async def test_trading_stop_refusals(fake: FakeBybit, side: str, values: dict[str, Any],
                                     message: str) -> None:
    session = client(fake)
    await call(session.place_order, **market(side, "0.01"))
    error = await rejected(session.set_trading_stop, **stop(**values))
    assert (error.status_code, error.message) == (10001, message)
    position = fake.account(KEY).position("BTCUSDT")
    assert (position.stop_loss, position.take_profit, position.trailing_stop) == (D(0),) * 3


async def test_a_flat_hedge_side_has_no_position_to_protect(fake: FakeBybit) -> None:
    session = client(fake, key=HEDGE_KEY)
    await call(session.place_order, **market("Buy", "0.01", positionIdx=1))
    long = await call(session.set_trading_stop, **stop(positionIdx=1, stopLoss="49000"))
    short = await rejected(session.set_trading_stop, **stop(positionIdx=2, stopLoss="51000"))
    assert long["retCode"] == 0
    assert (short.status_code, short.message) == (10001, "can not set tp/sl/ts for zero position")


async def test_stops_on_a_market_entry_become_the_positions(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.01", takeProfit="55000",
                                             stopLoss="45000"))
    opened = await row(fake)
    fake.set_price("BTCUSDT", "55000")
    closing = await last_order(fake)

    assert fields(opened, "takeProfit", "stopLoss") == ("55000", "45000")
    assert fields(closing, "stopOrderType", "createType", "orderStatus", "avgPrice") == (
        "TakeProfit", "CreateByTakeProfit", "Filled", "55000")
    assert fields(await row(fake), "size", "takeProfit", "stopLoss") == ("0", "0", "0")


# ---------------------------------------------------------------------- triggers


async def test_a_stop_loss_reached_closes_the_whole_position(
        fake: FakeBybit, http: aiohttp.ClientSession) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.01", orderLinkId="open-1"))
    await call(session.set_trading_stop, **stop(stopLoss="49000", takeProfit="52000"))
    ws = await connect_private(http, fake)
    fake.set_price("BTCUSDT", "49100")
    assert [m["topic"] for m in await topics(ws, 1)] == ["position"]  # not reached yet
    fake.set_price("BTCUSDT", "48800")  # gapped through it: the market order fills here
    order, fill, position, wallet = await topics(ws, 4)
    fake.set_price("BTCUSDT", "47000")  # nothing held any more: nothing pushed
    await assert_nothing_queued(ws)

    assert fields(order["data"][0], "orderStatus", "stopOrderType", "createType",
                  "orderLinkId", "orderType", "side", "qty", "avgPrice", "reduceOnly",
                  "closeOnTrigger", "triggerPrice") == (
        "Filled", "StopLoss", "CreateByStopLoss", "", "Market", "Sell", "0.01", "48800",
        True, True, "49000")
    assert fields(fill["data"][0], "execType", "stopOrderType", "createType", "execPrice",
                  "execPnl", "closedSize", "isMaker") == (
        "Trade", "StopLoss", "CreateByStopLoss", "48800", "-12", "0.01", False)
    assert fields(position["data"][0], "size", "stopLoss", "takeProfit") == ("0", "0", "0")
    assert wallet["topic"] == "wallet"
    assert [o.order_link_id for o in fake.order_log] == ["open-1"]  # Bybit placed it
    fees = D("0.01") * (50000 + 48800) * TAKER
    assert fake.account(KEY).usdt == 10000 - 12 - fees


async def test_a_short_take_profit_reached_closes_it_in_profit(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Sell", "0.01"))
    await call(session.set_trading_stop, **stop(takeProfit="48000"))
    fake.set_price("BTCUSDT", "48100")
    still = await row(fake)
    fake.set_price("BTCUSDT", "47900")
    fills = await call(session.get_executions, category="linear", symbol="BTCUSDT")

    assert still["size"] == "0.01"
    assert fields(fills["result"]["list"][0], "side", "stopOrderType", "execPrice",
                  "closedSize") == ("Buy", "TakeProfit", "47900", "0.01")
    assert (await row(fake))["size"] == "0"


async def test_a_trailing_stop_without_active_price_follows_the_best_price(
        fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.01"))
    await call(session.set_trading_stop, **stop(trailingStop="500"))
    shown = await row(fake)
    for price in ("50800", "50400"):  # best 50,800: the stop is at 50,300
        fake.set_price("BTCUSDT", price)
    kept = await row(fake)
    fake.set_price("BTCUSDT", "50300")
    closing = await last_order(fake)

    assert shown["trailingStop"] == "500"
    assert kept["size"] == "0.01"
    assert fields(closing, "stopOrderType", "createType", "avgPrice", "triggerPrice") == (
        "TrailingStop", "CreateByTrailingStop", "50300", "0")
    assert fields(await row(fake), "size", "trailingStop") == ("0", "0")


async def test_a_trailing_stop_with_active_price_waits_for_it(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.01"))
    await call(session.set_trading_stop, **stop(trailingStop="500", activePrice="51000"))
    fake.set_price("BTCUSDT", "49400")  # 500 under the entry, but not active yet
    inactive = await row(fake)
    for price in ("51200", "50800"):  # active from 51,200: the stop is at 50,700
        fake.set_price("BTCUSDT", price)
    active = await row(fake)
    fake.set_price("BTCUSDT", "50650")
    closing = await last_order(fake)

    assert (inactive["size"], active["size"]) == ("0.01", "0.01")
    assert fields(closing, "stopOrderType", "avgPrice", "triggerPrice") == (
        "TrailingStop", "50650", "51000")
    assert (await row(fake))["size"] == "0"


async def test_a_trailing_stop_is_cancelled_with_zero(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Sell", "0.01"))
    await call(session.set_trading_stop, **stop(trailingStop="300"))
    await call(session.set_trading_stop, **stop(trailingStop="0"))
    fake.set_price("BTCUSDT", "50500")  # would have fired at 50,300
    assert fields(await row(fake), "size", "trailingStop") == ("0.01", "0")


async def test_partial_take_profits_close_their_size_and_leave_the_full_stop(
        fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.01", stopLoss="48000"))
    await call(session.set_trading_stop, **stop(tpslMode="Partial", takeProfit="51000",
                                                 tpSize="0.004"))
    await call(session.set_trading_stop, **stop(
        tpslMode="Partial", takeProfit="52000", tpSize="0.003", tpOrderType="Limit",
        tpLimitPrice="52100"))
    unpaired = await rejected(session.set_trading_stop, **stop(tpslMode="Partial",
                                                               takeProfit="53000"))
    too_big = await rejected(session.set_trading_stop, **stop(
        tpslMode="Partial", takeProfit="53000", tpSize="0.004"))
    fake.set_price("BTCUSDT", "51000")
    first = await last_order(fake)
    fake.set_price("BTCUSDT", "52000")  # the second places its limit order at 52,100
    resting = await last_order(fake)
    fake.set_price("BTCUSDT", "52100")
    second = await last_order(fake)

    assert unpaired.status_code == 10001 and "in pairs" in unpaired.message
    assert too_big.status_code == 110058
    assert fields(first, "stopOrderType", "createType", "qty", "avgPrice", "tpslMode") == (
        "PartialTakeProfit", "CreateByPartialTakeProfit", "0.004", "51000", "Partial")
    assert fields(resting, "orderType", "orderStatus", "price", "reduceOnly") == (
        "Limit", "New", "52100", True)
    assert fields(second, "orderStatus", "avgPrice", "cumExecFee") == (
        "Filled", "52100", "0.03126")  # 0.003 × 52,100 × the maker 0.02 %
    assert fields(await row(fake), "size", "stopLoss") == ("0.003", "48000")


# ----------------------------------------------------------- flat, and break-even


async def test_going_flat_clears_every_stop(fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.01", takeProfit="55000"))
    await call(session.set_trading_stop, **stop(stopLoss="49000", trailingStop="800"))
    await call(session.place_order, **market("Sell", "0.01", reduceOnly=True))
    await call(session.place_order, **market("Buy", "0.01"))
    assert fields(await row(fake), "size", "takeProfit", "stopLoss", "trailingStop") == (
        "0.01", "0", "0", "0")
    fake.set_price("BTCUSDT", "48000")  # the old stop is gone with the old position
    assert (await row(fake))["size"] == "0.01"


def break_even(entry: Decimal, qty: Decimal, realised: Decimal) -> Decimal:
    """Bybit's formula; ``qty`` negative for a short."""
    return (entry * qty - realised) / (qty - abs(qty) * TAKER)


@pytest.mark.parametrize("side", ["Buy", "Sell"])
async def test_break_even_price_after_opening_includes_the_fee(
        fake: FakeBybit, http: aiohttp.ClientSession, side: str) -> None:
    ws = await connect_private(http, fake, topics=("position",))
    await call(client(fake).place_order, **market(side, "0.02"))
    pushed = (await topics(ws, 1))[0]["data"][0]
    opened = await row(fake)

    qty = D("0.02") if side == "Buy" else D("-0.02")
    expected = break_even(D(50000), qty, -D("0.02") * 50000 * TAKER)
    assert abs(D(opened["breakEvenPrice"]) - expected) < D("0.00000001")
    assert pushed["breakEvenPrice"] == opened["breakEvenPrice"]
    assert (D(opened["breakEvenPrice"]) > 50000) == (side == "Buy")


async def test_break_even_price_after_a_partial_take_profit_counts_its_profit(
        fake: FakeBybit) -> None:
    session = client(fake)
    await call(session.place_order, **market("Buy", "0.02"))
    await call(session.place_order, category="linear", symbol="BTCUSDT", side="Sell",
               orderType="Limit", qty="0.01", price="51000", reduceOnly=True)
    fake.set_price("BTCUSDT", "51000")
    after = await row(fake)

    realised = -D("0.02") * 50000 * TAKER + 10 - D("0.01") * 51000 * MAKER
    assert D(after["curRealisedPnl"]) == realised
    assert abs(D(after["breakEvenPrice"]) - break_even(D(50000), D("0.01"), realised)) < D(
        "0.00000001")
    assert D(after["breakEvenPrice"]) < 50000  # the first target paid for the rest
