"""A position's plan on Bybit (the fake, through pybit and the private stream): the stop rides
on the opening order or goes by trading-stop, the ladder goes out in one batch of reduce-only
limit orders, fills arrive on the stream, the stop moves to break-even, and flat cancels the
rest — each at the REST cost the design promises."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any

import pytest

from bot.db.orders import OrderRepo
from bot.db.plans import ACTIVE, CLOSED, PlanRepo
from bot.outcomes import PositionEvent
from bot.trading.executor import Executor
from bot.trading.keeper import ExitKeeper, StreamWatch
from bot.trading.models import OrderRequest
from bot.trading.streams.manager import StreamManager
from bot.trading.summary import describe
from bot.vocabulary import AccountType, Category, OrderStatus, Side
from tests.sentences import english
from tests.trading.conftest import KEY, SECRET, USER, Rig, RigFactory

D = Decimal
LADDER = {"sl": "49000", "tps": [{"price": 50500, "qty_percent": 50},
                                 {"price": 51000}], "be_after": 1}


class Events:
    """A reporter that keeps what the keeper tells."""

    def __init__(self) -> None:
        self.events: list[PositionEvent] = []

    def report(self, report: object) -> None:
        return None

    def report_event(self, event: PositionEvent) -> None:
        self.events.append(event)


@pytest.fixture
async def keeping(make_rig: RigFactory, fake: Any) -> AsyncIterator[Callable[..., Any]]:
    made: list[StreamManager] = []

    async def build(**options: Any) -> tuple[Rig, ExitKeeper, PlanRepo, Events]:
        rig = await make_rig("bybit", **options)
        plans = PlanRepo(rig.db)
        keeper = ExitKeeper(plans, OrderRepo(rig.db), link_prefix="bbtest",
                            journal=rig.journal_repo)
        events = Events()
        keeper.reporter = events
        rig.executor = Executor(rig.orders, link_prefix="bbtest", retry=rig.retry,
                                keeper=keeper)
        # auth_refusals: a refused auth here is a stream kept down, not a key given up on
        streams = StreamManager(stream_url=fake.stream_url, max_private=5,
                                backoff_s=(0.05, 0.1), auth_refusals=1000)
        made.append(streams)
        await streams.start()
        stream = streams.open_private((USER, AccountType.DEMO), api_key=KEY,
                                      api_secret=SECRET, resync=rig.exchange.resync)
        assert stream is not None
        stream.state.watchers.append(StreamWatch(keeper, rig.exchange, USER, "demo",
                                                 stream.state.break_even))
        rig.exchange.stream = stream
        assert await stream.state.wait_synced(5)
        return rig, keeper, plans, events

    yield build
    for streams in made:
        await streams.close()


def calls(rig: Rig, since: int) -> list[str]:
    return [r.path for r in rig.fake.requests[since:] if r.path.startswith("/v5/")
            and not r.path.startswith("/v5/market/")]


async def send_with_exits(rig: Rig, action: str, **fields: Any) -> Any:
    """Journal an alert with its exits as the webhook would (through the parser)."""
    from bot.db.journal import JournalEntry
    from bot.signals import parse_signal

    body = {"symbol": "BTCUSDT", "action": action, "price": 50000, **fields}
    signal = parse_signal(json.loads(json.dumps(body)))
    entry = JournalEntry(USER, "personal", None, json.dumps(body), signal, None, 0.0)
    signal_id = (await rig.journal_repo.record(entry)).signal_id
    rig.signal_ids.append(signal_id)
    return await rig.run(signal_id, signal)


async def test_the_ladder_goes_out_in_one_batch_and_follows_the_fills(
        keeping: Callable[..., Any]) -> None:
    rig, keeper, plans, events = await keeping()
    rig.fake.set_price("BTCUSDT", 50000)
    mark = len(rig.fake.requests)

    opened = await send_with_exits(rig, "buy", **LADDER)

    assert opened.kind == "opened", describe(opened)
    assert opened.exits is not None and [t.qty for t in opened.exits.targets] == [
        D("0.01"), D("0.01")]
    # Open (the stop rides on it) + one batch for the ladder (+ leverage, first time only).
    assert [c for c in calls(rig, mark) if c != "/v5/position/set-leverage"] == [
        "/v5/position/list", "/v5/order/create", "/v5/order/create-batch"]
    position = rig.fake.account(KEY).position("BTCUSDT")
    assert position.stop_loss == D(49000)
    plan = await plans.get(rig.signal_ids[-1])
    assert plan is not None and plan.status == ACTIVE

    mark = len(rig.fake.requests)
    rig.fake.set_price("BTCUSDT", 50600)  # target 1 fills at the exchange
    await keeper_wait(keeper, lambda: len(events.events) == 1)

    [event] = events.events
    assert (event.kind, event.target, event.targets) == ("target_filled", 1, 2)
    assert event.qty == D("0.01") and event.price == D(50500) and event.pnl == D(5)
    assert event.stop_moved_to is not None and D(50000) <= event.stop_moved_to < D(50100)
    assert calls(rig, mark) == ["/v5/position/trading-stop"]  # break-even: one call
    position = rig.fake.account(KEY).position("BTCUSDT")
    assert position.stop_loss == event.stop_moved_to
    # Bybit's breakEvenPrice has more decimals than the tick (the fake refuses such a stop
    # like Bybit, 10001): the stop goes on the tick, a long's rounded up, toward profit.
    tick = rig.fake.market.linear("BTCUSDT").tick_size
    assert event.stop_moved_to % tick == 0 and event.stop_moved_to > D(50000)
    legs = {o.leg: o for o in await rig.orders.for_signal(rig.signal_ids[-1])}
    assert legs["t1"].status == OrderStatus.FILLED and legs["t2"].status == "placed"

    mark = len(rig.fake.requests)
    rig.fake.set_price("BTCUSDT", 51100)  # the last target closes what is left
    await keeper_wait(keeper, lambda: len(events.events) == 2)
    plan = await plans.get(rig.signal_ids[-1])
    assert plan is not None and plan.status == CLOSED and set(plan.filled) == {1, 2}
    assert await rig.position() == {}
    assert "/v5/order/cancel-batch" not in calls(rig, mark)  # nothing was left to cancel


async def test_flat_cancels_the_targets_left_in_one_request(
        keeping: Callable[..., Any]) -> None:
    rig, keeper, plans, _ = await keeping()
    rig.fake.cancel_reduce_only_when_flat = False  # as if Bybit kept them: we must cancel
    rig.fake.set_price("BTCUSDT", 50000)
    opened = await send_with_exits(rig, "buy", **LADDER)
    assert opened.kind == "opened", describe(opened)
    mark = len(rig.fake.requests)

    closed = await rig.send("close")
    await keeper_wait(keeper, lambda: "/v5/order/cancel-batch" in calls(rig, mark))
    await keeper.idle()

    assert closed.kind == "closed", describe(closed)
    assert calls(rig, mark).count("/v5/order/cancel-batch") == 1
    assert [o for o in rig.fake.account(KEY).orders.values() if o.is_open] == []
    plan = await plans.get(rig.signal_ids[0])
    assert plan is not None and plan.status == CLOSED
    statuses = {o.leg: o.status for o in await rig.orders.for_signal(rig.signal_ids[0])}
    assert statuses["t1"] == statuses["t2"] == OrderStatus.FAILED


async def test_in_hedge_mode_the_side_that_goes_flat_has_its_targets_cancelled(
        keeping: Callable[..., Any]) -> None:
    """Two rows per symbol: the long going flat while the short stays open is a flat
    position all the same, and its leftover targets must not wait for the next long."""
    rig, keeper, plans, _ = await keeping(mode="hedge")
    rig.fake.cancel_reduce_only_when_flat = False  # as if Bybit kept them: we must cancel
    rig.fake.set_price("BTCUSDT", 50000)
    opened = await send_with_exits(rig, "buy", **LADDER)
    assert opened.kind == "opened", describe(opened)
    await rig.exchange.place_order(OrderRequest(Category.LINEAR, "BTCUSDT", Side.SELL,
                                                D("0.01"), "by-hand-short", position_idx=2))
    assert await rig.exchange.wait_for_fill(Category.LINEAR, "BTCUSDT", "by-hand-short")
    mark = len(rig.fake.requests)

    # The long is closed by hand; the short stays open beside it.
    await rig.exchange.place_order(OrderRequest(Category.LINEAR, "BTCUSDT", Side.SELL,
                                                D("0.02"), "by-hand-close", reduce_only=True,
                                                position_idx=1))
    await keeper_wait(keeper, lambda: "/v5/order/cancel-batch" in calls(rig, mark))
    await keeper.idle()

    assert await rig.position() == {"Sell": D("0.01")}
    assert [o for o in rig.fake.account(KEY).orders.values()
            if o.is_open and o.reduce_only] == []
    plan = await plans.get(rig.signal_ids[0])
    assert plan is not None and plan.status == CLOSED


async def test_a_target_filled_while_the_stream_was_down_is_followed_after_the_resync(
        keeping: Callable[..., Any]) -> None:
    """Fills during a gap are never pushed again: the resync must find the target that
    filled, tell it and move the stop to break-even, not leave it `placed` for ever."""
    rig, keeper, plans, events = await keeping()
    rig.fake.set_price("BTCUSDT", 50000)
    opened = await send_with_exits(rig, "buy", **LADDER)
    assert opened.kind == "opened", describe(opened)
    stream = rig.exchange.stream
    assert stream is not None
    rig.fake.refuse_streams(KEY)
    await rig.fake.drop_streams(KEY, clean=False)
    assert await stream.connection.wait_until(lambda: not stream.live, 5)
    resyncs = stream.resyncs

    rig.fake.set_price("BTCUSDT", 50600)  # target 1 fills while nobody listens
    rig.fake.refuse_streams(KEY, refuse=False)
    assert await stream.connection.wait_until(lambda: stream.resyncs > resyncs, 15)
    await keeper_wait(keeper, lambda: len(events.events) == 1)

    [event] = events.events
    assert (event.kind, event.target, event.qty) == ("target_filled", 1, D("0.01"))
    assert event.stop_moved_to is not None
    assert rig.fake.account(KEY).position("BTCUSDT").stop_loss == event.stop_moved_to
    plan = await plans.get(rig.signal_ids[-1])
    assert plan is not None and plan.filled == (1,) and plan.status == ACTIVE
    legs = {o.leg: o for o in await rig.orders.for_signal(rig.signal_ids[-1])}
    assert legs["t1"].status == OrderStatus.FILLED


async def test_a_percent_stop_and_a_trailing_stop_cost_one_trading_stop_call(
        keeping: Callable[..., Any]) -> None:
    rig, _, _, _ = await keeping()
    rig.fake.set_price("BTCUSDT", 50000)
    mark = len(rig.fake.requests)

    opened = await send_with_exits(rig, "sell", sl="2%", trailing="1%",
                                   trailing_activation="1%")

    assert opened.kind == "opened", describe(opened)
    assert [c for c in calls(rig, mark) if c != "/v5/position/set-leverage"] == [
        "/v5/position/list", "/v5/order/create", "/v5/position/trading-stop"]
    position = rig.fake.account(KEY).position("BTCUSDT")
    assert position.stop_loss == D(51000)  # 2 % above a short's fill
    assert opened.exits is not None and opened.exits.trailing == D(495)  # 1 % of 49,500
    assert "trailing stop 495 from 49500" in describe(opened)


@pytest.mark.parametrize("lost", ["request", "answer"])
async def test_a_crash_between_the_entry_and_the_ladder_places_it_once_on_replay(
        keeping: Callable[..., Any], lost: str) -> None:
    rig, _, plans, _ = await keeping()
    rig.fake.set_price("BTCUSDT", 50000)
    # The batch dies on the way (nothing placed), or after Bybit placed it (answer lost).
    rig.fake.inject("/v5/order/create-batch", close=True, after=lost == "answer")

    first = await send_with_exits(rig, "buy", **LADDER)
    plan = await plans.get(rig.signal_ids[-1])
    assert plan is not None and plan.status == "placing"  # as a crash would leave it
    assert any("exits not placed" in english(note) for note in first.exit_notes)
    replay = await rig.run(rig.signal_ids[-1], first_signal(rig), replay=True)

    assert first.kind == replay.kind == "opened"
    open_targets = [o for o in rig.fake.account(KEY).orders.values()
                    if o.is_open and o.reduce_only]
    assert len(open_targets) == 2  # placed once, whatever the first batch did
    assert [o.side for o in rig.fake.order_log].count("Buy") == 1  # the entry: once
    assert rig.fake.duplicate_link_ids() == []
    plan = await plans.get(rig.signal_ids[-1])
    assert plan is not None and plan.status == ACTIVE
    targets = [o.leg for o in await rig.orders.for_signal(rig.signal_ids[-1])
               if o.leg.startswith("t")]
    assert sorted(targets) == ["t1", "t2"]


def first_signal(rig: Rig) -> Any:
    from bot.signals import parse_signal

    return parse_signal({"symbol": "BTCUSDT", "action": "buy", "price": 50000, **LADDER})


async def keeper_wait(keeper: ExitKeeper, condition: Callable[[], bool]) -> None:
    """Wait until the keeper has followed what the stream told (bounded)."""
    assert await keeper.wait_until(condition, 10), "the keeper never got there"


class Reports(Events):
    """Also keeps the signal reports (Bybit's own exits come as journaled closes)."""

    def __init__(self) -> None:
        super().__init__()
        self.reports: list[Any] = []

    def report(self, report: object) -> None:
        self.reports.append(report)


@pytest.mark.parametrize(("move", "route"), [("48900", "stop_loss"), ("52100", "take_profit")])
async def test_bybits_own_stop_or_target_is_journaled_recorded_and_told(
        keeping: Callable[..., Any], move: str, route: str) -> None:
    rig, keeper, _, _ = await keeping()
    reports = Reports()
    keeper.reporter = reports
    rig.fake.set_price("BTCUSDT", 50000)
    opened = await send_with_exits(rig, "buy", sl="49000", tp="52000")
    assert opened.kind == "opened", describe(opened)

    rig.fake.set_price("BTCUSDT", move)  # Bybit fires the position's own exit
    await keeper_wait(keeper, lambda: len(reports.reports) == 1)

    [report] = reports.reports
    assert report.route == route and report.status == "done"
    record = await rig.journal_repo.get(report.signal_id)
    assert record is not None and record.route == route and record.status == "done"
    [leg] = await rig.orders.for_signal(report.signal_id)
    assert leg.reduce_only and leg.filled_qty == D("0.02") and leg.avg_price == D(move)
    assert leg.realised_pnl is not None and (leg.realised_pnl > 0) == (route == "take_profit")
    assert await rig.position() == {}


async def test_break_even_in_hedge_mode_is_the_targets_own_side(
        keeping: Callable[..., Any]) -> None:
    rig, keeper, _, events = await keeping(mode="hedge")
    rig.fake.set_price("BTCUSDT", 50000)
    assert (await rig.send("buy")).kind == "opened"
    ladder = {"sl": "51000", "tps": [{"price": 49500, "qty_percent": 50}, {"price": 49000}],
              "be_after": 1}
    opened = await send_with_exits(rig, "sell", **ladder)  # closes the long, opens a short
    assert opened.kind == "reversed", describe(opened)
    rig.fake.set_price("BTCUSDT", 50200)
    # A long opened by hand beside the short, its break-even above the short's entry.
    await rig.exchange.place_order(OrderRequest(Category.LINEAR, "BTCUSDT", Side.BUY,
                                                D("0.02"), "by-hand-1", position_idx=1))
    await rig.exchange.wait_for_fill(Category.LINEAR, "BTCUSDT", "by-hand-1")
    book = await rig.exchange.positions("BTCUSDT")
    assert book.short is not None and book.long is not None

    rig.fake.set_price("BTCUSDT", 49400)  # the short's target 1 fills
    await keeper_wait(keeper, lambda: len(events.events) == 1)

    [event] = events.events
    short = rig.fake.account(KEY).position("BTCUSDT", 2)
    assert event.stop_moved_to is not None and short.stop_loss == event.stop_moved_to
    assert D(49900) < event.stop_moved_to <= D(50000)  # the short's, not the long's 50,2xx
