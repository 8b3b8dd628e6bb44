"""kill -9 at the worst moments: every acknowledged signal ends final, nothing is doubled."""

from __future__ import annotations

import asyncio
import time
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


async def test_a_replay_that_ages_out_waiting_for_a_slot_tells_what_bybit_did(
        tmp_path: Path, fake_bybit: FakeBybit, fake_telegram: FakeTelegram,
        http: aiohttp.ClientSession) -> None:
    other, max_age = 4343, 6  # well above the ~1 s a restart takes
    deployment = Deployment(tmp_path, fake_bybit, fake_telegram)
    token = await deployment.add_trader(TRADER)
    other_token = await deployment.add_trader(other)
    await deployment.start()
    stuck = fake_bybit.hold_key(f"key-{other}")
    first = await deployment.post(http, other, other_token, {"symbol": "ETHUSDT",
                                                              "action": "buy", "price": 3000})
    await stuck.arrived()
    # The trader's order reached Bybit (it fills); the process died before its answer.
    answer = await deployment.crash_during(
        http, TRADER, token, "/v5/order/create",
        {"symbol": "BTCUSDT", "action": "buy", "price": 50000})
    stuck.release()
    await fake_bybit.wait_for_orders(1)
    assert deployment.statuses() == {first["signal_id"]: "processing",
                                     answer["signal_id"]: "processing"}

    # The restart runs one execution at a time: the other user's replay (the older row) takes
    # the slot and its exchange is slow, so the trader's replay, fresh when it was picked up,
    # grows too old while it waits.
    deployment.raw["limits"].update(max_parallel_executions=1, max_signal_age_s=max_age)
    stuck = fake_bybit.hold_key(f"key-{other}")
    mark = fake_telegram.mark()
    await deployment.start()
    await stuck.arrived(timeout=20)
    assert deployment.process is not None
    await deployment.process.wait_for_line(
        rf"signal={answer['signal_id']} user={TRADER} picked up again after a restart")
    [(received_at,)] = deployment.rows("SELECT received_at FROM signals WHERE id = ?",
                                       answer["signal_id"])
    # The age is the condition, on the clock the service reads: wait for it, then check it.
    await asyncio.sleep(received_at + max_age + 0.1 - time.time())
    assert time.time() - received_at > max_age
    stuck.release()

    assert await deployment.wait_final(first["signal_id"]) == "executed"
    assert await deployment.wait_final(answer["signal_id"]) == "expired"
    assert fake_bybit.duplicate_link_ids() == []
    assert [o.symbol for o in fake_bybit.order_log] == ["BTCUSDT", "ETHUSDT"]  # no late retry
    position = fake_bybit.account(f"key-{TRADER}").position("BTCUSDT")
    assert (position.side, position.size) == ("Buy", Decimal("0.02"))
    # Looked up at the exchange before it was expired: the open position is on record ...
    [(status, filled)] = deployment.rows("SELECT status, filled_qty FROM orders "
                                         "WHERE signal_id = ?", answer["signal_id"])
    assert (status, Decimal(filled)) == ("filled", Decimal("0.02"))
    # ... and the trader is told it, not only "expired, not traded".
    message = await fake_telegram.wait_for_message(TRADER, "expired, not traded", since=mark,
                                                   timeout=10)
    # The order found at Bybit carries no leverage: the line leaves it out, never "?x".
    assert "Opened long 0.02 BTCUSDT at 50,000" in (message.text or "").splitlines()
    assert "?x" not in (message.text or "")
    assert await deployment.stop() == 0
    assert len(fake_telegram.sent_messages(TRADER, since=mark)) == 1
