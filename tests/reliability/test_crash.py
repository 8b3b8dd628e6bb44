"""kill -9 at the worst moments: every acknowledged signal ends final, nothing is doubled."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import aiohttp
import pytest

from tests.fakes.bybit import FakeBybit
from tests.fakes.telegram import FakeTelegram
from tests.reliability.harness import Deployment

TRADER = 4242


async def test_kill_after_the_ack_before_execution(tmp_path: Path, fake_bybit: FakeBybit,
                                                   fake_telegram: FakeTelegram,
                                                   http: aiohttp.ClientSession) -> None:
    deployment = Deployment(tmp_path, fake_bybit, fake_telegram)
    token = await deployment.add_trader(TRADER)
    await deployment.start()
    held = fake_bybit.hold("/v5/position/list")  # the first signal stops at its first read
    first = await deployment.post(http, TRADER, token, {"symbol": "BTCUSDT", "action": "buy",
                                                        "price": 50000})
    await held.arrived()
    second = await deployment.post(http, TRADER, token, {"symbol": "ETHUSDT", "action": "buy",
                                                         "price": 3000})
    await deployment.kill()
    assert deployment.statuses() == {first["signal_id"]: "processing",
                                     second["signal_id"]: "queued"}
    held.release()
    assert fake_bybit.order_log == []

    await deployment.start()
    assert await deployment.wait_final(first["signal_id"]) == "executed"
    assert await deployment.wait_final(second["signal_id"]) == "executed"
    assert deployment.statuses() == {first["signal_id"]: "done",
                                     second["signal_id"]: "done"}
    assert [o.symbol for o in fake_bybit.order_log] == ["BTCUSDT", "ETHUSDT"]
    assert fake_bybit.duplicate_link_ids() == []
    # One message per signal: the second arrives after the first, and no third follows.
    one = await fake_telegram.wait_for_message(TRADER, "BTCUSDT", timeout=10)
    two = await fake_telegram.wait_for_message(TRADER, "ETHUSDT", timeout=10)
    assert one.index < two.index
    assert await deployment.stop() == 0
    assert len(fake_telegram.sent_messages(TRADER)) == 2


async def test_kill_while_the_exchange_holds_the_order(tmp_path: Path, fake_bybit: FakeBybit,
                                                       http: aiohttp.ClientSession) -> None:
    deployment = Deployment(tmp_path, fake_bybit, None)
    token = await deployment.add_trader(TRADER)
    await deployment.start()
    # Bybit got the order: it fills although the client died.
    answer = await deployment.crash_during(
        http, TRADER, token, "/v5/order/create",
        {"symbol": "BTCUSDT", "action": "buy", "price": 50000})
    await fake_bybit.wait_for_orders(1)

    await deployment.start()
    assert await deployment.wait_final(answer["signal_id"]) == "executed"
    assert len(fake_bybit.order_log) == 1  # looked up by orderLinkId, not placed again
    assert fake_bybit.duplicate_link_ids() == []
    [(status, filled)] = deployment.rows("SELECT status, filled_qty FROM orders")
    assert (status, Decimal(filled)) == ("filled", Decimal("0.02"))
    creates = [r for r in fake_bybit.requests if r.path == "/v5/order/create"]
    assert len(creates) == 1  # the replay looked the order up instead of sending it again
    assert any(r.path == "/v5/order/realtime" and "orderLinkId" in r.params
               for r in fake_bybit.requests)
    assert await deployment.stop() == 0


# Where the close leg stands when the process dies: with a private stream, Bybit has carried
# out the order but its answer is held (the fill would have come from the stream); without
# one, the order is answered and its fill read-back over REST is held.
BETWEEN_LEGS = {"stream": ("/v5/order/create", True, {}),
                "rest": ("/v5/order/realtime", False, {"max_private_streams": 0})}


@pytest.mark.parametrize("streams", list(BETWEEN_LEGS))
async def test_kill_between_the_legs_of_a_reversal(tmp_path: Path, fake_bybit: FakeBybit,
                                                   http: aiohttp.ClientSession,
                                                   streams: str) -> None:
    path, after, bybit = BETWEEN_LEGS[streams]
    deployment = Deployment(tmp_path, fake_bybit, None, bybit=dict(bybit))
    token = await deployment.add_trader(TRADER)
    await deployment.start()
    short = await deployment.post(http, TRADER, token, {"symbol": "BTCUSDT", "action": "sell",
                                                        "price": 50000})
    assert await deployment.wait_final(short["signal_id"]) == "executed"
    reverse = await deployment.crash_during(
        http, TRADER, token, path, {"symbol": "BTCUSDT", "action": "buy", "price": 50000},
        after=after)
    assert [o.reduce_only for o in fake_bybit.order_log] == [False, True]  # close done only

    await deployment.start()
    assert await deployment.wait_final(reverse["signal_id"]) == "executed"
    log = fake_bybit.order_log
    assert [(o.side, o.reduce_only) for o in log] == [("Sell", False), ("Buy", True),
                                                      ("Buy", False)]
    assert fake_bybit.duplicate_link_ids() == []
    position = fake_bybit.account(f"key-{TRADER}").position("BTCUSDT")
    assert (position.side, position.size) == ("Buy", Decimal("0.02"))
    assert await deployment.stop() == 0


async def test_signals_older_than_the_limit_expire_instead_of_trading_late(
        tmp_path: Path, fake_bybit: FakeBybit, fake_telegram: FakeTelegram,
        http: aiohttp.ClientSession) -> None:
    deployment = Deployment(tmp_path, fake_bybit, fake_telegram)
    token = await deployment.add_trader(TRADER)
    await deployment.start()
    answer = await deployment.crash_during(
        http, TRADER, token, "/v5/position/list",
        {"symbol": "BTCUSDT", "action": "buy", "price": 50000})
    # The process stays down for an hour.
    deployment.rows("UPDATE signals SET received_at = received_at - 3600")
    mark = fake_telegram.mark()

    await deployment.start()
    assert await deployment.wait_final(answer["signal_id"]) == "expired"
    assert deployment.statuses() == {answer["signal_id"]: "expired"}
    assert fake_bybit.order_log == []
    message = await fake_telegram.wait_for_message(TRADER, "expire|انتهت", since=mark,
                                                   timeout=10)
    assert message.text
    assert await deployment.stop() == 0  # which sends whatever was still queued
    # Once: by the recovery that expired it, not again as "finished but never told".
    assert len(fake_telegram.sent_messages(TRADER, since=mark)) == 1


@pytest.mark.parametrize("streams", list(BETWEEN_LEGS))
async def test_an_expired_half_done_reversal_tells_what_was_done(
        tmp_path: Path, fake_bybit: FakeBybit, fake_telegram: FakeTelegram,
        http: aiohttp.ClientSession, streams: str) -> None:
    path, after, bybit = BETWEEN_LEGS[streams]
    deployment = Deployment(tmp_path, fake_bybit, fake_telegram, bybit=dict(bybit))
    token = await deployment.add_trader(TRADER)
    await deployment.start()
    short = await deployment.post(http, TRADER, token, {"symbol": "BTCUSDT", "action": "sell",
                                                        "price": 50000})
    assert await deployment.wait_final(short["signal_id"]) == "executed"
    # The close went out; its record did not.
    reverse = await deployment.crash_during(
        http, TRADER, token, path, {"symbol": "BTCUSDT", "action": "buy", "price": 50000},
        after=after)
    deployment.rows("UPDATE signals SET received_at = received_at - 3600")
    mark = fake_telegram.mark()

    await deployment.start()
    assert await deployment.wait_final(reverse["signal_id"]) == "expired"
    assert [(o.side, o.reduce_only) for o in fake_bybit.order_log] == [("Sell", False),
                                                                      ("Buy", True)]
    legs = deployment.rows("SELECT leg FROM orders WHERE signal_id = ?", reverse["signal_id"])
    assert legs == [("cs",)]  # found at the exchange and recorded
    message = await fake_telegram.wait_for_message(TRADER, "expired, not traded", since=mark,
                                                   timeout=10)
    assert "Closed short 0.02 BTCUSDT at 50,000" in (message.text or "")  # what was done
    assert "so it was not traded late" in (message.text or "")
    assert await deployment.stop() == 0
    assert len(fake_telegram.sent_messages(TRADER, since=mark)) == 1


async def test_an_alert_that_arrives_during_the_restart_runs_after_the_recovered_ones(
        tmp_path: Path, fake_bybit: FakeBybit, fake_telegram: FakeTelegram,
        http: aiohttp.ClientSession) -> None:
    deployment = Deployment(tmp_path, fake_bybit, fake_telegram)
    token = await deployment.add_trader(TRADER)
    await deployment.start()
    entry = await deployment.crash_during(
        http, TRADER, token, "/v5/position/list",
        {"symbol": "BTCUSDT", "action": "buy", "price": 50000})
    # The restart listens for alerts before it has picked up the open ones; Telegram's 429
    # on getMe holds it there for a few seconds, and the strategy's exit arrives then.
    mark = fake_telegram.mark()
    fake_telegram.fail_next("getMe", status=429, retry_after=5)
    starting = asyncio.create_task(deployment.start())
    await fake_telegram.wait_for_call("getMe", since=mark, timeout=20)
    close = await deployment.post(http, TRADER, token, {"symbol": "BTCUSDT", "action": "close"})
    await starting

    assert await deployment.wait_final(entry["signal_id"]) == "executed"
    assert await deployment.wait_final(close["signal_id"]) == "executed"
    # In the order they came: the entry opened, the exit closed it.
    assert [(o.side, o.reduce_only) for o in fake_bybit.order_log] == [("Buy", False),
                                                                      ("Sell", True)]
    position = fake_bybit.account(f"key-{TRADER}").position("BTCUSDT")
    assert position.size == 0
    assert fake_bybit.duplicate_link_ids() == []
    assert await deployment.stop() == 0
