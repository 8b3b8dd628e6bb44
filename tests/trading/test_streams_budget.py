"""Bybit's connection limits, against the fake Bybit's WebSocket streams.

Bybit refuses an IP's connections after 500 openings per WebSocket domain in 5 minutes: every
stream's openings share a budget per domain, and an opening over it waits (its account on
REST) until the window moves — a clock the test moves, not a wait. A key Bybit keeps refusing
is given up after three refusals in a row, until its keys change or an hour has passed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any

import pytest

from bot.trading.exchanges.bybit import BybitExchange
from bot.trading.exchanges.gate import BybitGate
from bot.trading.exchanges.registry import ExchangeRegistry
from bot.trading.market import MarketData
from bot.trading.streams.budget import OpeningBudget
from bot.trading.streams.manager import StreamManager
from bot.vocabulary import AccountType, Category
from tests.fakes.bybit import FakeBybit
from tests.trading.conftest import KEY, SECRET, USER, RigFactory

DEMO = AccountType.DEMO
PRIVATE_PATHS = ("/v5/order/", "/v5/position/", "/v5/account/", "/v5/execution/")


@pytest.fixture
async def manager(fake: FakeBybit) -> AsyncIterator[Callable[..., StreamManager]]:
    made: list[StreamManager] = []

    def build(budget: OpeningBudget | None = None,
              clock: Callable[[], float] = time.monotonic) -> StreamManager:
        streams = StreamManager(stream_url=fake.stream_url, max_private=10,
                                backoff_s=(0.05, 0.1, 0.2), keep_recent_s=0.0, budget=budget,
                                clock=clock)
        made.append(streams)
        return streams

    yield build
    for streams in made:
        await streams.close()


async def nothing_open() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return [], []


def test_the_budget_is_counted_per_domain_private_and_public_together() -> None:
    budget = OpeningBudget(limit=2)

    assert budget.take("wss://stream.bybit.com/v5/private")
    assert budget.take("wss://stream.bybit.com/v5/public/linear")
    assert not budget.take("wss://stream.bybit.com/v5/private")  # two in the window already
    assert budget.take("wss://stream-demo.bybit.com/v5/private")  # another domain
    assert budget.status()["domains"] == {"stream.bybit.com": {"opened": 2, "waiting": 0},
                                          "stream-demo.bybit.com": {"opened": 1, "waiting": 0}}


async def test_openings_past_the_budget_wait_their_turn_as_the_window_moves(
        fake: FakeBybit, make_rig: RigFactory, manager: Callable[..., StreamManager]) -> None:
    now = [0.0]
    budget = OpeningBudget(limit=3, window_s=300, clock=lambda: now[0], recheck_s=0.01)
    streams = manager(budget)
    await streams.start()
    rig = await make_rig("bybit")
    for user, at in ((1, 0.0), (2, 100.0), (3, 200.0)):
        now[0] = at
        fake.add_account(f"early-{user}", f"secret-{user}", env="demo")
        streams.open_private((user, DEMO), api_key=f"early-{user}",
                             api_secret=f"secret-{user}", resync=nothing_open)
        await fake.wait_for_private_streams(f"early-{user}", 1)

    late = streams.open_private((USER, DEMO), api_key=KEY, api_secret=SECRET,
                                resync=rig.exchange.resync)
    assert late is not None
    rig.exchange.stream = late
    assert await late.connection.wait_until(lambda: late.connection.held, 5)
    streams.tickers.watch(Category.LINEAR, "BTCUSDT", "a dashboard")
    public = streams.tickers._connections[Category.LINEAR]
    assert await public.wait_until(lambda: public.held, 5)

    status = streams.status()  # /healthz's streams
    assert (status["private"]["held"], status["public"]["linear"]["held"]) == (1, True)
    assert status["openings"]["domains"] == {"127.0.0.1": {"opened": 3, "waiting": 2}}
    assert status["openings"]["held_back"] == 2
    assert fake.stream_opens == {"private": 3}
    mark = len(fake.requests)
    outcome = await rig.send("buy")  # meanwhile the held account trades over REST
    assert outcome.kind == "opened" and outcome.legs[0].status == "filled"
    read = {r.path for r in fake.requests[mark:] if r.path.startswith(PRIVATE_PATHS)}
    assert {"/v5/position/list", "/v5/order/create", "/v5/order/realtime"} <= read

    now[0] = 300.5  # the opening at 0 leaves the window: one place, the tickers' first
    await fake.wait_for_public_subscription("linear", "BTCUSDT")
    assert fake.stream_opens == {"private": 3, "linear": 1} and late.connection.held
    now[0] = 400.5  # the one at 100 leaves: the account's turn
    assert await late.state.wait_synced(5)

    assert fake.stream_opens == {"private": 4, "linear": 1}
    status = streams.status()
    assert (status["private"]["held"], status["public"]["linear"]["held"]) == (0, False)
    assert status["openings"]["domains"] == {"127.0.0.1": {"opened": 3, "waiting": 0}}
    book = await late.state.book("BTCUSDT", wait_s=0)  # its resync found the REST trade
    assert book is not None and book.long is not None and book.long.size == Decimal("0.02")


async def test_a_refused_key_is_given_up_after_three_refusals_and_tried_again_an_hour_later(
        fake: FakeBybit, manager: Callable[..., StreamManager],
        caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    streams = manager(clock=lambda: now[0])
    await streams.start()
    bad_key, good_key = "revoked-key-0001", "good-key-0002"
    fake.add_account(bad_key, "revoked-secret", env="demo")
    fake.add_account(good_key, "good-secret", env="demo")
    fake.refuse_streams(bad_key)
    released: list[int] = []

    def open_for(user: int, key: str, secret: str) -> Any:
        return streams.open_private((user, DEMO), api_key=key, api_secret=secret,
                                    resync=nothing_open, on_closed=lambda: released.append(user))

    bad = open_for(1, bad_key, "revoked-secret")
    good = open_for(2, good_key, "good-secret")
    assert await bad.connection.wait_until(lambda: bad.connection.stopped is not None, 10)
    assert await good.state.wait_synced(5)

    assert fake.stream_auths[bad_key] == 3 and fake.stream_connects[bad_key] == 0
    assert bad.closed and not bad.live and released == [1] and streams.private((1, DEMO)) is None
    [warning] = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert "user=1 demo" in warning and "revo…" in warning and "3 times in a row" in warning
    assert bad_key not in caplog.text and "revoked-secret" not in caplog.text
    assert streams.status()["private"]["refused"] == 1

    fake.refuse_streams(bad_key, refuse=False)  # Bybit would take it now: nobody asks
    with pytest.raises(TimeoutError):
        await fake.wait_for_private_streams(bad_key, 1, timeout=1.0)
    now[0] = 3599.0
    assert open_for(1, bad_key, "revoked-secret") is None  # its next trade reads REST
    assert fake.stream_auths[bad_key] == 3
    assert fake.private_streams(good_key) == 1 and fake.stream_connects[good_key] == 1

    now[0] = 3601.0  # an hour on, the next trade tries the same key again
    again = open_for(1, bad_key, "revoked-secret")
    assert again is not None and await again.state.wait_synced(5)
    assert fake.stream_auths[bad_key] == 4 and streams.status()["private"]["refused"] == 0


async def test_new_keys_give_a_refused_account_its_stream_again(
        fake: FakeBybit, make_rig: RigFactory, manager: Callable[..., StreamManager]) -> None:
    """/keys stores the keys and the registry forgets the old ones (facades.store_keys)."""
    rig = await make_rig("bybit")
    streams = manager()
    await streams.start()
    gate = BybitGate(4)
    registry = ExchangeRegistry(
        db=rig.db, users=rig.users, gate=gate,
        market=MarketData(gate, base_url=fake.url, price_ttl_s=0), base_url=fake.url,
        timeout=5.0, paper_start=Decimal(1000), paper_fee=Decimal(0), streams=streams)
    try:
        await rig.users.set_api_keys(USER, "demo", KEY, SECRET)
        fake.refuse_streams(KEY)  # e.g. the key's IP whitelist leaves this server out
        exchange = await registry.get(USER, "demo")
        assert isinstance(exchange, BybitExchange) and exchange.stream is not None
        stream = exchange.stream
        assert await stream.connection.wait_until(lambda: stream.connection.stopped is not None,
                                                  10)

        assert await registry.get(USER, "demo") is exchange and exchange.stream is None
        assert await exchange.open_positions() == []  # over REST
        assert fake.stream_auths[KEY] == 3

        fake.add_account("new-key", "new-secret", env="demo")
        await rig.users.set_api_keys(USER, "demo", "new-key", "new-secret")
        await registry.forget(USER)
        fresh = await registry.get(USER, "demo")
        assert isinstance(fresh, BybitExchange) and fresh.stream is not None
        assert await fresh.stream.state.wait_synced(5)
        assert fake.stream_connects["new-key"] == 1 and fake.stream_auths[KEY] == 3
    finally:
        await registry.close()
        gate.close()
