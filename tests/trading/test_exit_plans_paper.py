"""A position's plan on the paper exchange: the ladder rests, ticks fill it target by target,
the stop moves to break-even after the target the plan names, and what is left is cancelled
when the position goes flat. The whole service runs in-process against the fake Bybit's
prices."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import aiohttp

from bot.db.paper import PaperBook
from bot.db.plans import ACTIVE, CLOSED
from bot.vocabulary import OrderStatus
from tests.conftest import move_price
from tests.fakes.bybit import FakeBybit
from tests.trading.test_service_trading import add_user, run, start

D = Decimal
EVE = 505
LADDER = {"symbol": "BTCUSDT", "action": "buy", "price": 50000, "sl": "2%",
          "tps": [{"price": 50500, "qty_percent": 50}, {"price": 51000, "qty_percent": 25},
                  {"price": 51500}], "be_after": 1}


async def exits_of(service: Any, user_id: int) -> tuple[Decimal | None, list[str]]:
    """The paper position's stop and its resting targets' orderLinkIds."""
    start_usdt = service.config.paper.start_balance

    def read(conn: Any) -> tuple[Decimal | None, list[str]]:
        book = PaperBook(conn, user_id, start_usdt)
        exits = book.protection("BTCUSDT")
        return (exits.stop_loss if exits else None,
                [o.order_link_id for o in book.resting("BTCUSDT")])

    return await service.db.read(read)


async def test_a_ladder_fills_target_by_target_and_moves_the_stop_to_break_even(
        make_config: Callable[..., Any], start_service: Callable[..., Any],
        fake_bybit: FakeBybit, http: aiohttp.ClientSession) -> None:
    service = await start(make_config, start_service, fake_bybit)
    token = await add_user(service, EVE)

    opened = await run(service, http, EVE, token, LADDER)
    assert opened.status == "done", opened.error
    assert "exits: stop-loss 49000, targets 0.01 at 50500, 0.005 at 51000, 0.005 at 51500" \
        in opened.result
    plan = await service.plans.get(opened.id)
    assert plan is not None and plan.status == ACTIVE and plan.exits.be_after == 1
    stop, resting = await exits_of(service, EVE)
    assert stop == D(49000) and len(resting) == 3  # percent stop set from the fill
    await fake_bybit.wait_for_public_subscription("linear", "BTCUSDT")

    await move_price(service, fake_bybit, "BTCUSDT", 50600)  # past target 1
    await service.paper_triggers.idle()
    await service.keeper.idle()

    plan = await service.plans.get(opened.id)
    assert plan is not None and plan.filled == (1,) and plan.be_moved
    stop, resting = await exits_of(service, EVE)
    assert stop == D(50000) and len(resting) == 2  # break-even: the entry
    legs = {o.leg: o for o in await service.orders.for_signal(opened.id)}
    assert legs["t1"].status == OrderStatus.FILLED and legs["t1"].avg_price == D(50500)
    assert legs["t1"].realised_pnl == D(5)  # 0.01 × 500
    assert (await service.registry.paper(EVE).positions("BTCUSDT")).long.size == D("0.01")

    await move_price(service, fake_bybit, "BTCUSDT", 51600)  # past targets 2 and 3
    await service.paper_triggers.idle()
    await service.keeper.idle()

    plan = await service.plans.get(opened.id)
    assert plan is not None and set(plan.filled) == {1, 2, 3} and plan.status == CLOSED
    assert (await service.registry.paper(EVE).positions("BTCUSDT")).rows == ()
    assert await exits_of(service, EVE) == (None, [])


async def test_a_close_cancels_the_targets_left(
        make_config: Callable[..., Any], start_service: Callable[..., Any],
        fake_bybit: FakeBybit, http: aiohttp.ClientSession) -> None:
    service = await start(make_config, start_service, fake_bybit)
    token = await add_user(service, EVE)
    opened = await run(service, http, EVE, token, LADDER)
    assert opened.status == "done", opened.error

    closed = await run(service, http, EVE, token, {"symbol": "BTCUSDT", "action": "close",
                                                   "price": 50000})
    await service.paper_triggers.idle()
    await service.keeper.idle()

    assert closed.status == "done"
    plan = await service.plans.get(opened.id)
    assert plan is not None and plan.status == CLOSED and plan.filled == ()
    assert await exits_of(service, EVE) == (None, [])
    statuses = {o.leg: o.status for o in await service.orders.for_signal(opened.id)}
    assert statuses == {"o": OrderStatus.FILLED, "t1": OrderStatus.FAILED,
                        "t2": OrderStatus.FAILED, "t3": OrderStatus.FAILED}


async def test_a_trailing_stop_follows_the_best_price_and_closes_on_the_way_back(
        make_config: Callable[..., Any], start_service: Callable[..., Any],
        fake_bybit: FakeBybit, http: aiohttp.ClientSession) -> None:
    service = await start(make_config, start_service, fake_bybit)
    token = await add_user(service, EVE)
    opened = await run(service, http, EVE, token, {
        "symbol": "BTCUSDT", "action": "buy", "price": 50000, "trailing": 300,
        "trailing_activation": 50200})
    assert opened.status == "done", opened.error
    await fake_bybit.wait_for_public_subscription("linear", "BTCUSDT")

    for price in (50100, 50400, 50800, 50600):  # active at 50200, best 50800: stop 50500
        await move_price(service, fake_bybit, "BTCUSDT", price)
    await service.paper_triggers.idle()
    assert (await service.registry.paper(EVE).positions("BTCUSDT")).long is not None
    await move_price(service, fake_bybit, "BTCUSDT", 50450)
    await service.paper_triggers.idle()

    latest = (await service.journal.recent(EVE, 1))[0]
    assert latest.route == "trailing_stop" and latest.signal is not None
    assert latest.signal.price == D(50450)
    await service.dispatcher.join()
    assert (await service.registry.paper(EVE).positions("BTCUSDT")).rows == ()
