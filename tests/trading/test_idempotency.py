"""An order is placed at most once: lost answers, slow answers, duplicates (110072), rate
limits and replays after a crash never double it — and the trader learns what happened.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from bot.db.orders import OrderRecord
from bot.trading.exchanges.base import DuplicateOrder
from bot.trading.models import OrderRequest
from bot.trading.planner import LinkIds
from bot.trading.summary import describe
from bot.vocabulary import Category, Leg, OrderStatus, Side
from tests.trading.conftest import USER, Placed, Rig, RigFactory

D = Decimal
CREATE = "/v5/order/create"
BACKENDS = [("bybit", "oneway"), ("bybit", "hedge"), ("paper", "oneway")]
BACKEND_IDS = ["bybit-oneway", "bybit-hedge", "paper"]


def assert_placed_once(rig: Rig, orders: int) -> None:
    assert rig.fake.duplicate_link_ids() == []
    assert len(rig.fake.orders_for(rig.key)) == orders
    links = [o.order_link_id for o in rig.fake.orders_for(rig.key)]
    assert len(set(links)) == len(links)


async def test_lost_answer_is_found_by_its_link_id_not_placed_again(
        make_rig: RigFactory) -> None:
    rig = await make_rig("bybit")
    rig.fake.inject(CREATE, after=True, close=True)  # placed, then the connection drops

    outcome = await rig.send("buy")

    assert (outcome.status, outcome.kind) == ("done", "opened"), describe(outcome)
    assert_placed_once(rig, 1)
    assert rig.requests(CREATE) == [CREATE]
    [leg] = outcome.legs
    assert (leg.status, leg.filled_qty, leg.avg_price) == ("filled", D("0.02"), D("50000"))
    assert leg.exchange_order_id == rig.fake.order_log[0].order_id


async def test_dropped_request_is_looked_up_then_placed_once(make_rig: RigFactory) -> None:
    rig = await make_rig("bybit")
    rig.fake.inject(CREATE, close=True)  # dropped before the fake processed it

    outcome = await rig.send("sell")

    assert outcome.kind == "opened", describe(outcome)
    assert_placed_once(rig, 1)
    assert rig.requests(CREATE) == [CREATE, CREATE]
    assert await rig.position() == {"Sell": D("0.02")}


async def test_answer_slower_than_the_client_timeout_does_not_double_the_order(
        make_rig: RigFactory) -> None:
    rig = await make_rig("bybit", timeout=0.3)
    rig.fake.inject(CREATE, delay=1.5)  # answered (and carried out) long after we gave up

    outcome = await rig.send("buy")

    assert outcome.kind == "opened", describe(outcome)
    assert_placed_once(rig, 1)
    assert await rig.position() == {"Buy": D("0.02")}


async def test_slow_order_landing_between_lookup_and_retry_is_a_duplicate_not_a_second_order(
        make_rig: RigFactory) -> None:
    rig = await make_rig("bybit", timeout=0.3)
    slow_create = rig.fake.hold(CREATE)
    lookup_open = rig.fake.hold("/v5/order/realtime", after=True)
    lookup_history = rig.fake.hold("/v5/order/history", after=True)
    task = asyncio.create_task(rig.send("buy"))

    await slow_create.arrived()  # the client times out on it
    await lookup_open.arrived()
    lookup_open.release()
    await lookup_history.arrived()  # "not found" is decided …
    slow_create.release()  # … then the slow order lands
    await rig.fake.wait_for_orders(1)
    lookup_history.release()
    outcome = await task

    assert outcome.kind == "opened", describe(outcome)
    assert_placed_once(rig, 1)
    assert rig.requests(CREATE) == [CREATE, CREATE]  # the retry got 110072
    assert outcome.legs[0].status == "filled"


async def test_duplicate_link_id_means_already_placed(make_rig: RigFactory) -> None:
    rig = await make_rig("bybit", market_type="spot")
    signal_id, signal = await rig.journal("buy")
    # An earlier attempt placed this very leg; its answer never arrived.
    await rig.exchange.place_order(OrderRequest(
        Category.SPOT, "BTCUSDT", Side.BUY, D("100"), LinkIds("bbtest", signal_id)(Leg.SPOT_BUY),
        market_unit="quoteCoin"))

    outcome = await rig.run(signal_id, signal)

    assert outcome.kind == "bought", describe(outcome)
    assert_placed_once(rig, 1)
    assert rig.requests(CREATE) == [CREATE, CREATE]  # the second got 110072
    [stored] = await rig.orders.for_signal(signal_id)
    assert (stored.status, stored.filled_qty) == ("filled", D("0.002"))
    assert await rig.orders.holding(USER, "demo", "BTCUSDT") == await rig.coin("BTC") > 0


@pytest.mark.parametrize("kind", ["bybit", "paper"])
async def test_exchanges_refuse_a_second_order_with_the_same_link_id(
        make_rig: RigFactory, kind: str) -> None:
    rig = await make_rig(kind)
    request = OrderRequest(Category.LINEAR, "BTCUSDT", Side.BUY, D("0.01"), "bbtest-1-o",
                           price_hint=D("50000"))
    await rig.exchange.place_order(request)

    with pytest.raises(DuplicateOrder):
        await rig.exchange.place_order(request)
    assert await rig.position() == {"Buy": D("0.01")}


@pytest.mark.parametrize(("code", "status"), [(10006, None), (None, 429)],
                         ids=["retCode-10006", "http-429"])
async def test_rate_limit_is_retried_with_backoff(make_rig: RigFactory, code: int | None,
                                                  status: int | None) -> None:
    rig = await make_rig("bybit")
    rig.fake.inject(CREATE, ret_code=code, http_status=status, times=2)

    outcome = await rig.send("buy")

    assert outcome.kind == "opened", describe(outcome)
    assert rig.retry.pauses == [0.01, 0.02]  # exponential
    assert rig.requests(CREATE) == [CREATE] * 3
    assert_placed_once(rig, 1)


@pytest.mark.parametrize(("code", "status"), [(10006, None), (None, 429)],
                         ids=["retCode-10006", "http-429"])
async def test_rate_limit_retries_are_bounded_and_explained(
        make_rig: RigFactory, code: int | None, status: int | None) -> None:
    rig = await make_rig("bybit")
    rig.fake.inject(CREATE, ret_code=code, http_status=status, times=10)

    outcome = await rig.send("buy")

    assert (outcome.status, outcome.error_code) == ("failed", "rate_limited")
    assert rig.requests(CREATE) == [CREATE] * 3
    assert rig.retry.pauses == [0.01, 0.02]
    assert "tried 3 times" in describe(outcome) and "nothing was placed" in describe(outcome)
    assert "send the alert again" in describe(outcome)
    assert_placed_once(rig, 0)


async def test_clock_refusals_are_not_looked_up_and_say_nothing_was_placed(
        make_rig: RigFactory) -> None:
    # 10002 (timestamp outside recv_window) is Bybit refusing the request before it is
    # carried out, like 10006: no late answer can place it.
    rig = await make_rig("bybit")
    rig.fake.inject(CREATE, ret_code=10002, times=10)

    outcome = await rig.send("buy")

    assert (outcome.status, outcome.error_code) == ("failed", "clock_drift")
    assert rig.requests(CREATE) == [CREATE] * 3
    assert rig.requests("/v5/order/realtime") == rig.requests("/v5/order/history") == []
    assert "synchronise it (NTP)" in describe(outcome)
    assert "nothing was placed" in describe(outcome)
    assert "late answer" not in describe(outcome)
    assert_placed_once(rig, 0)


async def test_reads_are_retried_through_rate_limits_and_error_pages(
        make_rig: RigFactory) -> None:
    rig = await make_rig("bybit")
    rig.fake.inject("/v5/position/list", ret_code=10006, times=2)
    rig.fake.inject("/v5/market/tickers", http_status=502)

    outcome = await rig.send("buy")

    assert outcome.kind == "opened", describe(outcome)
    assert rig.retry.pauses == [0.01, 0.02, 0.01]
    assert len(rig.requests("/v5/position/list")) == 3
    assert_placed_once(rig, 1)


async def test_set_leverage_is_retried_like_a_read_not_the_end_of_a_reversal(
        make_rig: RigFactory) -> None:
    # Setting the same leverage again is harmless (110043), so a rate limit or an error page
    # on it is retried; it comes between the two legs of a reversal.
    rig = await make_rig("bybit", leverage=20)
    await rig.seed_position("Buy", "0.05")
    rig.fake.inject("/v5/position/set-leverage", ret_code=10006)
    rig.fake.inject("/v5/position/set-leverage", http_status=502)

    outcome = await rig.send("sell")

    assert outcome.kind == "reversed", describe(outcome)
    assert len(rig.requests("/v5/position/set-leverage")) == 3
    assert rig.retry.pauses == [0.01, 0.02]
    assert await rig.leverage_on_exchange() == D(20)
    assert await rig.position() == {"Sell": D("0.04")}
    assert_placed_once(rig, 2)


async def test_read_retries_are_bounded_and_explained(make_rig: RigFactory) -> None:
    rig = await make_rig("bybit")
    rig.fake.inject("/v5/position/list", ret_code=10006, times=10)

    outcome = await rig.send("sell")

    assert (outcome.status, outcome.error_code) == ("failed", "rate_limited")
    assert "rate limit" in describe(outcome) and "tried 3 times" in describe(outcome)
    assert "send the alert again" in describe(outcome)
    assert len(rig.requests("/v5/position/list")) == 3
    assert_placed_once(rig, 0)


async def test_order_requests_that_never_get_through_are_bounded_and_explained(
        make_rig: RigFactory) -> None:
    rig = await make_rig("bybit")
    rig.fake.inject(CREATE, close=True, times=10)

    outcome = await rig.send("buy")

    assert (outcome.status, outcome.error_code) == ("failed", "exchange_unreachable")
    assert rig.requests(CREATE) == [CREATE] * 3
    assert "tried 3 times and the order is not on Bybit" in describe(outcome)
    assert "check your positions on Bybit before sending the alert again" in describe(outcome)
    assert_placed_once(rig, 0)


async def test_exchange_that_stops_answering_is_reported_as_unknown(
        make_rig: RigFactory) -> None:
    rig = await make_rig("bybit")
    rig.fake.inject(CREATE, after=True, close=True)
    rig.fake.inject("/v5/order/realtime", close=True, times=10)

    outcome = await rig.send("buy")

    assert (outcome.status, outcome.error_code) == ("failed", "order_unknown")
    assert "check your positions on Bybit" in describe(outcome)
    assert_placed_once(rig, 1)  # it did go through; we say we cannot tell, and never resend


# --- replays after a crash -----------------------------------------------------------------


async def test_replay_that_cannot_look_its_legs_up_places_nothing(make_rig: RigFactory) -> None:
    rig = await make_rig("bybit")
    signal_id, signal = await rig.journal("buy")
    rig.fake.inject("/v5/order/realtime", http_status=502, times=10)

    outcome = await rig.run(signal_id, signal, replay=True)

    assert (outcome.status, outcome.error_code) == ("failed", "order_unknown")
    assert "check your positions on Bybit before sending the alert again" in describe(outcome)
    assert rig.requests(CREATE) == []


async def place_leg_directly(rig: Rig, signal_id: int, leg: Leg, request: OrderRequest,
                             *, record: bool) -> None:
    """What a crashed run left behind: the leg at the exchange, maybe recorded too."""
    link = LinkIds("bbtest", signal_id)(leg)
    placed = OrderRequest(request.category, request.symbol, request.side, request.qty, link,
                          reduce_only=request.reduce_only, position_idx=request.position_idx,
                          market_unit=request.market_unit)
    await rig.exchange.place_order(placed)
    if record:
        await rig.orders.save(OrderRecord(
            signal_id, USER, leg, link, rig.settings.account_type, request.category,
            request.symbol, request.side, request.qty, request.reduce_only, OrderStatus.FILLED,
            filled_qty=request.qty, avg_price=D("50000")))


@pytest.mark.parametrize("recorded", [False, True], ids=["unrecorded", "recorded"])
@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
async def test_replay_after_a_crash_between_legs_places_only_the_open(
        make_rig: RigFactory, kind: str, mode: str, recorded: bool) -> None:
    rig = await make_rig(kind, mode=mode)
    await rig.seed_position("Sell", "0.05")
    signal_id, signal = await rig.journal("buy")
    close_idx = 0 if mode == "oneway" else 2
    await place_leg_directly(rig, signal_id, Leg.CLOSE_SHORT, OrderRequest(
        Category.LINEAR, "BTCUSDT", Side.BUY, D("0.05"), "", reduce_only=True,
        position_idx=close_idx), record=recorded)

    outcome = await rig.run(signal_id, signal, replay=True)

    assert (outcome.status, outcome.kind) == ("done", "reversed"), describe(outcome)
    open_idx = 0 if mode == "oneway" else 1
    assert await rig.placed() == [Placed("Buy", D("0.05"), True, close_idx),
                                  Placed("Buy", D("0.02"), False, open_idx)]
    assert await rig.position() == {"Buy": D("0.02")}
    assert [o.leg for o in await rig.orders.for_signal(signal_id)] == ["cs", "o"]


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
async def test_replay_after_both_legs_places_nothing(make_rig: RigFactory, kind: str,
                                                     mode: str) -> None:
    rig = await make_rig(kind, mode=mode)
    await rig.seed_position("Sell", "0.05")
    signal_id, signal = await rig.journal("buy")
    first = await rig.run(signal_id, signal)
    placed = await rig.placed()

    again = await rig.run(signal_id, signal, replay=True)

    assert first.kind == again.kind == "reversed", describe(again)
    assert await rig.placed() == placed and len(placed) == 2
    assert await rig.position() == {"Buy": D("0.02")}


@pytest.mark.parametrize(("kind", "mode"), BACKENDS, ids=BACKEND_IDS)
async def test_replay_after_both_legs_unrecorded_places_nothing_and_records_both(
        make_rig: RigFactory, kind: str, mode: str) -> None:
    rig = await make_rig(kind, mode=mode)
    await rig.seed_position("Sell", "0.05")
    signal_id, signal = await rig.journal("buy")
    hedge = mode == "hedge"
    await place_leg_directly(rig, signal_id, Leg.CLOSE_SHORT, OrderRequest(
        Category.LINEAR, "BTCUSDT", Side.BUY, D("0.05"), "", reduce_only=True,
        position_idx=2 if hedge else 0), record=False)
    await place_leg_directly(rig, signal_id, Leg.OPEN, OrderRequest(
        Category.LINEAR, "BTCUSDT", Side.BUY, D("0.02"), "", position_idx=1 if hedge else 0),
        record=False)

    outcome = await rig.run(signal_id, signal, replay=True)

    assert outcome.kind == "reversed", describe(outcome)
    assert len(await rig.placed()) == 2
    assert await rig.position() == {"Buy": D("0.02")}
    stored = await rig.orders.for_signal(signal_id)
    assert [(o.leg, o.status, o.filled_qty) for o in stored] == [
        ("cs", "filled", D("0.05")), ("o", "filled", D("0.02"))]


@pytest.mark.parametrize("kind", ["bybit", "paper"])
async def test_replay_of_an_unrecorded_spot_buy_places_nothing_and_keeps_the_holding(
        make_rig: RigFactory, kind: str) -> None:
    rig = await make_rig(kind, market_type="spot")
    signal_id, signal = await rig.journal("buy")
    await place_leg_directly(rig, signal_id, Leg.SPOT_BUY, OrderRequest(
        Category.SPOT, "BTCUSDT", Side.BUY, D("100"), "", market_unit="quoteCoin"), record=False)

    outcome = await rig.run(signal_id, signal, replay=True)

    assert outcome.kind == "bought", describe(outcome)
    assert len(await rig.placed()) == 1
    held = await rig.orders.holding(USER, rig.settings.account_type, "BTCUSDT")
    assert held == await rig.coin("BTC") > 0  # the bot knows it bought these coins
    assert (await rig.send("sell")).kind == "sold"
