"""Live account state from the private stream, against the fake Bybit's WebSocket streams.

The rig's executor trades a demo account whose `BybitExchange` has its private stream, as the
registry gives it in the service. The fake counts every REST request, pushes Bybit's frames,
and can close a stream cleanly, drop it, refuse it, mute it, or swallow a topic.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from decimal import Decimal

import pytest

from bot.trading.streams.manager import StreamManager
from bot.trading.streams.private import AccountStream
from bot.trading.summary import describe
from bot.vocabulary import AccountType, Category
from tests.fakes.bybit import FakeBybit
from tests.trading.conftest import KEY, SECRET, USER, Placed, Rig, RigFactory

D = Decimal
CREATE, POSITIONS, REALTIME = "/v5/order/create", "/v5/position/list", "/v5/order/realtime"
PRIVATE_PATHS = ("/v5/order/", "/v5/position/", "/v5/account/", "/v5/execution/")
OUTAGE = 1000  # auth_refusals: refuse_streams keeps a stream down, not a bad key given up on


@pytest.fixture
async def manager(fake: FakeBybit) -> AsyncIterator[Callable[..., StreamManager]]:
    made: list[StreamManager] = []

    def build(max_private: int = 10, ping_interval_s: float = 20.0,
              ping_timeout_s: float = 10.0, keep_recent_s: float = 0.0,
              auth_refusals: int = 3,
              clock: Callable[[], float] = time.monotonic) -> StreamManager:
        # keep_recent_s 0: plain least-recently-used, unless a test is about the guard
        streams = StreamManager(stream_url=fake.stream_url, max_private=max_private,
                                ping_interval_s=ping_interval_s, ping_timeout_s=ping_timeout_s,
                                backoff_s=(0.05, 0.1, 0.2), keep_recent_s=keep_recent_s,
                                auth_refusals=auth_refusals, clock=clock)
        made.append(streams)
        return streams

    yield build
    for streams in made:
        await streams.close()


async def streaming_rig(make_rig: RigFactory, streams: StreamManager, **options: object
                        ) -> tuple[Rig, AccountStream]:
    """A demo rig whose exchange has its private stream, up and synced."""
    await streams.start()
    rig = await make_rig("bybit", **options)
    stream = streams.open_private((USER, AccountType.DEMO), api_key=KEY, api_secret=SECRET,
                                  resync=rig.exchange.resync)
    assert stream is not None
    rig.exchange.stream = stream
    assert await stream.state.wait_synced(5)
    return rig, stream


def rest_calls(rig: Rig, since: int) -> list[str]:
    """The account's REST requests after the first `since` ones (public data excluded)."""
    return [r.path for r in rig.fake.requests[since:] if r.path.startswith(PRIVATE_PATHS)]


async def test_in_steady_state_a_signal_costs_one_rest_request(
        make_rig: RigFactory, manager: Callable[..., StreamManager]) -> None:
    rig, _ = await streaming_rig(make_rig, manager())
    assert (await rig.send("buy")).kind == "opened"  # first: mode and leverage learnt
    assert (await rig.send("close")).kind == "closed"
    mark = len(rig.fake.requests)

    outcomes = [await rig.send(action) for action in ("buy", "close", "sell", "close")]

    assert [o.kind for o in outcomes] == ["opened", "closed", "opened", "closed"]
    assert rest_calls(rig, mark) == [CREATE] * 4
    assert [p.side for p in (await rig.placed())[-4:]] == ["Buy", "Sell", "Sell", "Buy"]
    assert all(o.legs[0].filled_qty == D("0.02") and o.legs[0].avg_price for o in outcomes)
    assert await rig.position() == {}


async def test_a_reversal_reads_the_position_its_own_close_left_and_stays_exactly_once(
        make_rig: RigFactory, manager: Callable[..., StreamManager]) -> None:
    rig, _ = await streaming_rig(make_rig, manager())
    assert (await rig.send("sell")).kind == "opened"

    reversed_ = await rig.send("buy")
    again = await rig.send("buy")  # already long now: the stream must know it

    assert reversed_.kind == "reversed", describe(reversed_)
    assert again.kind == "skipped", describe(again)
    assert await rig.placed() == [Placed("Sell", D("0.02")), Placed("Buy", D("0.02"), True),
                                  Placed("Buy", D("0.02"))]
    assert rig.fake.duplicate_link_ids() == []


@pytest.mark.parametrize("clean", [True, False], ids=["clean-close", "abrupt-drop"])
async def test_a_stream_that_ends_comes_back_and_resyncs(
        make_rig: RigFactory, manager: Callable[..., StreamManager], clean: bool) -> None:
    rig, stream = await streaming_rig(make_rig, manager())
    connects, resyncs = rig.fake.stream_connects[KEY], stream.resyncs
    await rig.seed_position("Buy", "0.03")  # changed behind the stream's back
    mark = len(rig.fake.requests)

    assert await rig.fake.drop_streams(KEY, clean=clean) == 1
    assert await stream.connection.wait_until(lambda: stream.resyncs > resyncs, 10)

    assert rig.fake.stream_connects[KEY] == connects + 1
    assert stream.state.synced and stream.connection.reconnects >= 1
    assert rest_calls(rig, mark) == [POSITIONS, REALTIME]  # the one resync
    book = await stream.state.book("BTCUSDT", wait_s=0)
    assert book is not None and book.long is not None and book.long.size == D("0.03")


async def test_a_handler_exception_is_logged_and_the_state_read_again(
        make_rig: RigFactory, manager: Callable[..., StreamManager],
        caplog: pytest.LogCaptureFixture) -> None:
    rig, stream = await streaming_rig(make_rig, manager())
    connects, resyncs = rig.fake.stream_connects[KEY], stream.resyncs
    failures: list[set[tuple[str, int]]] = []

    class Broken:  # a watcher of the account that fails once
        def held_changed(self, before: set[tuple[str, int]],
                         after: set[tuple[str, int]]) -> None:
            if not failures:
                failures.append(after)
                raise RuntimeError("a bug in a handler")

        def order_final(self, result: object, symbol: str) -> None:
            return None

        def exit_triggered(self, result: object, symbol: str, kind: str,
                           pnl: object) -> None:
            return None

    stream.state.watchers.append(Broken())
    outcome = await rig.send("buy")
    assert await stream.connection.wait_until(lambda: stream.resyncs > resyncs, 10)

    assert outcome.kind == "opened"
    assert failures == [{("BTCUSDT", 0)}] and stream.connection.handler_errors == 1
    assert "a bug in a handler" in caplog.text
    assert rig.fake.stream_connects[KEY] == connects  # the stream stayed open
    assert stream.live and stream.state.synced
    assert (await rig.send("buy")).kind == "skipped"  # and its state is right


async def test_a_fill_while_the_stream_is_down_is_recorded_exactly_once(
        make_rig: RigFactory, manager: Callable[..., StreamManager]) -> None:
    rig, stream = await streaming_rig(make_rig, manager(auth_refusals=OUTAGE))
    rig.fake.refuse_streams(KEY)
    await rig.fake.drop_streams(KEY, clean=False)
    assert await stream.connection.wait_until(lambda: not stream.live, 5)
    resyncs = stream.resyncs

    outcome = await rig.send("buy")  # REST reads and the REST fill look-up
    rig.fake.refuse_streams(KEY, refuse=False)
    assert await stream.connection.wait_until(lambda: stream.resyncs > resyncs, 15)

    assert outcome.kind == "opened" and outcome.legs[0].status == "filled"
    [stored] = await rig.orders.for_signal(rig.signal_ids[-1])
    assert stored.filled_qty == D("0.02")
    assert len(await rig.placed()) == 1 and rig.fake.duplicate_link_ids() == []
    book = await stream.state.book("BTCUSDT", wait_s=0)  # the resync found the fill
    assert book is not None and book.long is not None and book.long.size == D("0.02")
    assert (await rig.send("buy")).kind == "skipped"


async def test_a_wallet_pushed_before_the_stream_went_down_is_not_trusted_after_it(
        make_rig: RigFactory, manager: Callable[..., StreamManager]) -> None:
    """Bybit's wallet topic sends no snapshot: what changed during the gap is never pushed,
    so the balance pushed before it must not size an order after the reconnect."""
    rig, stream = await streaming_rig(make_rig, manager(auth_refusals=OUTAGE))
    assert (await rig.send("buy")).kind == "opened"  # the fill pushes the wallet
    assert stream.state.balance("USDT") is not None
    rig.fake.refuse_streams(KEY)
    await rig.fake.drop_streams(KEY, clean=False)
    assert await stream.connection.wait_until(lambda: not stream.live, 5)
    resyncs = stream.resyncs

    await rig.give_coin("USDT", "1234")  # a transfer while the stream was down
    rig.fake.refuse_streams(KEY, refuse=False)
    assert await stream.connection.wait_until(lambda: stream.resyncs > resyncs, 15)

    assert (await rig.exchange.balance("USDT")).total == D(1234)


async def test_no_fill_message_means_one_rest_look_up(
        make_rig: RigFactory, manager: Callable[..., StreamManager]) -> None:
    rig, _ = await streaming_rig(make_rig, manager())
    rig.exchange._fill_wait = 0.3  # bybit.fill_wait_s, short for the test
    rig.fake.drop_topic(KEY, "order")
    mark = len(rig.fake.requests)

    outcome = await rig.send("buy")

    assert outcome.kind == "opened" and outcome.legs[0].filled_qty == D("0.02")
    assert rest_calls(rig, mark).count(REALTIME) == 1
    assert rest_calls(rig, mark).count(CREATE) == 1


async def test_an_unanswered_ping_ends_the_connection_and_it_comes_back(
        make_rig: RigFactory, manager: Callable[..., StreamManager]) -> None:
    streams = manager(ping_interval_s=0.2, ping_timeout_s=0.3)
    rig, stream = await streaming_rig(make_rig, streams)
    connects = rig.fake.stream_connects[KEY]

    rig.fake.mute_streams(KEY)
    assert await stream.connection.wait_until(lambda: not stream.live, 5)
    assert not stream.state.synced  # a silent stream is never trusted
    rig.fake.mute_streams(KEY, mute=False)
    assert await stream.connection.wait_until(lambda: stream.state.synced, 10)

    assert rig.fake.stream_connects[KEY] > connects
    assert (await rig.send("buy")).kind == "opened"


async def test_private_streams_are_bounded_least_recently_used_first(
        fake: FakeBybit, manager: Callable[..., StreamManager]) -> None:
    streams = manager(max_private=2)
    await streams.start()

    async def resync() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
        return [], []

    keys = {}
    for user in (1, 2, 3):
        keys[user] = f"key-{user}"
        fake.add_account(keys[user], f"secret-{user}", env="demo")
    opened = {}
    for user in (1, 2):
        opened[user] = streams.open_private((user, AccountType.DEMO), api_key=keys[user],
                                            api_secret=f"secret-{user}", resync=resync)
        await fake.wait_for_private_streams(keys[user], 1)
    streams.touch((1, AccountType.DEMO))  # user 1 traded again: user 2 is now the oldest
    opened[3] = streams.open_private((3, AccountType.DEMO), api_key=keys[3],
                                     api_secret="secret-3", resync=resync)

    await fake.wait_for_private_streams(keys[2], 0)
    await fake.wait_for_private_streams(keys[3], 1)
    assert fake.private_streams(keys[1]) == 1
    assert opened[2] is not None and opened[2].closed and not opened[2].live
    status = streams.status()["private"]
    assert (status["open"], status["evicted"], status["max"]) == (2, 1, 2)


async def test_a_stream_in_recent_use_is_not_closed_to_make_room(
        fake: FakeBybit, manager: Callable[..., StreamManager]) -> None:
    """More accounts trading in turn than there may be streams (a channel's alert to every
    subscriber): the newcomer reads REST rather than close a stream about to be needed."""
    now = [0.0]
    streams = manager(max_private=2, keep_recent_s=300, clock=lambda: now[0])
    await streams.start()

    async def resync() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
        return [], []

    def open_for(user: int) -> AccountStream | None:
        return streams.open_private((user, AccountType.DEMO), api_key=f"recent-{user}",
                                    api_secret=f"secret-{user}", resync=resync)

    for user in (1, 2, 3):
        fake.add_account(f"recent-{user}", f"secret-{user}", env="demo")
    first, second = open_for(1), open_for(2)
    await fake.wait_for_private_streams("recent-2", 1)
    now[0] = 100.0
    assert open_for(3) is None  # both streams traded 100 s ago: user 3 reads REST
    assert open_for(1) is first and first is not None and not first.closed
    status = streams.status()["private"]
    assert (status["open"], status["evicted"], status["crowded"]) == (2, 0, 1)

    now[0] = 350.0  # user 2's stream has not been used for 350 s; user 1's for 250 s
    third = open_for(3)
    assert third is not None and second is not None and second.closed
    await fake.wait_for_private_streams("recent-2", 0)
    await fake.wait_for_private_streams("recent-3", 1)
    assert fake.private_streams("recent-1") == 1
    status = streams.status()["private"]
    assert (status["open"], status["evicted"], status["crowded"]) == (2, 1, 1)


async def test_held_symbols_are_watched_on_the_public_tickers_while_held(
        make_rig: RigFactory, manager: Callable[..., StreamManager]) -> None:
    streams = manager()
    rig, _ = await streaming_rig(make_rig, streams)
    assert (await rig.send("buy")).kind == "opened"
    await rig.fake.wait_for_public_subscription("linear", "BTCUSDT")
    ticked = asyncio.Event()
    streams.tickers.add_listener(
        lambda category, ticker: ticked.set() if ticker.last == D(50250) else None)
    rig.fake.set_price("BTCUSDT", 50250)

    await asyncio.wait_for(ticked.wait(), 5)
    assert streams.tickers.price(Category.LINEAR, "BTCUSDT") == D(50250)
    assert (await rig.send("close")).kind == "closed"
    await rig.fake.wait_for_public_subscription("linear", "BTCUSDT", present=False)


async def test_a_symbol_watched_while_the_tickers_say_hello_is_subscribed_too(
        fake: FakeBybit, manager: Callable[..., StreamManager]) -> None:
    """A paper fill or a new position on another symbol while the public stream is still
    subscribing: its price (and the paper stops it drives) must come, not wait for the next
    reconnect."""
    streams = manager()
    await streams.start()
    feed = streams.tickers
    feed.watch(Category.LINEAR, "BTCUSDT", "first")  # opens the connection; hello follows
    await fake.wait_for_public_subscription("linear", "BTCUSDT")
    connection = feed._connections[Category.LINEAR]
    assert not connection.connected  # the hello's answer is still on its way

    ticked = asyncio.Event()
    feed.add_listener(lambda category, ticker: ticked.set()
                      if ticker.symbol == "ETHUSDT" else None)
    feed.watch(Category.LINEAR, "ETHUSDT", "second")

    await fake.wait_for_public_subscription("linear", "ETHUSDT")
    await asyncio.wait_for(ticked.wait(), 5)
    assert feed.price(Category.LINEAR, "ETHUSDT") == D(3000)


async def test_more_than_a_hundred_private_streams_all_connect(
        fake: FakeBybit, manager: Callable[..., StreamManager]) -> None:
    streams = manager(max_private=150)
    await streams.start()

    async def resync() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
        return [], []

    opened = []
    for user in range(1, 121):  # aiohttp's default connector stops at 100 connections
        fake.add_account(f"many-{user}", f"secret-{user}", env="demo")
        stream = streams.open_private((user, AccountType.DEMO), api_key=f"many-{user}",
                                      api_secret=f"secret-{user}", resync=resync)
        assert stream is not None
        opened.append(stream)

    await fake.wait_for_private_streams(None, 120, timeout=20)
    assert all([await s.state.wait_synced(5) for s in opened])
    assert streams.status()["private"]["synced"] == 120


async def test_an_evicted_stream_is_let_go_by_its_owner(
        fake: FakeBybit, manager: Callable[..., StreamManager]) -> None:
    streams = manager(max_private=1)
    await streams.start()

    async def resync() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
        return [], []

    released: list[int] = []
    for user in (1, 2):
        fake.add_account(f"own-{user}", f"secret-{user}", env="demo")
        streams.open_private((user, AccountType.DEMO), api_key=f"own-{user}",
                             api_secret=f"secret-{user}", resync=resync,
                             on_closed=lambda user=user: released.append(user))
    assert released == [1]
